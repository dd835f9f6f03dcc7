"""What make_examples.py and make_pruning_example.py share: the digits split, seeding, the training loop,
accuracy, the ONNX export with its descriptive fields, and the split CSVs.

Both scripts import it from this folder (they are run as `/usr/bin/python3 examples/<script>.py`, which puts
examples/ on the import path). Changing anything here changes the files both scripts write: the split must stay
the one digits_test.csv holds.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

if TYPE_CHECKING:
    import onnx

SEED = 0
TEST_SIZE = 0.25
OPSET = 13
EPOCHS = 60
BATCH = 64
LR = 1e-3

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "digits")


@dataclass(frozen=True)
class Split:
    """The stratified train/test split of load_digits: raw intensities 0..16 as float32, labels as int64."""

    x_train: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def load_split() -> Split:
    digits = load_digits()
    x_all = digits.data.astype(np.float32)  # (1797, 64), values 0..16
    y_all = digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x_all, y_all, test_size=TEST_SIZE, stratify=y_all, random_state=SEED)
    return Split(x_tr, x_te, y_tr, y_te)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(x.shape[0], generator=gen)
        for i in range(0, x.shape[0], BATCH):
            idx = perm[i : i + BATCH]
            if len(idx) < 2:  # BatchNorm needs more than one row per batch in training mode
                continue
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    model.eval()


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return float((model(x).argmax(dim=1) == y).float().mean())


def fit(
    cls: Callable[[], nn.Module], shape: Callable[[torch.Tensor], torch.Tensor], split: Split, seed: int
) -> tuple[nn.Module, float, float, int]:
    """Seeds everything with `seed`, builds and trains the model; returns it, train and test accuracy, parameters."""
    xt_tr, xt_te = torch.from_numpy(split.x_train), torch.from_numpy(split.x_test)
    yt_tr, yt_te = torch.from_numpy(split.y_train), torch.from_numpy(split.y_test)
    seed_everything(seed)
    model = cls()
    train(model, shape(xt_tr), yt_tr, seed)
    tr_acc = accuracy(model, shape(xt_tr), yt_tr)
    te_acc = accuracy(model, shape(xt_te), yt_te)
    n_params = sum(p.numel() for p in model.parameters())
    return model, tr_acc, te_acc, n_params


def common_meta(split: Split, made_by: str) -> dict[str, str]:
    """The metadata_props every digits model carries (accuracies are added per model)."""
    return {
        "dataset": "sklearn digits (load_digits), 8x8 grey images, 10 classes",
        "split": f"stratified train_test_split test_size={TEST_SIZE} random_state={SEED}",
        "train_rows": str(len(split.y_train)),
        "test_rows": str(len(split.y_test)),
        "input_range": "raw pixel intensities 0..16 as float32, no scaling",
        "labels": "0,1,2,3,4,5,6,7,8,9",
        "test_data": "digits_test.csv",
        "made_by": made_by,
    }


def export(
    model: nn.Module, example: torch.Tensor, path: str, name: str, doc: str, meta: dict[str, str], keep_batchnorm: bool = False
) -> Optional[onnx.ModelProto]:
    """Exports `model` (input `input`, output `logits`, symbolic batch) and sets the graph name, doc strings,
    model_version and metadata_props, then runs onnx.checker. Returns the saved model, or None when the python onnx
    package is missing (the file is then torch's export as is).

    keep_batchnorm: export the eval-mode model with TrainingMode.PRESERVE and no constant folding, so the
    BatchNormalization nodes stay in the graph instead of being folded into the convolutions.
    """
    torch.onnx.export(
        model,
        example,
        path,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=not keep_batchnorm,
        training=torch.onnx.TrainingMode.PRESERVE if keep_batchnorm else torch.onnx.TrainingMode.EVAL,
    )
    try:
        import onnx
    except ImportError:  # the model is still valid, only without the descriptive fields
        print(f"  (python onnx package missing: {os.path.basename(path)} keeps torch's defaults)", file=sys.stderr)
        return None
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
    return m


def write_split_csv(path: str, x: np.ndarray, y: np.ndarray) -> None:
    """Header pixel_0..pixel_63,label; one image per line as integers 0..16 and its digit."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([f"pixel_{i}" for i in range(64)] + ["label"])
        for row, label in zip(x.astype(np.int64), y):
            w.writerow([int(v) for v in row] + [int(label)])
