"""Time loops of every method, rendered from the Butcher tableaus of
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
# depends on: render_solver.py, solvers.py, shared.py, rng.py; sha256 59f0255106107d6a33ba
import math

import numpy as np

from .rng import normal
from .shared import delayed_sums, kernel, ou_step, stage_inputs


@kernel
def integrate_euler(stage_outputs, stage_derivs, edge_terms, unrolled, fusable, per_step, x, params, layout,
        w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """euler: 1 stage(s), order 1. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k] + dt * (k0[k])
            x[k] = v
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1


@kernel
def integrate_heun(stage_outputs, stage_derivs, edge_terms, unrolled, fusable, per_step, x, params, layout,
        w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """heun: 2 stage(s), order 2. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    k1 = np.empty(nx)
    xs = np.empty(nx)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            if n == n_start:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            else:
                for k in range(U.shape[1]):
                    U[0, k] = U[2, k]
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        # stage 1 (c = 1)
        for k in range(nx):
            xs[k] = x[k] + dt * (k0[k])
        if not fused:
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, stage_y)
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k] + dt * (0.5 * k0[k] + 0.5 * k1[k])
            x[k] = v
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1


@kernel
def integrate_rk4(stage_outputs, stage_derivs, edge_terms, outputs_dot, unrolled, fusable, per_step, x,
        params, layout, w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """rk4: 4 stage(s), order 4. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    k1 = np.empty(nx)
    k2 = np.empty(nx)
    k3 = np.empty(nx)
    xs = np.empty(nx)
    ydot = np.zeros(n_y)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            if n == n_start:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            else:
                for k in range(U.shape[1]):
                    U[0, k] = U[2, k]
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        if interp == 2 and buf_src.shape[0] > 0:     # Hermite history: store dy/dt
            outputs_dot(t, x, params, k0, ydot, layout)
            for r in range(buf_src.shape[0]):
                hist_dot[slot, r] = ydot[buf_src[r]]
        if staged[2] > staged[1]:
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.5,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 1 (c = 1/2)
        for k in range(nx):
            xs[k] = x[k] + dt * (0.5 * k0[k])
        if not fused:
            if stage_y:
                stage_outputs(t + 0.5 * dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 0.5, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k1, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k1, layout, stage_y)
        # stage 2 (c = 1/2)
        for k in range(nx):
            xs[k] = x[k] + dt * (0.5 * k1[k])
        if not fused:
            if stage_y:
                stage_outputs(t + 0.5 * dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 0.5, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k2, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k2, layout, stage_y)
        # stage 3 (c = 1)
        for k in range(nx):
            xs[k] = x[k] + dt * (k2[k])
        if not fused:
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + dt, xs, params, u, y, w_local, k3, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + dt, xs, params, u, y, w_local, k3, layout, stage_y)
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k] + dt * (0.16666666666666666 * k0[k] + 0.3333333333333333 * k1[k] + 0.3333333333333333 * k2[k] + 0.16666666666666666 * k3[k])
            x[k] = v
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1


@kernel
def integrate_ssprk3(stage_outputs, stage_derivs, edge_terms, outputs_dot, unrolled, fusable, per_step, x,
        params, layout, w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """ssprk3: 3 stage(s), order 3. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    k1 = np.empty(nx)
    k2 = np.empty(nx)
    xs = np.empty(nx)
    ydot = np.zeros(n_y)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            if n == n_start:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            else:
                for k in range(U.shape[1]):
                    U[0, k] = U[2, k]
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        if interp == 2 and buf_src.shape[0] > 0:     # Hermite history: store dy/dt
            outputs_dot(t, x, params, k0, ydot, layout)
            for r in range(buf_src.shape[0]):
                hist_dot[slot, r] = ydot[buf_src[r]]
        if staged[2] > staged[1]:
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.5,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 1 (c = 1)
        for k in range(nx):
            xs[k] = x[k] + dt * (k0[k])
        if not fused:
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, stage_y)
        # stage 2 (c = 1/2)
        for k in range(nx):
            xs[k] = x[k] + dt * (0.25 * k0[k] + 0.25 * k1[k])
        if not fused:
            if stage_y:
                stage_outputs(t + 0.5 * dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 0.5, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k2, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + 0.5 * dt, xs, params, u, y, w_local, k2, layout, stage_y)
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k] + dt * (0.16666666666666666 * k0[k] + 0.16666666666666666 * k1[k] + 0.6666666666666666 * k2[k])
            x[k] = v
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1


@kernel
def integrate_euler_maruyama(stage_outputs, stage_derivs, edge_terms, unrolled, fusable, per_step, x, params,
        layout, w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """euler_maruyama: 1 stage(s), order 1, noise 'end'. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        if xi.shape[0] > 0:        # a given Brownian path
            for k in range(noise_idx.shape[0]):
                dw[k] = sigma[noise_idx[k]] * sqdt * xi[n - stim_n0, k]
        else:
            for k in range(noise_idx.shape[0]):
                dw[k] = sigma[noise_idx[k]] * sqdt * normal(rng)
        for k in range(nx):
            x[k] += dt * (k0[k])
        for k in range(noise_idx.shape[0]):
            x[noise_idx[k]] += dw[k]
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k]
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1


@kernel
def integrate_stochastic_heun(stage_outputs, stage_derivs, edge_terms, unrolled, fusable, per_step, x, params,
        layout, w_local, n_y, n_start, n_stop, dt, edges, history, inputs, recorder, noise):
    """stochastic_heun: 2 stage(s), order 2, noise 'stages'. Advance x in place from step
    n_start to n_stop; returns -1, or the step after which the state stopped
    being finite."""
    e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags = edges
    hist, hist_dot, interp, buf_src = history
    u_base, stim_n0, stim_dst, stim_vals, ou_dst, ou_mean, ou_decay, ou_scale, ou_state = inputs
    rec_x, rec_y, rec_start, every, out = recorder
    sigma, noise_idx, xi, rng = noise
    yes, no = np.bool_(True), np.bool_(False)
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k0 = np.empty(nx)
    k1 = np.empty(nx)
    xs = np.empty(nx)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs: for the unrolled right-hand side, undelayed staged edges and
    # the target side of delayed diffusive/Kuramoto ones
    stage_y = unrolled or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, external inputs unless held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    # stage_derivs computes the stage's outputs too, in one call (fusable: the model's
    # kernel can), where no input depends on them; without per-step inputs u is u_base
    fused = fusable and not stage_u
    fused0 = fused and not per_step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    # the next recorded step and its row (a counter: no division per step)
    row = 0 if n_start <= rec_start else (n_start - rec_start + every - 1) // every
    next_rec = rec_start + row * every
    for n in range(n_start, n_stop + 1):
        t = n * dt
        if fused0 and n < n_stop:      # y(t_n) comes with stage 0's derivatives
            stage_derivs(t, x, params, u, y, w_local, k0, layout, yes)
        else:
            stage_outputs(t, x, params, y, layout)
        if n == next_rec:
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
            row += 1
            next_rec += every
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:      # the couplings between nodes and the external inputs, held
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, yes,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
        if staged[2] > staged[1]:     # delayed linear edges: their sums at the stage offsets
            if n == n_start:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 0.0,
                             e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            else:
                for k in range(U.shape[1]):
                    U[0, k] = U[2, k]
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, 1.0,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        # stage 0 (c = 0)
        if not fused0:
            if stage_u or per_step:
                stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t, x, params, u, y, w_local, k0, layout, no)
        if xi.shape[0] > 0:        # a given Brownian path
            for k in range(noise_idx.shape[0]):
                dw[k] = sigma[noise_idx[k]] * sqdt * xi[n - stim_n0, k]
        else:
            for k in range(noise_idx.shape[0]):
                dw[k] = sigma[noise_idx[k]] * sqdt * normal(rng)
        # stage 1 (c = 1)
        for k in range(nx):
            xs[k] = x[k] + dt * (k0[k])
        for k in range(noise_idx.shape[0]):
            xs[noise_idx[k]] += dw[k]
        if not fused:
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag,
                             e_ilag, integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u,
                             not per_step, stim_n0, stim_dst, stim_vals, ou_dst, ou_state, edge_terms)
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, no)
        else:            # the stage's outputs, if needed, in the same call
            stage_derivs(t + dt, xs, params, u, y, w_local, k1, layout, stage_y)
        for k in range(nx):
            x[k] += dt * (0.5 * k0[k] + 0.5 * k1[k])
        for k in range(noise_idx.shape[0]):
            x[noise_idx[k]] += dw[k]
        n_bad = 0                  # v - v is NaN for inf and NaN: an integer
        for k in range(nx):        # reduction the compiler can vectorise
            v = x[k]
            n_bad += (v - v) != 0.0
        if ou_dst.shape[0] > 0:
            ou_step(ou_state, ou_mean, ou_decay, ou_scale, rng)
        if n_bad:
            return n + 1
    return -1
