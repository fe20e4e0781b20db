"""Start Numba without importing ``scipy.linalg``.

Numba initialises itself on the first kernel it compiles or loads from its
cache. Part of that is importing ``numba.np.arraymath``, which checks that
SciPy's BLAS is there with ``import scipy.linalg.cython_blas``; that import
runs ``scipy.linalg/__init__`` and everything it imports (0.2-0.3 s, most of a
warm first run: measured 0.41 -> 0.19 s for a bare cached Numba function),
although no kernel of tcmcompose calls BLAS.

:func:`start` answers that check with a placeholder module when SciPy's
``cython_blas`` extension is on disk (so the answer, "BLAS is available", is
the true one), and removes the placeholder at once: a later real import (a
user's ``np.dot`` in a jitted function, ``scipy.linalg`` itself) loads the real
module as usual. Without SciPy, or once ``scipy.linalg`` or Numba's array
maths are imported, it does nothing.
"""
import importlib.util
import sys
import types
from pathlib import Path

_BLAS = "scipy.linalg.cython_blas"


def _scipy_blas_on_disk():
    """SciPy's cython_blas extension exists (found without importing scipy.linalg)."""
    try:
        spec = importlib.util.find_spec("scipy")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    return any(any(Path(p, "linalg").glob("cython_blas.*")) for p in spec.submodule_search_locations
               if Path(p, "linalg").is_dir())


def start():
    """Import ``numba.np.arraymath`` (once per process) with its BLAS check
    answered without importing ``scipy.linalg``."""
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules or _BLAS in sys.modules:
        return
    if not _scipy_blas_on_disk():
        return
    placeholder = types.ModuleType(_BLAS)
    sys.modules[_BLAS] = placeholder
    try:
        import numba.np.arraymath  # noqa: F401  (its _HAVE_BLAS check imports _BLAS)
    finally:
        if sys.modules.get(_BLAS) is placeholder:
            del sys.modules[_BLAS]
