"""Cell models: simulate one cell in time (wraps the C ``lithos_model`` handle, lithos.h section 4).

A :class:`Model` is created from a cell design (the ECM is then derived from the design's
physics) or from explicit ECM parameters, and stepped with a current [A], a power [W] or a
terminal voltage [V] held for ``dt`` seconds. Positive current and power = discharge.

Quick start::

    import lithos
    with lithos.Model("examples/cells/default.json") as model:
        capacity = model.info["capacity_Ah"]
        out = model.step(capacity, dt=10.0)              # 1C for 10 s
        out.voltage_V, out.soc, out.internals["rc1_voltage_V"]
        trace = model.run(current=[capacity] * 360, dt=1.0)   # numpy arrays
        trace["voltage_V"][-1]

Crossing a limit of the cell (voltage, SOC or temperature window) is not an error: the step is
taken and :attr:`StepResult.limit_reached` is true (``StepResult.limits`` names the limits).
Bad input (NaN, dt <= 0, a temperature in °C, a voltage or power no current can reach) raises a
:class:`LithosError` carrying the library's message, and leaves the model exactly as it was.
"""

from __future__ import annotations

import ctypes
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _library as _L
from ._handle import OwnedHandle
from ._errors import LithosError, Status, error_for
from .materials import STANDARD_TEMPERATURE_K

#: Input modes (C ``lithos_input_mode``).
INPUT_CURRENT = 0
INPUT_POWER = 1
INPUT_VOLTAGE = 2

#: Bits of ``limit_flags`` (C ``LITHOS_LIMIT_*``) and their names.
LIMIT_VOLTAGE_LOW = 1 << 0
LIMIT_VOLTAGE_HIGH = 1 << 1
LIMIT_SOC_LOW = 1 << 2
LIMIT_SOC_HIGH = 1 << 3
LIMIT_TEMPERATURE_HIGH = 1 << 4
LIMIT_TEMPERATURE_LOW = 1 << 5
LIMIT_NAMES: Dict[int, str] = {
    LIMIT_VOLTAGE_LOW: "voltage_low",
    LIMIT_VOLTAGE_HIGH: "voltage_high",
    LIMIT_SOC_LOW: "soc_low",
    LIMIT_SOC_HIGH: "soc_high",
    LIMIT_TEMPERATURE_HIGH: "temperature_high",
    LIMIT_TEMPERATURE_LOW: "temperature_low",
}

#: Keys of :attr:`Model.info` (the fields of ``lithos_model_info`` after ``struct_size``).
INFO_FIELDS: List[str] = [name for name, _ in _L.lithos_model_info._fields_ if name != "struct_size"]

#: Keys of the dict :meth:`Model.run` returns, in order.
RUN_FIELDS: Tuple[str, ...] = ("time_s", "voltage_V", "current_A", "soc", "temperature_K")

Source = Union[Mapping, str, bytes, "os.PathLike[str]"]


def limit_names(flags: int) -> Tuple[str, ...]:
    """Names of the ``LITHOS_LIMIT_*`` bits set in ``flags``, e.g. ``("voltage_low",)``."""
    return tuple(name for bit, name in LIMIT_NAMES.items() if flags & bit)


@dataclass(frozen=True)
class StepResult:
    """The state of a model after a step (``lithos_model_output``). Units are in the names.

    Every field is at the end of the step except ``current_A`` and ``heat_generation_W``, which
    are constant over the step. ``internals`` maps the model's internal variable names (with
    units, e.g. ``"rc1_voltage_V"``) to their values.
    """

    time_s: float
    current_A: float
    voltage_V: float
    power_W: float
    open_circuit_voltage_V: float
    soc: float
    temperature_K: float
    heat_generation_W: float
    discharged_charge_Ah: float
    discharged_energy_Wh: float
    limit_flags: int
    internals: Dict[str, float] = field(default_factory=dict)

    @property
    def limit_reached(self) -> bool:
        """True when the step crossed one of the cell's limits (``limit_flags != 0``)."""
        return self.limit_flags != 0

    @property
    def limits(self) -> Tuple[str, ...]:
        """Names of the limits crossed in this step (see :data:`LIMIT_NAMES`)."""
        return limit_names(self.limit_flags)

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a plain dict (``internals`` as a nested dict)."""
        return {name: (dict(value) if isinstance(value, dict) else value)
                for name, value in self.__dict__.items()}


class RunResult(dict):
    """What :meth:`Model.run` returns: a dict of numpy arrays (``time_s``, ``voltage_V``,
    ``current_A``, ``soc``, ``temperature_K``; one entry per step) with one attribute more:

    * ``limit_reached``: True when any step crossed one of the cell's limits.
    """

    limit_reached: bool = False


def _read_source(source: Source, what: str) -> str:
    """JSON text from a dict, a JSON string/bytes or a path."""
    if isinstance(source, Mapping):
        return json.dumps(source)
    if isinstance(source, bytes):
        return source.decode("utf-8")
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path, "r", encoding="utf-8") as f:
                return f.read()
        except OSError as exc:
            raise error_for(Status.NOT_FOUND, f"{what} file {path!r} could not be read "
                                              f"({exc.strerror or exc})") from exc
    raise TypeError(f"{what} must be a dict, a JSON string (starting with '{{') or a path, "
                    f"not {type(source).__name__}")


def _number(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}") from None


def _one_input(current: Any, power: Any, voltage: Any, method: str) -> Tuple[int, Any]:
    given = [(mode, value) for mode, value in
             ((INPUT_CURRENT, current), (INPUT_POWER, power), (INPUT_VOLTAGE, voltage))
             if value is not None]
    if len(given) != 1:
        raise TypeError(f"Model.{method}: give exactly one of current (A), power= (W) or "
                        f"voltage= (V); got {len(given)}")
    return given[0]


class Model(OwnedHandle):
    """A cell model (wraps a C ``lithos_model`` handle). Kinds: ``"ecm"`` (equivalent circuit),
    ``"ssb-spm"`` and ``"ssb-p2d"`` (solid-state physics models, docs/ssb-models.md).

    Args:
        cell: the cell design the model is derived from: a :class:`CellDesign`, a dict, a JSON
            string or a path to a JSON file. May be None when ``ecm`` (or ``options["ecm"]``)
            gives explicit ECM parameters, or ``ssb`` explicit SSB parameters.
        kind: the model kind: ``"ecm"``, ``"ssb-spm"`` or ``"ssb-p2d"``.
        options: model options (dict or JSON string; see lithos.h section 4 / docs/models.md),
            e.g. ``{"rc_pairs": 1, "thermal": {"enabled": False}}``. ``kind``,
            ``initial_soc`` and ``initial_temperature_K`` given as keywords take precedence
            over the same keys in ``options`` unless left at their defaults.
        initial_soc: state of charge at creation [1], 0…1.
        initial_temperature_K: cell temperature at creation [K].
        ecm: explicit ECM parameters (dict or JSON string; the format of
            ``docs/models.md``, e.g. what :meth:`parameters` returns).
        ssb: explicit solid-state parameters for ``"ssb-spm"``/``"ssb-p2d"`` (dict or JSON
            string; the ``"ssb"`` object of docs/ssb-models.md, e.g. what :meth:`parameters`
            returns for an SSB model). Mesh sizes go in ``options["mesh"]``, e.g.
            ``{"particle_shells": 20, "cathode_nodes": 20}``.

    Errors raise :class:`LithosError` subclasses with the library's message:
    :class:`LithosParseError`, :class:`LithosConfigError` (unknown option, kind "spm", no
    design and no ECM parameters …), :class:`LithosOutOfRangeError`, :class:`LithosNotFoundError`.

    The handle is freed by :meth:`close`, on leaving a ``with`` block, or when the object is
    garbage-collected. One Model is used by one thread at a time.
    """

    _destroy = "lithos_model_destroy"
    _noun = "model"

    def __init__(self, cell: Optional[Any] = None, kind: str = "ecm",
                 options: Optional[Union[Mapping, str]] = None, *,
                 initial_soc: float = 1.0, initial_temperature_K: float = STANDARD_TEMPERATURE_K,
                 ecm: Optional[Union[Mapping, str]] = None,
                 ssb: Optional[Union[Mapping, str]] = None) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        self._info: Optional[Dict[str, Any]] = None
        self._internal_names: Optional[List[str]] = None
        design_text = self._design_text(cell)
        options_text = self._options_text(kind, options, initial_soc, initial_temperature_K, ecm, ssb)
        handle = ctypes.c_void_p()
        _L.check(_L.lib().lithos_model_create(
            None if design_text is None else _L.encode_name(design_text, "cell design JSON"),
            _L.encode_name(options_text, "model options JSON"), ctypes.byref(handle)))
        if not handle.value:
            raise error_for(Status.INTERNAL, "lithos_model_create returned LITHOS_OK but no model")
        self._handle = handle

    @staticmethod
    def _design_text(cell: Optional[Any]) -> Optional[str]:
        if cell is None:
            return None
        to_json = getattr(cell, "to_json", None)
        if callable(to_json) and not isinstance(cell, (Mapping, str, bytes)):
            return to_json()   # a CellDesign (normalised JSON)
        return _read_source(cell, "cell design")

    @staticmethod
    def _options_text(kind: str, options: Optional[Union[Mapping, str]], initial_soc: float,
                      initial_temperature_K: float, ecm: Optional[Union[Mapping, str]],
                      ssb: Optional[Union[Mapping, str]] = None) -> str:
        if options is None:
            merged: Dict[str, Any] = {}
        elif isinstance(options, Mapping):
            merged = dict(options)
        elif isinstance(options, (str, bytes)):
            text = options.decode("utf-8") if isinstance(options, bytes) else options
            try:
                parsed = json.loads(text)
            except ValueError:
                return text   # malformed: let the library report line and column
            if not isinstance(parsed, dict):
                return text   # the library says what is wrong
            merged = parsed
        else:
            raise TypeError(f"options must be a dict or a JSON string, not {type(options).__name__}")
        for key, value, default in (("kind", kind, "ecm"), ("initial_soc", initial_soc, 1.0),
                                    ("initial_temperature_K", initial_temperature_K,
                                     STANDARD_TEMPERATURE_K)):
            if key not in merged or value != default:
                merged[key] = value
        if ecm is not None:
            if isinstance(ecm, (str, bytes)):
                ecm = json.loads(ecm)
            merged["ecm"] = dict(ecm)
        if ssb is not None:
            if isinstance(ssb, (str, bytes)):
                ssb = json.loads(ssb)
            merged["ssb"] = dict(ssb)
        try:
            return json.dumps(merged, allow_nan=False)
        except ValueError:
            raise error_for(Status.INVALID_ARGUMENT,
                            "model options: NaN or infinity cannot be written as JSON "
                            f"(initial_soc={initial_soc!r}, "
                            f"initial_temperature_K={initial_temperature_K!r})") from None

    # life cycle (close, with, closed, _live): OwnedHandle

    # --- fixed facts ------------------------------------------------------------------------

    @property
    def info(self) -> Dict[str, Any]:
        """Fixed facts (``lithos_model_info``): ``kind`` (str), ``capacity_Ah`` [A·h],
        ``minimum_voltage_V``/``maximum_voltage_V`` [V], ``minimum_temperature_K``/
        ``maximum_temperature_K`` [K], ``state_size`` [bytes of a snapshot],
        ``internal_count``. A fresh dict each time."""
        if self._info is None:
            out = _L.lithos_model_info()
            _L.check(_L.lib().lithos_model_get_info(self._live("info"), ctypes.byref(out)))
            info: Dict[str, Any] = {}
            for name in INFO_FIELDS:
                value = getattr(out, name)
                info[name] = (_L.decode(value) if name == "kind"
                              else int(value) if name in ("state_size", "internal_count")
                              else float(value))
            self._info = info
        self._live("info")
        return dict(self._info)

    @property
    def kind(self) -> str:
        """The model kind, e.g. ``"ecm"``."""
        return self.info["kind"]

    @property
    def internal_names(self) -> List[str]:
        """Names (with units) of the model's internal variables, e.g. ``"rc1_voltage_V"``."""
        if self._internal_names is None:
            handle = self._live("internal_names")
            names = []
            for i in range(self.info["internal_count"]):
                raw = ctypes.c_char_p()
                _L.check(_L.lib().lithos_model_internal_name(handle, i, ctypes.byref(raw)))
                names.append(_L.decode(raw.value))
            self._internal_names = names
        return list(self._internal_names)

    @property
    def profile_names(self) -> List[str]:
        """Names (with units) of the model's spatial profiles: the SSB-P2D's through-thickness
        profiles (``"x_m"``, ``"electrolyte_potential_V"``, ...), the SSB-SPM's particle
        profiles; empty for the ECM."""
        handle = self._live("profile_names")
        count = ctypes.c_size_t()
        _L.check(_L.lib().lithos_model_profile_count(handle, ctypes.byref(count)))
        names = []
        for i in range(count.value):
            raw = ctypes.c_char_p()
            _L.check(_L.lib().lithos_model_profile_info(handle, i, ctypes.byref(raw), None))
            names.append(_L.decode(raw.value))
        return names

    def profiles(self) -> Dict[str, "np.ndarray"]:
        """The spatial profiles after the last step, as numpy arrays by name (see
        :attr:`profile_names`); e.g. ``model.profiles()["electrolyte_potential_V"]`` against
        ``model.profiles()["x_m"]`` for SSB-P2D."""
        import numpy as np
        handle = self._live("profiles")
        result: Dict[str, Any] = {}
        for i, name in enumerate(self.profile_names):
            length = ctypes.c_size_t()
            _L.check(_L.lib().lithos_model_profile_info(handle, i, None, ctypes.byref(length)))
            values = np.empty(length.value, dtype=np.float64)
            _L.check(_L.lib().lithos_model_get_profile(
                handle, i, values.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), length.value, None))
            result[name] = values
        return result

    def impedance(self, frequencies_Hz: Any, soc: float = 0.5,
                  temperature_K: float = STANDARD_TEMPERATURE_K) -> "np.ndarray":
        """Small-signal impedance Z(f) [Ω] linearised at rest at ``soc`` and ``temperature_K``
        (``lithos_model_impedance``): a complex numpy array, one value per frequency [Hz].
        Kinds "ecm", "ssb-spm" and "ssb-p2d" (composite as a transmission line). Z = −V̂/Î with
        discharge-positive current, so a capacitance shows as a negative imaginary part."""
        import numpy as np
        f = np.ascontiguousarray(np.atleast_1d(np.asarray(frequencies_Hz, dtype=np.float64)))
        re = np.empty_like(f)
        im = np.empty_like(f)
        dp = ctypes.POINTER(ctypes.c_double)
        _L.check(_L.lib().lithos_model_impedance(
            self._live("impedance"), float(soc), float(temperature_K), f.ctypes.data_as(dp), f.size,
            re.ctypes.data_as(dp), im.ctypes.data_as(dp)))
        return re + 1j * im

    def parameters_json(self) -> str:
        """The model's parameters as JSON text (for an ECM: the ``"ecm"`` parameter object)."""
        return _L.read_text(_L.lib().lithos_model_parameters_json, self._live("parameters_json"))

    def parameters(self) -> Dict[str, Any]:
        """The model's parameters as a dict (for an ECM: pass it back as ``Model(ecm=...)``)."""
        return json.loads(self.parameters_json())

    # --- stepping ---------------------------------------------------------------------------

    def _result(self, out: "_L.lithos_model_output") -> StepResult:
        names = self.internal_names
        count = min(int(out.internal_count), len(names))
        return StepResult(
            time_s=out.time_s, current_A=out.current_A, voltage_V=out.voltage_V, power_W=out.power_W,
            open_circuit_voltage_V=out.open_circuit_voltage_V, soc=out.soc,
            temperature_K=out.temperature_K, heat_generation_W=out.heat_generation_W,
            discharged_charge_Ah=out.discharged_charge_Ah,
            discharged_energy_Wh=out.discharged_energy_Wh, limit_flags=int(out.limit_flags),
            internals={names[i]: out.internals[i] for i in range(count)})

    @property
    def output(self) -> StepResult:
        """The output of the last step (or of creation/reset), without stepping."""
        out = _L.lithos_model_output()
        _L.check(_L.lib().lithos_model_get_output(self._live("output"), ctypes.byref(out)))
        return self._result(out)

    def step(self, current: Optional[float] = None, *, power: Optional[float] = None,
             voltage: Optional[float] = None, dt: float = 1.0,
             ambient_K: float = STANDARD_TEMPERATURE_K) -> StepResult:
        """Holds a current [A] (positional), a power [W] or a terminal voltage [V] for ``dt``
        seconds at ambient temperature ``ambient_K`` [K] and returns the new state.

        Exactly one of ``current``, ``power=``, ``voltage=``. A crossed limit is not an error
        (``result.limit_reached``). Raises :class:`LithosInvalidArgumentError` (NaN/Inf),
        :class:`LithosOutOfRangeError` (dt <= 0 or > 86400 s, ambient outside 173.15…673.15 K,
        a voltage or power the cell cannot reach); the model is then unchanged."""
        mode, value = _one_input(current, power, voltage, "step")
        handle = self._live("step")
        out = _L.lithos_model_output()
        status = _L.lib().lithos_model_step(handle, mode, _number(value, "the step value"),
                                            _number(dt, "dt"), _number(ambient_K, "ambient_K"),
                                            ctypes.byref(out))
        if status != Status.LIMIT_REACHED:
            _L.check(status)
        return self._result(out)

    def run(self, current: Any = None, *, power: Any = None, voltage: Any = None,
            dt: Any = 1.0, ambient_K: float = STANDARD_TEMPERATURE_K) -> RunResult:
        """Pushes a whole profile through the model in one C call (``lithos_model_run``).

        Args:
            current / power= / voltage=: exactly one, a sequence or numpy array of values
                [A, W or V], one per step (a scalar is repeated when ``dt`` is an array).
            dt: step length [s]: one number for every step, or an array (one per step).
            ambient_K: ambient temperature [K].

        Returns a :class:`RunResult`: a dict of float64 numpy arrays, one value per step, at the
        end of each step: ``time_s`` (model time), ``voltage_V``, ``current_A``, ``soc``,
        ``temperature_K``; ``.limit_reached`` says whether any step crossed a limit.

        All or nothing: when a step fails (e.g. a NaN in the values) the model is restored to
        its state before the call and the :class:`LithosError` raised has ``failed_step`` set to
        the index of the failing step."""
        import numpy as np

        mode, values = _one_input(current, power, voltage, "run")
        handle = self._live("run")
        per_step_dt = np.ndim(dt) > 0
        if per_step_dt:
            dts = np.ascontiguousarray(dt, dtype=np.float64)
            if dts.ndim != 1:
                raise ValueError(f"Model.run: dt must be a number or a 1-D array, got shape {dts.shape}")
            if np.ndim(values) == 0:
                values = np.full(dts.shape, _number(values, "the run value"))
            fixed_dt = 0.0
        else:
            fixed_dt = _number(dt, "dt")
        values = np.ascontiguousarray(values, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(f"Model.run: the values must be a 1-D sequence, got shape {values.shape}")
        n = values.shape[0]
        if per_step_dt and dts.shape[0] != n:
            raise ValueError(f"Model.run: {n} values but {dts.shape[0]} dt values")
        outputs = {name: np.empty(n, dtype=np.float64) for name in RUN_FIELDS}
        start_time = self.output.time_s if n else 0.0
        steps = ctypes.c_size_t(0)

        def pointer(array):
            return array.ctypes.data_as(_L._double_p)

        status = _L.lib().lithos_model_run(
            handle, mode, pointer(values) if n else None, pointer(dts) if per_step_dt else None,
            fixed_dt, n, _number(ambient_K, "ambient_K"),
            pointer(outputs["voltage_V"]), pointer(outputs["current_A"]), pointer(outputs["soc"]),
            pointer(outputs["temperature_K"]), ctypes.byref(steps))
        if status not in (Status.OK, Status.LIMIT_REACHED):
            try:
                _L.check(status)
            except LithosError as error:
                error.failed_step = int(steps.value) if n else 0
                raise
        # Model time after each step, accumulated exactly as the model does (t += dt).
        increments = dts if per_step_dt else np.full(n, fixed_dt)
        outputs["time_s"] = np.add.accumulate(np.concatenate(([start_time], increments)))[1:]
        result = RunResult((name, outputs[name]) for name in RUN_FIELDS)
        result.limit_reached = status == Status.LIMIT_REACHED
        return result

    def reset(self, soc: float = 1.0, temperature_K: float = STANDARD_TEMPERATURE_K) -> StepResult:
        """Puts the model at rest at ``soc`` (0…1) and uniform ``temperature_K`` [K]; time and
        throughput counters restart. Returns the new :attr:`output`."""
        _L.check(_L.lib().lithos_model_reset(self._live("reset"), _number(soc, "soc"),
                                             _number(temperature_K, "temperature_K")))
        return self.output

    # --- snapshots --------------------------------------------------------------------------

    @property
    def state_size(self) -> int:
        """Bytes of a state snapshot (fixed for the model's lifetime)."""
        size = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_model_state_size(self._live("state_size"), ctypes.byref(size)))
        return int(size.value)

    def save_state(self) -> bytes:
        """A snapshot of the dynamic state; :meth:`load_state` on this model (or one created with
        identical parameters) resumes bit-exactly."""
        handle = self._live("save_state")
        size = self.state_size
        buffer = ctypes.create_string_buffer(max(size, 1))
        written = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_model_save_state(handle, buffer, size, ctypes.byref(written)))
        return buffer.raw[:written.value]

    def load_state(self, state: Union[bytes, bytearray, memoryview]) -> None:
        """Restores a snapshot from :meth:`save_state`. Truncated, corrupted or other-model
        snapshots raise :class:`LithosInvalidArgumentError` and leave the model unchanged."""
        handle = self._live("load_state")
        if isinstance(state, memoryview):
            state = state.tobytes()
        if not isinstance(state, (bytes, bytearray)):
            raise TypeError(f"state must be bytes, not {type(state).__name__}")
        data = bytes(state)
        buffer = ctypes.create_string_buffer(data, max(len(data), 1))
        _L.check(_L.lib().lithos_model_load_state(handle, buffer, len(data)))

    # --- experiments ------------------------------------------------------------------------

    def simulate(self, experiment: Any, dt: float = 1.0,
                 ambient_K: float = STANDARD_TEMPERATURE_K, *, csv: bool = False) -> "Any":
        """Runs an experiment (an :class:`Experiment`, or protocol text) on this model from its
        present state with time step ``dt`` [s] at ``ambient_K`` [K]; see
        :meth:`Experiment.run`. Returns a :class:`SimulationResult` (a dict of numpy arrays, one
        per trace column, with ``.summary`` and ``.steps``; ``csv=True`` keeps the CSV text)."""
        from .experiment import Experiment

        if isinstance(experiment, Experiment):
            return experiment.run(self, dt=dt, ambient_K=ambient_K, csv=csv)
        if isinstance(experiment, (str, list, tuple)):
            with Experiment(experiment) as temporary:
                return temporary.run(self, dt=dt, ambient_K=ambient_K, csv=csv)
        raise TypeError(f"experiment must be a lithos.Experiment or protocol text, "
                        f"not {type(experiment).__name__}")

    def __repr__(self) -> str:
        if self._handle is None:
            return "<Model (closed)>"
        try:
            info = self.info
            return (f"<Model {info['kind']} {info['capacity_Ah']:.4g} Ah, "
                    f"{info['minimum_voltage_V']:.3g}–{info['maximum_voltage_V']:.3g} V>")
        except Exception:
            return "<Model>"
