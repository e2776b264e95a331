"""State estimator: BMS-style SOC/SOH/SOP/SOE and safety faults (wraps the C
``lithos_estimator`` handle, lithos.h section 6).

An :class:`Estimator` sees only what a BMS measures — current [A] (discharge positive),
terminal voltage [V], temperature [K] and the time since the previous sample [s] — and its own
ECM of the cell. Each :meth:`Estimator.update` returns an :class:`Estimate`.

Quick start::

    import lithos
    with lithos.Model("examples/cells/default.json") as model:
        est = lithos.Estimator.from_model(model, algorithm="ekf", initial_soc=0.7)
        e = est.update(current_A=1.0, voltage_V=3.9, temperature_K=298.15, dt_s=1.0)
        e.soc, e.soc_std, e.discharge_power_limit_W[1], e.faults
        trace = est.run(current, voltage, temperature, dt=1.0)   # numpy arrays

A NaN measurement (sensor absent this cycle) is not an error: it sets the
``"measurement_skipped"`` fault. Bad input (Inf, dt <= 0, a temperature in °C) raises a
:class:`LithosError` carrying the library's message, and leaves the estimator as it was.
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Dict, FrozenSet, Optional, Tuple, Union

from . import _library as _L
from ._handle import OwnedHandle
from ._errors import LithosError, Status, error_for
from .model import Source, _number, _read_source

#: Fault bits of ``active_faults`` / ``latched_faults`` (C ``LITHOS_FAULT_*``), name → bit.
FAULTS: Dict[str, int] = {
    "over_voltage": 1 << 0,
    "under_voltage": 1 << 1,
    "over_current": 1 << 2,
    "over_temperature": 1 << 3,
    "under_temperature": 1 << 4,
    "voltage_sensor_stuck": 1 << 5,
    "current_sensor_offset": 1 << 6,
    "temperature_sensor_step": 1 << 7,
    "internal_short": 1 << 8,
    "dendrite_risk": 1 << 9,
    "measurement_skipped": 1 << 10,
    "measurement_rejected": 1 << 11,
}

#: Algorithms the estimator accepts.
ALGORITHMS: Tuple[str, ...] = ("coulomb", "ekf", "ukf")

#: Keys of the dict :meth:`Estimator.run` returns, in order.
ESTIMATOR_RUN_FIELDS: Tuple[str, ...] = ("soc", "soc_std", "predicted_voltage_V")


def fault_names(flags: int) -> FrozenSet[str]:
    """The names of the ``LITHOS_FAULT_*`` bits set in ``flags``."""
    return frozenset(name for name, bit in FAULTS.items() if flags & bit)


@dataclass(frozen=True)
class Estimate:
    """The estimate after an update (mirror of ``lithos_estimate``). Units in the field names;
    the SOP tuples hold the 2, 10 and 30 s horizons; limits are magnitudes (≥ 0)."""

    time_s: float
    soc: float
    soc_std: float
    capacity_Ah: float
    capacity_std_Ah: float
    capacity_soh_percent: float
    series_resistance_ohm: float
    resistance_soh_percent: float
    energy_remaining_Wh: float
    time_to_empty_s: float
    time_to_full_s: float
    discharge_current_limit_A: Tuple[float, float, float]
    charge_current_limit_A: Tuple[float, float, float]
    discharge_power_limit_W: Tuple[float, float, float]
    charge_power_limit_W: Tuple[float, float, float]
    predicted_voltage_V: float
    innovation_V: float
    active_faults: int
    latched_faults: int
    current_offset_A: float = 0.0
    current_offset_std_A: float = 0.0

    @property
    def faults(self) -> FrozenSet[str]:
        """Names of the faults holding now (``active_faults``)."""
        return fault_names(self.active_faults)

    @property
    def latched_fault_names(self) -> FrozenSet[str]:
        """Names of the faults seen since creation or the last clear (``latched_faults``)."""
        return fault_names(self.latched_faults)

    def to_dict(self) -> Dict[str, Any]:
        """Every field as a dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def _from_c(cls, c: "_L.lithos_estimate") -> "Estimate":
        values = {}
        for f in fields(cls):
            v = getattr(c, f.name)
            if f.name.endswith(("_limit_A", "_limit_W")):
                v = tuple(float(x) for x in v)
            elif f.name.endswith("_faults"):
                v = int(v)
            else:
                v = float(v)
            values[f.name] = v
        return cls(**values)


class Estimator(OwnedHandle):
    """A BMS state estimator (wraps a C ``lithos_estimator`` handle).

    Args:
        config: the configuration: a dict, a JSON string or a path to a JSON file;
            ``{"ecm": {...}, "algorithm": "ekf", "initial_soc": ..., "initial_soc_std": ...,
            "tuning": {...}, "sensor": {...}, "rest": {...}, "limits": {...}}`` (only ``"ecm"``
            is required; docs/estimator.md).
    """

    _destroy = "lithos_estimator_destroy"
    _noun = "estimator"

    def __init__(self, config: Source) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        text = _read_source(config, "estimator configuration")
        handle = ctypes.c_void_p()
        _L.check(_L.lib().lithos_estimator_create(_L.encode_name(text, "the configuration"),
                                                  ctypes.byref(handle)))
        self._handle = handle

    @classmethod
    def from_model(cls, model: Any, algorithm: str = "ekf", initial_soc: Optional[float] = None,
                   initial_soc_std: Optional[float] = None, **extra: Any) -> "Estimator":
        """An estimator whose ECM is ``model``'s parameters (``model.parameters()``). Further
        configuration keys (``tuning=``, ``sensor=``, ``limits=`` …) pass through ``extra``."""
        config: Dict[str, Any] = {"ecm": model.parameters(), "algorithm": algorithm}
        if initial_soc is not None:
            config["initial_soc"] = _number(initial_soc, "initial_soc")
        if initial_soc_std is not None:
            config["initial_soc_std"] = _number(initial_soc_std, "initial_soc_std")
        config.update(extra)
        return cls(config)

    # life cycle (close, with, closed, _live): OwnedHandle

    # --- configuration ----------------------------------------------------------------------

    def config_json(self) -> str:
        """The normalised configuration (every default filled in) as JSON text."""
        return _L.read_text(_L.lib().lithos_estimator_config_json, self._live("config_json"))

    def config(self) -> Dict[str, Any]:
        """The normalised configuration as a dict (``Estimator(est.config())`` is an identical
        estimator)."""
        return json.loads(self.config_json())

    # --- updates ----------------------------------------------------------------------------

    def update(self, current_A: float, voltage_V: float, temperature_K: float, dt_s: float) -> Estimate:
        """One BMS cycle; NaN for an absent measurement. Returns the new :class:`Estimate`."""
        out = _L.lithos_estimate()
        _L.check(_L.lib().lithos_estimator_update(
            self._live("update"), _number(current_A, "current_A"), _number(voltage_V, "voltage_V"),
            _number(temperature_K, "temperature_K"), _number(dt_s, "dt_s"), ctypes.byref(out)))
        return Estimate._from_c(out)

    @property
    def estimate(self) -> Estimate:
        """The latest estimate (of the last update, or the initial one) without updating."""
        out = _L.lithos_estimate()
        _L.check(_L.lib().lithos_estimator_get_estimate(self._live("estimate"), ctypes.byref(out)))
        return Estimate._from_c(out)

    def run(self, current: Any, voltage: Any, temperature: Any, dt: Any = 1.0) -> Dict[str, Any]:
        """Many updates in one C call (``lithos_estimator_run``).

        Args:
            current, voltage, temperature: 1-D sequences or numpy arrays [A, V, K] of equal
                length (a scalar temperature is repeated); NaN = absent.
            dt: seconds since the previous sample: one number, or an array (one per update).

        Returns a dict of float64 numpy arrays, one value per update: ``soc``, ``soc_std``,
        ``predicted_voltage_V``. All or nothing: on an error the estimator is restored to its
        state before the call and the :class:`LithosError` has ``failed_step`` set to the index
        of the failing update."""
        import numpy as np

        handle = self._live("run")
        i = np.ascontiguousarray(np.asarray(current, dtype=np.float64))
        if i.ndim != 1:
            raise ValueError(f"Estimator.run: current must be 1-D, got shape {i.shape}")
        n = i.shape[0]

        def column(values: Any, what: str) -> "np.ndarray":
            a = np.asarray(values, dtype=np.float64)
            if a.ndim == 0:
                a = np.full(n, float(a))
            a = np.ascontiguousarray(a)
            if a.ndim != 1 or a.shape[0] != n:
                raise ValueError(f"Estimator.run: {n} currents but {what} has shape {a.shape}")
            return a

        v = column(voltage, "voltage")
        t = column(temperature, "temperature")
        per_update_dt = np.ndim(dt) > 0
        dts = column(dt, "dt") if per_update_dt else None
        fixed_dt = 0.0 if per_update_dt else _number(dt, "dt")
        outputs = {name: np.empty(n, dtype=np.float64) for name in ESTIMATOR_RUN_FIELDS}
        updates = ctypes.c_size_t(0)

        def pointer(array):
            return array.ctypes.data_as(_L._double_p) if n else None

        status = _L.lib().lithos_estimator_run(
            handle, pointer(i), pointer(v), pointer(t), pointer(dts) if per_update_dt else None,
            fixed_dt, n, pointer(outputs["soc"]), pointer(outputs["soc_std"]),
            pointer(outputs["predicted_voltage_V"]), ctypes.byref(updates))
        if status != Status.OK:
            try:
                _L.check(status)
            except LithosError as error:
                error.failed_step = int(updates.value) if n else 0
                raise
        return {name: outputs[name] for name in ESTIMATOR_RUN_FIELDS}

    def reset(self, soc: float, soc_std: float) -> None:
        """Restarts the SOC estimate at ``soc`` (0…1) with standard deviation ``soc_std``
        (> 0, ≤ 1); RC states and hysteresis restart at 0."""
        _L.check(_L.lib().lithos_estimator_reset(self._live("reset"), _number(soc, "soc"),
                                                 _number(soc_std, "soc_std")))

    def clear_latched_faults(self) -> None:
        """Clears the latched fault bits (active ones stay while their conditions hold)."""
        _L.check(_L.lib().lithos_estimator_clear_latched_faults(self._live("clear_latched_faults")))

    # --- snapshots --------------------------------------------------------------------------

    @property
    def state_size(self) -> int:
        """Bytes of a state snapshot."""
        size = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_estimator_state_size(self._live("state_size"), ctypes.byref(size)))
        return int(size.value)

    def save_state(self) -> bytes:
        """A snapshot of the estimator's state; :meth:`load_state` resumes bit-exactly."""
        handle = self._live("save_state")
        size = self.state_size
        buffer = ctypes.create_string_buffer(max(size, 1))
        written = ctypes.c_size_t(0)
        _L.check(_L.lib().lithos_estimator_save_state(handle, buffer, size, ctypes.byref(written)))
        return buffer.raw[:written.value]

    def load_state(self, state: Union[bytes, bytearray, memoryview]) -> None:
        """Restores a snapshot from :meth:`save_state`. Truncated, corrupted or
        other-configuration snapshots raise :class:`LithosInvalidArgumentError` and leave the
        estimator unchanged."""
        handle = self._live("load_state")
        if isinstance(state, memoryview):
            state = state.tobytes()
        if not isinstance(state, (bytes, bytearray)):
            raise TypeError(f"state must be bytes, not {type(state).__name__}")
        data = bytes(state)
        buffer = ctypes.create_string_buffer(data, max(len(data), 1))
        _L.check(_L.lib().lithos_estimator_load_state(handle, buffer, len(data)))

    def __repr__(self) -> str:
        if self._handle is None:
            return "<lithos.Estimator (closed)>"
        return f"<lithos.Estimator {self.config().get('algorithm', '?')}>"
