"""Simulation results: numpy arrays with labelled, tidy views, files and plots."""
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd


def _range(a):
    a = np.asarray(a)
    return f"{np.nanmin(a):.4g}..{np.nanmax(a):.4g}" if a.size else "empty"


#: units by variable-name convention, used to label plot axes (mV for membrane potentials)
def _unit(name):
    var = name.split(".")[-1]
    if var.startswith("V") or var in ("v", "lfp", "LFP"):
        return "mV"
    if var.startswith("g_"):
        return "conductance, a.u."
    return None


class Result:
    """Recorded time series of a simulation.

    ``res.t`` is time in ms; ``res["E.V"]`` is an array shaped
    (time, instance) with one column per node that has population ``E``
    (``res.nodes("E.V")`` names them); ``res.to_dataframe()`` gives the tidy
    long form (time, node, mass, variable, value); ``res.to_xarray()`` a
    Dataset with dims (time, node, variable); ``res.save("run.nc")`` writes
    it with the model file, settings and seed, so ``tc.load_result`` and
    ``res.rerun()`` reproduce it.
    """

    #: where the run stopped, with the past its delays need (a
    #: :class:`~tcmcompose.integrate.continuation.History`): ``initial=res``
    #: continues the run exactly; None for results loaded from files
    history = None

    def __init__(self, t, data, nodes, final_state, state_index, info=None, history=None):
        self.history = history
        self.t = t
        self._data = data
        self._nodes = nodes
        self.final_state = final_state
        self.state_index = state_index
        self.info = info or {}

    @property
    def variables(self) -> list:
        return list(self._data)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self._data[name]
        except KeyError:
            raise KeyError(f"{name!r} was not recorded; recorded: {self.variables}") from None

    def __contains__(self, name):
        return name in self._data

    def nodes(self, name: str) -> list:
        """Node labels of the columns of ``res[name]``."""
        self[name]
        return list(self._nodes[name])

    def to_dataframe(self) -> pd.DataFrame:
        """Tidy form: one row per (time, node, mass, variable)."""
        frames = []
        for name, arr in self._data.items():
            mass, var = name.split(".", 1)
            nt, ni = arr.shape
            frames.append(pd.DataFrame({
                "time": np.repeat(self.t, ni),
                "node": np.tile(np.asarray(self._nodes[name], dtype=object), nt),
                "mass": mass, "variable": var, "value": arr.reshape(-1)}))
        return pd.concat(frames, ignore_index=True)

    # ----------------------------------------------------------------- files
    def to_xarray(self):
        """An :class:`xarray.Dataset`: ``value`` over (time, node, variable) and, for a result of
        ``model.simulate``, the model file, settings, seed and edited data as attributes and
        variables (see :mod:`tcmcompose.io.results`). Needs ``tcmcompose[results]``."""
        from .io.results import to_xarray
        return to_xarray(self)

    def save(self, path):
        """Write to ``.nc`` (NetCDF: traces plus everything a re-run needs) or ``.parquet``
        (the tidy frame, with settings and model file as metadata). Returns the path."""
        from .io.results import save
        return save(self, path)

    def rerun(self) -> "Result":
        """Run a saved result again (after ``tc.load_result``) with its model, data, settings
        and seed; a seeded or deterministic run reproduces the traces exactly."""
        from .io.results import rerun
        return rerun(self)

    # ------------------------------------------------------------------ plots
    def plot(self, variables: Optional[Union[str, Sequence[str]]] = None, ax=None, nodes=None,
             max_legend: int = 10, **kwargs):
        """Plot recorded variables against time, one panel per variable, one line per node
        (labelled in a legend up to ``max_legend`` nodes); ``nodes`` selects node labels.
        Needs matplotlib (``pip install "tcmcompose[plot]"``). Returns the axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - optional extra
            raise ImportError("Result.plot needs matplotlib: pip install 'tcmcompose[plot]'") from None
        variables = variables or self.variables
        if isinstance(variables, str):
            variables = [variables]
        if ax is None:
            fig, axes = plt.subplots(len(variables), 1, sharex=True, squeeze=False,
                                     figsize=(8, 2.2 * len(variables) + 0.6))
            axes = list(axes[:, 0])
        else:
            axes = [ax] * len(variables)
        for a, name in zip(axes, variables):
            labels = self.nodes(name)
            cols = [k for k, n in enumerate(labels) if nodes is None or n in nodes]
            lines = a.plot(self.t, self[name][:, cols], **kwargs)
            for line, k in zip(lines, cols):
                line.set_label(labels[k])
            unit = _unit(name)
            a.set_ylabel(f"{name} ({unit})" if unit else name)
            if 1 < len(cols) <= max_legend:
                a.legend(loc="upper right", fontsize="small", ncol=min(len(cols), 5), title="node")
            elif len(cols) == 1:
                a.set_title(f"node {labels[cols[0]]}", fontsize="small", loc="left")
        axes[-1].set_xlabel("time (ms)")
        return axes

    def __repr__(self):
        n = len(self.t)
        head = (f"Result({n} samples, t = {self.t[0] if n else 0:g}..{self.t[-1] if n else 0:g} ms"
                + (f", dt = {self.info['dt']:g} ms, {self.info['method']}" if "dt" in self.info else "")
                + (f", seed {self.info['seed']}" if "seed" in self.info else "") + ")")
        rows = []
        for name in self.variables[:12]:
            labels = self.nodes(name)
            shown = ", ".join(map(str, labels[:3])) + (f", ... ({len(labels)})" if len(labels) > 3 else "")
            rows.append(f"  {name:<14s} {self[name].shape!s:<14s} nodes [{shown}]  range {_range(self[name])}")
        if len(self.variables) > 12:
            rows.append(f"  ... {len(self.variables) - 12} more variables")
        return "\n".join([head] + rows)
