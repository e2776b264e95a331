"""The Lithos materials database: cathodes, solid electrolytes, anodes and current collectors.

Every number carries its unit and its citation. Temperatures are in kelvin (K) everywhere:
``LITHOS_TEMPERATURE_MIN_K`` (173.15 K = −100 °C) … ``LITHOS_TEMPERATURE_MAX_K`` (673.15 K =
400 °C); passing °C by mistake (e.g. 25) raises :class:`LithosOutOfRangeError`.
"""

from __future__ import annotations

import copy
import ctypes
import json
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from . import _library as _L
from ._errors import Status, error_for
from ._vectorize import apply

#: Role names, indexed by the C ``lithos_material_role`` code.
ROLES: Tuple[str, ...] = ("cathode", "solid_electrolyte", "anode", "current_collector")
_ROLE_BY_CODE = {i + 1: name for i, name in enumerate(ROLES)}

#: Default temperature of the functions that take one [K] (25 °C).
STANDARD_TEMPERATURE_K = 298.15
#: Accepted temperature range [K] (lithos.h LITHOS_TEMPERATURE_MIN_K / MAX_K).
TEMPERATURE_MIN_K = 173.15
TEMPERATURE_MAX_K = 673.15


class Property(NamedTuple):
    """One numeric property of a material.

    Attributes:
        key: stable identifier with a unit suffix, e.g. ``"density_kg_per_m3"``.
        value: the number, in ``unit``.
        unit: unit of ``value``, e.g. ``"kg/m^3"``, ``"S/m"``, ``"V"``, ``"mAh/g"``, ``"1"``.
        citation: where the number comes from.
        description: one line saying what the number is.
    """

    key: str
    value: float
    unit: str
    citation: str
    description: str

    @classmethod
    def _from_c(cls, p: _L.lithos_material_property) -> "Property":
        return cls(_L.decode(p.key), float(p.value), _L.decode(p.unit),
                   _L.decode(p.citation), _L.decode(p.description))


class Material:
    """A material of the Lithos database, looked up by name or alias (case-insensitive).

    ``Material("lpscl")`` and ``Material("Li6PS5Cl")`` are the same material. Unknown names raise
    :class:`LithosNotFoundError` whose message lists close matches.

    Attributes:
        name: canonical name, e.g. ``"Li6PS5Cl"``.
        role: ``"cathode"``, ``"solid_electrolyte"``, ``"anode"`` or ``"current_collector"``.
        properties: dict key → :class:`Property` (value with unit, citation and description).

    Physical functions (each accepts a float, a sequence or a numpy array; see below):
        ionic_conductivity(temperature_K) → S/m (solid electrolytes)
        open_circuit_potential(stoichiometry, temperature_K=298.15) → V vs Li⁺/Li (active materials)
        entropic_coefficient(stoichiometry) → dU/dT in V/K (active materials)
        diffusivity(temperature_K) → solid-state Li diffusivity in m²/s (active materials)

    Array arguments: a numpy array gives a numpy array (arguments broadcast together); a list or
    tuple gives a list; scalars give a float.
    """

    __slots__ = ("_name", "_encoded", "_role", "_properties", "_json")

    def __init__(self, name: str) -> None:
        lib = _L.lib()
        encoded = _L.encode_name(name, "material name")
        canonical = ctypes.c_char_p()
        _L.check(lib.lithos_material_lookup(encoded, ctypes.byref(canonical)))
        role = ctypes.c_int(0)
        _L.check(lib.lithos_material_role_of(canonical.value, ctypes.byref(role)))
        self._name: str = _L.decode(canonical.value)
        self._encoded: bytes = canonical.value or encoded
        self._role: str = _ROLE_BY_CODE.get(role.value, f"unknown role {role.value}")
        self._properties: Optional[Dict[str, Property]] = None
        self._json: Optional[Dict[str, Any]] = None

    # --- identity ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """Canonical name (e.g. ``"Li6PS5Cl"`` for the alias ``"LPSCl"``)."""
        return self._name

    @property
    def role(self) -> str:
        """``"cathode"``, ``"solid_electrolyte"``, ``"anode"`` or ``"current_collector"``."""
        return self._role

    @property
    def formula(self) -> str:
        """Chemical formula, e.g. ``"LiNi0.8Mn0.1Co0.1O2"``."""
        return str(self.to_dict().get("formula", ""))

    @property
    def summary(self) -> str:
        """One-line description of the material."""
        return str(self.to_dict().get("summary", ""))

    @property
    def aliases(self) -> List[str]:
        """Other names the database accepts for this material."""
        return list(self.to_dict().get("aliases", []))

    def __repr__(self) -> str:
        return f"Material({self._name!r}, role={self._role!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Material) and other._name == self._name

    def __hash__(self) -> int:
        return hash(("lithos.Material", self._name))

    # --- properties -------------------------------------------------------------------------

    @property
    def properties(self) -> Dict[str, Property]:
        """Every numeric property, key → :class:`Property`, in database order."""
        if self._properties is None:
            lib = _L.lib()
            count = ctypes.c_size_t(0)
            _L.check(lib.lithos_material_property_count(self._encoded, ctypes.byref(count)))
            props: Dict[str, Property] = {}
            for i in range(count.value):
                p = _L.lithos_material_property()
                _L.check(lib.lithos_material_property_at(self._encoded, i, ctypes.byref(p)))
                prop = Property._from_c(p)
                props[prop.key] = prop
            self._properties = props
        return dict(self._properties)

    # --- physics ----------------------------------------------------------------------------

    def _scalar(self, function_name: str, *args: float) -> float:
        out = ctypes.c_double(0.0)
        function = getattr(_L.lib(), function_name)
        _L.check(function(self._encoded, *args, ctypes.byref(out)))
        return out.value

    def ionic_conductivity(self, temperature_K: Any) -> Any:
        """Li-ion conductivity [S/m] at ``temperature_K`` [K] (Arrhenius or VTF law).

        Solid electrolytes only (others raise :class:`LithosNotSupportedError`); NaN/Inf raise
        :class:`LithosInvalidArgumentError`; temperatures outside 173.15…673.15 K raise
        :class:`LithosOutOfRangeError`."""
        return apply(lambda t: self._scalar("lithos_material_ionic_conductivity", t), temperature_K)

    def open_circuit_potential(self, stoichiometry: Any,
                               temperature_K: Any = STANDARD_TEMPERATURE_K) -> Any:
        """Open-circuit potential vs Li⁺/Li [V] at Li stoichiometry θ (0…1, fraction of the
        host's Li sites filled) and ``temperature_K`` [K]: U(θ,T) = U_ref(θ) + (T − 298.15 K)·dU/dT.

        Active materials only; θ outside 0…1 raises :class:`LithosOutOfRangeError`."""
        return apply(lambda x, t: self._scalar("lithos_material_open_circuit_potential", x, t),
                     stoichiometry, temperature_K)

    def entropic_coefficient(self, stoichiometry: Any) -> Any:
        """Entropic coefficient dU/dT [V/K] at stoichiometry θ (0…1); 0 where no value is
        published."""
        return apply(lambda x: self._scalar("lithos_material_entropic_coefficient", x), stoichiometry)

    def diffusivity(self, temperature_K: Any) -> Any:
        """Solid-state Li diffusivity [m²/s] at ``temperature_K`` [K] (Arrhenius from 25 °C).

        Active materials with a diffusivity only (others raise :class:`LithosNotSupportedError`)."""
        return apply(lambda t: self._scalar("lithos_material_diffusivity", t), temperature_K)

    # --- JSON -------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The material as a JSON object (``lithos_material_json``): name, role, formula,
        aliases, every property with unit and citation, and the laws it uses."""
        return _L.read_text(_L.lib().lithos_material_json, self._encoded)

    def to_dict(self) -> Dict[str, Any]:
        """:meth:`to_json` parsed into a dict (a fresh copy each call)."""
        if self._json is None:
            self._json = json.loads(self.to_json())
        return copy.deepcopy(self._json)

    # Defined last: inside the class body this name shadows the builtin ``property``.
    def property(self, key: str) -> Property:
        """The property ``key`` (e.g. ``"ionic_conductivity_25C_S_per_m"``).

        Raises :class:`LithosNotFoundError` (message lists the keys the material has)."""
        p = _L.lithos_material_property()
        _L.check(_L.lib().lithos_material_property_get(
            self._encoded, _L.encode_name(key, "property key"), ctypes.byref(p)))
        return Property._from_c(p)


def material_names() -> List[str]:
    """Canonical names of every material in the database, in database order."""
    lib = _L.lib()
    count = ctypes.c_size_t(0)
    _L.check(lib.lithos_material_count(ctypes.byref(count)))
    names = []
    for i in range(count.value):
        name = ctypes.c_char_p()
        _L.check(lib.lithos_material_name(i, ctypes.byref(name)))
        names.append(_L.decode(name.value))
    return names


def materials(role: Optional[str] = None) -> List[Material]:
    """Every material of the database, or only those with ``role``.

    ``role`` is one of ``"cathode"``, ``"solid_electrolyte"``, ``"anode"``,
    ``"current_collector"`` (or None for all); anything else raises
    :class:`LithosInvalidArgumentError`."""
    if role is not None and role not in ROLES:
        raise error_for(Status.INVALID_ARGUMENT,
                        f"unknown material role {role!r}; use one of {', '.join(ROLES)}")
    found = [Material(name) for name in material_names()]
    return found if role is None else [m for m in found if m.role == role]


def materials_json() -> List[Dict[str, Any]]:
    """The whole database as a list of dicts (``lithos_materials_json``)."""
    return json.loads(_L.read_text(_L.lib().lithos_materials_json))
