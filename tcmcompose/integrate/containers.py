"""The typed containers a time loop of :mod:`tcmcompose.integrate.loops` takes.

A loop's data arrive in five named tuples instead of some forty positional
arguments: Numba types a named tuple field by field (arrays stay arrays,
flags stay booleans), so the loop reads ``edges.dst`` as cheaply as a bare
argument, while the signature says what belongs together. The warm-up call
and every real call build them with the same functions below, so both share
one compiled specialisation (a scalar given as ``np.int64`` in one place and
``int`` in another would compile the loop twice: every scalar is coerced).

Times are in steps of ``dt`` (ms) unless named otherwise.
"""
from collections import namedtuple

import numpy as np

#: the network's edges, in the order of a :class:`~tcmcompose.integrate.history.DelayPlan`:
#: source output index ``src``, buffer row of the delayed source ``row`` (-1: undelayed),
#: lag in steps ``lag`` (float) and rounded ``ilag``, target port ``dst``, weight ``w``,
#: coupling kind ``kind`` and target-side output ``ref``; ``seg`` (2, 4): per segment
#: (held, staged) the bounds of its undelayed, delayed-linear and other delayed edges;
#: ``integer_lags``: every lag a whole number of steps
Edges = namedtuple("Edges", "src row lag ilag dst w kind ref seg integer_lags")

#: the ring buffer of past outputs: ``hist[slot, row]`` the output ``buf_src[row]`` at the
#: step of that slot, ``hist_dot`` its time derivative (Hermite history), ``interp``: 0 whole
#: steps, 1 linear, 2 cubic Hermite interpolation between stored steps
History = namedtuple("History", "hist hist_dot interp buf_src")

#: what drives the input ports besides the edges: the constant part ``u_base``; sampled
#: stimuli ``stim_vals[n - stim_n0, k]`` into port ``stim_dst[k]`` (``-1 - port``: held
#: through the step); Ornstein-Uhlenbeck processes into ``ou_dst`` with mean, one-step decay
#: and noise scale, and their current values ``ou_state``
Inputs = namedtuple("Inputs", "u_base stim_n0 stim_dst stim_vals ou_dst ou_mean ou_decay ou_scale ou_state")

#: what is recorded: states ``rec_x`` and outputs ``rec_y``, from step ``start`` every
#: ``every`` steps, into the rows of ``out``
Recorder = namedtuple("Recorder", "rec_x rec_y start every out")

#: additive noise: amplitude ``sigma`` per state, the noisy states ``idx``, a given
#: Brownian path ``xi`` (rows from step ``n0``; empty: draw from ``rng``, the
#: xoshiro256** state of :mod:`tcmcompose.integrate.rng`)
Noise = namedtuple("Noise", "sigma idx xi rng")


def edges(plan):
    """The :class:`Edges` of a delay plan."""
    return Edges(plan.src, plan.row, plan.lag, plan.ilag, plan.dst, plan.weight, plan.kind, plan.ref,
                 plan.seg, bool(plan.integer_lags))


def history(hist, hist_dot, interp, plan):
    return History(hist, hist_dot, int(interp), plan.buf_src)


def inputs(u_base, n0, stim_dst, stim_vals, plan, ou_decay, ou_scale, ou_state):
    """The :class:`Inputs` of a run; ``plan``: its :class:`~tcmcompose.integrate.inputs.InputPlan`."""
    return Inputs(u_base, int(n0), stim_dst, stim_vals, plan.ou_dst, plan.ou_mean, ou_decay, ou_scale, ou_state)


def recorder(rec_x, rec_y, start, every, out):
    return Recorder(rec_x, rec_y, int(start), int(every), out)


def kind(value):
    """What Numba's type of a loop argument depends on (cheaper than
    ``numba.typeof``): the compiled loop is looked up by these."""
    if isinstance(value, tuple):
        return tuple(kind(v) for v in value)
    if isinstance(value, np.ndarray):
        f = value.flags
        return (value.dtype.str, value.ndim, f.c_contiguous, f.f_contiguous, f.writeable, f.aligned)
    return type(value)
