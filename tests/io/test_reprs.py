"""Reprs summarise (shape, labels, ranges) instead of dumping arrays."""
import numpy as np
import pandas as pd
import scipy.sparse as sps

import tcmcompose as tc
from tcmcompose.analysis.fixed_point import FixedPoint
from tcmcompose.analysis.linearise import Linearisation
from tcmcompose.analysis.transfer import CrossSpectrum, TransferFunction


def test_coupling_repr_counts_edges_and_ranges():
    W = np.zeros((76, 76))
    W[0, 1], W[5, 3] = 0.25, 2.0
    D = np.full((76, 76), 4.0)
    D[0, 0] = 12.5
    text = repr(tc.Coupling("E.rate", "E.exc", gain=0.1, weights=W, delays=D, name="cc"))
    assert text == "Coupling('cc': E.rate -> E.exc, linear, gain 0.1, 76x76 weights, 2 edges, weights 0.25..2, " \
                   "delays 4..12.5 ms)"
    assert len(text) < 200


def test_spectra_reprs_name_channels_and_the_peak():
    f = np.arange(1.0, 41.0)
    power = np.exp(-(f - 10.0) ** 2)[:, None, None] * np.ones((1, 2, 2))
    cs = CrossSpectrum(f, power, ["ctx0.JR.v", "ctx1.JR.v"])
    text = repr(cs)
    assert "40 frequencies 1..40 Hz" in text and "[ctx0.JR.v, ctx1.JR.v]" in text and "peak at 10 Hz" in text
    tf = TransferFunction(f, np.ones((40, 76, 1)) * 2j, [f"n{k}.x" for k in range(76)], ["n0.u"])
    assert "76 outputs [n0.x, n1.x, n2.x, ...] (76) x 1 inputs [n0.u]; |H| 2..2" in repr(tf)


def test_fixed_point_and_linearisation_reprs_are_one_line():
    idx = pd.MultiIndex.from_tuples([("n", "E", "x")] * 500, names=["node", "mass", "state"])
    fp = FixedPoint(np.linspace(-70, -50, 500), 1e-12, True, 4, "newton", idx)
    assert repr(fp) == "FixedPoint(converged by newton in 4 iterations, residual 1e-12; 500 states -70..-50)"
    n = 500
    lin = Linearisation(np.zeros(n), sps.eye(n, format="csr"), sps.eye(n, format="csr"), sps.eye(n, format="csr"),
                        np.arange(3), np.arange(3), np.ones(3), np.array([0.0, 2.0, 8.0]), idx, idx, idx)
    assert repr(lin) == ("Linearisation(500 states, 500 inputs, 500 outputs; 3 coupling edges (2 delayed, "
                         "delays 0..8 ms))")
