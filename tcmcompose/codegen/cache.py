"""On-disk cache of generated modules, which heals itself.

Each distinct structure (the ordered list of distinct masses; for a small
model also its instances and local connections, see :mod:`.unroll`) becomes one
``.py`` file named by a hash of the structure and of the code generator
itself. The file is imported by path and registered in ``sys.modules`` so
that Numba's own cache (``cache=True``, stored beside it in
``__pycache__``) reloads the compiled kernels in a new process; its Python
byte code is kept there too (``<module>.<interpreter tag>.code``, headed by
the SHA-256 of the text it was compiled from, see :func:`_code`).

Safety rules:

* every module ends with a seal line written last, holding the package
  version, the structure key and the SHA-256 of the text above it; a module
  that is empty, truncated, garbled or from another version fails the check
  and is discarded and regenerated (with one warning), as are Numba cache
  entries (``.nbi``/``.nbc``) that are not complete pickles;
* files are written to a temporary name and renamed, so no reader ever sees
  half a file;
* one process at a time generates and compiles a given structure: a lock
  file beside the module (``fcntl``/``msvcrt`` lock, released by the system
  if the holder dies) makes the others wait, then load what it compiled;
* an unwritable cache folder falls back, with a warning, to a private
  temporary folder; ``$TCMCOMPOSE_CACHE`` naming a file is an error.

:func:`info` and :func:`clear` (also ``tc.cache.info()`` / ``tc.cache.clear()``)
report and empty the folder; past ``$TCMCOMPOSE_CACHE_LIMIT`` bytes (default
2 GB) a cold build warns that the cache is large.
"""
import contextlib
import hashlib
import importlib.util
import io
import marshal
import os
import pickletools
import sys
import tempfile
import threading
import warnings
from pathlib import Path

from .. import numba_start
from ..errors import ModelError
from .description import from_module
from .generate import generate_source

_HERE = Path(__file__).resolve().parent
_GENERATOR_FILES = [_HERE / "generate.py", _HERE / "printer.py", _HERE / "unroll.py", _HERE / "description.py",
                    # a package kernel the generated ones call (Numba's cache of a generated
                    # module does not notice when a called module changes)
                    _HERE.parent / "masses" / "table_kernel.py"]


PREFIX = "tcmcompose_generated_"
_SEAL = "# tcmcompose-module-end"
#: default size (bytes) past which a cold build warns that the cache is large
DEFAULT_LIMIT = 2 * 10 ** 9

_fallback = {}          # unwritable folder -> private temporary folder used instead
_checked = {}           # folder -> writable (probed once per process)
_warned_size = set()


def cache_dir():
    """The folder for generated modules: ``$TCMCOMPOSE_CACHE`` or the user cache dir.

    An unwritable folder is replaced (with a warning, once per process) by a
    private temporary folder; a path that names an existing file is an error.
    """
    env = os.environ.get("TCMCOMPOSE_CACHE")
    if env:
        path = Path(env).expanduser()
    else:
        import platformdirs
        path = Path(platformdirs.user_cache_dir("tcmcompose"))
    if path in _fallback:
        return _fallback[path]
    if _checked.get(path) and path.is_dir():      # (re-checked if the folder was removed meanwhile)
        return path
    if path.exists() and not path.is_dir():
        where = f"TCMCOMPOSE_CACHE={env!r}" if env else f"the cache folder {str(path)!r}"
        raise ModelError(f"{where} is a file, not a folder; point TCMCOMPOSE_CACHE at a folder "
                         "(it is created if missing) or unset it to use the user cache folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        private = Path(tempfile.mkdtemp(prefix="tcmcompose-cache-"))
        _fallback[path] = private
        warnings.warn(f"cannot write the tcmcompose cache folder {str(path)!r} ({exc.strerror or exc}); "
                      f"using a private temporary folder {str(private)!r} for this process instead, so "
                      "compiled kernels will not be reused by other processes. Set TCMCOMPOSE_CACHE to a "
                      "writable folder to keep them.", stacklevel=_user_level())
        return private
    _checked[path] = True
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
    """Return (module, path, cold, description) for the structure of ``masses``
    (and, for a small model, its :class:`~tcmcompose.codegen.unroll.UnrollPlan`).

    ``cold`` is True when this call generated the source; ``description`` is
    the :class:`~.description.KernelDescription` the generator returned, or,
    for a module from the cache, the one its text stores. A broken module or
    Numba cache entry is discarded and rebuilt, with one warning.
    """
    key = structure_key(masses, version, unroll_plan)
    made = []

    def make_source():
        source, description = generate_source(masses, version, unroll_plan)
        made.append(description)
        return source

    module, path, cold = load_generated(key, make_source, version)
    return module, path, cold, (made[0] if made else from_module(module))


def load_generated(key, make_source, version):
    """Return (module, path, cold) for the generated module named by ``key``;
    ``make_source()`` writes its text when it is not on disk (sealed, locked
    and checked as every module here)."""
    name = PREFIX + key
    folder = cache_dir()
    path = folder / f"{name}.py"
    if name in sys.modules:            # loaded before, perhaps from another cache folder
        module = sys.modules[name]
        return module, Path(module.__file__), False
    with structure_lock(path):
        text = _read_sealed(path, version, key)
        cold = text is None
        if cold:
            text = _seal(make_source(), version, key)
            _write_atomic(path, text)
            _warn_if_large(folder)
        else:
            _check_numba_entries(folder, name)
        if name in sys.modules:          # another thread loaded it while we waited
            return sys.modules[name], Path(sys.modules[name].__file__), cold
        return _import(name, path, text), path, cold


@contextlib.contextmanager
def building(masses, version, unroll_plan=None):
    """``with building(...) as (module, path, cold, description):`` load the module (see
    :func:`load_module`) and keep
    its structure locked for the block, so that the first compilation of its
    kernels (the warm-up) happens in one process while the others wait and
    then load the compiled kernels from Numba's cache."""
    path = cache_dir() / f"{PREFIX}{structure_key(masses, version, unroll_plan)}.py"
    with structure_lock(path):
        yield load_module(masses, version, unroll_plan)


# ------------------------------------------------------------------ sealing
def _seal(source, version, key):
    digest = hashlib.sha256(source.encode()).hexdigest()
    if not source.endswith("\n"):
        source += "\n"
    return f"{source}{_SEAL} version={version} key={key} sha256={digest}\n"


def _read_sealed(path, version, key):
    """The module text if ``path`` holds a complete module of this version and
    key; None if it is missing; a broken one is removed (with a warning)."""
    try:
        text = path.read_bytes().decode()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return _discard(path, f"it cannot be read ({exc})")
    body, _, last = text.rstrip("\n").rpartition("\n")
    if not last.startswith(_SEAL):
        return _discard(path, "it is empty, truncated or not a tcmcompose module (no seal line at its end)")
    fields = dict(f.split("=", 1) for f in last[len(_SEAL):].split() if "=" in f)
    if fields.get("version") != version or fields.get("key") != key:
        return _discard(path, f"it was made by tcmcompose {fields.get('version')!r} for key "
                              f"{fields.get('key')!r}, not {version!r} / {key!r}")
    if hashlib.sha256((body + "\n").encode()).hexdigest() != fields.get("sha256"):
        return _discard(path, "its content does not match its checksum (damaged file)")
    return text


def _user_level():
    """``stacklevel`` that makes a warning point at the first caller outside
    tcmcompose (and contextlib), for the function that calls this one."""
    package = str(Path(__file__).resolve().parents[1])
    frame, level = sys._getframe(1), 1
    while frame is not None and (frame.f_code.co_filename.startswith(package)
                                 or frame.f_code.co_filename.endswith("contextlib.py")):
        frame, level = frame.f_back, level + 1
    return level


def _discard(path, why):
    warnings.warn(f"tcmcompose cache: discarding {path.name} because {why}; regenerating it "
                  "(and recompiling its kernels).", stacklevel=_user_level())
    _purge_numba(path.parent, path.stem)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return None


def _write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _import(name, path, text):
    """Execute the checked text as module ``name`` with ``__file__`` = path
    (Numba's cache keys on that file), from its byte code when
    :func:`_code` has it."""
    numba_start.start()                     # (before its kernels first initialise Numba)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__tcmcompose_source__ = text     # what was executed, even if the file is removed later
    sys.modules[name] = module
    try:
        exec(_code(path, text), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _code(path, text):
    """The compiled ``text``: Python compiles a generated module in 15-40 ms
    (a TCM column's 100 KB), every process that loads it; so the code object
    is kept in ``__pycache__/<module>.<interpreter>.code`` beside Numba's
    entries (removed with them), headed by the SHA-256 of the text it was
    compiled from, and used only when that matches (0.2 ms to load)."""
    digest = hashlib.sha256(text.encode()).digest()
    sidecar = path.parent / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.code"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = sidecar.read_bytes()
        if data[:32] == digest:
            return marshal.loads(data[32:])
    code = compile(text, str(path), "exec")
    with contextlib.suppress(OSError):
        sidecar.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=sidecar.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(digest + marshal.dumps(code))
            os.replace(tmp, sidecar)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return code


# ------------------------------------------------------------ Numba entries
def _numba_entries(folder, name):
    pyc = folder / "__pycache__"
    if not pyc.is_dir():
        return []
    return [p for p in pyc.iterdir() if p.name.startswith(name + ".")]


def _complete_pickles(path):
    """True if the file is one (``.nbc``) or two (``.nbi``: version, then
    index) complete pickles and nothing else; read without executing anything."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    stream = io.BytesIO(data)
    try:
        for _ in range(2 if path.suffix == ".nbi" else 1):
            last = None
            for last in pickletools.genops(stream):
                pass
            if last is None or last[0].name != "STOP":
                return False
    except Exception:                    # truncated or garbage opcodes
        return False
    return stream.tell() == len(data)


def _check_numba_entries(folder, name):
    bad = [p.name for p in _numba_entries(folder, name)
           if p.suffix in (".nbi", ".nbc") and not _complete_pickles(p)]
    if bad:
        warnings.warn(f"tcmcompose cache: Numba cache entr{'y' if len(bad) == 1 else 'ies'} {bad[:3]} of "
                      f"{name} {'is' if len(bad) == 1 else 'are'} damaged; discarding that module's compiled "
                      "kernels and recompiling them.", stacklevel=_user_level())
        _purge_numba(folder, name)


def _purge_numba(folder, name):
    for p in _numba_entries(folder, name):
        with contextlib.suppress(OSError):
            p.unlink()


# ------------------------------------------------------------------ locking
_locks = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def structure_lock(path):
    """Hold the lock of one structure's module (``<module>.lock`` beside it).

    Across processes an OS file lock; within a process a re-entrant lock per
    path, so nested holders (build, then load_module) and several threads
    work. Whoever waited finds the module and its Numba entries written.
    """
    lock_path = str(Path(path).with_suffix(".lock"))
    with _locks_guard:
        entry = _locks.setdefault(lock_path, [threading.RLock(), None, 0])
    with entry[0]:
        if entry[2] == 0:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                _os_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            entry[1] = fd
        entry[2] += 1
        try:
            yield
        finally:
            entry[2] -= 1
            if entry[2] == 0:
                fd, entry[1] = entry[1], None
                _os_unlock(fd)
                os.close(fd)


try:
    import fcntl

    def _os_lock(fd):
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _os_unlock(fd):
        fcntl.flock(fd, fcntl.LOCK_UN)
except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _os_lock(fd):
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)      # retries for 10 s, then raises
                return
            except OSError:
                continue

    def _os_unlock(fd):
        os.lseek(fd, 0, 0)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


# ---------------------------------------------------------------- info/clear
def _files(folder):
    files = [p for p in folder.iterdir() if p.name.startswith(PREFIX) or p.name.startswith("." + PREFIX)]
    pyc = folder / "__pycache__"
    if pyc.is_dir():
        files += [p for p in pyc.iterdir() if p.name.startswith(PREFIX)]
    return files


def _size(nbytes):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024


def info():
    """The cache folder, its number of generated modules and their size on disk
    (sources and Numba's compiled kernels), as a dict."""
    folder = cache_dir()
    files = _files(folder)
    nbytes = 0
    for p in files:
        with contextlib.suppress(OSError):
            nbytes += p.stat().st_size
    modules = sum(1 for p in files if p.parent == folder and p.suffix == ".py")
    return {"folder": str(folder), "modules": modules, "bytes": nbytes, "size": _size(nbytes),
            "limit_bytes": _limit()}


def clear():
    """Delete the generated modules and their compiled kernels; returns the
    number of files removed. Modules loaded in this process keep their
    source file (their kernels may still compile new signatures); they are
    regenerated on demand in other processes."""
    folder = cache_dir()
    loaded = {name for name in sys.modules if name.startswith(PREFIX)}
    removed = 0
    for p in _files(folder):
        if p.parent == folder and p.suffix == ".py" and p.stem in loaded:
            continue
        with contextlib.suppress(OSError):
            p.unlink()
            removed += 1
    return removed


def _limit():
    env = os.environ.get("TCMCOMPOSE_CACHE_LIMIT")
    try:
        return int(float(env)) if env else DEFAULT_LIMIT
    except ValueError:
        raise ModelError(f"TCMCOMPOSE_CACHE_LIMIT={env!r}: give a size in bytes, e.g. 2e9.") from None


def _warn_if_large(folder):
    if folder in _warned_size:
        return
    state = info()
    if state["bytes"] > state["limit_bytes"]:
        _warned_size.add(folder)
        warnings.warn(f"the tcmcompose cache {state['folder']!r} holds {state['modules']} modules, "
                      f"{state['size']} (more than TCMCOMPOSE_CACHE_LIMIT = {state['limit_bytes']:.3g} bytes); "
                      "tc.cache.clear() (or `tcmcompose cache clear`) empties it.", ResourceWarning, stacklevel=_user_level())
