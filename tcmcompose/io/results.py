"""Saved results: an xarray Dataset, NetCDF and Parquet files, and re-runs.

A result saved by :meth:`Result.save` holds the recorded traces (dims
``time``, ``node``, ``variable``; NaN where a node lacks a variable) and what
a re-run needs: the model file text (``attrs["model_file"]``), the run
settings (``attrs["settings"]``, JSON) with the seed, and the data edited on
the built model since it was declared (parameter values, local link weights
and delays, coupling gains and matrices, initial state). :func:`rerun`
rebuilds the model from these and runs it again: a deterministic or seeded
run reproduces the saved traces bit for bit.

NetCDF needs xarray (``pip install "tcmcompose[results]"``) and is written
with netCDF4 or h5netcdf when installed, else SciPy (NetCDF3); Parquet needs
pyarrow (same extra).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import ModelError

#: run options a file can carry; others (stimuli, noise paths) make a result not re-runnable
_PORTABLE = ("duration", "dt", "method", "record", "every", "transient", "seed", "coupling_mode",
             "delay_interpolation", "noise", "chunk", "progress", "stimulus_hold", "short_delays")


def _xarray():
    try:
        import xarray
    except ImportError:
        raise ImportError('saving results needs xarray: pip install "tcmcompose[results]"') from None
    return xarray


def _settings(res):
    settings = dict(getattr(res, "settings", None) or {})
    missing = sorted(k for k in settings if k not in _PORTABLE and k != "initial")
    initial = settings.pop("initial", None)
    out = {k: v for k, v in settings.items() if k in _PORTABLE}
    if "seed" in res.info:
        out["seed"] = int(res.info["seed"])
    if isinstance(out.get("record"), str):
        out["record"] = [out["record"]]
    if isinstance(initial, dict):
        out["initial"] = {k: float(v) for k, v in initial.items()}
    elif initial is not None:
        out["initial_array"] = True
    return out, missing, initial


def to_xarray(res):
    """The result as an :class:`xarray.Dataset` (see the module docstring)."""
    xr = _xarray()
    model = getattr(res, "model", None)
    nodes = list(model._low.node_labels) if model is not None else list(dict.fromkeys(
        n for v in res.variables for n in res.nodes(v)))
    pos = {n: k for k, n in enumerate(nodes)}
    cube = np.full((len(res.t), len(nodes), len(res.variables)), np.nan)
    for j, var in enumerate(res.variables):
        cube[:, [pos[n] for n in res.nodes(var)], j] = res[var]
    settings, missing, initial = _settings(res)
    attrs = {"tcmcompose_version": __version__, "time_unit": "ms",
             "method": str(res.info.get("method", "")), "dt": float(res.info.get("dt", np.nan)),
             "seed": int(res.info.get("seed", -1)), "settings": json.dumps(settings),
             "info": json.dumps({k: v for k, v in res.info.items() if isinstance(v, (int, float, str, bool))}),
             "rerunnable": int(model is not None and not missing),
             "not_recorded": json.dumps(missing)}
    data = {"value": (("time", "node", "variable"), cube)}
    coords = {"time": ("time", np.asarray(res.t, float), {"units": "ms"}), "node": nodes,
              "variable": list(res.variables)}
    if res.final_state is not None:
        data["final_state"] = (("state",), np.asarray(res.final_state, float))
        coords["state"] = [".".join(map(str, i)) for i in res.state_index]
    if model is not None:
        from .model_file import dump
        import yaml
        attrs["model_file"] = yaml.safe_dump(dump(model.network), sort_keys=False)
        attrs["model_hash"] = Path(model.path).stem
        attrs["parameters"] = json.dumps({".".join(map(str, k)): float(v) for k, v in model.params["value"].items()})
        data["param_value"] = (("param",), model.params["value"].to_numpy(float))
        coords["param"] = [".".join(map(str, k)) for k in model.params.index]
        data["x0"] = (("state",), np.asarray(model.x0, float))
        if isinstance(initial, np.ndarray) or (initial is not None and not isinstance(initial, dict)):
            data["initial_state"] = (("state",), np.asarray(initial, float).reshape(-1))
        links = model.connections
        coords["link"] = np.arange(len(links))
        for col in ("weight", "delay"):
            data[f"link_{col}"] = (("link",), links[col].to_numpy(float))
        for col in ("weight_expr", "delay_expr"):
            data[f"link_{col}"] = (("link",), links[col].astype(str).to_numpy())
        if model.couplings:
            coords["coupling"] = [c.name for c in model.couplings]
            data["coupling_gain"] = (("coupling",), np.array([c.gain for c in model.couplings]))
            data["coupling_weights"] = (("coupling", "target", "source"), np.array([c.weights for c in model.couplings]))
            data["coupling_delays"] = (("coupling", "target", "source"), np.array([c.delays for c in model.couplings]))
            coords["target"] = coords["source"] = nodes
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _engine():
    for name in ("netCDF4", "h5netcdf"):
        try:
            __import__(name)
            return name.lower()
        except ImportError:
            pass
    return "scipy"


def save(res, path):
    """Write a result: ``.nc`` (NetCDF, everything) or ``.parquet`` (the tidy frame + settings)."""
    path = Path(path)
    if path.suffix == ".nc":
        to_xarray(res).to_netcdf(path, engine=_engine())
    elif path.suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError('Parquet needs pyarrow: pip install "tcmcompose[results]"') from None
        ds_attrs = to_xarray(res).attrs if getattr(res, "model", None) is not None else {}
        meta = {"info": json.dumps({k: v for k, v in res.info.items() if isinstance(v, (int, float, str, bool))}),
                "settings": ds_attrs.get("settings", json.dumps(_settings(res)[0])),
                "model_file": ds_attrs.get("model_file", ""), "tcmcompose_version": __version__}
        table = pa.Table.from_pandas(res.to_dataframe(), preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"tcmcompose": json.dumps(meta).encode()})
        pq.write_table(table, path)
    else:
        raise ModelError(f"{path}: save results as .nc (NetCDF) or .parquet (tidy table).")
    return path


def from_xarray(ds):
    """A :class:`~tcmcompose.Result` from a Dataset written by :func:`to_xarray`."""
    from ..result import Result
    t = ds["time"].to_numpy()
    nodes = [str(n) for n in ds["node"].to_numpy()]
    data, labels = {}, {}
    cube = ds["value"].to_numpy()
    for j, var in enumerate(str(v) for v in ds["variable"].to_numpy()):
        keep = ~np.all(np.isnan(cube[:, :, j]), axis=0) if len(t) else np.ones(len(nodes), bool)
        data[var] = np.ascontiguousarray(cube[:, keep, j])
        labels[var] = [n for n, k in zip(nodes, keep) if k]
    state_index = None
    final = None
    if "final_state" in ds:
        final = ds["final_state"].to_numpy()
        state_index = pd.MultiIndex.from_tuples([tuple(s.split(".", 2)) for s in map(str, ds["state"].to_numpy())],
                                                names=["node", "mass", "state"])
    info = json.loads(ds.attrs.get("info", "{}"))
    res = Result(t, data, labels, final, state_index, info)
    res.saved = {k: ds.attrs[k] for k in ds.attrs}
    res.saved_data = ds
    return res


def load_result(path):
    """Read a result written by :meth:`Result.save` (``.nc`` or ``.parquet``)."""
    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such file.")
    if path.suffix == ".nc":
        xr = _xarray()
        with xr.open_dataset(path, engine=_engine()) as ds:
            return from_xarray(ds.load())
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq
        from ..result import Result
        table = pq.read_table(path)
        meta = json.loads((table.schema.metadata or {}).get(b"tcmcompose", b"{}"))
        df = table.to_pandas()
        data, labels, t = {}, {}, np.unique(df["time"].to_numpy())
        for (mass, var), part in df.groupby(["mass", "variable"], sort=False):
            wide = part.pivot(index="time", columns="node", values="value")
            order = list(dict.fromkeys(part["node"]))
            data[f"{mass}.{var}"] = wide[order].to_numpy()
            labels[f"{mass}.{var}"] = [str(n) for n in order]
        res = Result(t, data, labels, None, None, json.loads(meta.get("info", "{}")))
        res.saved = meta
        return res
    raise ModelError(f"{path}: results are .nc (NetCDF) or .parquet files.")


def rebuild(res):
    """The CompiledModel a saved result came from, with the data it ran with."""
    from .. import build
    import tempfile
    saved = getattr(res, "saved", None)
    if not saved or not saved.get("model_file"):
        raise ModelError("this result carries no model file; save it from a model.simulate() result.")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "model.yaml"
        p.write_text(saved["model_file"])
        from . import load
        net = load(p)
    model = build(net)
    ds = getattr(res, "saved_data", None)
    if ds is not None:
        if [".".join(map(str, k)) for k in model.params.index] != [str(p) for p in ds["param"].to_numpy()]:
            raise ModelError("the rebuilt model's parameters differ from the saved ones; was the file edited?")
        model.params["value"] = ds["param_value"].to_numpy()
        model.x0[:] = ds["x0"].to_numpy()
        for col in ("weight", "delay"):
            model.connections[col] = ds[f"link_{col}"].to_numpy()
        for col in ("weight_expr", "delay_expr"):
            model.connections[col] = [str(v) for v in ds[f"link_{col}"].to_numpy()]
        for k, c in enumerate(model.couplings):
            c.gain = float(ds["coupling_gain"][k])
            c.weights = ds["coupling_weights"][k].to_numpy().copy()
            c.delays = ds["coupling_delays"][k].to_numpy().copy()
    return model


def rerun(res):
    """Run a saved result's model again with its settings and seed (see :func:`rebuild`)."""
    saved = getattr(res, "saved", None) or {}
    if "rerunnable" in saved and not int(saved["rerunnable"]):
        missing = ", ".join(json.loads(saved.get("not_recorded", "[]")))
        raise ModelError(f"this result cannot be re-run: option(s) {missing} of the run are not saved in files "
                         "(stimulus objects, noise paths); re-run it from Python.")
    settings = json.loads(saved.get("settings", "{}"))
    model = rebuild(res)
    if settings.pop("initial_array", False):
        settings["initial"] = res.saved_data["initial_state"].to_numpy()
    duration, dt, method = settings.pop("duration"), settings.pop("dt"), settings.pop("method", "heun")
    settings.pop("progress", None)
    return model.simulate(duration, dt, method, **settings)
