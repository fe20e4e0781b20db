"""Reduced Wong-Wang excitatory-inhibitory node (Deco et al. 2014), TVB's form."""
from ..mass import Mass


class ReducedWongWangExcInh(Mass):
    r"""Deco et al. (2014) reduced Wong-Wang E-I mean field (TVB's ``ReducedWongWangExcInh``).

    .. math::

        x_e &= a_e\,(w_p J_N S_e - J_i S_i + W_e I_o + G J_N c + I_{ext}) - b_e,
        \qquad H_e = \frac{x_e}{1 - e^{-d_e x_e}} \\
        \dot S_e &= -\frac{S_e}{\tau_e} + (1 - S_e)\,\gamma_e H_e \\
        x_i &= a_i\,(J_N S_e - S_i + W_i I_o + \lambda G J_N c) - b_i,
        \qquad H_i = \frac{x_i}{1 - e^{-d_i x_i}} \\
        \dot S_i &= -\frac{S_i}{\tau_i} + \gamma_i H_i

    Units: time in ms; currents in nA; :math:`H_e, H_i` in Hz (spikes/s);
    :math:`a` in 1/(nC) = Hz/nA, :math:`b` in Hz, :math:`d` in s.
    :math:`\gamma_e = 0.641/1000` and :math:`\gamma_i = 1/1000` carry the
    s -> ms conversion (as in TVB), so :math:`\tau_e, \tau_i` are in ms.

    Defaults (TVB 2.x, from Deco et al. 2014): a_e = 310, b_e = 125,
    d_e = 0.16, gamma_e = 0.641e-3, tau_e = 100 ms, w_p = 1.4, J_N = 0.15 nA,
    W_e = 1, a_i = 615, b_i = 177, d_i = 0.087, gamma_i = 1e-3,
    tau_i = 10 ms, J_i = 1 nA, W_i = 0.7, I_o = 0.382 nA, I_ext = 0, G = 2,
    lamda = 0. Initial S_e = 0.17, S_i = 0.05 (near the spontaneous state).
    ``lambda`` is a Python keyword: TVB's ``lamda`` spelling is kept.

    Noise: additive, :math:`dS = f\,dt + \sigma\, dW` on both states with
    ``sigma`` (per sqrt(ms); default 0, i.e. deterministic; Deco et al. 2014
    drive their networks with noise of this form); integrate with
    ``method="stochastic_heun"`` once ``sigma > 0``.

    Coupling: port ``c`` is TVB's coupling term, the (delayed, weighted) sum
    of the other nodes' ``S_e`` (output ``S_e``); it enters as
    :math:`G J_N c` (and :math:`\lambda G J_N c` on the inhibitory side),
    so use ``tc.Coupling("RWW.S_e", "RWW.c", gain=1)`` and set ``G`` as
    the global coupling (TVB's Linear coupling ``a`` = 1).

    Bounds: TVB clips :math:`S_e, S_i` to [0, 1] after each integration
    step. We do not clip (a clip inside the equations would break the
    analytic Jacobian and the fixed-point analysis); with the defaults the
    trajectories stay inside [0, 1] (:math:`\dot S_e > 0` at 0, and
    :math:`\dot S_e < 0` at 1), so the two agree unless noise pushes a state
    across a bound. :math:`H(x)` has a removable singularity at
    :math:`x = 0` (value :math:`1/d`) that the generated code does not
    special-case; it is never hit exactly in practice.

    References: Deco G., Ponce-Alvarez A., Hagmann P., Romani G.L.,
    Mantini D. & Corbetta M. (2014) J Neurosci 34:7886-7898;
    Wong K.-F. & Wang X.-J. (2006) J Neurosci 26:1314-1328;
    Sanz-Leon P. et al. (2015) NeuroImage 111:385-430 (TVB).
    """

    category = "physiological"
    typical_use = "resting-state BOLD/FC networks"
    reference = "Deco et al. 2014, J Neurosci 34:7886-7898"

    name = "reduced_wong_wang_exc_inh"
    states = {"S_e": 0.17, "S_i": 0.05}
    params = {"a_e": 310.0, "b_e": 125.0, "d_e": 0.16, "gamma_e": 0.641e-3, "tau_e": 100.0,
              "w_p": 1.4, "J_N": 0.15, "W_e": 1.0,
              "a_i": 615.0, "b_i": 177.0, "d_i": 0.087, "gamma_i": 1e-3, "tau_i": 10.0,
              "J_i": 1.0, "W_i": 0.7, "I_o": 0.382, "I_ext": 0.0, "G": 2.0, "lamda": 0.0, "sigma": 0.0}
    inputs = ["c"]
    noise = {"S_e": "sigma", "S_i": "sigma"}
    outputs = {"S_e": "S_e", "S_i": "S_i"}

    def define(self):
        x_e = "(a_e*(w_p*J_N*S_e - J_i*S_i + W_e*I_o + G*J_N*c + I_ext) - b_e)"
        x_i = "(a_i*(J_N*S_e - S_i + W_i*I_o + lamda*G*J_N*c) - b_i)"
        return {"equations": {
            "S_e": f"-S_e/tau_e + (1 - S_e)*gamma_e*{x_e}/(1 - exp(-d_e*{x_e}))",
            "S_i": f"-S_i/tau_i + gamma_i*{x_i}/(1 - exp(-d_i*{x_i}))",
        }}
