"""One thalamo-cortical column: fixed point, eigenvalues, a 2 s simulation, the 8 potentials and the LFP.

    python examples/tcm_column.py [--png tcm_column.png]

Noise-free constant drive (u = 0.5 into RT and RC, scaled by exp(C_in)); the
simulation starts at the fixed point of the undriven column plus the drive.
"""
import argparse

import numpy as np

import tcmcompose as tc
from tcmcompose.masses.library.tcm import POPULATIONS
from tcmcompose.nodes.tcm_column import TCMColumn, lfp


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--png", default="tcm_column.png")
    ap.add_argument("--firing", default="smooth")
    ap.add_argument("--nmda-block", default="elementwise")
    args = ap.parse_args(argv)
    column = TCMColumn(firing=args.firing, nmda_block=args.nmda_block)
    model = tc.build(column)
    x0 = np.where(model.state_index.get_level_values("state") == "V", -52.0, 0.0)
    fp = tc.fixed_point(model, x0=x0)
    ev = tc.linearise(model, fp.x).eigenvalues()
    print(f"{model}; built in {model.build_info['seconds']:.1f} s")
    print("fixed point V (mV):", {p: round(v, 3) for (_, p), v in fp.series.xs("V", level="state").items()})
    print("rightmost eigenvalues (1/s):", np.round(ev[:4] * 1000, 3))
    res = model.simulate(2000.0, 0.05, method="heun", initial=fp.x, every=10,
                         stimuli={"RT.input": 0.5, "RC.input": 0.5},
                         record=[f"{p}.V" for p in POPULATIONS])
    signal = lfp(res)[:, 0]
    tail = signal[res.t > 1000]
    spec = np.abs(np.fft.rfft(tail - tail.mean())) ** 2
    f = np.fft.rfftfreq(len(tail), d=(res.t[1] - res.t[0]) / 1000)
    print(f"LFP: mean {signal.mean():.2f} mV, peak frequency {f[1:][np.argmax(spec[1:])]:.1f} Hz")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 0
    fig, axes = plt.subplots(9, 1, figsize=(9, 11), sharex=True)
    for ax, p in zip(axes, POPULATIONS):
        ax.plot(res.t, res[f"{p}.V"][:, 0], lw=0.7)
        ax.set_ylabel(f"{p}\nV (mV)", fontsize=8)
    axes[-1].plot(res.t, signal, color="k", lw=0.7)
    axes[-1].set_ylabel("LFP", fontsize=8)
    axes[-1].set_xlabel("time (ms)")
    fig.suptitle(f"TCM column ({args.firing}, {args.nmda_block}), drive 0.5 into RT and RC")
    fig.tight_layout()
    fig.savefig(args.png, dpi=100)
    print(f"plot written to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
