"""Balloon-Windkessel BOLD: canonical response shape, linearisation, and the two routes agreeing."""
import numpy as np
import pytest
import scipy.signal

import tcmcompose as tc
from tcmcompose.observe.bold import (PARAMETER_SETS, BalloonWindkessel, balloon_parameters, bold_from_signal,
                                     bold_signal, with_bold)
from tcmcompose.stimulus import Step
from tests.conftest import linear_mass

DT = 10.0                      # ms
T_END = 40_000.0


def pulse(amplitude=1.0, width_ms=1000.0, dt=DT, t_end=T_END):
    t = np.arange(0.0, t_end + dt / 2, dt)
    return t, amplitude * (t < width_ms - 1e-9)


@pytest.mark.parametrize("params, peak_range", [("stephan2007", (4000, 6000)), ("friston2003", (3000, 5000))])
def test_canonical_response_peak_and_undershoot(params, peak_range):
    t, z = pulse()
    y = bold_from_signal(z, DT, tr_ms=None, params=params)[0]
    peak = y.idxmax()
    assert peak_range[0] <= peak <= peak_range[1]
    assert y.max() > 0.01                              # about 1-3 % for a 1 s unit drive
    after = y.loc[peak:]
    trough = after.idxmin()
    assert 8000 <= trough <= 20000 and after.min() < -0.05 * y.max()   # post-stimulus undershoot
    assert abs(y.iloc[-1]) < 0.02 * y.max()            # back to rest after 40 s
    assert y.iloc[0] == 0.0


def test_small_input_matches_the_linearised_model():
    """For a weak drive the response equals that of the analytic linearisation
    around rest (phi = f - 1, nu = v - 1, r = q - 1), integrated by scipy:

        s' = z - kappa s - gamma phi,  phi' = s,
        tau nu' = phi - nu/alpha,
        tau r'  = (1 + (1-rho) ln(1-rho)/rho) phi - (1/alpha - 1) nu - r,
        y = V0 (-(k1 + k2) r + (k2 - k3) nu)."""
    for name in PARAMETER_SETS:
        p = balloon_parameters(name)
        ka, ga, tau, al, rho = p["kappa"], p["gamma"], p["tau"], p["alpha"], p["rho"]
        A = np.array([[-ka, -ga, 0, 0], [1, 0, 0, 0], [0, 1 / tau, -1 / (al * tau), 0],
                      [0, (1 + (1 - rho) * np.log(1 - rho) / rho) / tau, -(1 / al - 1) / tau, -1 / tau]])
        B = np.array([[1.0], [0], [0], [0]])
        C = p["V0"] * np.array([[0, 0, p["k2"] - p["k3"], -(p["k1"] + p["k2"])]])
        t, z = pulse(amplitude=1e-4)
        _, y_lin, _ = scipy.signal.lsim((A, B, C, np.zeros((1, 1))), z, t / 1000.0, interp=True)
        y = bold_from_signal(z, DT, tr_ms=None, params=name)[0].to_numpy()
        np.testing.assert_allclose(y, y_lin, atol=2e-3 * np.abs(y_lin).max())
        # and the response is really nonlinear for a strong drive (the test can tell the two apart)
        t, z = pulse(amplitude=3.0)
        y_big = bold_from_signal(z, DT, tr_ms=None, params=name)[0].to_numpy()
        assert np.max(np.abs(y_big - 3e4 * y_lin)) > 0.05 * np.abs(3e4 * y_lin).max()


def test_substeps_converge_and_tr_sampling():
    # a smooth drive (alpha function, 500 ms) sampled every 1 ms or every 100 ms with 1 ms sub-steps
    t = np.arange(0.0, 20_000.5, 1.0)
    z = (t / 500.0) * np.exp(1 - t / 500.0)
    fine = bold_from_signal(z, 1.0, tr_ms=None)
    one_step = bold_from_signal(z[::100], 100.0, tr_ms=None, max_step_ms=100.0)[0].to_numpy()
    sub_steps = bold_from_signal(z[::100], 100.0, tr_ms=None, max_step_ms=1.0)[0].to_numpy()
    np.testing.assert_allclose(one_step, sub_steps, atol=1e-5 * sub_steps.max())        # RK4 converged
    # the 100 ms samples, linearly interpolated, lose the alpha function's curvature: about 1 %
    np.testing.assert_allclose(sub_steps, fine[0].to_numpy()[::100], atol=2e-2 * sub_steps.max())
    tr = bold_from_signal(z, 1.0, tr_ms=720.0)
    assert tr.index.tolist() == [720.0 * k for k in range(28)]
    np.testing.assert_allclose(tr[0].to_numpy(), fine[0].to_numpy()[::720][:28], rtol=1e-12)
    df = bold_from_signal(np.column_stack([z, 2 * z]), 1.0, labels=["a", "b"])
    assert list(df.columns) == ["a", "b"] and df["b"].max() > df["a"].max()


@pytest.fixture(scope="module")
def bold_model():
    node = with_bold(tc.Node("col", {"E": linear_mass()}), source="E.x", gain=0.1)
    return tc.build(node)


def test_with_bold_builds_a_node_with_the_link(bold_model):
    assert ("col", "BOLD", "z") in bold_model.input_index.tolist()
    node = tc.Node("col", {"E": linear_mass()})
    with pytest.raises(tc.ModelError, match="no output 'S_e'"):
        with_bold(node)                                   # default source E.S_e: the linear mass lacks it
    with pytest.raises(tc.ModelError, match="already has a population 'E'"):
        with_bold(node, "E.x", label="E")
    with pytest.raises(tc.ModelError, match="unknown Balloon-Windkessel parameter set"):
        BalloonWindkessel("nope")
    with pytest.raises(tc.ModelError, match="rho"):
        balloon_parameters(rho=1.5)
    m = with_bold(linear_mass(), "linear.x", params="friston2003", tau=1.5)
    assert m.masses["BOLD"].params["tau"] == 1.5 and m.masses["BOLD"].params["k2"] == 2.0


def test_in_loop_and_offline_routes_agree(bold_model):
    # driving the balloon's port directly: the same RK4 on the same interpolated input, bit for bit
    step = Step(1.0, onset=0.0, stop=1000.0)
    res = bold_model.simulate(24_000.0, 1.0, method="rk4", stimuli={"BOLD.z": step},
                              initial={"E.x": 0.0}, record=["BOLD.bold"])
    offline = bold_from_signal(step.sample(res.t), 1.0, tr_ms=2000.0)
    inloop = bold_signal(res, 2000.0)
    assert inloop.index.tolist() == offline.index.tolist() == [2000.0 * k for k in range(13)]
    np.testing.assert_allclose(inloop.to_numpy(), offline.to_numpy(), rtol=1e-12, atol=1e-15)
    assert list(inloop.columns) == ["col"] and 4000 <= inloop["col"].idxmax() <= 6000
    # through the node's own population: offline from the recorded E.x (linear interpolation between
    # samples instead of RK4 stage values) agrees to O(dt^2)
    res = bold_model.simulate(24_000.0, 1.0, method="rk4", stimuli={"E.u": step}, initial={"E.x": 0.0},
                              record=["E.x", "BOLD.v", "BOLD.q"])
    inloop = bold_signal(res, None)          # from v and q with the default parameters
    offline = bold_from_signal(res["E.x"], 1.0, tr_ms=None, gain=0.1)
    np.testing.assert_allclose(inloop.to_numpy(), offline.to_numpy(), atol=1e-5 * inloop.abs().max().max())
    with pytest.raises(tc.ModelError, match="neither 'BOLD.bold'"):
        bold_signal(bold_model.simulate(10.0, 1.0, record=["E.x"]))


def test_bad_signals():
    with pytest.raises(tc.ModelError, match="at least 2 samples"):
        bold_from_signal(np.zeros((1, 3)), 1.0)
    with pytest.raises(tc.ModelError, match="NaN"):
        bold_from_signal(np.array([0.0, np.nan]), 1.0)
    with pytest.raises(tc.ModelError, match="dt_ms"):
        bold_from_signal(np.zeros(5), -1.0)
    with pytest.raises(tc.ModelError, match="no multiple of TR"):
        bold_from_signal(np.zeros(5), 1.0, t0=1.0, tr_ms=2000.0)
