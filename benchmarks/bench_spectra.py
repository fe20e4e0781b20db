"""Spectral prediction speed (issue 5): 128 frequencies per spectrum.

    python benchmarks/bench_spectra.py

Cases: a 4-node Jansen-Rit network with delays (24 states) and a 76-node one
(456 states, 30 % dense, delays 1-30 ms). For each: the time of one full
linearisation (pieces at a given state) and of one 128-frequency transfer
function with the delays (a factorisation per frequency: dense LU for small,
sparse LU for large models), and, for the same network without delays, the
eigendecomposition path that reuses one factorisation for every frequency.
A parameter edit followed by a new spectrum rebuilds nothing (timed too).
Medians of 5 runs.
"""
import statistics
import time

import numpy as np

import tcmcompose as tc
from tcmcompose.masses.library import JansenRit


def network(n, seed=0, delays=True):
    rng = np.random.default_rng(seed)
    W = rng.random((n, n)) * (rng.random((n, n)) < (0.3 if n > 4 else 0.6))
    np.fill_diagonal(W, 0)
    D = rng.uniform(1, 30, (n, n)) if delays else np.zeros((n, n))
    return tc.build(tc.Network([tc.Node("jr", {"JR": JansenRit().with_params(mu=0.09)})] * n, W, D,
                               couplings=[tc.Coupling("JR.rate", "JR.c", gain=5.0 if n <= 4 else 1.0)]))


def median_time(fn, repeats=5):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def main():
    freqs = np.linspace(1, 100, 128)
    print(f"{'case':<34} {'states':>6} {'linearise':>10} {'spectrum':>10} {'per freq':>10}")
    for n in (4, 76):
        for delays in (True, False):
            model = network(n, delays=delays)
            x = tc.fixed_point(model).x
            lin = tc.linearise(model, x)
            t_lin = median_time(lambda: tc.linearise(model, x))
            method = "auto"
            t_tf = median_time(lambda: tc.transfer_function(lin, freqs, "JR.c", "JR.v", method=method))
            label = f"JR {n} nodes, {'delays (LU per f)' if delays else 'no delays (one eig)'}"
            print(f"{label:<34} {lin.n:>6} {t_lin * 1e3:>8.2f}ms {t_tf * 1e3:>8.2f}ms {t_tf / 128 * 1e6:>8.1f}us")
            if delays:
                def edit_and_recompute():
                    model.set_param("JR.A", 3.3)
                    tc.transfer_function(tc.linearise(model, x), freqs, "JR.c", "JR.v")
                t_edit = median_time(edit_and_recompute)
                print(f"{'  + parameter edit, re-linearise':<34} {'':>6} {'':>10} {t_edit * 1e3:>8.2f}ms")


if __name__ == "__main__":
    main()
