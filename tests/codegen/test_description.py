"""The generator's description of its kernels (tcmcompose.codegen.description):
returned with the source, stored once in the module as a literal, and the
same object again when the module is loaded from the on-disk cache.
Nothing here compiles (eager=False)."""
import re
import sys
import uuid

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.codegen.description import KernelDescription, from_module

#: the module constants the package used to read back (now all in DESCRIPTION)
OLD_CONSTANTS = re.compile(r"^(UNROLLED|FUSED|NODE_LOOP|NODE_LINKS|LOCAL_SRC|LOCAL_DST|LOCAL_BAKED|HAS_NOISE|N_DERIVED|"
                           r"GROUP_PATTERNS|G\d+_[A-Z]_PATTERN|G\d+_N_DERIVED)\b", re.M)


def pair_network():
    """Two nodes of two populations of one fresh mass (a structure no other
    test uses), with noise, an undelayed and a delayed local link."""
    unit = tc.Mass(f"desc_{uuid.uuid4().hex[:8]}", states={"x": 0.1}, params={"tau": 2.0, "I0": 0.3},
                   inputs=["u"], outputs={"x": "x", "r": "tanh(x)"}, equations={"x": "(-x + tanh(u + I0))/tau"},
                   noise={"x": "0.01"})
    node = tc.Node("pair", {"A": unit, "B": unit.with_params(tau=3.0)},
                   [("A.x", "B", "u", 0.7), ("B.r", "A", "u", -1.2, 2.0)])
    return tc.Network([node] * 2, np.array([[0.0, 0.5], [0.3, 0.0]]), np.full((2, 2), 4.0),
                      couplings=[tc.Coupling("A.r", "B.u")])


@pytest.mark.parametrize("unroll", [None, False, "node"])
def test_description_is_returned_stored_once_and_reloaded_equal(tmp_path, monkeypatch, unroll):
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path))
    net = pair_network()
    cold = tc.build(net, eager=False, unroll=unroll)
    d = cold.description
    assert cold.build_info["generated"] and isinstance(d, KernelDescription)
    # what the generator knows, checked by hand: one group (A and B share the mass), 4 instances
    # (node0.A, node0.B, node1.A, node1.B); x' = (-x + tanh(u + I0))/tau, outputs x and tanh(x)
    assert d.patterns == ((((0, 0),), ((0, 0),), ((0, 0), (1, 0))),)
    assert d.has_noise and len(d.n_derived) == 1 and d.n_derived[0] >= 1       # 1/tau at least
    assert d.unrolled == (unroll is not False) and d.node_loop == (unroll == "node") and d.fused == (unroll is None)
    if unroll is None:        # link k: y[src] -> u[dst]; y = (x of the 4, r of the 4), u = u of the 4
        assert (d.local_src, d.local_dst, d.local_baked) == ((0, 5, 2, 7), (1, 0, 3, 2), (True,) * 4)
    else:
        assert d.local_src == d.local_dst == d.local_baked == ()
    assert d.node_links == (2 if unroll == "node" else 0)
    src, dst, baked = cold._local_baked      # what the run passes the stage kernels (a node loop's: per network)
    assert (list(src), list(dst)) == (([0, 5, 2, 7], [1, 0, 3, 2]) if unroll is not False else ([], []))
    assert baked.all()
    # stored once, as a literal; none of the old constants
    text = cold.path.read_text()
    assert text.count("\nDESCRIPTION = {") == 1 and not OLD_CONSTANTS.search(text)
    for name in ("UNROLLED", "HAS_NOISE", "GROUP_PATTERNS", "N_DERIVED", "LOCAL_SRC", "NODE_LOOP"):
        assert not hasattr(cold._mod, name)
    # a warm load (a new process: the module is not imported yet) reads it back, equal
    del sys.modules[cold._mod.__name__]
    warm = tc.build(net, eager=False, unroll=unroll)
    assert not warm.build_info["generated"] and warm._mod is not cold._mod
    assert warm.description == d and warm.description is not d
    assert from_module(warm._mod) == d
    np.testing.assert_array_equal(warm._layout, cold._layout)


def test_literal_round_trip_and_plain_values():
    d = KernelDescription(n_derived=[np.int64(2)], patterns=[[[(0, np.int64(1))], [], []]], has_noise=np.bool_(False),
                          unrolled=True, local_src=[np.int64(3)], local_dst=(4,), local_baked=[np.bool_(True)])
    assert d.n_derived == (2,) and type(d.n_derived[0]) is int and d.patterns == ((((0, 1),), (), ()),)
    namespace = {}
    exec(d.literal(), namespace)          # noqa: S102 - the text the generator writes
    assert "np." not in d.literal()
    assert KernelDescription(**namespace["DESCRIPTION"]) == d


def test_a_shared_model_reads_its_description(linear_model):
    d = linear_model.description
    assert d.patterns == ((((0, 0),), ((0, 0),), ((0, 0),)),) and not d.has_noise
    assert linear_model._n_params_ext == linear_model._low.n_p + d.n_derived[0] * 1
