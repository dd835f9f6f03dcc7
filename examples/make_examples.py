#!/usr/bin/env python3
"""Trains the shipped example classifiers and writes them with their held-out data.

Run with the Debian Python that has torch, scikit-learn and onnx
(apt-get install python3-torch python3-sklearn python3-onnx):

    /usr/bin/python3 examples/make_examples.py

Writes, into examples/digits/:
  digits_mlp.onnx   Gemm(64->32) -> Relu -> Gemm(32->10), input `input` [batch,64], output `logits` [batch,10]
  digits_cnn.onnx   Conv(1->8,3x3) -> Relu -> MaxPool(2) -> Flatten -> Gemm(128->10), input `input` [batch,1,8,8]
  digits_test.csv   the held-out split: pixel_0..pixel_63,label (raw intensities 0..16, integer labels 0..9)
  README.md         how the files were made, with the accuracies measured here (the section make_pruning_example.py
                    writes into it is kept)

The split, training loop and export are digits_training.py's (shared with make_pruning_example.py).
Everything is seeded, runs single-threaded on the CPU, and needs no download: the digits data set ships
inside scikit-learn (load_digits). The models take the raw pixel intensities (0..16) as float32; there is
no preprocessing outside the graph.
"""

from __future__ import annotations

import os

import torch
from torch import nn

from digits_training import BATCH, EPOCHS, HERE, LR, OPSET, OUT, SEED, TEST_SIZE, common_meta, export, fit, load_split, write_split_csv


class DigitsMLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(x)))


class DigitsCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.flatten(self.pool(self.relu(self.conv(x)))))


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    split = load_split()

    results: dict[str, tuple[float, float, int]] = {}
    meta_common = common_meta(split, "examples/make_examples.py")

    specs = [
        ("digits_mlp", DigitsMLP, lambda t: t, torch.zeros(1, 64),
         "MLP digit classifier: Gemm(64->32) -> Relu -> Gemm(32->10); input raw 8x8 pixels flattened (0..16)."),
        ("digits_cnn", DigitsCNN, lambda t: t.reshape(-1, 1, 8, 8), torch.zeros(1, 1, 8, 8),
         "CNN digit classifier: Conv(1->8,3x3,pad 1) -> Relu -> MaxPool(2) -> Flatten -> Gemm(128->10); "
         "input raw 8x8 pixels (0..16) as [batch,1,8,8]."),
    ]
    for i, (name, cls, shape, example, doc) in enumerate(specs):
        model, tr_acc, te_acc, n_params = fit(cls, shape, split, SEED + i)
        results[name] = (tr_acc, te_acc, n_params)
        meta = dict(meta_common, train_accuracy=f"{tr_acc:.4f}", test_accuracy=f"{te_acc:.4f}")
        path = os.path.join(OUT, f"{name}.onnx")
        export(model, example, path, name, doc, meta)
        print(f"{name}: params={n_params} train_accuracy={tr_acc:.4f} test_accuracy={te_acc:.4f} "
              f"-> {os.path.relpath(path, HERE)} ({os.path.getsize(path)} bytes)")

    csv_path = os.path.join(OUT, "digits_test.csv")
    write_split_csv(csv_path, split.x_test, split.y_test)
    print(f"digits_test.csv: {len(split.y_test)} rows ({os.path.getsize(csv_path)} bytes)")

    write_readme(results, len(split.y_train), len(split.y_test))


def write_readme(results: dict[str, tuple[float, float, int]], n_train: int, n_test: int) -> None:
    rows = "\n".join(
        f"| `{name}.onnx` | {n} | {tr:.4f} | {te:.4f} |" for name, (tr, te, n) in results.items()
    )
    text = f"""# Digits example models

Two small, really trained classifiers for the 8x8 handwritten digits data set that ships with
scikit-learn (`sklearn.datasets.load_digits`, 1,797 images, 10 classes), with their held-out data.
They are the models `npm run demo`, the tests and the docs use.

These two models and `digits_test.csv` are made by [`../make_examples.py`](../make_examples.py) (generated, do not edit
by hand; the [models for pruning](#models-for-pruning) below have their own script):

```sh
apt-get install python3-torch python3-sklearn python3-onnx   # Debian packages; no download at run time
/usr/bin/python3 examples/make_examples.py
```

## How they were made

- Split: stratified `train_test_split(test_size={TEST_SIZE}, random_state={SEED})` → {n_train} training rows,
  {n_test} held-out rows.
- Inputs are the raw pixel intensities (0..16) as float32, no scaling or other preprocessing outside the graph.
- Training: PyTorch {torch.__version__.split('+')[0]}, Adam (lr {LR}), batch {BATCH}, {EPOCHS} epochs,
  cross-entropy; seeded (`torch.manual_seed`, `numpy`, `random`), one thread, deterministic algorithms.
- Export: `torch.onnx.export`, opset {OPSET}, symbolic batch dimension `batch`, then `onnx` sets
  the graph name, `doc_string`, `model_version` and `metadata_props` (`dataset`, `split`, `train_accuracy`,
  `test_accuracy`, …) and runs `onnx.checker`.

| file | parameters | train accuracy | test accuracy |
| --- | ---: | ---: | ---: |
{rows}

| file | graph | input | output |
| --- | --- | --- | --- |
| `digits_mlp.onnx` | Gemm(64→32) → Relu → Gemm(32→10) | `input` float32 [batch, 64] | `logits` float32 [batch, 10] |
| `digits_cnn.onnx` | Conv(1→8, 3×3, pad 1) → Relu → MaxPool(2×2) → Flatten → Gemm(128→10) | `input` float32 [batch, 1, 8, 8] | `logits` float32 [batch, 10] |

`digits_test.csv` holds the {n_test} held-out rows: header `pixel_0,…,pixel_63,label`, one image per line
(row-major 8x8, integers 0..16) and its true digit. The predicted class is `argmax(logits)`; for the CNN,
reshape the 64 pixels to [1, 8, 8].

The test accuracies above were measured in PyTorch; running the `.onnx` files with onnxruntime-node on
`digits_test.csv` gives the same numbers.
"""
    # make_pruning_example.py's section (between its markers) is kept.
    path = os.path.join(OUT, "README.md")
    begin, end = "<!-- begin: written by make_pruning_example.py -->", "<!-- end: written by make_pruning_example.py -->"
    old = open(path).read() if os.path.exists(path) else ""
    if begin in old and end in old:
        text += "\n" + begin + old.split(begin, 1)[1].split(end, 1)[0] + end + "\n"
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
