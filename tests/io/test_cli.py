"""The ``tcmcompose`` command, run as users run it: the installed executable in a subprocess."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tcmcompose as tc

ROOT = Path(__file__).resolve().parents[2]
RING = ROOT / "examples" / "models" / "ei_ring.yaml"


def _command():
    """The installed ``tcmcompose`` executable (as CI installs it); a checkout whose install
    predates the entry point runs the same module with this interpreter instead."""
    exe = shutil.which("tcmcompose")
    return [exe] if exe else [sys.executable, "-m", "tcmcompose.cli"]


def run(*args, env=None, cwd=None):
    return subprocess.run(_command() + [str(a) for a in args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def invoke(*args):
    """The same command in this process (cheap: no interpreter start-up per call)."""
    from click.testing import CliRunner
    from tcmcompose.cli import main
    return CliRunner().invoke(main, [str(a) for a in args])


def test_installed_command_runs_and_fails_cleanly():
    top = run("--help")
    assert top.returncode == 0 and "simulate" in top.stdout
    bad = run("show", "no_such_model")
    lines = [ln for ln in bad.stderr.splitlines() if ln.strip()]
    assert bad.returncode == 1 and len(lines) == 1 and "neither a model file" in lines[0]


def test_help_everywhere():
    for cmd in ("list-models", "show", "simulate", "spectrum", "plot", "explore", "fit", "cache", "cache info",
                "demo"):
        res = invoke(*cmd.split(), "--help")
        assert res.exit_code == 0 and "Usage:" in res.output, cmd


def test_list_models_and_show():
    out = invoke("list-models").output
    for name in tc.list_models().index:
        assert name in out
    shown = invoke("show", "jansen_rit")
    assert shown.exit_code == 0
    assert "dy3/dt = " in shown.output and "input ports: c" in shown.output and "A=3.25" in shown.output


@pytest.mark.parametrize("args,message", [
    (("simulate", "hopf", "--dt", "-1"), r"dt.*-1\.0.*positive"),
    (("simulate", "hopf", "--duration", "10", "--record", "hopf.nope"), "hopf.nope"),
    (("simulate", "hopf", "--duration", "10", "--param", "a0.3"), "write NAME=VALUE"),
    (("spectrum", "hopf", "--freqs", "10:1:1"), "START:STOP:STEP"),
    (("simulate", "missing.yaml"), "no such file"),
    (("plot", "missing.nc"), "no such file"),
])
def test_bad_input_exits_1_with_one_line(args, message):
    res = invoke(*args)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.exit_code == 1 and len(lines) == 1 and re.search(message, lines[0]), res.stderr


def test_simulate_a_model_file_saves_what_python_computes(tmp_path):
    out = tmp_path / "ring.nc"
    res = run("simulate", RING, "--duration", "200", "--seed", "5", "--param", "E.theta=0.45", "--out", out)
    assert res.returncode == 0, res.stderr
    assert "E.r" in res.stdout and f"saved {out}" in res.stdout
    saved = tc.load_result(out)
    loaded = tc.io.read(RING)
    model = tc.build(loaded.model)
    model.set_param("E.theta", 0.45)
    expected = loaded.simulation.run(model, duration=200.0, seed=5)
    np.testing.assert_array_equal(saved["E.r"], expected["E.r"])
    assert saved.info["seed"] == 5
    png = tmp_path / "ring.png"
    plotted = run("plot", out, "--out", png)
    assert plotted.returncode == 0 and png.stat().st_size > 10_000


def test_spectrum_matches_the_closed_form_of_a_damped_hopf(tmp_path):
    """Linearised Stuart-Landau focus x' = a x - w y + u: H_xx(s) = (s - a) / ((s - a)^2 + w^2),
    one-sided PSD per Hz = 2/1000 |H|^2 for unit white noise per ms (s = 2 pi i f / 1000)."""
    a, w = -0.05, 0.06
    out = tmp_path / "psd.csv"
    res = run("spectrum", "hopf", "--freqs", "2:20:0.5", "--param", f"hopf.a={a}", "--param", f"hopf.omega={w}",
              "--input", "u_x", "--output", "x", "--out", out)
    assert res.returncode == 0, res.stderr
    table = np.loadtxt(out, delimiter=",", skiprows=1)
    s = 2j * np.pi * table[:, 0] / 1000.0
    expected = 2e-3 * np.abs((s - a) / ((s - a) ** 2 + w ** 2)) ** 2
    np.testing.assert_allclose(table[:, 1], expected, rtol=1e-9)
    assert f"# peak at {table[np.argmax(expected), 0]:g} Hz" in res.stdout


def test_cache_info_and_clear(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "tcmcompose_generated_abc.py").write_text("# generated\n")
    (cache / "__pycache__").mkdir()
    (cache / "__pycache__" / "tcmcompose_generated_abc.rhs-1.py311.nbi").write_bytes(b"x" * 10)
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(cache))
    assert f"{cache}: 1 generated modules" in invoke("cache", "info").output
    cleared = invoke("cache", "clear")
    assert cleared.exit_code == 0 and "removed 2 files" in cleared.output
    assert not list(cache.rglob("tcmcompose_generated_*")) and "0 generated modules" in invoke("cache", "info").output


def _write_yaml(path, data):
    import yaml
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


HOPF_SIM = {"duration": 2000.0, "dt": 0.1, "method": "euler", "record": ["hopf.x"], "transient": 500.0}
HOPF_PEAK = {"metric": "psd_peak", "variable": "hopf.x", "band": [2, 40], "segment_ms": 1500.0}


def test_explore_runs_a_sweep_file_and_reads_a_target_file(tmp_path):
    """On the Hopf limit cycle x' = (a - r^2) x - w y the frequency is w exactly:
    the sweep's peaks are w * 1000 / 2 pi Hz (to the Welch resolution, 2/3 Hz)."""
    omegas = [0.04, 0.0628, 0.09]
    sweep = _write_yaml(tmp_path / "sweep.yaml", {
        "schema_version": 1, "kind": "sweep", "model": "hopf", "simulation": HOPF_SIM,
        "space": {"grid": {"hopf.omega": omegas}}, "metrics": {"peak": HOPF_PEAK}})
    out = tmp_path / "sweep.csv"
    res = run("explore", sweep, "--workers", "1", "--no-progress", "--out", out)
    assert res.returncode == 0, res.stderr
    import pandas as pd
    frame = pd.read_csv(out).sort_values("hopf.omega")
    np.testing.assert_allclose(frame["peak.frequency"], np.array(omegas) * 1000 / (2 * np.pi), atol=0.34)


def test_fit_recovers_a_hidden_frequency_from_a_fit_file(tmp_path):
    """`tcmcompose fit`: CMA-ES over (omega, a) with a target peak of 12 Hz
    (omega = 0.0754 rad/ms hidden); unknown loss names are named."""
    spec = {"schema_version": 1, "kind": "fit", "model": "hopf", "simulation": HOPF_SIM,
            "bounds": {"hopf.omega": [0.03, 0.12], "hopf.a": [0.05, 0.5]},
            "metrics": {"peak": HOPF_PEAK}, "loss": {"peak.frequency": {"target": 12.0}},
            "max_evals": 48, "popsize": 8, "seed": 1}
    out = tmp_path / "evaluations.csv"
    res = run("fit", _write_yaml(tmp_path / "fit.yaml", spec), "--workers", "1", "--no-progress", "--out", out)
    assert res.returncode == 0, res.stderr
    best = float(re.search(r"hopf\.omega = ([0-9.eE+-]+)", res.stdout).group(1))
    assert abs(best * 1000 / (2 * np.pi) - 12.0) < 0.67
    import pandas as pd
    history = pd.read_csv(out)
    assert len(history) >= 16 and history["loss"].min() < 0.34
    spec["loss"] = {"peek.frequency": 1.0}
    bad = run("fit", _write_yaml(tmp_path / "bad.yaml", spec))
    assert bad.returncode == 1 and "loss.peek.frequency: no metric of that name" in bad.stderr
    assert "did you mean 'peak'" in bad.stderr
