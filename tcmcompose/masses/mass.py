"""The :class:`Mass`: one neural population written as SymPy equations."""
import hashlib
import warnings

import sympy as sp

from ..checks import check_constants, number
from ..errors import ModelError
from .symbols import TIME, check_name, check_piecewise, to_expr

#: structure -> signature, for masses built alike (see Mass.signature)
_SIGNATURES = {}
_FIELDS = ("name", "states", "params", "inputs", "outputs", "equations", "noise", "param_info")


PARAM_INFO_KEYS = ("transform", "prior_mean", "prior_var", "unit")


def check_param_info(info, params, owner):
    """Validate a ``param_info`` mapping (see :class:`Mass`)."""
    info = dict(info or {})
    for p, d in info.items():
        if p not in params:
            raise ModelError(f"{owner}: param_info given for unknown parameter {p!r}; "
                             f"parameters are {list(params)}.")
        bad = set(d) - set(PARAM_INFO_KEYS)
        if bad:
            raise ModelError(f"{owner}: param_info[{p!r}] has unknown key(s) {sorted(bad)}; "
                             f"allowed: {list(PARAM_INFO_KEYS)}.")
        if "prior_var" in d and not float(d["prior_var"]) >= 0:
            raise ModelError(f"{owner}: param_info[{p!r}]['prior_var'] must be >= 0.")
    return info


class Mass:
    """One population (or any small ODE system) declared symbolically.

    Parameters
    ----------
    name : str
        Model name (``"jansen_rit"``). Instances are labelled inside a node.
    states : dict
        State name -> initial value. The order fixes the state order.
    params : dict
        Parameter name -> default value. Values are data: they live in arrays
        of the built model and can be edited without recompiling.
    inputs : list of str
        Input ports. Each port is the sum of everything projecting to it
        (local connections, network couplings, stimuli); 0 when unconnected.
    outputs : dict
        Output name -> expression of states and parameters (no inputs: an
        output depending on an input would create an algebraic loop).
    equations : dict
        State name -> dX/dt (per ms), as a string or a SymPy expression of
        states, parameters, inputs and the time ``t`` (ms).
    noise : dict, optional
        State name -> additive noise intensity sigma (expression of parameters):
        dX = f dt + sigma dW with W a Wiener process in ms. Its linear spectrum
        is ``predict_csd(..., inputs="label.X", input_spectrum=sigma**2)``: the
        one-sided density per Hz ``G(f) = (2/1000) |H(f)|^2 sigma^2``.
    param_info : dict, optional
        Parameter name -> dict with any of ``transform`` (text saying how the
        value enters, e.g. ``"tau = 2.2*exp(value)"``), ``prior_mean``,
        ``prior_var``, ``unit``. Shown as columns of ``model.params``.

    Notes
    -----
    Strings are parsed with a closed vocabulary (see :mod:`.symbols`); an
    undeclared name is an error, never a silent SymPy constant.

    Library masses subclass ``Mass`` and either set the fields as class
    attributes or override :meth:`define` to compute them (returning a dict
    with any of the fields); explicit constructor arguments win over both::

        class Leaky(Mass):
            name = "leaky"
            states = {"V": -65.0}
            params = {"tau": 10.0, "V0": -65.0}
            inputs = ["I"]
            outputs = {"V": "V"}
            equations = {"V": "(V0 - V + I)/tau"}
    """

    name = None
    states = None
    params = None
    inputs = None
    outputs = None
    equations = None
    noise = None
    param_info = None

    def __init__(self, name=None, states=None, params=None, inputs=None, outputs=None,
                 equations=None, noise=None, param_info=None):
        given = dict(name=name, states=states, params=params, inputs=inputs,
                     outputs=outputs, equations=equations, noise=noise, param_info=param_info)
        defined = self.define() or {}
        unknown = set(defined) - set(_FIELDS)
        if unknown:
            raise ModelError(f"{type(self).__name__}.define() returned unknown field(s) "
                             f"{sorted(unknown)}; allowed: {list(_FIELDS)}.")
        spec = {}
        for key in _FIELDS:
            value = given[key]
            if value is None:
                value = defined.get(key, getattr(type(self), key, None))
            spec[key] = value
        self._init_from(spec)

    def define(self):
        """Hook for subclasses: return a dict with any of the constructor fields."""
        return {}

    # ------------------------------------------------------------------ setup
    def _init_from(self, spec):
        name = spec["name"]
        if not isinstance(name, str) or not name:
            raise ModelError(f"A Mass needs a non-empty string name, got {name!r}.")
        owner = f"mass {name!r}"
        states = dict(spec["states"] or {})
        params = dict(spec["params"] or {})
        inputs = spec["inputs"] or []
        if isinstance(inputs, str):
            raise ModelError(f"{owner}: inputs={inputs!r} is one string; give a list of port names, "
                             f"e.g. inputs=[{inputs!r}].")
        inputs = list(inputs)
        if not isinstance(states, dict) or not isinstance(params, dict):
            raise ModelError(f"{owner}: states and params are dicts name -> value.")
        if not states:
            raise ModelError(f"{owner}: declare at least one state, e.g. states={{'V': 0.0}}.")
        seen = {}
        for kind, names in (("state", states), ("parameter", params), ("input port", inputs)):
            for n in names:
                check_name(n, kind, owner)
                if n in seen:
                    raise ModelError(f"{owner}: {n!r} is declared both as {seen[n]} and as {kind}; "
                                     "names must be unique across states, parameters and ports.")
                seen[n] = kind
        for kind, table in (("initial value of state", states), ("default of parameter", params)):
            for n, v in table.items():
                table[n] = number(v, f"{owner}: {kind} {n!r}")

        self.name = name
        self.states = states
        self.params = params
        self.inputs = inputs
        self.symbols = {n: sp.Symbol(n, real=True) for n in list(states) + list(params) + inputs}
        state_syms = {self.symbols[n] for n in states}
        param_syms = {self.symbols[n] for n in params}
        input_syms = {self.symbols[n] for n in inputs}

        equations = spec["equations"] or {}
        extra = [s for s in equations if s not in states]
        if extra:
            raise ModelError(f"{owner}: equation(s) given for unknown state(s) {extra}; "
                             f"states are {list(states)}.")
        missing = [s for s in states if s not in equations]
        if missing:
            raise ModelError(f"{owner}: state(s) {missing} have no equation; add "
                             f"equations={{{missing[0]!r}: ...}} or remove the state.")
        allowed = state_syms | param_syms | input_syms | {TIME}
        self.equations = {}
        for s in states:
            expr = to_expr(equations[s], self.symbols, owner, f"equation for d{s}/dt")
            self._check_symbols(expr, allowed, owner, f"the equation for d{s}/dt")
            self.equations[s] = expr
        used = set().union(*(e.free_symbols for e in self.equations.values()))
        unused = [p for p in inputs if self.symbols[p] not in used]
        if unused:
            warnings.warn(f"{owner}: input port(s) {unused} appear in no equation, so anything connected "
                          "to them is ignored; use them in an equation or remove them from inputs.",
                          stacklevel=3)

        outputs = spec["outputs"] or {}
        if not isinstance(outputs, dict):
            raise ModelError(f"{owner}: outputs must be a dict name -> expression.")
        self.outputs = {}
        for o, value in outputs.items():
            check_name(o, "output", owner)
            expr = to_expr(value, self.symbols, owner, f"output {o!r}")
            used_inputs = sorted(s.name for s in expr.free_symbols & input_syms)
            if used_inputs:
                raise ModelError(f"{owner}: output {o!r} uses input port(s) {used_inputs}; outputs "
                                 "may depend on states and parameters only (an input-dependent "
                                 "output would make an algebraic loop).")
            self._check_symbols(expr, state_syms | param_syms | {TIME}, owner, f"output {o!r}")
            self.outputs[o] = expr

        self.param_info = check_param_info(spec["param_info"], params, owner)

        noise = spec["noise"] or {}
        self.noise = {}
        for s, value in noise.items():
            if s not in states:
                raise ModelError(f"{owner}: noise given for unknown state {s!r}; states are {list(states)}.")
            expr = to_expr(value, self.symbols, owner, f"noise intensity of {s!r}")
            self._check_symbols(expr, param_syms, owner,
                                f"the noise intensity of {s!r} (additive noise: parameters only)")
            self.noise[s] = expr

    @staticmethod
    def _check_symbols(expr, allowed, owner, where):
        check_piecewise(expr, owner, where)
        check_constants(expr, owner, where)
        bad = sorted(s.name for s in expr.free_symbols if s not in allowed)
        if bad:
            raise ModelError(f"{owner}: {where} uses undeclared symbol(s) {bad}; declare them as "
                             "states, params (with a default value) or inputs.")

    # -------------------------------------------------------------- utilities
    def signature(self):
        """Structural key: equal for masses that compile to the same code (cached:
        a mass's structure never changes after construction)."""
        cached = self.__dict__.get("_signature")
        if cached is not None:
            return cached
        # equal structures share one text (the populations of a TCM column: 8 masses,
        # 2 structures); SymPy expressions hash and compare by structure
        key = (self.name, tuple(self.states), tuple(self.params), tuple(self.inputs),
               tuple(self.equations.items()), tuple(self.outputs.items()), tuple(self.noise.items()))
        text = _SIGNATURES.get(key)
        if text is None:
            parts = [self.name, repr(list(self.states)), repr(list(self.params)), repr(self.inputs)]
            parts += [f"d{s}={sp.srepr(e)}" for s, e in self.equations.items()]
            parts += [f"out {o}={sp.srepr(e)}" for o, e in self.outputs.items()]
            parts += [f"noise {s}={sp.srepr(e)}" for s, e in self.noise.items()]
            text = _SIGNATURES[key] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        self._signature = text
        return text

    def copy(self, name=None, states=None, params=None):
        """A copy with new default parameter values or initial states (same structure
        unless ``name`` changes). Unknown names are an error."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.name = name or self.name
        for attr, update, kind in (("states", states, "state"), ("params", params, "parameter")):
            table = dict(getattr(self, attr))
            for k, v in (update or {}).items():
                if k not in table:
                    raise ModelError(f"mass {self.name!r} has no {kind} {k!r}; "
                                     f"{kind}s are {list(table)}.")
                table[k] = number(v, f"mass {self.name!r}: {kind} {k!r}")
            setattr(new, attr, table)
        return new

    def with_params(self, **params):
        """A copy with new parameter defaults, e.g. ``jr.with_params(A=3.5)``."""
        return self.copy(params=params)

    def with_noise(self, noise, **params):
        """A copy with additive state noise: ``noise`` maps state -> intensity.

        An intensity is a number (it becomes a new parameter ``sigma_<state>``
        with that default, editable in ``model.params``) or an expression of
        parameters; a name that is not yet a parameter must be given a default
        in ``params``, e.g. ``jr.with_noise({"y4": "sigma"}, sigma=0.05)``
        adds sigma dW to dy4. Existing noise on other
        states is kept. Integrate with ``method="euler_maruyama"`` or
        ``"stochastic_heun"`` (a zero intensity leaves the run deterministic).
        """
        owner = f"mass {self.name!r}, with_noise"
        if not isinstance(noise, dict) or not noise:
            raise ModelError(f"{owner}: give noise as a dict state -> intensity, e.g. {{'x': 0.1}}.")
        new_params = dict(self.params)
        terms = dict(self.noise)
        for state, value in noise.items():
            if state not in self.states:
                raise ModelError(f"{owner}: no state {state!r}; states are {list(self.states)}.")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                pname = f"sigma_{state}"
                if pname in self.symbols and pname not in self.params:
                    raise ModelError(f"{owner}: {pname!r} is already a state or port name; write the intensity "
                                     "as an expression of a new parameter.")
                params.setdefault(pname, float(value))
                value = pname
            terms[state] = value
        for pname, v in params.items():
            if pname in self.states or pname in self.inputs:
                raise ModelError(f"{owner}: {pname!r} is a state or input port, not a new parameter.")
            new_params[pname] = v
        return Mass(name=self.name, states=dict(self.states), params=new_params, inputs=list(self.inputs),
                    outputs=dict(self.outputs), equations=dict(self.equations), noise=terms,
                    param_info=dict(self.param_info))

    def latex(self):
        """The equations as a LaTeX ``aligned`` block."""
        lines = [rf"\dot{{{sp.latex(sp.Symbol(s))}}} &= {sp.latex(e)}" for s, e in self.equations.items()]
        lines += [rf"{sp.latex(sp.Symbol(o))} &= {sp.latex(e)}" for o, e in self.outputs.items()]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def __repr__(self):
        return (f"Mass({self.name!r}, states={list(self.states)}, params={len(self.params)}, "
                f"inputs={self.inputs}, outputs={list(self.outputs)})")
