"""Catalogue models added for issue 17, each pinned to an exact solution or an
independent NumPy transcription, with its defaults written out as numbers."""
import math

import numpy as np
import pytest
from scipy.optimize import fsolve

import tcmcompose as tc
from tcmcompose.analysis.fixed_point import fixed_point
from tests.helpers import fd_jacobian, max_row_relative_error

W_PAIR = np.array([[0.0, 0.8], [0.5, 0.0]])
D_PAIR = np.array([[0.0, 2.0], [3.0, 0.0]])


def series(res, name):
    return np.asarray(res[name])


# ------------------------------------------------------------------ Stuart-Landau
@pytest.fixture(scope="module")
def sl_pair():
    m = tc.get_model("stuart_landau")
    return tc.build(tc.Network([m] * 2, W_PAIR, D_PAIR, couplings=[
        tc.Coupling("stuart_landau.x", "stuart_landau.u_x", gain=0.1, kind="diffusive")]))


def test_stuart_landau_defaults():
    assert tc.get_model("stuart_landau").params == dict(a=0.1, beta=0.1, omega=2 * math.pi * 0.01, gamma=0.0)


def test_stuart_landau_exact_polar_solution_with_shear(sl_pair):
    """Uncoupled nodes with different amplitude (a/beta) and shear (gamma) follow
    rho^2(t) = (a/b)/(1 + (a/(b rho0^2) - 1) e^{-2at}) and
    phi(t) = omega t - gamma (a/b)[t + ln((1 + C e^{-2at})/(1 + C))/(2a)]
    to RK4 accuracy; on the cycle the frequency is omega - gamma a/beta."""
    m = sl_pair
    m.set_weights(np.zeros((2, 2)))
    a, b, w, g = np.array([0.1, 0.05]), np.array([0.1, 0.2]), np.array([0.0628, 0.1]), np.array([0.0, 0.03])
    for p, v in dict(a=a, beta=b, omega=w, gamma=g).items():
        m.set_param(f"stuart_landau.{p}", v)
    x0 = np.array([0.3, 0.3, 0.0, 0.0])      # x for both nodes, then y
    res = m.simulate(100.0, 0.05, method="rk4", initial=x0)
    t = res.t
    C = a / (b * 0.09) - 1
    rho2 = (a / b) / (1 + C * np.exp(-2 * np.outer(t, a)))
    phi = np.outer(t, w) - g * (a / b) * (t[:, None] + np.log((1 + C * np.exp(-2 * np.outer(t, a))) / (1 + C)) / (2 * a))
    x, y = series(res, "stuart_landau.x"), series(res, "stuart_landau.y")
    assert np.max(np.abs(x - np.sqrt(rho2) * np.cos(phi))) < 1e-7
    assert np.max(np.abs(y - np.sqrt(rho2) * np.sin(phi))) < 1e-7
    m.set_weights(W_PAIR)
    for p, v in tc.get_model("stuart_landau").params.items():
        m.set_param(f"stuart_landau.{p}", v)


def test_stuart_landau_pair_jacobian(sl_pair):
    sl_pair.set_param("stuart_landau.gamma", 0.02)
    x = np.array([0.4, -0.7, 0.2, 0.9])
    assert max_row_relative_error(sl_pair.jacobian(x), fd_jacobian(sl_pair, x)) < 1e-6
    sl_pair.set_param("stuart_landau.gamma", 0.0)


# ------------------------------------------------------------------ damped oscillator (HORN)
@pytest.fixture(scope="module")
def horn_pair():
    m = tc.get_model("damped_oscillator")
    return tc.build(tc.Network([m] * 2, W_PAIR, D_PAIR, couplings=[
        tc.Coupling("damped_oscillator.x", "damped_oscillator.u", gain=1.0)]))


def test_damped_oscillator_defaults():
    p = tc.get_model("horn").params
    assert p == dict(omega=2 * math.pi / 28, gamma=0.01, alpha=0.04)   # Effenberger et al. 2025


def test_damped_oscillator_ring_down_and_rest_point(horn_pair):
    """Free ring-down: x(t) = e^{-gt}(x0 cos wd t + (v0 + g x0) sin(wd t)/wd),
    wd = sqrt(w^2 - g^2); with a constant input u the rest point is
    alpha tanh(u)/omega^2 (Newton on the compiled RHS)."""
    m = horn_pair
    m.set_weights(np.zeros((2, 2)))
    x0 = np.array([1.0, -0.5, 0.0, 0.02])          # x (two nodes), then v
    res = m.simulate(200.0, 0.05, method="rk4", initial=x0)
    w, g = 2 * math.pi / 28, 0.01
    wd = math.sqrt(w * w - g * g)
    t = res.t[:, None]
    exact = np.exp(-g * t) * (x0[:2] * np.cos(wd * t) + (x0[2:] + g * x0[:2]) * np.sin(wd * t) / wd)
    assert np.max(np.abs(series(res, "damped_oscillator.x") - exact)) < 1e-8
    m.u_base[:] = [0.7, -1.3]
    try:
        fp = fixed_point(m, x0=np.zeros(4))
        assert fp.converged
        assert np.allclose(fp.x[:2], 0.04 * np.tanh([0.7, -1.3]) / w ** 2, rtol=1e-9)
        assert np.allclose(fp.x[2:], 0.0, atol=1e-12)
    finally:
        m.u_base[:] = 0.0
        m.set_weights(W_PAIR)


def test_damped_oscillator_pair_jacobian(horn_pair):
    x = np.array([0.4, -0.7, 0.05, 0.02])
    assert max_row_relative_error(horn_pair.jacobian(x), fd_jacobian(horn_pair, x)) < 1e-6


# ------------------------------------------------------------------ Zetterberg-Jansen
ZJ_DEFAULTS = dict(He=3.25, Hi=22.0, ke=0.1, ki=0.05, e0=0.0025, rho_1=0.56, rho_2=6.0,   # TVB 2.x
                   gamma_1=135.0, gamma_2=108.0, gamma_3=33.75, gamma_4=33.75, gamma_5=15.0,
                   gamma_1T=1.0, gamma_2T=1.0, gamma_3T=1.0, P=0.12, U=0.12, Q=0.12)


def zj_rhs(s, c=0.0):
    """Zetterberg et al. (1978) column with TVB's defaults, written out independently."""
    He, Hi, ke, ki, e0, r1, r2 = 3.25, 22.0, 0.1, 0.05, 0.0025, 0.56, 6.0
    g1, g2, g3, g4, g5 = 135.0, 108.0, 33.75, 33.75, 15.0
    P = U = Q = 0.12

    def S(v):
        return 2 * e0 / (1 + np.exp(r1 * (r2 - v)))

    v1, y1, v2, y2, v3, y3, v4, y4, v5, y5, v6, v7 = s
    sc = S(c)
    return np.array([y1, He * ke * (g1 * S(v2 - v3) + U + sc) - 2 * ke * y1 - ke * ke * v1,
                     y2, He * ke * (g2 * S(v1) + P + sc) - 2 * ke * y2 - ke * ke * v2,
                     y3, Hi * ki * g4 * S(v4 - v5) - 2 * ki * y3 - ki * ki * v3,
                     y4, He * ke * (g3 * S(v2 - v3) + Q + sc) - 2 * ke * y4 - ke * ke * v4,
                     y5, Hi * ki * g5 * S(v4 - v5) - 2 * ki * y5 - ki * ki * v5,
                     y2 - y3, y4 - y5])


def zj_heun(duration, dt, s):
    out = []
    s = np.array(s, float)
    for _ in range(int(round(duration / dt))):
        k1 = zj_rhs(s)
        k2 = zj_rhs(s + dt * k1)
        s = s + 0.5 * dt * (k1 + k2)
        out.append(s)
    return np.array(out)


@pytest.fixture(scope="module")
def zj():
    return tc.build(tc.get_model("zetterberg_jansen"))


def test_zetterberg_jansen_defaults():
    assert tc.get_model("zetterberg_jansen").params == ZJ_DEFAULTS


def test_zetterberg_jansen_equals_numpy_heun(zj):
    s0 = np.array([1.0, 0.5, 8.0, -0.3, 4.0, 0.2, 3.0, 0.1, 2.0, -0.1, 4.0, 1.0])
    ref = zj_heun(150.0, 0.1, s0)
    res = zj.simulate(150.0, 0.1, method="heun", initial=s0)
    for k, s in enumerate(zj.state_index.get_level_values("state")):
        got = series(res, f"zetterberg_jansen.{s}")[:, 0][-len(ref):]
        assert np.max(np.abs(got - ref[:, k])) < 1e-9 * (1 + np.abs(ref[:, k]).max()), s


def test_zetterberg_jansen_rest_point_at_defaults(zj):
    """From rest the default column settles on a stable fixed point with
    pyramidal potential v2 - v3 = 9.1445 mV (fsolve on the NumPy transcription;
    v6 tracks v2 - v3)."""
    s = fsolve(lambda z: zj_rhs(np.r_[z, 0.0, 0.0])[:10], np.r_[20, 0, 20, 0, 10, 0, 8, 0, 5, 0])
    assert s[2] - s[4] == pytest.approx(9.1445, abs=1e-3)
    res = zj.simulate(4000.0, 0.1, method="heun", record=["zetterberg_jansen.v6"], every=10)
    v6 = series(res, "zetterberg_jansen.v6")[:, 0]
    assert v6[-1] == pytest.approx(s[2] - s[4], abs=1e-4)
    J = zj.jacobian(res.final_state)
    assert max_row_relative_error(J, fd_jacobian(zj, res.final_state)) < 1e-6
    lam = np.linalg.eigvals(J)
    assert np.sort(lam.real)[-3] < 0          # stable apart from the two integrator modes v6, v7
