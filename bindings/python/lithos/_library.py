"""Finding, loading and declaring the C library ``liblithos.so`` (ctypes only).

Search order (the first that applies wins):

1. ``LITHOS_LIBRARY`` environment variable: the path of ``liblithos.so`` to load. When it is set
   but the file cannot be loaded, that is an error (no silent fall-back to another copy).
2. The copy bundled into the installed package: ``lithos/_native/liblithos.so`` (put there by
   ``scripts/python-package`` at install time).
3. A system-wide installation found by the dynamic loader (``ctypes.util.find_library``), e.g.
   after ``cmake --install``.

The library is loaded lazily, on the first call that needs it, so ``import lithos`` never fails;
when no library can be found that first call raises :class:`LithosLibraryNotFoundError` saying
how to fix it.

Every C function of ``Include/lithos.h`` is declared here with its exact ``argtypes`` and
``restype``; the versioned structs are mirrored field for field.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import POINTER, c_char_p, c_double, c_int, c_size_t, c_uint, c_void_p
from typing import Callable, List, Optional, Tuple

from ._errors import LIBRARY_NOT_LOADED, LithosError, Status, error_for

ENV_VAR = "LITHOS_LIBRARY"
_NATIVE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_native")
BUNDLED_PATH = os.path.join(_NATIVE_DIR, "liblithos.so")

# --- C types ------------------------------------------------------------------------------

lithos_status = c_int          # C enum: int-sized
lithos_material_role = c_int   # C enum: int-sized
lithos_input_mode = c_int      # C enum: int-sized
lithos_pack_quantity = c_int   # C enum: int-sized
lithos_pack_fault = c_int      # C enum: int-sized

#: LITHOS_MODEL_MAX_INTERNALS: capacity of lithos_model_output.internals.
MODEL_MAX_INTERNALS = 16


class lithos_material_property(ctypes.Structure):
    """Mirror of ``struct lithos_material_property`` (lithos.h, section 2)."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("key", c_char_p),
        ("value", c_double),
        ("unit", c_char_p),
        ("citation", c_char_p),
        ("description", c_char_p),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_material_property)


class lithos_cell_metrics(ctypes.Structure):
    """Mirror of ``struct lithos_cell_metrics`` (lithos.h, section 3). Units in the field names."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("temperature_K", c_double),
        ("area_m2", c_double),
        ("theoretical_capacity_Ah", c_double),
        ("practical_capacity_Ah", c_double),
        ("areal_capacity_mAh_per_cm2", c_double),
        ("np_ratio", c_double),
        ("nominal_voltage_V", c_double),
        ("energy_Wh", c_double),
        ("stack_mass_kg", c_double),
        ("stack_thickness_m", c_double),
        ("specific_energy_Wh_per_kg", c_double),
        ("energy_density_Wh_per_L", c_double),
        ("cathode_loading_kg_per_m2", c_double),
        ("separator_conductivity_S_per_m", c_double),
        ("separator_asr_ohm_m2", c_double),
        ("cathode_ionic_conductivity_S_per_m", c_double),
        ("cathode_electronic_conductivity_S_per_m", c_double),
        ("cathode_ionic_tortuosity_factor", c_double),
        ("cathode_ionic_asr_ohm_m2", c_double),
        ("stack_pressure_Pa", c_double),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_cell_metrics)


class lithos_model_output(ctypes.Structure):
    """Mirror of ``struct lithos_model_output`` (lithos.h, section 4). Units in the field names."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("time_s", c_double),
        ("current_A", c_double),
        ("voltage_V", c_double),
        ("power_W", c_double),
        ("open_circuit_voltage_V", c_double),
        ("soc", c_double),
        ("temperature_K", c_double),
        ("heat_generation_W", c_double),
        ("discharged_charge_Ah", c_double),
        ("discharged_energy_Wh", c_double),
        ("limit_flags", c_uint),
        ("internal_count", c_uint),
        ("internals", c_double * MODEL_MAX_INTERNALS),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_model_output)


class lithos_model_info(ctypes.Structure):
    """Mirror of ``struct lithos_model_info`` (lithos.h, section 4)."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("kind", c_char_p),
        ("capacity_Ah", c_double),
        ("minimum_voltage_V", c_double),
        ("maximum_voltage_V", c_double),
        ("minimum_temperature_K", c_double),
        ("maximum_temperature_K", c_double),
        ("state_size", c_size_t),
        ("internal_count", c_uint),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_model_info)


class lithos_trace_summary(ctypes.Structure):
    """Mirror of ``struct lithos_trace_summary`` (lithos.h, section 5). Units in the field names."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("duration_s", c_double),
        ("sample_count", c_size_t),
        ("step_count", c_size_t),
        ("cycle_count", c_size_t),
        ("discharge_capacity_Ah", c_double),
        ("charge_capacity_Ah", c_double),
        ("net_discharged_charge_Ah", c_double),
        ("discharge_energy_Wh", c_double),
        ("charge_energy_Wh", c_double),
        ("net_discharged_energy_Wh", c_double),
        ("minimum_voltage_V", c_double),
        ("maximum_voltage_V", c_double),
        ("minimum_temperature_K", c_double),
        ("maximum_temperature_K", c_double),
        ("initial_soc", c_double),
        ("final_soc", c_double),
        ("completed", c_uint),
        ("stop_reason", c_uint),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_trace_summary)


class lithos_estimate(ctypes.Structure):
    """Mirror of ``struct lithos_estimate`` (lithos.h, section 6). Units in the field names; the
    SOP arrays hold the 2, 10 and 30 s horizons."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("time_s", c_double),
        ("soc", c_double),
        ("soc_std", c_double),
        ("capacity_Ah", c_double),
        ("capacity_std_Ah", c_double),
        ("capacity_soh_percent", c_double),
        ("series_resistance_ohm", c_double),
        ("resistance_soh_percent", c_double),
        ("energy_remaining_Wh", c_double),
        ("time_to_empty_s", c_double),
        ("time_to_full_s", c_double),
        ("discharge_current_limit_A", c_double * 3),
        ("charge_current_limit_A", c_double * 3),
        ("discharge_power_limit_W", c_double * 3),
        ("charge_power_limit_W", c_double * 3),
        ("predicted_voltage_V", c_double),
        ("innovation_V", c_double),
        ("active_faults", c_uint),
        ("latched_faults", c_uint),
        ("current_offset_A", c_double),
        ("current_offset_std_A", c_double),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_estimate)


class lithos_cycler_log(ctypes.Structure):
    """Mirror of ``struct lithos_cycler_log`` (lithos.h, section 7): parallel arrays of
    ``count`` samples, discharge-positive current; temperature and counter may be NULL."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("count", c_size_t),
        ("time_s", POINTER(c_double)),
        ("current_A", POINTER(c_double)),
        ("voltage_V", POINTER(c_double)),
        ("temperature_K", POINTER(c_double)),
        ("discharged_Ah", POINTER(c_double)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_cycler_log)


_size_p = POINTER(c_size_t)
_double_p = POINTER(c_double)
_str_p = POINTER(c_char_p)
#: char ** out-parameter of a library-allocated string (freed with lithos_string_free).
_owned_str_p = POINTER(c_void_p)

class lithos_pack_info(ctypes.Structure):
    """Mirror of ``struct lithos_pack_info`` (lithos.h, section 9)."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("kind", c_char_p),
        ("series", c_size_t),
        ("parallel", c_size_t),
        ("cell_count", c_size_t),
        ("voltage_channel_count", c_size_t),
        ("sense_wire_count", c_size_t),
        ("capacity_Ah", c_double),
        ("minimum_voltage_V", c_double),
        ("maximum_voltage_V", c_double),
        ("cell_minimum_voltage_V", c_double),
        ("cell_maximum_voltage_V", c_double),
        ("state_size", c_size_t),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_pack_info)


class lithos_pack_output(ctypes.Structure):
    """Mirror of ``struct lithos_pack_output`` (lithos.h, section 9). Units in the field names."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("time_s", c_double),
        ("current_A", c_double),
        ("measured_current_A", c_double),
        ("voltage_V", c_double),
        ("power_W", c_double),
        ("soc", c_double),
        ("minimum_soc", c_double),
        ("maximum_soc", c_double),
        ("minimum_cell_voltage_V", c_double),
        ("maximum_cell_voltage_V", c_double),
        ("minimum_temperature_K", c_double),
        ("maximum_temperature_K", c_double),
        ("balancing_current_A", c_double),
        ("balancing_power_W", c_double),
        ("heat_generation_W", c_double),
        ("discharged_charge_Ah", c_double),
        ("discharged_energy_Wh", c_double),
        ("split_current_residual_A", c_double),
        ("split_voltage_spread_V", c_double),
        ("split_iterations", c_uint),
        ("limit_flags", c_uint),
        ("active_faults", c_uint),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.struct_size = ctypes.sizeof(lithos_pack_output)


#: name → (restype, argtypes), in header order.
SIGNATURES: List[Tuple[str, object, list]] = [
    # 1. Version and status
    ("lithos_version", c_char_p, []),
    ("lithos_version_number", c_uint, []),
    ("lithos_status_string", c_char_p, [lithos_status]),
    ("lithos_last_error_message", c_char_p, []),
    # 2. Materials database
    ("lithos_material_count", lithos_status, [_size_p]),
    ("lithos_material_name", lithos_status, [c_size_t, _str_p]),
    ("lithos_material_lookup", lithos_status, [c_char_p, _str_p]),
    ("lithos_material_role_of", lithos_status, [c_char_p, POINTER(lithos_material_role)]),
    ("lithos_material_property_count", lithos_status, [c_char_p, _size_p]),
    ("lithos_material_property_at", lithos_status,
     [c_char_p, c_size_t, POINTER(lithos_material_property)]),
    ("lithos_material_property_get", lithos_status,
     [c_char_p, c_char_p, POINTER(lithos_material_property)]),
    ("lithos_material_ionic_conductivity", lithos_status, [c_char_p, c_double, POINTER(c_double)]),
    ("lithos_material_open_circuit_potential", lithos_status,
     [c_char_p, c_double, c_double, POINTER(c_double)]),
    ("lithos_material_entropic_coefficient", lithos_status, [c_char_p, c_double, POINTER(c_double)]),
    ("lithos_material_diffusivity", lithos_status, [c_char_p, c_double, POINTER(c_double)]),
    ("lithos_material_json", lithos_status, [c_char_p, c_char_p, c_size_t, _size_p]),
    ("lithos_materials_json", lithos_status, [c_char_p, c_size_t, _size_p]),
    # 3. Cell design (lithos_cell * is an opaque pointer: c_void_p)
    ("lithos_cell_create", lithos_status, [c_char_p, POINTER(c_void_p)]),
    ("lithos_cell_destroy", lithos_status, [c_void_p]),
    ("lithos_cell_metrics_at", lithos_status, [c_void_p, c_double, POINTER(lithos_cell_metrics)]),
    ("lithos_cell_metrics_json", lithos_status, [c_void_p, c_double, c_char_p, c_size_t, _size_p]),
    ("lithos_cell_design_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    # 4. Cell models (lithos_model * is an opaque pointer: c_void_p); wrapped by lithos.Model
    ("lithos_model_create", lithos_status, [c_char_p, c_char_p, POINTER(c_void_p)]),
    ("lithos_model_destroy", lithos_status, [c_void_p]),
    ("lithos_model_get_info", lithos_status, [c_void_p, POINTER(lithos_model_info)]),
    ("lithos_model_internal_name", lithos_status, [c_void_p, c_size_t, _str_p]),
    ("lithos_model_profile_count", lithos_status, [c_void_p, _size_p]),
    ("lithos_model_profile_info", lithos_status, [c_void_p, c_size_t, _str_p, _size_p]),
    ("lithos_model_get_profile", lithos_status, [c_void_p, c_size_t, _double_p, c_size_t, _size_p]),
    ("lithos_model_step", lithos_status,
     [c_void_p, lithos_input_mode, c_double, c_double, c_double, POINTER(lithos_model_output)]),
    ("lithos_model_get_output", lithos_status, [c_void_p, POINTER(lithos_model_output)]),
    ("lithos_model_run", lithos_status,
     [c_void_p, lithos_input_mode, _double_p, _double_p, c_double, c_size_t, c_double,
      _double_p, _double_p, _double_p, _double_p, _size_p]),
    ("lithos_model_reset", lithos_status, [c_void_p, c_double, c_double]),
    ("lithos_model_state_size", lithos_status, [c_void_p, _size_p]),
    ("lithos_model_save_state", lithos_status, [c_void_p, c_void_p, c_size_t, _size_p]),
    ("lithos_model_load_state", lithos_status, [c_void_p, c_void_p, c_size_t]),
    ("lithos_model_parameters_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    ("lithos_model_impedance", lithos_status,
     [c_void_p, c_double, c_double, _double_p, c_size_t, _double_p, _double_p]),
    # 5. Experiments (lithos_experiment * and lithos_trace * are opaque pointers); wrapped by
    # lithos.Experiment and Model.simulate
    ("lithos_experiment_create", lithos_status, [c_char_p, POINTER(c_void_p)]),
    ("lithos_experiment_destroy", lithos_status, [c_void_p]),
    ("lithos_experiment_add_drive_cycle", lithos_status, [c_void_p, c_char_p, c_char_p, c_double]),
    ("lithos_experiment_step_count", lithos_status, [c_void_p, _size_p]),
    ("lithos_experiment_cycle_count", lithos_status, [c_void_p, _size_p]),
    ("lithos_experiment_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    ("lithos_simulation_run", lithos_status, [c_void_p, c_void_p, c_double, c_double, POINTER(c_void_p)]),
    ("lithos_trace_destroy", lithos_status, [c_void_p]),
    ("lithos_trace_length", lithos_status, [c_void_p, _size_p]),
    ("lithos_trace_column_count", lithos_status, [c_void_p, _size_p]),
    ("lithos_trace_column_name", lithos_status, [c_void_p, c_size_t, _str_p]),
    ("lithos_trace_column", lithos_status, [c_void_p, c_char_p, _double_p, c_size_t, _size_p]),
    ("lithos_trace_csv", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    ("lithos_trace_get_summary", lithos_status, [c_void_p, POINTER(lithos_trace_summary)]),
    ("lithos_trace_steps_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    # 6. State estimator (lithos_estimator * is an opaque pointer); wrapped by lithos.Estimator
    ("lithos_estimator_create", lithos_status, [c_char_p, POINTER(c_void_p)]),
    ("lithos_estimator_destroy", lithos_status, [c_void_p]),
    ("lithos_estimator_update", lithos_status,
     [c_void_p, c_double, c_double, c_double, c_double, POINTER(lithos_estimate)]),
    ("lithos_estimator_get_estimate", lithos_status, [c_void_p, POINTER(lithos_estimate)]),
    ("lithos_estimator_run", lithos_status,
     [c_void_p, _double_p, _double_p, _double_p, _double_p, c_double, c_size_t,
      _double_p, _double_p, _double_p, _size_p]),
    ("lithos_estimator_reset", lithos_status, [c_void_p, c_double, c_double]),
    ("lithos_estimator_clear_latched_faults", lithos_status, [c_void_p]),
    ("lithos_estimator_state_size", lithos_status, [c_void_p, _size_p]),
    ("lithos_estimator_save_state", lithos_status, [c_void_p, c_void_p, c_size_t, _size_p]),
    ("lithos_estimator_load_state", lithos_status, [c_void_p, c_void_p, c_size_t]),
    ("lithos_estimator_config_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
    # 7. Identification
    ("lithos_string_free", None, [c_void_p]),
    ("lithos_fit_ocv", lithos_status,
     [POINTER(lithos_cycler_log), POINTER(lithos_cycler_log), c_double, c_double, _owned_str_p]),
    ("lithos_fit_ecm", lithos_status,
     [POINTER(lithos_cycler_log), c_size_t, c_char_p, c_double, c_char_p, _owned_str_p, _owned_str_p]),
    ("lithos_fit_capacity", lithos_status,
     [POINTER(lithos_cycler_log), c_double, c_double, c_double, _owned_str_p]),
    ("lithos_ecm_voltage_error", lithos_status,
     [c_char_p, POINTER(lithos_cycler_log), c_double, _double_p, _double_p, _double_p]),
    # 8. Impedance spectra
    ("lithos_fit_eis", lithos_status, [_double_p, _double_p, _double_p, c_size_t, c_char_p, _owned_str_p]),
    ("lithos_drt", lithos_status, [_double_p, _double_p, _double_p, c_size_t, c_char_p, _owned_str_p]),
    # 9. Packs (lithos_pack * is an opaque pointer); wrapped by lithos.Pack
    ("lithos_pack_create", lithos_status, [c_char_p, POINTER(c_void_p)]),
    ("lithos_pack_destroy", lithos_status, [c_void_p]),
    ("lithos_pack_get_info", lithos_status, [c_void_p, POINTER(lithos_pack_info)]),
    ("lithos_pack_step", lithos_status, [c_void_p, c_double, c_double, c_double, POINTER(lithos_pack_output)]),
    ("lithos_pack_get_output", lithos_status, [c_void_p, POINTER(lithos_pack_output)]),
    ("lithos_pack_get_values", lithos_status, [c_void_p, lithos_pack_quantity, _double_p, c_size_t, _size_p]),
    ("lithos_pack_quantity_name", lithos_status, [lithos_pack_quantity, _str_p]),
    ("lithos_pack_set_balancing", lithos_status, [c_void_p, POINTER(ctypes.c_ubyte), c_size_t]),
    ("lithos_pack_inject_fault", lithos_status, [c_void_p, lithos_pack_fault, c_size_t, c_double]),
    ("lithos_pack_clear_fault", lithos_status, [c_void_p, lithos_pack_fault, c_size_t]),
    ("lithos_pack_clear_faults", lithos_status, [c_void_p]),
    ("lithos_pack_run", lithos_status,
     [c_void_p, _double_p, _double_p, c_double, c_size_t, c_double, _double_p, _double_p, _double_p,
      _double_p, _double_p, lithos_pack_quantity, _double_p, _size_p]),
    ("lithos_pack_reset", lithos_status, [c_void_p, c_double, c_double]),
    ("lithos_pack_state_size", lithos_status, [c_void_p, _size_p]),
    ("lithos_pack_save_state", lithos_status, [c_void_p, c_void_p, c_size_t, _size_p]),
    ("lithos_pack_load_state", lithos_status, [c_void_p, c_void_p, c_size_t]),
    ("lithos_pack_config_json", lithos_status, [c_void_p, c_char_p, c_size_t, _size_p]),
]


class _Missing:
    """Stands in for a function the loaded library does not export (an older build)."""

    def __init__(self, name: str, path: str) -> None:
        self._name, self._path = name, path

    def __call__(self, *args, **kwargs):
        raise error_for(
            Status.NOT_SUPPORTED,
            f"{self._name} is not exported by {self._path}: the library is older than this Python "
            f"package; rebuild liblithos from the same sources (cmake --build) and reinstall")


class Library:
    """A loaded ``liblithos`` with every function declared. ``path`` is where it came from."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cdll = ctypes.CDLL(path)
        self.missing: List[str] = []
        for name, restype, argtypes in SIGNATURES:
            try:
                fn = getattr(self.cdll, name)
            except AttributeError:
                self.missing.append(name)
                setattr(self, name, _Missing(name, path))
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)

    def __getattr__(self, name: str):  # only reached for names not in SIGNATURES
        raise AttributeError(f"lithos C function {name!r} is not declared in lithos._library")


_lock = threading.Lock()
_library: Optional[Library] = None


def _not_found(message: str) -> LithosError:
    return error_for(LIBRARY_NOT_LOADED, message)


_HOW_TO_FIX = (
    "Fix it in one of these ways:\n"
    "  * build the library (cmake -S . -B build && cmake --build build) and point "
    f"{ENV_VAR} at it: export {ENV_VAR}=/path/to/build/liblithos.so\n"
    "  * install the package with the library bundled: scripts/python-package BUILD_DIR VENV_DIR\n"
    "  * install liblithos system-wide (cmake --install build) so the dynamic loader finds it")


def _candidates() -> List[Tuple[str, str]]:
    found: List[Tuple[str, str]] = []
    if os.path.exists(BUNDLED_PATH):
        found.append(("bundled copy", BUNDLED_PATH))
    system = ctypes.util.find_library("lithos")
    if system:
        found.append(("system library", system))
    return found


def _load() -> Library:
    env = os.environ.get(ENV_VAR)
    if env:
        path = os.path.abspath(os.path.expanduser(env))
        if not os.path.isfile(path):
            raise _not_found(f"{ENV_VAR} is set to {env!r}, but no file exists there. "
                             f"Set it to the path of liblithos.so (e.g. build/liblithos.so) or "
                             f"unset it to use the bundled copy.")
        try:
            return Library(path)
        except OSError as exc:
            raise _not_found(f"{ENV_VAR}={env!r} could not be loaded: {exc}") from exc
    errors = []
    for what, path in _candidates():
        try:
            return Library(path)
        except OSError as exc:
            errors.append(f"  {what} {path}: {exc}")
    detail = ("\nTried:\n" + "\n".join(errors)) if errors else ""
    raise _not_found(
        f"the Lithos shared library liblithos.so was not found: {ENV_VAR} is not set, the "
        f"package has no bundled copy ({BUNDLED_PATH}) and none is installed system-wide."
        f"{detail}\n{_HOW_TO_FIX}")


def lib() -> Library:
    """The loaded library (loaded on first use). Raises LithosLibraryNotFoundError."""
    global _library
    if _library is None:
        with _lock:
            if _library is None:
                _library = _load()
    return _library


def library_path() -> str:
    """Absolute path (or loader name) of the ``liblithos`` this process uses."""
    return lib().path


# --- call helpers -------------------------------------------------------------------------

def last_error_message() -> str:
    """``lithos_last_error_message()`` of the calling thread, decoded."""
    raw = lib().lithos_last_error_message()
    return raw.decode("utf-8", "replace") if raw else ""


def check(status: int) -> None:
    """Raises the matching LithosError (with the C message) unless ``status`` is LITHOS_OK."""
    if status != Status.OK:
        message = last_error_message()
        if not message:
            raw = lib().lithos_status_string(status)
            message = raw.decode("utf-8", "replace") if raw else f"lithos status {status}"
        raise error_for(status, message)


def take_string(pointer: c_void_p) -> Optional[str]:
    """The text of a library-allocated string (a ``char **`` result), freed afterwards with
    ``lithos_string_free``; None for NULL."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib().lithos_string_free(pointer)


def read_text(function: Callable[..., int], *args) -> str:
    """Calls a snprintf-style ``lithos_*_json(…, buffer, capacity, out_length)`` function with the
    size-query protocol (NULL/0 first to learn the length, then length+1 bytes) and returns the
    text."""
    length = c_size_t(0)
    check(function(*args, None, 0, ctypes.byref(length)))
    for _ in range(3):  # the text is immutable, so one round suffices; retry defensively
        buffer = ctypes.create_string_buffer(length.value + 1)
        status = function(*args, buffer, len(buffer), ctypes.byref(length))
        if status == Status.BUFFER_TOO_SMALL:
            continue
        check(status)
        return buffer.raw[:length.value].decode("utf-8")
    check(status)
    raise error_for(Status.INTERNAL, "JSON output kept growing between calls")


def encode_name(name: object, what: str = "name") -> bytes:
    """A Python str as NUL-free UTF-8 bytes for a ``const char *`` argument."""
    if isinstance(name, bytes):
        data = name
    elif isinstance(name, str):
        data = name.encode("utf-8")
    else:
        raise TypeError(f"{what} must be a str, not {type(name).__name__}")
    if b"\0" in data:
        raise error_for(Status.INVALID_ARGUMENT, f"{what} {name!r} contains a NUL character")
    return data


def decode(raw: Optional[bytes]) -> str:
    """A static C string as str ('' for NULL)."""
    return raw.decode("utf-8", "replace") if raw else ""
