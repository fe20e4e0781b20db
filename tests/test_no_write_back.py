"""A run never writes back into what the user owns: the model's tables and
arrays (params, connections, x0, u_base, coupling matrices) and the arrays
and Results passed in (initial states, pasts, stimuli, a Result continued).
Each test compares deep copies taken before with the objects after."""
import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.inference.spectra import SpectralModel


def snapshot(model):
    return {"params": model.params.copy(deep=True), "connections": model.connections.copy(deep=True),
            "x0": model.x0.copy(), "u_base": model.u_base.copy(),
            "couplings": [(np.array(c.weights), np.array(c.delays)) for c in model.couplings]}


def assert_unchanged(model, before):
    pd.testing.assert_frame_equal(model.params, before["params"])
    pd.testing.assert_frame_equal(model.connections, before["connections"])
    np.testing.assert_array_equal(model.x0, before["x0"])
    np.testing.assert_array_equal(model.u_base, before["u_base"])
    for c, (w, d) in zip(model.couplings, before["couplings"]):
        np.testing.assert_array_equal(c.weights, w)
        np.testing.assert_array_equal(c.delays, d)


def test_simulate_leaves_the_model_and_the_arrays_passed_in(linear_model):
    before = snapshot(linear_model)
    x = np.array([0.7])
    t = np.arange(201) * 0.1
    u = np.sin(t)
    past = np.linspace(0.2, 0.9, 5)[:, None]
    given = [x.copy(), u.copy(), past.copy()]
    for initial in (x, past, {"linear.x": 0.4}):
        res = linear_model.simulate(20.0, 0.1, initial=initial, stimuli={"linear.u": u})
        assert res.final_state[0] != initial_value(initial)     # the run moved; what it was given did not
    for a, b in zip((x, u, past), given):
        np.testing.assert_array_equal(a, b)
    assert_unchanged(linear_model, before)


def initial_value(initial):
    return initial["linear.x"] if isinstance(initial, dict) else np.asarray(initial).reshape(-1)[-1]


def test_a_continued_result_is_left_as_it_was_and_continues_again_identically(jr_model):
    before = snapshot(jr_model)
    first = jr_model.simulate(20.0, 0.1, seed=3)
    h = first.history
    kept = (first.final_state.copy(), h.values.copy(), h.rng_state.copy(), h.ou_state.copy(), h.state.copy())
    a = jr_model.simulate(20.0, 0.1, initial=first)
    for now, then in zip((first.final_state, h.values, h.rng_state, h.ou_state, h.state), kept):
        np.testing.assert_array_equal(now, then)
    b = jr_model.simulate(20.0, 0.1, initial=first)
    np.testing.assert_array_equal(a.final_state, b.final_state)
    assert not np.array_equal(a.final_state, first.final_state)
    assert_unchanged(jr_model, before)


def test_batches_restore_the_model_also_when_a_run_fails(jr_model):
    before = snapshot(jr_model)
    batch = jr_model.simulate_batch([{"JR.A": 3.0}, {"JR.A": 3.6}], 10.0, 0.1, seed=1, workers=2)
    assert not np.array_equal(batch[0].final_state, batch[1].final_state)
    assert_unchanged(jr_model, before)
    with pytest.raises(tc.ModelError, match="no_such_param"):
        jr_model.simulate_batch([{"JR.A": 3.0}, {"JR.no_such_param": 1.0}], 10.0, 0.1, seed=1, workers=1)
    assert_unchanged(jr_model, before)


def test_spectral_predictions_leave_the_parameters_they_predicted_with_out_of_the_model(linear_model):
    before = snapshot(linear_model)
    sm = SpectralModel(linear_model, np.linspace(2, 60, 8), {"linear.tau": (10.0, 100.0)}, "linear.u", "linear.x",
                       readout_free=False)
    theta = np.array([14.0, 0.5, 0.3, -6.0, 0.0])
    G = sm.predict(theta)
    assert_unchanged(linear_model, before)
    G2, _ = sm.predict_with_gradient(theta)
    np.testing.assert_allclose(G2, G, rtol=1e-12)
    sm.rightmost_root(theta)
    assert_unchanged(linear_model, before)
    # the values predicted with do reach the kernels: another tau, another spectrum
    assert not np.allclose(sm.predict(np.array([10.0, 0.5, 0.3, -6.0, 0.0])), G)
    # an error inside the prediction leaves the model as it was too

    def broken():
        raise RuntimeError("no state")
    sm.ev.current = broken
    with pytest.raises(RuntimeError, match="no state"):
        sm.predict(theta)
    assert_unchanged(linear_model, before)


def test_analysis_leaves_the_state_passed_in(jr_model):
    before = snapshot(jr_model)
    x = jr_model.x0 + 0.01
    kept = x.copy()
    jr_model.jacobian(x)
    tc.linearise(jr_model, x)
    tc.fixed_point(jr_model, x0=x, settle=0)
    np.testing.assert_array_equal(x, kept)
    assert_unchanged(jr_model, before)


def test_a_run_reads_expression_links_without_writing_the_connection_table():
    """Links defined by expressions of node parameters (a TCM column's gains
    and delays) are evaluated by the run from the current parameters; the
    table keeps what it held (shared by threads of a batch), and reading
    ``model.connections`` shows the current values."""
    from tcmcompose.nodes.tcm_column import TCMColumn
    model = tc.build(TCMColumn())
    model.set_param("node.H_SS_SS", np.log(2.0))          # gain 8*exp(H_SS_SS): 8 -> 16
    raw = model._connections
    before = raw.copy(deep=True)
    a = model.simulate(20.0, 0.05, record=["SS.V"])
    pd.testing.assert_frame_equal(raw, before)              # the run wrote nothing
    assert before.loc[0, "weight"] == 8.0
    assert model.connections.loc[0, "weight"] == pytest.approx(16.0, rel=1e-15)   # shown on reading
    model.set_param("node.H_SS_SS", 0.0)
    b = model.simulate(20.0, 0.05, record=["SS.V"])
    assert not np.allclose(a["SS.V"], b["SS.V"])            # the new gain was used


def test_a_bad_edit_of_the_connection_table_can_be_read_and_mended():
    """Reading model.connections only shows values: a negative delay typed in
    is still readable (and mendable); the run refuses it, naming the table."""
    from tcmcompose.nodes.tcm_column import TCMColumn
    model = tc.build(TCMColumn())
    model.connections["delay_expr"] = ""
    model.connections.loc[0, "delay"] = -1.0
    assert model.connections.loc[0, "delay"] == -1.0
    with pytest.raises(tc.ModelError, match="connections table: delays must be finite"):
        model.simulate(1.0, 0.05)
    model.connections.loc[0, "delay"] = 2.0
    assert np.isfinite(model.simulate(1.0, 0.05).final_state).all()
