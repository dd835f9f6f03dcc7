"""Makes the tabular examples: a credit-approval classifier exported the way sklearn-onnx writes classifiers
(Scaler -> LinearClassifier -> label + probabilities -> ZipMap), with a held-out CSV that carries a sensitive
attribute and an id column; and a diabetes-progression regressor (Ridge) with its held-out CSV.

Run with Debian's python3 (python3-sklearn, python3-onnx, python3-numpy):  /usr/bin/python3 examples/make_tabular.py
Deterministic: fixed seeds; re-running gives byte-identical files.
"""
import csv
import os

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))


def seq_of_map_int64_float():
    """TypeProto seq(map(int64, tensor(float))) — what ZipMap produces (onnx 1.12 has no map helper)."""
    t = onnx.TypeProto()
    m = t.sequence_type.elem_type.map_type
    m.key_type = TensorProto.INT64
    m.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return t


def credit():
    """Synthetic credit applications. Labels depend on the features and, through a biased historical
    process, on the group, so that fairness metrics have something to find. The model never sees `sex`."""
    rng = np.random.default_rng(7)
    n = 3000
    sex = rng.choice(["F", "M"], size=n, p=[0.45, 0.55])
    income = rng.lognormal(mean=10.6, sigma=0.45, size=n) / 1000.0  # thousands
    income = np.where(sex == "F", income * 0.88, income)  # a pay gap the features carry
    debt_ratio = np.clip(rng.beta(2, 5, size=n), 0, 1)
    age = rng.integers(19, 75, size=n).astype(float)
    years_employed = np.clip(rng.normal((age - 18) * 0.35, 3), 0, None)
    n_accounts = rng.poisson(3, size=n).astype(float)
    late_payments = rng.poisson(np.where(debt_ratio > 0.4, 1.5, 0.4)).astype(float)
    z = (0.045 * income - 4.0 * debt_ratio + 0.06 * years_employed - 0.55 * late_payments
         + 0.05 * n_accounts + 0.01 * (age - 40) - 0.9 + np.where(sex == "M", 0.35, 0.0))
    approved = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    feats = np.stack([income, debt_ratio, age, years_employed, n_accounts, late_payments], axis=1).astype(np.float32)
    names = ["income_k", "debt_ratio", "age", "years_employed", "n_accounts", "late_payments"]
    ids = np.arange(100000, 100000 + n)
    Xtr, Xte, ytr, yte, str_, ste, idtr, idte = train_test_split(
        feats, approved, sex, ids, test_size=0.3, random_state=0, stratify=approved)
    scaler = StandardScaler().fit(Xtr)
    clf = LogisticRegression(max_iter=1000).fit(scaler.transform(Xtr), ytr)
    acc_tr = accuracy_score(ytr, clf.predict(scaler.transform(Xtr)))
    acc_te = accuracy_score(yte, clf.predict(scaler.transform(Xte)))

    w = clf.coef_[0].astype(np.float32)
    b = float(clf.intercept_[0])
    nodes = [
        helper.make_node("Scaler", ["features"], ["scaled"], domain="ai.onnx.ml",
                         offset=scaler.mean_.astype(np.float32).tolist(),
                         scale=(1.0 / scaler.scale_).astype(np.float32).tolist(), name="Scaler"),
        helper.make_node("LinearClassifier", ["scaled"], ["label", "probabilities"], domain="ai.onnx.ml",
                         coefficients=np.concatenate([-w, w]).tolist(), intercepts=[-b, b],
                         classlabels_ints=[0, 1], post_transform="LOGISTIC", name="LinearClassifier"),
        helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                         classlabels_int64s=[0, 1], name="ZipMap"),
    ]
    graph = helper.make_graph(
        nodes, "credit_logreg",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", len(names)])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
         helper.make_value_info("output_probability", seq_of_map_int64_float()),
         ])
    model = helper.make_model(graph, producer_name="ptp-examples", producer_version="1",
                              opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 1)])
    model.ir_version = 8
    model.doc_string = ("Credit approval (synthetic data): StandardScaler + LogisticRegression, exported in the "
                        "sklearn-onnx layout. Features: " + ", ".join(names) + ". Not trained on `sex`.")
    for k, v in {"dataset": "synthetic credit applications (examples/make_tabular.py)",
                 "train_accuracy": f"{acc_tr:.4f}", "test_accuracy": f"{acc_te:.4f}",
                 "sensitive_attribute": "sex (in the CSV, never a model input)"}.items():
        e = model.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "credit", "credit_logreg.onnx"))
    with open(os.path.join(HERE, "credit", "credit_test.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["applicant_id"] + names + ["sex", "label"])
        for i in range(len(yte)):
            wr.writerow([int(idte[i])] + [f"{v:.4f}" for v in Xte[i]] + [ste[i], int(yte[i])])
    return acc_tr, acc_te, len(yte)


def diabetes():
    d = load_diabetes()
    X = d.data.astype(np.float32)
    y = d.target.astype(np.float32)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
    reg = Ridge(alpha=0.1).fit(Xtr, ytr)
    r2_tr, r2_te = r2_score(ytr, reg.predict(Xtr)), r2_score(yte, reg.predict(Xte))
    W = helper.make_tensor("W", TensorProto.FLOAT, [X.shape[1], 1], reg.coef_.astype(np.float32).tolist())
    B = helper.make_tensor("B", TensorProto.FLOAT, [1], [float(reg.intercept_)])
    nodes = [helper.make_node("MatMul", ["features", "W"], ["mm"], name="MatMul"),
             helper.make_node("Add", ["mm", "B"], ["progression"], name="Add")]
    graph = helper.make_graph(nodes, "diabetes_ridge",
                              [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", X.shape[1]])],
                              [helper.make_tensor_value_info("progression", TensorProto.FLOAT, ["N", 1])], [W, B])
    model = helper.make_model(graph, producer_name="ptp-examples", producer_version="1",
                              opset_imports=[helper.make_opsetid("", 15)])
    model.ir_version = 8
    model.doc_string = "Diabetes progression one year after baseline (sklearn load_diabetes), Ridge(alpha=0.1)."
    for k, v in {"dataset": "sklearn diabetes", "train_r2": f"{r2_tr:.4f}", "test_r2": f"{r2_te:.4f}"}.items():
        e = model.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "diabetes", "diabetes_ridge.onnx"))
    with open(os.path.join(HERE, "diabetes", "diabetes_test.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(list(d.feature_names) + ["target"])
        for i in range(len(yte)):
            wr.writerow([f"{v:.6f}" for v in Xte[i]] + [f"{yte[i]:.1f}"])
    return r2_tr, r2_te, len(yte)


if __name__ == "__main__":
    a = credit()
    r = diabetes()
    with open(os.path.join(HERE, "credit", "README.md"), "w") as f:
        f.write("# Credit approval (synthetic)\n\nMade by `examples/make_tabular.py` (seeded). A StandardScaler + "
                "LogisticRegression exported in the sklearn-onnx layout (Scaler → LinearClassifier → label + "
                "probabilities → ZipMap).\n\n"
                f"- train accuracy {a[0]:.4f}, held-out accuracy {a[1]:.4f} on {a[2]} rows (`credit_test.csv`)\n"
                "- `sex` is a sensitive attribute for fairness analysis: in the CSV, never a model input; "
                "`applicant_id` is an id column, never fed to the model.\n"
                "- The data are synthetic with a deliberate historical bias, so fairness metrics have something to find.\n")
    with open(os.path.join(HERE, "diabetes", "README.md"), "w") as f:
        f.write("# Diabetes progression (regression)\n\nMade by `examples/make_tabular.py` from scikit-learn's bundled "
                "diabetes dataset: Ridge(alpha=0.1) as MatMul + Add.\n\n"
                f"- train R² {r[0]:.4f}, held-out R² {r[1]:.4f} on {r[2]} rows (`diabetes_test.csv`, label column `target`)\n")
    print("credit", a, "diabetes", r)
