"""Model-independent kernels of the time loops, compiled once per package version.

History reads and writes, the delayed and undelayed edge sums and the
external inputs do not depend on a model's
equations, so they live here (``cache=True``: compiled on first use, then
loaded from Numba's cache by every model) and the generated loops call them.
``nogil=True`` so that runs in threads proceed in parallel.

Conventions (see :mod:`tcmcompose.integrate.simulate`):

* step n covers [t_n, t_{n+1}], t_n = n dt; outputs y(t_n) are stored in a
  ring buffer ``hist[n % L, row]`` of the outputs that feed delayed edges;
* an edge with delay ``lag`` steps read at stage time t_n + c dt takes the
  output at t_n + (c - lag) dt: a stored value when that is a grid point,
  otherwise linear interpolation (``interp == 1``) or cubic Hermite
  interpolation on the stored values and time-derivatives (``interp == 2``,
  used by methods of order >= 3 to keep their order); times <= 0 read the
  constant history;
* edges with zero delay read the outputs of the current stage;
* external inputs: sampled stimuli ``stim_vals`` (grid values from step
  ``stim_n0``, linearly interpolated at stage times) and Ornstein-Uhlenbeck
  input processes (exact update once per step, held through the stages).
"""
import math

import numpy as np

from numba import njit

from .rng import normal

kernel = njit(cache=True, nogil=True, error_model="numpy")


@kernel
def add_inputs(u, n, c, stim_n0, stim_dst, stim_vals, ou_dst, ou_state):
    """Add stimuli (interpolated at t_n + c dt, or held at their t_n value
    where ``stim_dst`` stores ``-1 - port``) and OU input processes to u."""
    j = n - stim_n0
    for k in range(stim_dst.shape[0]):
        d = stim_dst[k]
        a = stim_vals[j, k]
        if d < 0:            # zero-order hold: the step-start value at every stage
            d = -1 - d
        elif c != 0.0:
            a += c * (stim_vals[j + 1, k] - a)
        u[d] += a
    for k in range(ou_dst.shape[0]):
        u[ou_dst[k]] += ou_state[k]


@kernel
def delayed_output(hist, hist_dot, row, s, dt, L, interp):
    """Output of buffer row ``row`` at fractional step position s (may be < 0)."""
    j = math.floor(s)
    theta = s - j
    j = int(j)
    if theta == 0.0 or j < 0:
        return hist[j % L, row]
    y0 = hist[j % L, row]
    y1 = hist[(j + 1) % L, row]
    if interp == 2:
        h00 = (1.0 + 2.0 * theta) * (1.0 - theta) ** 2
        h10 = theta * (1.0 - theta) ** 2
        h01 = theta * theta * (3.0 - 2.0 * theta)
        h11 = theta * theta * (theta - 1.0)
        return (h00 * y0 + h01 * y1
                + dt * (h10 * hist_dot[j % L, row] + h11 * hist_dot[(j + 1) % L, row]))
    return y0 + theta * (y1 - y0)


@kernel
def delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, c,
                 e_row, e_lag, e_ilag, e_dst, e_w, d0, d1, U):
    """One pass over the delayed linear edges [d0, d1) (sorted by target):
    their sums at stage offset c (0, 1/2 or 1) into U[0], U[1] or U[2].

    Their contributions depend on the history only, never on the current
    stage, so they are summed once per step and offset. Every lag is at
    least one step, so only stored steps are read, and they never change
    once stored: the sum at the end of step n is the sum at the start of
    step n + 1, which the time loops carry over instead of summing again.
    With Hermite history (``interp == 2``) a sum at c = 1/2 or 1 reads the
    output derivative of step n: call it after that is stored.
    """
    L = mask + 1
    ci = 0 if c == 0.0 else (2 if c == 1.0 else 1)
    whole = integer_lags and ci != 1          # the stage sits on a stored step
    step = n + (1 if ci == 2 else 0)
    # unsigned indices: Numba adds no negative-index correction to them (a
    # compare and a select per load; half of this pass's time on the
    # 90-column TCM network, 6900 edges). j & mask is never negative.
    one = np.uint64(1)
    e, end = np.uint64(d0), np.uint64(d1)
    while e < end:
        dst = e_dst[e]
        a = 0.0
        while e < end and e_dst[e] == dst:
            r = np.uint64(e_row[e])
            if whole:
                a += e_w[e] * hist[np.uint64((step - e_ilag[e]) & mask), r]
            else:
                a += e_w[e] * delayed_output(hist, hist_dot, r, n + c - e_lag[e], dt, L, interp)
            e += one
        U[ci, np.uint64(dst)] = a


@kernel
def stage_inputs(y, hist, hist_dot, n, c, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag, integer_lags, e_dst,
                 e_w, e_kind, e_ref, seg, base, u, external, stim_n0, stim_dst, stim_vals, ou_dst, ou_state,
                 edge_terms):
    """Inputs at stage offset c from the edges of one segment ``seg`` (start,
    end of undelayed, end of delayed linear, end; see DelayPlan): ``base`` +
    delayed linear sums (precomputed in U) + undelayed linear edges (current
    stage outputs) + the other kinds, added by the model's ``edge_terms``
    kernel (generated from their h(a, b), see
    :mod:`tcmcompose.codegen.coupling_kernel`), and if ``external`` the
    stimuli and OU processes."""
    ci = 0 if c == 0.0 else (2 if c == 1.0 else 1)
    if seg[2] > seg[1]:
        for k in range(u.shape[0]):
            uk = np.uint64(k)          # (unsigned: no negative-index correction, the loop vectorises)
            u[uk] = base[uk] + U[ci, uk]
    else:
        for k in range(u.shape[0]):
            u[k] = base[k]
    other = seg[3] > seg[2]
    for e in range(seg[0], seg[1]):
        if e_kind[e] == 0:
            u[e_dst[e]] += e_w[e] * y[e_src[e]]
        else:
            other = True
    if other:
        edge_terms(y, hist, hist_dot, n, c, dt, mask, interp, integer_lags, e_src, e_row, e_lag, e_ilag,
                   e_dst, e_w, e_kind, e_ref, seg, u)
    if external and (stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0):
        add_inputs(u, n, c, stim_n0, stim_dst, stim_vals, ou_dst, ou_state)


@kernel
def no_edge_terms(y, hist, hist_dot, n, c, dt, mask, interp, integer_lags, e_src, e_row, e_lag, e_ilag,
                  e_dst, e_w, e_kind, e_ref, seg, u):
    """The ``edge_terms`` of a model whose edges are all linear once the
    affine kinds are split (see :func:`tcmcompose.integrate.history.split_affine`):
    it has no other edges, so nothing calls it, and nothing is generated."""
    pass


@kernel
def linear_inputs(y, e_src, e_dst, e_w, e_kind, u):
    """Add the linear edges (kind 0), read at the current outputs y, to u."""
    for e in range(e_src.shape[0]):
        if e_kind[e] == 0:
            u[e_dst[e]] += e_w[e] * y[e_src[e]]


@kernel
def ou_step(state, mean, decay, scale, rng):
    """Exact one-step update of the Ornstein-Uhlenbeck input processes."""
    for k in range(state.shape[0]):
        state[k] = mean[k] + (state[k] - mean[k]) * decay[k] + scale[k] * normal(rng)

