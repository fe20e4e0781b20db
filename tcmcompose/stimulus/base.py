"""The :class:`Stimulus` base class and its algebra (sum, concatenation, shift, scale).

A stimulus is a function of time (ms) sampled on the simulation grid by
``sample(t, n_targets, rng)``, which returns an array shaped
``(len(t), 1)`` (the same value for every target) or ``(len(t), n_targets)``
(one column per target port, e.g. independent noise per node). Every
stimulus is zero before t = 0 of its own clock and from its ``duration`` on
(``duration=None``: it never ends).

Algebra::

    a + b          sum (duration: the longer of the two; None if either is None)
    a - b, -a      difference, negation
    k * a, a.scale(k)   multiply by a number
    a & b          concatenation: b starts when a's duration ends (a needs a finite duration)
    a.shift(ms)    delay by ``ms`` (zero before)
"""
import numbers

import numpy as np

from ..checks import number
from ..errors import ModelError

#: tolerance (ms) used at on/off edges so that a grid time equal to an edge
#: up to rounding (30.000000000000004 vs 30) counts as "on" consistently.
EDGE_EPS = 1e-9


def _number(value, what, owner, positive=False, allow_none=False):
    if value is None and allow_none:
        return None
    return number(value, f"{owner}: {what}", positive=positive)


def _duration(value, owner):
    if value is None:
        return None
    v = _number(value, "duration (ms)", owner)
    if v < 0:
        raise ModelError(f"{owner}: duration = {v} ms; give a duration >= 0 or None (never ends).")
    return v


class Stimulus:
    """Base class of every stimulus; subclasses implement :meth:`_values`.

    ``_values(t, n_targets, rng)`` receives only the times inside the active
    window ``0 <= t < duration`` (increasing) and returns ``(len(t), 1)`` or
    ``(len(t), n_targets)`` values.
    """

    duration = None

    def _values(self, t, n_targets, rng):  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------ sampling
    def sample(self, t, n_targets=1, rng=None):
        """Values at times ``t`` (ms), shape ``(len(t), 1)`` or ``(len(t), n_targets)``.

        ``rng`` (a ``numpy.random.Generator``) feeds random stimuli; without
        it a fresh unseeded generator is used.
        """
        t = np.atleast_1d(np.asarray(t, dtype=float))
        if t.ndim != 1:
            raise ModelError(f"{self!r}: sample() needs a 1-d array of times (ms), got shape {t.shape}.")
        n_targets = int(n_targets)
        if n_targets < 1:
            raise ModelError(f"{self!r}: n_targets = {n_targets}; it must be >= 1.")
        if rng is None:
            rng = np.random.default_rng()
        active = t >= -EDGE_EPS
        if self.duration is not None:
            active &= t < self.duration - EDGE_EPS
        if active.all():
            out = self._checked(self._values(t, n_targets, rng), len(t), n_targets)
        else:
            out = np.zeros((len(t), 1))
            if active.any():
                v = self._checked(self._values(t[active], n_targets, rng), int(active.sum()), n_targets)
                if v.shape[1] != 1:
                    out = np.zeros((len(t), v.shape[1]))
                out[active] = v
        return out

    def _checked(self, v, n, n_targets):
        v = np.asarray(v, dtype=float)
        if v.ndim == 1:
            v = v[:, None]
        if v.ndim != 2 or v.shape[0] != n or v.shape[1] not in (1, n_targets):
            raise ModelError(f"{self!r} gave values of shape {v.shape}; expected ({n}, 1) or ({n}, {n_targets}).")
        return v

    def to_array(self, duration, dt, n_targets=1, seed=None):
        """Sample on the grid ``0, dt, ..., duration`` (ms): returns ``(t, values)``
        with ``values`` shaped ``(len(t), 1 or n_targets)``."""
        duration = _number(duration, "duration (ms)", repr(self))
        dt = _number(dt, "dt (ms)", repr(self), positive=True)
        t = np.arange(int(round(duration / dt)) + 1) * dt
        return t, self.sample(t, n_targets, np.random.default_rng(seed))

    def spec(self):
        """In-loop generation spec (only Ornstein-Uhlenbeck processes have one)."""
        return None

    # ------------------------------------------------------------- algebra
    def __add__(self, other):
        return Sum([self, as_stimulus(other)])

    def __radd__(self, other):
        return Sum([as_stimulus(other), self])

    def __sub__(self, other):
        return Sum([self, Scaled(as_stimulus(other), -1.0)])

    def __rsub__(self, other):
        return Sum([as_stimulus(other), Scaled(self, -1.0)])

    def __neg__(self):
        return Scaled(self, -1.0)

    def __mul__(self, k):
        if not isinstance(k, numbers.Real) or isinstance(k, bool):
            return NotImplemented
        return Scaled(self, k)

    __rmul__ = __mul__

    def scale(self, k):
        """This stimulus multiplied by the number ``k``."""
        return Scaled(self, k)

    def __and__(self, other):
        return Concat(self, as_stimulus(other))

    def shift(self, ms):
        """This stimulus delayed by ``ms`` (zero before)."""
        return Shifted(self, ms)

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"


def as_stimulus(obj):
    """A Stimulus from a Stimulus or a number (a constant)."""
    if isinstance(obj, Stimulus):
        return obj
    if isinstance(obj, numbers.Real) and not isinstance(obj, bool):
        from .basic import Constant
        return Constant(float(obj))
    raise ModelError(f"cannot combine a stimulus with {type(obj).__name__} {obj!r}; use a Stimulus or a number.")


def _widen(parts, n):
    width = max(p.shape[1] for p in parts)
    return [np.broadcast_to(p, (n, width)) for p in parts]


class Sum(Stimulus):
    """Sum of stimuli (built by ``a + b``)."""

    def __init__(self, terms):
        flat = []
        for s in terms:
            flat.extend(s.terms if isinstance(s, Sum) else [s])
        self.terms = flat
        d = [s.duration for s in flat]
        self.duration = None if any(x is None for x in d) else max(d)

    def _values(self, t, n_targets, rng):
        parts = [s.sample(t, n_targets, rng) for s in self.terms]
        return np.sum(_widen(parts, len(t)), axis=0)

    def __repr__(self):
        return "(" + " + ".join(map(repr, self.terms)) + ")"


class Scaled(Stimulus):
    """``k * stimulus``."""

    def __init__(self, stimulus, k):
        self.stimulus = as_stimulus(stimulus)
        self.k = _number(k, "scale factor", "Stimulus.scale")
        self.duration = self.stimulus.duration

    def _values(self, t, n_targets, rng):
        return self.k * self.stimulus.sample(t, n_targets, rng)

    def spec(self):
        s = self.stimulus.spec()
        if s is None or s.get("kind") != "ou":
            return None
        return dict(s, mean=self.k * s["mean"], sigma=abs(self.k) * s["sigma"])

    def __repr__(self):
        return f"{self.k:g}*{self.stimulus!r}"


class Shifted(Stimulus):
    """A stimulus delayed by ``delay`` ms (built by ``.shift``)."""

    def __init__(self, stimulus, delay):
        self.stimulus = as_stimulus(stimulus)
        self.delay = _number(delay, "shift (ms)", "Stimulus.shift")
        d = self.stimulus.duration
        self.duration = None if d is None else max(0.0, d + self.delay)

    def _values(self, t, n_targets, rng):
        return self.stimulus.sample(t - self.delay, n_targets, rng)

    def __repr__(self):
        return f"{self.stimulus!r}.shift({self.delay:g})"


class Concat(Stimulus):
    """``first & second``: ``second`` starts (its own t = 0) when ``first`` ends."""

    def __init__(self, first, second):
        if first.duration is None:
            raise ModelError(f"cannot concatenate after {first!r}: it has no duration (it never ends); "
                             "give it duration=... (ms).")
        self.first, self.second = first, second
        self.duration = None if second.duration is None else first.duration + second.duration

    def _values(self, t, n_targets, rng):
        d = self.first.duration
        early = t < d - EDGE_EPS
        a = self.first.sample(t[early], n_targets, rng)
        b = self.second.sample(t[~early] - d, n_targets, rng)
        width = max(a.shape[1], b.shape[1])
        out = np.empty((len(t), width))
        out[early] = a
        out[~early] = b
        return out

    def __repr__(self):
        return f"({self.first!r} & {self.second!r})"


class RandomProcess(Stimulus):
    """Base of random stimuli sampled in Python, chunk by chunk.

    The simulator asks for overlapping blocks of grid times (a chunk's last
    point is the next chunk's first). The last block is cached, so a time
    asked for twice gets the same value, and a stateful process continues
    from the last value it produced. A new generator object (a new
    ``simulate`` call), a different number of targets or a time before the
    cached block starts the process afresh. At each fresh start the process
    takes one seed from the run's generator and draws from its own stream
    after that, so its values do not depend on how the run is chunked or on
    the other random stimuli of the run. One object used for two targets
    of the same run (same generator, same width) therefore gives both the
    same realisation; use two objects for independent ones.
    """

    def _reset(self):
        self._rng = None
        self._n = None
        self._t = None
        self._v = None

    def _fresh(self, t, n_targets, rng):  # pragma: no cover - abstract
        """Values at increasing times ``t`` starting a new realisation."""
        raise NotImplementedError

    def _continue(self, t, n_targets, rng, t_last, v_last):  # pragma: no cover - abstract
        """Values at increasing times ``t`` (all > ``t_last``) continuing from ``v_last``."""
        raise NotImplementedError

    def _start(self, t, n_targets, rng):
        self._own = np.random.default_rng(int(rng.integers(0, 2 ** 63)))
        return self._fresh(t, n_targets, self._own)

    def _values(self, t, n_targets, rng):
        if len(t) == 0:
            return np.zeros((0, n_targets))
        cached = getattr(self, "_t", None)
        if (cached is None or self._rng is not rng or self._n != n_targets
                or t[0] < cached[0] - EDGE_EPS):
            v = self._start(t, n_targets, rng)
        else:
            k = int(np.searchsorted(t, cached[-1] + EDGE_EPS))   # times already generated
            pos = np.searchsorted(cached, t[:k] - EDGE_EPS)
            pos = np.minimum(pos, len(cached) - 1)
            if k and not np.allclose(cached[pos], t[:k], atol=1e-7, rtol=0):
                v = self._start(t, n_targets, rng)      # not on the cached grid: start afresh
            else:
                v = np.empty((len(t), n_targets))
                v[:k] = self._v[pos]
                if k < len(t):
                    v[k:] = self._continue(t[k:], n_targets, self._own, cached[-1], self._v[-1])
        self._rng, self._n, self._t, self._v = rng, n_targets, t.copy(), v.copy()
        return v
