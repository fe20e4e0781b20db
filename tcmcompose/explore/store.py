"""An on-disk sweep store that survives being killed: :class:`Store`.

Layout of the store folder::

    manifest.json      model identity, sweep settings, committed parts
    points.parquet     every point of the sweep (written once, at creation)
    parts/part-*.parquet   result rows (one per finished point)
    lock               held (flock) by the process writing the store

A part becomes part of the store only when the manifest lists it. Both are
written to a temporary file and renamed (atomic on POSIX), the part first, so
a kill at any moment leaves either the old or the new manifest; parts the
manifest does not list (and temporary files) are deleted on the next open
and their points run again. Hence every point ends up in the store exactly
once, whatever happens. Only the process holding the lock writes; results
from Dask workers come back to it.
"""
import fcntl
import json
import os
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ModelError

FORMAT = 1


def _atomic_write(path, write):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def model_identity(model):
    """(key, description) of a model's structure: generated code, nodes, states, couplings."""
    import hashlib
    h = hashlib.sha256()
    h.update(Path(model.path).stem.encode())
    h.update(repr(list(model.state_index)).encode())
    h.update(repr([(c.name, c.source, c.target, c.kind) for c in model.couplings]).encode())
    return h.hexdigest()[:16], repr(model)


class Store:
    """Sweep results in Parquet files under ``path`` (see the module docstring).

    :meth:`open` creates the store or checks that it was written by the same
    model structure and sweep settings.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.parts_dir = self.path / "parts"
        self.manifest_path = self.path / "manifest.json"
        self._lock = None
        self.manifest = None

    # --------------------------------------------------------------- opening
    def open(self, model_key, model_desc, settings, points):
        """Create, or reopen and check; takes the writer lock. Returns self."""
        self.path.mkdir(parents=True, exist_ok=True)
        self.parts_dir.mkdir(exist_ok=True)
        self._take_lock()
        try:
            if self.manifest_path.exists():
                self.manifest = json.loads(self.manifest_path.read_text())
                self._check(model_key, model_desc, settings, points)
                self._clean()
            else:
                _atomic_write(self.path / "points.parquet", lambda p: points.to_parquet(p))
                self.manifest = {"format": FORMAT, "model_key": model_key, "model": model_desc,
                                 "settings": settings, "n_points": len(points), "parts": []}
                self._write_manifest()
        except BaseException:
            self.close()
            raise
        return self

    def _take_lock(self):
        fh = open(self.path / "lock", "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise ModelError(f"the store {self.path} is being written by another sweep; wait for it to finish "
                             "or use another store.") from None
        self._lock = fh

    def _check(self, model_key, model_desc, settings, points):
        m = self.manifest
        if m.get("format") != FORMAT:
            raise ModelError(f"the store {self.path} has format {m.get('format')}; this version writes {FORMAT}.")
        if m["model_key"] != model_key:
            raise ModelError(f"the store {self.path} was written by model {m['model']} (structure {m['model_key']}); "
                             f"this sweep runs model {model_desc} (structure {model_key}). Use another store.")
        diff = [k for k in sorted(set(m["settings"]) | set(settings)) if m["settings"].get(k) != settings.get(k)]
        if diff:
            shown = ", ".join(f"{k}: store {m['settings'].get(k)!r} vs now {settings.get(k)!r}" for k in diff)
            raise ModelError(f"the store {self.path} holds a sweep with other settings ({shown}); "
                             "continue it with the same settings or use another store.")
        old = pd.read_parquet(self.path / "points.parquet")
        same = (list(old.columns) == list(points.columns) and len(old) == len(points)
                and all(np.array_equal(old[c].to_numpy(), points[c].to_numpy()) for c in points.columns))
        if not same:
            raise ModelError(f"the store {self.path} holds a sweep over other points ({len(old)} points, axes "
                             f"{list(old.columns)}; now {len(points)} points, axes {list(points.columns)}); "
                             "continue it with the same space or use another store.")

    def _clean(self):
        """Delete parts the manifest does not list and temporary files (an interrupted write)."""
        listed = set(self.manifest["parts"])
        for f in list(self.parts_dir.iterdir()) + list(self.path.glob(".tmp-*")):
            if f.name not in listed:
                f.unlink()

    def _write_manifest(self):
        text = json.dumps(self.manifest, indent=1, sort_keys=True)
        _atomic_write(self.manifest_path, lambda p: Path(p).write_text(text))

    def close(self):
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    # ------------------------------------------------------------ contents
    def done(self):
        """Point ids already stored."""
        if not self.manifest["parts"]:
            return set()
        return set(self.read(columns=["point"])["point"].tolist())

    def append(self, rows):
        """Commit result rows (a DataFrame with a ``point`` column) as one part."""
        if len(rows) == 0:
            return
        if self._lock is None:
            raise ModelError("the store is not open for writing.")
        name = f"part-{len(self.manifest['parts']):06d}-{uuid.uuid4().hex[:8]}.parquet"
        _atomic_write(self.parts_dir / name, lambda p: rows.to_parquet(p, index=False))
        self.manifest["parts"].append(name)
        self._write_manifest()

    def read(self, columns=None):
        """Every committed row, sorted by point."""
        m = self.manifest or json.loads(self.manifest_path.read_text())
        frames = [pd.read_parquet(self.parts_dir / p, columns=columns) for p in m["parts"]]
        if not frames:
            return pd.DataFrame(columns=columns or ["point"])
        df = pd.concat(frames, ignore_index=True)
        return df.sort_values("point", kind="stable").reset_index(drop=True)

    def points(self):
        return pd.read_parquet(self.path / "points.parquet")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        n = len(self.manifest["parts"]) if self.manifest else "?"
        return f"Store({str(self.path)!r}, {n} parts)"
