"""The TCM cortical column with its thalamus: eight populations and their receptor-specific links."""
import numpy as np

from ..errors import ModelError
from ..masses.library.tcm import (CORTEX, INTRINSIC_DELAY, LFP_WEIGHTS, POPULATIONS, THALAMUS,
                                  tcm_population)
from .node import Node

_P = POPULATIONS


def _table(rows):
    return np.array(rows, dtype=float)


#: intrinsic templates (row = receiving, column = sending; order SS SP SI DP DI TP RT RC), spec §2.2
W_AMPA = _table([
    [0, 0, 0, 0, 0, 2, 0, 2],
    [2, 2, 0, 0, 0, 0, 0, 0],
    [0, 2, 0, 0, 0, 0, 0, 0],
    [0, 2, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 2, 0, 0, 0, 0],
    [0, 0, 0, 2, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 2],
    [2, 0, 0, 0, 0, 2, 0, 0]])
W_NMDA = W_AMPA.copy()
W_NMDA[1, 2] = 2.0   # SP <- SI
W_NMDA[2, 2] = 2.0   # SI <- SI
W_GABA = _table([
    [8, 0, 10, 0, 0, 0, 0, 0],
    [0, 18, 10, 0, 0, 0, 0, 0],
    [0, 0, 10, 0, 0, 0, 0, 0],
    [0, 0, 0, 8, 6, 0, 0, 0],
    [0, 0, 0, 0, 14, 0, 0, 0],
    [0, 0, 0, 0, 6, 8, 0, 0],
    [0, 0, 0, 0, 0, 0, 8, 0],
    [0, 0, 0, 0, 0, 0, 8, 8]])

# prior variances (spec §2.5): free entries of H (1/8), Hn (1/8, inferred), Gb (1/64)
_H_FREE = {"SS": ["SS", "RC"], "SP": ["SS", "SP", "SI"], "SI": ["SP", "SI"], "DP": ["SP", "DP", "DI"],
           "DI": ["DI"], "TP": ["DP", "DI", "TP"], "RT": [], "RC": ["SS", "TP", "RT"]}
_HN_FREE = {"SS": ["RC"], "SP": ["SS", "SP", "SI"], "SI": ["SP", "SI"], "DP": ["SP"], "TP": ["DP"],
            "RC": ["SS", "TP"]}
_GB_FREE = {"SS": ["SS"], "SP": ["SP", "SI"], "SI": ["SI"], "DP": ["DP", "DI"], "DI": ["DI"],
            "TP": ["DI", "TP"], "RC": ["RT"]}


def _delay_expr(src, dst):
    expr = f"{INTRINSIC_DELAY[src]}*exp(ID)"
    if src in CORTEX and dst in THALAMUS:
        expr += " + 8*exp(CT)"
    elif src in THALAMUS and dst in CORTEX:
        expr += " + 3*exp(TC)"
    return expr


class TCMColumn(Node):
    """One source of the thalamo-cortical model: SS, SP, SI, DP, DI, TP (cortex), RT, RC (thalamus).

    Intrinsic links per receptor from the templates W_AMPA, W_NMDA,
    W_GABA (= GABA-A = GABA-B) of the spec (§2.2), each weighted
    ``template * exp(theta)`` with node parameters ``H_<dst>_<src>`` (AMPA and
    GABA-A share them, as in the reference), ``Hn_<dst>_<src>`` (NMDA) and
    ``Gb_<dst>_<src>`` (GABA-B; prior mean = H's, 2025 pipeline); all 0 by
    default. Each link is delayed by the sender's intrinsic delay
    ``[2 1 1 1 1 2 1 2]*exp(ID)`` ms plus ``8*exp(CT)`` ms cortex -> thalamus or
    ``3*exp(TC)`` ms thalamus -> cortex (§2.6; the delays act in simulations
    and in the Laplace-domain spectra, not in the fixed point).

    Exogenous input enters the ``input`` port of the populations in
    ``self.input_targets`` (RT and RC by default, §1.9) scaled by
    ``exp(C_in)``: ``model.simulate(..., stimuli={"RC.input": s, "RT.input": s})``.
    ``self.lfp_weights`` are the 2025 read-out weights on V (§3.5), usable as
    ``tc.predict_csd(model, f, ..., outputs=column.lfp_weights)``.

    Parameters: ``firing``, ``nmda_block`` (see :mod:`tcmcompose.masses.library.tcm`);
    ``populations``: replacement masses by label; ``**overrides``: node
    parameter values (e.g. ``CT=0.2``, ``H_SP_SS=0.5``).
    """

    def __init__(self, firing="smooth", nmda_block="elementwise", populations=None, name="tcm_column",
                 **overrides):
        masses = {p: tcm_population(p, firing, nmda_block) for p in _P}
        masses.update(populations or {})
        params, info, links = {"ID": 0.0, "CT": 0.0, "TC": 0.0}, {}, []
        info.update({"ID": {"transform": "intrinsic delays [2 1 1 1 1 2 1 2]*exp(ID) ms", "prior_mean": 0.0},
                     "CT": {"transform": "cortex->thalamus delay 8*exp(CT) ms", "prior_mean": 0.0},
                     "TC": {"transform": "thalamus->cortex delay 3*exp(TC) ms", "prior_mean": 0.0}})
        for i, dst in enumerate(_P):
            for j, src in enumerate(_P):
                delay = _delay_expr(src, dst)
                if W_AMPA[i, j] or W_GABA[i, j]:
                    params[f"H_{dst}_{src}"] = 0.0
                    info[f"H_{dst}_{src}"] = {"transform": "gain exp(H) on W_AMPA and W_GABAA", "prior_mean": 0.0,
                                              "prior_var": 1 / 8 if src in _H_FREE.get(dst, []) else 0.0}
                if W_NMDA[i, j]:
                    params[f"Hn_{dst}_{src}"] = 0.0
                    info[f"Hn_{dst}_{src}"] = {"transform": "gain exp(Hn) on W_NMDA", "prior_mean": 0.0,
                                               "prior_var": 1 / 8 if src in _HN_FREE.get(dst, []) else 0.0}
                if W_GABA[i, j]:
                    params[f"Gb_{dst}_{src}"] = 0.0
                    info[f"Gb_{dst}_{src}"] = {"transform": "gain exp(Gb) on W_GABAB", "prior_mean": 0.0,
                                               "prior_var": 1 / 64 if src in _GB_FREE.get(dst, []) else 0.0}
                for port, W, g in (("ampa", W_AMPA, "H"), ("gabaa", W_GABA, "H"), ("nmda", W_NMDA, "Hn"),
                                   ("gabab", W_GABA, "Gb")):
                    if W[i, j] and port in masses[dst].inputs:
                        links.append((f"{src}.m", dst, port, f"{W[i, j]:g}*exp({g}_{dst}_{src})", delay))
        if nmda_block == "atcm_matlab":
            # the MATLAB block compares the potentials of the whole column (see tcm.block_expression)
            for dst in _P:
                for src in _P:
                    if src != dst and f"v_{src}" in masses[dst].inputs:
                        links.append((f"{src}.V", dst, f"v_{src}", 1.0, 0.0))
        for k, v in overrides.items():
            if k not in params:
                raise ModelError(f"TCMColumn has no parameter {k!r}; e.g. {sorted(params)[:8]} ...")
            params[k] = float(v)
        super().__init__(name, masses, links, params=params, param_info=info)
        self.firing, self.nmda_block = firing, nmda_block
        self.input_targets = ["RT.input", "RC.input"]
        self.lfp_weights = {f"{p}.V": w for p, w in LFP_WEIGHTS.items()}

    def replace(self, label, mass):
        """Swap a population (links kept where the new mass has the ports, see Node.replace).

        Links onto ports the new mass lacks are dropped only when ``mass``
        declares it does not have that receptor (e.g. SP without NMDA): use
        :meth:`drop_links` first for other cases."""
        return super().replace(label, mass)

    def drop_links(self, target=None, port=None, source=None):
        """A copy without the links matching (target label, port, source label)."""
        new = Node.replace(self, next(iter(self.masses)), next(iter(self.masses.values())))
        new.connections = [c for c in self.connections
                           if not ((target is None or c.target == target) and (port is None or c.port == port)
                                   and (source is None or c.source == source))]
        return new


def lfp(result, weights=None):
    """LFP per node from a Result that recorded the populations' V: sum_p w_p V_p."""
    weights = weights or {f"{p}.V": w for p, w in LFP_WEIGHTS.items()}
    total = None
    for name, w in weights.items():
        if name in result:
            v = w * result[name]
            total = v if total is None else total + v
    if total is None:
        raise KeyError(f"none of {list(weights)} was recorded")
    return total
