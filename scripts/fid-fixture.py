#!/usr/bin/env python3
"""Writes src/test/resources/fid-fixture.json.gz, the oracle FrechetDistanceTest and
FeatureStatisticsTest check against: three fixed 200x16 feature matrices (features rounded to
4 decimals, so Java parses exactly the numbers used here), their statistics (mean, covariance
with the n-1 denominator) and the Frechet distances by the textbook formula
||mu1-mu2||^2 + Tr(S1 + S2 - 2 sqrtm(S1 S2)) with scipy.linalg.sqrtm.

    /usr/bin/python3 scripts/fid-fixture.py      # needs numpy and scipy (apt-get install python3-scipy)

"a" and "b" have full-rank covariances with different means and shapes; "c" has rank 5 (the
rank-deficient case); "c_shift" is c + 0.125 (exact in binary), the same covariance shifted, which
makes S1 S2 singular.
"""
import gzip
import json
import pathlib

import numpy as np
import scipy.linalg

N, D = 200, 16
rng = np.random.default_rng(20240601)
a = np.round(rng.normal(size=(N, D)) @ rng.normal(size=(D, D)) * 0.5 + rng.normal(size=D), 4)
b = np.round(rng.normal(size=(N, D)) @ rng.normal(size=(D, D)) * 0.8 + 2.0 * rng.normal(size=D), 4)
# Multiples of 1/16 from small integers: exact in binary and in the JSON, so c really has rank 5.
c = (rng.integers(-20, 21, size=(N, 5)) @ rng.integers(-3, 4, size=(5, D)) + rng.integers(-8, 9, size=D)) / 16.0
features = {"a": a, "b": b, "c": c, "c_shift": c + 0.125}


def stats(x):
    return x.mean(axis=0), np.cov(x, rowvar=False, ddof=1)


def fid(x, y):
    mu1, s1 = stats(x)
    mu2, s2 = stats(y)
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean).real)


fixture = {
    "generator": "scripts/fid-fixture.py",
    "features": {k: v.tolist() for k, v in features.items() if k != "c_shift"},
    "c_shift": 0.125,
    "stats": {k: {"count": len(v), "mean": stats(v)[0].tolist(), "covariance": stats(v)[1].tolist()}
              for k, v in features.items()},
    "fid": {f"{p}|{q}": fid(features[p], features[q])
            for p, q in [("a", "b"), ("b", "a"), ("a", "c"), ("c", "b"), ("c", "c_shift")]},
    "covariance_rank": {k: int(np.linalg.matrix_rank(stats(v)[1])) for k, v in features.items()},
}
out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/fid-fixture.json.gz"
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(json.dumps(fixture).encode())
print(out, fixture["fid"], fixture["covariance_rank"])
