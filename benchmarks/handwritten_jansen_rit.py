"""Hand-written Numba Jansen-Rit network: the twin the generated kernel is timed and checked against.

This file does not import tcmcompose. It is the "same model written by hand in Numba" of
DESIGN.md (Performance principles): the generated kernel should be as fast as this, and give
the same numbers (up to floating-point summation order).

Model (TVB's ``JansenRit`` numba dfun; time in ms, potentials in mV)::

    S(v)  = 2 nu_max / (1 + exp(r (v0 - v)))
    y0' = y3,   y1' = y4,   y2' = y5
    y3' = A a S(y1 - y2)                      - 2 a y3 - a^2 y0
    y4' = A a (mu + a2 J S(a1 J y0) + c)      - 2 a y4 - a^2 y1
    y5' = B b a4 J S(a3 J y0)                 - 2 b y5 - b^2 y2

with A = 3.25, B = 22, a = 0.1, b = 0.05, v0 = 5.52, nu_max = 0.0025, r = 0.56, J = 135,
a1 = 1, a2 = 0.8, a3 = a4 = 0.25, mu = 0.22.

Coupling: node j sends ``Y_j = Sc(y1_j - y2_j)``, ``Sc(v) = 0.005 / (1 + exp(0.56 (6 - v)))``
(TVB's SigmoidalJansenRit with cmin = 0, cmax = 0.005, midpoint = 6, r = 0.56), and node i
receives ``c_i(t) = gain * sum_j W[i, j] * Y_j(t - lag[i, j] * dt)``. ``W`` rows are targets,
columns sources; zero entries are absent edges (the diagonal counts if non-zero).

Integrator: Heun with the coupling re-evaluated at each stage::

    k1 = f(x_n, c(t_n));  x~ = x_n + dt k1;  k2 = f(x~, c(t_{n+1}));  x_{n+1} = x_n + dt/2 (k1 + k2)

Stage 1 reads, for an edge of lag k, the stored output of step n - k (k = 0: of x_n itself).
Stage 2 reads, for k >= 1, the stored output of step n + 1 - k (a past step m <= n); for k = 0
it reads the output of the predictor x~. History before t = 0 is the constant ``Y(x0)``.

Memory: only the N outputs per step are kept, in a ring buffer ``buf[slot, node]`` with
``max_lag + 1`` slots (slot of step m = m mod (max_lag + 1)). Edges are held as per-target
(CSR) lists of non-zero sources, split into delayed edges (lag >= 1), whose two stage sums
are gathered in one pass over the buffer, and instantaneous edges (lag 0).
"""
import time

import numpy as np
from numba import njit

# TVB JansenRit defaults (CATALOGUE.md, "The Virtual Brain 2.10"); frozen into the kernel.
_A = 3.25
_B = 22.0
_a = 0.1
_b = 0.05
_v0 = 5.52
_nu_max = 0.0025
_r = 0.56
_J = 135.0
_a1 = 1.0
_a2 = 0.8
_a3 = 0.25
_a4 = 0.25
_mu = 0.22
# SigmoidalJansenRit coupling function: cmin = 0, cmax = 0.005, midpoint = 6 mV, r = 0.56 /mV.
_cmax = 0.005
_cmid = 6.0
_cr = 0.56

# Pre-combined constant factors (exact in binary: a1*J = 135, a3*J = 33.75). The exponent
# arguments are written exactly as in the equations, r*(v0 - v), so that a kernel printed
# from the same formulas agrees to the last bits in most steps.
_Aa = _A * _a
_two_nu = 2.0 * _nu_max
_a1J = _a1 * _J
_a3J = _a3 * _J
_a2J = _a2 * _J
_Bba4J = _B * _b * _a4 * _J
_2a = 2.0 * _a
_2b = 2.0 * _b
_aa = _a * _a
_bb = _b * _b


@njit(cache=True)
def _rhs_node(y0, y1, y2, y3, y4, y5, c):
    """Jansen-Rit derivatives of one node given its summed coupling input ``c``."""
    s_pyr = _two_nu / (1.0 + np.exp(_r * (_v0 - (y1 - y2))))
    s_exc = _two_nu / (1.0 + np.exp(_r * (_v0 - _a1J * y0)))
    s_inh = _two_nu / (1.0 + np.exp(_r * (_v0 - _a3J * y0)))
    d3 = _Aa * s_pyr - _2a * y3 - _aa * y0
    d4 = _Aa * (_mu + _a2J * s_exc + c) - _2a * y4 - _aa * y1
    d5 = _Bba4J * s_inh - _2b * y5 - _bb * y2
    return d3, d4, d5


@njit(cache=True)
def _out(y1, y2):
    """Coupling output Sc(y1 - y2)."""
    return _cmax / (1.0 + np.exp(_cr * (_cmid - (y1 - y2))))


@njit(cache=True)
def _heun_loop(x, d_ptr, d_src, d_w, d_lag, z_ptr, z_src, z_w, n_slots,
               n_steps, dt, gain, every, rec):
    N = x.shape[0]
    buf = np.empty((n_slots, N))
    k1 = np.empty((N, 6))
    xt = np.empty((N, 6))
    c2d = np.empty(N)
    yt = np.empty(N)
    has_zero = z_ptr[N] > 0
    half = 0.5 * dt
    # constant history Y(x0) in every slot
    for j in range(N):
        y = _out(x[j, 1], x[j, 2])
        for s in range(n_slots):
            buf[s, j] = y
    n_rec = 0
    for n in range(n_steps):
        pos = n % n_slots
        if n % every == 0:
            for i in range(N):
                rec[n_rec, i] = x[i, 1] - x[i, 2]
            n_rec += 1
        # ---- stage 1 (and the delayed part of stage 2's coupling) ----
        for i in range(N):
            c1 = 0.0
            c2 = 0.0
            for e in range(d_ptr[i], d_ptr[i + 1]):
                j = d_src[e]
                w = d_w[e]
                s1 = pos - d_lag[e]
                if s1 < 0:
                    s1 += n_slots
                s2 = s1 + 1
                if s2 == n_slots:
                    s2 = 0
                c1 += w * buf[s1, j]
                c2 += w * buf[s2, j]
            for e in range(z_ptr[i], z_ptr[i + 1]):
                c1 += z_w[e] * buf[pos, z_src[e]]
            c2d[i] = c2
            y0 = x[i, 0]
            y1 = x[i, 1]
            y2 = x[i, 2]
            y3 = x[i, 3]
            y4 = x[i, 4]
            y5 = x[i, 5]
            d3, d4, d5 = _rhs_node(y0, y1, y2, y3, y4, y5, gain * c1)
            k1[i, 0] = y3
            k1[i, 1] = y4
            k1[i, 2] = y5
            k1[i, 3] = d3
            k1[i, 4] = d4
            k1[i, 5] = d5
            xt[i, 0] = y0 + dt * y3
            xt[i, 1] = y1 + dt * y4
            xt[i, 2] = y2 + dt * y5
            xt[i, 3] = y3 + dt * d3
            xt[i, 4] = y4 + dt * d4
            xt[i, 5] = y5 + dt * d5
        if has_zero:
            for i in range(N):
                yt[i] = _out(xt[i, 1], xt[i, 2])
        # ---- stage 2 and the new state; store Y(x_{n+1}) in the next slot ----
        nxt = pos + 1
        if nxt == n_slots:
            nxt = 0
        for i in range(N):
            c2 = c2d[i]
            for e in range(z_ptr[i], z_ptr[i + 1]):
                c2 += z_w[e] * yt[z_src[e]]
            y0 = xt[i, 0]
            y1 = xt[i, 1]
            y2 = xt[i, 2]
            y3 = xt[i, 3]
            y4 = xt[i, 4]
            y5 = xt[i, 5]
            d3, d4, d5 = _rhs_node(y0, y1, y2, y3, y4, y5, gain * c2)
            n1 = x[i, 1] + half * (k1[i, 1] + y4)
            n2 = x[i, 2] + half * (k1[i, 2] + y5)
            x[i, 0] = x[i, 0] + half * (k1[i, 0] + y3)
            x[i, 1] = n1
            x[i, 2] = n2
            x[i, 3] = x[i, 3] + half * (k1[i, 3] + d3)
            x[i, 4] = x[i, 4] + half * (k1[i, 4] + d4)
            x[i, 5] = x[i, 5] + half * (k1[i, 5] + d5)
            buf[nxt, i] = _out(n1, n2)
    if n_steps % every == 0:
        for i in range(N):
            rec[n_rec, i] = x[i, 1] - x[i, 2]
    return x


def _csr(W, lag_steps):
    """Per-target edge lists: (delayed edges: ptr, src, w, lag), (lag-0 edges: ptr, src, w)."""
    N = W.shape[0]
    d_ptr = np.zeros(N + 1, np.int64)
    z_ptr = np.zeros(N + 1, np.int64)
    d_src, d_w, d_lag, z_src, z_w = [], [], [], [], []
    for i in range(N):
        js = np.nonzero(W[i])[0]
        for j in js:
            k = int(lag_steps[i, j])
            if k >= 1:
                d_src.append(j)
                d_w.append(W[i, j])
                d_lag.append(k)
            else:
                z_src.append(j)
                z_w.append(W[i, j])
        d_ptr[i + 1] = len(d_src)
        z_ptr[i + 1] = len(z_src)
    return (d_ptr, np.asarray(d_src, np.int64), np.asarray(d_w, np.float64),
            np.asarray(d_lag, np.int64), z_ptr, np.asarray(z_src, np.int64),
            np.asarray(z_w, np.float64))


def simulate_jr_handwritten(W, lag_steps, x0, n_steps, dt, gain=1.0, record_every=1):
    """Integrate the delayed Jansen-Rit network with Heun (per-stage delayed coupling).

    Parameters
    ----------
    W : (N, N) float array. ``W[i, j]`` = weight from source j to target i; 0 = no edge.
    lag_steps : (N, N) int array. Delay of edge (i, j) in steps, ``d_ij = lag_steps[i, j] * dt``.
    x0 : (N, 6) float array. Initial states y0..y5; also defines the constant history.
    n_steps : int, number of Heun steps.
    dt : float, step in ms.
    gain : float, global coupling gain (TVB's linear ``a``).
    record_every : int, record ``y1 - y2`` every this many steps.

    Returns
    -------
    x_final : (N, 6) state after ``n_steps`` steps.
    rec : (n_steps // record_every + 1, N) array; row k is ``y1 - y2`` at
        ``t = k * record_every * dt`` (taken before step ``k * record_every``; the last row
        is the final state when ``n_steps % record_every == 0``).
    """
    W = np.ascontiguousarray(W, dtype=np.float64)
    lag = np.asarray(lag_steps)
    if lag.shape != W.shape or W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError("W and lag_steps must both be (N, N)")
    if np.any(lag < 0):
        raise ValueError("lag_steps must be non-negative")
    x = np.array(x0, dtype=np.float64, order="C", copy=True)
    if x.shape != (W.shape[0], 6):
        raise ValueError("x0 must be (N, 6)")
    every = int(record_every)
    if every < 1:
        raise ValueError("record_every must be >= 1")
    n_steps = int(n_steps)
    max_lag = int(lag[W != 0].max()) if np.any(W != 0) else 0
    csr = _csr(W, lag)
    rec = np.empty((n_steps // every + 1, W.shape[0]))
    x = _heun_loop(x, *csr, max_lag + 1, n_steps, float(dt), float(gain), every, rec)
    return x, rec


def _bench_network(N=76, density=0.3, max_delay_ms=30.0, dt=0.1, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random((N, N)) * (rng.random((N, N)) < density)
    np.fill_diagonal(W, 0.0)
    lag = np.rint(rng.uniform(1.0, max_delay_ms, (N, N)) / dt).astype(np.int64)
    x0 = np.tile([0.0, 15.0, 10.0, 0.0, 0.0, 0.0], (N, 1)) + 0.1 * rng.standard_normal((N, 6))
    return W, lag, x0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=76)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    W, lag, x0 = _bench_network(args.nodes, dt=args.dt)
    t0 = time.perf_counter()
    simulate_jr_handwritten(W, lag, x0, 10, args.dt, gain=1.0, record_every=10)  # warm-up / compile
    print(f"warm-up (compile or cache load): {time.perf_counter() - t0:.2f} s")
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        simulate_jr_handwritten(W, lag, x0, args.steps, args.dt, gain=1.0, record_every=10)
        times.append(time.perf_counter() - t0)
    med = float(np.median(times))
    print(f"Jansen-Rit hand-written: N={args.nodes}, {args.steps} steps, dt={args.dt} ms, "
          f"{int((W != 0).sum())} edges, median {med * 1e3:.1f} ms")
    print(f"{args.nodes * args.steps / med:.3e} node*steps/s")
