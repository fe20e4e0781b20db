"""Damped harmonic oscillator unit (the node of HORN networks)."""
from ..mass import Mass


class DampedOscillator(Mass):
    r"""Damped harmonic oscillator driven through a saturating input, the unit
    of harmonic oscillator recurrent networks (HORN; Effenberger et al.
    2025).

    .. math::

        \dot x &= v \\
        \dot v &= \alpha \tanh(u) - 2\gamma v - \omega^2 x

    i.e. :math:`\ddot x + 2\gamma\dot x + \omega^2 x = \alpha\tanh(u)`. Without
    input the unit rings down at the damped frequency
    :math:`\omega_d = \sqrt{\omega^2 - \gamma^2}` with envelope
    :math:`e^{-\gamma t}`:
    :math:`x(t) = e^{-\gamma t}(x_0\cos\omega_d t + (v_0 + \gamma x_0)
    \sin(\omega_d t)/\omega_d)`; a constant input moves the rest point to
    :math:`x^* = \alpha\tanh(u)/\omega^2`. The linear response to a small
    input around :math:`u = 0` is the resonance
    :math:`H(s) = \alpha / (s^2 + 2\gamma s + \omega^2)`.

    Units: time in ms (one HORN time step = 1 ms); :math:`\omega` in rad/ms,
    :math:`\gamma` in 1/ms, :math:`\alpha` in 1/ms², :math:`x, u`
    dimensionless. Defaults from Effenberger et al.'s example network:
    ``omega`` = :math:`2\pi/28` rad/ms (natural period 28 ms, 35.7 Hz),
    ``gamma`` = 0.01 /ms, ``alpha`` = 0.04 (excitability). Initial state
    x = v = 0.

    Port ``u`` is the summed (recurrent, external) input entering the
    saturation; outputs ``x`` (the oscillator's amplitude, what HORN nodes
    send to each other) and ``v``.

    References: Effenberger F., Carvalho P., Dubinin I. & Singer W. (2025)
    PNAS 122:e2412830122 (HORN); Effenberger F. et al. (2022) bioRxiv
    2022.11.29.518360.
    """

    category = "phenomenological"
    typical_use = "damped oscillator node of HORN networks; resonant filters"
    reference = "Effenberger et al. 2025, PNAS 122:e2412830122"

    name = "damped_oscillator"
    states = {"x": 0.0, "v": 0.0}
    params = {"omega": 0.2243994752564138, "gamma": 0.01, "alpha": 0.04}
    inputs = ["u"]
    outputs = {"x": "x", "v": "v"}
    equations = {
        "x": "v",
        "v": "alpha*tanh(u) - 2*gamma*v - omega**2*x",
    }
