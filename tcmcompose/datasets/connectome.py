"""Structural connectomes: a generated one (always available) and TVB's (optional).

``connectome("generated", n_regions=76, seed=0)`` builds a deterministic
synthetic connectome from the exponential distance rule; ``connectome("tvb76")``
(also 66, 68, 96, 192) reads the connectivities shipped by the ``tvb-data``
package when it is installed (``pip install "tcmcompose[data]"``). Nothing is
downloaded at run time.
"""
import bz2
import os
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError

TVB_SIZES = (66, 68, 76, 96, 192)


@dataclass
class Connectome:
    """Weights, tract lengths, labels and centres of a parcellation.

    Attributes
    ----------
    name : str
    weights : (N, N) array
        ``weights[i, j]`` is the strength of the connection from region j to
        region i (row = target, as in :class:`tcmcompose.Network`).
    lengths : (N, N) array
        Tract lengths in mm.
    labels : list of str
    centres : (N, 3) array
        Region centres in mm.
    """
    name: str
    weights: np.ndarray
    lengths: np.ndarray
    labels: list
    centres: np.ndarray

    @property
    def n_regions(self):
        return len(self.labels)

    def delays(self, speed=3.0):
        """Conduction delays in ms for a conduction speed in mm/ms (= m/s)."""
        speed = float(speed)
        if not speed > 0:
            raise ModelError(f"conduction speed = {speed} mm/ms; give a positive speed (3 mm/ms is TVB's default).")
        return self.lengths / speed

    def normalised(self, how="max"):
        """A copy with weights divided by their maximum (``"max"``) or by the
        largest row sum (``"row_sum"``)."""
        scale = {"max": np.max(self.weights), "row_sum": np.max(self.weights.sum(axis=1))}.get(how)
        if scale is None:
            raise ModelError(f"normalised(how={how!r}); choose 'max' or 'row_sum'.")
        return Connectome(self.name, self.weights / scale, self.lengths.copy(), list(self.labels),
                          self.centres.copy())

    def to_frames(self):
        """Weights and lengths as DataFrames labelled by region."""
        return (pd.DataFrame(self.weights, index=self.labels, columns=self.labels),
                pd.DataFrame(self.lengths, index=self.labels, columns=self.labels))

    def __repr__(self):
        density = np.count_nonzero(self.weights) / max(1, self.n_regions * (self.n_regions - 1))
        return f"Connectome({self.name!r}, {self.n_regions} regions, density {density:.2f})"


def _hemisphere_centres(n, rng, radii=(70.0, 85.0, 55.0), gap=4.0):
    """``n`` region centres (mm) spread over two half-ellipsoids, left then right."""
    centres = []
    for side, count in ((-1.0, n // 2), (1.0, n - n // 2)):
        pts = []
        while len(pts) < count:
            p = rng.uniform(-1.0, 1.0, 3)
            if p @ p <= 1.0:
                p[0] = abs(p[0])
                pts.append(p)
        pts = np.array(pts) * np.array(radii)
        pts = pts[np.lexsort((pts[:, 2], pts[:, 1]))]      # anterior-posterior order within a hemisphere
        pts[:, 0] = side * (pts[:, 0] + gap)
        centres.append(pts)
    return np.vstack(centres)


def generated_connectome(n_regions=76, seed=0, decay=0.05, density=0.3, spread=0.5, tortuosity=1.2):
    r"""A synthetic connectome from the exponential distance rule.

    Region centres are drawn in two half-ellipsoids (semi-axes 70, 85, 55 mm,
    a 4 mm midline gap), and each pair is connected with strength

    .. math:: w_{ij} = e^{-\lambda d_{ij}}\, \epsilon_{ij}, \qquad
              \log \epsilon_{ij} \sim \mathcal N(0, \sigma^2)

    (the exponential distance rule of Ercsey-Ravasz et al. 2013, with
    log-normal variability as in tract-tracing weights; Markov et al. 2014).
    The strongest ``density`` fraction of pairs is kept, the matrix is
    symmetric (as diffusion tractography gives it), the diagonal zero, and
    the maximum weight 1. Tract lengths are the Euclidean distances times a
    ``tortuosity`` factor (fibres are not straight).

    Parameters
    ----------
    n_regions : int (>= 2)
    seed : int
        Same seed, same connectome.
    decay : float
        :math:`\lambda` in 1/mm.
    density : float in (0, 1]
        Fraction of region pairs connected.
    spread : float
        :math:`\sigma` of the log-normal variability.
    tortuosity : float (>= 1)

    References: Ercsey-Ravasz M. et al. (2013) Neuron 80:184-197;
    Markov N.T. et al. (2014) Cereb Cortex 24:17-36.
    """
    n = int(n_regions)
    if n < 2:
        raise ModelError(f"n_regions = {n_regions}; a connectome needs at least 2 regions.")
    if not 0 < density <= 1:
        raise ModelError(f"density = {density}; give the fraction of connected pairs in (0, 1].")
    if not decay >= 0 or not spread >= 0 or not tortuosity >= 1:
        raise ModelError("decay and spread must be >= 0 and tortuosity >= 1.")
    rng = np.random.default_rng(seed)
    centres = _hemisphere_centres(n, rng)
    dist = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)
    noise = np.exp(spread * rng.standard_normal((n, n)))
    w = np.exp(-decay * dist) * np.triu(noise, 1)
    upper = w[np.triu_indices(n, 1)]
    keep = max(1, int(round(density * len(upper))))
    threshold = np.sort(upper)[::-1][keep - 1]
    w = np.where(w >= threshold, w, 0.0)
    w = w + w.T
    w /= w.max()
    half = n // 2
    labels = [f"L{k:02d}" for k in range(half)] + [f"R{k:02d}" for k in range(n - half)]
    return Connectome(f"generated{n}", w, dist * tortuosity, labels, centres)


def _read_member(archive, stem):
    for name in archive.namelist():
        base = os.path.basename(name)
        if base == stem:
            return archive.read(name).decode()
        if base == stem + ".bz2":
            return bz2.decompress(archive.read(name)).decode()
    raise ModelError(f"{archive.filename} has no {stem}; the tvb-data package looks incomplete.")


def tvb_connectome(n_regions=76):
    """The ``connectivity_<n>`` parcellation shipped by the ``tvb-data`` package.

    Used as stored: TVB's simulator sums ``w[i, j] * x_j`` into region i,
    the same row = target convention as :class:`tcmcompose.Network`.
    """
    n = int(n_regions)
    if n not in TVB_SIZES:
        raise ModelError(f"TVB ships connectivities with {list(TVB_SIZES)} regions, not {n_regions}.")
    try:
        import tvb_data
    except ImportError:
        raise ModelError(f"connectome('tvb{n}') needs the tvb-data package: pip install \"tcmcompose[data]\" "
                         "(or pip install tvb-data). connectome('generated', n_regions=...) is always "
                         "available.") from None
    path = os.path.join(os.path.dirname(tvb_data.__file__), "connectivity", f"connectivity_{n}.zip")
    if not os.path.exists(path):
        raise ModelError(f"tvb-data is installed but {path} is missing.")
    with zipfile.ZipFile(path) as archive:
        weights = np.loadtxt(_read_member(archive, "weights.txt").splitlines())
        lengths = np.loadtxt(_read_member(archive, "tract_lengths.txt").splitlines())
        rows = [line.split() for line in _read_member(archive, "centres.txt").splitlines() if line.strip()]
    labels = [r[0] for r in rows]
    centres = np.array([[float(v) for v in r[1:4]] for r in rows])
    return Connectome(f"tvb{n}", weights, lengths, labels, centres)


def connectome(name="generated", **options):
    """A connectome by name.

    ``"generated"`` (options of :func:`generated_connectome`: ``n_regions``,
    ``seed``, ...) is built in; ``"tvb66"``, ``"tvb68"``, ``"tvb76"``,
    ``"tvb96"``, ``"tvb192"`` need the optional tvb-data package.
    """
    if name == "generated":
        return generated_connectome(**options)
    if isinstance(name, str) and name.startswith("tvb") and name[3:].isdigit():
        if options:
            raise ModelError(f"connectome({name!r}) takes no options, got {sorted(options)}.")
        return tvb_connectome(int(name[3:]))
    raise ModelError(f"unknown connectome {name!r}; choose 'generated' or one of "
                     f"{[f'tvb{n}' for n in TVB_SIZES]}.")
