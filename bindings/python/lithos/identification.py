"""Identification from cycler data (``lithos.h`` section 7): OCV from a low-rate test, a
temperature-dependent ECM from HPPC tests, and the voltage error of an ECM on a measured log.

The ECM these functions return is the dict that :class:`lithos.Model` (``Model(ecm=...)``) and
:class:`lithos.Estimator` (``{"ecm": ...}``) take directly; docs/identification.md has the
methods and the figures on the measured Panasonic NCR18650PF::

    c20 = lithos.CyclerLog.from_csv("pan18650pf_25C_C20_OCVtest_timeseries.csv",
                                    current_sign="discharge-negative")
    ocv = lithos.fit_ocv(c20)
    hppc = [lithos.CyclerLog.from_csv(f, current_sign="discharge-negative") for f in files]
    fit = lithos.fit_ecm(hppc, ocv, capacity_Ah=2.9)
    lithos.ecm_voltage_error(fit.parameters, us06).rms_V
"""

from __future__ import annotations

import csv
import ctypes
import json
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Union

from . import _library as _L

__all__ = ["CyclerLog", "ECMFit", "VoltageError", "fit_ocv", "fit_ecm", "fit_capacity", "ecm_voltage_error"]


class CyclerLog:
    """A cycler log in the library's conventions: ``time_s`` [s] strictly increasing,
    ``current_A`` [A] discharge positive, ``voltage_V`` [V], ``temperature_K`` [K] (None: 298.15 K
    throughout) and the tester's A·h counter ``discharged_Ah`` (discharge positive, from 0 at a
    full cell; None: integrated from the current). Arrays are float64 numpy arrays."""

    def __init__(self, time_s: Any, current_A: Any, voltage_V: Any,
                 temperature_K: Any = None, discharged_Ah: Any = None) -> None:
        import numpy as np

        def column(x: Any) -> Any:
            return None if x is None else np.ascontiguousarray(np.asarray(x, dtype=np.float64).ravel())

        self.time_s = column(time_s)
        self.current_A = column(current_A)
        self.voltage_V = column(voltage_V)
        self.temperature_K = column(temperature_K)
        self.discharged_Ah = column(discharged_Ah)

    def __len__(self) -> int:
        return int(self.time_s.size)

    @classmethod
    def from_csv(cls, path: str, current_sign: str = "discharge-positive") -> "CyclerLog":
        """Reads a CSV with the header ``time_s,current_A,voltage_V,temperature_C|temperature_K
        [,ah_Ah]`` (the form ``lithos fit-ocv`` / ``fit-ecm`` read; other columns ignored).
        ``current_sign="discharge-negative"`` negates current and counter (e.g. the Panasonic
        18650PF set). Rows with a missing number or a time that does not advance are skipped,
        as the CLI does."""
        if current_sign not in ("discharge-positive", "discharge-negative"):
            raise ValueError("current_sign must be 'discharge-positive' or 'discharge-negative'")
        sign = -1.0 if current_sign == "discharge-negative" else 1.0
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader)]

            def index(*names: str) -> Optional[int]:
                return next((header.index(n) for n in names if n in header), None)

            it, ii, iv = index("time_s"), index("current_A"), index("voltage_V")
            if it is None or ii is None or iv is None:
                raise ValueError(f"{path}: the header needs time_s, current_A and voltage_V")
            ic, ik, iah = index("temperature_C"), index("temperature_K"), index("ah_Ah")
            rows: List[List[float]] = []
            for row in reader:
                try:
                    values = [float(row[it]), float(row[ii]), float(row[iv])]
                    values.append(float(row[ic]) + 273.15 if ic is not None
                                  else float(row[ik]) if ik is not None else 298.15)
                    values.append(float(row[iah]) if iah is not None else 0.0)
                except (ValueError, IndexError):
                    continue
                if rows and not values[0] > rows[-1][0]:
                    continue
                rows.append(values)
        columns = list(zip(*rows)) if rows else [[], [], [], [], []]
        return cls(columns[0], [sign * i for i in columns[1]], columns[2],
                   columns[3] if (ic is not None or ik is not None) else None,
                   [sign * q for q in columns[4]] if iah is not None else None)

    def _c(self) -> "_L.lithos_cycler_log":
        """The C view of the arrays (valid while this object lives)."""
        c = _L.lithos_cycler_log()
        c.count = len(self)
        for name in ("time_s", "current_A", "voltage_V", "temperature_K", "discharged_Ah"):
            array = getattr(self, name)
            if array is not None:
                if array.size != c.count:
                    raise ValueError(f"CyclerLog.{name} has {array.size} samples, time_s has {c.count}")
                setattr(c, name, array.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
        return c


class ECMFit(NamedTuple):
    """Result of :func:`fit_ecm`: ``parameters`` (the ECM parameter dict) and ``report`` (per
    temperature: per-level elements, every pulse fit with 95 % confidence intervals and residual,
    the rest points of the OCV)."""
    parameters: Dict[str, Any]
    report: Dict[str, Any]


class VoltageError(NamedTuple):
    """Result of :func:`ecm_voltage_error`: RMS and largest |simulated − measured| over samples
    1… [V], and the simulated voltage per sample [V]."""
    rms_V: float
    max_V: float
    simulated_V: Any


def _json_text(value: Union[str, Dict[str, Any]]) -> bytes:
    return (value if isinstance(value, str) else json.dumps(value)).encode("utf-8")


def fit_ocv(discharge: CyclerLog, charge: Optional[CyclerLog] = None,
            capacity_Ah: Optional[float] = None, soc_step: float = 0.005) -> Dict[str, Any]:
    """OCV(SOC) from a low-rate discharge of a full cell (and optionally a low-rate charge):
    average branch and hysteresis half-width, monotone, on a SOC grid of step ``soc_step``
    (``lithos_fit_ocv``). ``capacity_Ah`` None: the charge the discharge removed. Returns the OCV
    table dict ({"capacity_Ah", "temperature_K", "soc_breakpoints", "ocv_V", …})."""
    out = ctypes.c_void_p()
    d = discharge._c()
    c = charge._c() if charge is not None else None
    _L.check(_L.lib().lithos_fit_ocv(ctypes.byref(d), ctypes.byref(c) if c is not None else None,
                                     float(capacity_Ah or 0.0), float(soc_step), ctypes.byref(out)))
    return json.loads(_L.take_string(out))


def fit_ecm(hppc: Sequence[CyclerLog], ocv: Union[str, Dict[str, Any]], capacity_Ah: float,
            rc_pairs: int = 2, soc_step: float = 0.01, ocv_source: str = "rests",
            thermal: bool = True, minimum_voltage_V: float = 2.5,
            maximum_voltage_V: float = 4.2) -> ECMFit:
    """A temperature-dependent ECM (R0 and ``rc_pairs`` RC pairs per SOC and temperature) from
    HPPC logs, one per temperature, each starting from a full rested cell, and an OCV table
    (``fit_ocv``'s dict or its JSON) by Levenberg–Marquardt (``lithos_fit_ecm``)."""
    logs = list(hppc)
    array = (_L.lithos_cycler_log * max(1, len(logs)))()
    for k, log in enumerate(logs):
        array[k] = log._c()
    options = json.dumps({"rc_pairs": rc_pairs, "soc_step": soc_step, "ocv_source": ocv_source,
                          "thermal": thermal, "minimum_voltage_V": minimum_voltage_V,
                          "maximum_voltage_V": maximum_voltage_V}).encode("utf-8")
    parameters, report = ctypes.c_void_p(), ctypes.c_void_p()
    _L.check(_L.lib().lithos_fit_ecm(array, len(logs), _json_text(ocv), float(capacity_Ah), options,
                                     ctypes.byref(parameters), ctypes.byref(report)))
    return ECMFit(json.loads(_L.take_string(parameters)), json.loads(_L.take_string(report)))


def fit_capacity(log: CyclerLog, minimum_voltage_V: Optional[float] = None,
                 maximum_voltage_V: Optional[float] = None, current_threshold_A: float = 0.01) -> Dict[str, Any]:
    """Capacity of every full discharge and coulombic/energy efficiency of every full charge →
    full discharge pair in a log (``lithos_fit_capacity``); the voltage limits default to the
    log's lowest and highest voltage. Returns {"discharge_capacities_Ah", "coulombic_efficiencies",
    "energy_efficiencies", "half_cycles"}."""
    out = ctypes.c_void_p()
    c = log._c()
    _L.check(_L.lib().lithos_fit_capacity(ctypes.byref(c), float(minimum_voltage_V or 0.0),
                                          float(maximum_voltage_V or 0.0), float(current_threshold_A),
                                          ctypes.byref(out)))
    return json.loads(_L.take_string(out))


def ecm_voltage_error(ecm: Union[str, Dict[str, Any]], log: CyclerLog,
                      reset_after_gap_s: float = 0.0) -> VoltageError:
    """Runs the ECM through a measured log (its current, its temperature imposed, SOC at the
    start from the counter) and compares the voltage (``lithos_ecm_voltage_error``).
    ``reset_after_gap_s`` > 0 restarts the model rested after every longer time gap (HPPC logs
    whose inter-set discharges were not logged)."""
    import numpy as np
    c = log._c()
    simulated = np.empty(len(log))
    rms, worst = ctypes.c_double(), ctypes.c_double()
    _L.check(_L.lib().lithos_ecm_voltage_error(
        _json_text(ecm), ctypes.byref(c), float(reset_after_gap_s), ctypes.byref(rms), ctypes.byref(worst),
        simulated.ctypes.data_as(ctypes.POINTER(ctypes.c_double))))
    return VoltageError(rms.value, worst.value, simulated)
