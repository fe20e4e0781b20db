"""Simulation results: numpy arrays with labelled, tidy views."""
import numpy as np
import pandas as pd


class Result:
    """Recorded time series of a simulation.

    ``res.t`` is time in ms; ``res["E.V"]`` is an array shaped
    (time, instance) with one column per node that has population ``E``
    (``res.nodes("E.V")`` names them); ``res.to_dataframe()`` gives the tidy
    long form (time, node, mass, variable, value).
    """

    def __init__(self, t, data, nodes, final_state, state_index, info=None):
        self.t = t
        self._data = data
        self._nodes = nodes
        self.final_state = final_state
        self.state_index = state_index
        self.info = info or {}

    @property
    def variables(self):
        return list(self._data)

    def __getitem__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise KeyError(f"{name!r} was not recorded; recorded: {self.variables}") from None

    def __contains__(self, name):
        return name in self._data

    def nodes(self, name):
        """Node labels of the columns of ``res[name]``."""
        self[name]
        return list(self._nodes[name])

    def to_dataframe(self):
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

    def plot(self, variables=None, ax=None, **kwargs):
        """Plot recorded variables against time (needs matplotlib: ``pip install tcmcompose[plot]``)."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - optional extra
            raise ImportError("Result.plot needs matplotlib: pip install 'tcmcompose[plot]'") from None
        variables = variables or self.variables
        if isinstance(variables, str):
            variables = [variables]
        if ax is None:
            fig, axes = plt.subplots(len(variables), 1, sharex=True, squeeze=False,
                                     figsize=(8, 2.2 * len(variables)))
            axes = axes[:, 0]
        else:
            axes = [ax] * len(variables)
        for a, name in zip(axes, variables):
            a.plot(self.t, self[name], **kwargs)
            a.set_ylabel(name)
        axes[-1].set_xlabel("time (ms)")
        return axes

    def __repr__(self):
        return (f"Result({len(self.t)} samples, t = {self.t[0] if len(self.t) else 0:g}..."
                f"{self.t[-1] if len(self.t) else 0:g} ms, variables {self.variables})")
