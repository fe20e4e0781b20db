"""Saved results: NetCDF and Parquet round trips, re-runs from the saved file, summaries and plots."""
import json
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.result import Result

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def edited_run(jr_model):
    """A seeded run of the shared JR network after edits a declaration does not hold."""
    saved = jr_model.params["value"].to_numpy(copy=True), jr_model.couplings[0].gain
    jr_model.set_param("JR.mu", [0.1, 0.2, 0.3, 0.25])
    jr_model.couplings[0].gain = 3.0
    try:
        yield jr_model.simulate(300.0, 0.1, record=["JR.v", "JR.y0"], every=4, transient=50.0, seed=11)
    finally:
        jr_model.params["value"], jr_model.couplings[0].gain = saved


def test_to_xarray_dims_and_attributes(edited_run, jr_model):
    ds = edited_run.to_xarray()
    assert ds["value"].dims == ("time", "node", "variable")
    assert list(ds["variable"].values) == ["JR.v", "JR.y0"] and list(ds["node"].values) == jr_model._low.node_labels
    np.testing.assert_array_equal(ds["value"].sel(variable="JR.v").values, edited_run["JR.v"])
    assert ds.attrs["method"] == "heun" and ds.attrs["dt"] == 0.1 and ds.attrs["seed"] == 11
    assert ds.attrs["tcmcompose_version"] == tc.__version__ and ds.attrs["model_hash"] == Path(jr_model.path).stem
    params = json.loads(ds.attrs["parameters"])
    assert params["node2.JR.mu"] == 0.3
    assert ds["time"].attrs["units"] == "ms" and ds["time"].values[0] == 50.0


def test_netcdf_round_trip_and_rerun_reproduce_the_traces(edited_run, tmp_path):
    path = edited_run.save(tmp_path / "run.nc")
    back = tc.load_result(path)
    assert back.variables == edited_run.variables and back.info["seed"] == 11
    for var in edited_run.variables:
        np.testing.assert_array_equal(back[var], edited_run[var])
        assert back.nodes(var) == edited_run.nodes(var)
    np.testing.assert_array_equal(back.t, edited_run.t)
    np.testing.assert_array_equal(back.final_state, edited_run.final_state)
    again = back.rerun()            # model rebuilt from the file text, edited data restored, same seed
    for var in edited_run.variables:
        np.testing.assert_array_equal(again[var], edited_run[var])


def test_parquet_holds_the_tidy_frame_and_settings(edited_run, tmp_path):
    path = edited_run.save(tmp_path / "run.parquet")
    back = tc.load_result(path)
    for var in edited_run.variables:
        np.testing.assert_array_equal(back[var], edited_run[var])
    assert json.loads(back.saved["settings"])["seed"] == 11 and "schema_version" in back.saved["model_file"]


def test_variables_on_different_nodes_survive_the_cube():
    t = np.arange(5.0)
    res = Result(t, {"JR.v": np.ones((5, 2)), "TCR.V": np.full((5, 1), -60.0)},
                 {"JR.v": ["ctx0", "ctx1"], "TCR.V": ["thal"]}, None, None, {"dt": 1.0, "method": "euler"})
    from tcmcompose.io.results import from_xarray
    back = from_xarray(res.to_xarray())
    assert back.nodes("JR.v") == ["ctx0", "ctx1"] and back.nodes("TCR.V") == ["thal"]
    np.testing.assert_array_equal(back["TCR.V"], res["TCR.V"])


def test_a_run_with_stimuli_says_it_cannot_be_rerun(jr_model, tmp_path):
    res = jr_model.simulate(20.0, 0.1, record=["JR.v"], stimuli={"JR.c": 0.01}, seed=1)
    back = tc.load_result(res.save(tmp_path / "stim.nc"))
    with pytest.raises(ModelError, match=r"cannot be re-run: option\(s\) stimuli of the run"):
        back.rerun()


def test_bad_result_paths(edited_run, tmp_path):
    with pytest.raises(ModelError, match=r"\.nc \(NetCDF\) or \.parquet"):
        edited_run.save(tmp_path / "run.txt")
    with pytest.raises(ModelError, match="no such file"):
        tc.load_result(tmp_path / "missing.nc")


def test_repr_summarises_and_plot_labels_nodes_and_units(edited_run):
    text = repr(edited_run)
    assert "dt = 0.1 ms, heun, seed 11" in text and "JR.v" in text and "(626, 4)" in text
    lo, hi = edited_run["JR.v"].min(), edited_run["JR.v"].max()
    assert f"range {lo:.4g}..{hi:.4g}" in text and "[" not in text.split("range")[-1]   # no array dump
    axes = edited_run.plot(["JR.v"])
    assert axes[0].get_ylabel() == "JR.v (mV)" and axes[-1].get_xlabel() == "time (ms)"
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == edited_run.nodes("JR.v")
    import matplotlib.pyplot as plt
    plt.close("all")
