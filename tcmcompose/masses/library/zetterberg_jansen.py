"""Zetterberg-Jansen cortical column, in The Virtual Brain's form."""
from ..mass import Mass

_S = "2*e0/(1 + exp(rho_1*(rho_2 - ({})))) "


class ZetterbergJansen(Mass):
    r"""Zetterberg, Kristiansson & Mossberg (1978) three-population column
    (excitatory interneurons / stellate cells, pyramidal cells, inhibitory
    interneurons), the model Jansen & Rit later simplified; TVB's
    ``ZetterbergJansen``.

    .. math::

        S(v) &= \frac{2 e_0}{1 + e^{\rho_1(\rho_2 - v)}}, \qquad
        s_c = S(c) \\
        \dot v_k &= y_k \quad (k = 1..5) \\
        \dot y_1 &= H_e k_e\,[\gamma_1 S(v_2 - v_3) + \gamma_{1T}(U + s_c)] - 2k_e y_1 - k_e^2 v_1 \\
        \dot y_2 &= H_e k_e\,[\gamma_2 S(v_1) + \gamma_{2T}(P + s_c)] - 2k_e y_2 - k_e^2 v_2 \\
        \dot y_3 &= H_i k_i\,\gamma_4 S(v_4 - v_5) - 2k_i y_3 - k_i^2 v_3 \\
        \dot y_4 &= H_e k_e\,[\gamma_3 S(v_2 - v_3) + \gamma_{3T}(Q + s_c)] - 2k_e y_4 - k_e^2 v_4 \\
        \dot y_5 &= H_i k_i\,\gamma_5 S(v_4 - v_5) - 2k_i y_5 - k_i^2 v_5 \\
        \dot v_6 &= y_2 - y_3, \qquad \dot v_7 = y_4 - y_5

    :math:`v_1` is the stellate PSP, :math:`v_2 - v_3` the pyramidal
    membrane potential (tracked as :math:`v_6`, the EEG proxy and TVB's
    coupling variable), :math:`v_4 - v_5` the inhibitory interneurons'
    (:math:`v_7`). Port ``c`` is the long-range input in mV, passed through
    the sigmoid into all three populations (TVB's coupled input).

    One deliberate difference from TVB 2.x: TVB's code damps :math:`y_5`
    with :math:`k_e^2 v_5`; the second-order inhibitory synapse of the paper
    has :math:`k_i^2 v_5`, used here.

    Units: ms, mV; rates in 1/ms. Defaults (TVB 2.x): He = 3.25 mV,
    Hi = 22 mV, ke = 0.1 /ms, ki = 0.05 /ms, e0 = 0.0025 /ms, rho_1 =
    0.56 /mV, rho_2 = 6 mV, gamma_1 = 135, gamma_2 = 108, gamma_3 = 33.75,
    gamma_4 = 33.75, gamma_5 = 15, gamma_1T = gamma_2T = gamma_3T = 1,
    P = U = Q = 0.12 /ms. All states start at 0.

    References: Zetterberg L.H., Kristiansson L. & Mossberg K. (1978) Biol
    Cybern 31:15-26; Jansen B.H. & Rit V.G. (1995) Biol Cybern 73:357-366;
    Sanz-Leon P. et al. (2015) NeuroImage 111:385-430 (TVB).
    """

    category = "physiological"
    typical_use = "three-population cortical column (Jansen-Rit's precursor); EEG rhythms"
    reference = "Zetterberg, Kristiansson & Mossberg 1978, Biol Cybern 31:15-26"

    name = "zetterberg_jansen"
    states = {s: 0.0 for s in ("v1", "y1", "v2", "y2", "v3", "y3", "v4", "y4", "v5", "y5", "v6", "v7")}
    params = {"He": 3.25, "Hi": 22.0, "ke": 0.1, "ki": 0.05, "e0": 0.0025, "rho_1": 0.56, "rho_2": 6.0,
              "gamma_1": 135.0, "gamma_2": 108.0, "gamma_3": 33.75, "gamma_4": 33.75, "gamma_5": 15.0,
              "gamma_1T": 1.0, "gamma_2T": 1.0, "gamma_3T": 1.0, "P": 0.12, "U": 0.12, "Q": 0.12}
    inputs = ["c"]
    outputs = {"v6": "v6", "v7": "v7"}
    equations = {
        "v1": "y1",
        "y1": f"He*ke*(gamma_1*{_S.format('v2 - v3')} + gamma_1T*(U + {_S.format('c')})) - 2*ke*y1 - ke**2*v1",
        "v2": "y2",
        "y2": f"He*ke*(gamma_2*{_S.format('v1')} + gamma_2T*(P + {_S.format('c')})) - 2*ke*y2 - ke**2*v2",
        "v3": "y3",
        "y3": f"Hi*ki*gamma_4*{_S.format('v4 - v5')} - 2*ki*y3 - ki**2*v3",
        "v4": "y4",
        "y4": f"He*ke*(gamma_3*{_S.format('v2 - v3')} + gamma_3T*(Q + {_S.format('c')})) - 2*ke*y4 - ke**2*v4",
        "v5": "y5",
        "y5": f"Hi*ki*gamma_5*{_S.format('v4 - v5')} - 2*ki*y5 - ki**2*v5",
        "v6": "y2 - y3",
        "v7": "y4 - y5",
    }
