"""Delay handling: edge lags in steps and the ring buffer of delayed outputs."""
from dataclasses import dataclass

import numpy as np

from ..codegen.lower import Edges
from ..errors import ModelError
from ..networks.coupling import KINDS


@dataclass
class DelayPlan:
    """Edge arrays ordered for the kernel plus the ring buffer.

    Two segments: the edges held through a step (``[0, n_held)``: the
    between-node couplings under ``coupling_mode="per_step"``) and the edges
    read at every stage (``[n_held, end)``). In each segment the undelayed
    edges come first, then the delayed linear ones sorted by target, then
    the other delayed kinds (those not split by :func:`split_affine`): ``seg[0] = (0, n_direct, d1, end)`` of the held
    segment, ``seg[1]`` the same for the staged one.
    """
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    kind: np.ndarray
    ref: np.ndarray
    row: np.ndarray       # buffer row of each edge's source (-1: undelayed)
    lag: np.ndarray       # delay in steps (float)
    ilag: np.ndarray      # rounded lag (int)
    seg: np.ndarray       # (2, 4) int: per segment (start, end of undelayed, end of delayed linear, end)
    integer_lags: bool
    buf_src: np.ndarray   # y index stored in each buffer row
    length: int           # slots in the ring buffer (a power of two >= max lag + 2)


def split_affine(edges, kinds):
    r"""Write each edge of an affine kind, :math:`w\,(\alpha a(t - d) + \beta b(t))`
    (the diffusive kind: :math:`\alpha = 1, \beta = -1`), as the linear
    delayed edge :math:`\alpha w\, a(t - d)` plus the undelayed linear edge
    :math:`\beta w\, b(t)`: the same sum, but the delayed part joins the
    once-per-step pass over linear edges. ``kinds``: the model's
    :attr:`~tcmcompose.codegen.lower.Lowered.kinds` (code -> CouplingKind)."""
    coeff = np.full((len(kinds), 2), np.nan)
    for code, kind in enumerate(kinds):
        if code and kind.affine is not None:
            coeff[code] = kind.affine
    aff = ~np.isnan(coeff[edges.kind, 0]) if len(kinds) > 1 else np.zeros(len(edges.kind), dtype=bool)
    if not aff.any():
        return edges
    keep = ~aff
    alpha, beta = coeff[edges.kind[aff], 0], coeff[edges.kind[aff], 1]
    nd = int(aff.sum())
    # the beta w b(t) parts of one target port share b: one edge per (b, port) with the summed weight
    pairs, inverse = np.unique(np.stack([edges.ref[aff], edges.dst[aff]]), axis=1, return_inverse=True)
    self_w = np.zeros(pairs.shape[1])
    np.add.at(self_w, inverse.ravel(), edges.weight[aff] * beta)
    k = pairs.shape[1]
    parts = [Edges(edges.src[keep], edges.dst[keep], edges.weight[keep], edges.delay[keep], edges.kind[keep],
                   edges.ref[keep]),
             Edges(edges.src[aff], edges.dst[aff], edges.weight[aff] * alpha, edges.delay[aff],
                   np.zeros(nd, dtype=edges.kind.dtype), np.full(nd, -1, dtype=edges.ref.dtype)),
             Edges(pairs[0], pairs[1], self_w, np.zeros(k), np.zeros(k, dtype=edges.kind.dtype),
                   np.full(k, -1, dtype=edges.ref.dtype))]
    return Edges.concat(parts)


def plan_delays(edges, dt, interpolation="nearest", n_held=0, kinds=(KINDS["linear"],)):
    """Turn per-edge delays (ms) into lags at step ``dt``; the first
    ``n_held`` edges form the held segment (see :class:`DelayPlan`); edges
    of affine ``kinds`` are split into linear ones (:func:`split_affine`).

    ``interpolation="nearest"`` rounds each delay to the nearest whole step;
    ``"linear"`` keeps fractional lags and interpolates the history between
    steps. Delays too short for either have been dealt with before, by
    :func:`round_short_delays`. Only the outputs that feed a
    delayed edge are stored, in a ring of max lag + 2 slots rounded up to a
    power of two (so a slot index is a bit mask, not a division).
    """
    parts = [Edges(*(getattr(edges, f)[sl] for f in ("src", "dst", "weight", "delay", "kind", "ref")))
             for sl in (slice(0, n_held), slice(n_held, None))]
    parts = [split_affine(p, kinds) for p in parts]
    held = np.arange(len(parts[0].src) + len(parts[1].src)) < len(parts[0].src)
    edges = Edges.concat(parts)
    lag = edges.delay / dt
    if interpolation == "nearest":
        ilag = np.rint(lag).astype(np.int64)
        lag = ilag.astype(float)
        integer_lags = True
    elif interpolation == "linear":
        ilag = np.ceil(lag - 1e-12).astype(np.int64)
        integer_lags = bool(np.all(np.abs(lag - np.rint(lag)) < 1e-12))
        if integer_lags:
            lag = np.rint(lag)
            ilag = lag.astype(np.int64)
    else:
        raise ModelError(f"delay_interpolation={interpolation!r}; choose 'nearest' or 'linear'.")
    delayed = ilag > 0
    buf_src, row_all = np.unique(np.where(delayed, edges.src, -1), return_inverse=True)
    if len(buf_src) and buf_src[0] == -1:          # drop the placeholder of undelayed edges
        buf_src, row_all = buf_src[1:], row_all - 1
    row_all = np.where(delayed, row_all, -1)
    linear = edges.kind == 0
    order, seg = [], np.zeros((2, 4), dtype=np.int64)
    for s, in_seg in enumerate((held, ~held)):
        direct = np.nonzero(in_seg & ~delayed)[0]
        dlin = np.nonzero(in_seg & delayed & linear)[0]
        dlin = dlin[np.lexsort((row_all[dlin], edges.dst[dlin]))]    # by target, then buffer row
        dother = np.nonzero(in_seg & delayed & ~linear)[0]
        start = sum(len(o) for o in order)
        seg[s] = start, start + len(direct), start + len(direct) + len(dlin), start + int(in_seg.sum())
        order += [direct, dlin, dother]
    order = np.concatenate(order).astype(np.int64)
    row = row_all[order]
    max_lag = int(ilag.max()) if delayed.any() else 0
    return DelayPlan(
        src=edges.src[order].astype(np.int64), dst=edges.dst[order].astype(np.int64),
        weight=edges.weight[order].astype(float), kind=edges.kind[order].astype(np.int64),
        ref=edges.ref[order].astype(np.int64), row=row, lag=lag[order].astype(float),
        ilag=ilag[order].astype(np.int64), seg=seg, integer_lags=integer_lags,
        buf_src=buf_src.astype(np.int64), length=1 << int(max_lag + 1).bit_length())


def constant_history(plan, y0, need_derivative):
    """Ring buffer filled with the outputs of the initial state (constant history)."""
    hist = np.empty((plan.length, len(plan.buf_src)))
    hist[:] = y0[plan.buf_src]
    shape = hist.shape if need_derivative else (1, 1)
    return hist, np.zeros(shape)


#: what to do with a non-zero delay shorter than the step can represent
SHORT_DELAYS = ("error", "zero")


def round_short_delays(edges, dt, interpolation="nearest", short_delays="error"):
    """Edges whose non-zero delay is too short for step ``dt``: an error, or 0.

    Too short means it rounds to 0 steps (``interpolation="nearest"``, i.e.
    under dt / 2) or is under one step (``"linear"``). ``short_delays="zero"``
    sets those delays to 0 -- the link becomes instantaneous, which is what
    The Virtual Brain and neurolib do when they round delays to whole steps
    (short tracts between neighbouring regions give such edges at dt = 0.1 ms).
    The default ``"error"`` refuses, because dropping a delay silently changes
    the model: the message names the shortest such delay and both fixes.
    """
    if short_delays not in SHORT_DELAYS:
        raise ModelError(f"short_delays={short_delays!r}; choose one of {list(SHORT_DELAYS)}.")
    lag = edges.delay / dt
    short = (edges.delay > 0) & ((np.rint(lag) == 0) if interpolation == "nearest" else (lag < 1.0 - 1e-12))
    if not short.any():
        return edges
    if short_delays == "error":
        d = edges.delay[short].min()
        what = (f"rounds to 0 steps at dt = {dt:g} ms" if interpolation == "nearest"
                else f"is shorter than dt = {dt:g} ms (delay_interpolation='linear' needs one step)")
        limit = 2 * d if interpolation == "nearest" else d
        raise ModelError(f"a delay of {d:g} ms {what} ({int(short.sum())} such delay(s)); use dt <= {limit:g} ms, "
                         "or pass short_delays='zero' to make them instantaneous (as TVB and neurolib round them).")
    return Edges(edges.src, edges.dst, edges.weight, np.where(short, 0.0, edges.delay), edges.kind, edges.ref)
