"""Linearisation, characteristic roots, transfer functions and CSD against analytic forms and simulation."""
import numpy as np
import pytest
import scipy.signal
from scipy.special import lambertw

import tcmcompose as tc
from tcmcompose.analysis.characteristic import characteristic_roots
from tcmcompose.analysis.linearise import linearise
from tcmcompose.analysis.transfer import predict_csd, transfer_function


@pytest.fixture(scope="module")
def leaky():
    m = tc.Mass("leaky", states={"x": 0.0}, params={"tau": 10.0}, inputs=["u"], outputs={"x": "x"},
                equations={"x": "-x/tau + u"})
    return m


def test_single_linear_mass_gives_the_lorentzian(leaky):
    model = tc.build(leaky)
    f = np.linspace(1, 100, 64)
    w = 2 * np.pi * f / 1000
    tf = transfer_function(model, f, inputs="leaky.u", outputs="leaky.x")
    np.testing.assert_allclose(np.abs(tf.H[:, 0, 0]) ** 2, 1 / (1 / 100 + w ** 2), rtol=1e-12)
    csd = predict_csd(model, f, inputs="leaky.u", outputs="leaky.x", input_spectrum=0.3)
    np.testing.assert_allclose(csd.psd().iloc[:, 0], 2 / 1000 * 0.3 / (1 / 100 + w ** 2), rtol=1e-12)


def test_delayed_edge_gives_exact_phase(leaky):
    node = tc.Node("chain", {"A": leaky, "B": leaky.with_params(tau=4.0)}, [("A", "B", "u", 0.7, 12.5)])
    model = tc.build(node)
    f = np.linspace(1, 100, 50)
    s = 2j * np.pi * f / 1000
    for method in ("dense", "sparse", "woodbury"):
        H = transfer_function(model, f, inputs="A.u", outputs="B.x", method=method).H[:, 0, 0]
        expected = 0.7 * np.exp(-s * 12.5) / ((s + 0.1) * (s + 0.25))
        np.testing.assert_allclose(H, expected, rtol=1e-12)


def test_eigen_fast_path_equals_direct_solve(leaky):
    node = tc.Node("pair", {"A": leaky, "B": leaky.with_params(tau=3.0)},
                   [("A", "B", "u", 0.7), ("B", "A", "u", -0.4)])
    model = tc.build(node)
    f = np.linspace(0.5, 80, 40)
    a = transfer_function(model, f, ["A.u", "B.u"], ["A.x", "B.x"], method="eig").H
    b = transfer_function(model, f, ["A.u", "B.u"], ["A.x", "B.x"], method="dense").H
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


def test_scalar_dde_roots_against_lambert_w():
    a, b, tau = -0.5, -1.2, 2.0
    roots, err = characteristic_roots([[a]], [([[b]], tau)], n_roots=6, n_cheb=30)
    exact = np.array([a + lambertw(b * tau * np.exp(-a * tau), k) / tau for k in range(-5, 6)])
    exact = exact[np.argsort(-exact.real)][:6]
    for r in roots:
        assert np.min(np.abs(exact - r)) < 1e-10


def test_model_characteristic_roots_through_the_pieces():
    """x' = a x + b x(t - tau) built as a mass with a delayed self-connection."""
    m = tc.Mass("dde", states={"x": 0.0}, params={"a": -0.5}, inputs=["u"], outputs={"x": "x"},
                equations={"x": "a*x + u"})
    model = tc.build(tc.Node("n", {"X": m}, [("X", "X", "u", -1.2, 2.0)]))
    lin = linearise(model, np.zeros(1))
    roots, _ = lin.characteristic_roots(n_roots=4, n_cheb=30)
    exact = -0.5 + lambertw(-1.2 * 2.0 * np.exp(0.5 * 2.0), 0) / 2.0
    assert np.min(np.abs(roots - exact)) < 1e-10
    assert lin.eigenvalues()[0] == pytest.approx(-0.5 - 1.2)     # undelayed system


@pytest.fixture(scope="module")
def oscillators():
    """Two damped 20 Hz oscillators, delayed tanh coupling, additive noise on v."""
    osc = tc.Mass("osc", states={"x": 0.0, "v": 0.0},
                  params={"w": 2 * np.pi * 20 / 1000, "zeta": 0.15, "sigma": 0.002},
                  inputs=["u"], outputs={"r": "tanh(x)"},
                  equations={"x": "v", "v": "-w**2*x - 2*zeta*w*v + w**2*u"}, noise={"v": "sigma"})
    W = np.array([[0.0, 0.3], [-0.25, 0.0]])
    D = np.array([[0.0, 8.0], [5.0, 0.0]])
    net = tc.Network([tc.Node("o", {"O": osc})] * 2, W, D, couplings=[tc.Coupling("O.r", "O.u")])
    return tc.build(net)


def test_predicted_psd_matches_welch_of_a_long_noisy_simulation(oscillators):
    """Small noise around the stable fixed point x = 0: the linear prediction should match
    the Welch PSD within sampling error (median |log ratio| < 0.1, worst bin < 0.5) over 2-100 Hz."""
    roots, _ = linearise(oscillators, np.zeros(4)).characteristic_roots(2, n_cheb=40)
    assert roots[0].real < 0                      # stable (weakly damped ~18 Hz mode)
    dt, every = 0.05, 5
    res = oscillators.simulate(120_000.0, dt, method="stochastic_heun", seed=11, every=every,
                               transient=1000.0, record=["O.x"])
    fs = 1000.0 / (dt * every)
    f, pxx = scipy.signal.welch(res["O.x"], fs=fs, nperseg=4000, axis=0)
    band = (f >= 2) & (f <= 100)
    sigma2 = 0.002 ** 2
    csd = predict_csd(oscillators, f[band], inputs="O.v", outputs="O.x", input_spectrum=sigma2,
                      x=np.zeros(4))
    pred = csd.psd().to_numpy()
    logratio = np.log(pxx[band] / pred)
    assert np.median(np.abs(logratio)) < 0.1
    assert np.max(np.abs(logratio)) < 0.5


def test_unstable_expansion_point_warns_with_the_delayed_root():
    """x' = a x + b x(t - tau) with a = 0.02, b = 0.01 per ms, tau = 5 ms: the rightmost root is
    real, a + b exp(-s tau) = s (Lambert W), positive; predict_csd warns (or raises) naming it."""
    m = tc.Mass("dde", states={"x": 0.0}, params={"a": 0.02}, inputs=["u"], outputs={"x": "x"},
                equations={"x": "a*x + u"})
    model = tc.build(tc.Node("n", {"X": m}, [("X", "X", "u", 0.01, 5.0)]))
    lin = linearise(model, np.zeros(1))
    exact = 0.02 + lambertw(0.01 * 5.0 * np.exp(-0.02 * 5.0), 0).real / 5.0
    assert lin.rightmost_root() == pytest.approx(exact, rel=1e-10)
    assert lin.delay_free_eigenvalues()[0].real == pytest.approx(0.03)
    with pytest.warns(RuntimeWarning, match=f"characteristic root {exact * 1000:.3g}"):
        predict_csd(lin, [10.0], "X.u", "X.x")
    with pytest.raises(tc.ModelError, match="unstable"):
        predict_csd(lin, [10.0], "X.u", "X.x", stability="error")


def test_per_frequency_input_spectrum_equals_scalar_runs(leaky):
    model = tc.build(leaky)
    f = np.array([5.0, 20.0, 40.0])
    ou = 1.0 / (1 / 25.0 + (2 * np.pi * f / 1000) ** 2)          # Lorentzian (OU input)
    a = predict_csd(model, f, "leaky.u", "leaky.x", input_spectrum=ou[:, None]).values[:, 0, 0]
    for k in range(3):
        b = predict_csd(model, f[k:k + 1], "leaky.u", "leaky.x", input_spectrum=ou[k]).values[0, 0, 0]
        assert a[k] == pytest.approx(b, rel=1e-12)
