"""examples/python/design.py runs and prints what it promises."""

import os
import re
import subprocess
import sys

import lithos
from conftest import EXAMPLE_SCRIPT


def test_design_example_runs(tmp_path):
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(lithos.__file__)))
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    # run from an unrelated directory: the script finds ../cells/default.json itself
    result = subprocess.run([sys.executable, EXAMPLE_SCRIPT], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout

    assert f"Lithos {lithos.version()}" in out
    # every solid electrolyte is listed
    for m in lithos.materials("solid_electrolyte"):
        assert m.name in out, m.name
    # σ(T) table: a row per 10 °C from −10 to 80 °C, three numeric columns each
    for name in ("Li6PS5Cl", "LLZO-Ta", "PEO-LiTFSI"):
        assert lithos.Material(name).name in out
    rows = {int(m.group(1)): m.group(2).split()
            for m in re.finditer(r"^\s+(-?\d+)\s+((?:[-+0-9.e]+\s*){3})$", out, re.M)}
    assert sorted(rows) == list(range(-10, 81, 10)), rows
    lpscl_sigma_25C = float(rows[20][0]), float(rows[30][0])
    assert lpscl_sigma_25C[0] < 2.0 < lpscl_sigma_25C[1]  # 2 mS/cm at 25 °C lies between 20 and 30 °C
    # the default cell's metrics
    for key in lithos.METRIC_FIELDS:
        assert key in out, key
    match = re.search(r"=> (\d+) Wh/kg", out)
    assert match and 150 <= int(match.group(1)) <= 600
