"""tc.list_models / tc.get_model: the catalogue table and building by name (no compilation here)."""
import pytest

import tcmcompose as tc
from tcmcompose.masses import library


def test_table_lists_every_model_with_its_interface():
    table = tc.list_models()
    assert list(table.columns) == ["category", "kind", "n_states", "outputs", "input_ports", "dt",
                                   "typical_use", "reference"]
    assert len(table) == 23 and table.index.is_unique
    assert set(table["category"]) == {"phenomenological", "physiological"}
    assert (table.loc["jansen_rit", ["kind", "n_states"]] == ["mass", 6]).all()
    assert table.loc["wilson_cowan", "kind"] == "node" and table.loc["wilson_cowan", "n_states"] == 2
    assert table.loc["thalamus", "n_states"] == 15 and "TCR.ampa" in table.loc["thalamus", "input_ports"]
    assert table.loc["tcm_column", "n_states"] == 50
    assert all(len(p) > 0 for p in table["input_ports"]) and all(len(o) > 0 for o in table["outputs"])
    assert (table["reference"].str.contains(r"\d{4}")).all()
    assert len(tc.list_models("phenomenological")) == 10


def test_every_library_mass_is_reachable():
    reachable = {type(tc.get_model(name)).__name__ for name in tc.list_models().index}
    populations = {"WilsonCowanExc", "WilsonCowanInh", "ThalamicRelay", "ThalamicReticular",
                   "ALNExc", "ALNInh",
                   "ZerlautAdEx"}   # library only: ~40 s of SymPy work to generate (tests/catalogue/test_zerlaut.py)   # inside nodes
    assert set(library.__all__) - populations <= reachable


def test_get_model_by_name_alias_and_parameters():
    sl = tc.get_model("stuart_landau", a=-0.2)
    assert sl.params["a"] == -0.2 and sl.params["omega"] == tc.get_model("hopf").params["omega"]
    assert tc.get_model("horn").name == "damped_oscillator"
    assert tc.get_model("rww").name == tc.get_model("reduced_wong_wang").name
    assert tc.get_model("thalamus", g_LK=0.03).masses["TRN"].params["g_LK"] == 0.03
    with pytest.raises(tc.ModelError, match="unknown model 'hopfield'"):
        tc.get_model("hopfield")
    with pytest.raises(tc.ModelError, match="has no parameter 'omega2'"):
        tc.get_model("hopf", omega2=1.0)
    with pytest.raises(tc.ModelError, match="no models in category 'neural'"):
        tc.list_models("neural")
