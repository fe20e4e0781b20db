"""Hand-written Numba twin of one TCM column (TCM_SPEC.md §1, reference ``tc_hilge2``).

This file does not import tcmcompose. It is the single-source thalamo-cortical model written
out by hand, for timing the generated kernel against (DESIGN.md, Performance principles) and
for checking it to round-off.

Fixed choices: one source, the prior mean (all theta = 0), background ``BE = 0.8``, input
``u = 0``, no delays, no extrinsic input; the SMOOTH firing (tcm_py)::

    m(V) = sigma(2/3 (V - V_R)) * (1 - sigma(V - 30)),   V_R = -52 + e^0 = -51 mV

the ELEMENTWISE NMDA block ``B(V) = 1/(1 + 0.2 exp(-0.062 V))`` and the H activation
``h(V) = 1 - 1/(1 + exp(-(2/3)(V + 30)))`` (§1.4-§1.6).

Units: time in **ms** (the spec's units box): ``C = [384 128 64 128 64 128 64 128]``,
rates ``kappa = 1/tau`` with tau = 2.2, 5, 100, 300, 160, 100 ms (AMPA, GABA-A, NMDA, GABA-B,
M, H). State ``x[p, k]``: populations SS, SP, SI, DP, DI, TP, RT, RC; states
V, g_AMPA, g_GABAA, g_NMDA, g_GABAB, g_M, g_H (§1.2 order).

Equations (§1.3, §1.7; templates of §2.2 written out as sums)::

    C_p V' = (-70 - V) + gA (60 - V) + gGA (-90 - V) + gGB (-100 - V)
             + gM (-52 - V) + gH (-30 - V) + gN (10 - V) B(V)
    g_r'   = (T_r - g_r) / tau_r
    T_AMPA = 2 (W_AMPA m + 0.8),  T_NMDA = 2 (W_NMDA m + 0.8),
    T_GABAA = T_GABAB = W_GABA m,  T_M = 4 m,  T_H = 4 h(V) on TP and RC (0 elsewhere).

Integrator: Heun, ``x~ = x + dt f(x)``, ``x_{n+1} = x + dt/2 (f(x) + f(x~))``.
"""
import time

import numpy as np
from numba import njit

# Reversal potentials, mV (§2.1).
_EL, _EA, _EGA, _EN, _EGB, _EM, _EH = -70.0, 60.0, -90.0, 10.0, -100.0, -52.0, -30.0
# Rates 1/tau in 1/ms (§1.7).
_kA, _kGA, _kN, _kGB, _kM, _kH = 1.0 / 2.2, 1.0 / 5.0, 1.0 / 100.0, 1.0 / 300.0, 1.0 / 160.0, 1.0 / 100.0
# Firing (§1.5, smooth form): threshold -52 + exp(0), slope 2/3, cut-off 30 mV with slope 1.
_VR = -51.0
_R = 2.0 / 3.0
_RS = 30.0
# NMDA block (§1.4) and background (§1.7).
_MG_A, _MG_K = 0.2, 0.062
_BE = 0.8


@njit(cache=True)
def _rhs(x, C_inv, m, dx):
    """dx/dt (per ms) of the column at state ``x`` (8, 7); ``m`` is (8,) scratch."""
    for p in range(8):
        V = x[p, 0]
        m[p] = (1.0 / (1.0 + np.exp(-_R * (V - _VR)))) * (1.0 - 1.0 / (1.0 + np.exp(-(V - _RS))))
    m0, m1, m2, m3, m4, m5, m6, m7 = m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]
    # Intrinsic drive, W_AMPA (= W_NMDA except SP<-SI, SI<-SI) and W_GABA of §2.2.
    ampa0 = 2.0 * m5 + 2.0 * m7          # SS <- TP, RC
    ampa1 = 2.0 * m0 + 2.0 * m1          # SP <- SS, SP
    ampa2 = 2.0 * m1                     # SI <- SP
    ampa3 = 2.0 * m1                     # DP <- SP
    ampa4 = 2.0 * m3                     # DI <- DP
    ampa5 = 2.0 * m3                     # TP <- DP
    ampa6 = 2.0 * m7                     # RT <- RC
    ampa7 = 2.0 * m0 + 2.0 * m5          # RC <- SS, TP
    nmda1 = ampa1 + 2.0 * m2             # SP <- SS, SP, SI
    nmda2 = ampa2 + 2.0 * m2             # SI <- SP, SI
    gaba0 = 8.0 * m0 + 10.0 * m2         # SS <- SS, SI
    gaba1 = 18.0 * m1 + 10.0 * m2        # SP <- SP, SI
    gaba2 = 10.0 * m2                    # SI <- SI
    gaba3 = 8.0 * m3 + 6.0 * m4          # DP <- DP, DI
    gaba4 = 14.0 * m4                    # DI <- DI
    gaba5 = 6.0 * m4 + 8.0 * m5          # TP <- DI, TP
    gaba6 = 8.0 * m6                     # RT <- RT
    gaba7 = 8.0 * m6 + 8.0 * m7          # RC <- RT, RC
    TA = (2.0 * (ampa0 + _BE), 2.0 * (ampa1 + _BE), 2.0 * (ampa2 + _BE), 2.0 * (ampa3 + _BE),
          2.0 * (ampa4 + _BE), 2.0 * (ampa5 + _BE), 2.0 * (ampa6 + _BE), 2.0 * (ampa7 + _BE))
    TN = (TA[0], 2.0 * (nmda1 + _BE), 2.0 * (nmda2 + _BE), TA[3], TA[4], TA[5], TA[6], TA[7])
    TG = (gaba0, gaba1, gaba2, gaba3, gaba4, gaba5, gaba6, gaba7)
    for p in range(8):
        V = x[p, 0]
        gA = x[p, 1]
        gGA = x[p, 2]
        gN = x[p, 3]
        gGB = x[p, 4]
        gM = x[p, 5]
        gH = x[p, 6]
        B = 1.0 / (1.0 + _MG_A * np.exp(-_MG_K * V))
        dx[p, 0] = ((_EL - V) + gA * (_EA - V) + gGA * (_EGA - V) + gGB * (_EGB - V)
                    + gM * (_EM - V) + gH * (_EH - V) + gN * (_EN - V) * B) * C_inv[p]
        dx[p, 1] = _kA * (TA[p] - gA)
        dx[p, 2] = _kGA * (TG[p] - gGA)
        dx[p, 3] = _kN * (TN[p] - gN)
        dx[p, 4] = _kGB * (TG[p] - gGB)
        dx[p, 5] = _kM * (4.0 * m[p] - gM)
        if p == 5 or p == 7:             # H channel on TP and RC only
            hT = 4.0 * (1.0 - 1.0 / (1.0 + np.exp(-_R * (V - _EH))))
        else:
            hT = 0.0
        dx[p, 6] = _kH * (hT - gH)


@njit(cache=True)
def _heun(x, n_steps, dt):
    C_inv = 1.0 / np.array([384.0, 128.0, 64.0, 128.0, 64.0, 128.0, 64.0, 128.0])
    m = np.empty(8)
    k1 = np.empty((8, 7))
    k2 = np.empty((8, 7))
    xt = np.empty((8, 7))
    half = 0.5 * dt
    for _ in range(n_steps):
        _rhs(x, C_inv, m, k1)
        for p in range(8):
            for k in range(7):
                xt[p, k] = x[p, k] + dt * k1[p, k]
        _rhs(xt, C_inv, m, k2)
        for p in range(8):
            for k in range(7):
                x[p, k] = x[p, k] + half * (k1[p, k] + k2[p, k])
    return x


def simulate_tcm_column_handwritten(x0, n_steps, dt):
    """Integrate one TCM column with Heun at fixed ``dt`` (ms) for ``n_steps`` steps.

    ``x0`` is (8, 7): populations SS, SP, SI, DP, DI, TP, RT, RC by states
    V, g_AMPA, g_GABAA, g_NMDA, g_GABAB, g_M, g_H. Returns the (8, 7) final state.
    """
    x = np.array(x0, dtype=np.float64, order="C", copy=True)
    if x.shape != (8, 7):
        raise ValueError("x0 must be (8, 7)")
    return _heun(x, int(n_steps), float(dt))


def rhs_ms(x):
    """The column's dx/dt per ms at ``x`` (8, 7), for checks against other implementations."""
    x = np.array(x, dtype=np.float64, order="C", copy=True)
    dx = np.empty((8, 7))
    _rhs(x, 1.0 / np.array([384.0, 128.0, 64.0, 128.0, 64.0, 128.0, 64.0, 128.0]), np.empty(8), dx)
    return dx


def default_x0():
    """A start near the prior-mean fixed point: V = -52 mV, conductances at rough targets."""
    x0 = np.zeros((8, 7))
    x0[:, 0] = -52.0
    x0[:, 1] = x0[:, 3] = 3.0
    x0[:, 2] = x0[:, 4] = 4.0
    x0[:, 5] = 1.0
    x0[[5, 7], 6] = 4.0
    return x0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=200000)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    x0 = default_x0()
    t0 = time.perf_counter()
    simulate_tcm_column_handwritten(x0, 10, args.dt)   # warm-up / compile
    print(f"warm-up (compile or cache load): {time.perf_counter() - t0:.2f} s")
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        xf = simulate_tcm_column_handwritten(x0, args.steps, args.dt)
        times.append(time.perf_counter() - t0)
    med = float(np.median(times))
    print(f"TCM column hand-written: {args.steps} steps, dt={args.dt} ms, median {med * 1e3:.1f} ms; "
          f"final V = {np.round(xf[:, 0], 3)}")
    print(f"{args.steps / med:.3e} node*steps/s (node = one 8-population column; "
          f"{8 * args.steps / med:.3e} population*steps/s)")
