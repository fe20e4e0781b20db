"""Between-node couplings."""
from dataclasses import dataclass

import numpy as np

from ..checks import number
from ..address import split_ref
from ..errors import ModelError

#: coupling kinds and what one edge j -> i adds to the target port
#: (a = source output at t - d_ij, b = the target node's own copy of that output at t)
KINDS = {
    "linear": "w_ij * a",
    "diffusive": "w_ij * (a - b)",
    "kuramoto": "w_ij * sin(a - b)",
}


@dataclass
class Coupling:
    """Network coupling from ``source`` (``"label.output"``) of every node to
    ``target`` (``"label.port"``) of every node, through a weight matrix.

    Edge j -> i exists where the weight ``W[i, j]`` is non-zero and node j has
    the source population and node i the target one; it adds
    ``gain * W[i, j] * h(a, b)`` to the target port, with ``h`` given by
    ``kind`` (see :data:`KINDS`): ``a`` is the source output delayed by
    ``D[i, j]`` ms, ``b`` the target node's own (undelayed) copy of the same
    output (diffusive and Kuramoto kinds only).

    ``weights`` / ``delays`` override the network's matrices for this coupling
    (several matrices in one network, e.g. forward and backward connections).
    """
    source: str
    target: str
    gain: float = 1.0
    kind: str = "linear"
    weights: object = None
    delays: object = None
    name: str = None

    def __repr__(self):
        from ..summary import value_range
        w = None if self.weights is None else np.asarray(self.weights, float)
        mats = "network matrices" if w is None else (
            f"{w.shape[0]}x{w.shape[1]} weights, {int(np.count_nonzero(w))} edges, weights {value_range(w[w != 0])}"
            + ("" if self.delays is None else f", delays {value_range(self.delays, 'ms')}"))
        return f"Coupling({self.name!r}: {self.source} -> {self.target}, {self.kind}, gain {self.gain:g}, {mats})"

    def __post_init__(self):
        split_ref(self.source, "Coupling source", ("label", "output"))
        split_ref(self.target, "Coupling target", ("label", "port"))
        if self.kind not in KINDS:
            raise ModelError(f"Coupling kind {self.kind!r} is unknown; choose one of {list(KINDS)}.")
        self.gain = number(self.gain, f"Coupling {self.source}->{self.target}: gain")
        if self.name is None:
            self.name = f"{self.source}->{self.target}"
