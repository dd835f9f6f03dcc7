#!/usr/bin/env python3
"""Trains the pruning examples and writes them next to the other digits models.

Run with the Debian Python that has torch, scikit-learn and onnx (as examples/make_examples.py):

    /usr/bin/python3 examples/make_pruning_example.py

Writes, into examples/digits/:
  digits_resnet.onnx    a small residual CNN whose BatchNormalization nodes are kept (not folded into the convs),
                        so structured pruning has Conv -> BN -> Relu chains and a residual Add to rewrite:
                          stem Conv(1->32,3x3) -> BN -> Relu
                          block [Conv(32->32) -> BN -> Relu -> Conv(32->32) -> BN] + skip -> Relu
                          Conv(32->64) -> BN -> Relu -> GlobalAveragePool -> Flatten -> Gemm(64->10)
                        input `input` [batch,1,8,8], output `logits` [batch,10]
  digits_mlp_wide.onnx  Div(16) -> Gemm(64->256) -> Relu -> Gemm(256->10), input `input` [batch,64], output `logits`
                        (digits_mlp.onnx, 64->32->10 on raw 0..16 pixels, loses about 2 points of accuracy to 50%
                        global magnitude pruning: it is narrow, and unscaled inputs make its first layer's weights
                        small, so one global threshold strips that layer. Scaled inputs and 256 hidden units keep
                        the accuracy within a point)
  digits_train.csv      the training split of make_examples.py (same seed, same columns as digits_test.csv)
  README.md             its "Models for pruning" section (between the section markers): how the files were made,
                        with the accuracies measured here; the rest of the README is make_examples.py's

The split, training loop and export are digits_training.py's, shared with make_examples.py, so the split is exactly
make_examples.py's (stratified, test_size 0.25, random_state 0) and digits_test.csv (written by make_examples.py, not
touched here) stays the held-out data of these models too. Everything is seeded and runs single-threaded on the CPU;
the data set ships inside scikit-learn.
"""

from __future__ import annotations

import csv
import os
import sys

import numpy as np
import torch
from torch import nn

from digits_training import BATCH, EPOCHS, LR, OPSET, OUT, SEED, TEST_SIZE, common_meta, export, fit, load_split, write_split_csv


def conv_bn(cin: int, cout: int) -> tuple[nn.Conv2d, nn.BatchNorm2d]:
    return nn.Conv2d(cin, cout, kernel_size=3, padding=1), nn.BatchNorm2d(cout)


class DigitsResNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem, self.stem_bn = conv_bn(1, 32)
        self.block_conv1, self.block_bn1 = conv_bn(32, 32)
        self.block_conv2, self.block_bn2 = conv_bn(32, 32)
        self.head, self.head_bn = conv_bn(32, 64)
        self.relu = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x / 16.0
        h = self.relu(self.stem_bn(self.stem(x)))
        r = self.relu(self.block_bn1(self.block_conv1(h)))
        r = self.block_bn2(self.block_conv2(r))
        h = self.relu(h + r)
        h = self.relu(self.head_bn(self.head(h)))
        return self.fc(self.flatten(self.pool(h)))


class DigitsMLPWide(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(x / 16.0)))


def main() -> None:
    split = load_split()

    # The held-out rows must be the ones make_examples.py wrote.
    with open(os.path.join(OUT, "digits_test.csv")) as f:
        shipped = np.array([[int(v) for v in row] for row in list(csv.reader(f))[1:]])
    x_te, y_te = split.x_test, split.y_test
    if shipped.shape != (len(y_te), 65) or not (shipped[:, :64] == x_te.astype(np.int64)).all() or not (shipped[:, 64] == y_te).all():
        sys.exit("digits_test.csv does not hold this script's held-out split: the split of make_examples.py changed?")

    meta_common = common_meta(split, "examples/make_pruning_example.py")
    specs = [
        ("digits_resnet", DigitsResNet, lambda t: t.reshape(-1, 1, 8, 8), torch.zeros(1, 1, 8, 8), 10,
         "Residual CNN digit classifier with BatchNormalization kept: input /16 -> Conv(1->32)+BN+Relu -> "
         "[Conv(32->32)+BN+Relu -> Conv(32->32)+BN] + skip -> Relu -> Conv(32->64)+BN+Relu -> GlobalAveragePool -> "
         "Gemm(64->10); input raw 8x8 pixels (0..16) as [batch,1,8,8]."),
        ("digits_mlp_wide", DigitsMLPWide, lambda t: t, torch.zeros(1, 64), 11,
         "Wide MLP digit classifier: input /16 -> Gemm(64->256) -> Relu -> Gemm(256->10); input raw 8x8 pixels flattened (0..16)."),
    ]
    results: dict[str, tuple[float, float, int]] = {}
    for name, cls, shape, example, seed, doc in specs:
        model, tr_acc, te_acc, n_params = fit(cls, shape, split, SEED + seed)
        results[name] = (tr_acc, te_acc, n_params)
        path = os.path.join(OUT, f"{name}.onnx")
        meta = dict(meta_common, train_accuracy=f"{tr_acc:.4f}", test_accuracy=f"{te_acc:.4f}")
        # keep_batchnorm: the BatchNormalization nodes stay in the graph (structured pruning rewrites them).
        m = export(model, example, path, name, doc, meta, keep_batchnorm=True)
        if m is None:
            sys.exit(f"{path}: the python onnx package is needed to check the exported graph (apt-get install python3-onnx)")
        ops = [n.op_type for n in m.graph.node]
        print(f"  {name} graph: {' '.join(ops)}")
        if isinstance(model, DigitsResNet) and ops.count("BatchNormalization") != 4:
            sys.exit(f"{path}: expected 4 BatchNormalization nodes in the exported graph, got {ops.count('BatchNormalization')}")
        print(f"{name}: params={n_params} train_accuracy={tr_acc:.4f} test_accuracy={te_acc:.4f} ({os.path.getsize(path)} bytes)")

    write_split_csv(os.path.join(OUT, "digits_train.csv"), split.x_train, split.y_train)
    print(f"digits_train.csv: {len(split.y_train)} rows")
    write_readme(results, len(split.y_train), len(split.y_test))


SECTION_BEGIN = "<!-- begin: written by make_pruning_example.py -->"
SECTION_END = "<!-- end: written by make_pruning_example.py -->"


def write_readme(results: dict[str, tuple[float, float, int]], n_train: int, n_test: int) -> None:
    """Writes the pruning models' section of digits/README.md (replaced between its markers, or appended)."""
    rows = "\n".join(f"| `{name}.onnx` | {n} | {tr:.4f} | {te:.4f} |" for name, (tr, te, n) in results.items())
    section = f"""{SECTION_BEGIN}
## Models for pruning

Made for pruning (Prune Model…, `ptp prune`) on the same split as the models above by
[`../make_pruning_example.py`](../make_pruning_example.py) (this section is generated by it; do not edit):

```sh
/usr/bin/python3 examples/make_pruning_example.py
```

- Split: stratified `train_test_split(test_size={TEST_SIZE}, random_state={SEED})` → {n_train} training rows
  (`digits_train.csv`, same columns as `digits_test.csv`), {n_test} held-out rows (`digits_test.csv`).
- Training: PyTorch {torch.__version__.split('+')[0]}, Adam (lr {LR}), batch {BATCH}, {EPOCHS} epochs, cross-entropy, seeded,
  one thread, deterministic algorithms.
- Export: opset {OPSET}, `training=TrainingMode.PRESERVE` on the eval-mode model and no constant folding, so the
  ResNet's BatchNormalization nodes stay in the graph (structured pruning rewrites them).

| file | parameters | train accuracy | test accuracy |
| --- | ---: | ---: | ---: |
{rows}

| file | graph | input | output |
| --- | --- | --- | --- |
| `digits_resnet.onnx` | Div(16) → Conv(1→32)+BN+Relu → [Conv(32→32)+BN+Relu → Conv(32→32)+BN] + skip → Relu → Conv(32→64)+BN+Relu → GlobalAveragePool → Flatten → Gemm(64→10) | `input` float32 [batch, 1, 8, 8] | `logits` float32 [batch, 10] |
| `digits_mlp_wide.onnx` | Div(16) → Gemm(64→256) → Relu → Gemm(256→10) | `input` float32 [batch, 64] | `logits` float32 [batch, 10] |

`digits_mlp.onnx` (64→32→10 on the raw 0..16 pixels) loses about two points of accuracy to 50% global magnitude
pruning: it is narrow, and the unscaled inputs make its first layer's weights small, so one global threshold takes
mostly that layer. The wide MLP scales its inputs in the graph and has 256 hidden units; it is the one the pruning
tests hold to "within one point". Measure rather than trust this: `ptp prune <model> --sensitivity --data
digits_test.csv` shows how each layer takes pruning.

Removing a quarter of the ResNet's channels (`--method structured --sparsity 0.25`) costs most of its accuracy
until the pruned model is fine-tuned: `--finetune digits_train.csv` trains it back toward the unpruned model on
the training rows (distillation, a few epochs) before it is evaluated on `digits_test.csv`. Keep the two apart:
fine-tune on the training split, evaluate on the held-out one.
{SECTION_END}
"""
    path = os.path.join(OUT, "README.md")
    text = open(path).read() if os.path.exists(path) else ""
    if SECTION_BEGIN in text and SECTION_END in text:
        head, rest = text.split(SECTION_BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(SECTION_END, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
