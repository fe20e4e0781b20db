"""Built-in sweep metrics on signals with known answers."""
import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.explore import metrics as M


def result(x, dt=1.0, name="E.V"):
    t = dt * np.arange(len(x))
    labels = [f"n{k}" for k in range(x.shape[1])]
    return tc.Result(t, {name: x}, {name: labels}, np.zeros(1), pd.Index(["x"]))


def test_psd_peak_finds_the_sine():
    t = np.arange(20000) * 1.0                       # ms
    x = np.column_stack([np.sin(2 * np.pi * 0.012 * t), 0.5 * np.sin(2 * np.pi * 0.012 * t + 1)])
    peak = M.psd_peak("E.V", segment_ms=5000.0)(result(x))
    assert peak["frequency"] == pytest.approx(12.0, abs=0.2)
    # Welch density of a unit sine (Hann window): power ~ A^2/2 spread over the window's ~1.5 bins
    assert peak["power"] > 0.1


def test_fc_kuramoto_mean_and_fcd():
    rng = np.random.default_rng(0)
    common = rng.standard_normal(4000)
    x = np.column_stack([common + 0.5 * rng.standard_normal(4000) for _ in range(5)])
    res = result(x)
    fc = np.corrcoef(x, rowvar=False)
    assert M.fc_correlation(fc, "E.V")(res) == pytest.approx(1.0)
    assert M.fc_distance(fc, "E.V")(res) == pytest.approx(0.0, abs=1e-12)
    assert M.fc_correlation(-fc, "E.V")(res) == pytest.approx(-1.0)
    assert M.mean_value("E.V", discard_ms=1000.0)(res) == pytest.approx(x[1000:].mean())
    phases = np.column_stack([0.01 * np.arange(4000)] * 3)
    assert M.kuramoto("E.P")(result(phases, name="E.P")) > 0.999
    target = M.fcd_values(res, window_ms=400.0)
    assert M.fcd_distance(target, 400.0, variable="E.V")(res) == pytest.approx(0.0)
    # against FCD computed here by hand: windows of 400 samples every 200, pairs >= 2 windows apart
    y = rng.standard_normal((4000, 5))
    tri = [np.corrcoef(y[a:a + 400], rowvar=False)[np.triu_indices(5, 1)] for a in range(0, 3601, 200)]
    fcd = np.corrcoef(np.array(tri))
    mine = fcd[np.triu_indices(len(tri), 2)]
    assert np.allclose(np.sort(M.fcd_values(result(y), 400.0)), np.sort(mine))
    from scipy.stats import ks_2samp
    assert M.fcd_distance(mine, 400.0, variable="E.V")(res) == pytest.approx(ks_2samp(target, mine).statistic)
    with pytest.raises(tc.ModelError, match="square"):
        M.fc_correlation(np.zeros(3))


def test_bold_fc_correlation_reads_the_bold_output():
    rng = np.random.default_rng(1)
    common = rng.standard_normal(200)
    b = np.column_stack([common + rng.standard_normal(200) for _ in range(4)])
    res = result(b, dt=500.0, name="BOLD.bold")
    fc = np.corrcoef(b[::4], rowvar=False)            # sampled at TR = 2 s
    assert M.bold_fc_correlation(fc, tr_ms=2000.0)(res) == pytest.approx(1.0)
