"""Simulation settings as an object that files hold and models run."""
from dataclasses import asdict, dataclass
from typing import Optional


@dataclass
class Simulation:
    """The settings of one run (times in ms), as written under ``simulation:`` in a model file.

    ``Simulation(duration=1000.0, dt=0.1).run(model)`` is
    ``model.simulate(1000.0, 0.1, method="heun", ...)`` with these fields.
    """
    duration: float
    dt: float
    method: str = "heun"
    record: Optional[list] = None
    every: int = 1
    transient: float = 0.0
    seed: Optional[int] = None
    coupling_mode: str = "per_stage"
    delay_interpolation: str = "nearest"
    noise: bool = True
    stimulus_hold: str = "linear"
    short_delays: str = "error"

    def to_dict(self):
        return {k: v for k, v in asdict(self).items() if v is not None}

    def options(self):
        """Keyword arguments of :meth:`CompiledModel.simulate` besides duration, dt, method."""
        d = asdict(self)
        for k in ("duration", "dt", "method"):
            d.pop(k)
        return d

    def run(self, model, **overrides):
        """Run ``model`` (a CompiledModel) with these settings; keywords override fields."""
        s = Simulation(**{**asdict(self), **overrides})
        return model.simulate(s.duration, s.dt, s.method, **s.options())
