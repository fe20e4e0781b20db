"""Coombes & Byrne (2019) next-generation neural mass with synaptic conductance dynamics."""
from ..mass import Mass


class CoombesByrne(Mass):
    r"""Coombes & Byrne (2019) next-generation neural mass (TVB's 4D ``CoombesByrne``).

    Ott-Antonsen reduction of an infinite all-to-all network of QIF (theta)
    neurons with conductance-based synapses whose conductance :math:`g`
    follows an alpha-function filter of the population rate. With the
    complex order parameter written as :math:`W = \pi r + i V`:

    .. math::

        \dot r &= \frac{\Delta}{\pi} + 2 V r - g r \\
        \dot V &= V^2 - \pi^2 r^2 + \eta + (v_{syn} - V)\,g + c \\
        \dot g &= \alpha q \\
        \dot q &= \alpha\,(k \pi r - g - 2 q)

    so that :math:`(1 + \alpha^{-1} d/dt)^2 g = k \pi r`.

    Choice of variant: the 4D model with synaptic dynamics (TVB's
    ``CoombesByrne``), not ``CoombesByrne2D`` (where :math:`g = k\pi r`
    instantly; our model reduces to it for :math:`\alpha \to \infty`). The
    rate equation uses :math:`-g r`, as in the paper and in TVB's code
    (TVB's docstring prints :math:`-g r^2`, which is not what it integrates).

    Units: time in ms with the membrane time constant set to 1 ms; r in
    kHz; V, eta, v_syn, Delta dimensionless QIF units; alpha in 1/ms.

    Defaults (TVB 2.x, from Coombes & Byrne 2019): Delta = 0.5, alpha = 0.95,
    v_syn = -10, k = 1, eta = 20. Initial state r = 1, V = -1, g = 1.5,
    q = 0 (inside TVB's state ranges). With these values the fixed point is
    an unstable focus and the population oscillates (synaptically generated
    rhythm, the paper's Section 3).

    Coupling: port ``c`` adds to the V equation (TVB's coupling term on r);
    use ``tc.Coupling("CB.r", "CB.c", gain=G)``. Outputs ``r`` and ``V``.
    Names are TVB's (:math:`\kappa` of the docstring is ``k``).

    References: Coombes S. & Byrne A. (2019) Next generation neural mass
    models. In: Corinto F., Torcini A. (eds) Nonlinear Dynamics in
    Computational Neuroscience, PoliTO Springer Series, pp. 1-16;
    Byrne A., Avitabile D. & Coombes S. (2019) Phys Rev E 99:012313.
    """

    category = "physiological"
    typical_use = "next-generation neural mass with synaptic dynamics"
    reference = "Coombes & Byrne 2019, Lect Notes Nonlinear Dyn 6:1-16"

    name = "coombes_byrne"
    states = {"r": 1.0, "V": -1.0, "g": 1.5, "q": 0.0}
    params = {"Delta": 0.5, "alpha": 0.95, "v_syn": -10.0, "k": 1.0, "eta": 20.0}
    inputs = ["c"]
    outputs = {"r": "r", "V": "V"}
    equations = {
        "r": "Delta/pi + 2*V*r - g*r",
        "V": "V**2 - pi**2*r**2 + eta + (v_syn - V)*g + c",
        "g": "alpha*q",
        "q": "alpha*(k*pi*r - g - 2*q)",
    }
