"""The ALN model: its transfer-function tables (EIF Fokker-Planck) against
neurolib's published table, the HDF5 loader and the disk cache, one node
against an independent NumPy loop, and the bifurcation structure over the
external inputs (down, up, E-I oscillation, slow adaptation oscillation).

The model tests use a coarse (μ, σ) grid (81 x 19, computed in seconds) in
place of the default 350 x 64 one; the regions match neurolib 0.6's own
native ALN run at the same points (figures in the tests)."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.masses.eif import response_grid, stationary_grid
from tcmcompose.masses.library import aln_tables
from tcmcompose.masses.library.aln_tables import EIF_DEFAULTS, compute_aln_tables, load_aln_tables
from tests.helpers import fd_jacobian, max_row_relative_error
from tests.reference.aln_numpy import aln_node_euler

# neurolib 0.6.2, aln-precalc/quantities_cascade.h5 (Augustin et al. 2017):
# mu (mV/ms), sigma (mV/sqrt(ms)), r_ss (kHz), V_mean_ss (mV), tau_mu_exp (ms)
NEUROLIB = [
    (0.14613180515759305, 1.2142857142857142, 2.849376750651001e-05, -62.08271660422472, 21.491),
    (1.292263610315186, 2.642857142857143, 0.03692888710000403, -58.37920948340661, 1.691),
    (2.438395415472779, 0.8571428571428571, 0.07295506242130985, -56.43850605755603, 0.601),
    (3.584527220630372, 3.3571428571428568, 0.10400110526491219, -57.605235517494535, 0.451),
    (5.876790830945558, 5.0, 0.15615509687888834, -57.96542274520784, 0.261),
    (-0.5415472779369628, 4.785714285714286, 0.003999704968129947, -77.8893171276019, 9.191),
]
ARGS = tuple(EIF_DEFAULTS[k] for k in ("taum", "EL", "DeltaT", "VT", "Vr", "Vs", "Tref", "Vlb"))
COARSE = dict(mu=(-1.0, 7.0, 81), sigma=(0.5, 5.0, 19), n_v=8001)


def test_eif_tables_match_neurolib_published_values():
    """Stationary rate to 1e-4 relative, mean voltage to 2e-3 mV (neurolib stores
    it to 1e-3), τ_μ (our fit of the linear response) within 10 %."""
    mus = np.array([p[0] for p in NEUROLIB])
    sigmas = np.array([p[1] for p in NEUROLIB])
    omegas = 2 * np.pi * np.linspace(0.00025, 1.0, 25)
    for k, (mu, sigma, r_ref, v_ref, tau_ref) in enumerate(NEUROLIB):
        r, v = stationary_grid(mus[k:k + 1], sigmas[k:k + 1], *ARGS, 20001)
        assert r[0, 0] == pytest.approx(r_ref, rel=1e-4)
        assert v[0, 0] == pytest.approx(v_ref, abs=2e-3)
        resp = response_grid(mus[k:k + 1], sigmas[k:k + 1], omegas, *ARGS, 4001)
        tau = aln_tables._fit_tau(resp, omegas, lo=1 / omegas[-1])[0, 0]
        assert tau == pytest.approx(tau_ref, rel=0.10)


def test_linear_response_tends_to_the_rate_slope():
    """r_1/μ_1 at low frequency equals dΦ/dμ of the stationary rate."""
    mu, sigma = np.array([1.5, 3.0]), np.array([2.0])
    resp = response_grid(mu, sigma, np.array([2 * np.pi * 1e-6]), *ARGS, 8001)[:, 0, 0]
    h = 1e-4
    slope = (stationary_grid(mu + h, sigma, *ARGS, 8001)[0] - stationary_grid(mu - h, sigma, *ARGS, 8001)[0])[:, 0] / (2 * h)
    assert np.allclose(resp.real, slope, rtol=1e-3) and np.all(np.abs(resp.imag) < 1e-3 * np.abs(resp.real))


@pytest.fixture(scope="module")
def coarse_tables(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("TCMCOMPOSE_CACHE", str(tmp_path_factory.mktemp("aln_cache")))
    return compute_aln_tables(**COARSE)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_tables_are_cached_and_checked(coarse_tables, monkeypatch_module):
    import os
    cached = [f for f in os.listdir(os.environ["TCMCOMPOSE_CACHE"]) if f.startswith("aln_tables_")]
    assert len(cached) == 1
    again = compute_aln_tables(**COARSE)
    for k in ("rate", "vmean", "tau"):
        assert np.array_equal(again[k].values, coarse_tables[k].values)
        assert again[k].shape == (81, 19)
    assert np.all(coarse_tables["tau"].values >= 1 / (2 * np.pi) - 1e-9)      # τ floor 0.16 ms
    with pytest.raises(tc.ModelError, match="unknown neuron parameter"):
        compute_aln_tables(**COARSE, tau_m=10.0)
    with pytest.raises(tc.ModelError, match="sigma must start above 0"):
        compute_aln_tables(mu=(-1, 7, 5), sigma=(0.0, 5.0, 5))


def test_loader_reads_neurolib_layout(tmp_path, coarse_tables):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "quantities_cascade.h5"
    mus, sigmas = coarse_tables["rate"].axes
    with h5py.File(path, "w") as fh:
        fh["mu_vals"], fh["sigma_vals"] = mus, sigmas
        fh["r_ss"], fh["V_mean_ss"] = coarse_tables["rate"].values, coarse_tables["vmean"].values
        fh["tau_mu_exp"] = coarse_tables["tau"].values
    loaded = load_aln_tables(str(path))
    assert all(np.array_equal(loaded[k].values, coarse_tables[k].values) for k in ("rate", "vmean", "tau"))
    with h5py.File(tmp_path / "bad.h5", "w") as fh:
        fh["mu_vals"] = mus
    with pytest.raises(tc.ModelError, match="lacks dataset"):
        load_aln_tables(str(tmp_path / "bad.h5"))


@pytest.fixture(scope="module")
def aln(coarse_tables):
    return tc.build(tc.get_model("aln", tables=coarse_tables))


X0 = np.array([1.0, 0.0, 0.2, 0.3, 0.001, 0.002, 0.01, 1.2, 0.25, 0.35, 0.002, 0.004, 0.02])


def _set(model, mue, mui, a=0.0, b=0.0):
    for name, v in (("E.mu_ext", mue), ("I.mu_ext", mui), ("E.a", a), ("E.b", b)):
        model.set_param(name, v)


def test_node_equals_numpy_loop_step_for_step(aln, coarse_tables):
    _set(aln, 2.0, 2.5, a=15.0, b=40.0)
    res = aln.simulate(100.0, 0.05, method="euler", initial=X0)
    rE, rI = aln_node_euler(coarse_tables, 100.0, 0.05, 2.0, 2.5, a=15.0, b=40.0, x0=X0)
    assert np.max(np.abs(np.asarray(res["E.r"])[-len(rE):, 0] - rE)) < 1e-12
    assert np.max(np.abs(np.asarray(res["I.r"])[-len(rI):, 0] - rI)) < 1e-12


def _peak(r, dt):
    r = r - r.mean()
    f = np.fft.rfftfreq(r.size, dt * 1e-3)
    return f[np.argmax(np.abs(np.fft.rfft(r * np.hanning(r.size))))]


def test_limit_cycle_frequency_and_mean_rate_against_numpy_loop(aln, coarse_tables):
    """In the E-I oscillation (μ_e = 1, μ_i = 0.5 mV/ms; neurolib's native run: 21 Hz)
    the Heun-integrated node and the NumPy Euler loop agree on the frequency
    (within one FFT bin) and the mean rate (2 %)."""
    _set(aln, 1.0, 0.5)
    res = aln.simulate(2000.0, 0.05, method="heun", initial=X0)
    r = np.asarray(res["E.r"])[-20000:, 0] * 1e3
    ref = aln_node_euler(coarse_tables, 2000.0, 0.05, 1.0, 0.5, x0=X0)[0][-20000:] * 1e3
    assert 15.0 < _peak(ref, 0.05) < 22.0 and np.ptp(ref) > 20.0
    assert abs(_peak(r, 0.05) - _peak(ref, 0.05)) <= 1.0
    assert r.mean() == pytest.approx(ref.mean(), rel=0.02)


def _state(model, mue, mui, a=0.0, b=0.0):
    _set(model, mue, mui, a, b)
    res = model.simulate(3000.0, 0.05, method="heun", record=["E.r"], every=20)     # from rest
    r = np.asarray(res["E.r"])[1500:, 0] * 1e3           # last 1.5 s, 1 ms steps, Hz
    if np.ptp(r) > 1.0:
        return "osc", _peak(r, 1.0)
    return ("up" if r.mean() > 5.0 else "down"), r.mean()


@pytest.mark.parametrize("mue, mui, a, b, kind, lo, hi", [
    (0.5, 0.5, 0, 0, "down", 0.0, 1.0),        # neurolib native: down
    (3.5, 1.0, 0, 0, "up", 80.0, 95.0),        # neurolib: up, 85 Hz
    (1.0, 0.5, 0, 0, "osc", 12.0, 30.0),       # neurolib: E-I limit cycle, 21 Hz
    (0.5, 0.0, 0, 0, "osc", 12.0, 25.0),       # neurolib: 17 Hz
    (2.0, 4.0, 0, 0, "down", 0.0, 1.0),        # strong inhibition
    (4.0, 2.0, 0, 0, "up", 90.0, 105.0),       # neurolib: 96 Hz ...
    (4.0, 2.0, 15, 40, "osc", 0.5, 5.0),       # ... and with adaptation a slow oscillation (2 Hz)
])
def test_bifurcation_regions(aln, mue, mui, a, b, kind, lo, hi):
    got, value = _state(aln, mue, mui, a, b)
    assert got == kind and lo <= value <= hi, (got, value)


def test_jacobian_off_grid_lines(aln):
    _set(aln, 2.0, 2.5, a=15.0, b=40.0)
    x = X0 + np.array([0.013, 31.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.017, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert max_row_relative_error(aln.jacobian(x), fd_jacobian(aln, x, rel=1e-7, floor=1e-3)) < 1e-5


def test_defaults_pinned_to_neurolib_aln_model():
    """Cakan & Obermayer (2020) / neurolib 0.6 ALNModel defaults, written out."""
    node = tc.get_model("aln")
    assert node.params == dict(cee=0.3, cie=0.3, cei=0.5, cii=0.5, Ke=800.0, Ki=200.0, de=4.0, di=2.0)
    assert node.masses["E"].params == dict(J_e=2.43, J_i=-3.3, tau_se=2.0, tau_si=5.0, C=200.0, gL=10.0,
                                           sigma_ext=1.5, mu_ext=0.4, a=0.0, b=0.0, EA=-80.0, tauA=200.0,
                                           lam=10.0)
    assert node.masses["I"].params == dict(J_e=2.6, J_i=-1.64, tau_se=2.0, tau_si=5.0, C=200.0, gL=10.0,
                                           sigma_ext=1.5, mu_ext=0.3, lam=10.0)
    assert EIF_DEFAULTS == dict(taum=20.0, EL=-65.0, DeltaT=1.5, VT=-50.0, Vr=-70.0, Vs=-40.0, Tref=1.5,
                                Vlb=-200.0)
    weights, delays = node.link_values()
    got = sorted((c.source, c.target, c.port, w, d) for c, w, d in zip(node.connections, weights, delays))
    assert got == sorted([("E", "E", "exc", 240.0, 4.0), ("E", "E", "exc_sq", 72.0, 4.0),
                          ("E", "I", "exc", 240.0, 4.0), ("E", "I", "exc_sq", 72.0, 4.0),
                          ("I", "E", "inh", 100.0, 2.0), ("I", "E", "inh_sq", 50.0, 2.0),
                          ("I", "I", "inh", 100.0, 2.0), ("I", "I", "inh_sq", 50.0, 2.0)])


def test_shipped_default_tables_are_found_and_hold_neurolib_values(monkeypatch, tmp_path):
    """The default grid's tables ship with the package (no minute-long first
    computation): found for the default arguments, never written to the
    cache, and equal to neurolib's published values at its grid points."""
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path))
    tables = compute_aln_tables()
    assert not list(tmp_path.glob("aln_tables_*"))
    mus, sigmas = tables["rate"].axes
    for mu, sigma, r_ref, v_ref, tau_ref in NEUROLIB:
        i, j = np.abs(mus - mu).argmin(), np.abs(sigmas - sigma).argmin()
        assert abs(mus[i] - mu) < 1e-9 and abs(sigmas[j] - sigma) < 1e-9      # on the grid
        assert tables["rate"].values[i, j] == pytest.approx(r_ref, rel=1e-4)
        assert tables["vmean"].values[i, j] == pytest.approx(v_ref, abs=2e-3)
        assert tables["tau"].values[i, j] == pytest.approx(tau_ref, rel=0.10)


@pytest.mark.slow
def test_shipped_default_tables_equal_a_fresh_computation():
    """About a minute: recompute the default grid and compare with the shipped file."""
    fresh, shipped = compute_aln_tables(cache=False), compute_aln_tables()
    for k in ("rate", "vmean", "tau"):
        assert np.allclose(fresh[k].values, shipped[k].values, rtol=1e-10, atol=1e-14)
