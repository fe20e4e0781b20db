"""Zerlaut / di Volo AdEx mean field: defaults pinned, its equations against an
independent NumPy transcription of di Volo et al. (2019) Eqs. 4-11; the compiled
model (RHS, trajectory, steady state, Jacobian) in slow tests, as generating its
kernels takes about 40 s of SymPy work on a cold cache."""
import numpy as np
import pytest
from scipy.optimize import fsolve
from scipy.special import erfc

import sympy as sp

import tcmcompose as tc
from tcmcompose.masses.library import ZerlautAdEx
from tests.helpers import fd_jacobian, max_row_relative_error

PE = [-0.04983106, 0.005063550882777035, -0.023470121807314552, 0.0022951513725067503,
      -0.0004105302652029825, 0.010547051343547399, -0.03659252821136933, 0.007437487505797858,
      0.001265064721846073, -0.04072161294490446]
PI = [-0.05149122024209484, 0.004003689190271077, -0.008352013668528155, 0.0002414237992765705,
      -0.0005070645080016026, 0.0014345394104282397, -0.014686689498949967, 0.004502706285435741,
      0.0028472190352532454, -0.015357804594594548]


def transfer(E, I, ext, W, EL, P):
    """di Volo et al. (2019): rate (kHz) of a cell population, numbers written in."""
    gL, Cm, Qe, Qi, te, ti, Ee, Ei = 10.0, 200.0, 1.5, 5.0, 5.0, 5.0, 0.0, -80.0
    fe = (E + 1e-6) * 0.8 * 0.05 * 10000 + ext * 400
    fi = (I + 1e-6) * 0.2 * 0.05 * 10000
    Ge, Gi = Qe * te * fe, Qi * ti * fi
    G = gL + Ge + Gi
    Tm = Cm / G
    mu = (Ge * Ee + Gi * Ei + gL * EL - W) / G
    Ue, Ui = Qe / G * (Ee - mu), Qi / G * (Ei - mu)
    sig = np.sqrt(fe * (Ue * te) ** 2 / (2 * (te + Tm)) + fi * (Ui * ti) ** 2 / (2 * (ti + Tm)))
    Tv = (fe * (Ue * te) ** 2 + fi * (Ui * ti) ** 2) / (fe * (Ue * te) ** 2 / (te + Tm) + fi * (Ui * ti) ** 2 / (ti + Tm))
    V, S, T = (mu + 60) / 10, (sig - 4) / 6, Tv * gL / Cm - 0.5
    thr = 1e3 * (P[0] + P[1] * V + P[2] * S + P[3] * T + P[4] * V * V + P[5] * S * S + P[6] * T * T
                 + P[7] * V * S + P[8] * V * T + P[9] * S * T)
    return erfc((thr - mu) / (np.sqrt(2) * sig)) / (2 * Tv), mu


def rhs(x, ext):
    E, I, We, Wi = x
    Fe, mue = transfer(E, I, ext, We, -65.0, PE)
    Fi, _ = transfer(E, I, ext, Wi, -65.0, PI)
    return np.array([(Fe - E) / 20.0, (Fi - I) / 20.0, -We / 500.0 + 60.0 * E + 4.0 * (mue + 65.0) / 500.0,
                     -Wi / 1.0])


def test_equations_equal_numpy_transcription():
    """The mass's SymPy equations at its defaults, lambdified (no code generation)."""
    m = ZerlautAdEx()
    args = [m.symbols[n] for n in ["E", "I", "W_e", "W_i", "c"]]
    subs = {m.symbols[p]: v for p, v in m.params.items()}
    f = [sp.lambdify(args, m.equations[s].xreplace(subs), "numpy") for s in m.states]
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = np.array([rng.uniform(0.001, 0.03), rng.uniform(0.002, 0.06), rng.uniform(0, 100), rng.uniform(0, 5)])
        got = np.array([fk(*x, 0.0025) for fk in f])
        assert np.allclose(got, rhs(x, 0.0025), rtol=1e-10, atol=1e-14)
    ref = fsolve(lambda z: rhs(z, 0.0025), [0.002, 0.008, 30.0, 0.0], xtol=1e-13)
    assert 0.0 < ref[0] < ref[1] < 0.05 and abs(ref[3]) < 1e-12


@pytest.fixture(scope="module")
def zerlaut():
    return tc.build(ZerlautAdEx())


def test_defaults_pinned():
    p = ZerlautAdEx().params
    assert p == dict(g_L=10.0, E_L_e=-65.0, E_L_i=-65.0, C_m=200.0, a_e=4.0, b_e=60.0, a_i=0.0, b_i=0.0,
                     tau_w_e=500.0, tau_w_i=1.0, E_e=0.0, E_i=-80.0, Q_e=1.5, Q_i=5.0, tau_e=5.0, tau_i=5.0,
                     N_tot=10000.0, p_e=0.05, p_i=0.05, g=0.2, K_ext_e=400.0, T=20.0, nu_0=1e-6)


@pytest.mark.slow
def test_rhs_and_trajectory_equal_numpy_transcription(zerlaut):
    rng = np.random.default_rng(0)
    zerlaut.u_base[:] = 0.0025                       # 2.5 Hz external drive
    try:
        for _ in range(5):
            x = np.array([rng.uniform(0.001, 0.03), rng.uniform(0.002, 0.06), rng.uniform(0, 100), 0.0])
            assert np.allclose(zerlaut.rhs(x), rhs(x, 0.0025), rtol=1e-10, atol=1e-14)
        x0 = np.array([0.01, 0.02, 20.0, 0.0])
        res = zerlaut.simulate(200.0, 0.1, method="rk4", initial=x0)
        y = x0.copy()
        for _ in range(2000):
            k1 = rhs(y, 0.0025)
            k2 = rhs(y + 0.05 * k1, 0.0025)
            k3 = rhs(y + 0.05 * k2, 0.0025)
            k4 = rhs(y + 0.1 * k3, 0.0025)
            y = y + 0.1 / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        assert np.allclose(res.final_state, y, rtol=1e-9, atol=1e-12)
    finally:
        zerlaut.u_base[:] = 0.0


@pytest.mark.slow
def test_steady_state_and_jacobian(zerlaut):
    """With a 2.5 Hz drive the network settles in a low-rate asynchronous state:
    fsolve on the NumPy transcription and Newton on the compiled model agree."""
    zerlaut.u_base[:] = 0.0025
    try:
        ref = fsolve(lambda z: rhs(z, 0.0025), [0.002, 0.008, 30.0, 0.0], xtol=1e-13)
        fp = tc.fixed_point(zerlaut, x0=np.array([0.002, 0.008, 30.0, 0.0]))
        assert fp.converged and np.allclose(fp.x, ref, rtol=1e-7, atol=1e-12)
        assert 0.0 < ref[0] < ref[1] < 0.05               # E slower than I, both below 50 Hz
        x = fp.x + np.array([1e-3, 2e-3, 5.0, 0.1])
        assert max_row_relative_error(zerlaut.jacobian(x), fd_jacobian(zerlaut, x, floor=1e-3)) < 1e-6
        assert np.all(np.linalg.eigvals(zerlaut.jacobian(fp.x)).real < 0)
    finally:
        zerlaut.u_base[:] = 0.0
