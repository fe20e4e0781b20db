"""On-disk cache of generated modules.

Each distinct structure (the ordered list of distinct masses; for a small
model also its instances and local connections, see :mod:`.unroll`) becomes one
``.py`` file named by a hash of the structure and of the code generator
itself. The file is imported by path and registered in ``sys.modules`` so
that Numba's own cache (``cache=True``, stored beside it in
``__pycache__``) reloads the compiled kernels in a new process. Files are
written atomically, so parallel workers building the same model are safe.
"""
import hashlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from .generate import generate_source

_HERE = Path(__file__).resolve().parent
_GENERATOR_FILES = [_HERE / "generate.py", _HERE / "printer.py", _HERE / "unroll.py",
                    _HERE.parent / "integrate" / "loop_template.py",
                    _HERE.parent / "masses" / "table_kernel.py"]


def cache_dir():
    """The folder for generated modules: ``$TCMCOMPOSE_CACHE`` or the user cache dir."""
    path = os.environ.get("TCMCOMPOSE_CACHE")
    if not path:
        import platformdirs
        path = platformdirs.user_cache_dir("tcmcompose")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def structure_key(masses, version, unroll_plan=None):
    h = hashlib.sha256(version.encode())
    for f in _GENERATOR_FILES:
        h.update(f.read_bytes())
    for m in masses:
        h.update(m.signature().encode())
    if unroll_plan is not None:        # a small model's instances and local connections
        h.update(repr(unroll_plan).encode())
    return h.hexdigest()[:20]


def load_module(masses, version, unroll_plan=None):
    """Return (module, path, cold) for the structure of ``masses`` (and, for a
    small model, its :class:`~tcmcompose.codegen.unroll.UnrollPlan`)."""
    key = structure_key(masses, version, unroll_plan)
    name = f"tcmcompose_generated_{key}"
    folder = cache_dir()
    path = folder / f"{name}.py"
    cold = not path.exists()
    if cold:
        source = generate_source(masses, version, unroll_plan)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    if name in sys.modules:
        return sys.modules[name], path, cold
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[name]
        raise
    return module, path, cold
