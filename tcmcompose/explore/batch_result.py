"""The labelled result of a batch of runs: :class:`BatchResult`."""
import numpy as np
import pandas as pd

from ..errors import ModelError
from ..result import Result
from .batch import SEED, RunError


def _column_name(key):
    return f"{key[0]}@{key[1]}" if isinstance(key, tuple) else str(key)


def _cell(v):
    """A parameter value as one table cell (per-node arrays stay arrays)."""
    a = np.asarray(v)
    return a.item() if a.ndim == 0 else a


class BatchResult:
    """Runs of one model with the parameter values and seed of each run.

    Behaves as a sequence of run results (``len``, ``batch[k]``, iteration),
    each a :class:`~tcmcompose.Result` (or what ``reduce`` returned, or a
    :class:`~tcmcompose.explore.batch.RunError`). Labelled views:

    * :attr:`runs` - one row per run: the edited parameters, ``seed`` and
      ``status`` (``"ok"``, ``"diverged"`` or ``"error"``);
    * ``batch["E.V"]`` - array (run, time, node) of a recorded variable;
    * :meth:`to_dataframe` - tidy long form with the run's parameters as columns;
    * :meth:`to_xarray` - an ``xarray.Dataset`` with a ``run`` dimension and
      the parameters as coordinates along it (needs xarray).
    """

    def __init__(self, values, edits, seeds):
        self.values = list(values)
        rows = []
        for k, (edit, seed, v) in enumerate(zip(edits, seeds, self.values)):
            row = {_column_name(name): _cell(val) for name, val in edit.items() if name != SEED}
            row[SEED] = int(seed)
            row["status"] = ("diverged" if v.diverged else "error") if isinstance(v, RunError) else "ok"
            rows.append(row)
        self.runs = pd.DataFrame(rows, index=pd.RangeIndex(len(rows), name="run"))

    def __len__(self):
        return len(self.values)

    def __iter__(self):
        return iter(self.values)

    def __getitem__(self, key):
        if isinstance(key, str):
            return np.stack([r[key] for r in self._results()])
        return self.values[key]

    @property
    def errors(self):
        """The runs that failed: {run: RunError}."""
        return {k: v for k, v in enumerate(self.values) if isinstance(v, RunError)}

    def _results(self):
        bad = self.errors
        if bad:
            k, e = next(iter(bad.items()))
            raise ModelError(f"run {k} failed ({e.message}); {len(bad)} failed runs have no traces "
                             "(see batch.errors, or select batch.runs.status == 'ok').")
        if not all(isinstance(v, Result) for v in self.values):
            raise ModelError("this batch kept reduced values (reduce=...), not traces.")
        return self.values

    @property
    def t(self):
        """Sample times (ms), shared by every run."""
        return self._results()[0].t

    def to_dataframe(self):
        """Tidy form: the columns of :attr:`runs` (scalar ones), then time, node, mass, variable, value."""
        scalar = [c for c in self.runs.columns if not isinstance(self.runs[c].iloc[0], np.ndarray)]
        frames = []
        for k, res in enumerate(self._results()):
            df = res.to_dataframe()
            for c in scalar:
                df.insert(len(df.columns) - 5, c, self.runs[c].iloc[k])
            df.insert(0, "run", k)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def to_xarray(self):
        """An ``xarray.Dataset``: one variable per recorded name, dims (run, time,
        node_<name>), the scalar run parameters as coordinates on ``run``."""
        try:
            import xarray as xr
        except ImportError:  # pragma: no cover - optional
            raise ImportError("BatchResult.to_xarray needs xarray: pip install xarray") from None
        results = self._results()
        first = results[0]
        data = {}
        for name in first.variables:
            dim = f"node_{name}"
            data[name] = xr.DataArray(self[name], dims=("run", "time", dim),
                                      coords={dim: list(first.nodes(name))})
        coords = {"run": np.arange(len(self)), "time": first.t}
        for c in self.runs.columns:
            if not isinstance(self.runs[c].iloc[0], np.ndarray):
                coords[c] = ("run", self.runs[c].to_numpy())
        return xr.Dataset(data, coords=coords)

    def __repr__(self):
        n_bad = len(self.errors)
        params = [c for c in self.runs.columns if c not in (SEED, "status")]
        return f"BatchResult({len(self)} runs, parameters {params}, {n_bad} failed)"
