"""Montbrio-Pazo-Roxin (2015) exact mean field of quadratic integrate-and-fire neurons."""
from ..mass import Mass


class MontbrioPazoRoxin(Mass):
    r"""Montbrió, Pazó & Roxin (2015) firing-rate equations (TVB's ``MontbrioPazoRoxin``).

    Exact (Ott-Antonsen / Lorentzian ansatz) mean field of an infinite
    population of quadratic integrate-and-fire neurons with Lorentzian
    distributed excitabilities (centre :math:`\bar\eta`, half-width
    :math:`\Delta`) and instantaneous all-to-all synapses of strength :math:`J`:

    .. math::

        \tau\,\dot r &= \frac{\Delta}{\pi \tau} + 2 r V + u_r \\
        \tau\,\dot V &= V^2 + \bar\eta + J \tau r - (\pi \tau r)^2 + I + c

    Units: time in ms, :math:`r` in kHz (spikes/ms), :math:`V`
    dimensionless (QIF units); :math:`\Delta, \bar\eta, I` dimensionless
    (they are :math:`\Delta\tau`-scaled values in dimensional
    parameterisations: a :math:`\Delta` 1000 times too small is a common
    porting error).

    Defaults: tau = 1 ms, Delta = 1, eta = -5, J = 15, I = 0 (Montbrió et
    al. 2015, Fig. 1-2: with these values the model is bistable, a
    low-activity node coexisting with a high-activity focus). Initial state
    r = 0.1, V = -2 (basin of the low state).

    Coupling: port ``c`` adds to the current, as TVB's ``cr * c_r`` with
    cr = 1, cv = 0 (TVB's ``Gamma`` is unused in its equations and omitted);
    use ``tc.Coupling("MPR.r", "MPR.c", gain=G)``. Port ``u_r`` adds to the
    rate equation (brainmass' ``r_inp`` with tau = 1 ms); 0 when unconnected.
    Outputs ``r`` and ``V``.
    Parameter ``eta`` is :math:`\bar\eta`.

    References: Montbrió E., Pazó D. & Roxin A. (2015) Phys Rev X
    5:021028; Rabuffo G. et al. (2021) eNeuro 8:ENEURO.0068-21.2021 (TVB use).
    """

    category = "physiological"
    typical_use = "exact mean field of QIF neurons; bistability, fast oscillations"
    reference = "Montbrio, Pazo & Roxin 2015, Phys Rev X 5:021028"

    name = "montbrio_pazo_roxin"
    states = {"r": 0.1, "V": -2.0}
    params = {"tau": 1.0, "Delta": 1.0, "eta": -5.0, "J": 15.0, "I": 0.0}
    inputs = ["c", "u_r"]
    outputs = {"r": "r", "V": "V"}
    equations = {
        "r": "(Delta/(pi*tau) + 2*r*V + u_r)/tau",
        "V": "(V**2 + eta + J*tau*r - (pi*tau*r)**2 + I + c)/tau",
    }
