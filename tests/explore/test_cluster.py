"""Sweeps on a real Dask cluster: a scheduler and two workers started with the
``dask`` command-line programs on 127.0.0.1; one worker is killed mid-sweep."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose.explore import Store
from tests.explore.sweep_models import noisy_jr, sweep

distributed = pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def model():
    return tc.build(noisy_jr())


@pytest.fixture
def cluster(tmp_path):
    """(address, [worker processes]); everything killed afterwards."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "cluster.log", "w")
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], env=env, stdout=log, stderr=subprocess.STDOUT)]
    workers = []
    try:
        for _ in range(2):
            w = subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                  "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                                 env=env, stdout=log, stderr=subprocess.STDOUT)
            workers.append(w)
            procs.append(w)
        yield address, workers
    finally:
        for w in workers:                  # test-owned processes: no graceful shutdown needed
            if w.poll() is None:
                w.kill()
        procs[0].send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()


def test_sweep_survives_a_killed_worker(tmp_path, model, cluster):
    address, workers = cluster
    reference = sweep(model)                                   # in-process, uninterrupted
    client = distributed.Client(address, timeout=60)
    try:
        client.wait_for_workers(2, timeout=120)
        # warm both workers (model built from the on-disk cache), so the sweep itself is quick
        client.run(lambda: __import__("tcmcompose"))
        killed = []

        def kill_first_worker(done, total):
            if not killed and done >= 2:
                killed.append(done)
                workers[0].send_signal(signal.SIGKILL)
            time.sleep(0.1)

        store = tmp_path / "dask_store"
        got = sweep(model, store, client=client, chunk=1, progress=kill_first_worker)
        assert killed and killed[0] < 15 and workers[0].wait(10) is not None
        assert len(client.scheduler_info()["workers"]) == 1
        # the surviving worker built the model once and kept it warm for all its tasks
        from tcmcompose.explore.cluster import worker_state
        (state,) = client.run(worker_state).values()
        assert list(state.values()) == [(1, 1)]
        # a CMA-ES fit with its populations as Dask tasks: the same history as in-process
        fit_args = dict(bounds={"JR.mu": (0.1, 0.3), "JR.A": (3.0, 3.5)}, duration=300.0, dt=0.1,
                        metrics={"mean": tc.explore.metrics.mean_value("JR.v")},
                        loss=lambda row: abs(row["mean"] - 14.0), method="stochastic_heun", popsize=4, max_evals=8,
                        seed=3, record=["JR.v"], every=10)
        remote = tc.explore.fit_cmaes(model, client=client, **fit_args)
        local = tc.explore.fit_cmaes(model, workers=2, **fit_args)
        pd.testing.assert_frame_equal(remote.history, local.history)
    finally:
        client.close()
    stored = Store(store).read()
    assert sorted(stored.point) == list(range(15))            # every point exactly once
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(reference))


def test_bad_client_is_refused(model):
    with pytest.raises(tc.ModelError, match="client="):
        sweep(model, client=2.5)
