"""Render a :class:`~tcmcompose.integrate.solvers.Solver` into a straight-line time loop.

Each method becomes its own ``integrate_<name>`` function, with its stages
written out and its coefficients as literals (a runtime loop over the
tableau was measured slower). The loops do not depend on any model: they
take the model's stage kernels (``stage_outputs``, ``stage_derivs``, the
edge kernel ``edge_terms`` of its coupling kinds and, for Hermite history,
``outputs_dot``) as first-class function arguments, so they
live in the package module :mod:`tcmcompose.integrate.loops`, which Numba
compiles once per package version and method (on first use) and every model
shares; a new structure compiles its own stage kernels only. The loops call
the generic kernels of :mod:`tcmcompose.integrate.shared` (history, edge sums,
stage inputs) and write the per-step work that is cheaper than a call
(recording, the divergence check) inline.

``tcmcompose/integrate/loops.py`` is this module's output, committed so that
Numba's cache sits beside it; after changing a solver or a kernel the loops
call, rewrite it with ``python -m tcmcompose.codegen.render_solver`` (a test
says when it is stale: its header holds a hash of the files it depends on).
"""
import hashlib
import textwrap
from fractions import Fraction
from pathlib import Path

from ..integrate.solvers import SOLVERS

_INTEGRATE = Path(__file__).resolve().parent.parent / "integrate"
#: the rendered module, and the files whose text it depends on (Numba's cache
#: of loops.py does not notice a change in a module whose kernels it inlined)
LOOPS = _INTEGRATE / "loops.py"
DEPENDS = [Path(__file__).resolve(), _INTEGRATE / "solvers.py", _INTEGRATE / "shared.py", _INTEGRATE / "rng.py"]

ARGS = "unrolled, fusable, per_step, x, params, layout, w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise"

#: the containers' fields as the loop body names them (see tcmcompose.integrate.containers)
UNPACK = ("e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges",
          "hist, hist_dot, interp, buf_src = history",
          "u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs",
          "rec_x, rec_y, rec_start, every, out = recorder",
          "sigma, noise_idx, xi, rng = noise")


def _num(v):
    return repr(float(Fraction(v)))


def _time(c):
    c = Fraction(c)
    return "t" if c == 0 else ("t + dt" if c == 1 else f"t + {_num(c)} * dt")


def _combination(coeffs, ks):
    """dt * (a0 * k0[k] + ...) for the non-zero coefficients."""
    terms = []
    for a, k in zip(coeffs, ks):
        a = Fraction(a)
        if a == 0:
            continue
        terms.append(f"{k}[k]" if a == 1 else f"{_num(a)} * {k}[k]")
    return "dt * (" + " + ".join(terms) + ")" if terms else "0.0"


def render(solver):
    """Source of ``integrate_<name>`` for ``solver``."""
    s = len(solver.b)
    ks = [f"k{i}" for i in range(s)]
    cs = [Fraction(c) for c in solver.c]
    halves = any(c == Fraction(1, 2) for c in cs)
    ends = any(c == 1 for c in cs)
    P = "    "
    kernels = "stage_outputs, stage_derivs, edge_terms, " + ("outputs_dot, " if needs_outputs_dot(solver) else "")
    head = textwrap.wrap(f"def integrate_{solver.name}({kernels}{ARGS}):", 110, subsequent_indent=" " * 8,
                         break_on_hyphens=False)
    L = ["@kernel"] + head + [
         f'{P}"""{solver.name}: {s} stage(s), order {solver.order}'
         + (f", noise {solver.noise!r}" if solver.noise else "") + '. Advance x in place from step',
         f"{P}n_start to n_stop; returns -1, or the step after which the state stopped",
         f'{P}being finite."""']
    L += [f"{P}{line}" for line in UNPACK]
    # a flag typed bool, not a literal (a literal True/False compiles a shared kernel once per value)
    L += [f"{P}yes, no = np.bool_(True), np.bool_(False)"]
    L += [f"{P}nx = x.shape[0]",
          f"{P}mask = hist.shape[0] - 1          # ring length is a power of two",
          f"{P}y = np.zeros(n_y)",
          f"{P}u = np.empty(u_base.shape[0])",
          f"{P}u_hold = np.empty(u_base.shape[0])",
          f"{P}U = np.zeros((3, u_base.shape[0]))",
          f"{P}Uh = np.zeros((3, u_base.shape[0]))"]
    L += [f"{P}{k} = np.empty(nx)" for k in ks]
    if s > 1:
        L.append(f"{P}xs = np.empty(nx)")
    if halves and solver.hermite:
        L.append(f"{P}ydot = np.zeros(n_y)")
    L += [f"{P}n_rx = rec_x.shape[0]",
          f"{P}sqdt = math.sqrt(dt)",
          f"{P}held, staged = seg[0], seg[1]",
          f"{P}external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0",
          f"{P}# stage outputs: for the unrolled right-hand side, undelayed staged edges and",
          f"{P}# the target side of delayed diffusive/Kuramoto ones",
          f"{P}stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]",
          f"{P}# inputs that change within a step: staged edges, external inputs unless held",
          f"{P}stage_u = staged[3] > staged[0] or (external and not per_step)",
          f"{P}base = u_hold if per_step else u_base",
          f"{P}# stage_derivs computes the stage's outputs too, in one call (fusable: the model's",
          f"{P}# kernel can), where no input depends on them; without per-step inputs u is u_base",
          f"{P}fused = fusable and not stage_u",
          f"{P}fused0 = fused and not per_step",
          f"{P}dw = np.zeros(noise_idx.shape[0])",
          f"{P}for k in range(u.shape[0]):",
          f"{P}    u[k] = u_base[k]",
          f"{P}# the next recorded step and its row (a counter: no division per step)",
          f"{P}row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every",
          f"{P}next_rec = rec_start + row * every",
          f"{P}for n in range(n_start, n_stop + 1):",
          f"{P}    t = n * dt",
          f"{P}    if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives",
          f"{P}        stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)",
          f"{P}    else:",
          f"{P}        stage_outputs(t, x, params, y, layout)",
          f"{P}    if n == next_rec:",
          f"{P}        for k in range(n_rx):",
          f"{P}            out[row, k] = x[rec_x[k]]",
          f"{P}        for k in range(rec_y.shape[0]):",
          f"{P}            out[row, n_rx + k] = y[rec_y[k]]",
          f"{P}        row += 1",
          f"{P}        next_rec += every",
          f"{P}    if n == n_stop:",
          f"{P}        break",
          f"{P}    slot = n & mask",
          f"{P}    for r in range(buf_src.shape[0]):",
          f"{P}        hist[slot, r] = y[buf_src[r]]",
          f"{P}    if per_step:      # the couplings between nodes and the external inputs, held",
          f"{P}        if held[2] > held[1]:",
          f"{P}            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,",
          f"{P}                         e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)",
          f"{P}        stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,",
          f"{P}                     integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,",
          f"{P}                     stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)",
          f"{P}    if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets"]
    if ends:       # the sum at the start of a step is the last step's end-of-step sum
        L += [f"{P}        if n == n_start:",
              f"{P}            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,",
              f"{P}                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)",
              f"{P}        else:",
              f"{P}            for k in range(U.shape[1]):",
              f"{P}                U[0, k] = U[2, k]"]
        if not solver.hermite:       # (Hermite: after this step's output derivative is stored)
            L += [f"{P}        delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,",
                  f"{P}                     e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)"]
    else:
        L += [f"{P}        delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,",
              f"{P}                     e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)"]

    def inputs(c, pad):
        return [f"{pad}stage_inputs(y, hist, hist_dot, n, {float(c)!r}, dt, mask, interp, U, e_src, e_row, e_lag,",
                f"{pad}             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,",
                f"{pad}             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)"]

    L += [f"{P}    # stage 0 (c = 0)",
          f"{P}    if not fused0:",
          f"{P}        if stage_u or per_step:"]
    L += inputs(0, P + "            ")
    L.append(f"{P}        stage_derivs(t, x, params, u, y, w_local, k0, layout, no)")
    if solver.stochastic:
        L += [f"{P}    if xi.shape[0] > 0:        # a given Brownian path",
              f"{P}        for k in range(noise_idx.shape[0]):",
              f"{P}            dw[k] = sigma[noise_idx[k]] * sqdt * xi[n - stim_n0, k]",
              f"{P}    else:",
              f"{P}        for k in range(noise_idx.shape[0]):",
              f"{P}            dw[k] = sigma[noise_idx[k]] * sqdt * normal(rng)"]
    if halves:
        if solver.hermite:
            L += [f"{P}    if interp == 2 and buf_src.shape[0] > 0:     # Hermite history: store dy/dt",
                  f"{P}        outputs_dot(t, x, params, k0, ydot, layout)",
                  f"{P}        for r in range(buf_src.shape[0]):",
                  f"{P}            hist_dot[slot, r] = ydot[buf_src[r]]"]
        L += [f"{P}    if staged[2] > staged[1]:"]
        if solver.hermite and ends:
            L += [f"{P}        delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,",
                  f"{P}                     e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)"]
        L += [f"{P}        delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.5,",
              f"{P}                     e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)"]
    for i in range(1, s):
        c = cs[i]
        L += [f"{P}    # stage {i} (c = {c})",
              f"{P}    for k in range(nx):",
              f"{P}        xs[k] = x[k] + {_combination(solver.a[i], ks)}"]
        if solver.noise == "stages":
            L += [f"{P}    for k in range(noise_idx.shape[0]):",
                  f"{P}        xs[noise_idx[k]] += dw[k]"]
        L += [f"{P}    if not fused:",
              f"{P}        if stage_y:",
              f"{P}            stage_outputs({_time(c)}, xs, params, y, layout)"]
        L.append(f"{P}        if stage_u:")
        L += inputs(c, P + "            ")
        L += [f"{P}        stage_derivs({_time(c)}, xs, params, u, y, w_local, k{i}, layout, no)",
              f"{P}    else:            # the stage's outputs, if needed, in the same call",
              f"{P}        stage_derivs({_time(c)}, xs, params, u, y, w_local, k{i}, layout, stage_y)"]
    if solver.stochastic:       # the noise lands after the drift: check the state afterwards
        L += [f"{P}    for k in range(nx):",
              f"{P}        x[k] += {_combination(solver.b, ks)}",
              f"{P}    for k in range(noise_idx.shape[0]):",
              f"{P}        x[noise_idx[k]] += dw[k]",
              f"{P}    n_bad = 0                  # v - v is NaN for inf and NaN: an integer",
              f"{P}    for k in range(nx):        # reduction the compiler can vectorise",
              f"{P}        v = x[k]",
              f"{P}        n_bad += (v - v) != 0.0"]
    else:                       # the new state and its divergence check in one pass
        L += [f"{P}    n_bad = 0                  # v - v is NaN for inf and NaN: an integer",
              f"{P}    for k in range(nx):        # reduction the compiler can vectorise",
              f"{P}        v = x[k] + {_combination(solver.b, ks)}",
              f"{P}        x[k] = v",
              f"{P}        n_bad += (v - v) != 0.0"]
    L += [f"{P}    if ou_dst.shape[0] > 0:",
          f"{P}        ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)",
          f"{P}    if n_bad:",
          f"{P}        return n + 1",
          f"{P}return -1"]
    return "\n".join(L) + "\n"


def needs_outputs_dot(solver):
    """The loop stores output derivatives (Hermite history with midpoint stages)."""
    return solver.hermite and any(Fraction(c) == Fraction(1, 2) for c in solver.c)


def depends_hash():
    h = hashlib.sha256()
    for f in DEPENDS:
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


_HEADER = '''"""Time loops of every method, rendered from the Butcher tableaus of
tcmcompose.integrate.solvers by tcmcompose.codegen.render_solver. Do not edit:
run ``python -m tcmcompose.codegen.render_solver`` to rewrite this file.

The model's kernels arrive as first-class function arguments with fixed
signatures (see tcmcompose.integrate.simulate), so every model shares these
loops, compiled once per package version and method (cache=True, on first use):

    stage_outputs(t, x, params, y, layout)
    stage_derivs(t, x, params, u, y, w_local, dx, layout, with_y)   (with_y: y(x) first)
    edge_terms(y, hist, ..., seg, u)                (see tcmcompose.codegen.coupling_kernel)
    outputs_dot(t, x, params, dx, ydot, layout)     (Hermite methods only)

and the run's data in the named tuples of tcmcompose.integrate.containers
(edges, history, inputs, recorder, noise).
"""
# depends on: render_solver.py, solvers.py, shared.py, rng.py; sha256 {digest}
import math

import numpy as np

from .rng import normal
from .shared import delayed_sums, kernel, ou_step, stage_inputs
'''


def render_module():
    """Text of :mod:`tcmcompose.integrate.loops`: every method's loop."""
    parts = [render(solver) for solver in SOLVERS.values()]
    return _HEADER.format(digest=depends_hash()) + "\n\n" + "\n\n".join(parts)


if __name__ == "__main__":
    LOOPS.write_text(render_module())
    print(f"wrote {LOOPS}")
