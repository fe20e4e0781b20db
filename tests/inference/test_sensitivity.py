"""Exact spectral sensitivities against central finite differences (<= 1e-6 relative).

The finite differences are taken at a fixed point solved to 1e-13, so that
their own error (truncation ~h^2, fixed-point noise ~tol/h) stays below 1e-7."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.inference import fit_spectra
from tcmcompose.inference.spectra import SpectralModel, feature_jacobian, features


def central_differences(sm, theta, h):
    out = []
    for j in range(len(theta)):
        e = np.zeros(len(theta))
        e[j] = h
        out.append((sm.predict(theta + e) - sm.predict(theta - e)) / (2 * h))
    return np.stack(out, axis=-1)


def assert_matches(sm, theta, steps=(1e-3, 1e-4, 1e-5), rtol=1e-6):
    """Every column within ``rtol`` (max-norm, relative) of central differences at the
    best of ``steps`` (truncation error falls as h^2, rounding grows as 1/h)."""
    sm.fixed_point_tol = 1e-13
    G, dG = sm.predict_with_gradient(theta)
    np.testing.assert_allclose(G, sm.predict(theta), rtol=1e-12, atol=1e-14 * np.abs(G).max())
    err = np.full(len(theta), np.inf)
    for h in steps:
        fd = central_differences(sm, theta, h)
        scale = np.abs(fd).max(axis=(0, 1, 2))
        err = np.minimum(err, np.abs(dG - fd).max(axis=(0, 1, 2)) / scale)
    bad = {name: f"{e:.1e}" for name, e in zip(sm.names, err) if not e <= rtol}
    assert not bad, f"relative errors above {rtol}: {bad}"
    return dG


@pytest.fixture(scope="module")
def column():
    col = tc.TCMColumn(H_SP_SS=-1.0)
    return col, tc.build(col, eager=False)


def test_tcm_column_sensitivities_match_finite_differences(column):
    """Connection gains (node parameters in link expressions), the intrinsic delay
    scale (delays move: -s e^{-s d} dd), mass parameters (firing threshold, time
    constant, capacitance, M-channel gain), read-out and noise parameters."""
    col, model = column
    free = {n: (0.0, 1 / 8) for n in ("node.H_SI_SP", "node.Gb_SP_SI", "node.H_TP_DP", "node.ID", "SP.S",
                                       "SS.T_ampa", "DP.CV", "TP.Mh")}
    sm = SpectralModel(model, np.linspace(4, 100, 32), free, col.input_targets, col.lfp_weights, readout_free=True)
    rng = np.random.default_rng(0)
    theta = np.concatenate([rng.normal(0, 0.1, len(free)), rng.normal(0, 0.2, len(sm.readout)),
                            [0.3, 0.2, -3.0, 0.5]])
    dG = assert_matches(sm, theta)
    assert np.all(np.abs(dG[..., :len(free)]).max(axis=(0, 1, 2)) > 0)     # every parameter moves the spectrum


def test_network_sensitivities_coupling_gain_and_delay_scale(jr_model):
    """Four channels (complex cross-spectra), a mass parameter per node, and the
    coupling's gain and delay scaling."""
    cname = jr_model.couplings[0].name
    free = {"JR.A": (3.25, 0.1), "JR.mu": (0.22, 0.01), f"{cname}.gain": (1.0, 0.1),
            f"{cname}.delay_scale": (1.0, 0.1)}
    sm = SpectralModel(jr_model, np.linspace(2, 40, 16), free, "JR.c", "JR.y0", readout_free=False)
    saved = jr_model.params["value"].to_numpy(copy=True)
    try:
        theta = np.concatenate([[3.3, 0.2, 1.1, 0.9], [0.0, 0.0, -2.0, 0.0, -3.0, 0.0]])
        dG = assert_matches(sm, theta)
        off = ~np.eye(4, dtype=bool)
        assert sm.p == 4 and np.abs(dG[:, off, 3]).max() > 0          # the delays move cross-spectra
        # the feature Jacobian: complex upper triangle, and log auto-spectra
        G, _ = sm.predict_with_gradient(theta)
        assert feature_jacobian(G, dG, "csd").shape == features(G, "csd").shape + (len(theta),)
        h = 1e-6
        e = np.zeros(len(theta))
        e[2] = h
        fd = (features(sm.predict(theta + e), "log_psd") - features(sm.predict(theta - e), "log_psd")) / (2 * h)
        np.testing.assert_allclose(feature_jacobian(G, dG, "log_psd")[..., 2], fd, rtol=1e-6, atol=1e-9)
    finally:
        jr_model.params["value"] = saved


def test_fit_with_analytic_and_fd_jacobians_agree(linear_model):
    freqs = np.linspace(2, 60, 24)
    free = {"linear.tau": (10.0, 100.0)}
    sm = SpectralModel(linear_model, freqs, free, "linear.u", "linear.x", readout_free=False)
    data = sm.predict(np.array([14.0, 0.5, 0.3, -6.0, 0.0]))      # (the model's own tau is left as it was)
    data = data * np.exp(0.02 * np.random.default_rng(0).standard_normal(data.shape))
    # spectral exponents known (otherwise tau and the 1/f exponent trade off over 2-60 Hz)
    obs = {"innovation.log_amplitude": (0.0, 1.0), "innovation.exponent": (0.3, 1e-6),
           "channel.common_log_amplitude": (-6.0, 1.0), "channel.common_exponent": (0.0, 1e-6)}
    fits = {j: fit_spectra(linear_model, data, freqs, free, "linear.u", "linear.x", readout_free=False,
                           obs_priors=obs, check_stability=None, jacobian=j, feature="log_psd")
            for j in ("analytic", "fd")}
    a, f = fits["analytic"].posterior, fits["fd"].posterior
    assert 12.0 < a.mean["linear.tau"] < 16.0           # generating value 14 ms (prior 10 ms)
    assert a.mean["linear.tau"] == pytest.approx(f.mean["linear.tau"], rel=1e-3)
    assert a.F == pytest.approx(f.F, abs=0.05)
    with pytest.raises(ModelError, match="jacobian must be"):
        fit_spectra(linear_model, data, freqs, free, "linear.u", "linear.x", jacobian="exact")
