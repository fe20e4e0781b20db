"""Swapping populations in the TCM column and the change it makes to the LFP.

    python examples/swap_population.py [--png swap_population.png]

1. SP without NMDA receptors (its NMDA links are dropped with the port).
2. SP with an added kainate receptor (tau 10 ms, E 0 mV, driven by the AMPA afferents).
3. The thalamus (RT and RC) replaced by a simple rate-based thalamic population
   exposing the same ports and outputs (a leaky membrane driven linearly by its
   synaptic inputs, Wilson & Cowan 1972 style), so every link is kept.
"""
import argparse

import numpy as np

import tcmcompose as tc
from tcmcompose.masses.conductance import Receptor
from tcmcompose.masses.library.tcm import POPULATIONS, tcm_population
from tcmcompose.nodes.tcm_column import TCMColumn, lfp


def rate_thalamus(label):
    """A rate population with the TCM ports (ampa, nmda, gabaa, gabab, input) and outputs m, V."""
    return tc.Mass(
        f"rate_thalamus", states={"V": -55.0},
        params={"tau": 10.0, "V_rest": -60.0, "k": 2.0, "V_half": -52.0, "slope": 1.5},
        inputs=["ampa", "nmda", "gabaa", "gabab", "input"],
        outputs={"m": "1/(1 + exp(-(V - V_half)/slope))", "V": "V"},
        equations={"V": "(-(V - V_rest) + k*(ampa + nmda + input - 0.5*(gabaa + gabab)))/tau"})


def run(column, label):
    model = tc.build(column)
    x0 = np.where(model.state_index.get_level_values("state") == "V", -52.0, 0.0)
    try:
        x0 = tc.fixed_point(model, x0=x0).x
    except tc.ModelError:
        pass   # no equilibrium nearby: start from the rest guess
    res = model.simulate(1500.0, 0.05, method="heun", initial=x0, every=10,
                         stimuli={"RT.input": 0.5, "RC.input": 0.5}, record=[f"{p}.V" for p in POPULATIONS])
    signal = lfp(res)[:, 0]
    print(f"{label:<28} LFP mean {signal.mean():8.2f} mV, s.d. {signal[res.t > 500].std():6.2f} mV")
    return res.t, signal


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--png", default="swap_population.png")
    args = ap.parse_args(argv)
    base = TCMColumn()
    kainate = Receptor("kainate", tau=10.0, E=0.0, target="2*ampa", ports=["ampa"])
    variants = {
        "reference column": base,
        "SP without NMDA": TCMColumn(populations={"SP": tcm_population("SP", with_nmda=False)}),
        "SP + kainate": base.replace("SP", tcm_population("SP", extra_receptors=[kainate])),
        "rate-model thalamus": base.replace("RT", rate_thalamus("RT")).replace("RC", rate_thalamus("RC")),
    }
    traces = {name: run(col, name) for name, col in variants.items()}
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 0
    fig, axes = plt.subplots(len(traces), 1, figsize=(9, 8), sharex=True)
    for ax, (name, (t, s)) in zip(axes, traces.items()):
        ax.plot(t, s, lw=0.7)
        ax.set_title(name, fontsize=9)
        ax.set_ylabel("LFP (mV)")
    axes[-1].set_xlabel("time (ms)")
    fig.tight_layout()
    fig.savefig(args.png, dpi=100)
    print(f"plot written to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
