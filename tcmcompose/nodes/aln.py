"""The ALN node: excitatory and inhibitory ALN populations with delayed local coupling."""
import numpy as np

from ..masses.library.aln import ALNExc, ALNInh, default_tables
from ..networks.coupling import Coupling
from .node import Node, split_node_params

#: local coupling (neurolib's ALNModel): PSC amplitudes c (mV/ms), in-degrees K, delays (ms)
LOCAL_DEFAULTS = {"cee": 0.3, "cie": 0.3, "cei": 0.5, "cii": 0.5, "Ke": 800.0, "Ki": 200.0, "de": 4.0, "di": 2.0}


def aln_node(tables=None, **params):
    r"""An ALN node: ``"E"`` (:class:`~tcmcompose.masses.library.aln.ALNExc`) and
    ``"I"`` (:class:`~tcmcompose.masses.library.aln.ALNInh`) coupled through
    their delayed rates as in Cakan & Obermayer (2020).

    Local links (rates in kHz; weights are node parameters):
    ``E.r -> E.exc`` :math:`c_{ee} K_e`, ``E.r -> E.exc_sq`` :math:`c_{ee}^2 K_e`,
    ``E.r -> I.exc`` :math:`c_{ie} K_e`, ``E.r -> I.exc_sq`` :math:`c_{ie}^2 K_e`
    (delay ``de`` = 4 ms); ``I.r -> E.inh`` :math:`c_{ei} K_i`,
    ``I.r -> E.inh_sq`` :math:`c_{ei}^2 K_i`, ``I.r -> I.inh`` :math:`c_{ii} K_i`,
    ``I.r -> I.inh_sq`` :math:`c_{ii}^2 K_i` (delay ``di`` = 2 ms). Defaults:
    c_ee = c_ie = 0.3, c_ei = c_ii = 0.5 mV/ms, K_e = 800, K_i = 200.
    Between nodes use :func:`aln_couplings`.

    ``tables``: the transfer-function tables (default: computed by
    tcmcompose, see :mod:`tcmcompose.masses.library.aln_tables`), shared by
    both populations. Other keywords set node or population parameters
    (``mu_ext`` is set on both populations; use ``model.set_param`` for one).

    References: Cakan C. & Obermayer K. (2020) PLoS Comput Biol 16:e1007822;
    Augustin M. et al. (2017) PLoS Comput Biol 13:e1005545.
    """
    tables = default_tables() if tables is None else tables
    local, masses = split_node_params("aln_node", LOCAL_DEFAULTS,
                                      {"E": ALNExc(tables), "I": ALNInh(tables)}, params)
    links = []
    for src, c, K, delay in (("E", "ee", "Ke", "de"), ("I", "ei", "Ki", "di")):
        port = "exc" if src == "E" else "inh"
        for dst, cc in (("E", c), ("I", "i" + c[1])):
            links.append((f"{src}.r", dst, port, f"c{cc}*{K}", delay))
            links.append((f"{src}.r", dst, port + "_sq", f"c{cc}**2*{K}", delay))
    return Node("aln", masses, connections=links, params=local)


def aln_couplings(weights, delays, c_gl=0.3, Ke_gl=250.0):
    r"""The between-node coupling of ALN nodes (Cakan & Obermayer 2020): the
    excitatory rate of node j drives the mean of node i's excitatory input
    with :math:`c_{gl} K_{gl} C_{ij}` and its variance with
    :math:`c_{gl}^2 K_{gl} C_{ij}^2`, both delayed by ``delays`` (ms).
    Returns the two :class:`~tcmcompose.Coupling` objects."""
    W = np.asarray(weights, dtype=float)
    return [Coupling("E.r", "E.exc", gain=c_gl * Ke_gl, weights=W, delays=delays, name="aln_mean"),
            Coupling("E.r", "E.exc_sq", gain=c_gl ** 2 * Ke_gl, weights=W ** 2, delays=delays, name="aln_var")]
