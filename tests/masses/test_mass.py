import pytest
import sympy as sp

import tcmcompose as tc
from tcmcompose import ModelError


def make(**kw):
    spec = dict(name="m", states={"V": 0.0}, params={"tau": 1.0}, inputs=["I"], outputs={"V": "V"},
                equations={"V": "-V/tau + I"})
    spec.update(kw)
    return tc.Mass(**spec)


def test_undeclared_symbol_names_symbol_and_mass():
    with pytest.raises(ModelError, match=r"mass 'm'.*undeclared symbol\(s\) \['E'\]"):
        make(equations={"V": "-V/tau + E"})


def test_sympy_builtin_names_are_not_silently_constants():
    # 'S', 'I' and 'gamma' are SymPy objects; undeclared they must be reported, not swallowed
    with pytest.raises(ModelError, match="gamma"):
        make(equations={"V": "-gamma*V"})


def test_state_without_equation():
    with pytest.raises(ModelError, match=r"state\(s\) \['W'\] have no equation"):
        make(states={"V": 0.0, "W": 0.0})


def test_equation_for_unknown_state():
    with pytest.raises(ModelError, match=r"unknown state\(s\) \['W'\]"):
        make(equations={"V": "-V", "W": "1"})


def test_output_may_not_use_inputs():
    with pytest.raises(ModelError, match="algebraic loop"):
        make(outputs={"y": "V + I"})


def test_reserved_and_bad_names():
    with pytest.raises(ModelError, match="reserved"):
        make(params={"exp": 1.0})
    with pytest.raises(ModelError, match="not a valid identifier"):
        make(params={"1a": 1.0})
    with pytest.raises(ModelError, match="declared both"):
        make(params={"V": 1.0})


def test_piecewise_needs_otherwise_branch():
    with pytest.raises(ModelError, match="Piecewise"):
        make(equations={"V": sp.Piecewise((sp.Symbol("V"), sp.Symbol("V") > 0))})


def test_sympy_input_is_mapped_onto_canonical_symbols():
    V, tau = sp.symbols("V tau")  # no assumptions: must still match the mass's symbols
    m = make(equations={"V": -V / tau})
    assert m.equations["V"].free_symbols == {m.symbols["V"], m.symbols["tau"]}


def test_subclass_with_class_attributes_and_define_hook():
    class Leaky(tc.Mass):
        name = "leaky"
        states = {"V": -65.0}
        params = {"tau": 10.0, "V0": -65.0}
        inputs = ["I"]
        outputs = {"V": "V"}
        equations = {"V": "(V0 - V + I)/tau"}

    class Scaled(tc.Mass):
        def __init__(self, k=2.0, **kw):
            self.k = k
            super().__init__(**kw)

        def define(self):
            return dict(name="scaled", states={"x": 1.0}, params={"a": self.k},
                        equations={"x": "-a*x"})

    assert Leaky().params["tau"] == 10.0
    assert Leaky(params={"tau": 5.0, "V0": 0.0}).params["tau"] == 5.0
    assert Scaled(k=3.0).params["a"] == 3.0
    assert Leaky().signature() == Leaky().with_params(tau=3.0).signature()
    assert Leaky().signature() != Scaled().signature()
    with pytest.raises(ModelError, match="no parameter 'nope'"):
        Leaky().with_params(nope=1.0)
