"""Signal analysis: Welch peak and power, cross-spectral phase, FC, FCD, matrix correlation, Kuramoto order."""
import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.analysis.signal import (cross_correlation, cross_spectrum, fcd, functional_connectivity, kuramoto_order,
                                        matrix_correlation, welch_psd)
from tcmcompose.result import Result

DT = 1.0                                   # ms
T = np.arange(0, 20_000.0, DT)
W = 2 * np.pi * 10.0 / 1000                # 10 Hz in rad/ms


def test_welch_peak_and_power_of_a_sinusoid():
    rng = np.random.default_rng(0)
    x = 3.0 * np.sin(W * T) + 0.1 * rng.standard_normal(len(T))
    psd = welch_psd(pd.DataFrame({"a": x}, index=T), segment_ms=2000.0)
    assert psd.index.name == "frequency" and list(psd.columns) == ["a"]
    assert psd["a"].idxmax() == pytest.approx(10.0, abs=1e-9)
    df = psd.index[1] - psd.index[0]
    assert df == pytest.approx(0.5)
    total = psd["a"].sum() * df                       # sine power A^2/2 plus noise variance
    assert total == pytest.approx(3.0 ** 2 / 2 + 0.01, rel=0.02)
    # a Result works as input, by variable
    res = Result(T, {"E.V": x[:, None], "I.V": x[:, None]}, {"E.V": ["n0"], "I.V": ["n0"]}, None, None)
    assert welch_psd(res, variable="E.V", segment_ms=2000.0)["n0"].idxmax() == pytest.approx(10.0)
    with pytest.raises(tc.ModelError, match="pass variable"):
        welch_psd(res)
    with pytest.raises(tc.ModelError, match="dt"):
        welch_psd(x)


def test_cross_spectrum_phase_of_a_delay():
    lag = 5.0                                          # ms
    x = np.column_stack([np.sin(W * T), np.sin(W * (T - lag))])
    csd = cross_spectrum(x, dt=DT, segment_ms=1000.0)
    psd = welch_psd(x, dt=DT, segment_ms=1000.0)
    np.testing.assert_allclose(csd[(0, 0)].to_numpy().real, psd[0].to_numpy(), rtol=1e-10, atol=1e-12)
    k = csd.index.get_loc(10.0)
    # scipy's convention: Pxy = conj(X) Y, so the phase is that of y minus that of x: -w lag
    assert np.angle(csd[(0, 1)].iloc[k]) == pytest.approx(-W * lag, abs=1e-3)
    assert np.angle(csd[(1, 0)].iloc[k]) == pytest.approx(W * lag, abs=1e-3)


def test_cross_correlation_peaks_at_the_delay():
    """b(t) = a(t - 12.5 ms) + noise: the peak sits at +12.5 ms with r near the
    signal-to-total variance ratio; swapping the signals moves it to -12.5 ms."""
    rng = np.random.default_rng(4)
    dt, lag = 0.5, 25
    a = rng.standard_normal(20000)
    b = np.concatenate([np.zeros(lag), a[:-lag]]) + 0.5 * rng.standard_normal(len(a))
    r = cross_correlation(a, b, dt=dt, max_lag_ms=50.0)
    assert r.index[0] == -50.0 and r.index[-1] == 50.0 and r.index.name == "lag_ms"
    assert r.idxmax() == pytest.approx(12.5)
    assert r.max() == pytest.approx(1 / np.sqrt(1.25), abs=0.02)
    assert abs(r.drop(12.5)).max() < 0.05
    assert cross_correlation(b, a, dt=dt, max_lag_ms=50.0).idxmax() == pytest.approx(-12.5)
    with pytest.raises(tc.ModelError, match="constant signal"):
        cross_correlation(np.ones(100), a[:100], dt=dt)
    with pytest.raises(tc.ModelError, match="differ in length"):
        cross_correlation(a[:100], a[:99], dt=dt)


def test_functional_connectivity_of_correlated_signals():
    rng = np.random.default_rng(1)
    z, w, v = rng.standard_normal((3, 50_000))
    rho = 0.6
    x = pd.DataFrame({"a": z, "b": rho * z + np.sqrt(1 - rho ** 2) * w, "c": v}, index=np.arange(50_000) * 0.5)
    fc = functional_connectivity(x)
    assert list(fc.index) == list(fc.columns) == ["a", "b", "c"]
    assert fc.loc["a", "b"] == pytest.approx(rho, abs=0.01) and abs(fc.loc["a", "c"]) < 0.02
    np.testing.assert_allclose(np.diag(fc), 1.0)


def test_fcd_sees_a_switch_in_correlation_structure():
    rng = np.random.default_rng(2)
    n = 20_000
    s1, s2, e = rng.standard_normal((2, n)), rng.standard_normal((2, n)), 0.5 * rng.standard_normal((4, n))
    first = np.array([s1[0], s1[0], s1[1], s1[1]]) + e         # pairs (0,1) and (2,3) together
    second = np.array([s2[0], s2[1], s2[0], s2[1]]) + e        # pairs (0,2) and (1,3) together
    x = np.vstack([first.T[: n // 2], second.T[n // 2:]])
    m = fcd(x, window_ms=1000.0, step_ms=500.0, dt=DT)
    centres = m.index.to_numpy()
    assert centres[0] == pytest.approx(499.5) and centres[1] - centres[0] == pytest.approx(500.0)
    a = centres < n / 2 - 500
    b = centres > n / 2 + 500
    within = m.to_numpy()[np.ix_(a, a)][~np.eye(a.sum(), dtype=bool)]
    across = m.to_numpy()[np.ix_(a, b)]
    # FC vectors [r, 0, 0, 0, 0, r] vs [0, r, 0, 0, r, 0] correlate at -0.5; equal ones at 1
    assert within.mean() > 0.95 and across.mean() == pytest.approx(-0.5, abs=0.1)
    with pytest.raises(tc.ModelError, match="at least 3 channels"):
        fcd(x[:, :2], 1000.0, dt=DT)
    with pytest.raises(tc.ModelError, match="longer than the signal"):
        fcd(x, 1e9, dt=DT)


def test_matrix_correlation():
    rng = np.random.default_rng(3)
    A = rng.random((6, 6))
    B = 2 * A + 1
    np.fill_diagonal(B, -100.0)                       # the diagonal is ignored
    assert matrix_correlation(A, B) == pytest.approx(1.0)
    assert matrix_correlation(A, -A) == pytest.approx(-1.0)
    iu = np.triu_indices(6, 1)
    C = rng.random((6, 6))
    assert matrix_correlation(A, C) == pytest.approx(np.corrcoef(A[iu], C[iu])[0, 1])
    labels = list("abcdef")
    dA = pd.DataFrame(A, index=labels, columns=labels)
    perm = list("fedcba")
    assert matrix_correlation(dA, dA.loc[perm, perm]) == pytest.approx(1.0)
    with pytest.raises(tc.ModelError, match="shapes"):
        matrix_correlation(A, A[:5, :5])


def test_kuramoto_order_synchronised_vs_random():
    n = 1000
    same = np.tile(np.linspace(0, 50, 200)[:, None], (1, n))
    R = kuramoto_order(same, dt=DT, phases=True)
    np.testing.assert_allclose(R.to_numpy(), 1.0)
    rng = np.random.default_rng(4)
    rand = rng.uniform(-np.pi, np.pi, (200, n))
    R = kuramoto_order(rand, dt=DT, phases=True)
    assert R.mean() == pytest.approx(np.sqrt(np.pi / (4 * n)), rel=0.15)   # E|mean of N unit phasors|
    # via the Hilbert transform: three 10 Hz oscillators with fixed phase offsets
    offsets = np.array([0.0, 0.4, 0.8])
    x = np.sin(W * T[:, None] + offsets)
    R = kuramoto_order(x, dt=DT)
    expected = np.abs(np.mean(np.exp(1j * offsets)))
    mid = R.iloc[1000:-1000]
    np.testing.assert_allclose(mid.to_numpy(), expected, atol=1e-3)
    assert R.name == "R" and R.index.name == "time"
    Rb = kuramoto_order(x + 0.3 * np.sin(2 * np.pi * 40 / 1000 * T)[:, None] * [1, -1, 0], dt=DT, band=(7, 13))
    np.testing.assert_allclose(Rb.iloc[2000:-2000].to_numpy(), expected, atol=5e-3)
