"""Batch runs in threads: bit-identical to serial runs, edits per run, labels, failures."""
import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.explore import BatchResult
from tcmcompose.explore.replicas import ReplicaPool, replicate
from tests.conftest import jr_network


@pytest.fixture(scope="module")
def noisy_jr():
    """4-node delayed Jansen-Rit with additive noise on y4 (stochastic runs)."""
    from tcmcompose.masses.library import JansenRit
    jr = JansenRit(noise={"y4": 5.0})
    net = jr_network(4, seed=3)
    net = tc.Network([tc.Node("jr", {"JR": jr})] * 4, net.couplings[0].weights, net.couplings[0].delays,
                     couplings=[tc.Coupling("JR.rate", "JR.c", gain=1.0)])
    return tc.build(net)


def test_threaded_batch_is_bit_identical_to_serial_runs(noisy_jr):
    edits = [{"JR.mu": mu} for mu in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35)]
    batch = noisy_jr.simulate_batch(edits, 200.0, 0.1, method="stochastic_heun", seed=11, workers=3,
                                    record=["JR.v"])
    assert isinstance(batch, BatchResult) and len(batch) == 6
    assert list(batch.runs["JR.mu"]) == [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]
    assert (batch.runs["status"] == "ok").all()
    for k, edit in enumerate(edits):
        noisy_jr.set_param("JR.mu", edit["JR.mu"])
        alone = noisy_jr.simulate(200.0, 0.1, method="stochastic_heun", seed=int(batch.runs.seed[k]),
                                  record=["JR.v"])
        assert np.array_equal(alone["JR.v"], batch[k]["JR.v"])
    noisy_jr.set_param("JR.mu", 0.22)
    # the same batch serially (one thread) and again in threads: identical
    serial = noisy_jr.simulate_batch(edits, 200.0, 0.1, method="stochastic_heun", seed=11, workers=1,
                                     record=["JR.v"])
    assert np.array_equal(serial["JR.v"], batch["JR.v"])
    assert batch["JR.v"].shape == (6, len(batch.t), 4)
    # the edits changed the runs (mu drives the pyramidal cells) and the model is restored
    assert not np.allclose(batch[0]["JR.v"], batch[5]["JR.v"])
    assert (noisy_jr.params.xs("mu", level="param")["value"] == 0.22).all()


def test_batch_labels_dataframe_and_per_node_values(noisy_jr):
    runs = pd.DataFrame({"JR.A": [3.0, 3.5], "seed": [5, 6]})
    batch = noisy_jr.simulate_batch(runs, 20.0, 0.1, method="stochastic_heun", record="JR.v", every=10,
                                    workers=2)
    assert list(batch.runs.seed) == [5, 6]
    df = batch.to_dataframe()
    assert set(df.columns) >= {"run", "JR.A", "seed", "time", "node", "value"}
    assert len(df) == 2 * len(batch.t) * 4
    assert df.loc[df.run == 1, "JR.A"].eq(3.5).all()
    got = df[(df.run == 1) & (df.node == df.node.iloc[0])]["value"].to_numpy()
    assert np.array_equal(got, batch[1]["JR.v"][:, 0])
    xr = pytest.importorskip("xarray")
    ds = batch.to_xarray()
    assert isinstance(ds, xr.Dataset) and ds["JR.v"].dims == ("run", "time", "node_JR.v")
    assert ds["JR.A"].values.tolist() == [3.0, 3.5]
    assert np.array_equal(ds["JR.v"].sel(run=1).values, batch[1]["JR.v"])
    # per-node values: one array per run
    per_node = noisy_jr.simulate_batch([{"JR.A": np.array([3.0, 3.1, 3.2, 3.3])}], 10.0, 0.1,
                                       method="stochastic_heun", seed=1)
    assert np.array_equal(per_node.runs["JR.A"].iloc[0], [3.0, 3.1, 3.2, 3.3])


def test_reduce_and_recorded_failures(noisy_jr):
    def mean_v(res, k):
        return float(res["JR.v"].mean())
    batch = noisy_jr.simulate_batch([{"JR.mu": 0.2}, {"JR.a": float("nan")}, {"JR.mu": 0.3}], 50.0, 0.1,
                                    method="stochastic_heun", seed=2, reduce=mean_v, on_error="record", record="JR.v",
                                    workers=2)
    assert isinstance(batch[0], float) and isinstance(batch[2], float)
    assert list(batch.runs.status) == ["ok", "error", "ok"]
    assert "'JR.a'" in batch.errors[1].message and "nan" in batch.errors[1].message   # refused by set_param
    with pytest.raises(tc.ModelError):
        noisy_jr.simulate_batch([{"JR.a": float("nan")}], 10.0, 0.1, method="stochastic_heun", workers=2)
    with pytest.raises(tc.ModelError, match="reduce="):
        noisy_jr.simulate_batch(10_000, 10_000.0, 0.01, method="stochastic_heun")


def test_divergence_is_recorded_with_time_and_state(linear_model):
    batch = linear_model.simulate_batch([{"linear.tau": 10.0}, {"linear.tau": -1e-3}], 100.0, 0.1,
                                        on_error="record", workers=2)
    err = batch.errors[1]
    assert err.diverged and 0 < err.time <= 100.0 and err.state.endswith("linear.x")
    assert batch.runs.status.tolist() == ["ok", "diverged"]


def test_replicas_are_independent_copies(noisy_jr):
    twin = replicate(noisy_jr)
    twin.set_param("JR.B", 30.0)
    assert (noisy_jr.params.xs("B", level="param")["value"] == 22.0).all()
    assert twin._mod is noisy_jr._mod          # same kernels, no recompilation
    pool = ReplicaPool(noisy_jr, 3)
    got = [pool.acquire() for _ in range(3)]
    assert len({id(m) for m in got}) == 3 and got[0] is noisy_jr


def test_generated_kernels_release_the_gil(noisy_jr):
    """Batches run in threads: every compiled kernel of the model module and the loops must be nogil."""
    from numba.core.registry import CPUDispatcher
    mod = noisy_jr._mod        # its own kernels (helpers it imports run inside them, GIL already released)
    from tcmcompose.integrate import loops          # the time loops every model shares
    kernels = [f for m in (mod, loops) for f in vars(m).values()
               if isinstance(f, CPUDispatcher) and f.py_func.__module__ == m.__name__]
    assert len(kernels) > 10
    held = [k.py_func.__name__ for k in kernels if not k.targetoptions.get("nogil")]
    assert not held, f"kernels holding the GIL: {held}"
