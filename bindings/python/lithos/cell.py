"""Cell designs: a layered solid-state cell stack created from JSON, and its derived metrics.

A design describes anode (Li foil, anode-free or composite), solid-electrolyte separator,
composite cathode (CAM + SE + carbon + binder + porosity) and current collectors, with the
electrode area and stack pressure. Keys carry their unit as a suffix (``thickness_um``,
``area_cm2``, ``stack_pressure_MPa``); see ``docs/cell-design.md`` and ``examples/cells/``.
"""

from __future__ import annotations

import ctypes
import json
import os
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Union

from . import _library as _L
from ._handle import OwnedHandle
from ._errors import Status, error_for
from .materials import STANDARD_TEMPERATURE_K

#: Keys of :meth:`CellDesign.metrics`: the fields of ``struct lithos_cell_metrics`` after
#: ``struct_size``, in C order. Units are in the names (SI unless the suffix says otherwise).
METRIC_FIELDS: List[str] = [name for name, _ in _L.lithos_cell_metrics._fields_
                            if name != "struct_size"]

DesignSource = Union[Mapping[str, Any], str, bytes, "os.PathLike[str]"]


class CellDesign(OwnedHandle):
    """An immutable solid-state cell design (wraps a C ``lithos_cell`` handle).

    ``design`` may be

    * a dict (the design document),
    * a JSON string or bytes (anything whose first non-blank character is ``{``),
    * a path (str or ``os.PathLike``) to a JSON file — or use :meth:`from_file`.

    Invalid designs raise :class:`LithosParseError` (malformed JSON; message gives line:column),
    :class:`LithosConfigError` (missing/unknown key, wrong type, bad fractions …),
    :class:`LithosNotFoundError` (unknown material) or :class:`LithosOutOfRangeError`.

    The handle is freed by :meth:`close`, on leaving a ``with`` block, or when the object is
    garbage-collected. One CellDesign is used by one thread at a time.

    Metrics (:meth:`metrics`), all at one temperature [K]: area [m²], theoretical and practical
    capacity [A·h], areal capacity [mA·h/cm²], N/P ratio [1], nominal voltage [V], energy [W·h],
    stack mass [kg] and thickness [m], specific energy [W·h/kg], energy density [W·h/L], cathode
    loading [kg/m²], separator conductivity [S/m] and ASR [Ω·m²], composite-cathode ionic and
    electronic conductivity [S/m], ionic tortuosity factor [1], ionic ASR [Ω·m²], stack pressure
    [Pa]. See :data:`METRIC_FIELDS`.
    """

    _destroy = "lithos_cell_destroy"
    _noun = "cell"

    def __init__(self, design: DesignSource) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        self._source_path: Optional[str] = None
        self._create(self._design_text(design))

    def _create(self, text: str) -> None:
        handle = ctypes.c_void_p()
        _L.check(_L.lib().lithos_cell_create(_L.encode_name(text, "design JSON"),
                                             ctypes.byref(handle)))
        if not handle.value:  # the library promises a handle on LITHOS_OK; never keep NULL
            raise error_for(Status.INTERNAL, "lithos_cell_create returned LITHOS_OK but no cell")
        self._handle = handle

    # --- construction -----------------------------------------------------------------------

    @staticmethod
    def _read_file(path: Union[str, "os.PathLike[str]"]) -> str:
        path = os.fspath(path)
        try:
            with open(path, "r", encoding="utf-8") as f:
                return f.read()
        except OSError as exc:
            raise error_for(Status.NOT_FOUND, f"cell design file {path!r} could not be read "
                                              f"({exc.strerror or exc})") from exc

    def _design_text(self, design: DesignSource) -> str:
        if isinstance(design, Mapping):
            return json.dumps(design)
        if isinstance(design, bytes):
            return design.decode("utf-8")
        if isinstance(design, str) and design.lstrip().startswith("{"):
            return design
        if isinstance(design, (str, os.PathLike)):
            self._source_path = os.fspath(design)
            return self._read_file(design)
        raise TypeError("design must be a dict, a JSON string (starting with '{') or a path, "
                        f"not {type(design).__name__}")

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "CellDesign":
        """Creates a design from the JSON file at ``path``."""
        self = cls.from_json(cls._read_file(path))
        self._source_path = os.fspath(path)
        return self

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> "CellDesign":
        """Creates a design from a JSON document (str or UTF-8 bytes)."""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        self = cls.__new__(cls)
        self._handle = None
        self._source_path = None
        self._create(text)
        return self

    @property
    def source_path(self) -> Optional[str]:
        """The file the design was read from (None when created from a dict or JSON text)."""
        return self._source_path

    # life cycle (close, with, closed, _live): OwnedHandle

    # --- results ----------------------------------------------------------------------------

    def metrics(self, temperature_K: float = STANDARD_TEMPERATURE_K) -> Dict[str, float]:
        """Design metrics at ``temperature_K`` [K] as a dict keyed by the C field names of
        ``lithos_cell_metrics`` (see :data:`METRIC_FIELDS`; units are in the names).

        NaN/Inf raise :class:`LithosInvalidArgumentError`; temperatures outside
        173.15…673.15 K raise :class:`LithosOutOfRangeError`."""
        handle = self._live("metrics")
        out = _L.lithos_cell_metrics()
        _L.check(_L.lib().lithos_cell_metrics_at(handle, float(temperature_K), ctypes.byref(out)))
        return {name: float(getattr(out, name)) for name in METRIC_FIELDS}

    def metrics_json(self, temperature_K: float = STANDARD_TEMPERATURE_K) -> str:
        """The metrics at ``temperature_K`` [K] as the library's JSON text
        (``lithos_cell_metrics_json``; keys as :meth:`metrics`)."""
        handle = self._live("metrics_json")
        return _L.read_text(_L.lib().lithos_cell_metrics_json, handle, float(temperature_K))

    def to_json(self) -> str:
        """The normalised design (canonical material names, every default filled in) as JSON
        text; ``CellDesign(d.to_json())`` is an identical cell."""
        return _L.read_text(_L.lib().lithos_cell_design_json, self._live("to_json"))

    def to_dict(self) -> Dict[str, Any]:
        """The normalised design as a dict (see :meth:`to_json`)."""
        return json.loads(self.to_json())

    @property
    def name(self) -> str:
        """The design's ``name`` (empty string when the design has none)."""
        value = self.to_dict().get("name", "")
        return value if isinstance(value, str) else str(value)

    def __repr__(self) -> str:
        if self._handle is None:
            return "<CellDesign (closed)>"
        try:
            return f"<CellDesign {self.name!r}>"
        except Exception:
            return "<CellDesign>"

