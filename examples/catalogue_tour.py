"""A tour of the model catalogue: every model, 1 s from its default state, one panel each.

    python examples/catalogue_tour.py [--out catalogue_tour.png] [--duration 1000]

Each model is built alone (a single mass or node), integrated with Heun at its
recommended step (``tc.list_models()["dt"]``) and its first output plotted.
The first build of each model compiles it (a few seconds); later runs load
the compiled kernels from the on-disk cache.
"""
import argparse
import math
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import tcmcompose as tc  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="catalogue_tour.png")
    parser.add_argument("--duration", type=float, default=1000.0, help="ms per model")
    args = parser.parse_args()

    table = tc.list_models()
    print(table[["category", "kind", "n_states", "typical_use"]].to_string())
    cols = 4
    rows = math.ceil(len(table) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.4 * rows), squeeze=False)
    for ax, (name, row) in zip(axes.flat, table.iterrows()):
        t0 = time.perf_counter()
        model = tc.build(tc.get_model(name))
        variable = row["outputs"][0]
        if row["kind"] == "mass":
            variable = f"{model.state_index[0][1]}.{variable}"
        res = model.simulate(args.duration, row["dt"], method="heun", record=[variable],
                             every=max(1, int(round(0.5 / row["dt"]))))
        ax.plot(res.t, res[variable], lw=0.8)
        ax.set_title(f"{name}: {variable}", fontsize=9)
        ax.set_xlabel("time (ms)", fontsize=8)
        ax.tick_params(labelsize=7)
        print(f"{name:22s} built+ran in {time.perf_counter() - t0:5.1f} s")
    for ax in axes.flat[len(table):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
