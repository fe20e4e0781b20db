"""Where the first run of a new structure spends its time (issue 16).

    python benchmarks/profile_first_run.py [--cases jr76,tcm,mixed] [--warm] [--top 12]

Each case runs in a fresh process on an empty ``TCMCOMPOSE_CACHE`` (then,
with ``--warm``, once more on that cache) and reports wall time per phase:
``import tcmcompose``, lowering, code generation (SymPy), executing the
generated module, the warm-up (every Numba dispatcher compiled or loaded
from Numba's cache, with its own time, callees excluded) and the first
``simulate``. The cases are those of ``bench_first_run.py``.
"""
import argparse
import os
import subprocess
import sys
import tempfile

SCRIPT = r"""
import sys, time, cProfile, pstats, io
T = {}
t0 = time.perf_counter()
import numpy as np
import numba
T["import numpy+numba"] = time.perf_counter() - t0
t = time.perf_counter()
import tcmcompose as tc
T["import tcmcompose (rest)"] = time.perf_counter() - t

# ---- time every dispatcher compile (self time: callees excluded), cache loads apart
from numba.core import dispatcher as _d
records, stack = [], []
_orig = _d.Dispatcher.compile
def compile(self, sig):
    hits = sum(self._cache_hits.values())
    stack.append(0.0)
    t = time.perf_counter()
    try:
        return _orig(self, sig)
    finally:
        dur = time.perf_counter() - t
        child = stack.pop()
        if stack:
            stack[-1] += dur
        if dur > 1e-4:
            loaded = sum(self._cache_hits.values()) > hits
            llvm = 0.0
            for cres in self.overloads.values():
                llvm = max(llvm, cres.metadata.get("timers", {}).get("llvm_lock", 0.0) if cres.metadata else 0.0)
            records.append((self.py_func.__module__.replace("tcmcompose_generated_", "gen_")[:16] + "."
                            + self.py_func.__name__, dur - child, loaded, phase[0], llvm))
_d.Dispatcher.compile = compile
phase = ["?"]

case = sys.argv[1]
sys.path.insert(0, "benchmarks")
from bench_first_run import make_case
obj, dt = make_case(case, False)

from tcmcompose.codegen import cache as cache_mod, generate
from tcmcompose.codegen.lower import Lowered, as_network
from tcmcompose.codegen.unroll import plan_unroll
from tcmcompose.model import CompiledModel
from tcmcompose.integrate.simulate import compile_kernels
from tcmcompose import __version__

t = time.perf_counter()
low = Lowered(as_network(obj))
plan = plan_unroll(low, None)
T["lower + unroll plan"] = time.perf_counter() - t
t = time.perf_counter()
key = cache_mod.structure_key(low.masses, __version__, plan)
T["structure key"] = time.perf_counter() - t
prof = cProfile.Profile()
_gen = generate.generate_source
def timed_gen(*a):
    t = time.perf_counter()
    prof.enable()
    try:
        return _gen(*a)
    finally:
        prof.disable()
        T["generate source (SymPy)"] = time.perf_counter() - t
cache_mod.generate_source = timed_gen
_imp = cache_mod._import
def timed_import(*a):
    t = time.perf_counter()
    try:
        return _imp(*a)
    finally:
        T["exec module"] = time.perf_counter() - t
cache_mod._import = timed_import
t = time.perf_counter()
with cache_mod.building(low.masses, __version__, plan) as (module, path, cold, description):
    T["load_module (gen+exec+checks)"] = time.perf_counter() - t
    t = time.perf_counter()
    model = CompiledModel(low, module, path, description)
    T["CompiledModel()"] = time.perf_counter() - t
    phase[0] = "warm-up"
    t = time.perf_counter()
    compile_kernels(model)
    T["warm-up compile_kernels"] = time.perf_counter() - t
phase[0] = "1st simulate"
t = time.perf_counter()
model.simulate(100.0, dt, method="heun")
T["first simulate (100 ms heun)"] = time.perf_counter() - t
phase[0] = "2nd simulate"
t = time.perf_counter()
model.simulate(100.0, dt, method="heun")
T["second simulate"] = time.perf_counter() - t
print("cold" if cold else "warm", path.name)
for k, v in T.items():
    print(f"  {k:34s} {v:7.3f}")
print(f"  {'total after import':34s} {sum(v for k, v in T.items() if not k.startswith('import') and k not in ('second simulate', 'structure key', 'exec module', 'generate source (SymPy)')):7.3f}")
by = {}
for name, dur, loaded, ph, llvm in records:
    e = by.setdefault((ph, "load" if loaded else "compile"), [0.0, 0])
    e[0] += dur; e[1] += 1
for (ph, kind), (dur, n) in sorted(by.items()):
    print(f"  numba {kind:8s} in {ph:13s}: {n:3d} dispatchers, {dur:7.3f} s (self)")
top = int(sys.argv[2])
for name, dur, loaded, ph, llvm in sorted(records, key=lambda r: -r[1])[:top]:
    print(f"    {'load' if loaded else 'compile':7s} {dur:6.3f} (llvm {llvm:5.3f})  {name}  [{ph}]")
if cold and top:
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(18)
    print("\n".join(l for l in s.getvalue().splitlines()[6:] if l.strip())[:3000])
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="jr76,tcm,mixed")
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for case in args.cases.split(","):
        print(f"== {case}")
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, TCMCOMPOSE_CACHE=cache)
            for _ in range(2 if args.warm else 1):
                subprocess.run([sys.executable, "-c", SCRIPT, case, str(args.top)], env=env, cwd=here, check=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
