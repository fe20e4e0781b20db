import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose import ModelError


def test_generated_connectome_is_deterministic_symmetric_and_distance_ruled():
    a = tc.datasets.connectome("generated", n_regions=76, seed=3)
    b = tc.datasets.connectome("generated", n_regions=76, seed=3)
    c = tc.datasets.connectome("generated", n_regions=76, seed=4)
    assert np.array_equal(a.weights, b.weights) and not np.array_equal(a.weights, c.weights)
    w = a.weights
    assert w.shape == (76, 76) and np.allclose(w, w.T) and np.all(np.diag(w) == 0) and w.max() == 1.0
    assert abs(np.count_nonzero(w) / (76 * 75) - 0.3) < 0.01
    assert len(a.labels) == 76 and a.centres.shape == (76, 3)
    # tract lengths are 1.2 x the Euclidean distances between the centres
    d = np.linalg.norm(a.centres[:, None] - a.centres[None], axis=-1)
    assert np.allclose(a.lengths, 1.2 * d)
    # exponential distance rule: log weight falls with distance, slope ~ -decay (0.05/mm)
    iu = np.triu_indices(76, 1)
    mask = w[iu] > 0
    slope = np.polyfit(d[iu][mask], np.log(w[iu][mask]), 1)[0]
    assert -0.07 < slope < -0.03
    # left regions come first, and interhemispheric pairs are fewer than intrahemispheric ones
    assert np.all(a.centres[:38, 0] < 0) and np.all(a.centres[38:, 0] > 0)
    assert np.count_nonzero(w[:38, 38:]) < np.count_nonzero(w[:38, :38])
    assert np.allclose(a.delays(speed=4.0), a.lengths / 4.0)


def test_generated_connectome_any_size_and_errors():
    assert tc.datasets.connectome("generated", n_regions=5).weights.shape == (5, 5)
    with pytest.raises(ModelError, match="at least 2"):
        tc.datasets.connectome("generated", n_regions=1)
    with pytest.raises(ModelError, match="unknown connectome 'hcp'"):
        tc.datasets.connectome("hcp")
    with pytest.raises(ModelError, match="positive speed"):
        tc.datasets.connectome().delays(speed=0)


def test_connectome_drives_a_network():
    c = tc.datasets.connectome("generated", n_regions=6, seed=1)
    W, L = c.to_frames()
    from tcmcompose.masses.library import JansenRit
    net = tc.Network([JansenRit()] * 6, W, lengths=L, speed=3.0, labels=c.labels,
                     couplings=[tc.Coupling("jansen_rit.rate", "jansen_rit.c")])
    assert np.allclose(net.delays, c.lengths / 3.0)


def test_tvb_connectivity_when_installed():
    try:
        import tvb_data  # noqa: F401
    except ImportError:
        with pytest.raises(ModelError, match=r"pip install \"tcmcompose\[data\]\""):
            tc.datasets.connectome("tvb76")
        return
    c = tc.datasets.connectome("tvb76")
    assert c.n_regions == 76 and c.labels[0] == "rA1" and c.weights.max() == 3.0
    assert np.allclose(c.centres[0], [-9.885591, -47.084818, -3.139360])
    for n in (66, 68, 96, 192):
        assert tc.datasets.connectome(f"tvb{n}").weights.shape == (n, n)
    with pytest.raises(ModelError, match="66, 68, 76, 96, 192"):
        tc.datasets.connectome("tvb77")
