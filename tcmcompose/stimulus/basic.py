"""Deterministic stimuli: zero, constant, step, rectangular pulse train, sinusoid.

Times in ms, frequencies in Hz. On/off edges are inclusive at the start and
exclusive at the end (``start <= t < stop``), with a tolerance of
:data:`~tcmcompose.stimulus.base.EDGE_EPS` ms for grid rounding.
"""
import numpy as np

from ..errors import ModelError
from .base import EDGE_EPS, Stimulus, _duration, _number


def _window(t, start, stop):
    on = t >= start - EDGE_EPS
    if stop is not None:
        on &= t < stop - EDGE_EPS
    return on


def _start_stop(start, stop, owner):
    start = _number(start, "start (ms)", owner)
    stop = _number(stop, "stop (ms)", owner, allow_none=True)
    if stop is not None and stop < start:
        raise ModelError(f"{owner}: stop = {stop} ms is before start = {start} ms.")
    return start, stop


class ZeroInput(Stimulus):
    """No input (0 at all times); with a ``duration``, a silent gap for ``&``."""

    def __init__(self, duration=None):
        self.duration = _duration(duration, "ZeroInput")

    def _values(self, t, n_targets, rng):
        return np.zeros((len(t), 1))


class Constant(Stimulus):
    """A constant ``value`` (for ``duration`` ms, or for ever)."""

    def __init__(self, value, duration=None):
        self.value = _number(value, "value", "Constant")
        self.duration = _duration(duration, "Constant")

    def _values(self, t, n_targets, rng):
        return np.full((len(t), 1), self.value)


class Step(Stimulus):
    """``baseline`` plus ``amplitude`` from ``onset`` to ``stop`` (ms; None: never switches off).

    .. math:: u(t) = b + A\\,[t_{on} \\le t < t_{off}]
    """

    def __init__(self, amplitude=1.0, onset=0.0, stop=None, baseline=0.0, duration=None):
        owner = "Step"
        self.amplitude = _number(amplitude, "amplitude", owner)
        self.onset, self.stop = _start_stop(onset, stop, owner)
        self.baseline = _number(baseline, "baseline", owner)
        self.duration = _duration(duration, owner)

    def _values(self, t, n_targets, rng):
        return (self.baseline + self.amplitude * _window(t, self.onset, self.stop))[:, None]


class SquarePulses(Stimulus):
    """A rectangular pulse train.

    Pulses of height ``amplitude`` and ``width`` ms start at ``start`` and
    repeat every ``period`` ms (or at ``frequency`` Hz: period = 1000/frequency)
    until ``stop``:

    .. math:: u(t) = A\\,[t_0 \\le t < t_1]\\,[((t - t_0) \\bmod T) < w]

    A pulse cut by ``stop`` ends at ``stop``.
    """

    def __init__(self, amplitude=1.0, period=None, width=1.0, start=0.0, stop=None, frequency=None,
                 duration=None):
        owner = "SquarePulses"
        if (period is None) == (frequency is None):
            raise ModelError(f"{owner}: give exactly one of period (ms) or frequency (Hz).")
        if frequency is not None:
            period = 1000.0 / _number(frequency, "frequency (Hz)", owner, positive=True)
        self.amplitude = _number(amplitude, "amplitude", owner)
        self.period = _number(period, "period (ms)", owner, positive=True)
        self.width = _number(width, "width (ms)", owner, positive=True)
        if self.width > self.period:
            raise ModelError(f"{owner}: width = {self.width} ms exceeds period = {self.period} ms.")
        self.start, self.stop = _start_stop(start, stop, owner)
        self.duration = _duration(duration, owner)

    @property
    def frequency(self):
        """Pulse rate in Hz."""
        return 1000.0 / self.period

    def _values(self, t, n_targets, rng):
        phase = np.mod(t - self.start + EDGE_EPS, self.period)
        on = _window(t, self.start, self.stop) & (phase < self.width)
        return (self.amplitude * on)[:, None]


class Sinusoid(Stimulus):
    """A sinusoid switched on between ``start`` and ``stop`` (ms).

    .. math:: u(t) = c + A \\sin(2\\pi f (t - t_0)/1000 + \\varphi), \\quad t_0 \\le t < t_1

    ``frequency`` f in Hz (t in ms, hence the 1/1000), ``phase`` φ in
    radians, ``offset`` c added while on; zero outside the window. The phase
    is counted from ``start`` (so the wave starts at c + A sin φ).
    """

    def __init__(self, amplitude=1.0, frequency=10.0, phase=0.0, offset=0.0, start=0.0, stop=None,
                 duration=None):
        owner = "Sinusoid"
        self.amplitude = _number(amplitude, "amplitude", owner)
        self.frequency = _number(frequency, "frequency (Hz)", owner)
        if self.frequency < 0:
            raise ModelError(f"{owner}: frequency = {self.frequency} Hz must be >= 0.")
        self.phase = _number(phase, "phase (rad)", owner)
        self.offset = _number(offset, "offset", owner)
        self.start, self.stop = _start_stop(start, stop, owner)
        self.duration = _duration(duration, owner)

    def _values(self, t, n_targets, rng):
        on = _window(t, self.start, self.stop)
        w = 2 * np.pi * self.frequency / 1000.0
        v = self.offset + self.amplitude * np.sin(w * (t - self.start) + self.phase)
        return (v * on)[:, None]
