r"""Transfer functions and cross-spectral densities with exact delays.

For the linearisation :math:`J(s) = D + B K(s) C` (see :mod:`.linearise`),
an input matrix :math:`B_{in}` (where exogenous input or noise enters) and an
observation matrix :math:`W` (which combination of states is measured),

.. math::

    H(i\omega) = W\,(i\omega I - J(i\omega))^{-1} B_{in}, \qquad
    G(f) = \frac{2}{1000}\, H \Sigma_u(f) H^H + G_{noise}(f)

with :math:`\omega = 2\pi f/1000` rad/ms for f in Hz. :math:`G` is the
one-sided cross-spectral density per Hz of the observed signals when the
inputs are white with intensity :math:`\Sigma_u` per ms (the convention of
``scipy.signal.welch`` on a simulation sampled in ms), so it can be compared
directly with a Welch estimate. Delays enter exactly through
:math:`e^{-i\omega d}` on every edge (Moran et al. 2007 NeuroImage 37:706;
Friston et al. 2012 NeuroImage 59:439 for DCM cross-spectra).
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..address import find
from .linearise import linearise
from ..lazy import LazyModule

sps = LazyModule("scipy.sparse")
spla = LazyModule("scipy.sparse.linalg")


def _select(index, level, names, what):
    """Positions of 'label.var' names in a (node, mass, var) index."""
    names = [names] if isinstance(names, (str, tuple)) else list(names)
    pos, labels = [], []
    for name in names:
        sel = find(index, name)          # tcmcompose.address: "E.V", "ctx.E.V", "*.V", (name, nodes)
        pos.append(sel)
        labels += [".".join(map(str, index[k])) for k in sel]
    return np.concatenate(pos) if pos else np.zeros(0, int), labels


def input_matrix(lin, inputs):
    """B_in (n x m): input ports ('E.ampa': columns of B) and/or states
    ('E.V': unit input into that state's equation, i.e. state noise), or an array."""
    if isinstance(inputs, np.ndarray) or sps.issparse(inputs):
        Bin = sps.csr_matrix(inputs)
        if Bin.shape[0] != lin.n:
            raise ModelError(f"input matrix has {Bin.shape[0]} rows; the model has {lin.n} states.")
        return Bin, [f"input{k}" for k in range(Bin.shape[1])]
    names = [inputs] if isinstance(inputs, str) else list(inputs)
    cols, labels = [], []
    for name in names:
        pos, lab = _select(lin.input_index, "port", [name], "port")
        if len(pos):
            cols.append(lin.B[:, pos])
            labels += lab
            continue
        pos, lab = _select(lin.state_index, "state", [name], "state")
        if len(pos):
            cols.append(sps.csr_matrix((np.ones(len(pos)), (pos, np.arange(len(pos)))), shape=(lin.n, len(pos))))
            labels += lab
            continue
        ports = sorted({f"{m}.{p}" for _, m, p in lin.input_index})
        states = sorted({f"{m}.{s}" for _, m, s in lin.state_index})
        raise ModelError(f"input {name!r} is neither an input port {ports} nor a state {states}.")
    return sps.hstack(cols).tocsr(), labels


def observation_matrix(lin, outputs):
    """W (p x n): states or model outputs by name ('E.V', 'JR.v'), a dict of
    weights {'SP.V': 0.8, 'DP.V': 0.6} summed per node (e.g. an LFP), or an array."""
    if isinstance(outputs, np.ndarray) or sps.issparse(outputs):
        W = sps.csr_matrix(outputs)
        if W.shape[1] != lin.n:
            raise ModelError(f"observation matrix has {W.shape[1]} columns; the model has {lin.n} states.")
        return W, [f"channel{k}" for k in range(W.shape[0])]
    if isinstance(outputs, dict):
        nodes = list(dict.fromkeys(lin.state_index.get_level_values("node")))
        rows, cols, vals = [], [], []
        for name, w in outputs.items():
            pos, _ = _select(lin.state_index, "state", [name], "state")
            if not len(pos):
                raise ModelError(f"observation weight for {name!r}: no such state.")
            for k in pos:
                rows.append(nodes.index(lin.state_index[k][0]))
                cols.append(k)
                vals.append(float(w))
        W = sps.csr_matrix((vals, (rows, cols)), shape=(len(nodes), lin.n))
        keep = np.asarray(abs(W).sum(axis=1)).ravel() > 0
        return W[keep], [f"{nd}.signal" for nd, k in zip(nodes, keep) if k]
    names = [outputs] if isinstance(outputs, str) else list(outputs)
    blocks, labels = [], []
    for name in names:
        pos, lab = _select(lin.state_index, "state", [name], "state")
        if len(pos):
            blocks.append(sps.csr_matrix((np.ones(len(pos)), (np.arange(len(pos)), pos)), shape=(len(pos), lin.n)))
            labels += lab
            continue
        pos, lab = _select(lin.output_index, "output", [name], "output")
        if len(pos):
            blocks.append(lin.C[pos])
            labels += lab
            continue
        raise ModelError(f"output {name!r} is neither a state nor a model output.")
    return sps.vstack(blocks).tocsr(), labels


@dataclass
class TransferFunction:
    freqs: np.ndarray          # Hz
    H: np.ndarray              # (n_freq, n_out, n_in) complex
    outputs: list
    inputs: list

    def __repr__(self):
        from ..summary import labels, value_range
        return (f"TransferFunction({len(self.freqs)} frequencies {value_range(self.freqs, 'Hz')}; "
                f"{len(self.outputs)} outputs {labels(self.outputs)} x {len(self.inputs)} inputs "
                f"{labels(self.inputs)}; |H| {value_range(self.H)})")


def _solve_all(lin, Bin, W, s_values, method):
    """H for every s. Without delays one eigendecomposition serves all
    frequencies; with delays each frequency needs its own factorisation of
    sI - J(s), assembled from J0 plus the delayed entries (no sparse products
    per frequency): batched dense LU for small models, sparse LU otherwise."""
    n = lin.n
    Bd, Wd = Bin.toarray(), W.toarray()
    J0, rows, cols, coef, delay = lin.delayed_entries()
    if len(coef) == 0 and method in ("auto", "eig"):
        lam, V = np.linalg.eig(J0.toarray())
        if np.linalg.cond(V) < 1e10:
            WV, ViB = Wd @ V, np.linalg.solve(V, Bd)
            return np.einsum("pk,fk,km->fpm", WV, 1.0 / (s_values[:, None] - lam[None, :]), ViB)
    if method in ("auto", "eig", "blocks"):
        return _solve_blocks(lin, Bin, W, s_values)
    dense = method == "dense"
    H = np.empty((len(s_values), W.shape[0], Bin.shape[1]), dtype=complex)
    if dense:
        J0d = J0.toarray()
        flat = rows * n + cols
        for start in range(0, len(s_values), 64):           # bounded memory: 64 frequencies at a time
            s = s_values[start:start + 64]
            M = np.broadcast_to(-J0d, (len(s), n, n)).astype(complex).reshape(len(s), n * n)
            vals = -coef[None, :] * np.exp(-s[:, None] * delay[None, :])
            for k in range(len(s)):
                M[k] += np.bincount(flat, weights=vals[k].real, minlength=n * n) \
                    + 1j * np.bincount(flat, weights=vals[k].imag, minlength=n * n)
            M = M.reshape(len(s), n, n) + s[:, None, None] * np.eye(n)
            H[start:start + len(s)] = Wd @ np.linalg.solve(M, np.broadcast_to(Bd, (len(s), n, Bd.shape[1])))
        return H
    if method in ("auto", "eig", "woodbury"):
        return _solve_woodbury(lin, Bd, Wd, s_values)
    # sparse: one CSC pattern for J0 + delayed entries; only the data changes per frequency
    pattern = sps.csc_matrix((np.ones(len(coef) + J0.nnz + n),
                              (np.concatenate([rows, J0.tocoo().row, np.arange(n)]),
                               np.concatenate([cols, J0.tocoo().col, np.arange(n)]))), shape=(n, n))
    pattern.sum_duplicates()
    pattern.sort_indices()
    slot = lambda r, c: _slots(pattern, r, c)  # noqa: E731
    coo0 = J0.tocoo()
    s_delay, s_j0, s_diag = slot(rows, cols), slot(coo0.row, coo0.col), slot(np.arange(n), np.arange(n))
    Bc = Bd.astype(complex)
    for k, s in enumerate(s_values):
        data = np.zeros(pattern.nnz, dtype=complex)
        np.add.at(data, s_j0, -coo0.data)
        np.add.at(data, s_delay, -coef * np.exp(-s * delay))
        np.add.at(data, s_diag, s)
        M = sps.csc_matrix((data, pattern.indices, pattern.indptr), shape=(n, n))
        H[k] = Wd @ spla.splu(M).solve(Bc)
    return H


def _solve_blocks(lin, Bin, W, s_values):
    """Compiled block-Woodbury resolvent (see :mod:`.resolvent_kernel`): small
    solves per population instance and one (coupled outputs) x (coupled
    outputs) solve per frequency; only the states that W reads are formed."""
    from .resolvent_kernel import active_coupling, block_structure, resolvent_rows
    D, B, C = lin.D.tocoo(), lin.B.tocoo(), lin.C.tocoo()
    n = lin.n
    src, dst, kb, bcols, kc, crows, us, ys = active_coupling(
        np.asarray(lin.edge_src, dtype=np.int64), np.asarray(lin.edge_dst, dtype=np.int64), B.row, B.col, C.row, C.col)
    Bd = np.ascontiguousarray(Bin.toarray(), dtype=float)
    Wc = W.tocsc()
    rows = np.nonzero(np.diff(Wc.indptr))[0].astype(np.int64)
    blocks = block_structure(D.row, D.col, B.row[kb], bcols, crows, C.col[kc], Bd, n, len(us), len(ys))
    Bfull = np.zeros((n, len(us)))
    np.add.at(Bfull, (B.row[kb], bcols), B.data[kb])
    Cfull = np.zeros((len(ys), n))
    np.add.at(Cfull, (crows, C.col[kc]), C.data[kc])
    Z = resolvent_rows(np.ascontiguousarray(s_values, dtype=complex), np.ascontiguousarray(lin.D.toarray()), *blocks,
                       Bfull, Bd, Cfull, src, dst, np.asarray(lin.edge_gain, dtype=float),
                       np.asarray(lin.edge_delay, dtype=float), rows)
    return Wc[:, rows].toarray() @ Z


def _solve_woodbury(lin, Bd, Wd, s_values):
    """Large networks: the delays live in the small coupling matrix K(s)
    (inputs x outputs), so with G = (sI - D)^-1 (block diagonal: one small
    block per population instance, cheap to factorise)

        (sI - D - B K C)^-1 = G + G B (I - K C G B)^-1 K C G      (Woodbury)

    needs only an n_u x n_u dense solve per frequency besides sparse solves
    with the block-diagonal sI - D."""
    n = lin.n
    D = lin.D.tocsc()
    B, C = lin.B.toarray(), lin.C.tocsr()
    I = sps.identity(n, format="csc")
    H = np.empty((len(s_values), Wd.shape[0], Bd.shape[1]), dtype=complex)
    rhs = np.hstack([B, Bd]).astype(complex)
    nb = B.shape[1]
    for k, s in enumerate(s_values):
        lu = spla.splu((s * I - D).tocsc())
        GX = lu.solve(rhs)
        GB, GBin = GX[:, :nb], GX[:, nb:]
        K = lin.K(s)
        inner = np.eye(nb) - K @ (C @ GB)
        corr = np.linalg.solve(inner, K @ (C @ GBin))
        H[k] = Wd @ (GBin + GB @ corr)
    return H


def _slots(csc, rows, cols):
    """Positions in ``csc.data`` of the entries (rows, cols) (all present in the pattern)."""
    out = np.empty(len(rows), dtype=np.int64)
    for k, (r, c) in enumerate(zip(rows, cols)):
        lo, hi = csc.indptr[c], csc.indptr[c + 1]
        out[k] = lo + np.searchsorted(csc.indices[lo:hi], r)
    return out


def transfer_function(model, freqs_hz, inputs, outputs, x=None, real_shift=0.0, method="auto"):
    """H(f) from ``inputs`` to ``outputs`` at frequencies ``freqs_hz``.

    ``x`` is the expansion point (default: the fixed point); ``model`` may
    also be a :class:`~tcmcompose.analysis.linearise.Linearisation`.
    ``method``: "auto" (one eigendecomposition when there are no delays;
    otherwise "blocks": the compiled block-Woodbury kernel, small solves per
    population instance and one outputs x outputs system per frequency),
    "dense" (batched dense LU), "sparse" (sparse LU per frequency),
    "woodbury" (the same identity with sparse LU, in Python) or "eig".
    """
    lin = model if hasattr(model, "delay_groups") else linearise(model, x)
    freqs = np.atleast_1d(np.asarray(freqs_hz, dtype=float))
    Bin, in_labels = input_matrix(lin, inputs)
    W, out_labels = observation_matrix(lin, outputs)
    s = real_shift + 2j * np.pi * freqs / 1000.0
    return TransferFunction(freqs, _solve_all(lin, Bin, W, s, method), out_labels, in_labels)


@dataclass
class CrossSpectrum:
    """One-sided cross-spectral density per Hz: ``values[f, i, j]``."""
    freqs: np.ndarray
    values: np.ndarray
    channels: list

    def __repr__(self):
        from ..summary import labels, value_range
        auto = np.real(np.einsum("fii->fi", self.values)) if self.values.ndim == 3 else self.values
        peak = self.freqs[np.argmax(auto.mean(axis=1))] if auto.size else float("nan")
        return (f"CrossSpectrum({len(self.freqs)} frequencies {value_range(self.freqs, 'Hz')}; "
                f"{len(self.channels)} channels {labels(self.channels)}; power {value_range(auto)} per Hz, "
                f"mean peak at {peak:g} Hz)")

    def psd(self):
        """Auto-spectra as a DataFrame (frequency x channel)."""
        d = np.real(np.einsum("fii->fi", self.values))
        return pd.DataFrame(d, index=pd.Index(self.freqs, name="freq_hz"), columns=self.channels)

    def to_dataframe(self):
        f, i, j = np.meshgrid(np.arange(len(self.freqs)), np.arange(len(self.channels)),
                              np.arange(len(self.channels)), indexing="ij")
        return pd.DataFrame({"freq_hz": self.freqs[f.ravel()],
                             "channel_i": np.asarray(self.channels, dtype=object)[i.ravel()],
                             "channel_j": np.asarray(self.channels, dtype=object)[j.ravel()],
                             "value": self.values.ravel()})


def predict_csd(model, freqs_hz, inputs, outputs, input_spectrum=1.0, alpha=0.0, x=None,
                channel_noise=0.0, channel_alpha=0.0, method="auto", stability="warn"):
    r"""Predicted cross-spectral density of ``outputs`` driven by ``inputs``.

    ``input_spectrum``: white-noise intensity per ms (scalar, one per input,
    or an (m, m) covariance), multiplied by (f / 1 Hz)^(-alpha) for 1/f^alpha
    input; or an (F, m) / (F, m, m) array of per-frequency values (a user or
    Ornstein-Uhlenbeck spectrum: an OU input :math:`du = -u/	au\,dt + \sigma dW`
    has intensity :math:`\sigma^2 / (1/	au^2 + \omega^2)`, :math:`\omega = 2\pi f/1000`).
    Noise convention: a state with ``Mass(noise={"X": sigma})`` follows
    :math:`dX = f\,dt + \sigma\,dW` (W in ms); give ``inputs="label.X"`` and
    ``input_spectrum=sigma**2`` to predict its simulation, as
    :math:`G(f) = (2/1000)\,H \Sigma H^H` per Hz, one-sided.
    ``channel_noise`` (scalar or per channel) adds independent
    measurement noise with spectrum channel_noise * f^(-channel_alpha) per Hz.
    ``stability``: "warn" (default) or "error" when the expansion point is
    unstable (a characteristic root, tracked with delays from the rightmost
    delay-free eigenvalues, has a positive real part; checked for models up to
    300 states): the linear spectrum is then not a stationary spectrum.
    None skips the check.
    Returns a :class:`CrossSpectrum` (one-sided, per Hz: comparable with
    ``scipy.signal.welch`` of a simulation in ms).
    """
    lin = model if hasattr(model, "delay_groups") else linearise(model, x)
    if stability is not None and lin.n <= 300:
        root = lin.rightmost_root()
        if root.real > 0:
            msg = (f"predict_csd: the expansion point is unstable (characteristic root {root.real * 1000:.3g} "
                   f"{root.imag * 1000:+.3g}i per s, tracked with delays); the linear spectrum is not the "
                   "stationary spectrum of a simulation.")
            if stability == "error":
                raise ModelError(msg)
            import warnings
            warnings.warn(msg, RuntimeWarning, stacklevel=2)
    tf = transfer_function(lin, freqs_hz, inputs, outputs, method=method)
    m = tf.H.shape[2]
    nf = len(tf.freqs)
    S = np.asarray(input_spectrum, dtype=float)
    if S.ndim == 2 and S.shape == (nf, m) and (nf, m) != (m, m):
        S = S[:, :, None] * np.eye(m)[None]            # per-frequency intensities, independent inputs
    elif S.ndim < 2 or (S.ndim == 1 and S.shape == (m,)):
        S = np.eye(m) * S
    if S.shape not in ((m, m), (nf, m, m)):
        raise ModelError(f"input_spectrum has shape {S.shape}; give a scalar, {m} values, an ({m}, {m}) matrix, "
                         f"or per frequency an ({nf}, {m}) or ({nf}, {m}, {m}) array.")
    f = tf.freqs
    scale = np.where(f > 0, np.abs(f), 1.0) ** (-float(alpha))
    # H S H^H as two matrix products (a three-operand einsum costs F p^2 m^2)
    G = (2.0 / 1000.0) * ((tf.H @ S) @ np.conj(np.transpose(tf.H, (0, 2, 1)))) * scale[:, None, None]
    noise = np.broadcast_to(np.asarray(channel_noise, dtype=float), (G.shape[1],))
    if np.any(noise):
        nscale = np.where(f > 0, np.abs(f), 1.0) ** (-float(channel_alpha))
        G = G + np.einsum("f,i,ij->fij", nscale, noise, np.eye(G.shape[1]))
    return CrossSpectrum(f, G, tf.outputs)
