"""The numpy/scipy side of `npm run bench -- drift`: the same statistics ptp drift computes by default for
these files (Evidently's choice at > 1000 reference rows: wasserstein / std for the numerical columns,
Jensen-Shannon distance of the shares for the categorical ones), reading the same CSVs with numpy.
Prints one JSON line: seconds, peak RSS, drifted columns."""
import json
import resource
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

NUMERIC = int(sys.argv[3]) if len(sys.argv) > 3 else 18


def read(path):
    num = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(NUMERIC))
    cat = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(NUMERIC, NUMERIC + 1), dtype=str)
    return num, cat


t0 = time.perf_counter()
ref_num, ref_cat = read(sys.argv[1])
cur_num, cur_cat = read(sys.argv[2])
drifted = 0
for j in range(NUMERIC):
    d = wasserstein_distance(ref_num[:, j], cur_num[:, j]) / max(np.std(ref_num[:, j]), 0.001)
    drifted += d >= 0.1
for j in range(ref_cat.shape[1]):
    keys = np.union1d(ref_cat[:, j], cur_cat[:, j])
    p = np.array([np.count_nonzero(ref_cat[:, j] == k) for k in keys]) / len(ref_cat)
    q = np.array([np.count_nonzero(cur_cat[:, j] == k) for k in keys]) / len(cur_cat)
    drifted += jensenshannon(p, q) >= 0.1
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "drifted": int(drifted), "columns": NUMERIC + ref_cat.shape[1]}))
