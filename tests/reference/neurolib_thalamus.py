"""Independent NumPy loop of neurolib's native ``ThalamicMassModel`` (Costa et al. 2016).

Written from the description in ``shared/reference/CATALOGUE.md`` (neurolib 0.6.2,
``neurolib/models/thalamus``, read from its code): explicit Euler on all 15
state variables at once from the previous values, no noise (d_phi = 0), no
external currents. Used to check ``tcmcompose.nodes.thalamus.thalamus_node``
step for step. Returns the full state trajectory, one row per step
(row 0 = the initial state).
"""
import math

import numpy as np

DEFAULTS = dict(tau=20.0, Q_max=0.4, theta=-58.5, sigma=6.0, C1=1.8137993642, C_m=1.0, gamma_e=0.07,
                gamma_r=0.1, g_L=1.0, g_AMPA=1.0, g_GABA=1.0, g_LK=0.018, E_AMPA=0.0, E_GABA=-70.0, E_L=-70.0,
                E_K=-100.0, E_Ca=120.0, g_T_t=3.0, g_T_r=2.3, g_h=0.062, E_h=-40.0, alpha_Ca=-51.8e-6,
                tau_Ca=10.0, Ca_0=2.4e-4, k1=2.5e7, k2=4e-4, k3=0.1, k4=0.001, n_P=4.0, g_inc=2.0, N_tr=5.0,
                N_rt=3.0, N_rr=25.0)

STATES = ["V_t", "V_r", "Ca", "h_T_t", "h_T_r", "m_h1", "m_h2", "s_et", "s_gt", "s_er", "s_gr",
          "ds_et", "ds_gt", "ds_er", "ds_gr"]


def simulate_thalamus(x0, n_steps, dt=0.01, **params):
    p = dict(DEFAULTS)
    p.update(params)
    g = p.__getitem__
    x = dict(zip(STATES, map(float, x0)))
    out = np.empty((n_steps + 1, len(STATES)))
    out[0] = [x[s] for s in STATES]
    exp = math.exp
    for n in range(n_steps):
        Vt, Vr, Ca = x["V_t"], x["V_r"], x["Ca"]
        F_t = g("Q_max") / (1 + exp(-g("C1") * (Vt - g("theta")) / g("sigma")))
        F_r = g("Q_max") / (1 + exp(-g("C1") * (Vr - g("theta")) / g("sigma")))
        m_t = 1 / (1 + exp(-(Vt + 59) / 6.2))
        m_r = 1 / (1 + exp(-(Vr + 52) / 7.4))
        h_t_inf = 1 / (1 + exp((Vt + 81) / 4))
        h_r_inf = 1 / (1 + exp((Vr + 80) / 5))
        tau_h_t = (30.8 + (211.4 + exp((Vt + 115.2) / 5)) / (1 + exp((Vt + 86) / 3.2))) / 3.7371928
        tau_h_r = (85 + 1 / (exp((Vr + 48) / 4) + exp(-(Vr + 407) / 50))) / 3.7371928
        m_h_inf = 1 / (1 + exp((Vt + 75) / 5.5))
        tau_m_h = 20 + 1000 / (exp((Vt + 71.5) / 14.2) + exp(-(Vt + 89) / 11.6))
        P_h = g("k1") * Ca ** g("n_P") / (g("k1") * Ca ** g("n_P") + g("k2"))
        I_T_t = g("g_T_t") * m_t ** 2 * x["h_T_t"] * (Vt - g("E_Ca"))
        I_T_r = g("g_T_r") * m_r ** 2 * x["h_T_r"] * (Vr - g("E_Ca"))
        I_h = g("g_h") * (x["m_h1"] + g("g_inc") * x["m_h2"]) * (Vt - g("E_h"))
        d = {
            "V_t": -(g("g_L") * (Vt - g("E_L")) + g("g_AMPA") * x["s_et"] * (Vt - g("E_AMPA"))
                     + g("g_GABA") * x["s_gt"] * (Vt - g("E_GABA"))) / g("tau")
                   - (g("g_LK") * (Vt - g("E_K")) + I_T_t + I_h) / g("C_m"),
            "V_r": -(g("g_L") * (Vr - g("E_L")) + g("g_AMPA") * x["s_er"] * (Vr - g("E_AMPA"))
                     + g("g_GABA") * x["s_gr"] * (Vr - g("E_GABA"))) / g("tau")
                   - (g("g_LK") * (Vr - g("E_K")) + I_T_r) / g("C_m"),
            "Ca": g("alpha_Ca") * I_T_t - (Ca - g("Ca_0")) / g("tau_Ca"),
            "h_T_t": (h_t_inf - x["h_T_t"]) / tau_h_t,
            "h_T_r": (h_r_inf - x["h_T_r"]) / tau_h_r,
            "m_h1": (m_h_inf * (1 - x["m_h2"]) - x["m_h1"]) / tau_m_h - g("k3") * P_h * x["m_h1"]
                    + g("k4") * x["m_h2"],
            "m_h2": g("k3") * P_h * x["m_h1"] - g("k4") * x["m_h2"],
            "s_et": x["ds_et"], "s_gt": x["ds_gt"], "s_er": x["ds_er"], "s_gr": x["ds_gr"],
            "ds_et": 0.0,                                  # no cortical input in the native model
            "ds_er": g("gamma_e") ** 2 * (g("N_rt") * F_t - x["s_er"]) - 2 * g("gamma_e") * x["ds_er"],
            "ds_gt": g("gamma_r") ** 2 * (g("N_tr") * F_r - x["s_gt"]) - 2 * g("gamma_r") * x["ds_gt"],
            "ds_gr": g("gamma_r") ** 2 * (g("N_rr") * F_r - x["s_gr"]) - 2 * g("gamma_r") * x["ds_gr"],
        }
        x = {s: x[s] + dt * d[s] for s in STATES}
        out[n + 1] = [x[s] for s in STATES]
    return out
