"""The TCM column against the independent NumPy transcription of the spec (tests/reference/tcm_numpy.py)."""
import itertools

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.masses.library.tcm import POPULATIONS
from tcmcompose.nodes.tcm_column import TCMColumn, W_AMPA, W_GABA, W_NMDA
from tests.helpers import fd_jacobian, max_row_relative_error
from tests.reference import tcm_numpy as ref

STATES = ["V", "g_ampa", "g_gabaa", "g_nmda", "g_gabab", "g_m", "g_h"]
RECEPTORS = ["ampa", "gabaa", "nmda", "gabab", "m", "h"]

_models = {}


def column_model(firing, block):
    key = (firing, block)
    if key not in _models:
        # not eager: most of these tests need the right-hand side and Jacobian only; the
        # time loop compiles on a first simulate (e.g. fixed_point's settling run)
        _models[key] = tc.build(TCMColumn(firing=firing, nmda_block=block), eager=False)
    return _models[key]


def to_flat(model, x):
    """(1, 8, 7) oracle state -> flat model state (g_h dropped where absent)."""
    idx = model.state_index
    return np.array([x[0, POPULATIONS.index(m), STATES.index(s)] for _, m, s in idx])


def from_flat(model, v):
    out = np.zeros((1, 8, 7))
    for k, (_, m, s) in enumerate(model.state_index):
        out[0, POPULATIONS.index(m), STATES.index(s)] = v[k]
    return out


def random_setup(model, rng, scale=0.3):
    """Random theta applied to both the model and the oracle's parameter dict; random u."""
    P = ref.default_params(1)
    P["H"] = rng.normal(0, scale, (1, 8, 8))
    P["Hn"] = rng.normal(0, scale, (1, 8, 8))
    P["Gb"] = rng.normal(0, scale, (1, 8, 8))
    P["T"] = rng.normal(0, scale, (1, 8, 6))
    for k in ("CV", "S", "E", "Mh", "Hh"):
        P[k] = rng.normal(0, scale, 8)
    P["scale_NMDA"] = float(rng.normal(0, scale))
    P["C"] = rng.normal(0, scale, 1)
    u = float(rng.uniform(0.1, 1.0))
    node = model.network.labels[0]
    vals = model.params["value"].copy()
    for i, dst in enumerate(POPULATIONS):
        for j, src in enumerate(POPULATIONS):
            for g, W in (("H", W_AMPA + W_GABA), ("Hn", W_NMDA), ("Gb", W_GABA)):
                if W[i, j]:
                    vals[(node, "node", f"{g}_{dst}_{src}")] = P[g][0, i, j]
        for name, value in (("CV", P["CV"][i]), ("S", P["S"][i]), ("E", P["E"][i]), ("Mh", P["Mh"][i]),
                            ("C_in", P["C"][0])):
            vals[(node, dst, name)] = value
        if (node, dst, "Hh") in vals.index:
            vals[(node, dst, "Hh")] = P["Hh"][i]
        if (node, dst, "scale_NMDA") in vals.index:
            vals[(node, dst, "scale_NMDA")] = P["scale_NMDA"]
        for r, rec in enumerate(RECEPTORS):
            if (node, dst, f"T_{rec}") in vals.index:
                vals[(node, dst, f"T_{rec}")] = P["T"][0, i, r]
    P["Hh"] = np.where(np.isin(POPULATIONS, ["TP", "RC"]), P["Hh"], 0.0)
    model.params["value"] = vals
    model.u_base[:] = 0.0
    ports = model.input_index
    sel = (ports.get_level_values("port") == "input") & np.isin(ports.get_level_values("mass"), ["RT", "RC"])
    model.u_base[sel] = u
    return P, u


def random_state(rng):
    x = np.zeros((1, 8, 7))
    x[0, :, 0] = rng.uniform(-75, -40, 8)
    x[0, :, 1:] = rng.uniform(0, 2, (8, 6))
    x[0, [k for k, p in enumerate(POPULATIONS) if p not in ("TP", "RC")], 6] = 0.0   # no H channel there
    return x


# every firing option and every NMDA block appear once in the default suite; the other
# combinations (each a separate ~12-30 s compile) run with `pytest -m slow`
_DEFAULT_COMBOS = {("smooth", "elementwise"), ("atcm_hard", "atcm_matlab"), ("williams_cdf", "spm")}
_COMBOS = [pytest.param(f, b, marks=() if (f, b) in _DEFAULT_COMBOS else pytest.mark.slow)
           for f, b in itertools.product(ref.FIRING_OPTIONS, ref.NMDA_BLOCK_OPTIONS)]


@pytest.mark.parametrize("firing,block", _COMBOS)
def test_column_equals_numpy_transcription(firing, block):
    model = column_model(firing, block)
    rng = np.random.default_rng(hash((firing, block)) % 2 ** 32)
    try:
        for _ in range(4):
            P, u = random_setup(model, rng)
            x = random_state(rng)
            expected = ref.tcm_rhs_ms(x, P, u=u, firing=firing, nmda_block=block)
            got = from_flat(model, model.rhs(to_flat(model, x)))
            scale = np.abs(expected).max(axis=(0, 1), keepdims=True) + 1e-300
            assert np.max(np.abs(got - expected) / scale) < 1e-10
    finally:
        model.params["value"] = model._low.param_table()[0]["value"].to_numpy()
        model.u_base[:] = 0.0


@pytest.fixture(scope="module")
def smooth_model():
    return column_model("smooth", "elementwise")


def test_jacobian_matches_finite_differences(smooth_model):
    rng = np.random.default_rng(7)
    for _ in range(3):
        x = to_flat(smooth_model, random_state(rng))
        assert max_row_relative_error(smooth_model.jacobian(x), fd_jacobian(smooth_model, x)) < 1e-6


@pytest.mark.parametrize("firing,block", [("smooth", "elementwise"), ("atcm_hard", "atcm_matlab")])
def test_fixed_point_identities_and_reference_values(firing, block):
    """At theta = 0: fixed point found by damped Newton on the generated Jacobian;
    g_GABAB = g_GABAA (shared template, equal gains), g_M = 4 m(V), g_H = 4 h(V) on TP and RC;
    V* equals the independent oracle's fixed point (scipy root on the NumPy transcription)."""
    model = column_model(firing, block)
    idx = model.state_index
    x0 = np.where(idx.get_level_values("state") == "V", -52.0, 0.0)
    if block == "atcm_matlab":   # start from the smooth solution, as the MATLAB jumps stall Newton elsewhere
        smooth = tc.fixed_point(column_model("smooth", "elementwise"), x0=x0, tol=1e-12)
        fp = tc.fixed_point(model, x0=smooth.x, tol=1e-12)
    else:
        fp = tc.fixed_point(model, x0=x0, tol=1e-12)
    s = fp.series.droplevel("node")
    V = np.array([s[(p, "V")] for p in POPULATIONS])
    m = ref.firing_rate(V, 0.0, firing)
    for k, p in enumerate(POPULATIONS):
        assert s[(p, "g_gabab")] == pytest.approx(s[(p, "g_gabaa")], rel=1e-9)
        assert s[(p, "g_m")] == pytest.approx(4 * m[k], rel=1e-9)
        if p in ("TP", "RC"):
            assert s[(p, "g_h")] == pytest.approx(4 * ref.h_activation(V[k]), rel=1e-9)
    expected = {("smooth", "elementwise"): [-51.63945, -53.72750, -52.24835, -53.11015, -52.77907, -51.93511,
                                            -50.91453, -51.67384],
                ("atcm_hard", "atcm_matlab"): [-51.99875, -53.71273, -52.51821, -53.22776, -52.98014, -52.08671,
                                               -51.31746, -51.94979]}[(firing, block)]
    np.testing.assert_allclose(V, expected, atol=2e-5)
    lin = tc.linearise(model, fp.x)
    ev = lin.eigenvalues()
    if (firing, block) == ("smooth", "elementwise"):
        # oracle (finite differences, per second): 47.9445 +- 348.875i is the rightmost pair
        assert ev[0].real * 1000 == pytest.approx(47.9445, abs=0.01)
        assert abs(ev[0].imag) * 1000 == pytest.approx(348.875, abs=0.01)
