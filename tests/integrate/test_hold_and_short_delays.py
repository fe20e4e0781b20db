"""Stimulus zero-order hold vs linear interpolation; sub-step delays rounded to zero on request."""
import numpy as np
import pytest

import tcmcompose as tc

from ..conftest import linear_mass

DT, T, TAU = 0.1, 5.0, 10.0


def _numpy(u, method, hold):
    """x' = -x/tau + u(t) from x = 1, u on the step grid; stages read u_n (hold) or interpolate."""
    f = lambda x, v: -x / TAU + v  # noqa: E731
    x, out = 1.0, [1.0]
    for n in range(int(round(T / DT))):
        a, b = u[n], u[n + 1]
        mid = a if hold else 0.5 * (a + b)
        end = a if hold else b
        if method == "heun":
            k1 = f(x, a)
            k2 = f(x + DT * k1, end)
            x = x + 0.5 * DT * (k1 + k2)
        else:
            k1 = f(x, a)
            k2 = f(x + 0.5 * DT * k1, mid)
            k3 = f(x + 0.5 * DT * k2, mid)
            k4 = f(x + DT * k3, end)
            x = x + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(x)
    return np.array(out)


@pytest.mark.parametrize("method", ["heun", "rk4"])
def test_zero_order_hold_and_linear_interpolation_equal_their_numpy_loops(linear_model, method):
    t = np.arange(int(round(T / DT)) + 1) * DT
    u = np.sin(2 * np.pi * t / 1.3) + 0.3 * t          # varies within a step: the two reads differ
    runs = {}
    for hold in ("linear", "zoh"):
        res = linear_model.simulate(T, DT, method=method, stimuli={"linear.u": u}, stimulus_hold=hold)
        runs[hold] = res["linear.x"][:, 0]
        np.testing.assert_allclose(runs[hold], _numpy(u, method, hold == "zoh"), rtol=1e-13, atol=1e-13)
        assert res.info["stimulus_hold"] == hold
    assert np.abs(runs["zoh"] - runs["linear"]).max() > 1e-3
    # one stimulus can differ from the run's choice
    held = linear_model.simulate(T, DT, method=method, stimuli={"linear.u": tc.stimulus.hold(u, "zoh")})
    assert np.array_equal(held["linear.x"][:, 0], runs["zoh"])
    with pytest.raises(tc.ModelError, match=r"stimulus_hold='step'; choose one of \['linear', 'zoh'\]"):
        linear_model.simulate(T, DT, stimuli={"linear.u": u}, stimulus_hold="step")


@pytest.fixture(scope="module")
def pair():
    def build(d):
        D = np.array([[0.0, d], [2.0, 0.0]])
        W = np.array([[0.0, 0.5], [0.8, 0.0]])
        return tc.build(tc.Network([linear_mass()] * 2, W, D, couplings=[tc.Coupling("linear.x", "linear.u")]))
    return build


def test_sub_step_delays_are_an_error_unless_rounded_to_zero(pair):
    short, zero = pair(0.04), pair(0.0)
    kw = dict(method="heun", initial=[1.0, -0.5])
    with pytest.raises(tc.ModelError, match=r"a delay of 0.04 ms rounds to 0 steps at dt = 0.1 ms \(1 such "
                                            r"delay\(s\)\); use dt <= 0.08 ms, or pass short_delays='zero'"):
        short.simulate(T, DT, **kw)
    got = short.simulate(T, DT, short_delays="zero", **kw)["linear.x"]
    assert np.array_equal(got, zero.simulate(T, DT, **kw)["linear.x"])
    # with history interpolation a delay under one step is too short
    short.set_delays(np.array([[0.0, 0.07], [2.0, 0.0]]))
    with pytest.raises(tc.ModelError, match=r"use dt <= 0.07 ms"):
        short.simulate(T, DT, delay_interpolation="linear", **kw)
    got = short.simulate(T, DT, delay_interpolation="linear", short_delays="zero", **kw)["linear.x"]
    want = zero.simulate(T, DT, delay_interpolation="linear", **kw)["linear.x"]
    assert np.array_equal(got, want)
    with pytest.raises(tc.ModelError, match=r"short_delays='round'; choose one of \['error', 'zero'\]"):
        short.simulate(T, DT, short_delays="round", **kw)
