"""Independent NumPy re-implementation of neurolib's native Wilson-Cowan loop.

Equations and loop structure from neurolib 0.6.2, ``neurolib/models/wc``
(``WCModel`` / ``timeIntegration``), as written down in
/work/shared/reference/CATALOGUE.md ("Native WCModel, as implemented"):
explicit Euler on column ``i`` from column ``i - 1``, long-range input
``K_gl * sum_l Cmat[k, l] * E_l[i - 1 - n_kl]`` with
``n_kl = np.around(D_kl / dt)``, ``D = lengthMat / signalV`` (ms),
``Cmat`` diagonal zeroed, constant history over the first ``n_max + 1``
columns. Written from those equations only (no code copied); noise-free
(sigma_ou = 0, OU means 0, so the OU inputs stay 0).
"""
import numpy as np

DEFAULTS = dict(tau_exc=2.5, tau_inh=3.75, c_excexc=16.0, c_excinh=15.0, c_inhexc=12.0, c_inhinh=3.0,
                a_exc=1.5, a_inh=1.5, mu_exc=3.0, mu_inh=3.0, exc_ext=0.0, inh_ext=0.0,
                K_gl=0.6, signalV=20.0)


def simulate_wc(Cmat, lengthMat, exc_init, inh_init, duration, dt=0.1, **params):
    """Run the noise-free native WC loop.

    Returns ``t`` (ms, ``dt * (1..T)``), ``exc`` and ``inh`` of shape (N, T).
    ``exc_init``/``inh_init``: (N,) initial values (constant history).
    Parameters may be scalars or (N,) arrays.
    """
    p = dict(DEFAULTS)
    p.update(params)
    C = np.array(Cmat, dtype=float)
    np.fill_diagonal(C, 0.0)
    N = C.shape[0]
    if p["signalV"] > 0 and N > 1:
        D = np.asarray(lengthMat, float) / p["signalV"]
    else:
        D = np.zeros((N, N))
    np.fill_diagonal(D, 0.0)
    n_kl = np.around(D / dt).astype(int)
    startind = int(n_kl.max()) + 1
    T = int(round(duration / dt))
    E = np.zeros((N, startind + T))
    I = np.zeros((N, startind + T))
    E[:, :startind] = np.asarray(exc_init, float)[:, None]
    I[:, :startind] = np.asarray(inh_init, float)[:, None]

    def S(x, a, mu):
        return 1.0 / (1.0 + np.exp(-a * (x - mu)))

    cols = np.arange(N)
    for i in range(startind, startind + T):
        e, q = E[:, i - 1], I[:, i - 1]
        delayed = E[cols[None, :], i - 1 - n_kl]            # [k, l] -> E_l[i-1-n_kl]
        net = p["K_gl"] * np.sum(C * delayed, axis=1)
        arg_e = p["c_excexc"] * e - p["c_inhexc"] * q + net + p["exc_ext"]
        arg_i = p["c_excinh"] * e - p["c_inhinh"] * q + p["inh_ext"]
        E[:, i] = e + dt / p["tau_exc"] * (-e + (1 - e) * S(arg_e, p["a_exc"], p["mu_exc"]))
        I[:, i] = q + dt / p["tau_inh"] * (-q + (1 - q) * S(arg_i, p["a_inh"], p["mu_inh"]))
    t = dt * np.arange(1, T + 1)
    return t, E[:, startind:], I[:, startind:]
