"""Experiments: cycler protocols written as text, run on a :class:`~lithos.Model`
(wraps ``lithos_experiment``, ``lithos_simulation_run`` and ``lithos_trace``, lithos.h section 5).

Protocol text is PyBaMM-style, one step per line (or ``;``-separated)::

    Discharge at 1C until 3.0 V                 Discharge at 1 A for 10 minutes
    Charge at 0.5C until 4.2 V                  Discharge at 2 W for 10 minutes
    Hold at 4.2 V until C/50                    Discharge at 1C for 1 hour or until 3.0 V
    Rest for 30 minutes                         Run us06 until 2.5 V   (a drive cycle)
    repeat 3 times: … end                       # comment

Quick start::

    import lithos
    with lithos.Model("examples/cells/default.json") as model, \\
         lithos.Experiment("Discharge at 1C until 3.0 V; Rest for 1 hour") as experiment:
        result = model.simulate(experiment, dt=1.0)
        result["voltage_V"], result.summary["discharge_capacity_Ah"], result.completed

A run stopped by the cell's own window (minimum/maximum voltage, SOC 0/1, maximum temperature)
is a success: ``result.completed`` is False and ``result.summary["stop_reason"]`` names the limit.
"""

from __future__ import annotations

import ctypes
import json
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _library as _L
from ._handle import OwnedHandle
from ._errors import Status, error_for
from .materials import STANDARD_TEMPERATURE_K

#: Why a step ended (C ``lithos_step_end``), by code.
STEP_END_REASONS: Dict[int, str] = {
    0: "duration",
    1: "voltage_cutoff",
    2: "current_cutoff",
    3: "soc_cutoff",
    4: "voltage_limit",
    5: "soc_limit",
    6: "temperature_limit",
}

#: Keys of :attr:`SimulationResult.summary` (the fields of ``lithos_trace_summary`` after
#: ``struct_size``; ``stop_reason`` is given as a name, or None when the run completed).
SUMMARY_FIELDS: List[str] = [name for name, _ in _L.lithos_trace_summary._fields_
                             if name != "struct_size"]

_INTEGER_SUMMARY_FIELDS = ("sample_count", "step_count", "cycle_count")


def _looks_like_path(text: str) -> bool:
    # CSV text has a header and at least two samples, so it always spans several lines.
    return "\n" not in text and "\r" not in text


def _read_text(source: Union[str, bytes, "os.PathLike[str]"], what: str) -> str:
    """Text given directly, or read from a path (os.PathLike, or a single-line str)."""
    if isinstance(source, bytes):
        return source.decode("utf-8")
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = os.path.expanduser(os.fspath(source))
        try:
            with open(path, "r", encoding="utf-8") as f:
                return f.read()
        except OSError as exc:
            raise error_for(Status.NOT_FOUND, f"{what} file {path!r} could not be read "
                                              f"({exc.strerror or exc})") from exc
    if isinstance(source, str):
        return source
    raise TypeError(f"{what} must be text or a path, not {type(source).__name__}")


class SimulationResult(dict):
    """What :meth:`Experiment.run` / :meth:`Model.simulate` return: a dict of float64 numpy
    arrays, one per trace column (``time_s``, ``current_A``, ``voltage_V``, ``soc``,
    ``temperature_K``, ``power_W``, ``open_circuit_voltage_V``, ``heat_generation_W``,
    ``discharged_charge_Ah``, ``discharged_energy_Wh``, ``step_index``, ``cycle_index``; row 0
    is the state before the run), with attributes:

    * ``summary``: dict of the run's totals (``lithos_trace_summary``: duration_s,
      discharge_capacity_Ah, charge_capacity_Ah, energies, voltage and temperature extremes,
      initial/final SOC, ``completed`` (bool), ``stop_reason`` (None or e.g. "voltage_limit")).
    * ``steps``: list of per-step records (step_index, cycle_index, line, text, start_s, end_s,
      first_sample, end_sample, end_reason, ended_at_start).
    * ``completed``: True when every step ran; ``stop_reason`` / ``stop_message``: why not.
    * ``csv``: the trace as CSV text in the library's format when requested (``csv=True``),
      else None.
    """

    summary: Dict[str, Any]
    steps: List[Dict[str, Any]]
    completed: bool
    stop_reason: Optional[str]
    stop_message: str
    csv: Optional[str]


class Experiment(OwnedHandle):
    """A cycler protocol parsed from text (wraps a C ``lithos_experiment`` handle).

    Args:
        protocol: protocol text (str; steps on lines or separated by ';') or a sequence of step
            strings (joined with newlines).

    Raises :class:`LithosParseError` with the line, the step and what was expected.
    Drive cycles named in ``Run NAME`` steps are registered with :meth:`add_drive_cycle`
    (``us06`` is built in). The handle is freed by :meth:`close` / ``with`` / garbage
    collection. An experiment may be run on several models (even on different threads).
    """

    _destroy = "lithos_experiment_destroy"
    _noun = "experiment"

    def __init__(self, protocol: Union[str, Sequence[str]]) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        if isinstance(protocol, (list, tuple)):
            if not all(isinstance(line, str) for line in protocol):
                raise TypeError("protocol steps must all be str")
            text = "\n".join(protocol)
        elif isinstance(protocol, bytes):
            text = protocol.decode("utf-8")
        elif isinstance(protocol, str):
            text = protocol
        else:
            raise TypeError(f"protocol must be text or a sequence of step strings, "
                            f"not {type(protocol).__name__}")
        handle = ctypes.c_void_p()
        _L.check(_L.lib().lithos_experiment_create(_L.encode_name(text, "protocol text"),
                                                   ctypes.byref(handle)))
        if not handle.value:
            raise error_for(Status.INTERNAL, "lithos_experiment_create returned LITHOS_OK but no experiment")
        self._handle = handle
        self._text = text

    @classmethod
    def from_drive_cycle(cls, csv: Union[str, bytes, "os.PathLike[str]"], scale: float = 1.0, *,
                         name: str = "drive_cycle", until: Optional[str] = None,
                         repeat: int = 1) -> "Experiment":
        """An experiment that runs one drive cycle.

        Args:
            csv: CSV text (several lines) or a path to a CSV file (``os.PathLike`` or a
                one-line str): a header naming ``time_s`` and exactly one of
                ``current_A`` [A], ``power_W`` [W] or ``c_rate`` [1/h]; one sample per line,
                ``#`` comments; positive = discharge; zero-order hold between samples.
            scale: every value is multiplied by it (e.g. the cell capacity in A·h for a cycle
                given per A·h, or -1 to flip the sign convention).
            name: the name the cycle is registered under.
            until: an optional cut-off, e.g. ``"2.5 V"``: the cycle repeats until it is met
                (``Run NAME until 2.5 V``); without it, one pass.
            repeat: number of passes (``repeat N times: Run NAME``); ignored with ``until``.
        """
        step = f"Run {name}" + (f" until {until}" if until else "")
        if not until and int(repeat) != 1:
            text = f"repeat {int(repeat)} times:\n{step}\nend"
        else:
            text = step
        self = cls(text)
        try:
            self.add_drive_cycle(name, csv, scale)
        except BaseException:
            self.close()
            raise
        return self

    def add_drive_cycle(self, name: str, csv: Union[str, bytes, "os.PathLike[str]"],
                        scale: float = 1.0) -> None:
        """Registers a drive cycle for ``Run NAME`` steps (replacing one of the same name; may
        hide the built-in ``us06``). ``csv``: text or a path (see :meth:`from_drive_cycle`).
        Errors: :class:`LithosParseError` (line and column), :class:`LithosInvalidArgumentError`
        (bad name, NaN scale), :class:`LithosOutOfRangeError` (scale 0)."""
        text = _read_text(csv, "drive cycle")
        try:
            scale = float(scale)
        except (TypeError, ValueError):
            raise TypeError(f"scale must be a number, not {type(scale).__name__}") from None
        _L.check(_L.lib().lithos_experiment_add_drive_cycle(
            self._live("add_drive_cycle"), _L.encode_name(name, "drive cycle name"),
            _L.encode_name(text, "drive cycle CSV"), scale))

    # life cycle (close, with, closed, _live): OwnedHandle

    # --- facts ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The protocol text the experiment was created from."""
        return self._text

    @property
    def step_count(self) -> int:
        """Number of steps after expanding repeats."""
        count = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_experiment_step_count(self._live("step_count"), ctypes.byref(count)))
        return int(count.value)

    @property
    def cycle_count(self) -> int:
        """Number of cycles (each top-level step and each pass of a top-level repeat block)."""
        count = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_experiment_cycle_count(self._live("cycle_count"), ctypes.byref(count)))
        return int(count.value)

    def to_json(self) -> str:
        """The expanded steps and registered drive cycles as the library's JSON text."""
        return _L.read_text(_L.lib().lithos_experiment_json, self._live("to_json"))

    def to_dict(self) -> Dict[str, Any]:
        """The expanded steps and drive cycles as a dict (see :meth:`to_json`)."""
        return json.loads(self.to_json())

    # --- running ----------------------------------------------------------------------------

    def run(self, model: Any, dt: float = 1.0, ambient_K: float = STANDARD_TEMPERATURE_K, *,
            csv: bool = False) -> SimulationResult:
        """Runs the experiment on ``model`` (a :class:`~lithos.Model`) from its present state
        with model time step ``dt`` [s] at ``ambient_K`` [K]; the model is left in its final
        state. ``csv=True`` also keeps the trace as CSV text (``result.csv``). Raises :class:`LithosError` (the message names the step, its line and the time;
        the model is then restored)."""
        import numpy as np

        from .model import Model

        if not isinstance(model, Model):
            raise TypeError(f"model must be a lithos.Model, not {type(model).__name__}")
        try:
            dt = float(dt)
            ambient_K = float(ambient_K)
        except (TypeError, ValueError):
            raise TypeError("dt and ambient_K must be numbers") from None
        lib = _L.lib()
        trace = ctypes.c_void_p()
        _L.check(lib.lithos_simulation_run(model._live("simulate"), self._live("run"), dt, ambient_K,
                                           ctypes.byref(trace)))
        if not trace.value:
            raise error_for(Status.INTERNAL, "lithos_simulation_run returned LITHOS_OK but no trace")
        try:
            length = ctypes.c_size_t(0)
            _L.check(lib.lithos_trace_length(trace, ctypes.byref(length)))
            n = int(length.value)
            column_count = ctypes.c_size_t(0)
            _L.check(lib.lithos_trace_column_count(trace, ctypes.byref(column_count)))
            result = SimulationResult()
            for i in range(int(column_count.value)):
                raw = ctypes.c_char_p()
                _L.check(lib.lithos_trace_column_name(trace, i, ctypes.byref(raw)))
                name = _L.decode(raw.value)
                values = np.empty(n, dtype=np.float64)
                count = ctypes.c_size_t(0)
                _L.check(lib.lithos_trace_column(trace, raw.value, values.ctypes.data_as(_L._double_p),
                                                 n, ctypes.byref(count)))
                result[name] = values[:int(count.value)]
            out = _L.lithos_trace_summary()
            _L.check(lib.lithos_trace_get_summary(trace, ctypes.byref(out)))
            summary: Dict[str, Any] = {}
            for name in SUMMARY_FIELDS:
                value = getattr(out, name)
                if name in _INTEGER_SUMMARY_FIELDS:
                    summary[name] = int(value)
                elif name == "completed":
                    summary[name] = bool(value)
                elif name == "stop_reason":
                    summary[name] = None if out.completed else STEP_END_REASONS.get(int(value), int(value))
                else:
                    summary[name] = float(value)
            records = json.loads(_L.read_text(lib.lithos_trace_steps_json, trace))
            result.csv = _L.read_text(lib.lithos_trace_csv, trace) if csv else None
        finally:
            lib.lithos_trace_destroy(trace)
        result.summary = summary
        result.steps = list(records.get("steps", []))
        result.completed = bool(records.get("completed", summary["completed"]))
        result.stop_reason = records.get("stop_reason")
        result.stop_message = records.get("stop_message") or ""
        return result

    def __repr__(self) -> str:
        if self._handle is None:
            return "<Experiment (closed)>"
        try:
            return f"<Experiment {self.step_count} steps, {self.cycle_count} cycles>"
        except Exception:
            return "<Experiment>"
