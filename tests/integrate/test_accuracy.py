"""Integrator accuracy: analytic solutions, convergence orders, delays."""
import math

import numpy as np
import pytest

import tcmcompose as tc
from tests.conftest import tanh_mass


def test_linear_decay_matches_exponential_to_integrator_order(linear_model):
    tau = 10.0
    for method, order in (("euler", 1), ("heun", 2), ("rk4", 4)):
        errs = []
        for dt in (0.4, 0.2):
            res = linear_model.simulate(20.0, dt, method=method)
            errs.append(np.max(np.abs(res["linear.x"][:, 0] - np.exp(-res.t / tau))))
        assert errs[0] < (dt * 2 / tau) ** order  # small in absolute terms
        assert math.log2(errs[0] / errs[1]) == pytest.approx(order, abs=0.15)


@pytest.fixture(scope="module")
def vdp_model():
    m = tc.Mass("vdp", states={"x": 2.0, "y": 0.0}, params={"mu": 1.5, "w": 0.5},
                equations={"x": "w*y", "y": "w*(mu*(1 - x**2)*y - x)"})
    return tc.build(m)


@pytest.mark.parametrize("method,order,dts", [("euler", 1, (0.05, 0.025, 0.0125)),
                                              ("heun", 2, (0.05, 0.025, 0.0125)),
                                              ("rk4", 4, (0.2, 0.1, 0.05))])
def test_convergence_order_on_nonlinear_mass(vdp_model, method, order, dts):
    ref = vdp_model.simulate(10.0, 0.0025, method="rk4")
    errs = []
    for dt in dts:
        res = vdp_model.simulate(10.0, dt, method=method)
        errs.append(abs(res["vdp.x"][-1, 0] - ref["vdp.x"][-1, 0]))
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert orders == pytest.approx([order, order], abs=0.2)


def method_of_steps(t, tau):
    """x' = -x(t - tau), x = 1 for t <= 0: sum_k (-1)^k (t - (k-1) tau)^k / (k! tau^k)."""
    out = np.zeros_like(t)
    for k in range(int(t.max() / tau) + 2):
        s = np.clip(t - (k - 1) * tau, 0.0, None)
        out += (-1) ** k * s ** k / (math.factorial(k) * tau ** k)
    return out


@pytest.fixture(scope="module")
def dde_model():
    m = tc.Mass("dde", states={"x": 1.0}, inputs=["u"], outputs={"x": "x"}, equations={"x": "u"})
    return tc.build(tc.Node("self_delay", {"X": m}, [("X", "X", "u", -1.0, 1.0)]))


@pytest.mark.parametrize("method,order", [("euler", 1), ("heun", 2), ("rk4", 4)])
def test_delayed_linear_equation_against_method_of_steps(dde_model, method, order):
    # up to t = 10 the exact solution has polynomial pieces of degree up to 10,
    # so even RK4 is not exact on it
    errs = []
    for dt in (0.05, 0.025):
        res = dde_model.simulate(10.0, dt, method=method)
        errs.append(np.max(np.abs(res["X.x"][:, 0] - method_of_steps(res.t, 1.0))))
    assert errs[1] < 2 * 0.025 ** order
    assert math.log2(errs[0] / errs[1]) == pytest.approx(order, abs=0.25)


@pytest.fixture(scope="module")
def delayed_net():
    unit = tanh_mass()
    W = np.array([[0.0, 1.5, 0.0], [0.8, 0.0, -1.1], [1.3, 0.6, 0.0]])
    D = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 2.0], [1.5, 0.0, 0.0]])   # one zero-delay edge (2 <- 1)
    net = tc.Network([tc.Node("u", {"U": unit})] * 3, W, D, couplings=[tc.Coupling("U.r", "U.u")])
    model = tc.build(net)
    model.x0[:] = [0.5, -0.3, 0.2]
    return model


@pytest.mark.parametrize("method,order", [("heun", 2), ("rk4", 4), ("ssprk3", 3)])
def test_convergence_order_on_delayed_nonlinear_network(delayed_net, method, order):
    ref = delayed_net.simulate(6.0, 0.002, method="rk4")["U.x"][-1]
    errs = [np.max(np.abs(delayed_net.simulate(6.0, dt, method=method)["U.x"][-1] - ref))
            for dt in (0.1, 0.05, 0.025)]
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert orders == pytest.approx([order, order], abs=0.3)


def test_per_step_coupling_is_first_order_in_the_coupling(delayed_net):
    """TVB's convention holds the coupling through the stages: Heun then loses its order
    on a network with a zero-delay edge (the reason per_stage is the default)."""
    ref = delayed_net.simulate(6.0, 0.002, method="rk4")["U.x"][-1]
    errs = [np.max(np.abs(delayed_net.simulate(6.0, dt, method="heun", coupling_mode="per_step")["U.x"][-1]
                          - ref)) for dt in (0.1, 0.05)]
    assert math.log2(errs[0] / errs[1]) == pytest.approx(1.0, abs=0.3)


def test_linear_delay_interpolation_handles_fractional_delays(dde_model):
    """With delay 1.0 and dt = 0.03 (not a divisor), 'nearest' rounds to 33 steps (0.99 ms)
    while 'linear' interpolates the history and converges to the exact solution."""
    exact = method_of_steps(np.array([4.0]), 1.0)[0]
    near = dde_model.simulate(3.99, 0.03, method="heun")
    lin = dde_model.simulate(3.99, 0.03, method="heun", delay_interpolation="linear")
    e_near = abs(near["X.x"][-1, 0] - method_of_steps(near.t[-1:], 1.0)[0])
    e_lin = abs(lin["X.x"][-1, 0] - method_of_steps(lin.t[-1:], 1.0)[0])
    assert e_lin < 1e-3 < e_near
    assert np.isfinite(exact)


def test_rk4_with_a_delay_between_one_and_two_steps(dde_model):
    """Delay 1.0 at dt = 0.6 (1.67 steps): RK4's end-of-step coupling reads the Hermite
    history between the last two stored steps, so it needs this step's stored derivative;
    read before it was stored, the error was 1.9e-2 instead of 1.6e-3 (dt = 0.3, lag 3.3:
    2.0e-4, about 2^-4 of it, as fourth order predicts)."""
    errs = []
    for dt in (0.6, 0.3):
        res = dde_model.simulate(8.4, dt, method="rk4", delay_interpolation="linear")
        errs.append(np.max(np.abs(res["X.x"][:, 0] - method_of_steps(res.t, 1.0))))
    assert errs[0] < 4e-3 and errs[1] < 4e-4
    assert errs[0] / errs[1] > 5


def test_recording_every_transient_and_outputs(delayed_net):
    res = delayed_net.simulate(10.0, 0.1, method="heun", record=["U.x", "U.r"], every=5, transient=2.0)
    assert res.t[0] == pytest.approx(2.0) and res.t[-1] == pytest.approx(10.0)
    assert np.allclose(np.diff(res.t), 0.5)
    np.testing.assert_allclose(res["U.r"], np.tanh(res["U.x"]), rtol=1e-12)
    df = res.to_dataframe()
    assert set(df.columns) == {"time", "node", "mass", "variable", "value"}
    assert len(df) == len(res.t) * 3 * 2
    assert res.nodes("U.x") == ["node0", "node1", "node2"]


def test_parameter_edit_changes_trajectory_without_rebuild(delayed_net):
    before = delayed_net.simulate(5.0, 0.1)["U.x"].copy()
    path = delayed_net.path
    delayed_net.set_param("U.I0", 0.8, nodes=["node1"])
    after = delayed_net.simulate(5.0, 0.1)["U.x"]
    delayed_net.set_param("U.I0", 0.3)
    assert delayed_net.path == path
    assert np.abs(after[:, 1] - before[:, 1]).max() > 1e-2
    W = delayed_net.couplings[0].weights.copy()
    delayed_net.set_weights(np.zeros((3, 3)))
    uncoupled = delayed_net.simulate(5.0, 0.1, method="rk4")["U.x"]
    delayed_net.set_weights(W)
    # node states now follow the single-unit equation x' = (-x + tanh(I0))/tau
    x0 = delayed_net.x0
    expected = np.tanh(0.3) + (x0 - np.tanh(0.3)) * np.exp(-5.0 / 2.0)
    np.testing.assert_allclose(uncoupled[-1], expected, rtol=1e-7)


def test_divergence_names_time_and_state():
    m = tc.Mass("blowup", states={"x": 1.0}, params={"k": 1.0}, equations={"x": "k*x**2"})
    model = tc.build(m)
    with pytest.raises(tc.SimulationError, match=r"diverged at t = .* ms: state 'x' of population 'blowup'"):
        model.simulate(5.0, 0.01)


def test_bad_time_arguments(linear_model):
    with pytest.raises(tc.ModelError, match="must be positive"):
        linear_model.simulate(10.0, 0.0)
    with pytest.raises(tc.ModelError, match="shorter than dt"):
        linear_model.simulate(0.05, 0.1)
    with pytest.raises(tc.ModelError, match="method="):
        linear_model.simulate(1.0, 0.1, method="rk45")
    with pytest.raises(tc.ModelError, match="cannot record 'linear.y'"):
        linear_model.simulate(1.0, 0.1, record=["linear.y"])


def test_delay_shorter_than_step_is_an_error(dde_model):
    dde_model.connections.loc[0, "delay"] = 0.01
    try:
        with pytest.raises(tc.ModelError, match="rounds to 0 steps"):
            dde_model.simulate(1.0, 0.1)
    finally:
        dde_model.connections.loc[0, "delay"] = 1.0
