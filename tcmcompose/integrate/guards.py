"""Safeguards of the simulation driver, kept apart from the time loop.

* :func:`run_numbers` and :func:`run_seed` check the numbers a run is given;
* :func:`check_memory` estimates the delay ring buffer and the recording
  before anything is allocated and refuses (or warns about) runs that would
  not fit in memory;
* :class:`Chunks` sizes the calls of the compiled loop so that each takes a
  bounded wall time (one Numba call cannot be interrupted);
* :class:`InterruptGuard` turns Ctrl-C into a request served between two
  calls, so an interrupted run returns the samples so far with a final
  state that matches the last completed step;
* :func:`check_outputs` reports an output that turned non-finite while the
  states stayed finite (e.g. ``sqrt(x)`` with x < 0).
"""
import os
import signal
import threading
import time
import warnings

import numpy as np

from ..checks import integer, number
from ..errors import ModelError, SimulationError


def run_numbers(dt, duration, transient, every):
    """Checked (dt, duration, transient, every) of a run (ms, ms, ms, steps)."""
    dt = number(dt, "dt (ms)")
    if not dt > 0:
        raise ModelError(f"dt = {dt} ms; the time step must be positive.")
    duration = number(duration, "duration (ms)")
    transient = number(transient, "transient (ms)")
    if duration < dt:
        raise ModelError(f"duration = {duration} ms is shorter than dt = {dt} ms; simulate at least one step.")
    if not 0 <= transient <= duration:
        raise ModelError(f"transient = {transient} ms must lie in [0, duration = {duration}].")
    every = integer(every, "every (record every k-th step)", minimum=1)
    return dt, duration, transient, every


def run_seed(seed):
    """A non-negative int seed (a fresh one when ``seed`` is None)."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    return integer(seed, "seed", minimum=0)


def run_chunk(chunk):
    """``chunk=`` (most steps per compiled call) checked, or None."""
    return None if chunk is None else integer(chunk, "chunk (steps per call)", minimum=1)


# ------------------------------------------------------------------ memory
#: refuse a run whose buffers would take more than this fraction of the available memory
REFUSE_FRACTION = 0.5
#: warn above this fraction
WARN_FRACTION = 0.1
#: bytes below which the default limit is not looked up: a warning would need
#: under 10x this much memory available
SMALL_RUN = 2 ** 20


def available_memory():
    """Bytes of memory available now (Linux ``MemAvailable``; else total physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - exotic platforms
        return None


def _size(nbytes):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes:.1f} {unit}" if unit != "bytes" else f"{int(nbytes)} bytes"
        nbytes /= 1024.0


def check_memory(buffer_shape, max_delay_ms, n_rec, n_cols, dt, every, max_memory=None):
    """Refuse (or warn about) a run whose delay buffer and recording are too large.

    ``buffer_shape``: (rows kept, outputs crossing delayed edges) of the ring
    buffer (two such arrays for RK4's derivatives are counted by the caller);
    ``n_rec`` x ``n_cols``: samples x recorded columns. ``max_memory``: bytes
    allowed (default: ``$TCMCOMPOSE_MAX_MEMORY`` bytes, else half the
    available memory); a warning is given past a fifth of that.
    """
    buf = 8.0 * buffer_shape[0] * buffer_shape[1]
    rec = 8.0 * n_rec * n_cols
    total = buf + rec
    if max_memory is None:
        env = os.environ.get("TCMCOMPOSE_MAX_MEMORY")
        if env:
            max_memory = number(_parse_bytes(env), "TCMCOMPOSE_MAX_MEMORY (bytes)", positive=True)
        elif total < SMALL_RUN:      # (reading the free memory costs ~50 µs per run)
            return total
        else:
            avail = available_memory()
            if avail is None:
                return total
            max_memory = REFUSE_FRACTION * avail
    else:
        max_memory = number(max_memory, "max_memory (bytes)", positive=True)
    if total <= WARN_FRACTION / REFUSE_FRACTION * max_memory:
        return total
    causes = []
    if buf >= rec:
        causes.append(f"the delay buffer ({_size(buf)}: {buffer_shape[0]} steps of {buffer_shape[1]} delayed "
                      f"outputs, for the largest delay {max_delay_ms:g} ms at dt = {dt:g} ms); shorten the "
                      "largest delay (check the delay matrix's unit: ms) or use a larger dt")
    else:
        causes.append(f"the recording ({_size(rec)}: {n_rec} samples x {n_cols} variables); record fewer "
                      f"samples with every= (now {every}), fewer variables with record=, or run in shorter "
                      "pieces (continue from res.final_state) and save each to disk")
    msg = (f"this run needs about {_size(total)} for {causes[0]}. Limit: {_size(max_memory)} "
           "(half the available memory; set max_memory= or $TCMCOMPOSE_MAX_MEMORY to change it).")
    if total > max_memory:
        raise SimulationError(msg)
    warnings.warn(msg, ResourceWarning, stacklevel=4)
    return total


def _parse_bytes(text):
    text = text.strip().upper()
    for suffix, k in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("T", 1e12), ("G", 1e9),
                      ("M", 1e6), ("K", 1e3)):
        if text.endswith(suffix):
            return float(text[:-len(suffix)]) * k
    return float(text)


# ------------------------------------------------------------- chunking
class Chunks:
    """Sizes of the successive calls of the compiled loop.

    One call of a Numba kernel cannot be interrupted, so a run is cut into
    calls of about ``target_s`` seconds each: the first call is a short probe
    (``probe`` steps), and each later one is sized from the step cost
    measured on the calls so far (growing at most ``growth``-fold per call).
    ``limit`` caps a call's steps (the user's ``chunk=``, a progress bar's
    refresh, the stimulus block size). The cost of a call boundary (tens of
    microseconds) is negligible against ``target_s``.
    """

    def __init__(self, n_total, limit=None, target_s=0.15, probe=256, growth=8):
        self.n_total = n_total
        self.limit = n_total if limit is None else max(1, min(int(limit), n_total))
        self.target_s = target_s
        self.growth = growth
        self.size = min(probe, self.limit)
        self._t0 = None

    def stop(self, n):
        """End (exclusive step index) of the call starting at step ``n``; starts its clock."""
        self._t0 = time.perf_counter()
        return min(n + self.size, self.n_total)

    def done(self, steps):
        """Record that the call just made advanced ``steps`` steps; size the next one."""
        elapsed = time.perf_counter() - self._t0
        if steps <= 0:
            return
        per_step = max(elapsed / steps, 1e-10)
        want = int(self.target_s / per_step)
        self.size = max(1, min(self.limit, want, self.growth * self.size))


class InterruptGuard:
    """Defer Ctrl-C (SIGINT) to the next call boundary of a run.

    While active in the main thread, a first Ctrl-C only sets
    :attr:`requested`; the driver stops after the call in progress (bounded
    by :class:`Chunks`) and returns what it has. A second Ctrl-C raises
    ``KeyboardInterrupt`` at once, as usual. Outside the main thread, or
    when someone else handles SIGINT, nothing is changed.
    """

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handler(self, signum, frame):
        if self.requested:
            signal.signal(signal.SIGINT, self._previous)
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        return False


def recorded_rows(n, rec_start, every):
    """Number of samples recorded once steps [0, n] are done (sample k at step rec_start + k every)."""
    return (n - rec_start) // every + 1 if n >= rec_start else 0


def warn_interrupted(n, dt, n_rec):
    warnings.warn(f"simulation interrupted at t = {n * dt:g} ms; returning the {n_rec} samples recorded "
                  f"so far (res.info['interrupted'] is True; res.final_state is the state at t = {n * dt:g} ms).",
                  stacklevel=4)


# ------------------------------------------------------------ NaN outputs
def check_outputs(model, out, row0, row1, rec_x, rec_y, rec_start, every, dt):
    """Raise if a recorded output is non-finite in rows [row0, row1) of ``out``.

    Called after each compiled call on the rows it wrote (the output columns
    follow the ``len(rec_x)`` state columns). The time loop stops by itself
    on a non-finite state; an output such as ``sqrt(x)`` or ``log(x)`` can
    turn NaN while every state stays finite, and would otherwise be recorded
    silently.
    """
    if not len(rec_y) or row1 <= row0:
        return
    block = out[row0:row1, len(rec_x):]
    finite = np.isfinite(block)
    if finite.all():
        return
    rows, cols = np.nonzero(~finite)
    row, col = rows[0], cols[0]           # row-major: the earliest time comes first
    node, mass, name = model.output_index[rec_y[col]]
    k = list(model._low.node_labels).index(node)
    expr = model.network.nodes[k].masses[mass].outputs[name]
    t = (rec_start + (row0 + row) * every) * dt
    raise SimulationError(f"output {name!r} of population {mass!r} in node {node!r} became {block[row, col]} "
                          f"at t = {t:g} ms while every state stayed finite: its expression {expr} left its "
                          "domain there. Check the parameters or guard the expression (e.g. sqrt(Max(x, 0))).")
