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

Everything is seeded, runs single-threaded on the CPU, and needs no download: the digits data set ships
inside scikit-learn (load_digits). The models take the raw pixel intensities (0..16) as float32; there is
no preprocessing outside the graph.
"""

from __future__ import annotations

import csv
import os
import random
import sys

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
TEST_SIZE = 0.25
OPSET = 13
EPOCHS = 60
BATCH = 64
LR = 1e-3

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "digits")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


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


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(x.shape[0], generator=gen)
        for i in range(0, x.shape[0], BATCH):
            idx = perm[i : i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    model.eval()


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return float((model(x).argmax(dim=1) == y).float().mean())


def export(model: nn.Module, example: torch.Tensor, path: str, name: str, doc: str, meta: dict[str, str]) -> None:
    torch.onnx.export(
        model,
        example,
        path,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    try:
        import onnx
    except ImportError:  # the model is still valid, only without the descriptive fields
        print(f"  (python onnx package missing: {os.path.basename(path)} keeps torch's defaults)", file=sys.stderr)
        return
    m = onnx.load(path)
    m.doc_string = doc
    m.model_version = 1
    m.graph.name = name
    m.graph.doc_string = doc
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    digits = load_digits()
    x_all = digits.data.astype(np.float32)  # (1797, 64), values 0..16
    y_all = digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x_all, y_all, test_size=TEST_SIZE, stratify=y_all, random_state=SEED
    )
    xt_tr, xt_te = torch.from_numpy(x_tr), torch.from_numpy(x_te)
    yt_tr, yt_te = torch.from_numpy(y_tr), torch.from_numpy(y_te)

    results: dict[str, tuple[float, float, int]] = {}
    common_meta = {
        "dataset": "sklearn digits (load_digits), 8x8 grey images, 10 classes",
        "split": f"stratified train_test_split test_size={TEST_SIZE} random_state={SEED}",
        "train_rows": str(len(y_tr)),
        "test_rows": str(len(y_te)),
        "input_range": "raw pixel intensities 0..16 as float32, no scaling",
        "labels": "0,1,2,3,4,5,6,7,8,9",
        "test_data": "digits_test.csv",
        "made_by": "examples/make_examples.py",
    }

    specs = [
        ("digits_mlp", DigitsMLP, lambda t: t, torch.zeros(1, 64),
         "MLP digit classifier: Gemm(64->32) -> Relu -> Gemm(32->10); input raw 8x8 pixels flattened (0..16)."),
        ("digits_cnn", DigitsCNN, lambda t: t.reshape(-1, 1, 8, 8), torch.zeros(1, 1, 8, 8),
         "CNN digit classifier: Conv(1->8,3x3,pad 1) -> Relu -> MaxPool(2) -> Flatten -> Gemm(128->10); "
         "input raw 8x8 pixels (0..16) as [batch,1,8,8]."),
    ]
    for i, (name, cls, shape, example, doc) in enumerate(specs):
        seed_everything(SEED + i)
        model = cls()
        train(model, shape(xt_tr), yt_tr, SEED + i)
        tr_acc = accuracy(model, shape(xt_tr), yt_tr)
        te_acc = accuracy(model, shape(xt_te), yt_te)
        n_params = sum(p.numel() for p in model.parameters())
        results[name] = (tr_acc, te_acc, n_params)
        meta = dict(common_meta, train_accuracy=f"{tr_acc:.4f}", test_accuracy=f"{te_acc:.4f}")
        path = os.path.join(OUT, f"{name}.onnx")
        export(model, example, path, name, doc, meta)
        print(f"{name}: params={n_params} train_accuracy={tr_acc:.4f} test_accuracy={te_acc:.4f} "
              f"-> {os.path.relpath(path, HERE)} ({os.path.getsize(path)} bytes)")

    csv_path = os.path.join(OUT, "digits_test.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([f"pixel_{i}" for i in range(64)] + ["label"])
        for row, label in zip(x_te.astype(np.int64), y_te):
            w.writerow([int(v) for v in row] + [int(label)])
    print(f"digits_test.csv: {len(y_te)} rows ({os.path.getsize(csv_path)} bytes)")

    write_readme(results, len(y_tr), len(y_te))


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
