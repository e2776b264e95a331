"""Lithos: solid-state lithium battery materials, cell design and simulation (Python binding).

A thin ctypes binding to the C library ``liblithos`` (``Include/lithos.h``). Units are SI
(K, V, S/m, m, kg, m²/s …) except capacity in A·h; every name or docstring states its unit.

Quick start::

    import lithos
    lpscl = lithos.Material("LPSCl")                 # aliases accepted
    lpscl.ionic_conductivity(298.15)                 # S/m at 25 °C
    [m.name for m in lithos.materials("cathode")]
    with lithos.CellDesign.from_file("examples/cells/default.json") as cell:
        cell.metrics()["specific_energy_Wh_per_kg"]
    with lithos.Model("examples/cells/default.json") as model:   # ECM derived from the design
        model.step(model.info["capacity_Ah"], dt=1.0).voltage_V  # 1C for 1 s
        model.simulate("Discharge at 1C until 3.0 V")["voltage_V"]

The shared library is found via the ``LITHOS_LIBRARY`` environment variable, else the copy
bundled in the package (``lithos/_native/liblithos.so``), else a system installation.
Failures raise :class:`LithosError` (``.status``, ``.status_name``, ``.message``).
"""

from __future__ import annotations

import ctypes as _ctypes

from . import _library
from ._errors import (
    LithosBufferTooSmallError,
    LithosConfigError,
    LithosError,
    LithosInternalError,
    LithosInvalidArgumentError,
    LithosLibraryNotFoundError,
    LithosNotFoundError,
    LithosNotSupportedError,
    LithosNullArgumentError,
    LithosOutOfMemoryError,
    LithosOutOfRangeError,
    LithosParseError,
    LithosStructSizeError,
    Status,
)
from .cell import METRIC_FIELDS, CellDesign
from .experiment import STEP_END_REASONS, SUMMARY_FIELDS, Experiment, SimulationResult
from .estimator import ALGORITHMS, ESTIMATOR_RUN_FIELDS, FAULTS, Estimate, Estimator, fault_names
from .materials import (
    ROLES,
    STANDARD_TEMPERATURE_K,
    TEMPERATURE_MAX_K,
    TEMPERATURE_MIN_K,
    Material,
    Property,
    material_names,
    materials,
    materials_json,
)
from .identification import CyclerLog, ECMFit, VoltageError, ecm_voltage_error, fit_capacity, fit_ecm, fit_ocv
from .impedance import DRT, EISFit, drt, fit_eis, plot_bode, plot_drt, plot_nyquist, read_spectrum_csv
from .pack import (
    PACK_FAULTS,
    PACK_INFO_FIELDS,
    PACK_OUTPUT_FIELDS,
    PACK_QUANTITIES,
    PACK_RUN_FIELDS,
    Pack,
    PackRunResult,
    PackStepResult,
)
from .model import (
    INFO_FIELDS,
    LIMIT_NAMES,
    RUN_FIELDS,
    Model,
    RunResult,
    StepResult,
    limit_names,
)

#: Version of this Python package (equals the C library version it was written for).
__version__ = "0.1.0"


def version() -> str:
    """Version of the loaded C library as ``"MAJOR.MINOR.PATCH"`` (``lithos_version()``)."""
    return _library.decode(_library.lib().lithos_version())


def version_number() -> int:
    """Version of the loaded C library as MAJOR*10000 + MINOR*100 + PATCH."""
    return int(_library.lib().lithos_version_number())


def status_string(status: int) -> str:
    """The library's description of a status code, e.g. ``"LITHOS_ERROR_PARSE: malformed JSON"``."""
    return _library.decode(_library.lib().lithos_status_string(_ctypes.c_int(int(status))))


def library_path() -> str:
    """Path of the ``liblithos`` shared library this process loaded (loads it if needed)."""
    return _library.library_path()


__all__ = [
    "__version__", "version", "version_number", "status_string", "library_path",
    "Material", "Property", "materials", "material_names", "materials_json", "ROLES",
    "STANDARD_TEMPERATURE_K", "TEMPERATURE_MIN_K", "TEMPERATURE_MAX_K",
    "CellDesign", "METRIC_FIELDS",
    "Model", "StepResult", "RunResult", "INFO_FIELDS", "RUN_FIELDS", "LIMIT_NAMES", "limit_names",
    "Pack", "PackStepResult", "PackRunResult", "PACK_FAULTS", "PACK_QUANTITIES", "PACK_INFO_FIELDS",
    "PACK_OUTPUT_FIELDS", "PACK_RUN_FIELDS",
    "Experiment", "SimulationResult", "STEP_END_REASONS", "SUMMARY_FIELDS",
    "Estimator", "Estimate", "FAULTS", "ALGORITHMS", "ESTIMATOR_RUN_FIELDS", "fault_names",
    "CyclerLog", "ECMFit", "VoltageError", "fit_ocv", "fit_ecm", "fit_capacity", "ecm_voltage_error",
    "EISFit", "DRT", "fit_eis", "drt", "read_spectrum_csv", "plot_nyquist", "plot_bode", "plot_drt",
    "Status", "LithosError", "LithosLibraryNotFoundError", "LithosNullArgumentError",
    "LithosInvalidArgumentError", "LithosOutOfRangeError", "LithosParseError",
    "LithosConfigError", "LithosNotFoundError", "LithosBufferTooSmallError",
    "LithosStructSizeError", "LithosNotSupportedError", "LithosOutOfMemoryError",
    "LithosInternalError",
]
