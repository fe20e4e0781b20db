"""Random stimuli: Ornstein-Uhlenbeck process and per-step white noise.

Randomness comes only from the generator the simulator passes (seeded by
``simulate(seed=...)``), so the same seed gives the same input.
"""
import numpy as np

from .base import RandomProcess, _duration, _number


class OrnsteinUhlenbeck(RandomProcess):
    """Ornstein-Uhlenbeck input: Gaussian, stationary, exponentially correlated.

    .. math::

        du = \\frac{\\mu - u}{\\tau} dt + \\sigma \\sqrt{2/\\tau}\\, dW, \\qquad
        \\langle u \\rangle = \\mu,\\ \\operatorname{Var} u = \\sigma^2,\\
        \\operatorname{corr}(u(t), u(t + s)) = e^{-|s|/\\tau}

    ``mean`` μ, ``sigma`` σ (the *stationary standard deviation*, not the
    diffusion coefficient), ``tau`` τ in ms. Every target port gets an
    independent process, started from the stationary distribution.

    Used alone (or scaled, ``k * ou``) as a ``simulate(stimuli=...)`` value
    it exposes :meth:`spec` and is generated inside the compiled loop with
    the exact update once per step. Inside a composite expression (``ou +
    Step(...)``, ``ou & ...``, ``ou.shift(...)``) or with a finite
    ``duration`` it is sampled in Python on the grid, chunk by chunk, with
    the exact AR(1) update

    .. math:: u_{k+1} = \\mu + (u_k - \\mu) e^{-\\Delta/\\tau} + \\sigma\\sqrt{1 - e^{-2\\Delta/\\tau}}\\, z_k

    and the state carried from one chunk to the next. Either way the
    marginal law at the grid times is exact for any dt.
    """

    def __init__(self, mean=0.0, sigma=1.0, tau=10.0, duration=None):
        owner = "OrnsteinUhlenbeck"
        self.mean = _number(mean, "mean", owner)
        self.sigma = _number(sigma, "sigma (stationary standard deviation)", owner)
        if self.sigma < 0:
            from ..errors import ModelError
            raise ModelError(f"{owner}: sigma = {self.sigma}; the standard deviation must be >= 0.")
        self.tau = _number(tau, "tau (ms)", owner, positive=True)
        self.duration = _duration(duration, owner)
        self._reset()

    def spec(self):
        if self.duration is not None:
            return None
        return {"kind": "ou", "mean": self.mean, "sigma": self.sigma, "tau": self.tau}

    def _fresh(self, t, n_targets, rng):
        x0 = self.mean + self.sigma * rng.standard_normal(n_targets)
        out = np.empty((len(t), n_targets))
        out[0] = x0
        if len(t) > 1:
            out[1:] = self._continue(t[1:], n_targets, rng, t[0], x0)
        return out

    def _continue(self, t, n_targets, rng, t_last, v_last):
        steps = np.diff(np.concatenate([[t_last], t]))
        z = rng.standard_normal((len(t), n_targets))
        a = np.exp(-steps / self.tau)
        b = self.sigma * np.sqrt(1.0 - a ** 2)
        y0 = np.asarray(v_last, dtype=float) - self.mean
        if np.allclose(steps, steps[0], rtol=1e-9, atol=0):
            a0 = a[0]
            from scipy.signal import lfilter     # here: importing scipy.signal costs ~0.6 s
            dev = lfilter([1.0], [1.0, -a0], b[0] * z, axis=0, zi=(a0 * y0)[None, :])[0]
        else:
            dev = np.empty_like(z)
            y = y0
            for k in range(len(t)):
                y = a[k] * y + b[k] * z[k]
                dev[k] = y
        return self.mean + dev


class WhiteNoise(RandomProcess):
    """Independent Gaussian values, one per grid time and target: N(``mean``, ``sigma``²).

    This is *per-step* noise: a new draw at every grid time t_n = n dt,
    held over the step by Euler / Euler-Maruyama and linearly interpolated
    between t_n and t_{n+1} at the intermediate stages of Heun and RK4. Its
    variance does not scale with dt, so it is not a Wiener increment: for
    white noise in the SDE sense use state noise (``Mass(noise=...)``) with
    ``method="euler_maruyama"``/``"stochastic_heun"``, or an
    :class:`OrnsteinUhlenbeck` input with a short ``tau``.
    """

    def __init__(self, sigma=1.0, mean=0.0, duration=None):
        owner = "WhiteNoise"
        self.sigma = _number(sigma, "sigma", owner)
        if self.sigma < 0:
            from ..errors import ModelError
            raise ModelError(f"{owner}: sigma = {self.sigma}; the standard deviation must be >= 0.")
        self.mean = _number(mean, "mean", owner)
        self.duration = _duration(duration, owner)
        self._reset()

    def _fresh(self, t, n_targets, rng):
        return self.mean + self.sigma * rng.standard_normal((len(t), n_targets))

    def _continue(self, t, n_targets, rng, t_last, v_last):
        return self._fresh(t, n_targets, rng)
