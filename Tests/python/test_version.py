"""Version: the package, the loaded library and Include/lithos.h agree."""

import os
import re
import subprocess
import sys

import lithos
from conftest import REPO_ROOT


def _macro(header, name):
    match = re.search(r"#define\s+%s\s+(\d+)\b" % name, header)
    assert match, f"{name} not found in lithos.h"
    return int(match.group(1))


def test_version_matches_header_macros(header_text):
    major = _macro(header_text, "LITHOS_VERSION_MAJOR")
    minor = _macro(header_text, "LITHOS_VERSION_MINOR")
    patch = _macro(header_text, "LITHOS_VERSION_PATCH")
    assert lithos.version() == f"{major}.{minor}.{patch}"
    assert lithos.version_number() == major * 10000 + minor * 100 + patch
    assert isinstance(lithos.version_number(), int)


def test_package_version_matches_library():
    assert lithos.__version__ == lithos.version()


def test_pyproject_version_matches_package():
    with open(os.path.join(REPO_ROOT, "bindings", "python", "pyproject.toml"), encoding="utf-8") as f:
        match = re.search(r'^version\s*=\s*"([^"]+)"', f.read(), re.M)
    assert match and match.group(1) == lithos.__version__


def test_temperature_limits_match_header(header_text):
    for name, value in [("LITHOS_TEMPERATURE_MIN_K", lithos.TEMPERATURE_MIN_K),
                        ("LITHOS_TEMPERATURE_MAX_K", lithos.TEMPERATURE_MAX_K)]:
        match = re.search(r"#define\s+%s\s+([\d.]+)" % name, header_text)
        assert match and float(match.group(1)) == value


def test_status_codes_match_header(header_text):
    codes = dict((name, int(value)) for name, value in
                 re.findall(r"\b(LITHOS_(?:OK|ERROR_\w+|LIMIT_REACHED))\s*=\s*(\d+)", header_text))
    assert len(codes) == len(lithos.Status)
    for status in lithos.Status:
        assert codes[status.c_name] == int(status)


def test_status_string_names_the_status():
    for status in lithos.Status:
        text = lithos.status_string(status)
        assert text.startswith(status.c_name), text
    assert lithos.status_string(999) == "unknown lithos_status"


def test_library_route():
    """LITHOS_LIBRARY wins when set; otherwise the installed package uses its bundled copy."""
    path = lithos.library_path()
    assert os.path.exists(path)
    env = os.environ.get("LITHOS_LIBRARY")
    if env:
        assert os.path.samefile(path, env)
    else:
        bundled = os.path.join(os.path.dirname(lithos.__file__), "_native", "liblithos.so")
        if os.path.exists(bundled):
            assert os.path.samefile(path, bundled)


def _run_python(code, **env_changes):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(lithos.__file__)))
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)


def test_missing_library_fails_on_use_with_a_fix_it_message(tmp_path):
    missing = str(tmp_path / "nowhere" / "liblithos.so")
    code = (
        "import lithos\n"  # importing must work without the library
        "try:\n"
        "    lithos.version()\n"
        "except lithos.LithosLibraryNotFoundError as e:\n"
        "    assert isinstance(e, lithos.LithosError) and isinstance(e, OSError)\n"
        "    assert e.status == -1 and e.status_name == 'LITHOS_LIBRARY_NOT_LOADED'\n"
        "    print(e.message)\n"
        "else:\n"
        "    raise SystemExit('no error')\n"
    )
    result = _run_python(code, LITHOS_LIBRARY=missing)
    assert result.returncode == 0, result.stderr
    assert "LITHOS_LIBRARY" in result.stdout and missing in result.stdout


def test_env_variable_loads_that_exact_library():
    path = os.path.realpath(lithos.library_path())
    result = _run_python("import lithos; print(lithos.library_path())", LITHOS_LIBRARY=path)
    assert result.returncode == 0, result.stderr
    assert os.path.samefile(result.stdout.strip(), path)
