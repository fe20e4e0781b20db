"""Variational Laplace against the closed-form linear-Gaussian posterior and evidence."""
import numpy as np
import pytest
from scipy.stats import multivariate_normal

from tcmcompose.errors import ModelError
from tcmcompose.inference import variational_laplace
from tcmcompose.inference.laplace import expm_step


def linear_problem(seed=0, n_y=40, n=5, noise_var=0.3):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n_y, n))
    eta = rng.standard_normal(n) * 0.5
    L = rng.standard_normal((n, n)) * 0.3
    C = L @ L.T + np.diag(rng.uniform(0.2, 1.0, n))
    theta = rng.multivariate_normal(eta, C)
    y = A @ theta + rng.standard_normal(n_y) * np.sqrt(noise_var)
    return A, eta, C, y, noise_var


def closed_form(A, eta, C, y, noise_var):
    Pi = np.eye(len(y)) / noise_var
    P = A.T @ Pi @ A + np.linalg.inv(C)
    Sigma = np.linalg.inv(P)
    mu = Sigma @ (A.T @ Pi @ y + np.linalg.solve(C, eta))
    logev = multivariate_normal(A @ eta, noise_var * np.eye(len(y)) + A @ C @ A.T).logpdf(y)
    return mu, Sigma, logev


@pytest.mark.parametrize("analytic", [True, False])
def test_linear_gaussian_posterior_and_evidence_are_exact(analytic):
    A, eta, C, y, s2 = linear_problem()
    mu, Sigma, logev = closed_form(A, eta, C, y, s2)
    post = variational_laplace(lambda th: A @ th, y, eta, C, noise_precision=1 / s2,
                               jacobian=(lambda th: A) if analytic else None, tol=1e-12, max_iter=200)
    assert post.converged
    tol = 1e-8 if analytic else 1e-7
    np.testing.assert_allclose(post.mean.to_numpy(), mu, rtol=0, atol=tol)
    np.testing.assert_allclose(post.cov.to_numpy(), Sigma, rtol=0, atol=tol)
    assert post.F == pytest.approx(logev, abs=tol)
    assert post.accuracy - post.complexity == pytest.approx(post.F, abs=1e-12)
    accepted = [h["F"] for h in post.history if h["accepted"]]
    assert np.all(np.diff(accepted[2:]) >= -1e-9)         # F rises over accepted steps


def test_complex_data_equal_stacked_real_and_imaginary_parts():
    """Re(e^H Pi e) for complex data: the same posterior as the stacked real problem
    (each complex datum counts once in n_y, so F differs only by the log 2 pi terms)."""
    rng = np.random.default_rng(3)
    A = rng.standard_normal((30, 3)) + 1j * rng.standard_normal((30, 3))
    th = rng.standard_normal(3)
    y = A @ th + 0.2 * (rng.standard_normal(30) + 1j * rng.standard_normal(30))
    Ar = np.vstack([A.real, A.imag])
    yr = np.concatenate([y.real, y.imag])
    a = variational_laplace(lambda t: A @ t, y, np.zeros(3), np.eye(3), noise_precision=4.0,
                            jacobian=lambda t: A, tol=1e-12)
    b = variational_laplace(lambda t: Ar @ t, yr, np.zeros(3), np.eye(3), noise_precision=4.0,
                            jacobian=lambda t: Ar, tol=1e-12)
    np.testing.assert_allclose(a.mean, b.mean, atol=1e-10)
    np.testing.assert_allclose(a.cov, b.cov, atol=1e-10)
    assert a.F - b.F == pytest.approx(0.5 * 30 * np.log(2 * np.pi) - 0.5 * 30 * np.log(4.0), abs=1e-8)


def test_zero_prior_variance_fixes_a_parameter_and_names_label_it():
    A, eta, C, y, s2 = linear_problem(seed=1, n=3)
    C = np.diag(np.diag(C))
    C[1, 1] = 0.0
    post = variational_laplace(lambda th: A @ th, y, eta, C, noise_precision=1 / s2, jacobian=lambda t: A,
                               names=["a", "b", "c"], tol=1e-10)
    assert post.mean["b"] == eta[1] and post.cov.loc["b", "b"] == 0.0
    keep = [0, 2]
    mu, Sigma, logev = closed_form(A[:, keep], eta[keep], C[np.ix_(keep, keep)], y - A[:, 1] * eta[1], s2)
    np.testing.assert_allclose(post.mean[["a", "c"]], mu, atol=1e-8)
    assert post.F == pytest.approx(logev, abs=1e-8)
    assert list(post.interval(0.9).columns) == ["lower", "upper"]


def test_hyperparameters_recover_the_noise_precision():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((400, 4))
    y = A @ rng.standard_normal(4) + rng.standard_normal(400) * 0.5     # precision 4
    post = variational_laplace(lambda th: A @ th, y, np.zeros(4), np.eye(4) * 4, jacobian=lambda t: A,
                               hyper_mean=0.0, hyper_cov=16.0)
    assert post.converged
    assert np.exp(post.hyper[0]) == pytest.approx(4.0, rel=0.15)
    # the exact stationary point of F in lambda (weak prior): n/2 = e^lambda (|e|^2 + tr(Sigma A'A))/2 + prior term
    e = y - A @ post.mean.to_numpy()
    lam = post.hyper[0]
    grad = 200 - 0.5 * np.exp(lam) * (e @ e + np.sum(post.cov.to_numpy() * (A.T @ A))) - lam / 16
    assert abs(grad) < 0.5
    assert post.hyper_cov.shape == (1, 1)


def test_nonlinear_model_and_tempering_reach_the_same_mode():
    t = np.linspace(0, 5, 60)
    g = lambda th: th[0] * np.exp(-np.exp(th[1]) * t)      # noqa: E731
    rng = np.random.default_rng(7)
    y = g(np.array([2.0, np.log(0.7)])) + 0.05 * rng.standard_normal(60)
    a = variational_laplace(g, y, np.array([1.0, 0.0]), np.eye(2), noise_precision=400.0, tol=1e-6)
    b = variational_laplace(g, y, np.array([1.0, 0.0]), np.eye(2), noise_precision=400.0, tol=1e-6,
                            temper=[0.1, 0.5, 1.0])
    assert a.converged and b.converged
    np.testing.assert_allclose(a.mean, [2.0, np.log(0.7)], atol=0.1)
    np.testing.assert_allclose(a.mean, b.mean, atol=1e-3)
    assert a.F == pytest.approx(b.F, abs=1e-2)


def test_expm_step_limits():
    H = -np.diag([1.0, 10.0])
    g = np.array([1.0, 2.0])
    np.testing.assert_allclose(expm_step(H, g, 30.0), np.linalg.solve(-H, g), rtol=1e-12)   # Gauss-Newton
    t = np.exp(-20.0 - np.log(10.0) / 2)
    np.testing.assert_allclose(expm_step(H, g, -20.0), t * g, rtol=1e-6)                    # gradient step


def test_bad_input_is_named():
    with pytest.raises(ModelError, match="prior_cov"):
        variational_laplace(lambda t: t, np.ones(3), np.zeros(3), np.ones(2))
    with pytest.raises(ModelError, match="returned 2 values"):
        variational_laplace(lambda t: t[:2], np.ones(3), np.zeros(3), np.ones(3))
    with pytest.raises(ModelError, match="NaN"):
        variational_laplace(lambda t: t, np.array([1.0, np.nan, 0.0]), np.zeros(3), np.ones(3))
