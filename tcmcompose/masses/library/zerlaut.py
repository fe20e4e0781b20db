r"""Zerlaut / di Volo mean field of conductance-based AdEx networks (first order)."""
import sympy as sp

from ..mass import Mass

#: fitted threshold polynomials (di Volo et al. 2019, Table I; TVB's P_e, P_i)
P_E = (-0.04983106, 0.005063550882777035, -0.023470121807314552, 0.0022951513725067503,
       -0.0004105302652029825, 0.010547051343547399, -0.03659252821136933, 0.007437487505797858,
       0.001265064721846073, -0.04072161294490446)
P_I = (-0.05149122024209484, 0.004003689190271077, -0.008352013668528155, 0.0002414237992765705,
       -0.0005070645080016026, 0.0014345394104282397, -0.014686689498949967, 0.004502706285435741,
       0.0028472190352532454, -0.015357804594594548)


def _moments(S, E, I, c, W, E_L):
    """Mean, standard deviation and correlation time of the membrane voltage
    (di Volo et al. 2019, Eqs. 5-9) of a cell with leak reversal E_L and
    adaptation current W, driven by the recurrent rates E, I and the external
    excitatory rate c (all kHz)."""
    fe = (E + S["nu_0"]) * (1 - S["g"]) * S["p_e"] * S["N_tot"] + c * S["K_ext_e"]
    fi = (I + S["nu_0"]) * S["g"] * S["p_i"] * S["N_tot"]
    mGe, mGi = S["Q_e"] * S["tau_e"] * fe, S["Q_i"] * S["tau_i"] * fi
    mG = S["g_L"] + mGe + mGi
    Tm = S["C_m"] / mG
    muV = (mGe * S["E_e"] + mGi * S["E_i"] + S["g_L"] * E_L - W) / mG
    Ue, Ui = S["Q_e"] / mG * (S["E_e"] - muV), S["Q_i"] / mG * (S["E_i"] - muV)
    ae, ai = fe * (Ue * S["tau_e"]) ** 2, fi * (Ui * S["tau_i"]) ** 2
    sV = sp.sqrt(ae / (2 * (S["tau_e"] + Tm)) + ai / (2 * (S["tau_i"] + Tm)))
    TV = (ae + ai) / (ae / (S["tau_e"] + Tm) + ai / (S["tau_i"] + Tm))
    return muV, sV, TV


def _rate(S, muV, sV, TV, P):
    """Transfer function: erfc((V_thr - mu_V)/(sqrt(2) sigma_V)) / (2 T_V) with the
    effective threshold a quadratic polynomial in the normalised moments
    (Zerlaut et al. 2018, Eq. 4 and its normalisation)."""
    V = (muV + 60.0) / 10.0
    Sg = (sV - 4.0) / 6.0
    T = (TV * S["g_L"] / S["C_m"] - 0.5) / 1.0
    thr = 1e3 * (P[0] + P[1] * V + P[2] * Sg + P[3] * T + P[4] * V ** 2 + P[5] * Sg ** 2 + P[6] * T ** 2
                 + P[7] * V * Sg + P[8] * V * T + P[9] * Sg * T)
    return (1 - sp.erf((thr - muV) / (sp.sqrt(2) * sV))) / (2 * TV)


class ZerlautAdEx(Mass):
    r"""First-order mean field of a sparse network of conductance-based
    adaptive exponential integrate-and-fire neurons (Zerlaut et al. 2018; di
    Volo et al. 2019; TVB's ``ZerlautAdaptationFirstOrder``).

    .. math::

        T \dot\nu_e &= F_e(\nu_e, \nu_i, \nu_{ext}, W_e) - \nu_e, \qquad
        T \dot\nu_i = F_i(\nu_e, \nu_i, \nu_{ext}, W_i) - \nu_i \\
        \dot W_\alpha &= -W_\alpha/\tau_{w\alpha} + b_\alpha \nu_\alpha
                          + a_\alpha (\mu_V^\alpha - E_{L\alpha})/\tau_{w\alpha} \\
        F &= \frac{1}{2T_V}\,\mathrm{erfc}\!\left(\frac{V_{thr}^{eff} - \mu_V}{\sqrt2\,\sigma_V}\right)

    with input rates :math:`f_e = (\nu_e + \nu_0)(1-g) p_e N + K_{ext} \nu_{ext}`,
    :math:`f_i = (\nu_i + \nu_0) g p_i N`, mean conductances
    :math:`\mu_{Ge} = Q_e τ_e f_e`, :math:`\mu_{Gi} = Q_i τ_i f_i`,
    :math:`\mu_G = g_L + \mu_{Ge} + \mu_{Gi}`, :math:`T_m = C_m/\mu_G`,
    :math:`\mu_V = (\mu_{Ge}E_e + \mu_{Gi}E_i + g_L E_L - W)/\mu_G`,
    PSP amplitudes :math:`U_s = Q_s(E_s - \mu_V)/\mu_G`,
    :math:`\sigma_V^2 = \sum_s f_s (U_s τ_s)^2 / (2(τ_s + T_m))`,
    :math:`T_V = \sum_s f_s (U_s τ_s)^2 / \sum_s f_s (U_s τ_s)^2/(τ_s + T_m)`,
    and the effective threshold a second-order polynomial (coefficients
    ``P_E``, ``P_I``, fitted to AdEx neurons) in
    :math:`(\mu_V + 60)/10`, :math:`(\sigma_V - 4)/6`, :math:`T_V g_L/C_m - 0.5`.

    Units: ms, mV, nS, pA, pF; rates :math:`\nu` in kHz. Port ``c`` is the
    external excitatory rate :math:`\nu_{ext}` (kHz) reaching each cell
    through ``K_ext_e`` synapses: long-range coupling of ``E`` and the
    drive. Outputs ``E`` and ``I`` (kHz). TVB clips a negative external rate
    to 0; here it enters as given (keep drives non-negative).

    Defaults (TVB 2.x, from Zerlaut et al. 2018 Table 1 and di Volo et al.
    2019): g_L 10 nS, E_L_e = E_L_i = -65 mV, C_m 200 pF, a_e 4 nS,
    b_e 60 pA, a_i = b_i = 0, τ_we 500 ms, τ_wi 1 ms, E_e 0, E_i -80 mV,
    Q_e 1.5, Q_i 5 nS, τ_e = τ_i = 5 ms, N 10000, p_e = p_i = 0.05, g 0.2,
    K_ext_e 400, T 20 ms, ν_0 = 1e-6 kHz (spontaneous release). The
    polynomial coefficients are module constants (structure, not data).

    A library mass, not (yet) in ``tc.list_models()``: generating its
    kernels (the analytic Jacobian through erfc of the voltage moments) takes
    about 40 s of SymPy work on a cold cache.

    References: Zerlaut Y., Chemla S., Chavane F. & Destexhe A. (2018) J
    Comput Neurosci 44:45-61; di Volo M., Romagnoni A., Capone C. & Destexhe
    A. (2019) Neural Comput 31:653-680.
    """

    category = "physiological"
    typical_use = "conductance-based AdEx mean field; asynchronous states, adaptation (TVB)"
    reference = "di Volo et al. 2019, Neural Comput 31:653-680"

    def define(self):
        params = {"g_L": 10.0, "E_L_e": -65.0, "E_L_i": -65.0, "C_m": 200.0, "a_e": 4.0, "b_e": 60.0,
                  "a_i": 0.0, "b_i": 0.0, "tau_w_e": 500.0, "tau_w_i": 1.0, "E_e": 0.0, "E_i": -80.0,
                  "Q_e": 1.5, "Q_i": 5.0, "tau_e": 5.0, "tau_i": 5.0, "N_tot": 10000.0, "p_e": 0.05,
                  "p_i": 0.05, "g": 0.2, "K_ext_e": 400.0, "T": 20.0, "nu_0": 1e-6}
        S = {n: sp.Symbol(n, real=True) for n in list(params) + ["E", "I", "W_e", "W_i", "c"]}
        mu_e, s_e, t_e = _moments(S, S["E"], S["I"], S["c"], S["W_e"], S["E_L_e"])
        mu_i, s_i, t_i = _moments(S, S["E"], S["I"], S["c"], S["W_i"], S["E_L_i"])
        eqs = {
            "E": (_rate(S, mu_e, s_e, t_e, P_E) - S["E"]) / S["T"],
            "I": (_rate(S, mu_i, s_i, t_i, P_I) - S["I"]) / S["T"],
            "W_e": -S["W_e"] / S["tau_w_e"] + S["b_e"] * S["E"] + S["a_e"] * (mu_e - S["E_L_e"]) / S["tau_w_e"],
            "W_i": -S["W_i"] / S["tau_w_i"] + S["b_i"] * S["I"] + S["a_i"] * (mu_i - S["E_L_i"]) / S["tau_w_i"],
        }
        return dict(name="zerlaut_adex", states={"E": 0.002, "I": 0.008, "W_e": 30.0, "W_i": 0.0},
                    params=params, inputs=["c"], outputs={"E": "E", "I": "I"}, equations=eqs)
