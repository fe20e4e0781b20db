"""Adversarial inputs: each must end in a named, early error (or a warning).

Every case is a malformed thing a user could hand over; the error must be a
ModelError/SimulationError raised where the value is given (declaration or
the start of ``simulate``, never inside Numba), and its message must name
the culprit. Cases taking ``model`` use the shared linear model (one state
x' = -x/tau + u, already compiled for the spine tests); the others need no
compilation at all.
"""
import numpy as np
import pytest
import sympy as sp

import tcmcompose as tc
from tcmcompose import ModelError, SimulationError
from tcmcompose.stimulus import ArrayStimulus, Sinusoid, Step


def mass(**kw):
    spec = dict(name="m", states={"x": 0.0}, params={"tau": 10.0}, inputs=["u"], outputs={"r": "x"},
                equations={"x": "-x/tau + u"})
    spec.update(kw)
    return tc.Mass(**spec)


def node(connections=(), **kw):
    return tc.Node("n", {"E": mass(), "I": mass()}, connections, **kw)


def net(**kw):
    return tc.Network([node()] * 2, **kw)


NAN, INF = float("nan"), float("inf")

# (id, culprit that the message must name (regex), action); "warn:" ids expect a UserWarning
CASES = [
    # ---- masses: values
    ("mass param nan", "parameter 'tau'", lambda m: mass(params={"tau": NAN})),
    ("mass param inf", "parameter 'tau'", lambda m: mass(params={"tau": INF})),
    ("mass param text", "parameter 'tau'", lambda m: mass(params={"tau": "10"})),
    ("mass param bool", "parameter 'tau'", lambda m: mass(params={"tau": True})),
    ("mass param complex", "parameter 'tau'", lambda m: mass(params={"tau": 1 + 2j})),
    ("mass param None", "parameter 'tau'", lambda m: mass(params={"tau": None})),
    ("mass state nan", "state 'x'", lambda m: mass(states={"x": NAN})),
    ("mass state array", "state 'x'", lambda m: mass(states={"x": [1.0, 2.0]})),
    ("with_params nan", "parameter 'tau'", lambda m: mass().with_params(tau=NAN)),
    ("with_params text", "parameter 'tau'", lambda m: mass().with_params(tau="fast")),
    # ---- masses: expressions
    ("equation x/0", r"zoo", lambda m: mass(equations={"x": "x/0 + u"})),
    ("equation log(0)", r"zoo", lambda m: mass(equations={"x": "log(0)*x + u"})),
    ("equation 0/0", r"nan", lambda m: mass(equations={"x": "-x + 0*x/0 + u"})),
    ("equation sqrt(-1)", r"imaginary", lambda m: mass(equations={"x": "sqrt(-1)*x + u"})),
    ("equation sympy nan", r"nan", lambda m: mass(equations={"x": sp.nan * sp.Symbol("x") + sp.Symbol("u")})),
    ("equation sympy oo", r"infinity", lambda m: mass(equations={"x": sp.oo + sp.Symbol("u")})),
    ("output 1/0", r"output 'r'.*zoo", lambda m: mass(outputs={"r": "1/(x - x)"})),
    ("noise sqrt(-4)", r"noise.*imaginary", lambda m: mass(params={"tau": 1.0}, noise={"x": "sqrt(-4)*tau"})),
    ("undeclared symbol", r"undeclared symbol\(s\) \['k'\]", lambda m: mass(equations={"x": "-k*x + u"})),
    ("state without equation", r"\['y'\] have no equation", lambda m: mass(states={"x": 0.0, "y": 0.0})),
    ("duplicate port", r"'u' is declared both", lambda m: mass(inputs=["u", "u"])),
    ("inputs as one string", r"one string", lambda m: mass(inputs="u")),
    ("output uses input", r"uses input port", lambda m: mass(outputs={"r": "x + u"})),
    ("warn: unused input port", r"port\(s\) \['v'\] appear in no equation", lambda m: mass(inputs=["u", "v"])),
    # ---- nodes
    ("duplicate population label", r"label\(s\) \['E'\] appear more than once",
     lambda m: tc.Node("n", [("E", mass()), ("E", mass())])),
    ("population label with dot", r"'E\.1'", lambda m: tc.Node("n", {"E.1": mass()})),
    ("node param nan", r"parameter 'g'", lambda m: node(params={"g": NAN})),
    ("node param text", r"parameter 'g'", lambda m: node(params={"g": "abc"})),
    ("node param complex", r"parameter 'g'", lambda m: node(params={"g": 1j})),
    ("weight nan", r"weight of connection", lambda m: node([("E", "I", "u", NAN)])),
    ("weight bool", r"weight of connection", lambda m: node([("E", "I", "u", True)])),
    ("weight None", r"weight of connection", lambda m: node([("E", "I", "u", None)])),
    ("weight 1/0 expression", r"weight of connection.*zoo", lambda m: node([("E", "I", "u", "1/0")])),
    ("weight complex", r"weight of connection", lambda m: node([("E", "I", "u", 2j)])),
    ("delay negative", r"delays are finite and >= 0", lambda m: node([("E", "I", "u", 1.0, -2.0)])),
    ("delay inf", r"delay of connection", lambda m: node([("E", "I", "u", 1.0, INF)])),
    ("delay text", r"delay of connection", lambda m: node([("E", "I", "u", 1.0, "ten")])),
    ("link to missing port", r"no input port 'v'", lambda m: node([("E", "I", "v", 1.0)])),
    # ---- networks
    ("weights nan", r"weights has 1 non-finite", lambda m: net(weights=[[0, NAN], [1, 0]])),
    ("weights text", r"weights has non-numeric", lambda m: net(weights=[["a", 0], [1, 0]])),
    ("weights complex", r"weights has complex", lambda m: net(weights=[[0, 1j], [1, 0]])),
    ("weights bool", r"weights has boolean", lambda m: net(weights=[[False, True], [True, False]])),
    ("weights shape", r"weights has shape \(3, 3\)", lambda m: net(weights=np.zeros((3, 3)))),
    ("delays negative", r"delays has negative", lambda m: net(delays=[[0, -1], [1, 0]])),
    ("delays inf", r"delays has 1 non-finite", lambda m: net(delays=[[0, INF], [1, 0]])),
    ("speed text", r"speed", lambda m: net(lengths=np.ones((2, 2)), speed="fast")),
    ("speed zero", r"speed", lambda m: net(lengths=np.ones((2, 2)), speed=0.0)),
    ("node label with dot", r"'a\.b'.*separator", lambda m: net(labels=["a.b", "c"])),
    ("node label empty", r"empty", lambda m: net(labels=["", "c"])),
    ("duplicate node labels", r"distinct node labels", lambda m: net(labels=["a", "a"])),
    ("coupling gain nan", r"gain", lambda m: tc.Coupling("E.r", "I.u", gain=NAN)),
    ("coupling gain text", r"gain", lambda m: tc.Coupling("E.r", "I.u", gain="x")),
    ("coupling gain bool", r"gain", lambda m: tc.Coupling("E.r", "I.u", gain=True)),
    ("coupling bad address", r"'label.output'", lambda m: tc.Coupling("E.r.x", "I.u")),
    ("coupling unknown kind", r"kind 'foo'", lambda m: tc.Coupling("E.r", "I.u", kind="foo")),
    ("coupling to missing port", r"no node has input port", lambda m: net(couplings=[tc.Coupling("E.r", "I.v")])),
    # ---- stimuli
    ("step amplitude nan", r"amplitude", lambda m: Step(amplitude=NAN)),
    ("step amplitude text", r"amplitude", lambda m: Step(amplitude="big")),
    ("sinusoid frequency inf", r"frequency", lambda m: Sinusoid(frequency=INF)),
    ("stimulus scale nan", r"scale factor", lambda m: Step().scale(NAN)),
    ("array stimulus nan", r"NaN or inf", lambda m: ArrayStimulus([0.0, NAN], dt=1.0)),
    ("array stimulus text", r"numeric", lambda m: ArrayStimulus(["a", "b"], dt=1.0)),
    ("constant stimulus nan", r"stimulus for 'linear.u'",
     lambda m: m.simulate(1.0, 0.1, stimuli={"linear.u": NAN})),
    ("constant stimulus bool", r"stimulus for 'linear.u'",
     lambda m: m.simulate(1.0, 0.1, stimuli={"linear.u": True})),
    ("stimulus array inf", r"stimulus array for 'linear.u'",
     lambda m: m.simulate(1.0, 0.1, stimuli={"linear.u": np.full(11, INF)})),
    # ---- simulate arguments
    ("every fractional", r"every.*not an integer", lambda m: m.simulate(1.0, 0.1, every=2.5)),
    ("every text", r"every", lambda m: m.simulate(1.0, 0.1, every="2")),
    ("every bool", r"every", lambda m: m.simulate(1.0, 0.1, every=True)),
    ("every zero", r"every", lambda m: m.simulate(1.0, 0.1, every=0)),
    ("seed negative", r"seed = -1", lambda m: m.simulate(1.0, 0.1, seed=-1)),
    ("seed fractional", r"seed", lambda m: m.simulate(1.0, 0.1, seed=1.5)),
    ("seed bool", r"seed", lambda m: m.simulate(1.0, 0.1, seed=True)),
    ("seed text", r"seed", lambda m: m.simulate(1.0, 0.1, seed="42")),
    ("chunk zero", r"chunk", lambda m: m.simulate(1.0, 0.1, chunk=0)),
    ("chunk fractional", r"chunk", lambda m: m.simulate(1.0, 0.1, chunk=2.5)),
    ("dt nan", r"dt", lambda m: m.simulate(1.0, NAN)),
    ("dt negative", r"dt", lambda m: m.simulate(1.0, -0.1)),
    ("dt text", r"dt", lambda m: m.simulate(1.0, "0.1")),
    ("duration inf", r"duration", lambda m: m.simulate(INF, 0.1)),
    ("transient negative", r"transient", lambda m: m.simulate(1.0, 0.1, transient=-1.0)),
    ("method unknown", r"method='rk45'", lambda m: m.simulate(1.0, 0.1, method="rk45")),
    ("record unknown", r"cannot record 'linear.q'", lambda m: m.simulate(1.0, 0.1, record=["linear.q"])),
    ("initial nan", r"initial state.*not finite", lambda m: m.simulate(1.0, 0.1, initial=[NAN])),
    ("initial text", r"initial=\['a'\] is not numeric", lambda m: m.simulate(1.0, 0.1, initial=["a"])),
    ("noise_path text", r"noise_path has non-numeric", lambda m: m.simulate(1.0, 0.1, noise_path="x")),
    ("noise_path nan", r"noise_path has 1 non-finite", lambda m: m.simulate(0.1, 0.1, noise_path=[[NAN]])),
    ("batch seed negative", r"simulate_batch seed = -1", lambda m: m.simulate_batch([{}], 1.0, 0.1, seed=-1)),
    ("recording too large", r"recording.*every=", lambda m: m.simulate(1e6, 1e-3, max_memory=1e6)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_early(case, linear_model):
    name, culprit, action = case
    if name.startswith("warn:"):
        with pytest.warns(UserWarning, match=culprit):
            action(linear_model)
    else:
        with pytest.raises((ModelError, SimulationError), match=culprit):
            action(linear_model)


def test_good_values_still_pass(linear_model):
    """The checks refuse no legitimate input: integral floats, numpy scalars, expressions."""
    tc.Mass("m", {"x": np.float32(1.0)}, {"tau": np.int64(3)}, ["u"], {"r": "x"}, {"x": "-x/tau + u"})
    tc.Node("n", {"E": mass()}, [("E", "E", "u", "2*g", np.float64(1.0))], params={"g": 0.5})
    tc.Coupling("E.r", "I.u", gain=np.float64(0.3))
    res = linear_model.simulate(1.0, 0.1, every=2.0, seed=np.uint64(2 ** 63), stimuli={"linear.u": 0.5})
    assert len(res.t) == 6 and res.info["seed"] == 2 ** 63


def test_large_delay_buffer_is_refused_naming_the_delay(jr_model):
    """A ring buffer over the largest delay (about 30 ms) at a tiny dt: refused before allocation
    with a low limit, a ResourceWarning within a fifth of it."""
    with pytest.raises(SimulationError, match=r"delay buffer.*largest delay 2\d\.\d+ ms at dt = 0.0001 ms"):
        jr_model.simulate(1.0, 1e-4, max_memory=1e6)
    info = jr_model.simulate(1.0, 0.1).info
    buffer = 8 * info["buffer_length"] * info["buffer_rows"]
    with pytest.warns(ResourceWarning, match="delay buffer"):
        jr_model.simulate(1.0, 0.1, max_memory=2.5 * buffer)
