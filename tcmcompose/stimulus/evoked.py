"""Evoked (transient) inputs: exponential and alpha-function pulses.

Times in ms. Both are zero before ``onset``.
"""
import numpy as np

from .base import EDGE_EPS, Stimulus, _duration, _number


class ExponentialPulse(Stimulus):
    """A jump of height ``amplitude`` at ``onset`` decaying with time constant ``tau`` (ms).

    .. math:: u(t) = A\\, e^{-(t - t_0)/\\tau}\\, [t \\ge t_0]

    Its integral is :math:`A\\tau`.
    """

    def __init__(self, onset=0.0, amplitude=1.0, tau=10.0, duration=None):
        owner = "ExponentialPulse"
        self.onset = _number(onset, "onset (ms)", owner)
        self.amplitude = _number(amplitude, "amplitude", owner)
        self.tau = _number(tau, "tau (ms)", owner, positive=True)
        self.duration = _duration(duration, owner)

    def _values(self, t, n_targets, rng):
        s = t - self.onset
        on = s >= -EDGE_EPS
        return np.where(on, self.amplitude * np.exp(-np.maximum(s, 0.0) / self.tau), 0.0)[:, None]


class AlphaPulse(Stimulus):
    """An alpha function starting at ``onset``, peaking at ``amplitude`` after ``tau`` ms.

    .. math:: u(t) = A\\, \\frac{t - t_0}{\\tau}\\, e^{1 - (t - t_0)/\\tau}\\, [t \\ge t_0]

    The maximum A is reached at :math:`t = t_0 + \\tau`; the integral is
    :math:`A e \\tau`. (The normalisation makes ``amplitude`` the peak value.)
    """

    def __init__(self, onset=0.0, amplitude=1.0, tau=10.0, duration=None):
        owner = "AlphaPulse"
        self.onset = _number(onset, "onset (ms)", owner)
        self.amplitude = _number(amplitude, "amplitude", owner)
        self.tau = _number(tau, "tau (ms)", owner, positive=True)
        self.duration = _duration(duration, owner)

    def _values(self, t, n_targets, rng):
        s = np.maximum(t - self.onset, 0.0) / self.tau
        return (self.amplitude * s * np.exp(1.0 - s))[:, None]
