"""Evidence that inversion works on the TCM column (issue 13): parameter recovery,
model comparison between composed candidates, and model reduction against refitting.

Synthetic data are drawn from the whole generative model (parameters from the
prior, i.i.d. Gaussian noise on the CSD as the likelihood assumes). The column's
default expansion point has an unstable 52 Hz mode once its intrinsic delays are
included (rightmost root about +72/s); its linear response on the imaginary
axis is still a well-defined function of the parameters, which is what is
inverted here (``check_stability=None``). The default suite runs one short case
of each; the ``slow`` versions repeat them over seeds.
"""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.inference import compare, fit_spectra, reduce_posterior
from tcmcompose.inference.spectra import SpectralModel

FREQS = np.linspace(4, 100, 48)
GAINS = ["node.H_SP_SP", "node.H_SP_SI", "node.H_SI_SP", "node.H_SI_SI", "node.H_DP_SP", "node.H_TP_DP",
         "node.H_RC_TP", "node.Hn_SP_SP", "node.Gb_SP_SI", "node.H_DP_DP", "node.H_SS_RC", "node.Hn_SP_SS",
         "node.H_DI_DI", "node.H_TP_TP", "node.Gb_DP_DP", "node.H_RC_SS"]
OBS = {"innovation.log_amplitude": (0.0, 1 / 4), "innovation.exponent": (0.0, 1 / 16),
       "channel.common_log_amplitude": (-8.0, 1 / 4), "channel.common_exponent": (0.0, 1 / 16)}


@pytest.fixture(scope="module")
def column():
    col = tc.TCMColumn(H_SP_SS=-1.0)
    return col, tc.build(col, eager=False)


def priors(model, names):
    """Prior (mean, variance) of each name from model.params (the TCM defines them)."""
    t = model.params
    out = {}
    for name in names:
        label, _, p = name.rpartition(".")
        row = t.loc[(t.index.get_level_values(1) == label) & (t.index.get_level_values(2) == p)].iloc[0]
        out[name] = (float(row["prior_mean"]), float(row["prior_var"]))
    return out


def synthetic(col, model, free, theta, seed, sd=0.05):
    """Spectrum with i.i.d. Gaussian noise of s.d. ``sd`` on its logarithm (the fitted feature)."""
    sm = SpectralModel(model, FREQS, free, col.input_targets, col.lfp_weights, readout_free=False)
    G = sm.predict(theta)
    rng = np.random.default_rng(seed)
    return G * np.exp(sd * rng.standard_normal(G.shape)), dict(zip(sm.names, theta))


def fit(col, model, data, free, **kw):
    """Fit the log auto-spectrum. The noise precision's hyperprior is widened (variance 4
    instead of SPM's e^-4, which pins the precision near its data-variance guess) so
    that the 5 % noise level is learned from the data."""
    return fit_spectra(model, data, FREQS, free, col.input_targets, col.lfp_weights, readout_free=False,
                       obs_priors=OBS, check_stability=None, feature="log_psd", hyper_cov=4.0, **kw)


def recovery(col, model, n_free, seeds, spread=1.0, **kw):
    """(inside, total) of generating values inside the 90 % posterior intervals; the
    values are drawn from the prior with its standard deviations times ``spread``."""
    free = priors(model, GAINS[:n_free])
    inside = total = 0
    saved = model.params["value"].to_numpy(copy=True)
    for seed in seeds:
        rng = np.random.default_rng(1000 + seed)
        theta = np.array([rng.normal(m, spread * np.sqrt(v)) for m, v in list(free.values()) + list(OBS.values())])
        data, truth = synthetic(col, model, free, theta, seed)
        model.params["value"] = saved
        post = fit(col, model, data, free, **kw).posterior
        ci = post.interval(0.9)
        for name in post.names:
            total += 1
            ok = ci.loc[name, "lower"] <= truth[name] <= ci.loc[name, "upper"]
            inside += ok

        F = [h["F"] for h in post.history if h["accepted"]]
        assert np.all(np.diff(F[2:]) > -1e-6), "F fell over accepted iterations"
        assert post.F > post.history[0]["F"]
    return inside, total


def test_recovery_16_gains_moderate_effects(column):
    """16 connection gains + 4 noise parameters, generating values drawn with half the
    prior standard deviations (effects of typical size): >= 90 % inside the 90 %
    intervals (195/200 over the 10 seeds of the slow test)."""
    inside, total = recovery(*column, 16, seeds=range(3), spread=0.5)
    assert inside / total >= 0.9, f"{inside}/{total}"


@pytest.mark.slow
def test_recovery_over_seeds(column):
    """Over 10 seeds, 16 gains + 4 noise parameters: half-spread draws >= 90 % inside
    (measured 195/200). Draws from the whole prior reach the tails where the Laplace
    posterior of this nonlinear model is overconfident: measured 163/200 (81.5 %,
    where a calibrated posterior would cover 90 %); asserted >= 80 %."""
    inside, total = recovery(*column, 16, seeds=range(10), spread=0.5)
    assert inside / total >= 0.9, f"{inside}/{total}"
    inside, total = recovery(*column, 16, seeds=range(10), spread=1.0)
    assert inside / total >= 0.8, f"{inside}/{total}"


NMDA_LINK = "node.Hn_SI_SI"          # NMDA on the SI -> SI link
OTHERS = GAINS[:4]


def candidates(column, data, nmda):
    """Fit the column with the NMDA link (its gain free) or without it (gain e^-20, fixed)."""
    col, model = column
    saved = model.params["value"].to_numpy(copy=True)
    try:
        model.set_param(NMDA_LINK, 0.0 if nmda else -20.0)
        free = priors(model, OTHERS + ([NMDA_LINK] if nmda else []))
        return fit(col, model, data, free)
    finally:
        model.params["value"] = saved


@pytest.mark.parametrize("generating", ["with NMDA", "without NMDA"])
def test_comparison_picks_the_generating_column(column, generating):
    """Two composed candidates: the column with NMDA on the SI -> SI link, and without it.
    Each wins on its own data (measured dF 3.6 and 4.9 nats)."""
    col, model = column
    saved = model.params["value"].to_numpy(copy=True)
    rng = np.random.default_rng(5)
    values = rng.normal(0, 0.2, len(OTHERS))
    model.set_param(NMDA_LINK, 0.4 if generating == "with NMDA" else -20.0)
    data, _ = synthetic(col, model, priors(model, OTHERS), np.concatenate([values, [0.1, 0.0, -8.0, 0.0]]), 3)
    model.params["value"] = saved
    fits = {name: candidates(column, data, name == "with NMDA").posterior for name in ("with NMDA", "without NMDA")}
    table = compare(fits)
    assert table.index[0] == generating and table["dF"].iloc[1] < -3.0, table


def test_reduction_agrees_with_refitting_within_one_nat(column):
    """Full model: NMDA gain free (prior N(0, 1/8)); reduced: fixed at 0 (its prior
    variance shrunk to zero). Bayesian model reduction from the full posterior against
    refitting the reduced model (Laplace approximations both; measured difference 0.20 nats,
    posterior means within 0.03)."""
    col, model = column
    rng = np.random.default_rng(8)
    values = np.concatenate([rng.normal(0, 0.2, len(OTHERS)), [0.0]])
    free = priors(model, OTHERS + [NMDA_LINK])
    data, _ = synthetic(col, model, free, np.concatenate([values, [0.1, 0.0, -8.0, 0.0]]), 4)
    full = candidates(column, data, True).posterior
    dF, reduced = reduce_posterior(full, fix={NMDA_LINK: 0.0})
    refit = fit(col, model, data, priors(model, OTHERS)).posterior
    assert abs(full.F + dF - refit.F) < 1.0, (full.F + dF, refit.F)
    common = [n for n in refit.names]
    np.testing.assert_allclose(reduced.mean[common], refit.mean[common], atol=0.05)
