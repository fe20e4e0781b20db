"""Time-loop kernels appended verbatim to every generated model module.

This file is a template, not imported as a module: the code below the marker
is copied into the generated source after the model's own kernels, and calls
the model functions ``stage_outputs``, ``stage_derivs`` (the unrolled kernels
of a small model, else wrappers of the group kernels; see
:mod:`tcmcompose.codegen.unroll`), ``outputs_dot`` and the ``kernel``
decorator defined there.
Keeping everything in one file lets Numba cache it and lets the user read,
in ``model.source``, exactly what ran.

Conventions (see :mod:`tcmcompose.integrate.simulate`):

* step n covers [t_n, t_{n+1}], t_n = n dt; outputs y(t_n) are stored in a
  ring buffer ``hist[n % L, row]`` of the outputs that feed delayed edges;
* an edge with delay ``lag`` steps read at stage time t_n + c dt takes the
  output at t_n + (c - lag) dt: a stored value when that is a grid point,
  otherwise linear interpolation (``interp == 1``) or cubic Hermite
  interpolation on the stored values and time-derivatives (``interp == 2``,
  used by RK4 to keep its order); times <= 0 read the constant history;
* edges with zero delay read the outputs of the current stage;
* external inputs: sampled stimuli ``stim_vals`` (grid values from step
  ``stim_n0``, linearly interpolated at stage times) and Ornstein-Uhlenbeck
  input processes generated here (exact update once per step, held through
  the stages) are added to their ports after the coupling;
* additive state noise (Euler-Maruyama, stochastic Heun): sigma * sqrt(dt) * xi
  with xi ~ N(0, 1) from Numba's generator, seeded by ``seed_rng``.
"""
# ---- template begins ----

EULER, HEUN, RK4, EULER_MARUYAMA, STOCHASTIC_HEUN = 0, 1, 2, 3, 4


@kernel
def seed_rng(seed):
    np.random.seed(seed)


@kernel
def add_inputs(u, n, c, stim_n0, stim_dst, stim_vals, ou_dst, ou_state):
    """Add stimuli (interpolated at t_n + c dt) and OU input processes to u."""
    j = n - stim_n0
    for k in range(stim_dst.shape[0]):
        a = stim_vals[j, k]
        if c != 0.0:
            a += c * (stim_vals[j + 1, k] - a)
        u[stim_dst[k]] += a
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
def delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, half, ends,
                 e_row, e_lag, e_ilag, e_dst, e_w, d0, d1, U):
    """One pass over the delayed linear edges [d0, d1) (sorted by target).

    Their contributions depend on the history only, never on the current
    stage, so they are summed once per step: ``half=False`` fills U[0]
    (stage offset c = 0) and, if ``ends``, U[2] (c = 1: methods with a stage
    at the end of the step); ``half=True`` fills U[1] (c = 1/2, RK4's
    midpoint stages, after the step's derivative is stored).
    """
    L = mask + 1
    e = d0
    while e < d1:
        dst = e_dst[e]
        a0 = 0.0
        a1 = 0.0
        while e < d1 and e_dst[e] == dst:
            r = e_row[e]
            w = e_w[e]
            if half:
                a0 += w * delayed_output(hist, hist_dot, r, n + 0.5 - e_lag[e], dt, L, interp)
            elif integer_lags:
                j = n - e_ilag[e]
                a0 += w * hist[j & mask, r]
                if ends:
                    a1 += w * hist[(j + 1) & mask, r]
            else:
                a0 += w * delayed_output(hist, hist_dot, r, n - e_lag[e], dt, L, interp)
                if ends:
                    a1 += w * delayed_output(hist, hist_dot, r, n + 1.0 - e_lag[e], dt, L, interp)
            e += 1
        if half:
            U[1, dst] = a0
        else:
            U[0, dst] = a0
            U[2, dst] = a1


@kernel
def stage_inputs(y, hist, hist_dot, n, c, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag, integer_lags, e_dst,
                 e_w, e_kind, e_ref, seg, base, u, external, stim_n0, stim_dst, stim_vals, ou_dst, ou_state):
    """Inputs at stage offset c from the edges of one segment ``seg`` (start,
    end of undelayed, end of delayed linear, end; see DelayPlan): ``base`` +
    delayed linear sums (precomputed in U) + undelayed edges (current stage
    outputs) + delayed diffusive/Kuramoto edges, and if ``external`` the
    stimuli and OU processes."""
    ci = 0 if c == 0.0 else (2 if c == 1.0 else 1)
    if seg[2] > seg[1]:
        for k in range(u.shape[0]):
            u[k] = base[k] + U[ci, k]
    else:
        for k in range(u.shape[0]):
            u[k] = base[k]
    for e in range(seg[0], seg[1]):
        a = y[e_src[e]]
        kind = e_kind[e]
        if kind == 0:
            u[e_dst[e]] += e_w[e] * a
        elif kind == 1:
            u[e_dst[e]] += e_w[e] * (a - y[e_ref[e]])
        else:
            u[e_dst[e]] += e_w[e] * math.sin(a - y[e_ref[e]])
    whole = integer_lags and (c == 0.0 or c == 1.0)
    for e in range(seg[2], seg[3]):
        if whole:     # the stage sits on a stored step: no interpolation
            a = hist[(n + int(c) - e_ilag[e]) & mask, e_row[e]]
        else:
            a = delayed_output(hist, hist_dot, e_row[e], n + c - e_lag[e], dt, mask + 1, interp)
        if e_kind[e] == 1:
            u[e_dst[e]] += e_w[e] * (a - y[e_ref[e]])
        else:
            u[e_dst[e]] += e_w[e] * math.sin(a - y[e_ref[e]])
    if external and (stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0):
        add_inputs(u, n, c, stim_n0, stim_dst, stim_vals, ou_dst, ou_state)


@kernel
def rhs_now(t, x, params, layout, e_src, e_dst, e_w, e_kind, e_ref, u_base, n_y, n_u):
    """Right-hand side with every edge read at the current state (no delays)."""
    y = np.zeros(n_y)
    u = np.empty(n_u)
    dx = np.empty(x.shape[0])
    outputs(t, x, params, y, layout)
    for k in range(n_u):
        u[k] = u_base[k]
    for e in range(e_src.shape[0]):
        a = y[e_src[e]]
        if e_kind[e] == 0:
            u[e_dst[e]] += e_w[e] * a
        elif e_kind[e] == 1:
            u[e_dst[e]] += e_w[e] * (a - y[e_ref[e]])
        else:
            u[e_dst[e]] += e_w[e] * math.sin(a - y[e_ref[e]])
    derivs(t, x, params, u, dx, layout)
    return dx, y, u


@kernel
def integrate(method, per_step, x, params, layout, n_start, n_stop, n_total, dt, w_local,
              e_src, e_row, e_lag, e_ilag, e_dst, e_w, e_kind, e_ref, seg, integer_lags,
              interp, buf_src, hist, hist_dot, u_base, n_y,
              rec_x, rec_y, rec_start, every, out,
              sigma, noise_idx, xi, stim_n0, stim_dst, stim_vals,
              ou_dst, ou_mean, ou_decay, ou_scale, ou_state):
    """Advance ``x`` in place from step n_start to n_stop.

    In a small model's module (``UNROLLED``) the undelayed local connections
    are not among the edges but in ``w_local`` (one weight per local
    connection, 0 where it is delayed or handled as an edge).

    ``per_step``: the held edge segment (``seg[0]``: the between-node
    couplings) and the external inputs are evaluated once, at the start of
    the step, into ``u_hold``; the staged segment (``seg[1]``: the nodes' own
    links) is evaluated at every stage on top of it.

    Returns -1 when all went well, else the step index after which the
    state stopped being finite (x then holds that state).
    """
    nx = x.shape[0]
    mask = hist.shape[0] - 1          # ring length is a power of two
    y = np.zeros(n_y)
    u = np.empty(u_base.shape[0])
    u_hold = np.empty(u_base.shape[0])
    U = np.zeros((3, u_base.shape[0]))
    Uh = np.zeros((3, u_base.shape[0]))
    k1 = np.empty(nx)
    k2 = np.empty(nx)
    k3 = np.empty(nx)
    k4 = np.empty(nx)
    xs = np.empty(nx)
    ydot = np.zeros(n_y)
    n_rx = rec_x.shape[0]
    sqdt = math.sqrt(dt)
    held, staged = seg[0], seg[1]
    external = stim_dst.shape[0] > 0 or ou_dst.shape[0] > 0
    # stage outputs are needed by the unrolled right-hand side, by undelayed
    # staged edges and by the target side of delayed diffusive/Kuramoto ones;
    # delayed linear sums use the history
    stage_y = UNROLLED or staged[1] > staged[0] or staged[3] > staged[2]
    # inputs that change within a step: staged edges, and external inputs
    # unless they are held
    stage_u = staged[3] > staged[0] or (external and not per_step)
    base = u_hold if per_step else u_base
    ends = not (method == EULER or method == EULER_MARUYAMA)   # a stage at the end of the step
    dw = np.zeros(noise_idx.shape[0])
    for k in range(u.shape[0]):
        u[k] = u_base[k]
    for n in range(n_start, n_stop + 1):
        t = n * dt
        stage_outputs(t, x, params, y, layout)
        if n >= rec_start and (n - rec_start) % every == 0:
            row = (n - rec_start) // every
            for k in range(n_rx):
                out[row, k] = x[rec_x[k]]
            for k in range(rec_y.shape[0]):
                out[row, n_rx + k] = y[rec_y[k]]
        if n == n_stop:
            break
        slot = n & mask
        for r in range(buf_src.shape[0]):
            hist[slot, r] = y[buf_src[r]]
        if per_step:
            if held[2] > held[1]:
                delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, False, False,
                             e_row, e_lag, e_ilag, e_dst, e_w, held[1], held[2], Uh)
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, Uh, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, held, u_base, u_hold, True,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
        if staged[2] > staged[1]:
            delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, False, ends,
                         e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
        if stage_u or per_step:
            stage_inputs(y, hist, hist_dot, n, 0.0, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag,
                         integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u, not per_step,
                         stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
        stage_derivs(t, x, params, u, y, y, w_local, k1, layout)
        if method >= EULER_MARUYAMA:
            given = xi.shape[0] > 0
            for k in range(noise_idx.shape[0]):
                z = xi[n - stim_n0, k] if given else np.random.standard_normal()
                dw[k] = sigma[noise_idx[k]] * sqdt * z
        if method == EULER or method == EULER_MARUYAMA:
            for k in range(nx):
                x[k] += dt * k1[k]
        elif method == HEUN or method == STOCHASTIC_HEUN:
            for k in range(nx):
                xs[k] = x[k] + dt * k1[k]
            for k in range(noise_idx.shape[0]):
                xs[noise_idx[k]] += dw[k]
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag,
                             integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u, not per_step,
                             stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
            stage_derivs(t + dt, xs, params, u, y, y, w_local, k2, layout)
            for k in range(nx):
                x[k] += 0.5 * dt * (k1[k] + k2[k])
        else:
            if interp == 2 and buf_src.shape[0] > 0:     # Hermite history: store dy/dt
                outputs_dot(t, x, params, k1, ydot, layout)
                for r in range(buf_src.shape[0]):
                    hist_dot[slot, r] = ydot[buf_src[r]]
                if staged[2] > staged[1]:
                    delayed_sums(hist, hist_dot, n, dt, mask, integer_lags, interp, True, False,
                                 e_row, e_lag, e_ilag, e_dst, e_w, staged[1], staged[2], U)
            for k in range(nx):
                xs[k] = x[k] + 0.5 * dt * k1[k]
            if stage_y:
                stage_outputs(t + 0.5 * dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 0.5, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag,
                             integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u, not per_step,
                             stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
            stage_derivs(t + 0.5 * dt, xs, params, u, y, y, w_local, k2, layout)
            for k in range(nx):
                xs[k] = x[k] + 0.5 * dt * k2[k]
            if stage_y:
                stage_outputs(t + 0.5 * dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 0.5, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag,
                             integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u, not per_step,
                             stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
            stage_derivs(t + 0.5 * dt, xs, params, u, y, y, w_local, k3, layout)
            for k in range(nx):
                xs[k] = x[k] + dt * k3[k]
            if stage_y:
                stage_outputs(t + dt, xs, params, y, layout)
            if stage_u:
                stage_inputs(y, hist, hist_dot, n, 1.0, dt, mask, interp, U, e_src, e_row, e_lag, e_ilag,
                             integer_lags, e_dst, e_w, e_kind, e_ref, staged, base, u, not per_step,
                             stim_n0, stim_dst, stim_vals, ou_dst, ou_state)
            stage_derivs(t + dt, xs, params, u, y, y, w_local, k4, layout)
            for k in range(nx):
                x[k] += dt / 6.0 * (k1[k] + 2.0 * k2[k] + 2.0 * k3[k] + k4[k])
        for k in range(noise_idx.shape[0]):
            x[noise_idx[k]] += dw[k]
        for k in range(ou_dst.shape[0]):
            ou_state[k] = (ou_mean[k] + (ou_state[k] - ou_mean[k]) * ou_decay[k]
                           + ou_scale[k] * np.random.standard_normal())
        n_bad = 0                      # v - v is NaN for inf and NaN: an integer
        for k in range(nx):            # reduction the compiler can vectorise
            v = x[k]
            n_bad += (v - v) != 0.0
        if n_bad:
            return n + 1
    return -1
