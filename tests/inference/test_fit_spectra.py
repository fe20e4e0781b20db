"""Spectral fitting on a small composed model: exact predictions, parameter recovery, model comparison."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.inference import compare, fit_spectra
from tcmcompose.inference.spectra import SpectralModel, UnstableError

FREQS = np.linspace(2, 60, 48)
FREE = {"node.g_AB": (0.0, 1 / 4), "node.g_BA": (0.0, 1 / 4), "A.lz": (0.0, 1 / 8), "B.lz": (0.0, 1 / 8)}
#: observation priors of the synthetic data (the data are drawn from the whole generative model)
OBS = {"innovation.log_amplitude": (0.0, 1 / 4), "innovation.exponent": (0.0, 1 / 16),
       "channel.common_log_amplitude": (-4.0, 1 / 4), "channel.common_exponent": (0.0, 1 / 16),
       "channel.specific_log_amplitude": (-5.0, 1 / 4), "channel.specific_exponent": (0.0, 1 / 16)}


def oscillator(f_hz):
    return tc.Mass("osc", states={"x": 0.0, "v": 0.0},
                   params={"w": 2 * np.pi * f_hz / 1000, "lz": 0.0}, inputs=["u"],
                   outputs={"r": "tanh(x)"},
                   equations={"x": "v", "v": "-w**2*x - 2*0.2*exp(lz)*w*v + w**2*u"})


def pair(coupled=True):
    links = [("A.r", "B", "u", "0.6*exp(g_AB)", 6.0)]
    if coupled:
        links.append(("B.r", "A", "u", "-0.5*exp(g_BA)", 4.0))
    params = {"g_AB": 0.0, "g_BA": 0.0}
    return tc.Node("pair", {"A": oscillator(10.0), "B": oscillator(25.0)}, links, params=params)


@pytest.fixture(scope="module")
def models():
    return {"coupled": tc.build(pair(True)), "feedforward": tc.build(pair(False))}


def synthetic(model, theta, seed, free=FREE, obs=None):
    sm = SpectralModel(model, FREQS, free, ["A.u", "B.u"], ["A.x", "B.x"], readout_free=False)
    rng = np.random.default_rng(seed)
    obs = [m for m, v in OBS.values()] if obs is None else obs
    theta = np.concatenate([theta, obs])
    G = sm.predict(theta)
    # i.i.d. noise as the likelihood assumes: sd 3 % of the largest entry, real on the
    # diagonal and complex (Hermitian) off it
    sd = 0.03 * np.abs(G).max()
    noise = sd * (rng.standard_normal(G.shape) + 1j * rng.standard_normal(G.shape))
    noise = np.triu(noise, 1) + np.conj(np.transpose(np.triu(noise, 1), (0, 2, 1))) \
        + np.eye(G.shape[1]) * sd * rng.standard_normal(G.shape[:2])[:, :, None]
    return G + noise, dict(zip(sm.names, theta))


def test_prediction_equals_predict_csd(models):
    model = models["coupled"]
    sm = SpectralModel(model, FREQS, FREE, ["A.u", "B.u"], ["A.x", "B.x"], readout_free=True)
    theta = np.array([0.3, -0.2, 0.1, -0.1, 0.2, -0.3, 1.0, 0.5, -3.0, 0.7, -4.0, 1.2])
    G = sm.predict(theta)
    saved = model.params["value"].to_numpy(copy=True)
    for name, v in zip(sm.neural, theta[:4]):
        model.set_param(name, v)
    x = tc.fixed_point(model).x
    ref = tc.predict_csd(model, FREQS, ["A.u", "B.u"], {"A.x": np.exp(0.2)}, input_spectrum=np.exp(1.0),
                         alpha=0.5, x=x).values[:, 0, 0]
    refB = tc.predict_csd(model, FREQS, ["A.u", "B.u"], {"B.x": np.exp(-0.3)}, input_spectrum=np.exp(1.0),
                          alpha=0.5, x=x).values[:, 0, 0]
    model.params["value"] = saved
    common = np.exp(-3.0) * FREQS ** -0.7
    specific = np.exp(-4.0) * FREQS ** -1.2
    np.testing.assert_allclose(G[:, 0, 0].real, ref.real + common + specific, rtol=1e-10)
    np.testing.assert_allclose(G[:, 1, 1].real, refB.real + common + specific, rtol=1e-10)
    np.testing.assert_allclose(G, np.conj(np.transpose(G, (0, 2, 1))), rtol=1e-12)   # Hermitian


def test_recovery_and_rising_free_energy(models):
    """Generating values drawn from the prior (all 10 parameters, four seeds) lie in the
    posterior 90 % intervals, and F rises over accepted iterations. A calibrated posterior
    puts 90 % inside in expectation; the 5th percentile of Binomial(40, 0.9) is 32, so
    at least 80 % (32/40) must be inside (measured: 35/40)."""
    model = models["coupled"]
    inside, total = 0, 0
    for seed in range(4):
        rng = np.random.default_rng(100 + seed)
        theta = np.array([rng.normal(m, np.sqrt(v)) for m, v in FREE.values()])
        obs = np.array([rng.normal(m, np.sqrt(v)) for m, v in OBS.values()])
        data, truth = synthetic(model, theta, seed, obs=obs)
        fit = fit_spectra(model, data, FREQS, FREE, ["A.u", "B.u"], ["A.x", "B.x"], readout_free=False,
                          obs_priors=OBS, check_stability=None, restarts=1, seed=seed)
        ci = fit.posterior.interval(0.9)
        for name in fit.posterior.names:
            total += 1
            inside += ci.loc[name, "lower"] <= truth[name] <= ci.loc[name, "upper"]
        F = [h["F"] for h in fit.posterior.history if h["accepted"]]
        assert np.all(np.diff(F[2:]) > -1e-6)
        assert fit.posterior.F > fit.posterior.history[0]["F"]
        assert np.max(np.abs(fit.predicted - data)) < 0.25 * np.max(np.abs(data))
    assert inside / total >= 0.8, f"{inside}/{total} generating values inside the 90 % intervals"


def test_model_comparison_picks_the_generating_model(models):
    data, _ = synthetic(models["coupled"], np.array([0.2, 0.1, 0.0, 0.0]), seed=7)
    fits = {}
    for name, model in models.items():
        free = FREE if name == "coupled" else {k: v for k, v in FREE.items() if k != "node.g_BA"}
        fits[name] = fit_spectra(model, data, FREQS, free, ["A.u", "B.u"], ["A.x", "B.x"], readout_free=False,
                                 obs_priors=OBS, check_stability=None).posterior
    table = compare(fits)
    assert table.index[0] == "coupled" and table["dF"].iloc[1] < -3.0


def test_unstable_expansion_point_is_reported(models, linear_model):
    sm = SpectralModel(models["coupled"], FREQS, FREE, ["A.u", "B.u"], ["A.x", "B.x"])
    root, undelayed = sm.rightmost_root(np.zeros(len(sm.names)))
    assert root.real < 0 and undelayed.real < 0
    # x' = -x/tau + u with tau = -20 ms: the fixed point x = 0 grows at +50 per s
    w = 2 * np.pi * FREQS / 1000
    data = 2 / 1000 / (0.05 ** 2 + w ** 2) + 1e-3
    free = {"linear.tau": (-20.0, 1e-8)}
    with pytest.warns(RuntimeWarning, match="unstable: rightmost characteristic root 50 \\+0i per s"):
        fit_spectra(linear_model, data, FREQS, free, "linear.u", "linear.x", max_iter=2)
    with pytest.raises(UnstableError, match="rightmost characteristic root"):
        fit_spectra(linear_model, data, FREQS, free, "linear.u", "linear.x", max_iter=2, check_stability="error")
    assert linear_model.params["value"].iloc[0] == 10.0         # parameters restored


def test_bad_requests_are_named(models):
    model = models["coupled"]
    with pytest.raises(ModelError, match="no usable prior"):
        fit_spectra(model, np.ones((len(FREQS), 2, 2)), FREQS, ["A.w"], ["A.u"], ["A.x", "B.x"])
    with pytest.raises(ModelError, match="no parameter"):
        fit_spectra(model, np.ones((len(FREQS), 2, 2)), FREQS, {"A.nope": (0, 1)}, ["A.u"], ["A.x", "B.x"])
    with pytest.raises(ModelError, match="expected"):
        fit_spectra(model, np.ones((len(FREQS), 3, 3)), FREQS, FREE, ["A.u"], ["A.x", "B.x"])
