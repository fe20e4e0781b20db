"""Excitatory-inhibitory threshold-linear rate unit."""
from ..mass import Mass


class ThresholdLinear(Mass):
    r"""Excitatory-inhibitory pair of threshold-linear (rectified) rate units,
    the E-I network of Dayan & Abbott (2001, §7.5):

    .. math::

        \tau_E \dot E &= -E + \left[w_{EE} E - w_{EI} I + h_E + u_E\right]_+ \\
        \tau_I \dot I &= -I + \left[w_{IE} E - w_{II} I + h_I + u_I\right]_+

    with :math:`[x]_+ = \max(0, x)`. While both arguments are positive the
    system is linear; its fixed point is
    :math:`E^* = \frac{(1 + w_{II}) h_E - w_{EI} h_I}{(1 - w_{EE})(1 + w_{II}) + w_{EI} w_{IE}}`,
    :math:`I^* = (w_{IE} E^* + h_I)/(1 + w_{II})`, and it has a Hopf
    bifurcation where the Jacobian's trace vanishes,
    :math:`(w_{EE} - 1)/\tau_E = (1 + w_{II})/\tau_I`.

    Units: time in ms, rates :math:`E, I` in Hz (spikes/s), weights
    dimensionless, :math:`h` in Hz. Defaults: Dayan & Abbott's example,
    :math:`M_{EE}` = 1.25, :math:`M_{EI}` = -1, :math:`M_{IE}` = 1,
    :math:`M_{II}` = 0, :math:`\gamma_E` = -10 Hz, :math:`\gamma_I` = 10 Hz,
    :math:`\tau_E` = 10 ms, :math:`\tau_I` = 30 ms. The fixed point is
    E = 26.67 Hz, I = 16.67 Hz, a stable focus for :math:`\tau_I` < 40 ms
    and surrounded by a limit cycle above (e.g. :math:`\tau_I` = 50 ms).
    Initial state E = 30 Hz, I = 10 Hz.

    Names (Dayan & Abbott -> here): :math:`v_E, v_I` -> ``E``, ``I``;
    :math:`M_{EE}` -> ``w_EE``; :math:`M_{EI}` -> ``-w_EI`` (inhibitory
    weights are written positive and subtracted); :math:`M_{IE}` ->
    ``w_IE``; :math:`M_{II}` -> ``-w_II``; thresholds :math:`\gamma_E,
    \gamma_I` -> drives ``h_E = -gamma_E``, ``h_I = -gamma_I``.

    Ports ``u_E``, ``u_I`` add to the rectified inputs (coupling slots);
    outputs ``E`` and ``I``.

    References: Dayan P. & Abbott L.F. (2001) Theoretical Neuroscience, MIT
    Press, ch. 7 (§7.5, Figs. 7.18-7.19).
    """

    category = "phenomenological"
    typical_use = "linear-threshold E-I rate unit"
    reference = "Dayan & Abbott 2001, Theoretical Neuroscience ch. 7"

    name = "threshold_linear"
    states = {"E": 30.0, "I": 10.0}
    params = {"tau_E": 10.0, "tau_I": 30.0, "w_EE": 1.25, "w_EI": 1.0, "w_IE": 1.0, "w_II": 0.0,
              "h_E": 10.0, "h_I": -10.0}
    inputs = ["u_E", "u_I"]
    outputs = {"E": "E", "I": "I"}
    equations = {
        "E": "(-E + Max(0, w_EE*E - w_EI*I + h_E + u_E))/tau_E",
        "I": "(-I + Max(0, w_IE*E - w_II*I + h_I + u_I))/tau_I",
    }
