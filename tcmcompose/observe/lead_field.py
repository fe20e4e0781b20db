r"""EEG/MEG forward projection: population signals -> sources per node -> sensors.

.. math::

    x_n(t) = \sum_v w_v\, X_{v,n}(t), \qquad
    y_c(t) = \sum_n L_{c n}\, x_n(t)

with ``weights`` :math:`w_v` over recorded population variables (e.g.
``{"SP.V": 0.8, "SS.V": 0.2}``: the pyramidal and stellate membrane
potentials, in mV) giving one source signal per node, and a lead field
:math:`L` (channels x nodes). A node lacking a weighted variable (mixed
networks) contributes 0 for it. The result is in the units of the variables
times those of L.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..result import Result


def _load_matrix(source):
    """(array, channel labels or None, region labels or None) from an array, DataFrame or file."""
    if isinstance(source, pd.DataFrame):
        return source.to_numpy(dtype=float), [str(c) for c in source.index], [str(c) for c in source.columns]
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise ModelError(f"lead field file {str(path)!r} does not exist.")
        suffix = path.suffix.lower()
        if suffix == ".npy":
            return np.load(path), None, None
        if suffix in (".csv", ".txt", ".tsv"):
            sep = "," if suffix == ".csv" else ("\t" if suffix == ".tsv" else None)
            try:
                return np.loadtxt(path, delimiter=sep, ndmin=2), None, None
            except ValueError:   # labelled table: first row region labels, first column channel labels
                df = pd.read_csv(path, sep=sep if sep else r"\s+", index_col=0, engine="python")
                return df.to_numpy(dtype=float), [str(c) for c in df.index], [str(c) for c in df.columns]
        raise ModelError(f"lead field file {str(path)!r}: unsupported type {suffix!r}; use .npy, .csv, .tsv or .txt.")
    try:
        return np.array(source, dtype=float), None, None
    except (TypeError, ValueError):
        raise ModelError(f"lead field must be an array, a DataFrame or a file path, got "
                         f"{type(source).__name__}.") from None


class LeadField:
    """A lead field (channels x nodes) plus the weights that make one source per node.

    Parameters
    ----------
    matrix : array, DataFrame or path (.npy, .csv, .tsv, .txt)
        Channels x nodes. A DataFrame (or a labelled CSV: channel labels in
        the first column, region labels in the first row) is aligned to the
        simulation's nodes by label; an unlabelled array must have one
        column per node, in the order of the nodes.
    channels : list of str, optional
        Channel names (default: the DataFrame/file's, else ``ch0, ch1, ...``).
    regions : list of str, optional
        Node labels of the columns of an unlabelled array.
    weights : dict, optional
        ``"population.variable" -> weight``. Default: the only variable a
        result holds (several recorded variables need explicit weights).
    """

    def __init__(self, matrix, channels=None, regions=None, weights=None):
        L, ch, reg = _load_matrix(matrix)
        if L.ndim == 1:
            L = L[None, :]
        if L.ndim != 2 or L.size == 0:
            raise ModelError(f"lead field has shape {L.shape}; give a 2-d (channels x nodes) matrix.")
        if not np.all(np.isfinite(L)):
            raise ModelError("lead field contains NaN or inf.")
        channels = ch if channels is None else [str(c) for c in channels]
        regions = reg if regions is None else [str(r) for r in regions]
        if channels is None:
            channels = [f"ch{k}" for k in range(L.shape[0])]
        if len(channels) != L.shape[0]:
            raise ModelError(f"{len(channels)} channel names for a lead field with {L.shape[0]} rows (channels).")
        if regions is not None:
            if len(regions) != L.shape[1]:
                raise ModelError(f"{len(regions)} region labels for a lead field with {L.shape[1]} columns (nodes).")
            if len(set(regions)) != len(regions):
                raise ModelError("lead field region labels are not unique.")
        self.matrix, self.channels, self.regions = L, list(channels), regions
        self.weights = None if weights is None else self._check_weights(weights)

    @staticmethod
    def _check_weights(weights):
        if not isinstance(weights, dict) or not weights:
            raise ModelError("weights must be a non-empty dict 'population.variable' -> number, "
                             "e.g. {'SP.V': 0.8, 'SS.V': 0.2}.")
        out = {}
        for k, v in weights.items():
            if not isinstance(k, str) or "." not in k:
                raise ModelError(f"weight key {k!r} must read 'population.variable'.")
            v = float(v)
            if not np.isfinite(v):
                raise ModelError(f"weight of {k!r} is {v}; give a finite number.")
            out[k] = v
        return out

    # ------------------------------------------------------------ sources
    def sources(self, data, weights=None):
        """The per-node source signals: DataFrame (time x node labels)."""
        if isinstance(data, Result):
            weights = weights or self.weights
            if weights is None:
                if len(data.variables) != 1:
                    raise ModelError(f"the result holds {data.variables}; say how to combine them, e.g. "
                                     f"weights={{{data.variables[0]!r}: 1.0}}.")
                weights = {data.variables[0]: 1.0}
            weights = self._check_weights(weights)
            nodes = []
            for name in weights:
                if name not in data:
                    raise ModelError(f"weight given for {name!r}, which the result lacks; recorded variables: "
                                     f"{data.variables} (record it with simulate(record=[...])).")
                nodes += [str(n) for n in data.nodes(name) if str(n) not in nodes]
            src = pd.DataFrame(0.0, index=pd.Index(np.asarray(data.t, float), name="time"), columns=nodes)
            for name, w in weights.items():
                cols = [str(n) for n in data.nodes(name)]
                src[cols] = src[cols].to_numpy() + w * np.asarray(data[name], float)
            return src
        if weights is not None:
            raise ModelError("weights apply to a simulation Result; a plain (time x nodes) signal is used as is.")
        if isinstance(data, pd.DataFrame):
            return data.rename(columns=str)
        arr = np.asarray(data, dtype=float)
        if arr.ndim != 2:
            raise ModelError(f"signal has shape {arr.shape}; give (time x nodes), a DataFrame or a Result.")
        cols = self.regions if self.regions is not None and len(self.regions) == arr.shape[1] else \
            [str(k) for k in range(arr.shape[1])]
        return pd.DataFrame(arr, columns=cols)

    def project(self, data, weights=None):
        """Sensor signals: DataFrame (time x channels) = sources @ L.T, aligned by node label."""
        src = self.sources(data, weights)
        n_nodes = src.shape[1]
        if self.regions is None:
            if self.matrix.shape[1] != n_nodes:
                raise ModelError(f"lead field has {self.matrix.shape[1]} columns but the signal has {n_nodes} "
                                 f"nodes {list(src.columns)[:6]}; give one column per node (channels x nodes).")
            L = self.matrix
        else:
            missing = [c for c in src.columns if c not in self.regions]
            extra = [r for r in self.regions if r not in set(src.columns)]
            if missing or extra:
                raise ModelError(f"lead field regions do not match the signal's nodes: nodes without a lead field "
                                 f"column {missing[:6]}, lead field regions without a node {extra[:6]}.")
            L = self.matrix[:, [self.regions.index(c) for c in src.columns]]
        out = src.to_numpy() @ L.T
        return pd.DataFrame(out, index=src.index, columns=pd.Index(self.channels, name="channel"))

    def __repr__(self):
        return f"LeadField({len(self.channels)} channels x {self.matrix.shape[1]} nodes)"


def eeg_projection(data, lead_field, weights=None, channels=None, regions=None):
    """Sensor signals (time x channels DataFrame) of a Result or a (time x nodes)
    signal through ``lead_field`` (a :class:`LeadField`, array, DataFrame or
    file path); see :class:`LeadField` for the arguments."""
    if not isinstance(lead_field, LeadField):
        lead_field = LeadField(lead_field, channels=channels, regions=regions)
    return lead_field.project(data, weights)
