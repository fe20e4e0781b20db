"""The ``tcmcompose`` command line.

::

    tcmcompose list-models [--category physiological]
    tcmcompose show jansen_rit                 # equations, ports, parameters
    tcmcompose simulate jansen_rit --duration 2000 --dt 0.1 --record JR.v --seed 1 --out run.nc
    tcmcompose simulate examples/models/ei_ring.yaml --out ring.nc   # settings from the file
    tcmcompose spectrum jansen_rit --input c --output v --freqs 1:60:0.5
    tcmcompose plot run.nc --out run.png
    tcmcompose explore sweep.yaml [--scheduler ADDRESS] --out sweep.csv
    tcmcompose fit fit.yaml [--scheduler ADDRESS] --out evaluations.csv
    tcmcompose cache info | clear
    tcmcompose demo

A model is a catalogue name (``tcmcompose list-models``) or a model file
(``.yaml``/``.json``, see ``examples/models/``). Bad input exits with status
1 and one line on stderr; ``--help`` works on every command.
"""
import sys
from pathlib import Path

import click
import numpy as np

from .errors import ModelError, SimulationError

_USER_ERRORS = (ModelError, SimulationError, FileNotFoundError, ImportError, KeyError, ValueError)


class _Group(click.Group):
    """Turns the package's user errors into one line and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _USER_ERRORS as err:
            text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
            raise click.ClickException(f"{type(err).__name__}: {' '.join(text.split())}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tcmcompose")
def main():
    """Compose, simulate and analyse neural mass models (times in ms, voltages in mV)."""


def _open(model_or_file):
    """(declared object, Simulation settings or None, display name)."""
    from . import catalogue, io
    p = Path(model_or_file)
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        loaded = io.read(p)
        return loaded.model, loaded.simulation, p.name
    try:
        return catalogue.get_model(model_or_file), None, model_or_file
    except ModelError:
        raise ModelError(f"{model_or_file!r} is neither a model file (.yaml/.json) nor a catalogue model; "
                         "see 'tcmcompose list-models'.") from None


@main.command("list-models")
@click.option("--category", type=click.Choice(["phenomenological", "physiological"]), help="Only this category.")
def list_models_cmd(category):
    """The catalogue: name, kind, states, ports, recommended dt, reference."""
    from .catalogue import list_models
    df = list_models(category)
    width = max(len(n) for n in df.index)
    for name, row in df.iterrows():
        click.echo(f"{name:<{width}}  {row['category'][:5]:<5}  {row['kind']:<4}  {row['n_states']:>3} states  "
                   f"dt {row['dt']:<5g} ms  {row['reference']}")


@main.command()
@click.argument("model")
def show(model):
    """Equations, ports, outputs and parameters of MODEL (catalogue name or file)."""
    from .masses.mass import Mass
    from .networks.network import Network
    obj, _, name = _open(model)
    if isinstance(obj, Network):
        click.echo(repr(obj))
        for c in obj.couplings:
            click.echo(f"  coupling {c.name}: {c.source} -> {c.target} ({c.kind}, gain {c.gain:g}, "
                       f"{int(np.count_nonzero(c.weights))} edges, delays {c.delays.min():g}..{c.delays.max():g} ms)")
        nodes = list(dict.fromkeys(obj.nodes))
    else:
        nodes = [obj]
    for nd in nodes:
        masses = {nd.name: nd} if isinstance(nd, Mass) else nd.masses
        if not isinstance(nd, Mass):
            click.echo(f"node {nd.name}: populations {', '.join(f'{k}={m.name}' for k, m in masses.items())}")
            for c in nd.connections:
                click.echo(f"  link {c.source}.{c.output} -> {c.target}.{c.port}  weight {c.weight}  delay {c.delay} ms")
        for label, m in masses.items():
            click.echo(f"[{label}] mass {m.name}")
            for s, e in m.equations.items():
                click.echo(f"  d{s}/dt = {e}")
            for o, e in m.outputs.items():
                click.echo(f"  output {o} = {e}")
            click.echo(f"  input ports: {', '.join(m.inputs) or '(none)'}")
            info = m.param_info
            params = ", ".join(f"{p}={v:g}" + (f" [{info[p]['unit']}]" if "unit" in info.get(p, {}) else "")
                               for p, v in m.params.items())
            click.echo(f"  parameters: {params}")


def _parse_params(items):
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--param {item!r}: write NAME=VALUE, e.g. --param JR.A=3.5")
        out[name.strip()] = float(value)
    return out


@main.command()
@click.argument("model")
@click.option("--duration", type=float, help="ms (default: the file's simulation settings, else 1000).")
@click.option("--dt", type=float, help="ms (default: the file's, else the catalogue's recommended step).")
@click.option("--method", type=click.Choice(["euler", "heun", "rk4", "euler_maruyama", "stochastic_heun"]))
@click.option("--record", multiple=True, help="Variable to keep, 'label.state' or 'label.output' (repeatable).")
@click.option("--seed", type=int, help="Seed for every random draw (noise, OU inputs).")
@click.option("--transient", type=float, help="ms discarded at the start.")
@click.option("--every", type=int, help="Keep every k-th step.")
@click.option("--param", "params", multiple=True, help="Set a parameter, NAME=VALUE (e.g. JR.A=3.5; repeatable).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the result: .nc (NetCDF), .parquet or .csv.")
@click.option("--progress/--no-progress", default=True, help="Progress bar (needs tqdm).")
def simulate(model, duration, dt, method, record, seed, transient, every, params, out, progress):
    """Simulate MODEL (catalogue name or model file) and summarise or save the result."""
    from .catalogue import _entry
    from .io import Simulation
    from .model import build
    obj, sim, name = _open(model)
    if sim is None:
        default_dt = 0.1
        try:
            default_dt = _entry(model).dt
        except ModelError:
            pass
        sim = Simulation(duration=1000.0, dt=default_dt)
    given = {"duration": duration, "dt": dt, "method": method, "record": list(record) or None, "seed": seed,
             "transient": transient, "every": every}
    sim = Simulation(**{**sim.__dict__, **{k: v for k, v in given.items() if v is not None}})
    built = build(obj)
    for pname, value in _parse_params(params).items():
        built.set_param(pname, value)
    res = built.simulate(sim.duration, sim.dt, sim.method, progress=progress, **sim.options())
    click.echo(repr(res))
    if out:
        path = Path(out)
        if path.suffix == ".csv":
            res.to_dataframe().to_csv(path, index=False)
        else:
            res.save(path)
        click.echo(f"saved {path}")


def _freqs(text):
    if ":" in text:
        parts = [float(x) for x in text.split(":")]
        if len(parts) != 3 or parts[2] <= 0 or parts[1] < parts[0]:
            raise ValueError(f"--freqs {text!r}: write START:STOP:STEP in Hz, e.g. 1:60:0.5")
        return np.arange(parts[0], parts[1] + parts[2] / 2, parts[2])
    return np.array([float(x) for x in text.split(",")])


@main.command()
@click.argument("model")
@click.option("--freqs", default="1:60:1", show_default=True, help="Hz: START:STOP:STEP or a comma list.")
@click.option("--input", "inputs", multiple=True, help="Input port or state driven by white noise, "
                                                       "'label.port' (default: the first port).")
@click.option("--output", "outputs", multiple=True, help="Observed state or output (default: the first output).")
@click.option("--param", "params", multiple=True, help="Set a parameter, NAME=VALUE (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the table as .csv.")
def spectrum(model, freqs, inputs, outputs, params, out):
    """Predicted power spectrum of MODEL linearised at its fixed point (exact delays)."""
    from .analysis.transfer import predict_csd
    from .masses.mass import Mass
    from .model import build
    obj, _, name = _open(model)
    f = _freqs(freqs)
    built = build(obj)
    for pname, value in _parse_params(params).items():
        built.set_param(pname, value)
    first = obj if isinstance(obj, Mass) else None
    idx_in, idx_out = built.input_index, built.output_index
    if not inputs:
        if not len(idx_in):
            raise ModelError(f"{name} has no input ports; pass --input with a state name (e.g. a noise target).")
        inputs = [f"{idx_in[0][1]}.{idx_in[0][2]}"]
    if not outputs:
        outputs = [f"{idx_out[0][1]}.{idx_out[0][2]}"]
    inputs = [i if "." in i or first is None else f"{first.name}.{i}" for i in inputs]
    outputs = [o if "." in o or first is None else f"{first.name}.{o}" for o in outputs]
    csd = predict_csd(built, f, inputs, outputs)
    psd = csd.psd()
    click.echo(f"# predicted PSD per Hz of {', '.join(outputs)} driven by unit white noise into {', '.join(inputs)}")
    click.echo(psd.to_string(float_format=lambda v: f"{v:.4g}"))
    peak = psd.mean(axis=1)
    click.echo(f"# peak at {peak.idxmax():g} Hz")
    if out:
        psd.to_csv(out)
        click.echo(f"saved {out}")


@main.command()
@click.argument("result", type=click.Path(dir_okay=False))
@click.option("--variable", "variables", multiple=True, help="Variable(s) to plot (default: all).")
@click.option("--out", type=click.Path(dir_okay=False), help="Image file (default: RESULT with .png).")
def plot(result, variables, out):
    """Plot a saved result (.nc or .parquet) to an image file."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from .io.results import load_result
    res = load_result(result)
    axes = res.plot(list(variables) or None)
    out = out or str(Path(result).with_suffix(".png"))
    axes[0].figure.tight_layout()
    axes[0].figure.savefig(out, dpi=110)
    plt.close(axes[0].figure)
    click.echo(f"saved {out}")


@main.command()
@click.argument("sweep_file")
@click.option("--scheduler", help="Dask scheduler address (or 'processes' for a local cluster); default in-process threads.")
@click.option("--workers", type=int, help="Threads in-process (default: every core).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the table: .csv or .parquet.")
@click.option("--progress/--no-progress", default=True)
def explore(sweep_file, scheduler, workers, out, progress):
    """Run the parameter sweep described by SWEEP_FILE (see tcmcompose.io.sweep_file)."""
    from .explore import explore as run_sweep
    from .io.sweep_file import read_sweep
    from .model import build
    obj, sim, space, metrics, seed, store = read_sweep(sweep_file)
    model = build(obj)
    options, run_seed = _run_options(sim)
    frame = run_sweep(model, space, sim.duration, sim.dt, metrics=metrics, method=sim.method, store=store,
                      client=scheduler, seed=run_seed if seed is None else seed, workers=workers,
                      progress=progress, **options)
    with __import__("pandas").option_context("display.width", 160, "display.max_columns", 20):
        click.echo(frame.to_string(max_rows=40))
    if out:
        path = Path(out)
        frame.to_parquet(path) if path.suffix == ".parquet" else frame.to_csv(path, index=False)
        click.echo(f"saved {path}")


def _run_options(sim):
    """(simulate keywords, seed) of a file's simulation settings, for sweeps and fits."""
    options = {k: v for k, v in sim.options().items() if v is not None}
    return options, options.pop("seed", None)


@main.command()
@click.argument("fit_file")
@click.option("--scheduler", default=None, help="Dask scheduler address (default: threads in this process).")
@click.option("--workers", type=int, default=None, help="Threads (or local Dask workers).")
@click.option("--out", default=None, help="Save every evaluation (CSV, or Parquet for .parquet).")
@click.option("--progress/--no-progress", default=True, help="One line per generation.")
def fit(fit_file, scheduler, workers, out, progress):
    """Fit parameters by CMA-ES as FIT_FILE says (see tcmcompose.io.fit_file)."""
    from .explore import fit_cmaes
    from .io.fit_file import read_fit
    from .model import build
    obj, sim, kwargs = read_fit(fit_file)
    model = build(obj)
    options, _ = _run_options(sim)        # every candidate runs with the fit's own seed
    result = fit_cmaes(model, duration=sim.duration, dt=sim.dt, method=sim.method, client=scheduler,
                       workers=workers, progress=progress, **kwargs, **options)
    click.echo(repr(result))
    for name, value in result.best.items():
        click.echo(f"{name} = {value:.6g}")
    if out:
        path = Path(out)
        result.history.to_parquet(path) if path.suffix == ".parquet" else result.history.to_csv(path, index=False)
        click.echo(f"saved {path}")


@main.group()
def cache():
    """The generated-code cache ($TCMCOMPOSE_CACHE or the user cache folder)."""


@cache.command("info")
def cache_info():
    """Where the cache is, how many generated modules it holds and their size (tc.cache.info())."""
    from .codegen import cache as code_cache
    d = code_cache.info()
    click.echo(f"{d['folder']}: {d['modules']} generated modules, {d['size']} on disk "
               f"(limit {d['limit_bytes'] / 1e9:g} GB)")


@cache.command("clear")
def cache_clear():
    """Delete every generated module and its compiled kernels (rebuilt on next use; tc.cache.clear())."""
    from .codegen import cache as code_cache
    folder = code_cache.cache_dir()
    removed = code_cache.clear()
    click.echo(f"removed {removed} files from {folder}")


@main.command()
@click.option("--nodes", type=int, default=8, show_default=True)
@click.option("--duration", type=float, default=2000.0, show_default=True, help="ms")
@click.option("--png", default="quickstart.png", show_default=True)
def demo(nodes, duration, png):
    """The quickstart: an 8-node delayed Jansen-Rit network, simulated, summarised and plotted."""
    from .demo import main as demo_main
    code = demo_main(["--nodes", str(nodes), "--duration", str(duration), "--png", png])
    sys.exit(code)


if __name__ == "__main__":
    main()
