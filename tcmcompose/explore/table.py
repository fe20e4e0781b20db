"""The table a sweep returns: :class:`SweepFrame` (a DataFrame with plotting helpers)."""
import numpy as np
import pandas as pd

from ..errors import ModelError


class SweepFrame(pd.DataFrame):
    """One row per point: ``point``, axes, status columns, metrics.

    A plain DataFrame (every pandas operation works) with
    :meth:`failures`, :meth:`summary`, :meth:`plot_1d` and :meth:`plot_2d`.
    """

    @property
    def _constructor(self):
        return SweepFrame

    def failures(self):
        """The points whose run failed or diverged, or where a metric raised."""
        cols = [c for c in ("point", "status", "error", "diverged_time", "diverged_state") if c in self.columns]
        return pd.DataFrame(self.loc[self["status"] != "ok", cols])

    def summary(self, limit=20):
        """Counts per status and the failures (first ``limit``), as text."""
        counts = self["status"].value_counts().to_dict()
        lines = [f"{len(self)} points: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))]
        for _, r in self.failures().head(limit).iterrows():
            where = (f" at t = {r['diverged_time']:g} ms in {r['diverged_state']}"
                     if r["status"] == "diverged" else "")
            lines.append(f"  point {r['point']}: {r['status']}{where}: {r['error']}")
        return "\n".join(lines)

    def _check(self, *names):
        for n in names:
            if n not in self.columns:
                raise ModelError(f"no column {n!r}; columns: {list(self.columns)}")

    def plot_1d(self, x, y, by=None, ax=None, **kwargs):
        """``y`` (a metric) against axis ``x``, one line per value of ``by``."""
        import matplotlib.pyplot as plt
        self._check(x, y, *([by] if by else []))
        ax = ax or plt.subplots()[1]
        groups = self.groupby(by) if by else [(None, self)]
        for key, g in groups:
            g = g.sort_values(x)
            ax.plot(g[x], g[y], marker="o", label=None if by is None else f"{by} = {key:g}", **kwargs)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        if by:
            ax.legend()
        return ax

    def plot_2d(self, x, y, value, ax=None, cmap="viridis", logx=False, logy=False, **kwargs):
        """Map of ``value`` over axes ``x`` and ``y``: an image on a grid (cells
        of failed points left blank), a scatter otherwise (e.g. Latin
        hypercube points). ``logx``/``logy`` put an axis on a log scale (cells
        centred in log space). Other keywords (``norm=``, ``vmin=``) go to matplotlib."""
        import matplotlib.pyplot as plt
        self._check(x, y, value)
        ax = ax or plt.subplots()[1]
        table = self.pivot_table(index=y, columns=x, values=value, aggfunc="mean", dropna=False)
        if table.size == len(self) and not table.isna().all().all():
            xs, ys = table.columns.to_numpy(float), table.index.to_numpy(float)
            im = ax.pcolormesh(_edges(xs, logx), _edges(ys, logy), np.ma.masked_invalid(table.to_numpy(float)),
                               cmap=cmap, shading="flat", **kwargs)
        else:
            im = ax.scatter(self[x], self[y], c=self[value], cmap=cmap, **kwargs)
        ax.figure.colorbar(im, ax=ax, label=value)
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        return ax


def _edges(c, log=False):
    """Cell edges around sorted centres (midpoints, in log space if ``log``; half a step beyond the ends)."""
    if log:
        return np.exp(_edges(np.log(c)))
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])
