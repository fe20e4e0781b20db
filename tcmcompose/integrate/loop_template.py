"""Model-dependent loop kernels appended verbatim to every generated model module.

This file is a template, not imported as a module: the code below the marker
is copied into the generated source after the model's own kernels. The time
loops themselves (one ``integrate_<method>`` per solver, rendered from its
Butcher tableau by :mod:`tcmcompose.codegen.render_solver`) follow it; they
call the model's stage kernels (``stage_outputs``, ``stage_derivs``, the
unrolled kernels of a small model, else wrappers of the group kernels; see
:mod:`tcmcompose.codegen.unroll`) and the model-independent kernels of
:mod:`tcmcompose.integrate.shared`, compiled once per package version.
Numba compiles each function on its first call, so a model compiles only
the loops it runs; ``model.source`` shows exactly what ran.
"""
# ---- template begins ----
from tcmcompose.integrate.rng import normal  # noqa: E402,F401
from tcmcompose.integrate.shared import delayed_sums, ou_step, stage_inputs  # noqa: E402,F401


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
