"""Independent NumPy transcription of The Virtual Brain's Generic2dOscillator run.

Source of the equations and the scheme: /work/shared/reference/CATALOGUE.md
("The Virtual Brain 2.10": Linear coupling, HeunDeterministic, Generic2dOscillator),
i.e. what TVB's ``Generic2dOscillator.dfun`` and ``HeunDeterministic.scheme``
compute:

* coupling once per step, before the Heun stages:
  c_i(n) = a_cpl * sum_j w_ij V_j(n - d_ij) + b_cpl, the sum over every j with
  w_ij != 0, the diagonal included (delay 0: the current state); constant history
  before t = 0; d_ij = rint(D_ij / dt) steps;
* Heun: X~ = X_n + dt f(X_n, c_n); X_{n+1} = X_n + dt/2 (f(X_n, c_n) + f(X~, c_n));
* dV = d tau (alpha W - f V^3 + e V^2 + g V + gamma I + gamma c),
  dW = d/tau (a + b V + c2 V^2 - beta W).

TVB rounds the delayed values, weights and row sums of the linear coupling to
float32; this transcription stays in float64 (the comparison is with tcmcompose,
which is float64 throughout).
"""
import numpy as np

TVB_DEFAULTS = dict(tau=1.0, I=0.0, a=-2.0, b=-10.0, c=0.0, d=0.02, e=3.0, f=1.0, g=0.0,
                    alpha=1.0, beta=1.0, gamma=1.0)


def dfun(V, W, coupling, p):
    dV = p["d"] * p["tau"] * (p["alpha"] * W - p["f"] * V ** 3 + p["e"] * V ** 2 + p["g"] * V
                              + p["gamma"] * p["I"] + p["gamma"] * coupling)
    dW = p["d"] / p["tau"] * (p["a"] + p["b"] * V + p["c"] * V ** 2 - p["beta"] * W)
    return dV, dW


def simulate_g2d(weights, delays, V0, W0, duration, dt, a_cpl=1.0, b_cpl=0.0, **params):
    """Heun run of N coupled nodes; returns (t, V, W) with rows t = 0, dt, ..., duration."""
    p = dict(TVB_DEFAULTS, **params)
    w = np.asarray(weights, float)
    lag = np.rint(np.asarray(delays, float) / dt).astype(int)
    n_steps = int(round(duration / dt))
    V = np.empty((n_steps + 1, len(V0)))
    W = np.empty_like(V)
    V[0], W[0] = V0, W0
    rows, cols = np.nonzero(w)
    for n in range(n_steps):
        past = np.maximum(n - lag[rows, cols], 0)         # constant history before t = 0
        c = np.zeros(len(V0))
        np.add.at(c, rows, w[rows, cols] * V[past, cols])
        c = a_cpl * c + b_cpl
        dV1, dW1 = dfun(V[n], W[n], c, p)
        Vp, Wp = V[n] + dt * dV1, W[n] + dt * dW1
        dV2, dW2 = dfun(Vp, Wp, c, p)
        V[n + 1] = V[n] + 0.5 * dt * (dV1 + dV2)
        W[n + 1] = W[n] + 0.5 * dt * (dW1 + dW2)
    return dt * np.arange(n_steps + 1), V, W
