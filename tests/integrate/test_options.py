"""simulate's options are visible: explicit keywords, Record and Solver objects."""
import inspect
import pydoc

import numpy as np
import pytest

import tcmcompose as tc


def test_simulate_signature_lists_every_option():
    sig = inspect.signature(tc.CompiledModel.simulate)
    for name in ("initial", "record", "every", "transient", "stimuli", "seed", "noise", "noise_path",
                 "coupling_mode", "delay_interpolation", "progress", "chunk"):
        assert sig.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    text = pydoc.render_doc(tc.CompiledModel.simulate, renderer=pydoc.plaintext)
    assert "coupling_mode='per_stage'" in text and "delay_interpolation" in text


def test_record_and_solver_objects_equal_the_plain_keywords(jr_model):
    plain = jr_model.simulate(30.0, 0.1, method="rk4", record=["JR.v", "JR.y0"], every=3, transient=9.0,
                              coupling_mode="per_step", delay_interpolation="linear")
    rec = tc.Record(["JR.v", "JR.y0"], every=3, transient=9.0)
    grouped = jr_model.simulate(30.0, 0.1, method=tc.Solver("rk4", "per_step", "linear"), record=rec)
    assert np.array_equal(plain.t, grouped.t) and plain.t[0] == 9.0 and plain.t[1] == pytest.approx(9.3)
    for name in ("JR.v", "JR.y0"):
        assert np.array_equal(plain[name], grouped[name])
    assert grouped.info["coupling_mode"] == "per_step" and grouped.info["delay_interpolation"] == "linear"
    with pytest.raises(tc.ModelError, match="every=5 conflicts with record=Record"):
        jr_model.simulate(1.0, 0.1, record=rec, every=5)
    with pytest.raises(tc.ModelError, match="delay_interpolation='linear' conflicts with method=Solver"):
        jr_model.simulate(1.0, 0.1, method=tc.Solver("heun", coupling_mode="per_step"), delay_interpolation="linear")


def test_simulate_batch_lists_the_same_options_and_takes_record_objects(jr_model):
    sig = inspect.signature(tc.CompiledModel.simulate_batch)
    for name in ("initial", "record", "every", "transient", "stimuli", "coupling_mode", "delay_interpolation"):
        assert sig.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    batch = jr_model.simulate_batch([{"JR.mu": 0.3}], 20.0, 0.1, record=tc.Record(["JR.v"], every=4),
                                    workers=1, seed=3)
    saved = jr_model.params["value"].to_numpy(copy=True)
    jr_model.set_param("JR.mu", 0.3)
    try:
        one = jr_model.simulate(20.0, 0.1, record=["JR.v"], every=4)
    finally:
        jr_model.params["value"] = saved
    assert np.array_equal(batch[0]["JR.v"], one["JR.v"]) and len(one.t) == 51


def test_recording_everything_equals_naming_every_state(jr_model):
    """record=None (every state) takes a shortcut past name resolution: the
    same columns, names and nodes as naming each "mass.state"."""
    from tcmcompose.integrate.simulate import _resolve_record
    names = list(dict.fromkeys(f"{m}.{s}" for _, m, s in jr_model.state_index))
    a, b = _resolve_record(jr_model, None), _resolve_record(jr_model, names)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert [(k, w, list(n)) for k, w, n in a[2]] == [(k, w, list(n)) for k, w, n in b[2]]
    assert len(a[0]) == jr_model.n_states
