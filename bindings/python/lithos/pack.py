"""Battery packs: Ns × Np cells with variation, balancing and faults (wraps the C
``lithos_pack`` handle, lithos.h section 9).

Quick start::

    import lithos
    with lithos.Pack("examples/packs/4s2p-ssb-spm.json") as pack:
        out = pack.step(current=0.6, dt=1.0)            # pack current [A], discharge +
        out.voltage_V, out.minimum_cell_voltage_V
        cells = pack.cells()                             # dict of numpy arrays (per cell/channel)
        pack.set_balancing([0, 1, 0, 0])                 # bleed channel 1
        pack.inject_fault("internal_short", 3, 10.0)     # cell 3, 10 Ω
        trace = pack.run([0.6] * 600, dt=1.0, record="cell_soc")   # numpy arrays per step

Cells are numbered k = s·Np + p (series group s, parallel position p); voltage channels and
balancing resistors are per series group (Ns); temperature sensors are per cell. A crossed
limit is not an error (``result.limit_reached``); bad input raises :class:`LithosError` and
leaves the pack exactly as it was. docs/packs.md has the equations and fault models.
"""

from __future__ import annotations

import ctypes
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _library as _L
from ._errors import LithosError, Status, error_for
from ._handle import OwnedHandle
from .materials import STANDARD_TEMPERATURE_K
from .model import LIMIT_NAMES, _number, _read_source

#: Faults (C ``lithos_pack_fault``): name → code. ``index`` and ``value`` per fault:
#: internal_short (cell, Ω), open_sense_wire (wire 0…Ns, fraction 0…1 read by the lower channel),
#: contactor_open (0, ignored), voltage_sensor_offset (channel, V), voltage_sensor_stuck
#: (channel, V), temperature_sensor_offset (cell, K), temperature_sensor_stuck (cell, K),
#: thermal_event (cell, W), current_sensor_offset (0, A).
PACK_FAULTS: Dict[str, int] = {
    "internal_short": 0, "open_sense_wire": 1, "contactor_open": 2, "voltage_sensor_offset": 3,
    "voltage_sensor_stuck": 4, "temperature_sensor_offset": 5, "temperature_sensor_stuck": 6,
    "thermal_event": 7, "current_sensor_offset": 8,
}

#: Per-cell / per-channel quantities (C ``lithos_pack_quantity``): name (with unit) → code.
PACK_QUANTITIES: Dict[str, int] = {
    "cell_voltage_V": 0, "cell_current_A": 1, "cell_soc": 2, "cell_temperature_K": 3,
    "cell_heat_W": 4, "cell_short_current_A": 5, "group_voltage_V": 6, "measured_voltage_V": 7,
    "balancing_current_A": 8, "measured_temperature_K": 9, "cell_open_circuit_voltage_V": 10,
    "cell_terminal_current_A": 11, "cell_capacity_Ah": 12, "cell_resistance_factor": 13,
}

#: Pack-level limit bits (C ``LITHOS_PACK_LIMIT_*``), in ``limit_flags`` with the cells' bits.
PACK_LIMIT_VOLTAGE_LOW = 1 << 8
PACK_LIMIT_VOLTAGE_HIGH = 1 << 9
PACK_LIMIT_NAMES: Dict[int, str] = dict(LIMIT_NAMES)
PACK_LIMIT_NAMES.update({PACK_LIMIT_VOLTAGE_LOW: "pack_voltage_low", PACK_LIMIT_VOLTAGE_HIGH: "pack_voltage_high"})

#: Keys of :attr:`Pack.info` and fields of :class:`PackStepResult`.
PACK_INFO_FIELDS: List[str] = [n for n, _ in _L.lithos_pack_info._fields_ if n != "struct_size"]
PACK_OUTPUT_FIELDS: List[str] = [n for n, _ in _L.lithos_pack_output._fields_ if n != "struct_size"]

#: Keys of the dict :meth:`Pack.run` returns (plus one 2-D array per recorded quantity).
PACK_RUN_FIELDS: Tuple[str, ...] = ("time_s", "voltage_V", "current_A", "soc",
                                    "minimum_cell_voltage_V", "maximum_cell_voltage_V")


@dataclass(frozen=True)
class PackStepResult:
    """The pack after a step (``lithos_pack_output``); units in the names."""

    time_s: float
    current_A: float
    measured_current_A: float
    voltage_V: float
    power_W: float
    soc: float
    minimum_soc: float
    maximum_soc: float
    minimum_cell_voltage_V: float
    maximum_cell_voltage_V: float
    minimum_temperature_K: float
    maximum_temperature_K: float
    balancing_current_A: float
    balancing_power_W: float
    heat_generation_W: float
    discharged_charge_Ah: float
    discharged_energy_Wh: float
    split_current_residual_A: float
    split_voltage_spread_V: float
    split_iterations: int
    limit_flags: int
    active_faults: int

    @property
    def limit_reached(self) -> bool:
        return self.limit_flags != 0

    @property
    def limits(self) -> Tuple[str, ...]:
        """Names of the limits crossed (cells' and the pack's)."""
        return tuple(name for bit, name in PACK_LIMIT_NAMES.items() if self.limit_flags & bit)

    @property
    def faults(self) -> Tuple[str, ...]:
        """Names of the faults in force."""
        return tuple(name for name, code in PACK_FAULTS.items() if self.active_faults & (1 << code))

    def to_dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in PACK_OUTPUT_FIELDS}


class PackRunResult(dict):
    """A dict of numpy arrays from :meth:`Pack.run`; ``.limit_reached`` is true when any step
    crossed a limit."""

    limit_reached: bool = False


def _result(out: "_L.lithos_pack_output") -> PackStepResult:
    values = {}
    for name in PACK_OUTPUT_FIELDS:
        v = getattr(out, name)
        values[name] = int(v) if name in ("split_iterations", "limit_flags", "active_faults") else float(v)
    return PackStepResult(**values)


def _code(table: Dict[str, int], key: Union[str, int], what: str) -> int:
    if isinstance(key, str):
        if key not in table:
            raise error_for(Status.INVALID_ARGUMENT, f"unknown {what} {key!r} (one of: {', '.join(table)})")
        return table[key]
    if isinstance(key, bool) or not isinstance(key, int):
        raise TypeError(f"{what} must be a name or an int code, not {type(key).__name__}")
    return key


def _index(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < 0:
        raise error_for(Status.NOT_FOUND, f"{what} {value} is negative")
    return value


class Pack(OwnedHandle):
    """A battery pack (``lithos_pack``) from its JSON: a dict, a JSON string or a path.

    The JSON holds ``series``, ``parallel``, ``cell`` (a design, or ``"default"``), ``model``
    (kind and options, as for :class:`Model`), ``initial_soc``, ``variation``, resistances,
    ``bleed_resistance_ohm``, ``thermal_coupling_W_per_K`` and ``limits`` (docs/packs.md).
    Raises :class:`LithosParseError`, :class:`LithosConfigError`, :class:`LithosOutOfRangeError`.
    One Pack is used by one thread at a time; ``with`` closes it.
    """

    _destroy = "lithos_pack_destroy"
    _noun = "pack"

    def __init__(self, config: Union[Mapping, str, bytes, "os.PathLike[str]"]) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        self._info: Optional[Dict[str, Any]] = None
        text = _read_source(config, "pack")
        handle = ctypes.c_void_p()
        _L.check(_L.lib().lithos_pack_create(_L.encode_name(text, "pack JSON"), ctypes.byref(handle)))
        if not handle.value:
            raise error_for(Status.INTERNAL, "lithos_pack_create returned LITHOS_OK but no pack")
        self._handle = handle

    # --- facts ------------------------------------------------------------------------------

    @property
    def info(self) -> Dict[str, Any]:
        """Fixed facts (``lithos_pack_info``): ``kind``, ``series``, ``parallel``,
        ``cell_count``, ``voltage_channel_count``, ``sense_wire_count``, ``capacity_Ah``,
        pack and cell voltage windows [V], ``state_size``. A fresh dict each time."""
        if self._info is None:
            out = _L.lithos_pack_info()
            _L.check(_L.lib().lithos_pack_get_info(self._live("info"), ctypes.byref(out)))
            info: Dict[str, Any] = {}
            for name in PACK_INFO_FIELDS:
                v = getattr(out, name)
                info[name] = (_L.decode(v) if name == "kind" else float(v) if isinstance(v, float) else int(v))
            self._info = info
        return dict(self._info)

    def config(self) -> Dict[str, Any]:
        """The normalised configuration (every default filled in), which :class:`Pack` accepts."""
        handle = self._live("config")
        length = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_pack_config_json(handle, None, 0, ctypes.byref(length)))
        buffer = ctypes.create_string_buffer(length.value + 1)
        _L.check(_L.lib().lithos_pack_config_json(handle, buffer, length.value + 1, ctypes.byref(length)))
        return json.loads(buffer.value.decode("utf-8"))

    # --- stepping ---------------------------------------------------------------------------

    @property
    def output(self) -> PackStepResult:
        """The output of the last step (or creation/reset/command)."""
        out = _L.lithos_pack_output()
        _L.check(_L.lib().lithos_pack_get_output(self._live("output"), ctypes.byref(out)))
        return _result(out)

    def step(self, current: float, dt: float = 1.0, ambient_K: Optional[float] = None) -> PackStepResult:
        """Holds pack current ``current`` [A] (discharge positive) for ``dt`` [s] at ``ambient_K``
        [K] (default 298.15 K). A crossed limit is not an error (``result.limit_reached``)."""
        ambient = STANDARD_TEMPERATURE_K if ambient_K is None else ambient_K
        out = _L.lithos_pack_output()
        status = _L.lib().lithos_pack_step(self._live("step"), _number(current, "current"), _number(dt, "dt"),
                                           _number(ambient, "ambient_K"), ctypes.byref(out))
        if status != Status.LIMIT_REACHED:
            _L.check(status)
        return _result(out)

    def values(self, quantity: Union[str, int]) -> "Any":
        """One quantity as a numpy array (Ns·Np values per cell, or Ns per channel); see
        :data:`PACK_QUANTITIES`."""
        import numpy as np

        code = _code(PACK_QUANTITIES, quantity, "pack quantity")
        handle = self._live("values")
        length = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_pack_get_values(handle, code, None, 0, ctypes.byref(length)))
        out = np.empty(length.value, dtype=np.float64)
        _L.check(_L.lib().lithos_pack_get_values(handle, code, out.ctypes.data_as(_L._double_p), length.value,
                                                 ctypes.byref(length)))
        return out

    def cells(self) -> Dict[str, "Any"]:
        """Every quantity after the last step: a dict name → numpy array (per cell or per
        channel), e.g. ``cells()["measured_voltage_V"]``."""
        return {name: self.values(code) for name, code in PACK_QUANTITIES.items()}

    def run(self, current: Any, dt: Any = 1.0, ambient_K: Optional[float] = None,
            record: Optional[Union[str, int]] = None) -> PackRunResult:
        """Pushes a pack-current profile [A] through the pack in one C call
        (``lithos_pack_run``); ``dt`` is a number or one value per step [s].

        Returns a :class:`PackRunResult`: numpy arrays ``time_s``, ``voltage_V``, ``current_A``,
        ``soc``, ``minimum_cell_voltage_V``, ``maximum_cell_voltage_V`` (one value per step),
        and, with ``record`` (a :data:`PACK_QUANTITIES` name such as ``"cell_voltage_V"``), that
        quantity after every step as a 2-D array of shape (steps, cells or channels) under its
        name. All or nothing: on error the pack is restored and the :class:`LithosError` has
        ``failed_step``."""
        import numpy as np

        handle = self._live("run")
        currents = np.ascontiguousarray(current, dtype=np.float64)
        if currents.ndim != 1:
            raise ValueError(f"Pack.run: current must be a 1-D sequence, got shape {currents.shape}")
        n = currents.shape[0]
        per_step = np.ndim(dt) > 0
        if per_step:
            dts = np.ascontiguousarray(dt, dtype=np.float64)
            if dts.shape != (n,):
                raise ValueError(f"Pack.run: {n} currents but dt has shape {dts.shape}")
            fixed = 0.0
        else:
            fixed = _number(dt, "dt")
        ambient = _number(STANDARD_TEMPERATURE_K if ambient_K is None else ambient_K, "ambient_K")
        code = None if record is None else _code(PACK_QUANTITIES, record, "pack quantity")
        start_time = self.output.time_s
        outs = {name: np.empty(n, dtype=np.float64) for name in PACK_RUN_FIELDS if name != "time_s"}
        rec = None
        if code is not None:
            length = ctypes.c_size_t(0)
            _L.check(_L.lib().lithos_pack_get_values(handle, code, None, 0, ctypes.byref(length)))
            rec = np.empty((n, length.value), dtype=np.float64)

        def ptr(a):
            return a.ctypes.data_as(_L._double_p)

        steps = ctypes.c_size_t(0)
        status = _L.lib().lithos_pack_run(
            handle, ptr(currents) if n else None, ptr(dts) if per_step else None, fixed, n, ambient,
            ptr(outs["voltage_V"]), ptr(outs["current_A"]), ptr(outs["soc"]),
            ptr(outs["minimum_cell_voltage_V"]), ptr(outs["maximum_cell_voltage_V"]),
            0 if code is None else code, ptr(rec) if rec is not None and n else None, ctypes.byref(steps))
        if status not in (Status.OK, Status.LIMIT_REACHED):
            try:
                _L.check(status)
            except LithosError as error:
                error.failed_step = int(steps.value)
                raise
        result = PackRunResult()
        increments = dts if per_step else np.full(n, fixed)
        result["time_s"] = np.add.accumulate(np.concatenate(([start_time], increments)))[1:]
        for name in PACK_RUN_FIELDS[1:]:
            result[name] = outs[name]
        if rec is not None:
            result[[k for k, v in PACK_QUANTITIES.items() if v == code][0]] = rec
        result.limit_reached = status == Status.LIMIT_REACHED
        return result

    def reset(self, soc: float = 1.0, temperature_K: float = STANDARD_TEMPERATURE_K) -> PackStepResult:
        """Every cell at rest at ``soc`` and ``temperature_K`` plus its drawn offsets; counters
        restart; faults and balancing stay."""
        _L.check(_L.lib().lithos_pack_reset(self._live("reset"), _number(soc, "soc"),
                                            _number(temperature_K, "temperature_K")))
        return self.output

    # --- commands ---------------------------------------------------------------------------

    def set_balancing(self, mask: Sequence[Any]) -> None:
        """Switches the bleed resistors: one truthy/falsy value per voltage channel (Ns)."""
        values = [1 if bool(v) else 0 for v in mask]
        array = (ctypes.c_ubyte * max(len(values), 1))(*values)
        _L.check(_L.lib().lithos_pack_set_balancing(self._live("set_balancing"), array, len(values)))

    def inject_fault(self, fault: Union[str, int], index: int = 0, value: float = 0.0) -> None:
        """Injects fault ``fault`` (a :data:`PACK_FAULTS` name) at cell/channel/wire ``index``
        with ``value`` (its unit depends on the fault)."""
        code = _code(PACK_FAULTS, fault, "pack fault")
        _L.check(_L.lib().lithos_pack_inject_fault(self._live("inject_fault"), code, _index(index, "index"),
                                                   _number(value, "value")))

    def clear_fault(self, fault: Union[str, int], index: int = 0) -> None:
        """Clears one fault."""
        code = _code(PACK_FAULTS, fault, "pack fault")
        _L.check(_L.lib().lithos_pack_clear_fault(self._live("clear_fault"), code, _index(index, "index")))

    def clear_faults(self) -> None:
        """Clears every fault."""
        _L.check(_L.lib().lithos_pack_clear_faults(self._live("clear_faults")))

    # --- snapshots --------------------------------------------------------------------------

    @property
    def state_size(self) -> int:
        size = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_pack_state_size(self._live("state_size"), ctypes.byref(size)))
        return int(size.value)

    def save_state(self) -> bytes:
        """A snapshot of the whole pack (cells, balancing, faults, counters): bit-exact resume."""
        handle = self._live("save_state")
        size = self.state_size
        buffer = ctypes.create_string_buffer(max(size, 1))
        written = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_pack_save_state(handle, buffer, size, ctypes.byref(written)))
        return buffer.raw[:written.value]

    def load_state(self, state: Union[bytes, bytearray, memoryview]) -> None:
        """Restores a snapshot; a corrupted or other-pack snapshot raises
        :class:`LithosInvalidArgumentError` and leaves the pack unchanged."""
        handle = self._live("load_state")
        if isinstance(state, memoryview):
            state = state.tobytes()
        if not isinstance(state, (bytes, bytearray)):
            raise TypeError(f"state must be bytes, not {type(state).__name__}")
        data = bytes(state)
        buffer = ctypes.create_string_buffer(data, max(len(data), 1))
        _L.check(_L.lib().lithos_pack_load_state(handle, buffer, len(data)))

    def __repr__(self) -> str:
        if self.closed:
            return "<lithos.Pack (closed)>"
        i = self.info
        return f"<lithos.Pack {i['series']}s{i['parallel']}p {i['kind']}, {i['capacity_Ah']:.4g} A·h>"
