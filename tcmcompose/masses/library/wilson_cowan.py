"""Wilson-Cowan excitatory and inhibitory populations, in neurolib's native form."""
from ..mass import Mass


class WilsonCowanExc(Mass):
    r"""Excitatory Wilson-Cowan population (neurolib's native ``WCModel``, E part).

    .. math::

        S_E(x) &= \frac{1}{1 + e^{-a_{exc}(x - \mu_{exc})}} \\
        \tau_{exc}\,\dot{E} &= -E + (1 - E)\, S_E(\mathrm{syn} + E_{ext}) + \mathrm{ou}

    ``syn`` is the summed synaptic *argument* of the sigmoid: in
    :func:`tcmcompose.nodes.wilson_cowan.wilson_cowan_node` it receives
    :math:`c_{excexc} E - c_{inhexc} I` from the local connections plus the
    long-range input :math:`K_{gl} \sum_l C_{kl} E_l(t - D_{kl})`.
    ``ou`` is added outside the sigmoid, as neurolib adds its
    Ornstein-Uhlenbeck input (``exc_ou``); feed it with an OU stimulus
    (mean ``exc_ou_mean``, sigma ``sigma_ou``, tau ``tau_ou``) to reproduce
    neurolib's noise; unconnected, it is 0 (neurolib's default sigma_ou = 0).

    Units: time in ms; E is a dimensionless activity in [0, 1]; ``syn`` and
    ``exc_ext`` dimensionless. No adaptation, no refractory factor other
    than :math:`(1 - E)`.

    Defaults: neurolib 0.6 ``WCModel`` (tau_exc = 2.5 ms, a_exc = 1.5,
    mu_exc = 3.0, exc_ext = 0); initial E = 0.05 (top of neurolib's random
    initial range 0.05 U(0, 1)). Names are neurolib's (state ``exc``,
    parameter ``exc_ext``); the output ``rate`` is the activity E.

    References: Wilson H.R. & Cowan J.D. (1972) Biophys J 12:1-24;
    Cakan C., Jajcay N. & Obermayer K. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """

    category = "physiological"
    typical_use = "E-I rate oscillator; whole-brain networks (neurolib's form)"
    reference = "Wilson & Cowan 1972, Biophys J 12:1-24"

    name = "wilson_cowan_exc"
    states = {"exc": 0.05}
    params = {"tau_exc": 2.5, "a_exc": 1.5, "mu_exc": 3.0, "exc_ext": 0.0}
    inputs = ["syn", "ou"]
    outputs = {"rate": "exc"}
    equations = {
        "exc": "(-exc + (1 - exc)/(1 + exp(-a_exc*(syn + exc_ext - mu_exc))) + ou)/tau_exc",
    }


class WilsonCowanInh(Mass):
    r"""Inhibitory Wilson-Cowan population (neurolib's native ``WCModel``, I part).

    .. math::

        S_I(x) &= \frac{1}{1 + e^{-a_{inh}(x - \mu_{inh})}} \\
        \tau_{inh}\,\dot{I} &= -I + (1 - I)\, S_I(\mathrm{syn} + I_{ext}) + \mathrm{ou}

    ``syn`` is the summed synaptic argument of the sigmoid (locally
    :math:`c_{excinh} E - c_{inhinh} I`; in neurolib I receives no
    long-range input). ``ou`` is neurolib's additive ``inh_ou`` input
    (0 when unconnected).

    Units: time in ms; I dimensionless in [0, 1].

    Defaults: neurolib 0.6 ``WCModel`` (tau_inh = 3.75 ms, a_inh = 1.5,
    mu_inh = 3.0, inh_ext = 0); initial I = 0.05. Names are neurolib's
    (state ``inh``); the output ``rate`` is the activity I.

    References: Wilson H.R. & Cowan J.D. (1972) Biophys J 12:1-24;
    Cakan C., Jajcay N. & Obermayer K. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """

    category = "physiological"
    typical_use = "inhibitory partner of WilsonCowanExc"
    reference = "Wilson & Cowan 1972, Biophys J 12:1-24"

    name = "wilson_cowan_inh"
    states = {"inh": 0.05}
    params = {"tau_inh": 3.75, "a_inh": 1.5, "mu_inh": 3.0, "inh_ext": 0.0}
    inputs = ["syn", "ou"]
    outputs = {"rate": "inh"}
    equations = {
        "inh": "(-inh + (1 - inh)/(1 + exp(-a_inh*(syn + inh_ext - mu_inh))) + ou)/tau_inh",
    }


class WilsonCowanRefractory(Mass):
    r"""One Wilson-Cowan population in the original 1972 form: refractory
    factor :math:`r` and a sigmoid shifted to pass through 0.

    .. math::

        F(x) &= \frac{1}{1 + e^{-a(x - \theta)}} - \frac{1}{1 + e^{a\theta}} \\
        \tau\,\dot x &= -x + (1 - r x)\, F(\mathrm{syn}) + \mathrm{u}

    ``syn`` is the summed argument of the sigmoid (local links and
    long-range input, as in :class:`WilsonCowanExc`); ``u`` adds outside it.
    Wilson & Cowan (1972) eq. 13 with the subtractive constant that makes
    :math:`F(0) = 0` (their eq. 1 and Fig. 1); brainmass' ``WilsonCowanModel``
    uses the same form.

    Units: time in ms; x a dimensionless activity.

    Defaults (an excitatory population; brainmass' values): tau = 1 ms,
    a = 1.2, theta = 2.8, r = 1; initial x = 0. The inhibitory partner in
    :func:`tcmcompose.nodes.wilson_cowan.wilson_cowan_refractory_node` takes
    a = 1, theta = 4.

    References: Wilson H.R. & Cowan J.D. (1972) Biophys J 12:1-24.
    """

    category = "physiological"
    typical_use = "E-I rate unit with refractory factor (Wilson & Cowan 1972; brainmass' form)"
    reference = "Wilson & Cowan 1972, Biophys J 12:1-24"

    name = "wilson_cowan_refractory"
    states = {"x": 0.0}
    params = {"tau": 1.0, "a": 1.2, "theta": 2.8, "r": 1.0}
    inputs = ["syn", "u"]
    outputs = {"rate": "x"}
    equations = {
        "x": "(-x + (1 - r*x)*(1/(1 + exp(-a*(syn - theta))) - 1/(1 + exp(a*theta))) + u)/tau",
    }
