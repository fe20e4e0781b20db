"""Sweeps: results equal direct runs, samplers, failures recorded, resumable stores."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.explore import LatinHypercube, Sobol, Store
from tests.explore.sweep_models import SPACE, metrics, noisy_jr, sweep

ROOT = Path(__file__).resolve().parents[2]
RESULT_COLUMNS = ["mean", "peak.frequency", "peak.power", "R"]


@pytest.fixture(scope="module")
def model():
    return tc.build(noisy_jr())


@pytest.fixture(scope="module")
def reference(model):
    """The sweep in memory, uninterrupted."""
    return sweep(model)


def test_sweep_rows_equal_direct_runs(model, reference):
    assert list(reference.point) == list(range(15)) and (reference.status == "ok").all()
    assert list(reference.columns[:3]) == ["point", "JR.mu", "JR.A"]
    row = reference.iloc[7]
    model.set_param("JR.mu", row["JR.mu"])
    model.set_param("JR.A", row["JR.A"])
    try:
        res = model.simulate(600.0, 0.1, method="stochastic_heun", seed=int(row.seed), record=["JR.v"], every=10)
    finally:
        model.set_param("JR.mu", 0.22)
        model.set_param("JR.A", 3.25)
    direct = {"mean": res["JR.v"][res.t >= 100.0].mean()}
    assert row["mean"] == pytest.approx(direct["mean"], rel=1e-13)
    assert row["R"] == metrics()["R"](res)
    # seeds are per point: the same sweep with other chunking and threads is identical
    again = sweep(model, chunk=5, workers=1)
    pd.testing.assert_frame_equal(pd.DataFrame(again), pd.DataFrame(reference))


def test_samplers():
    lhs = LatinHypercube({"a": (0.0, 1.0), "b": (1.0, 100.0)}, n=20, seed=1, log=["b"]).points()
    # one point per stratum on every axis (b stratified in log space)
    assert sorted(np.floor(lhs.a * 20).astype(int)) == list(range(20))
    assert sorted(np.floor(np.log10(lhs.b) / 2 * 20).astype(int)) == list(range(20))
    sob = Sobol({"a": (-1.0, 1.0)}, n=16, seed=0).points()
    assert sob.a.between(-1, 1).all() and sorted(np.floor((sob.a + 1) / 2 * 16).astype(int)) == list(range(16))
    grid = tc.explore.grid({"x": [1, 2], "y": [10, 20, 30]})
    assert grid.values.tolist() == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]]
    with pytest.raises(tc.ModelError, match="low < high"):
        LatinHypercube({"a": (1.0, 0.0)}, n=4)


def test_metric_errors_and_divergence_are_recorded(linear_model):
    def fussy(res):
        if res["linear.x"][-1, 0] > 0.5:
            raise ValueError("too large")
        return 1.0
    with pytest.warns(UserWarning, match="failed"):
        df = tc.explore(linear_model, {"linear.tau": [1.0, 1000.0, -1e-3]}, 50.0, 0.1,
                        metrics={"fussy": fussy, "last": lambda r: r["linear.x"][-1, 0]}, progress=False)
    assert df.status.tolist() == ["ok", "metric_error", "diverged"]
    assert np.isnan(df.fussy[1]) and "too large" in df.error[1]
    assert df["last"][1] == pytest.approx(np.exp(-50.0 / 1000.0), rel=1e-4)   # the other metric still ran
    assert 0 < df.diverged_time[2] <= 50.0 and df.diverged_state[2].endswith("linear.x")
    assert "point 2: diverged at t =" in df.summary()
    assert df.failures().point.tolist() == [1, 2]


def test_store_refuses_another_model_or_settings(tmp_path, model, linear_model):
    store = tmp_path / "s"
    tc.explore(linear_model, {"linear.tau": [1.0, 2.0]}, 5.0, 0.1, metrics={"m": lambda r: 0.0}, store=store,
               progress=False)
    with pytest.raises(tc.ModelError, match=r"written by model CompiledModel\(1 states.*this sweep runs model "
                                            r"CompiledModel\(24 states"):
        sweep(model, store)
    with pytest.raises(tc.ModelError, match="dt"):
        tc.explore(linear_model, {"linear.tau": [1.0, 2.0]}, 5.0, 0.05, metrics={"m": lambda r: 0.0}, store=store,
                   progress=False)


def test_killed_sweep_resumes_with_every_point_once(tmp_path, model, reference):
    store = tmp_path / "store"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "tests.explore.sweep_models", str(store)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 240
        while time.time() < deadline:
            m = store / "manifest.json"
            if m.exists() and len(json.loads(m.read_text())["parts"]) >= 3:
                break
            if proc.poll() is not None:
                pytest.fail(f"sweep script ended early: {proc.stdout.read().decode()[-2000:]}")
            time.sleep(0.05)
        else:
            pytest.fail("the sweep script stored nothing in 240 s")
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    partial = Store(store).read()
    assert 3 <= len(partial) < 15 and partial.point.is_unique
    resumed = sweep(model, store)
    stored = Store(store).read()
    assert sorted(stored.point) == list(range(15))                   # every point exactly once
    pd.testing.assert_frame_equal(pd.DataFrame(resumed), pd.DataFrame(reference))


def test_ctrl_c_leaves_the_store_consistent(tmp_path, model, reference):
    calls = []

    def interrupting(res):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return 0.0
    ms = dict(metrics(), stop=interrupting)
    store = tmp_path / "ctrlc"
    with pytest.raises(KeyboardInterrupt):
        tc.explore(model, SPACE, 600.0, 0.1, metrics=ms, method="stochastic_heun", seed=5, record=["JR.v"],
                   every=10, store=store, progress=False, workers=1, chunk=2)
    assert sorted(Store(store).read().point) == [0, 1, 2]            # finished points kept, none twice
    ms["stop"] = lambda res: 0.0
    done = tc.explore(model, SPACE, 600.0, 0.1, metrics=ms, method="stochastic_heun", seed=5, record=["JR.v"],
                      every=10, store=store, progress=False)
    pd.testing.assert_frame_equal(pd.DataFrame(done[reference.columns]), pd.DataFrame(reference))


def test_plots(reference):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    df = reference.copy()
    df.loc[3, "mean"] = np.nan                               # a failed point: a blank cell
    ax = df.plot_2d("JR.mu", "JR.A", "mean")
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (3 * 5,) or mesh.get_array().shape == (3, 5)
    assert np.ma.count_masked(mesh.get_array()) == 1
    ax = df.plot_1d("JR.mu", "R", by="JR.A")
    assert len(ax.lines) == 3 and np.array_equal(ax.lines[0].get_xdata(), SPACE["JR.mu"])
    plt.close("all")
