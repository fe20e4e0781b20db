"""Pages generated at build time: the catalogue (equations from each model's SymPy expressions)
and the examples (each script run, its output and figure shown)."""
import ast
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATED = HERE / "generated"

#: examples run at build time: (script, arguments, figure it writes, what it shows); the first
#: three are the quick set that CI runs (TCMCOMPOSE_DOCS_EXAMPLES=quick), "0" runs none, default all
QUICK = 3
EXAMPLES = [
    ("quickstart.py", ["--png", "{fig}"], "quickstart.png",
     "An 8-node Jansen-Rit network with 2-20 ms delays: traces and spectrum."),
    ("tcm_column.py", ["--png", "{fig}"], "tcm_column.png",
     "The thalamo-cortical column: fixed point, its stability with exact delays, the LFP and its spectrum."),
    ("heterogeneous_thalamocortical.py", ["--out", "{fig}"], "heterogeneous_thalamocortical.png",
     "Jansen-Rit cortex and a Costa thalamus in one network; the loop closed and cut."),
    ("swap_population.py", ["--png", "{fig}"], "swap_population.png",
     "Swapping populations in the TCM column and what each swap changes in the LFP."),
    ("catalogue_tour.py", ["--out", "{fig}"], "catalogue_tour.png",
     "Every catalogue model in the regime it is known for."),
    ("resting_state_bold.py", ["--minutes", "2", "--out", "{fig}"], "resting_state_bold.png",
     "Resting-state BOLD from a noisy reduced Wong-Wang network on the built-in connectome (2 minutes here)."),
]


def _rst_escape(text):
    return text.replace("*", r"\*").replace("_", r"\_")


def catalogue_page():
    import tcmcompose as tc
    from tcmcompose.masses.mass import Mass
    lines = ["The catalogue", "=============", "",
             "Every model of ``tc.list_models()``, built with ``tc.get_model(name, **params)``. "
             "Equations are printed from the same SymPy expressions the generated code is made of "
             "(time in ms; dX/dt per ms).", ""]
    lines += ["Input ports", "-----------", "",
              "One vocabulary for every catalogue model (``tcmcompose.catalogue.PORTS``; "
              "``port_table()`` lists the users); map ports when swapping a population with "
              "``node.replace(label, mass, ports={'old': 'new'})``.", ""]
    for port, row in tc.catalogue.port_table().iterrows():
        lines.append(f"* ``{port}`` — {_rst_escape(row['meaning'])} ({', '.join(row['models']) or 'no model yet'})")
    lines.append("")
    table = tc.list_models()
    for name, row in table.iterrows():
        obj = tc.get_model(name)
        lines += [name, "-" * len(name), "",
                  f"*{row['category']}, {row['kind']}* — {row['typical_use']}. Reference: {row['reference']}. "
                  f"Recommended Heun step: {row['dt']:g} ms.", ""]
        masses = {name: obj} if isinstance(obj, Mass) else obj.masses
        for label, m in masses.items():
            lines += [f"Population ``{label}`` (mass ``{m.name}``): input ports "
                      f"{', '.join('``%s``' % p for p in m.inputs) or 'none'}; outputs "
                      f"{', '.join('``%s``' % o for o in m.outputs)}.", "", ".. math::", ""]
            lines += ["   " + line for line in m.latex().splitlines()]
            lines += ["", "Parameters: " + ", ".join(f"``{p}`` = {v:g}" for p, v in m.params.items()) + ".", ""]
    (GENERATED / "catalogue.rst").write_text("\n".join(lines) + "\n")


def examples_page(which):
    run = which != "0"
    lines = ["Examples", "========", "",
             "Each script in ``examples/`` prints a result and writes a figure. "
             + ("They were run when this page was built; their output and figures follow."
                if run else "This build skipped running them (TCMCOMPOSE_DOCS_EXAMPLES=0)."), ""]
    if which == "quick":
        lines += ["This is a quick build: the first examples were run, the others are described.", ""]
    for k, (script, args, fig, what) in enumerate(EXAMPLES):
        title = script[:-3].replace("_", " ")
        doc = ast.get_docstring(ast.parse((ROOT / "examples" / script).read_text())) or ""
        lines += [title, "-" * len(title), "", what, f"Source: ``examples/{script}``.", "", ".. code-block:: text", ""]
        lines += ["   " + line for line in doc.splitlines()] + [""]
        if not run or (which == "quick" and k >= QUICK):
            if run:
                lines += [f"(Not run in this quick build: ``python examples/{script}`` makes its figure.)", ""]
            continue
        cmd = [sys.executable, str(ROOT / "examples" / script)] + [a.format(fig=GENERATED / fig) for a in args]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=GENERATED,
                             env={**os.environ, "MPLBACKEND": "Agg"})
        if out.returncode != 0:
            raise RuntimeError(f"example {script} failed:\n{out.stderr[-2000:]}")
        text = "\n".join(line for line in out.stdout.splitlines() if line.strip())
        lines += [f"Output (ran in {time.perf_counter() - t0:.0f} s):", "", ".. code-block:: text", ""]
        lines += ["   " + line for line in text.splitlines()] + ["", f".. image:: {fig}", "   :width: 100%", ""]
    (GENERATED / "examples.rst").write_text("\n".join(lines) + "\n")


def generate(app):
    GENERATED.mkdir(exist_ok=True)
    catalogue_page()
    examples_page(os.environ.get("TCMCOMPOSE_DOCS_EXAMPLES", "all"))


def setup(app):
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True}
