r"""Compiled resolvent of a delayed linear network, frequency by frequency.

For :math:`M(s) = sI - D - B K(s) C` with :math:`D` block diagonal (one
small block per population instance) and :math:`K(s)_{u,y} = \sum_e g_e
e^{-s d_e}` the coupling of outputs into inputs, the Woodbury identity in
output space gives

.. math::  M^{-1} B_{in} = A^{-1}B_{in} + A^{-1} B K\,(I - C A^{-1} B K)^{-1}\, C A^{-1} B_{in},
           \qquad A = sI - D,

so each frequency costs small block solves and one (outputs x outputs)
solve instead of a dense n x n factorisation (Woodbury 1950; the same
partitioning as the transfer functions of DCM for CSD, Moran et al. 2009).
"""
import numpy as np
from numba import njit


@njit(cache=True)
def _solve_small(A, X):
    """Solve A Y = X in place (Y written to X) by Gaussian elimination with partial pivoting."""
    k = A.shape[0]
    c = X.shape[1]
    for j in range(k):
        p = j
        best = abs(A[j, j])
        for i in range(j + 1, k):
            if abs(A[i, j]) > best:
                best = abs(A[i, j])
                p = i
        if p != j:
            for q in range(k):
                A[j, q], A[p, q] = A[p, q], A[j, q]
            for q in range(c):
                X[j, q], X[p, q] = X[p, q], X[j, q]
        piv = A[j, j]
        for i in range(j + 1, k):
            fct = A[i, j] / piv
            if fct != 0:
                for q in range(j + 1, k):
                    A[i, q] -= fct * A[j, q]
                for q in range(c):
                    X[i, q] -= fct * X[j, q]
    for j in range(k - 1, -1, -1):
        for q in range(c):
            acc = X[j, q]
            for i in range(j + 1, k):
                acc -= A[j, i] * X[i, q]
            X[j, q] = acc / A[j, j]


@njit(cache=True)
def _dot(A, B):
    """A @ B: plain loops for small products (a BLAS call this small costs more than
    its arithmetic when the library's threads must be woken on a busy machine), BLAS
    above about 10^5 multiply-adds."""
    n, k = A.shape
    m = B.shape[1]
    if n * k * m > 100_000:
        return np.dot(np.ascontiguousarray(A), np.ascontiguousarray(B))
    out = np.zeros((n, m), dtype=np.complex128)
    for i in range(n):
        for q in range(k):
            a = A[i, q]
            if a != 0:
                for j in range(m):
                    out[i, j] += a * B[q, j]
    return out


@njit(cache=True)
def resolvent_rows(s, D, blk_ptr, blk_states, col_ptr, blk_cols, out_ptr, blk_outs, bin_ptr, blk_bins,
                   Bfull, Bin, Cfull, e_src, e_dst, e_gain, e_delay, rows):
    """Rows ``rows`` of (sI - D - B K(s) C)^-1 B_in for every s: (F, len(rows), m) complex.

    Blocks b (states ``blk_states[blk_ptr[b]:blk_ptr[b+1]]``) list the columns
    of B (``blk_cols``), of B_in (``blk_bins``) and the outputs (``blk_outs``)
    that touch them; everything else is zero by structure."""
    F = s.shape[0]
    n = D.shape[0]
    nu = Bfull.shape[1]
    ny = Cfull.shape[0]
    m = Bin.shape[1]
    nr = rows.shape[0]
    ne = e_src.shape[0]
    nblk = blk_ptr.shape[0] - 1
    kmax, cmax = 1, 1
    for b in range(nblk):
        kmax = max(kmax, blk_ptr[b + 1] - blk_ptr[b])
        cmax = max(cmax, col_ptr[b + 1] - col_ptr[b] + bin_ptr[b + 1] - bin_ptr[b])
    out = np.empty((F, nr, m), dtype=np.complex128)
    GB = np.zeros((n, nu), dtype=np.complex128)
    GBin = np.zeros((n, m), dtype=np.complex128)
    CGB = np.zeros((ny, nu), dtype=np.complex128)
    CGBin = np.zeros((ny, m), dtype=np.complex128)
    Abuf = np.empty((kmax, kmax), dtype=np.complex128)
    Xbuf = np.empty((kmax, cmax), dtype=np.complex128)
    K = np.zeros((nu, ny), dtype=np.complex128)
    GBr = np.zeros((nr, nu), dtype=np.complex128)
    # product order of (A^-1 B)[rows] K corr by operation count
    left_first = nr * ny * (nu + m) <= nu * m * (ny + nr)
    for f in range(F):
        sf = s[f]
        CGB[:, :] = 0.0
        CGBin[:, :] = 0.0
        for b in range(nblk):
            st = blk_states[blk_ptr[b]:blk_ptr[b + 1]]
            cl = blk_cols[col_ptr[b]:col_ptr[b + 1]]
            bc = blk_bins[bin_ptr[b]:bin_ptr[b + 1]]
            ou = blk_outs[out_ptr[b]:out_ptr[b + 1]]
            k = st.shape[0]
            nc = cl.shape[0]
            nb = bc.shape[0]
            A = Abuf[:k, :k]
            X = Xbuf[:k, :nc + nb]
            for i in range(k):
                for j in range(k):
                    A[i, j] = -D[st[i], st[j]]
                A[i, i] += sf
                for j in range(nc):
                    X[i, j] = Bfull[st[i], cl[j]]
                for j in range(nb):
                    X[i, nc + j] = Bin[st[i], bc[j]]
            _solve_small(A, X)
            for i in range(k):
                for j in range(nc):
                    GB[st[i], cl[j]] = X[i, j]
                for j in range(nb):
                    GBin[st[i], bc[j]] = X[i, nc + j]
            for yi in range(ou.shape[0]):
                y = ou[yi]
                for i in range(k):
                    cv = Cfull[y, st[i]]
                    if cv != 0.0:
                        for j in range(nc):
                            CGB[y, cl[j]] += cv * X[i, j]
                        for j in range(nb):
                            CGBin[y, bc[j]] += cv * X[i, nc + j]
        # K(s) dense (inputs x outputs); inner = I - C A^-1 B K and T = (A^-1 B)[rows] K by BLAS
        K[:, :] = 0.0
        for e in range(ne):
            K[e_dst[e], e_src[e]] += e_gain[e] * np.exp(-sf * e_delay[e])
        inner = -_dot(CGB, K)
        for i in range(ny):
            inner[i, i] += 1.0
        for i in range(nr):
            GBr[i, :] = GB[rows[i], :]
        if ny <= 24:
            _solve_small(inner, CGBin)              # CGBin <- (I - CGB K)^-1 C A^-1 B_in
            corr = CGBin
        else:
            corr = np.ascontiguousarray(np.linalg.solve(inner, CGBin))
        if left_first:                              # (A^-1 B)[rows] K, then times corr
            res = _dot(_dot(GBr, K), corr)
        else:                                       # K corr first: fewer products for many rows
            res = _dot(GBr, _dot(K, corr))
        for i in range(nr):
            for j in range(m):
                out[f, i, j] = GBin[rows[i], j] + res[i, j]
    return out


def block_structure(d_rows, d_cols, b_rows, b_cols, c_rows, c_cols, bin_matrix, n, n_u, n_y):
    """CSR-style block arrays for :func:`resolvent_rows`: blocks are the connected
    components of D's pattern (one population instance each)."""
    import scipy.sparse as sps
    from scipy.sparse.csgraph import connected_components
    pat = sps.csr_matrix((np.ones(len(d_rows)), (d_rows, d_cols)), shape=(n, n))
    n_comp, label = connected_components(pat + pat.T + sps.identity(n), directed=False)
    order = np.argsort(label, kind="stable")
    blocks = np.split(order, np.cumsum(np.bincount(label, minlength=n_comp))[:-1])
    Bpat = sps.csr_matrix((np.ones(len(b_rows)), (b_rows, b_cols)), shape=(n, n_u))
    Cpat = sps.csc_matrix((np.ones(len(c_rows)), (c_rows, c_cols)), shape=(n_y, n))
    Binp = sps.csr_matrix(bin_matrix != 0)
    cols = [np.unique(Bpat[b].indices) for b in blocks]
    outs = [np.unique(Cpat[:, b].indices) for b in blocks]
    bins = [np.unique(Binp[b].indices) for b in blocks]
    ptr = lambda arrs: np.concatenate([[0], np.cumsum([len(a) for a in arrs])]).astype(np.int64)  # noqa: E731
    flat = lambda arrs: np.concatenate(arrs).astype(np.int64) if arrs else np.zeros(0, np.int64)  # noqa: E731
    return (ptr(blocks), flat(blocks), ptr(cols), flat(cols), ptr(outs), flat(outs), ptr(bins), flat(bins))


def active_coupling(e_src, e_dst, b_rows, b_cols, c_rows, c_cols):
    """Keep only the outputs and inputs that edges use (the Woodbury inner system is
    outputs x outputs, so unused outputs and ports would only add cost). Returns the
    remapped edge ends and B/C patterns, and the kept input and output indices."""
    ys, y_new = np.unique(e_src, return_inverse=True)
    us, u_new = np.unique(e_dst, return_inverse=True)
    ymap = np.full(int(max(c_rows.max(initial=-1), ys.max(initial=-1))) + 1, -1, dtype=np.int64)
    ymap[ys] = np.arange(len(ys))
    umap = np.full(int(max(b_cols.max(initial=-1), us.max(initial=-1))) + 1, -1, dtype=np.int64)
    umap[us] = np.arange(len(us))
    kb = umap[b_cols] >= 0 if len(b_cols) else np.zeros(0, bool)
    kc = ymap[c_rows] >= 0 if len(c_rows) else np.zeros(0, bool)
    return (y_new.astype(np.int64), u_new.astype(np.int64), kb, umap[b_cols[kb]], kc, ymap[c_rows[kc]], us, ys)
