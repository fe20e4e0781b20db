"""Model-dependent kernels appended verbatim to every generated model module.

This file is a template, not imported as a module: the code below the marker
is copied into the generated source after the model's own kernels. The time
loops (one ``integrate_<method>`` per solver, rendered from its Butcher
tableau by :mod:`tcmcompose.codegen.render_solver` into
:mod:`tcmcompose.integrate.loops`) are not part of a model's module: they
take its stage kernels (``stage_outputs``, ``stage_derivs``, the unrolled
kernels of a small model, else the group kernels; see
:mod:`tcmcompose.codegen.unroll`) as function arguments, so they are
compiled once per package version and a new structure compiles its own
kernels only. Numba compiles each function on its first call.
"""
# ---- template begins ----


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
