"""The ctypes declarations mirror Include/lithos.h exactly."""

import ctypes

import lithos
from lithos import _library
from conftest import header_functions, struct_fields


def test_every_header_function_is_declared(header_text):
    declared = [name for name, _, _ in _library.SIGNATURES]
    in_header = header_functions(header_text)
    assert len(in_header) >= 20
    assert sorted(declared) == sorted(in_header)


def test_every_declared_function_is_exported_by_the_library():
    assert _library.lib().missing == []


def test_property_struct_mirrors_header(header_text):
    fields = [name for name, _ in _library.lithos_material_property._fields_]
    assert fields == struct_fields(header_text, "lithos_material_property")
    p = _library.lithos_material_property()
    assert p.struct_size == ctypes.sizeof(_library.lithos_material_property)
    # size_t + 5 pointer/double fields, naturally aligned on LP64
    assert ctypes.sizeof(p) == 6 * 8 or ctypes.sizeof(ctypes.c_void_p) != 8


def test_metrics_struct_mirrors_header(header_text):
    fields = [name for name, _ in _library.lithos_cell_metrics._fields_]
    assert fields == struct_fields(header_text, "lithos_cell_metrics")
    assert fields[0] == "struct_size"
    m = _library.lithos_cell_metrics()
    assert m.struct_size == ctypes.sizeof(_library.lithos_cell_metrics)
    assert lithos.METRIC_FIELDS == fields[1:]


def test_model_structs_mirror_header(header_text):
    for struct in (_library.lithos_model_output, _library.lithos_model_info):
        fields = [name for name, _ in struct._fields_]
        assert fields == struct_fields(header_text, struct.__name__)
        assert struct().struct_size == ctypes.sizeof(struct)
    match = __import__("re").search(r"#define\s+LITHOS_MODEL_MAX_INTERNALS\s+(\d+)", header_text)
    assert match and int(match.group(1)) == _library.MODEL_MAX_INTERNALS
