"""CMA-ES fitting recovers hidden parameters."""
import pytest

import tcmcompose as tc
from tests.conftest import tanh_mass

pytest.importorskip("cma")


@pytest.fixture(scope="module")
def tanh_model():
    return tc.build(tanh_mass())


def samples(res):
    x = res["tanh_unit.x"][:, 0]
    return {"early": x[50], "late": x[-1]}            # x(0.5 ms), x(5 ms)


def test_cmaes_recovers_hidden_parameters(tanh_model):
    # x' = (-x + tanh(I0)) / tau: x(t) = tanh(I0) + (x0 - tanh(I0)) exp(-t/tau), hidden tau = 1.7 ms, I0 = 0.45
    import math
    hidden = {"tau": 1.7, "I0": 0.45}
    target = {t: math.tanh(0.45) + (0.1 - math.tanh(0.45)) * math.exp(-t / 1.7) for t in (0.5, 5.0)}

    def loss(row):
        return (row["x.early"] - target[0.5]) ** 2 + (row["x.late"] - target[5.0]) ** 2
    fit = tc.explore.fit_cmaes(tanh_model, {"tanh_unit.tau": (0.5, 10.0), "tanh_unit.I0": (-1.0, 1.0)}, 5.0, 0.01,
                               metrics={"x": samples}, loss=loss, method="rk4", log=["tanh_unit.tau"],
                               max_evals=400, seed=1, workers=2, tolfun=1e-16)
    assert fit.best["tanh_unit.tau"] == pytest.approx(hidden["tau"], rel=1e-3)
    assert fit.best["tanh_unit.I0"] == pytest.approx(hidden["I0"], rel=1e-3)
    h = fit.history
    assert list(h.columns[:5]) == ["generation", "evaluation", "tanh_unit.tau", "tanh_unit.I0", "loss"]
    assert h["tanh_unit.tau"].between(0.5, 10.0).all() and h.evaluation.tolist() == list(range(len(h)))
    assert fit.path().loss.iloc[-1] < fit.path().loss.iloc[0]


def guard(res):
    if abs(res["tanh_unit.x"]).max() > 10:
        raise ValueError("runaway")
    return 0.0


def test_weighted_loss_and_failed_candidates(tanh_model):
    fit = tc.explore.fit_cmaes(tanh_model, {"tanh_unit.tau": (-1.0, 5.0), "tanh_unit.I0": (-1.0, 1.0)}, 5.0, 0.1,
                               metrics={"x": samples, "guard": guard}, loss={"x.late": -1.0, "x.early": 0.5},
                               max_evals=30, seed=2, workers=1)
    h = fit.history
    bad = h[h["tanh_unit.tau"] < -0.05]            # x grows as exp(5 ms / |tau|) > 10
    assert len(bad) and (bad.loss == 1e6).all() and (bad.status != "ok").all()
    ok = h[h.status == "ok"]
    assert ok.loss.to_numpy() == pytest.approx((-ok["x.late"] + 0.5 * ok["x.early"]).to_numpy())
    with pytest.raises(tc.ModelError, match="2 or more"):
        tc.explore.fit_cmaes(tanh_model, {"tanh_unit.tau": (1, 2)}, 5.0, 0.1, metrics={"x": samples},
                             loss={"x.late": 1.0})
