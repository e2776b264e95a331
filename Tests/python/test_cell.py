"""Cell designs through the Python package: metrics, JSON round trip, life cycle, errors."""

import copy
import json
import math
import pathlib

import pytest

import lithos
from lithos import _library
from lithos._errors import Status
from conftest import DEFAULT_CELL_PATH, struct_fields


def _material_paths(node, role, path=()):
    """Key paths in a design document whose string value names a material of `role`."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _material_paths(value, role, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _material_paths(value, role, path + (i,))
    elif isinstance(node, str):
        try:
            if lithos.Material(node).role == role:
                yield path
        except lithos.LithosError:
            pass


def _set(document, path, value):
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = value


# --- metrics of the default cell --------------------------------------------------------------

def test_default_cell_metrics_are_finite_and_positive(default_cell):
    metrics = default_cell.metrics()
    for key, value in metrics.items():
        assert isinstance(value, float)
        assert math.isfinite(value) and value > 0, (key, value)
    assert 150 <= metrics["specific_energy_Wh_per_kg"] <= 600
    assert metrics["temperature_K"] == 298.15


def test_metric_keys_are_the_c_struct_fields(default_cell, header_text):
    fields = struct_fields(header_text, "lithos_cell_metrics")
    assert list(default_cell.metrics()) == [f for f in fields if f != "struct_size"]
    assert list(default_cell.metrics()) == lithos.METRIC_FIELDS


def test_metrics_are_consistent_with_their_definitions(default_cell):
    m = default_cell.metrics(298.15)
    rel = dict(rel=1e-6)
    assert m["energy_Wh"] == pytest.approx(m["practical_capacity_Ah"] * m["nominal_voltage_V"], **rel)
    assert m["specific_energy_Wh_per_kg"] == pytest.approx(m["energy_Wh"] / m["stack_mass_kg"], **rel)
    volume_L = m["area_m2"] * m["stack_thickness_m"] * 1000.0
    assert m["energy_density_Wh_per_L"] == pytest.approx(m["energy_Wh"] / volume_L, **rel)
    areal = m["practical_capacity_Ah"] * 1000.0 / (m["area_m2"] * 1e4)
    assert m["areal_capacity_mAh_per_cm2"] == pytest.approx(areal, **rel)
    assert m["practical_capacity_Ah"] <= m["theoretical_capacity_Ah"]
    assert 2.5 < m["nominal_voltage_V"] < 5.0
    sep = m["separator_asr_ohm_m2"] * m["separator_conductivity_S_per_m"]  # = separator thickness
    assert 0 < sep < m["stack_thickness_m"]
    assert m["cathode_ionic_conductivity_S_per_m"] < m["separator_conductivity_S_per_m"]
    assert m["cathode_ionic_tortuosity_factor"] >= 1.0


def test_metrics_follow_temperature(default_cell):
    cold, warm = default_cell.metrics(273.15), default_cell.metrics(333.15)
    assert cold["temperature_K"] == 273.15 and warm["temperature_K"] == 333.15
    assert warm["separator_conductivity_S_per_m"] > cold["separator_conductivity_S_per_m"]
    assert warm["separator_asr_ohm_m2"] < cold["separator_asr_ohm_m2"]
    assert warm["cathode_ionic_asr_ohm_m2"] < cold["cathode_ionic_asr_ohm_m2"]
    # geometry and masses do not depend on temperature
    for key in ("area_m2", "stack_mass_kg", "stack_thickness_m", "cathode_loading_kg_per_m2"):
        assert warm[key] == cold[key]


def test_metrics_json_matches_metrics(default_cell):
    from_json = json.loads(default_cell.metrics_json(310.0))
    from_struct = default_cell.metrics(310.0)
    assert set(from_json) == set(from_struct)
    for key, value in from_struct.items():
        assert from_json[key] == pytest.approx(value, rel=1e-12, abs=1e-300), key


# --- design documents ---------------------------------------------------------------------------

def test_round_trip_through_to_dict_gives_identical_metrics(default_cell):
    normalised = default_cell.to_dict()
    with lithos.CellDesign(normalised) as again:
        assert again.metrics() == default_cell.metrics()
        assert again.metrics(333.15) == default_cell.metrics(333.15)
        assert again.to_dict() == normalised  # normalising is idempotent


def test_every_source_form_gives_the_same_cell(default_design):
    expected = lithos.CellDesign(default_design).metrics()
    text = json.dumps(default_design)
    for source in (text, text.encode("utf-8"), DEFAULT_CELL_PATH, pathlib.Path(DEFAULT_CELL_PATH)):
        with lithos.CellDesign(source) as cell:
            assert cell.metrics() == expected
    assert lithos.CellDesign.from_json(text).metrics() == expected
    cell = lithos.CellDesign.from_file(pathlib.Path(DEFAULT_CELL_PATH))
    assert cell.metrics() == expected and cell.source_path == DEFAULT_CELL_PATH


def test_name_and_canonical_materials(default_cell, default_design):
    design = default_cell.to_dict()
    assert default_cell.name == design.get("name", "")
    if isinstance(default_design.get("name"), str):
        assert default_cell.name == default_design["name"]
    # the normalised design names materials canonically
    for role in ("cathode", "solid_electrolyte"):
        paths = list(_material_paths(design, role))
        assert paths, role
        for path in paths:
            value = design
            for key in path:
                value = value[key]
            assert lithos.Material(value).name == value


def test_aliases_in_a_design_are_normalised(default_design):
    design = copy.deepcopy(default_design)
    paths = list(_material_paths(design, "solid_electrolyte"))
    assert paths
    for path in paths:
        _set(design, path, "lpscl")
    with lithos.CellDesign(design) as cell:
        normalised = cell.to_dict()
    for path in paths:
        value = normalised
        for key in path:
            value = value[key]
        assert value == "Li6PS5Cl"


# --- life cycle -------------------------------------------------------------------------------------

def test_close_is_idempotent_and_later_use_raises(default_design):
    cell = lithos.CellDesign(default_design)
    assert not cell.closed
    cell.close()
    cell.close()
    assert cell.closed and "closed" in repr(cell)
    for call in (cell.metrics, cell.metrics_json, cell.to_dict, cell.to_json):
        with pytest.raises(lithos.LithosNullArgumentError) as info:
            call()
        assert info.value.status == Status.NULL_ARGUMENT and "closed" in info.value.message


def test_context_manager_closes(default_design):
    with lithos.CellDesign(default_design) as cell:
        assert cell.metrics()["energy_Wh"] > 0
    assert cell.closed


def test_many_cells_are_created_and_freed(default_design):
    text = json.dumps(default_design)
    for _ in range(500):
        cell = lithos.CellDesign(text)
        cell.metrics()
        del cell  # __del__ destroys the handle


# --- errors -----------------------------------------------------------------------------------------

def _expect(status, source):
    with pytest.raises(lithos.LithosError) as info:
        lithos.CellDesign(source)
    error = info.value
    assert error.status == status, (error.status_name, error.message)
    assert error.status_name == status.c_name
    assert error.message.strip()
    assert error.message == _library.last_error_message()  # the C library's own message
    return error


def test_malformed_json_is_a_parse_error_with_position():
    error = _expect(Status.PARSE, '{"name": "broken",\n "area_cm2": }')
    assert isinstance(error, lithos.LithosParseError)
    assert any(ch.isdigit() for ch in error.message)  # line:column


def test_not_an_object_is_rejected():
    _expect(Status.PARSE, "{")
    error = _expect(Status.CONFIG, json.dumps({}))
    assert isinstance(error, lithos.LithosConfigError)


def test_unknown_key_is_a_config_error_naming_the_key(default_design):
    design = copy.deepcopy(default_design)
    design["bogus_key_um"] = 1
    error = _expect(Status.CONFIG, design)
    assert "bogus_key_um" in error.message


def test_unknown_material_is_not_found_naming_it(default_design):
    design = copy.deepcopy(default_design)
    paths = list(_material_paths(design, "cathode"))
    assert paths, "the default design names no cathode material"
    _set(design, paths[0], "Unobtainium")
    error = _expect(Status.NOT_FOUND, design)
    assert isinstance(error, lithos.LithosNotFoundError)
    assert "Unobtainium" in error.message


def test_negative_thickness_is_rejected(default_design):
    design = copy.deepcopy(default_design)
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("thickness") and isinstance(value, (int, float)) and value > 0:
                    found.append((node, key))
                walk(value)
    walk(design)
    assert found
    node, key = found[0]
    node[key] = -5
    error = _expect(Status.CONFIG, design)
    assert key in error.message


@pytest.mark.parametrize("temperature,status", [
    (float("nan"), Status.INVALID_ARGUMENT),
    (float("inf"), Status.INVALID_ARGUMENT),
    (25.0, Status.OUT_OF_RANGE),
    (1000.0, Status.OUT_OF_RANGE),
])
def test_bad_metric_temperatures(default_cell, temperature, status):
    for call in (default_cell.metrics, default_cell.metrics_json):
        with pytest.raises(lithos.LithosError) as info:
            call(temperature)
        assert info.value.status == status and info.value.message.strip()
    assert default_cell.metrics()["energy_Wh"] > 0  # the cell is unchanged


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(lithos.LithosNotFoundError) as info:
        lithos.CellDesign.from_file(tmp_path / "missing.json")
    assert "missing.json" in info.value.message
    with pytest.raises(TypeError):
        lithos.CellDesign(3.5)
