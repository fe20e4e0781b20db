"""Independent NumPy transcription of the TCM right-hand side (TCM_SPEC.md §1-§2, ``tc_hilge2``).

This module is an oracle for tests: it does **not** import tcmcompose, and it is written
straight from the equations of ``/work/shared/reference/TCM_SPEC.md`` (the spec), in the
spec's own units (time in **seconds**, rate constants in 1/s, capacitances
``C0 = [384 128 64 128 64 128 64 128]/1000``). ``tcm_rhs_ms`` divides by 1000 to give the
derivative per millisecond, which is what tcmcompose (time in ms) must reproduce.

Layout
------
States ``x[s, p, k]``: ``s`` source (ns), ``p`` population in the order
``SS, SP, SI, DP, DI, TP, RT, RC`` (§1.1), ``k`` state in the order
``V, g_AMPA, g_GABAA, g_NMDA, g_GABAB, g_M, g_H`` (§1.2; note NMDA is k = 3, after GABA-A).
Use ``x.reshape(-1, order="F")`` for SPM's ``spm_vec`` order (§0.3); this module itself never
flattens.

Equations (per source s, population p; §1.3-§1.9, §1.11)::

    C_p dV/dt = g_L (E_L - V) + g_A (E_AMPA - V) + g_GA (E_GABAA - V) + g_GB (E_GABAB - V)
              + g_M (E_M - V) + g_H (E_H - V) + g_N (E_NMDA - V) B(V)
    dg_r/dt   = kappa_r (T_r - g_r),     kappa_r = exp(-theta_T[s, r]) / tau_r

    T_AMPA  = 2 [ (exp(H_s)  o W_AMPA) m_s + BE + S_A a_s ]  + input (AMPA of RT and RC)
    T_NMDA  = 2 [ (exp(Hn_s) o W_NMDA) m_s + BE + S_N aN_s ]
    T_GABAA =     (exp(H_s)  o W_GABA) m_s
    T_GABAB =     (exp(Gb_s) o W_GABA) m_s
    T_M     = 4 exp(Mh) o m_s                     (all 8 populations)
    T_H     = 4 exp(Hh) o [0 0 0 0 0 1 0 1] o h(V_s)

with ``m`` the firing function (option ``firing``), ``B`` the NMDA Mg block (option
``nmda_block``), ``h(V) = 1 - 1/(1 + exp(-(2/3)(V - E_H)))`` (§1.6), ``BE = 0.8 exp(E)`` and the
extrinsic drive ``a_s[k] = sum_j A_k[s, j] m[j, presyn_k]`` (§1.8).

Parameters
----------
``P`` is a dict of log-scale parameters (prior mean 0 = the baseline; see ``default_params``):

=============  ==================  ========================================================
key            shape               role (spec section)
=============  ==================  ========================================================
``H``          (ns, 8, 8)          AMPA and GABA-A gains ``exp(H[s]) o W`` (§1.7, §2.4)
``Hn``         (ns, 8, 8)          NMDA gains (§1.7)
``Gb``         (ns, 8, 8) or None  GABA-B gains; None -> use ``H`` (§1.7)
``T``          (ns, 6) or          receptor rate log-scalings, order AMPA, GABA-A, NMDA,
               (ns, 8, 6)          GABA-B, M, H (§1.7; per-population form as in tcm_py)
``CV``         (8,)                capacitances ``C = exp(CV) C0`` (§1.3)
``S``          scalar or (8,)      threshold ``V_R = -52 + exp(S)`` (§1.5)
``E``          scalar or (8,)      background ``BE = 0.8 exp(E)`` (§1.7)
``Mh``, ``Hh`` (8,)                M and H channel gains ``4 exp(.)`` (§1.7)
``scale_NMDA`` scalar              Mg-block slope ``0.062 exp(.)`` (§1.4)
``C``          (ns,)               input gain ``exp(C[s])`` (§1.9)
``A``, ``AN``  5 x (ns, ns)        extrinsic AMPA / NMDA channels, row = receiving source,
                                   column = sending source; ``exp``; reciprocal damping on
                                   ``A`` only (§1.8)
=============  ==================  ========================================================

Gains are stored source-first, ``H[s]`` being the 8x8 matrix of source ``s`` (MATLAB stores
``P.H(:,:,s)``). The optional switches of §1.10 (``global``, ``endo``, ``thi``, ``T1``) are not
implemented; a ``P`` containing any of them is rejected rather than silently ignored.

Choices made where the spec leaves room (also listed in the project notes):

* Reciprocal damping (§1.8) is applied elementwise with the mask
  ``(A_k > e^-8) & (A_k.T > e^-8)``, which includes a present diagonal (self) entry.
* ``nmda_block="spm"`` (SPM's ``mg_switch``) has no slope parameter; ``scale_NMDA`` is not used
  by it.
* ``firing="williams_cdf"`` changes only the firing function (V_R = -40, variance 32 exp(S));
  the H-channel activation keeps the reference ``h(V)`` of §1.6.
* ``nmda_block="atcm_matlab"``: per source, the population with the largest
  ``d_p = 1 + 0.2 exp(-0.062 e^theta V_p)`` gets ``B_p = 1/d_p``, the others 0; ties go to the
  first such population (MATLAB's column-pivoted QR also picks the first maximum).
"""
from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------------------------------------
# Layout (§1.1, §1.2)
# ---------------------------------------------------------------------------------------------
#: Population order of every 8-vector and 8x8 template (§1.1).
POPULATIONS = ("SS", "SP", "SI", "DP", "DI", "TP", "RT", "RC")
#: State order along the last axis of ``x`` (§1.2: AMPA, GABA-A, NMDA, GABA-B, M, H).
STATES = ("V", "g_AMPA", "g_GABAA", "g_NMDA", "g_GABAB", "g_M", "g_H")
SS, SP, SI, DP, DI, TP, RT, RC = range(8)
kV, kAMPA, kGABAA, kNMDA, kGABAB, kM, kH = range(7)

# ---------------------------------------------------------------------------------------------
# Fixed constants (§2.1, in seconds / mV)
# ---------------------------------------------------------------------------------------------
#: Membrane capacitance baseline, "seconds" numbers (§1.1 table, §2.1 ``C0``).
C0 = np.array([384.0, 128.0, 64.0, 128.0, 64.0, 128.0, 64.0, 128.0]) / 1000.0
#: Leak conductance, fixed (§1.3, §2.1 ``g_L``).
G_LEAK = 1.0
#: Reversal potentials in mV (§2.1): leak, AMPA, GABA-A, NMDA, GABA-B, M, H.
E_LEAK, E_AMPA, E_GABAA, E_NMDA, E_GABAB, E_M, E_H = -70.0, 60.0, -90.0, 10.0, -100.0, -52.0, -30.0
#: Receptor/channel time constants in seconds, order AMPA, GABA-A, NMDA, GABA-B, M, H (§1.7).
TAU = np.array([2.2, 5.0, 100.0, 300.0, 160.0, 100.0]) / 1000.0
#: Firing threshold base (mV): ``V_R = VR_BASE + exp(S)`` (§1.5, §2.1).
VR_BASE = -52.0
#: Firing slope R in 1/mV (§1.5, §2.1).
FIRING_SLOPE = 2.0 / 3.0
#: Upper cut-off "RS" in mV (§1.5, §2.1).
RS_CUTOFF = 30.0
#: Slope of the upper cut-off logistic of the smooth (tcm_py) firing, 1/mV (§1.5).
RS_SLOPE = 1.0
#: Williams-CDF firing (§1.5, 2020 tc_dev / SPM): threshold (mV) and variance base (mV^2).
WILLIAMS_VR = -40.0
WILLIAMS_VAR = 32.0
#: Mg-block constants of the documented form, ``1/(1 + 0.2 exp(-0.062 e^theta V))`` (§1.4).
MG_COEF, MG_SLOPE = 0.2, 0.062
#: SPM's mg_switch, ``1.50265/(1 + 0.33 exp(-0.06 V))`` (§1.4).
SPM_MG_SCALE, SPM_MG_COEF, SPM_MG_SLOPE = 1.50265, 0.33, 0.06
#: Background drive factor ``BE = 0.8 exp(E)`` (§1.7, §2.1).
BE_BASE = 0.8
#: Factor on intrinsic + background + extrinsic excitatory drive (§1.7, §2.1).
EXC_FACTOR = 2.0
#: M and H channel gains ``4 exp(theta)`` (§1.7, §2.1).
M_GAIN, H_GAIN = 4.0, 4.0
#: H channel present on TP and RC only (§1.1, §1.7).
H_MASK = np.array([0, 0, 0, 0, 0, 1, 0, 1], dtype=float)
#: M channel on all 8 populations in the reference (§1.1 footnote, §1.7).
M_MASK = np.ones(8)
#: H activation slope (1/mV), midpoint E_H (§1.6).
H_SLOPE = 2.0 / 3.0

# ---------------------------------------------------------------------------------------------
# Intrinsic templates (§2.2; row = receiving, column = sending)
# ---------------------------------------------------------------------------------------------
#: ``W_AMPA`` (GEa), §2.2.
W_AMPA = np.array([
    [0, 0, 0, 0, 0, 2, 0, 2],   # SS <- TP, RC
    [2, 2, 0, 0, 0, 0, 0, 0],   # SP <- SS, SP
    [0, 2, 0, 0, 0, 0, 0, 0],   # SI <- SP
    [0, 2, 0, 0, 0, 0, 0, 0],   # DP <- SP
    [0, 0, 0, 2, 0, 0, 0, 0],   # DI <- DP
    [0, 0, 0, 2, 0, 0, 0, 0],   # TP <- DP
    [0, 0, 0, 0, 0, 0, 0, 2],   # RT <- RC
    [2, 0, 0, 0, 0, 2, 0, 0],   # RC <- SS, TP
], dtype=float)
#: ``W_NMDA`` (GEn) = ``W_AMPA`` plus SP<-SI = 2 and SI<-SI = 2 (§2.2).
W_NMDA = W_AMPA.copy()
W_NMDA[SP, SI] = 2.0
W_NMDA[SI, SI] = 2.0
#: ``W_GABAA`` (GIa) = ``W_GABAB`` (GIb), §2.2.
W_GABA = np.array([
    [8, 0, 10, 0, 0, 0, 0, 0],   # SS <- SS, SI
    [0, 18, 10, 0, 0, 0, 0, 0],  # SP <- SP, SI
    [0, 0, 10, 0, 0, 0, 0, 0],   # SI <- SI
    [0, 0, 0, 8, 6, 0, 0, 0],    # DP <- DP, DI
    [0, 0, 0, 0, 14, 0, 0, 0],   # DI <- DI
    [0, 0, 0, 0, 6, 8, 0, 0],    # TP <- DI, TP
    [0, 0, 0, 0, 0, 0, 8, 0],    # RT <- RT
    [0, 0, 0, 0, 0, 0, 8, 8],    # RC <- RT, RC
], dtype=float)
W_GABAA = W_GABA
W_GABAB = W_GABA

# ---------------------------------------------------------------------------------------------
# Extrinsic coupling (§1.8)
# ---------------------------------------------------------------------------------------------
#: Presynaptic population of channels k = 1..5: SP, DP, TP, RT, RC (§1.8).
EXTRINSIC_PRESYN = (SP, DP, TP, RT, RC)
#: Routing mask before the "ketamine study restriction": 8 x 5, divided by 8 (§1.8 table).
S_EXTRINSIC_UNZEROED = np.zeros((8, 5))
S_EXTRINSIC_UNZEROED[SS, 0] = 1.0   # forward SP -> SS
S_EXTRINSIC_UNZEROED[SP, 1] = 1.0   # backward DP -> SP
S_EXTRINSIC_UNZEROED[SI, 1] = 1.0   # backward DP -> SI
S_EXTRINSIC_UNZEROED[RT, 4] = 1.0   # RC -> RT (zeroed in the reference)
S_EXTRINSIC_UNZEROED[RC, 3] = 1.0   # RT -> RC (zeroed in the reference)
S_EXTRINSIC_UNZEROED /= 8.0
#: Reference masks ``S_A = S_N``: columns 3-5 zeroed (§1.8).
S_A = S_EXTRINSIC_UNZEROED.copy()
S_A[:, 2:] = 0.0
S_N = S_A.copy()
#: Reciprocal-damping threshold and divisor, AMPA matrices only (§1.8, §2.1).
RECIPROCAL_THRESHOLD = np.exp(-8.0)
RECIPROCAL_DIVISOR = 9.0
#: Log value of an absent extrinsic connection (§2.3: ``32*adj - 32``).
ABSENT = -32.0

FIRING_OPTIONS = ("smooth", "atcm_hard", "williams_cdf")
NMDA_BLOCK_OPTIONS = ("elementwise", "atcm_matlab", "spm")
_UNSUPPORTED_KEYS = ("global", "endo", "thi", "T1")


# ---------------------------------------------------------------------------------------------
# Nonlinearities
# ---------------------------------------------------------------------------------------------
def _logistic(z):
    """1/(1 + exp(-z)), evaluated without overflow warnings for large |z|."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def williams_cdf(z):
    """J. D. Williams' approximation of the standard normal CDF (§1.5, ``spm_Ncdf_jdw``)::

        Phi_W(z) = 1/2 + 1/2 sign(z) sqrt(1 - exp(-(2/pi) z^2))
    """
    z = np.asarray(z, dtype=float)
    return 0.5 + 0.5 * np.sign(z) * np.sqrt(1.0 - np.exp(-(2.0 / np.pi) * z * z))


def firing_rate(V, S=0.0, firing="smooth"):
    """Firing function m(V) of §1.5, elementwise over ``V`` (..., 8).

    * ``"smooth"`` (tcm_py): ``sigma(2/3 (V - V_R)) * (1 - sigma(V - 30))``, ``V_R = -52 + e^S``.
    * ``"atcm_hard"`` (reference MATLAB): ``sigma(2/3 (V - V_R))`` below V_R, 1 on
      ``[V_R, 30)``, 0 from 30 mV up.
    * ``"williams_cdf"`` (2020 tc_dev / SPM): ``Phi_W((V + 40)/sqrt(32 e^S))``.
    """
    V = np.asarray(V, dtype=float)
    S = np.asarray(S, dtype=float)
    if firing == "smooth":
        VR = VR_BASE + np.exp(S)
        return _logistic(FIRING_SLOPE * (V - VR)) * (1.0 - _logistic(RS_SLOPE * (V - RS_CUTOFF)))
    if firing == "atcm_hard":
        VR = VR_BASE + np.exp(S)
        sig = _logistic(FIRING_SLOPE * (V - VR))
        return np.where(V < VR, sig, np.where(V < RS_CUTOFF, 1.0, 0.0))
    if firing == "williams_cdf":
        return williams_cdf((V - WILLIAMS_VR) / np.sqrt(WILLIAMS_VAR * np.exp(S)))
    raise ValueError(f"firing must be one of {FIRING_OPTIONS}, got {firing!r}")


def h_activation(V):
    """H-current activation ``h(V) = 1 - 1/(1 + exp(-(2/3)(V - E_H)))``, E_H = -30 mV (§1.6)."""
    # 1/(1 + exp(-(2/3)(V - E_H))) is the logistic of +(2/3)(V - E_H); h -> 1 as V -> -inf.
    return 1.0 - _logistic(H_SLOPE * (np.asarray(V, dtype=float) - E_H))


def mg_block(V, scale_NMDA=0.0, nmda_block="elementwise"):
    """Mg block B(V) of §1.4 for ``V`` shaped (ns, 8) (the MATLAB variant works per source row).

    * ``"elementwise"`` (documented): ``1/(1 + 0.2 exp(-0.062 e^theta V))``.
    * ``"atcm_matlab"``: ``d = 1 + 0.2 exp(-0.062 e^theta V)``; per source, only the population
      with the largest ``d`` gets ``1/d``, the other seven 0 (MATLAB's basic least-squares
      solution of ``d \\ 1``).
    * ``"spm"``: ``1.50265/(1 + 0.33 exp(-0.06 V))`` (SPM ``mg_switch``; no theta).
    """
    V = np.asarray(V, dtype=float)
    if nmda_block == "spm":
        return SPM_MG_SCALE / (1.0 + SPM_MG_COEF * np.exp(-SPM_MG_SLOPE * V))
    with np.errstate(over="ignore"):   # exp overflow -> d = inf -> B = 0, the right limit
        d = 1.0 + MG_COEF * np.exp(-MG_SLOPE * np.exp(scale_NMDA) * V)
    if nmda_block == "elementwise":
        return 1.0 / d
    if nmda_block == "atcm_matlab":
        d2 = np.atleast_2d(d)
        B = np.zeros_like(d2)
        rows = np.arange(d2.shape[0])
        cols = np.argmax(d2, axis=-1)
        B[rows, cols] = 1.0 / d2[rows, cols]
        return B.reshape(d.shape)
    raise ValueError(f"nmda_block must be one of {NMDA_BLOCK_OPTIONS}, got {nmda_block!r}")


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------
def extrinsic_log_matrices(ns, forward=None, backward=None, lateral=None):
    """Prior means of ``A{1..5}`` from binary adjacency (§2.3).

    ``A{1} = F|L``, ``A{2} = B|L``, ``A{3}`` from ``F|L``, ``A{4}``, ``A{5}`` from ``F|B|L``;
    present -> 0 (``exp`` -> 1), absent -> -32. Adjacency is (ns, ns), row = receiving source.
    Returns a list of five (ns, ns) arrays.
    """
    def adj(a):
        if a is None:
            return np.zeros((ns, ns), bool)
        a = np.asarray(a)
        if a.shape != (ns, ns):
            raise ValueError(f"adjacency must be ({ns}, {ns}), got {a.shape}")
        return a != 0

    F, B, L = adj(forward), adj(backward), adj(lateral)
    masks = [F | L, B | L, F | L, F | B | L, F | B | L]
    return [np.where(m, 0.0, ABSENT) for m in masks]


def default_params(ns=1, forward=None, backward=None, lateral=None):
    """Prior-mean (theta = 0) parameters for ``ns`` sources (§2.4, §2.3).

    All log-parameters are 0 (the 2025 run script sets every prior mean to 0), ``Gb`` equals
    ``H`` (``pE.Gb = pE.H``), and the extrinsic matrices ``A``/``AN`` come from the adjacency
    as in §2.3 (all absent, -32, when no adjacency is given). ``AN`` copies ``A``.
    """
    A = extrinsic_log_matrices(ns, forward, backward, lateral)
    return {
        "H": np.zeros((ns, 8, 8)),
        "Hn": np.zeros((ns, 8, 8)),
        "Gb": np.zeros((ns, 8, 8)),
        "T": np.zeros((ns, 6)),
        "CV": np.zeros(8),
        "S": 0.0,
        "E": 0.0,
        "Mh": np.zeros(8),
        "Hh": np.zeros(8),
        "scale_NMDA": 0.0,
        "C": np.zeros(ns),
        "A": [a.copy() for a in A],
        "AN": [a.copy() for a in A],
    }


def extrinsic_gains(P, ns):
    """``(A_k, AN_k)`` after ``exp`` and reciprocal damping of the AMPA matrices (§1.8).

    Returns two (5, ns, ns) arrays.
    """
    A = np.exp(np.asarray(P["A"], dtype=float).reshape(5, ns, ns))
    AN = np.exp(np.asarray(P["AN"], dtype=float).reshape(5, ns, ns))
    for k in range(5):
        recip = (A[k] > RECIPROCAL_THRESHOLD) & (A[k].T > RECIPROCAL_THRESHOLD)
        A[k] = np.where(recip, A[k] / RECIPROCAL_DIVISOR, A[k])
    return A, AN


def _input_drive(u, C, ns):
    """AMPA target addition from the exogenous input (§1.9), shape (ns, 8).

    ``u`` scalar: ``exp(C[s]) u`` into RT and RC. ``u`` of length 2: ``u[0]`` into SP,
    ``u[1]`` into RC (each times ``exp(C[s])``). A per-source input can be given as
    (ns, 1) or (ns, 2) with the same meaning row by row.
    """
    gain = np.exp(np.asarray(C, dtype=float).reshape(ns))
    u = np.asarray(u, dtype=float)
    drive = np.zeros((ns, 8))
    if u.ndim == 0 or u.shape == (1,):
        drive[:, RT] = gain * u.reshape(())
        drive[:, RC] = gain * u.reshape(())
    elif u.shape == (2,):
        drive[:, SP] = gain * u[0]
        drive[:, RC] = gain * u[1]
    elif u.shape == (ns, 1):
        drive[:, RT] = gain * u[:, 0]
        drive[:, RC] = gain * u[:, 0]
    elif u.shape == (ns, 2):
        drive[:, SP] = gain * u[:, 0]
        drive[:, RC] = gain * u[:, 1]
    else:
        raise ValueError(f"u must be a scalar, (2,), ({ns}, 1) or ({ns}, 2); got {u.shape}")
    return drive


def _rates(T, ns):
    """kappa = exp(-T)/tau, shape (ns, 8, 6) (§1.7); ``T`` is (ns, 6) or (ns, 8, 6)."""
    T = np.asarray(T, dtype=float)
    if T.shape == (ns, 6):
        T = T[:, None, :]
    elif T.shape != (ns, 8, 6):
        raise ValueError(f"T must be ({ns}, 6) or ({ns}, 8, 6), got {T.shape}")
    return np.broadcast_to(np.exp(-T) / TAU, (ns, 8, 6))


# ---------------------------------------------------------------------------------------------
# Right-hand side
# ---------------------------------------------------------------------------------------------
def targets(x, P, u=0.0, firing="smooth", extrinsic_masks="reference"):
    """Conductance targets ``T_r`` (§1.7-§1.9), shape (ns, 8, 6) in receptor order
    AMPA, GABA-A, NMDA, GABA-B, M, H (the order of states 1..6).

    ``extrinsic_masks="reference"`` uses ``S_A = S_N`` with columns 3-5 zeroed (the reference);
    ``"unzeroed"`` keeps the thalamic RT<-RC, RC<-RT routing of the table in §1.8.
    """
    x = np.asarray(x, dtype=float)
    ns = x.shape[0]
    V = x[:, :, kV]
    m = firing_rate(V, P["S"], firing)                       # (ns, 8)
    h = h_activation(V)                                       # (ns, 8)
    BE = BE_BASE * np.exp(np.asarray(P["E"], dtype=float))    # scalar or (8,)

    if extrinsic_masks == "reference":
        SA, SN = S_A, S_N
    elif extrinsic_masks == "unzeroed":
        SA = SN = S_EXTRINSIC_UNZEROED
    else:
        raise ValueError("extrinsic_masks must be 'reference' or 'unzeroed'")

    A, AN = extrinsic_gains(P, ns)
    # a[s, k] = sum_j A_k[s, j] m[j, presyn_k]  (§1.8)
    a = np.stack([A[k] @ m[:, EXTRINSIC_PRESYN[k]] for k in range(5)], axis=1)    # (ns, 5)
    aN = np.stack([AN[k] @ m[:, EXTRINSIC_PRESYN[k]] for k in range(5)], axis=1)  # (ns, 5)

    H = np.asarray(P["H"], dtype=float).reshape(ns, 8, 8)
    Hn = np.asarray(P["Hn"], dtype=float).reshape(ns, 8, 8)
    Gb = P.get("Gb")
    Gb = H if Gb is None else np.asarray(Gb, dtype=float).reshape(ns, 8, 8)
    drive = _input_drive(u, P["C"], ns)
    Mh = np.asarray(P["Mh"], dtype=float)
    Hh = np.asarray(P["Hh"], dtype=float)

    T = np.empty((ns, 8, 6))
    for s in range(ns):
        G, GN, GB = np.exp(H[s]), np.exp(Hn[s]), np.exp(Gb[s])
        T[s, :, 0] = EXC_FACTOR * ((G * W_AMPA) @ m[s] + BE + SA @ a[s]) + drive[s]
        T[s, :, 1] = (G * W_GABAA) @ m[s]
        T[s, :, 2] = EXC_FACTOR * ((GN * W_NMDA) @ m[s] + BE + SN @ aN[s])
        T[s, :, 3] = (GB * W_GABAB) @ m[s]
        T[s, :, 4] = M_GAIN * np.exp(Mh) * M_MASK * m[s]
        T[s, :, 5] = H_GAIN * np.exp(Hh) * H_MASK * h[s]
    return T


def tcm_rhs_seconds(x, P, u=0.0, firing="smooth", nmda_block="elementwise",
                    extrinsic_masks="reference"):
    """dx/dt of the TCM in **1/s** (spec units) for states ``x`` shaped (ns, 8, 7).

    Parameters
    ----------
    x : (ns, 8, 7) states ``[V, g_AMPA, g_GABAA, g_NMDA, g_GABAB, g_M, g_H]`` per population.
    P : dict of parameters (see module docstring; ``default_params(ns)`` for the prior mean).
    u : exogenous input (§1.9): scalar -> AMPA of RT and RC; length 2 -> SP and RC.
    firing : ``"smooth"`` | ``"atcm_hard"`` | ``"williams_cdf"`` (§1.5).
    nmda_block : ``"elementwise"`` | ``"atcm_matlab"`` | ``"spm"`` (§1.4).
    extrinsic_masks : ``"reference"`` (columns 3-5 zeroed) | ``"unzeroed"`` (§1.8).

    Returns
    -------
    (ns, 8, 7) array of time derivatives per second.
    """
    bad = [k for k in _UNSUPPORTED_KEYS if k in P]
    if bad:
        raise NotImplementedError(f"optional switches {bad} (spec §1.10) are not implemented")
    if firing not in FIRING_OPTIONS:
        raise ValueError(f"firing must be one of {FIRING_OPTIONS}, got {firing!r}")
    if nmda_block not in NMDA_BLOCK_OPTIONS:
        raise ValueError(f"nmda_block must be one of {NMDA_BLOCK_OPTIONS}, got {nmda_block!r}")
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[1:] != (8, 7):
        raise ValueError(f"x must be (ns, 8, 7), got {x.shape}")
    ns = x.shape[0]

    V = x[:, :, kV]
    gA, gGA, gN, gGB, gM, gH = (x[:, :, k] for k in (kAMPA, kGABAA, kNMDA, kGABAB, kM, kH))
    B = mg_block(V, P["scale_NMDA"], nmda_block)
    Cm = np.exp(np.asarray(P["CV"], dtype=float)) * C0        # (8,) §1.3

    dx = np.empty_like(x)
    # §1.3 membrane equation
    dx[:, :, kV] = (G_LEAK * (E_LEAK - V)
                    + gA * (E_AMPA - V)
                    + gGA * (E_GABAA - V)
                    + gGB * (E_GABAB - V)
                    + gM * (E_M - V)
                    + gH * (E_H - V)
                    + gN * (E_NMDA - V) * B) / Cm
    # §1.7 conductances: receptor order of T/kappa is AMPA, GABA-A, NMDA, GABA-B, M, H,
    # which is also the order of states 1..6.
    Tg = targets(x, P, u, firing, extrinsic_masks)
    kappa = _rates(P["T"], ns)
    dx[:, :, 1:] = kappa * (Tg - x[:, :, 1:])
    return dx


def tcm_rhs_ms(x, P, u=0.0, firing="smooth", nmda_block="elementwise",
               extrinsic_masks="reference"):
    """dx/dt per **millisecond**: ``tcm_rhs_seconds(...) / 1000`` (units box of the spec)."""
    return tcm_rhs_seconds(x, P, u, firing, nmda_block, extrinsic_masks) / 1000.0


# ---------------------------------------------------------------------------------------------
# Helpers for checks
# ---------------------------------------------------------------------------------------------
def initial_guess(ns=1, P=None, V0=-60.0, u=0.0, firing="smooth"):
    """A start for fixed-point searches: V = ``V0`` everywhere, conductances at their targets."""
    P = default_params(ns) if P is None else P
    x = np.zeros((ns, 8, 7))
    x[:, :, kV] = V0
    x[:, :, 1:] = targets(x, P, u, firing)
    return x


def fd_jacobian(fun, x, rel_step=1e-6):
    """Central finite-difference Jacobian of ``fun`` (flat -> flat) at flat ``x``."""
    x = np.asarray(x, dtype=float)
    n = x.size
    J = np.empty((n, n))
    for i in range(n):
        h = rel_step * max(1.0, abs(x[i]))
        xp = x.copy()
        xm = x.copy()
        xp[i] += h
        xm[i] -= h
        J[:, i] = (fun(xp) - fun(xm)) / (2 * h)
    return J
