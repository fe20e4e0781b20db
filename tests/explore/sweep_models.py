"""Small models and a sweep shared by the explore tests and their subprocesses.

Run as a script (``python -m tests.explore.sweep_models STORE``) it runs
:func:`sweep` into the store STORE, so a test can kill it mid-sweep.
"""
import sys

import numpy as np

import tcmcompose as tc
from tcmcompose.masses.library import JansenRit

SPACE = {"JR.mu": [0.1, 0.15, 0.2, 0.25, 0.3], "JR.A": [3.0, 3.25, 3.5]}


def noisy_jr(n=4):
    rng = np.random.default_rng(3)
    W = rng.random((n, n)) * (rng.random((n, n)) < 0.5)
    np.fill_diagonal(W, 0.0)
    D = rng.uniform(1.0, 20.0, (n, n))
    node = tc.Node("jr", {"JR": JansenRit(noise={"y4": 5.0})})
    return tc.Network([node] * n, W, D, couplings=[tc.Coupling("JR.rate", "JR.c", gain=1.0)])


def metrics():
    M = tc.explore.metrics
    return {"mean": M.mean_value("JR.v", discard_ms=100.0), "peak": M.psd_peak("JR.v", segment_ms=500.0),
            "R": M.kuramoto("JR.v")}


def sweep(model, store=None, **kw):
    kw.setdefault("workers", 2)
    kw.setdefault("chunk", 2)
    kw.setdefault("progress", False)
    return tc.explore(model, SPACE, 600.0, 0.1, metrics=metrics(), method="stochastic_heun", seed=5,
                      record=["JR.v"], every=10, store=store, **kw)


if __name__ == "__main__":
    import time
    model = tc.build(noisy_jr())
    # slow enough to be killed mid-sweep: one point per chunk, and a pause per chunk
    sweep(model, sys.argv[1], chunk=1, workers=1, progress=lambda done, total: time.sleep(0.3))
