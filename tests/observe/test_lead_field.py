"""Lead-field projection: weights over population variables, alignment by label, file formats, errors."""
import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.observe.lead_field import LeadField, eeg_projection
from tcmcompose.result import Result

rng = np.random.default_rng(0)
T = np.arange(50) * 0.5
SP = rng.standard_normal((50, 3))
SS = rng.standard_normal((50, 2))
L = np.array([[1.0, 0.5, -2.0], [0.0, 3.0, 1.0]])          # 2 channels x 3 nodes (n0, n1, n2)


def result():
    """SP in every node, SS only in nodes n2 and n0 (in that column order)."""
    return Result(T, {"SP.V": SP, "SS.V": SS}, {"SP.V": ["n0", "n1", "n2"], "SS.V": ["n2", "n0"]}, None, None)


def expected():
    src = 0.8 * SP.copy()
    src[:, 2] += 0.2 * SS[:, 0]
    src[:, 0] += 0.2 * SS[:, 1]
    return src @ L.T


def test_weighted_sources_and_projection():
    lf = LeadField(L, channels=["Fz", "Cz"], weights={"SP.V": 0.8, "SS.V": 0.2})
    out = lf.project(result())
    assert list(out.columns) == ["Fz", "Cz"] and np.allclose(out.index, T) and out.index.name == "time"
    np.testing.assert_allclose(out.to_numpy(), expected(), rtol=1e-14)
    src = lf.sources(result())
    assert list(src.columns) == ["n0", "n1", "n2"]
    np.testing.assert_allclose(src["n1"], 0.8 * SP[:, 1])
    # default weights: the only recorded variable
    one = Result(T, {"SP.V": SP}, {"SP.V": ["n0", "n1", "n2"]}, None, None)
    np.testing.assert_allclose(eeg_projection(one, L).to_numpy(), SP @ L.T, rtol=1e-14)


def test_dataframe_alignment_by_region_label():
    df = pd.DataFrame(L[:, [2, 0, 1]], index=["Fz", "Cz"], columns=["n2", "n0", "n1"])   # shuffled columns
    out = eeg_projection(result(), df, weights={"SP.V": 0.8, "SS.V": 0.2})
    np.testing.assert_allclose(out.to_numpy(), expected(), rtol=1e-14)
    assert list(out.columns) == ["Fz", "Cz"]
    bad = pd.DataFrame(L, index=["Fz", "Cz"], columns=["n0", "n1", "x9"])
    with pytest.raises(tc.ModelError, match=r"without a lead field column \['n2'\].*without a node \['x9'\]"):
        eeg_projection(result(), bad, weights={"SP.V": 1.0})


def test_files(tmp_path):
    np.save(tmp_path / "lf.npy", L)
    np.savetxt(tmp_path / "lf.csv", L, delimiter=",")
    np.savetxt(tmp_path / "lf.txt", L)
    pd.DataFrame(L[:, ::-1], index=["Fz", "Cz"], columns=["n2", "n1", "n0"]).to_csv(tmp_path / "labelled.csv")
    w = {"SP.V": 0.8, "SS.V": 0.2}
    for name in ("lf.npy", "lf.csv", "lf.txt", "labelled.csv"):
        out = eeg_projection(result(), tmp_path / name, weights=w)
        np.testing.assert_allclose(out.to_numpy(), expected(), rtol=1e-12, err_msg=name)
    assert list(LeadField(tmp_path / "labelled.csv").channels) == ["Fz", "Cz"]
    with pytest.raises(tc.ModelError, match="does not exist"):
        LeadField(tmp_path / "nope.npy")
    with pytest.raises(tc.ModelError, match="unsupported type"):
        (tmp_path / "lf.xyz").write_text("1")
        LeadField(tmp_path / "lf.xyz")


def test_shape_and_variable_errors():
    with pytest.raises(tc.ModelError, match="lead field has 2 columns but the signal has 3 nodes"):
        eeg_projection(result(), L[:, :2], weights={"SP.V": 1.0})
    with pytest.raises(tc.ModelError, match=r"the result holds \['SP.V', 'SS.V'\]"):
        eeg_projection(result(), L)
    with pytest.raises(tc.ModelError, match="which the result lacks"):
        eeg_projection(result(), L, weights={"E.V": 1.0})
    with pytest.raises(tc.ModelError, match="3 channel names"):
        LeadField(L, channels=["a", "b", "c"])
    with pytest.raises(tc.ModelError, match="NaN"):
        LeadField(np.array([[np.nan]]))
    with pytest.raises(tc.ModelError, match="2-d"):
        LeadField(np.zeros((2, 2, 2)))
    # a plain (time x nodes) array works with an unlabelled lead field of matching width
    np.testing.assert_allclose(eeg_projection(SP, L).to_numpy(), SP @ L.T)
