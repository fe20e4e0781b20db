"""Model comparison and Bayesian model reduction against refitting (exact for linear-Gaussian models)."""
import numpy as np
import pandas as pd
import pytest

from tcmcompose.errors import ModelError
from tcmcompose.inference import compare, compare_group, reduce_posterior, variational_laplace


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(11)
    A = rng.standard_normal((50, 4))
    theta = np.array([0.8, 0.0, -0.5, 0.3])          # second parameter truly absent
    y = A @ theta + 0.4 * rng.standard_normal(50)
    L = rng.standard_normal((4, 4)) * 0.2
    C = L @ L.T + np.eye(4)
    eta = np.array([0.1, 0.2, -0.1, 0.0])
    fit = lambda m, c: variational_laplace(lambda t: A @ t, y, m, c, noise_precision=1 / 0.16,  # noqa: E731
                                           jacobian=lambda t: A, tol=1e-12, names=list("abcd"))
    return fit, eta, C


def test_reduction_equals_refitting_a_switched_off_parameter(linear):
    fit, eta, C = linear
    full = fit(eta, C)
    eta_r, C_r = eta.copy(), C.copy()
    eta_r[1] = 0.0
    C_r[1, :] = C_r[:, 1] = 0.0
    refit = fit(eta_r, C_r)
    dF, red = reduce_posterior(full, fix={"b": 0.0})
    assert full.F + dF == pytest.approx(refit.F, abs=1e-8)
    np.testing.assert_allclose(red.mean, refit.mean, atol=1e-8)
    np.testing.assert_allclose(red.cov, refit.cov, atol=1e-8)
    assert dF > 0           # the data favour switching off the absent parameter


def test_reduction_equals_refitting_a_shrunk_prior(linear):
    fit, eta, C = linear
    full = fit(eta, C)
    C_r = C * 0.3
    eta_r = eta + 0.2
    dF, red = reduce_posterior(full, prior_mean=eta_r, prior_cov=C_r)
    refit = fit(eta_r, C_r)
    assert red.F == pytest.approx(refit.F, abs=1e-8)
    np.testing.assert_allclose(red.mean, refit.mean, atol=1e-8)


def test_reduction_cannot_free_a_fixed_parameter(linear):
    fit, eta, C = linear
    C0 = C.copy()
    C0[0, :] = C0[:, 0] = 0.0
    full = fit(eta, C0)
    with pytest.raises(ModelError, match="frees"):
        reduce_posterior(full, prior_cov=C)
    with pytest.raises(ModelError, match="no parameter"):
        reduce_posterior(full, fix=["zz"])


def test_compare_fixed_effects():
    table = compare({"m1": -10.0, "m2": -13.0, "m3": -10.0 - np.log(3)})
    assert list(table.index) == ["m1", "m3", "m2"]
    p = np.exp([0, -np.log(3), -3.0])
    np.testing.assert_allclose(table["probability"], p / p.sum(), rtol=1e-12)
    assert table["dF"].iloc[0] == 0.0


def test_random_effects_group_comparison():
    rng = np.random.default_rng(0)
    # 12 subjects: model 0 wins by 5 nats in 9 of them, model 1 in 3
    F = np.zeros((12, 2))
    F[:9, 0] = 5.0
    F[9:, 1] = 5.0
    F += 0.1 * rng.standard_normal(F.shape)
    g = compare_group(pd.DataFrame(F, columns=["A", "B"]), seed=1)
    # with decisive subjects u is ~0/1, so alpha ~ prior + counts
    np.testing.assert_allclose(g.alpha, [10.0, 4.0], atol=0.1)
    assert g.expected_frequency["A"] == pytest.approx(10 / 14, abs=0.01)
    # exceedance p(r_A > 1/2) for Beta(10, 4)
    from scipy.stats import beta
    assert g.exceedance["A"] == pytest.approx(beta(10, 4).sf(0.5), abs=0.01)
