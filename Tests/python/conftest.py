"""Shared fixtures for the Python-package tests.

Run against an installed package (scripts/python-package BUILD VENV; VENV/bin/python -m pytest
Tests/python) or straight from the source tree with LITHOS_LIBRARY=/path/to/liblithos.so: when
`lithos` is not importable, bindings/python is put on sys.path.
"""

import json
import os
import re
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEADER_PATH = os.path.join(REPO_ROOT, "Include", "lithos.h")
DEFAULT_CELL_PATH = os.path.join(REPO_ROOT, "examples", "cells", "default.json")
EXAMPLE_SCRIPT = os.path.join(REPO_ROOT, "examples", "python", "design.py")

try:
    import lithos  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.join(REPO_ROOT, "bindings", "python"))
    import lithos  # noqa: F401


def pytest_report_header(config):
    try:
        where = lithos.library_path()
    except lithos.LithosError as error:
        where = f"NOT LOADED ({error.message.splitlines()[0]})"
    return [f"lithos package: {os.path.dirname(lithos.__file__)}", f"liblithos: {where}"]


@pytest.fixture(scope="session")
def header_text():
    with open(HEADER_PATH, encoding="utf-8") as f:
        return f.read()


def struct_fields(header, struct_name):
    """Field names of `typedef struct NAME { ... } NAME;` in the header, in order."""
    match = re.search(r"typedef struct %s \{(.*?)\} %s;" % (struct_name, struct_name), header, re.S)
    assert match, f"struct {struct_name} not found in lithos.h"
    body = re.sub(r"/\*.*?\*/", "", match.group(1), flags=re.S)
    declarations = [re.sub(r"\[.*?\]", "", d).strip() for d in body.split(";")]
    return [re.search(r"(\w+)$", d).group(1) for d in declarations if d]


def header_functions(header):
    """Names of every function declared in the header."""
    body = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
    return re.findall(r"^[\w\s\*]*?\b(lithos_\w+)\s*\(", body, flags=re.M)


@pytest.fixture(scope="session")
def default_design():
    with open(DEFAULT_CELL_PATH, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture()
def default_cell():
    with lithos.CellDesign.from_file(DEFAULT_CELL_PATH) as cell:
        yield cell
