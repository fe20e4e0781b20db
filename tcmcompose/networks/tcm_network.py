"""Multi-source TCM networks: five extrinsic AMPA and NMDA channels between columns."""
import numpy as np

from ..nodes.tcm_column import TCMColumn
from .coupling import Coupling
from .network import Network

#: presynaptic population of extrinsic channel k (spec §1.8)
CHANNEL_SOURCES = ["SP", "DP", "TP", "RT", "RC"]
#: routing masks S_A = S_N (receiving population -> weight per channel), before and after the
#: reference's zeroing of channels 3-5 ("ketamine study restriction")
ROUTING_UNZEROED = {0: {"SS": 1 / 8}, 1: {"SP": 1 / 8, "SI": 1 / 8}, 3: {"RC": 1 / 8}, 4: {"RT": 1 / 8}}
ROUTING_REFERENCE = {0: {"SS": 1 / 8}, 1: {"SP": 1 / 8, "SI": 1 / 8}}
ABSENT = -32.0


def extrinsic_log_matrices(ns, forward=None, backward=None, lateral=None):
    """Prior means of A{1..5} (spec §2.3): present 0, absent -32;
    A1 = F|L, A2 = B|L, A3 from F|L, A4 and A5 from F|B|L (row = receiving source)."""
    def adj(a):
        return np.zeros((ns, ns), bool) if a is None else (np.asarray(a) != 0)
    F, B, L = adj(forward), adj(backward), adj(lateral)
    return [np.where(m, 0.0, ABSENT) for m in (F | L, B | L, F | L, F | B | L, F | B | L)]


def damp_reciprocal(A, threshold=np.exp(-8.0), divisor=9.0):
    """Divide both directions of reciprocal connections by 9 (spec §1.8, AMPA only)."""
    recip = (A > threshold) & (A.T > threshold)
    return np.where(recip, A / divisor, A)


def tcm_network(n_sources, forward=None, backward=None, lateral=None, delays=None, A=None, AN=None,
                routing="reference", column=None, labels=None):
    """A network of ``n_sources`` TCM columns with the extrinsic channels of the spec (§1.8, §2.3).

    Channel k (k = 1..5) carries the firing of SP, DP, TP, RT or RC of the
    sending source to the AMPA and NMDA ports of the receiving populations
    given by the routing masks (1/8 each; ``routing="reference"`` keeps only
    channels 1 (SP -> SS, "forward") and 2 (DP -> SP, SI, "backward"), as the
    reference does; ``"unzeroed"`` adds the thalamic RT <- RC, RC <- RT
    entries). Weights: ``exp(A_k)`` (AMPA, reciprocal pairs divided by 9)
    and ``exp(AN_k)`` (NMDA), with ``A``/``AN`` lists of five (n, n) log
    matrices (default from the binary ``forward``/``backward``/``lateral``
    adjacency, §2.3). ``delays``: (n, n) ms between sources (default 0).
    """
    ns = int(n_sources)
    logA = [np.asarray(a, float) for a in (A or extrinsic_log_matrices(ns, forward, backward, lateral))]
    logAN = [np.asarray(a, float) for a in (AN or logA)]
    table = ROUTING_REFERENCE if routing == "reference" else ROUTING_UNZEROED
    col = column or TCMColumn()
    couplings = []
    for k, targets in table.items():
        src = CHANNEL_SOURCES[k]
        WA = damp_reciprocal(np.exp(logA[k]))
        WN = np.exp(logAN[k])
        WA[WA < np.exp(-30)] = 0.0       # exp(-32) is "absent": no edge
        WN[WN < np.exp(-30)] = 0.0
        for dst, gain in targets.items():
            couplings.append(Coupling(f"{src}.m", f"{dst}.ampa", gain=gain, weights=WA,
                                      name=f"A{k + 1}:{src}->{dst}.ampa"))
            couplings.append(Coupling(f"{src}.m", f"{dst}.nmda", gain=gain, weights=WN,
                                      name=f"AN{k + 1}:{src}->{dst}.nmda"))
    return Network([col] * ns, np.zeros((ns, ns)), delays, couplings=couplings,
                   labels=labels or [f"source{s}" for s in range(ns)])
