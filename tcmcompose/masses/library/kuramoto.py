"""Kuramoto phase oscillator."""
from ..mass import Mass


class Kuramoto(Mass):
    r"""Kuramoto (1984) phase oscillator (TVB's ``Kuramoto``).

    .. math::

        \dot\theta = \omega + I + c

    In a network, ``tc.Coupling("kuramoto.theta", "kuramoto.c", gain=K,
    kind="kuramoto")`` makes port ``c`` of node i equal to
    :math:`K \sum_j W_{ij} \sin(\theta_j(t - D_{ij}) - \theta_i(t))`, the
    Kuramoto model; with all-to-all weights :math:`W_{ij} = 1` and gain
    :math:`K/N` it is the classic mean-field form
    :math:`\dot\theta_i = \omega_i + \frac{K}{N}\sum_j \sin(\theta_j - \theta_i)`.
    Two oscillators coupled both ways with weight 1 and gain K lock at a
    phase difference :math:`\sin\Delta\theta = \Delta\omega / (2K)`; N
    oscillators with Lorentzian frequencies (half-width :math:`\Delta`)
    synchronise partially with order parameter :math:`r = \sqrt{1 - 2\Delta/K}`
    for :math:`K > 2\Delta` (Ott & Antonsen 2008).

    Units: time in ms, :math:`\theta` in rad (not wrapped), :math:`\omega`,
    :math:`I` and :math:`c` in rad/ms. Defaults: ``omega`` =
    :math:`2\pi\cdot 0.01` rad/ms (10 Hz; TVB's default is 1 rad/ms),
    ``I`` = 0. Initial phase 0.

    Outputs ``theta`` (for the Kuramoto coupling) and ``sin_theta``
    (an oscillating observable). Names as in TVB (``theta``, ``omega``,
    ``I``; the coupling port ``c`` is TVB's ``c_0``).

    References: Kuramoto Y. (1984) Chemical Oscillations, Waves, and
    Turbulence, Springer; Strogatz S.H. (2000) Physica D 143:1-20; Ott E. &
    Antonsen T.M. (2008) Chaos 18:037113.
    """

    category = "phenomenological"
    typical_use = "phase oscillator; synchrony studies"
    reference = "Kuramoto 1984, Chemical Oscillations, Waves and Turbulence"

    name = "kuramoto"
    states = {"theta": 0.0}
    params = {"omega": 0.06283185307179587, "I": 0.0}
    inputs = ["c"]
    outputs = {"theta": "theta", "sin_theta": "sin(theta)"}
    equations = {"theta": "omega + I + c"}
