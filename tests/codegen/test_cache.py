"""The generated-code cache heals itself: real files, real faults, real processes.

Most cases only generate and import modules (no Numba compilation); the
Numba-entry and concurrency cases compile one small kernel of a module
(``noise_sigma``, empty for these masses), which is enough to write and read real ``.nbi``/``.nbc`` files.
"""
import os
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose import ModelError
from tcmcompose.codegen import cache

VERSION = tc.__version__


def fresh_mass(tag=None):
    """A mass of a structure no other test uses (the name is part of the key)."""
    tag = tag or uuid.uuid4().hex[:8]
    return tc.Mass(f"cache_{tag}", states={"x": 1.0}, params={"tau": 5.0}, inputs=["u"],
                   outputs={"x": "x"}, equations={"x": "-x/tau + u"})


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def small(module):
    """Compile (or load) and run the module's ``noise_sigma`` kernel on an empty layout (no work)."""
    module.noise_sigma(0.0, np.zeros(1), np.zeros(4), np.zeros(1), np.zeros((1, 16), dtype=np.int64))


def load(mass):
    return cache.load_module([mass], VERSION)[:3]


def forget(module):
    del sys.modules[module.__name__]


def test_module_is_sealed_and_reloaded_warm(folder):
    m = fresh_mass()
    module, path, cold = load(m)
    assert cold and path.parent == folder
    last = path.read_text().rstrip("\n").rsplit("\n", 1)[1]
    assert last.startswith("# tcmcompose-module-end") and f"version={VERSION}" in last
    forget(module)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again, _, cold = load(m)
    assert not cold and again is not module and hasattr(again, "outputs")


def test_byte_code_is_kept_and_used_only_for_its_own_text(folder, monkeypatch):
    """The module's compiled code sits in __pycache__, headed by its text's SHA-256:
    a warm load executes it instead of compiling; a stale or damaged one is
    recompiled (and rewritten), never executed."""
    m = fresh_mass()
    module, path, _ = load(m)
    sidecar = folder / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.code"
    assert sidecar.read_bytes()[:32] == __import__("hashlib").sha256(path.read_text().encode()).digest()
    compiled = []
    real_compile = compile
    monkeypatch.setattr(cache, "compile", lambda *a: compiled.append(a[1]) or real_compile(*a), raising=False)
    forget(module)
    again, _, cold = load(m)
    assert not cold and compiled == [] and again.outputs.py_func.__code__.co_filename == str(path)
    for fault in (b"\0" * 32 + sidecar.read_bytes()[32:], sidecar.read_bytes()[:40]):   # stale, truncated
        sidecar.write_bytes(fault)
        forget(again)
        again, _, _ = load(m)
        assert compiled == [str(path)] and hasattr(again, "derivs")
        compiled.clear()
    assert sidecar.read_bytes()[:32] != b"\0" * 32                     # rewritten
    cache.clear()                                       # removed with the Numba entries
    assert not sidecar.exists()


@pytest.mark.parametrize("fault", ["empty", "truncated", "garbage", "other version", "edited"])
def test_broken_module_is_discarded_and_rebuilt_with_one_warning(folder, fault):
    m = fresh_mass()
    module, path, _ = load(m)
    good = path.read_text()
    forget(module)
    if fault == "empty":
        path.write_text("")
    elif fault == "truncated":
        path.write_text(good[:len(good) // 2])          # cut mid-function: a SyntaxError if imported
    elif fault == "garbage":
        path.write_bytes(os.urandom(3000))
    elif fault == "other version":
        path.write_text(good.replace(f"version={VERSION}", "version=0.0.1"))
    else:
        path.write_text(good.replace("def outputs(", "def outputs_renamed("))   # AttributeError if used
    with pytest.warns(UserWarning, match="discarding") as record:
        module, _, cold = load(m)
    assert cold and len([w for w in record if "tcmcompose cache" in str(w.message)]) == 1
    assert path.read_text() == good and callable(module.outputs)


def _nbc_files(folder, module, kernel):
    return sorted((folder / "__pycache__").glob(f"{module.__name__}.{kernel}-*.nbc"))


@pytest.mark.parametrize("fault", ["truncated data", "garbage index"])
def test_damaged_numba_entry_is_discarded_and_recompiled(folder, fault):
    m = fresh_mass()
    module, path, _ = load(m)
    small(module)                                       # compiles and writes noise_sigma's .nbi/.nbc
    assert sum(module.noise_sigma.stats.cache_misses.values()) == 1
    nbc = _nbc_files(folder, module, "noise_sigma")
    assert nbc
    forget(module)
    if fault == "truncated data":
        nbc[0].write_bytes(nbc[0].read_bytes()[:len(nbc[0].read_bytes()) // 2])
    else:
        nbc[0].with_name(nbc[0].name.split(".py")[0] + f".py{sys.version_info[0]}{sys.version_info[1]}.nbi") \
            .write_bytes(b"not a pickle")
    with pytest.warns(UserWarning, match="damaged"):
        module, _, cold = load(m)
    assert not cold
    small(module)                                   # recompiled, not an UnpicklingError
    assert sum(module.noise_sigma.stats.cache_misses.values()) == 1
    # healed: the next process (here: the next import) loads it without a warning and without compiling
    forget(module)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module, _, _ = load(m)
    small(module)
    assert sum(module.noise_sigma.stats.cache_hits.values()) == 1


def test_cache_variable_naming_a_file_is_a_named_error(tmp_path, monkeypatch):
    f = tmp_path / "not_a_folder"
    f.write_text("x")
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(f))
    with pytest.raises(ModelError, match="TCMCOMPOSE_CACHE=.*is a file, not a folder"):
        cache.cache_dir()


def test_unwritable_cache_falls_back_to_a_private_folder(tmp_path, monkeypatch):
    if os.geteuid() == 0:          # root writes anywhere except a read-only file system
        target = Path("/proc/tcmcompose-cache")
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o555)
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(target))
    with pytest.warns(UserWarning, match="cannot write the tcmcompose cache folder"):
        private = cache.cache_dir()
    assert private != target and private.is_dir()
    module, path, cold = load(fresh_mass())
    assert cold and path.parent == private and callable(module.outputs)


def test_info_clear_and_size_warning(folder, monkeypatch):
    for _ in range(2):
        load(fresh_mass())
    state = tc.cache.info()
    assert state["folder"] == str(folder) and state["modules"] == 2
    assert state["bytes"] == sum(p.stat().st_size for p in folder.rglob(cache.PREFIX + "*"))
    monkeypatch.setenv("TCMCOMPOSE_CACHE_LIMIT", "1000")
    with pytest.warns(ResourceWarning, match=r"holds 3 modules.*tc.cache.clear\(\)"):
        load(fresh_mass())
    loaded = {p for p in folder.glob(cache.PREFIX + "*.py")}
    for name in [n for n in sys.modules if n.startswith(cache.PREFIX)]:
        if (folder / f"{name}.py") in loaded:
            del sys.modules[name]
    assert tc.cache.clear() >= 3 and tc.cache.info()["modules"] == 0


WORKER = r"""
import json, os, sys, time
from pathlib import Path
import numpy as np
import tcmcompose as tc
from tcmcompose.codegen import cache
mass = tc.Mass(sys.argv[1], states={"x": 1.0}, params={"tau": 5.0}, inputs=["u"], outputs={"x": "x"},
               equations={"x": "-x/tau + u"})
barrier, n = Path(sys.argv[2]), int(sys.argv[3])
(barrier / str(os.getpid())).touch()         # imported: wait for the others, then build together
while len(list(barrier.iterdir())) < n:
    time.sleep(0.002)
with cache.building([mass], tc.__version__) as (module, path, cold, _):
    module.noise_sigma(0.0, np.zeros(1), np.zeros(4), np.zeros(1), np.zeros((1, 16), dtype=np.int64))  # compiled once
print(json.dumps({"cold": cold, "misses": sum(module.noise_sigma.stats.cache_misses.values()),
                  "hits": sum(module.noise_sigma.stats.cache_hits.values())}))
"""


def test_concurrent_processes_generate_and_compile_once(folder, tmp_path):
    import json
    name = f"cache_{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, TCMCOMPOSE_CACHE=str(folder),
               PYTHONPATH=os.pathsep.join([str(Path(tc.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, name, str(barrier), "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        assert "discarding" not in err and "damaged" not in err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["cold"] for r in results) == 1          # one process generated the module
    assert sum(r["misses"] for r in results) == 1        # and compiled the kernel; the others loaded it
    assert sum(r["hits"] for r in results) == 1
    assert len(list(folder.glob(cache.PREFIX + "*.py"))) == 1
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*.tmp"))


def test_a_loaded_module_keeps_its_own_path_and_source_when_the_cache_folder_changes(tmp_path, monkeypatch):
    """Regression (CI): a module loaded from one cache folder, asked for again
    after $TCMCOMPOSE_CACHE moved and its file was removed by another process, reports
    the file it came from and still shows its source."""
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path / "first"))
    m = fresh_mass()
    model = tc.build(m, eager=False)
    first = model.path
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path / "second"))
    again = tc.build(m, eager=False)
    assert again.path == first and first.parent == tmp_path / "first"
    first.unlink()                    # as `tcmcompose cache clear` in another process would
    assert "def outputs" in again.source and again.source == model.source
