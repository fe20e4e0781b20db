"""Speed of spectral prediction and fitting (issue 13).

    python benchmarks/bench_inference.py

1. One TCM column, 128 frequencies, from a parameter vector (set parameters,
   re-solve the fixed point, predict the CSD): ``SpectralModel.predict``
   (cached structure, compiled block-Woodbury resolvent) against the generic
   path (``fixed_point`` + ``predict_csd`` with a batched dense LU per frequency).
2. A 76-node Jansen-Rit network with delays: all 76 x 76 cross-spectra at 128
   frequencies, ``predict_csd`` (blocks) against the Python Woodbury path
   with the three-operand einsum it used before.
3. Sensitivities of the column's CSD (10 connection gains + 4 noise
   parameters): one Jacobian, a Variational Laplace iteration and a fit with
   analytic against finite-difference sensitivities.

4. Rightmost characteristic roots (delays exact) of that network.

Medians of repeated runs; note the machine load (printed) with the figures. On a
shared machine, multithreaded OpenBLAS dominates the noise: at load 2.5-2.9 on two
cores the same 76-node CSD took 0.2-8 s and the roots 0.9-10.6 s from one call to
the next, and 0.20 s / 0.46 s steadily with ``OPENBLAS_NUM_THREADS=1``.
"""
import os
import statistics
import sys
import time

import numpy as np

import tcmcompose as tc
from tcmcompose.inference.spectra import SpectralModel

sys.path.insert(0, os.path.dirname(__file__))
from bench_spectra import network  # noqa: E402


def median_time(fn, repeats=7):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def column():
    col = tc.TCMColumn(H_SP_SS=-1.0)
    model = tc.build(col)
    f = np.linspace(4, 100, 128)
    free = ["node.H_SP_SP", "node.H_SP_SI", "node.H_SI_SP", "node.H_SI_SI", "node.H_DP_SP", "node.H_TP_DP",
            "node.H_RC_TP", "node.Hn_SP_SP", "node.Gb_SP_SI", "node.H_DP_DP"]
    sm = SpectralModel(model, f, free, col.input_targets, col.lfp_weights, readout_free=False)
    theta = np.concatenate([np.full(len(free), 0.05), [0.0, 0.0, -3.0, 0.0]])
    t_new = median_time(lambda: sm.predict(theta))

    def generic():
        for name, v in zip(free, theta):
            model.set_param(name, v)
        x = tc.fixed_point(model).x
        tc.predict_csd(model, f, col.input_targets, col.lfp_weights, x=x, method="dense")
    t_old = median_time(generic)
    print(f"TCM column, 128 freqs, from a parameter vector: {t_new * 1e3:7.2f} ms (generic path "
          f"{t_old * 1e3:7.2f} ms, ratio {t_old / t_new:5.1f}x)")
    sensitivities(model, col, f, free, sm, theta)


def sensitivities(model, col, f, free, sm, theta):
    """Analytic against finite-difference sensitivities: one Jacobian of the CSD, a VL
    iteration and a whole fit (same data, same start)."""
    from tcmcompose.inference.spectra import feature_jacobian, features

    def fd_jacobian():          # what variational_laplace does without a jacobian: one-sided steps
        g0 = features(sm.predict(theta), "csd")
        for j in range(len(theta)):
            e = np.zeros(len(theta))
            e[j] = np.exp(-8.0)
            features(sm.predict(theta + e), "csd") - g0

    t_an = median_time(lambda: feature_jacobian(*sm.predict_with_gradient(theta), "csd"))
    t_fd = median_time(fd_jacobian)
    print(f"CSD Jacobian, {len(theta)} parameters: analytic {t_an * 1e3:7.2f} ms, finite differences "
          f"{t_fd * 1e3:7.2f} ms (ratio {t_fd / t_an:4.1f}x)")
    G = sm.predict(theta)
    data = G * np.exp(0.05 * np.random.default_rng(0).standard_normal(G.shape))
    rows = {}
    for jac in ("analytic", "fd"):
        iters = []
        t0 = time.perf_counter()
        fit = tc.fit_spectra(model, data, f, free, col.input_targets, col.lfp_weights, readout_free=False,
                             check_stability=None, max_iter=32, jacobian=jac,
                             callback=lambda d: iters.append(time.perf_counter()))
        t_fit = time.perf_counter() - t0
        per_iter = statistics.median(np.diff(iters)) if len(iters) > 2 else float("nan")
        rows[jac] = (per_iter, t_fit, fit.posterior.n_iter, fit.posterior.F)
        print(f"VL on one column, {len(theta)} parameters ({jac:>8} sensitivities): {per_iter * 1e3:7.1f} ms per "
              f"iteration, {t_fit:6.2f} s for {fit.posterior.n_iter} iterations, F = {fit.posterior.F:.2f}")
    print(f"  ratio fd/analytic: {rows['fd'][0] / rows['analytic'][0]:4.1f}x per iteration, "
          f"{rows['fd'][1] / rows['analytic'][1]:4.1f}x per fit")


def old_csd(H):
    return (2.0 / 1000.0) * np.einsum("fij,jk,flk->fil", H, np.eye(H.shape[2]), H.conj())


def network_csd():
    model = network(76)
    x = tc.fixed_point(model).x
    lin = tc.linearise(model, x)
    f = np.linspace(1, 100, 128)
    t_new = median_time(lambda: tc.predict_csd(lin, f, "JR.c", "JR.v"), repeats=3)
    t0 = time.perf_counter()
    H = tc.transfer_function(lin, f[:8], "JR.c", "JR.v", method="woodbury").H
    old_csd(H)
    t_old = (time.perf_counter() - t0) * 128 / 8
    print(f"76-node JR, all 76x76 CSDs at 128 freqs: {t_new:7.2f} s (before: Python Woodbury + 3-operand "
          f"einsum, extrapolated from 8 freqs: {t_old:7.1f} s)")


def network_roots():
    """Rightmost characteristic roots with delays of the same network (456 states),
    tracked from the 6 rightmost delay-free eigenpairs."""
    model = network(76)
    lin = tc.linearise(model, tc.fixed_point(model).x)
    t = median_time(lambda: lin.tracked_roots(n_start=6), repeats=3)
    root = lin.rightmost_root(n_start=6)
    print(f"76-node JR, 6 tracked characteristic roots: {t:7.2f} s (rightmost {root.real * 1e3:.2f} "
          f"{root.imag * 1e3:+.1f}i per s)")


if __name__ == "__main__":
    print("load average:", os.getloadavg())
    column()
    network_csd()
    network_roots()
    print("load average:", os.getloadavg())
