"""Larter-Breakspear conductance-based neural mass (Breakspear et al. 2003), TVB's form."""
from ..mass import Mass


class LarterBreakspear(Mass):
    r"""Larter et al. (1999) / Breakspear et al. (2003) mass: pyramidal cells (V), their K
    channels (W) and inhibitory interneurons (Z), in The Virtual Brain's form.

    .. math::

        m_{ion} &= \tfrac12\,\big(1 + \tanh((V - T_{ion})/\delta_{ion})\big), \quad ion \in \{Ca, Na, K\} \\
        Q_V &= \tfrac12 Q_{V,max}\,\big(1 + \tanh((V - V_T)/\delta_V)\big), \quad
        Q_Z = \tfrac12 Q_{Z,max}\,\big(1 + \tanh((Z - Z_T)/\delta_Z)\big) \\
        \dot V &= t_s\Big[-\big(g_{Ca} + (1 - C)\, r_{NMDA} a_{ee} Q_V + C\, r_{NMDA} a_{ee}\, c\big)\, m_{Ca}(V - V_{Ca})
                 - g_K W (V - V_K) - g_L (V - V_L) \\
               &\qquad - \big(g_{Na} m_{Na} + (1 - C)\, a_{ee} Q_V + C\, a_{ee}\, c\big)(V - V_{Na})
                 - a_{ie} Z Q_Z + a_{ne} I_{ext}\Big] \\
        \dot W &= t_s\, \phi\, (m_K - W)/\tau_K \\
        \dot Z &= t_s\, b\, (a_{ni} I_{ext} + a_{ei} V Q_V)

    All quantities are dimensionless (normalised), as in the papers and TVB;
    ``t_scale`` maps the model time onto ms (TVB integrates it with dt ~ 0.1-0.2).
    ``C`` balances local against long-range excitation: the port ``c`` is the
    mean afferent rate :math:`\langle Q_V \rangle` of the other nodes, i.e.
    ``tc.Coupling("LB.QV", "LB.c")`` with row-normalised weights (TVB's
    ``HyperbolicTangent`` coupling with a = QV_max/2, midpoint VT, sigma
    d_V computes the same rates). The output ``QV`` is :math:`Q_V`.

    Regimes (single node; TVB's notes after Breakspear et al. 2003): fixed
    point for :math:`\delta_V < 0.55`, limit cycles for
    :math:`0.55 < \delta_V < 0.59`, chaos above (e.g. :math:`\delta_V = 0.6`,
    :math:`a_{ee} = a_{ie} = 0.5`, :math:`g_{Na} = 0`, :math:`I_{ext} = 0.165`).

    Defaults: TVB 2.x (gCa 1.1, gK 2, gL 0.5, phi 0.7, gNa 6.7, TK 0,
    TCa -0.01, TNa 0.3, VCa 1, VK -0.7, VL -0.5, VNa 0.53, d_K 0.3, tau_K 1,
    d_Na 0.15, d_Ca 0.15, aei 2, aie 2, b 0.1, C 0.1, ane 1, ani 0.4,
    aee 0.4, Iext 0.3, rNMDA 0.25, VT 0, d_V 0.65, ZT 0, d_Z 0.7,
    QV_max = QZ_max = 1, t_scale 1). TVB's local-coupling term (surfaces)
    is left out.

    References: Larter R., Speelman B. & Worth R.M. (1999) Chaos 9:795-804;
    Breakspear M., Terry J.R. & Friston K.J. (2003) Network 14:703-732;
    Honey C.J. et al. (2007) PNAS 104:10240-10245.
    """

    category = "physiological"
    typical_use = "conductance-based chaotic mass; metastable networks"
    reference = "Breakspear, Terry & Friston 2003, Network 14:703-732"

    name = "larter_breakspear"
    states = {"V": 0.1, "W": 0.3, "Z": 0.05}
    params = {"gCa": 1.1, "gK": 2.0, "gL": 0.5, "phi": 0.7, "gNa": 6.7, "TK": 0.0, "TCa": -0.01, "TNa": 0.3,
              "VCa": 1.0, "VK": -0.7, "VL": -0.5, "VNa": 0.53, "d_K": 0.3, "tau_K": 1.0, "d_Na": 0.15,
              "d_Ca": 0.15, "aei": 2.0, "aie": 2.0, "b": 0.1, "C": 0.1, "ane": 1.0, "ani": 0.4, "aee": 0.4,
              "Iext": 0.3, "rNMDA": 0.25, "VT": 0.0, "d_V": 0.65, "ZT": 0.0, "d_Z": 0.7, "QV_max": 1.0,
              "QZ_max": 1.0, "t_scale": 1.0}
    inputs = ["c"]
    outputs = {"V": "V", "QV": "QV_max*(1 + tanh((V - VT)/d_V))/2"}

    def define(self):
        m_ca = "(1 + tanh((V - TCa)/d_Ca))/2"
        m_na = "(1 + tanh((V - TNa)/d_Na))/2"
        m_k = "(1 + tanh((V - TK)/d_K))/2"
        qv = "QV_max*(1 + tanh((V - VT)/d_V))/2"
        qz = "QZ_max*(1 + tanh((Z - ZT)/d_Z))/2"
        return {"equations": {
            "V": f"t_scale*(-(gCa + (1 - C)*rNMDA*aee*{qv} + C*rNMDA*aee*c)*{m_ca}*(V - VCa)"
                 f" - gK*W*(V - VK) - gL*(V - VL) - (gNa*{m_na} + (1 - C)*aee*{qv} + C*aee*c)*(V - VNa)"
                 f" - aie*Z*{qz} + ane*Iext)",
            "W": f"t_scale*phi*({m_k} - W)/tau_K",
            "Z": f"t_scale*b*(ani*Iext + aei*V*{qv})",
        }}
