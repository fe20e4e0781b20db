r"""Stationary firing rate, mean voltage and rate linear response of the
exponential integrate-and-fire (EIF) neuron driven by white noise, from its
Fokker-Planck equation by threshold integration (Richardson 2007).

The neuron (time in ms, voltage in mV) with input mean :math:`\mu` (mV/ms)
and standard deviation :math:`\sigma` (mV/√ms)::

    dV/dt = (E_L - V + Δ_T exp((V - V_T)/Δ_T)) / τ_m + μ + σ ξ(t),

spikes at :math:`V_s`, resets to :math:`V_r` after a refractory period
:math:`T_{ref}`. With drift :math:`A(V)` and diffusion :math:`D = σ^2/2` the
stationary density P and flux J obey :math:`J = A P - D P'` and
:math:`J' = r_0 δ(V - V_r)`, with :math:`P(V_s) = 0`, :math:`J(V_s) = r_0`.
Integrating from :math:`V_s` down to a lower bound :math:`V_{lb}` with unit
flux and normalising, :math:`r_0 = 1/(\int P\,dV + T_{ref})` and the mean
voltage is :math:`(\int V P\,dV + V_r T_{ref}) r_0` (the refractory
neurons sit at the reset).

Linear response to :math:`μ(t) = μ_0 + μ_1 e^{iωt}`: the modulated density
and flux obey :math:`J_1 = A P_1 + μ_1 P_0 - D P_1'`,
:math:`J_1' = -iω P_1 + r_1 e^{-iωT_{ref}} δ(V - V_r)`, with
:math:`P_1(V_s) = 0`, :math:`J_1(V_s) = r_1` and no flux through
:math:`V_{lb}`. By linearity the response is
:math:`r_1/μ_1 = -j_μ(V_{lb}) / j_r(V_{lb})`, with :math:`(p_r, j_r)` the
solution for unit output flux and no modulation and :math:`(p_μ, j_μ)` the
one for unit modulation and no output flux (Richardson 2007, §III).

Each backward step takes G = A/D and J as constant over the step and solves
exactly (Richardson's exponential integrator), which stays accurate where the
drift is large.

Reference: Richardson M.J.E. (2007) Firing-rate response of linear and
nonlinear integrate-and-fire neurons to modulated current-based and
conductance-based synaptic drive. Phys Rev E 76:021919.
"""
import math

import numpy as np
from numba import njit


@njit(cache=True)
def _step(G, h):
    """(e^{-G h}, (1 - e^{-G h})/G) without cancellation at small G h."""
    gh = G * h
    e = math.exp(-gh)
    if abs(gh) < 1e-6:
        return e, h * (1.0 - 0.5 * gh)
    return e, (1.0 - e) / G


@njit(cache=True)
def _stationary(mu, sigma, taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n):
    h = (Vs - Vlb) / (n - 1)
    D = 0.5 * sigma * sigma
    p, j = 0.0, 1.0
    s0, s1 = 0.0, 0.0
    ireset = int(round((Vs - Vr) / h))
    for k in range(n - 1, 0, -1):            # from V_s (k = n-1) down to V_lb
        V = Vlb + k * h
        A = (EL - V + DeltaT * math.exp((V - VT) / DeltaT)) / taum + mu
        e, w = _step(A / D, h)
        p = p * e + (j / D) * w
        if n - 1 - k + 1 == ireset:          # passing below the reset: the reinjected flux stops
            j = 0.0
        Vn = V - h
        s0 += p * h
        s1 += p * Vn * h
    r0 = 1.0 / (s0 + Tref)
    vmean = s1 / s0
    return r0, vmean


@njit(cache=True)
def stationary_grid(mus, sigmas, taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n):
    """Stationary rate (kHz) and mean voltage (mV) on the grid mus x sigmas."""
    r = np.empty((mus.size, sigmas.size))
    v = np.empty((mus.size, sigmas.size))
    for a in range(mus.size):
        for b in range(sigmas.size):
            r[a, b], v[a, b] = _stationary(mus[a], sigmas[b], taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n)
    return r, v


@njit(cache=True)
def _response(mu, sigma, omegas, taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n):
    """r_1/μ_1 at each angular frequency (rad/ms) for one (μ, σ)."""
    h = (Vs - Vlb) / (n - 1)
    D = 0.5 * sigma * sigma
    ireset = int(round((Vs - Vr) / h))
    m = omegas.size
    pr = np.zeros(m, dtype=np.complex128)
    jr = np.ones(m, dtype=np.complex128)
    pm = np.zeros(m, dtype=np.complex128)
    jm = np.zeros(m, dtype=np.complex128)
    p0, j0 = 0.0, 1.0                         # stationary solution with unit flux
    s0 = 0.0
    for k in range(n - 1, 0, -1):
        V = Vlb + k * h
        A = (EL - V + DeltaT * math.exp((V - VT) / DeltaT)) / taum + mu
        e, w = _step(A / D, h)
        p0_new = p0 * e + (j0 / D) * w
        for q in range(m):
            iw = 1j * omegas[q]
            pr_new = pr[q] * e + (jr[q] / D) * w
            pm_new = pm[q] * e + ((jm[q] - p0) / D) * w
            # J' = -iω P (+ reinjection): trapezoid over the step
            jr[q] = jr[q] + iw * 0.5 * (pr[q] + pr_new) * h
            jm[q] = jm[q] + iw * 0.5 * (pm[q] + pm_new) * h
            pr[q] = pr_new
            pm[q] = pm_new
        p0 = p0_new
        s0 += p0 * h
        if n - 1 - k + 1 == ireset:
            j0 = 0.0
            for q in range(m):
                jr[q] = jr[q] - math.cos(omegas[q] * Tref) + 1j * math.sin(omegas[q] * Tref)
    r0 = 1.0 / (s0 + Tref)
    out = np.empty(m, dtype=np.complex128)
    for q in range(m):
        out[q] = -r0 * jm[q] / jr[q]          # the μ-solution was built on the unit-flux P0: scale by r0
    return out


@njit(cache=True)
def response_grid(mus, sigmas, omegas, taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n):
    """r_1/μ_1 (kHz per mV/ms) on the grid mus x sigmas x omegas."""
    out = np.empty((mus.size, sigmas.size, omegas.size), dtype=np.complex128)
    for a in range(mus.size):
        for b in range(sigmas.size):
            out[a, b] = _response(mus[a], sigmas[b], omegas, taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb, n)
    return out
