"""Shared, built-once models for the spine tests (Numba compiles dominate the run time)."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.masses.library import JansenRit


def linear_mass():
    return tc.Mass("linear", states={"x": 1.0}, params={"tau": 10.0}, inputs=["u"],
                   outputs={"x": "x"}, equations={"x": "-x/tau + u"})


def tanh_mass():
    """A smooth nonlinear unit: x' = (-x + tanh(u + I0)) / tau."""
    return tc.Mass("tanh_unit", states={"x": 0.1}, params={"tau": 2.0, "I0": 0.3}, inputs=["u"],
                   outputs={"x": "x", "r": "tanh(x)"}, equations={"x": "(-x + tanh(u + I0))/tau"})


def jr_network(n, seed=0, density=0.3, max_delay=30.0):
    rng = np.random.default_rng(seed)
    W = rng.random((n, n)) * (rng.random((n, n)) < density)
    np.fill_diagonal(W, 0.0)
    D = rng.uniform(1.0, max_delay, (n, n))
    node = tc.Node("jr", {"JR": JansenRit()})
    return tc.Network([node] * n, W, D, couplings=[tc.Coupling("JR.rate", "JR.c", gain=1.0)])


@pytest.fixture(scope="session")
def linear_model():
    return tc.build(linear_mass())


@pytest.fixture(scope="session")
def jr_model():
    """4-node Jansen-Rit network with delays and heterogeneous parameters."""
    model = tc.build(jr_network(4, seed=1))
    rng = np.random.default_rng(2)
    model.set_param("JR.A", 3.25 * (1 + 0.1 * rng.standard_normal(4)))
    model.set_param("JR.mu", 0.22 * (1 + 0.2 * rng.random(4)))
    return model
