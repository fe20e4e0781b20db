"""Packaging: the runtime requirements stay lean and `all` really is every extra."""
import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _requirements(text):
    return {line.split(">")[0].split("=")[0].split("<")[0].strip().lower()
            for line in text.splitlines() if line.strip() and not line.strip().startswith("#")}


def _config():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    return cfg


def test_pytest_is_a_test_extra_not_a_runtime_requirement():
    cfg = _config()
    assert "pytest" not in _requirements(cfg["options"]["install_requires"])
    assert "pytest" in _requirements(cfg["options.extras_require"]["test"])


def test_all_extra_is_the_union_of_the_others():
    extras = _config()["options.extras_require"]
    union = set()
    for name in extras:
        if name not in ("all", "docs"):
            union |= _requirements(extras[name])
    assert _requirements(extras["all"]) == union
    assert "tvb-data" not in _requirements(extras["plot"])      # the demo's install pulls no data


def test_readme_first_command_installs_plot_only_and_runs_the_demo():
    readme = (ROOT / "README.md").read_text()
    first = readme.split("```bash\n", 1)[1].splitlines()[0]
    assert first.startswith('pip install ".[plot]"') and "examples/quickstart.py" in first


def test_console_script_points_at_the_cli():
    scripts = _config()["options.entry_points"]["console_scripts"]
    assert "tcmcompose = tcmcompose.cli:main" in [line.strip() for line in scripts.splitlines()]
