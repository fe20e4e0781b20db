"""Weight and delay matrices in model files: inline, by file, or from a built-in connectome.

In a file a matrix is a list of rows (row = target node, column = source),
``{file: W.npy}`` / ``{file: W.csv}`` (relative to the model file), or
``{connectome: {name: generated, n_regions: 76, seed: 0}, field: weights}``
(``field: delays`` with ``speed`` in mm/ms gives lengths / speed in ms);
``scale`` multiplies any of them.
"""
from pathlib import Path

import numpy as np

from ..errors import ModelError

#: matrices up to this many entries are written inline; larger ones to a .npy beside the file
INLINE_MAX = 400


def write_matrix(M, path, stem):
    """A file entry for matrix ``M``: inline rows, or a ``.npy`` beside ``path`` (named ``stem``)."""
    M = np.asarray(M, dtype=float)
    if path is None or M.size <= INLINE_MAX:
        return [[float(v) for v in row] for row in M]
    base = Path(path)
    target = base.with_name(f"{base.stem}.{stem}.npy")
    np.save(target, M)
    return {"file": target.name}


def read_matrix(spec, n, base_dir, where, cache):
    """The (n, n) array a file entry describes; ``where`` names it in errors."""
    if isinstance(spec, list):
        M = np.array(spec, dtype=float) if spec else np.zeros((0, 0))
    elif spec.file is not None:
        if spec.connectome is not None:
            raise ModelError(f"{where}: give either file: or connectome:, not both.")
        p = Path(spec.file)
        p = p if p.is_absolute() else Path(base_dir) / p
        if not p.exists():
            raise ModelError(f"{where}: matrix file {str(p)!r} does not exist; paths are relative to the model file.")
        if p.suffix == ".npy":
            M = np.load(p, allow_pickle=False)
        elif p.suffix in (".csv", ".txt"):
            M = np.loadtxt(p, delimiter="," if p.suffix == ".csv" else None, ndmin=2)
        else:
            raise ModelError(f"{where}: matrix file {p.name!r} must be .npy, .csv or .txt.")
        M = np.asarray(M, dtype=float) * spec.scale
    elif spec.connectome is not None:
        from ..datasets import connectome
        options = spec.connectome.model_dump()
        key = repr(sorted(options.items()))
        if key not in cache:
            name = options.pop("name")
            cache[key] = connectome(name, **options)
        conn = cache[key]
        M = {"weights": conn.weights, "lengths": conn.lengths}.get(spec.field)
        if spec.field == "delays":
            M = conn.delays(spec.speed)
        M = np.asarray(M, dtype=float) * spec.scale
    else:
        raise ModelError(f"{where}: a matrix is a list of rows, {{file: ...}} or {{connectome: ...}}.")
    if n is None:                 # not a square network matrix (a table's values): any shape
        return M
    if M.shape != (n, n):
        raise ModelError(f"{where}: matrix has shape {M.shape}, the network has {n} nodes; give a "
                         f"{n} x {n} matrix (rows = targets, columns = sources).")
    return M
