"""examples/python/simulate.py runs and prints what it promises: the 1C capacity of the default
cell at 25 °C and 0 °C against the design's practical capacity."""

import os
import re
import subprocess
import sys

import lithos
from conftest import DEFAULT_CELL_PATH, REPO_ROOT

SCRIPT = os.path.join(REPO_ROOT, "examples", "python", "simulate.py")


def test_simulate_example_runs(tmp_path):
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(lithos.__file__)))
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    # from an unrelated directory: the script finds ../cells/default.json itself
    result = subprocess.run([sys.executable, SCRIPT], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"Lithos {lithos.version()}" in out

    with lithos.CellDesign.from_file(DEFAULT_CELL_PATH) as cell:
        design_mAh = cell.metrics()["practical_capacity_Ah"] * 1000
    match = re.search(r"practical capacity ([\d.]+) mAh \(design\)", out)
    assert match and abs(float(match.group(1)) - design_mAh) < 0.05

    rows = re.findall(r"1C discharge at (-?\d+) °C .*?\n\s+delivered ([\d.]+) mAh = ([\d.]+) % .*?"
                      r"in ([\d.]+) min \(stopped at the ([^)]+)\)", out)
    assert [r[0] for r in rows] == ["25", "0"], out
    (_, warm_mAh, warm_pct, warm_min, warm_reason), (_, cold_mAh, cold_pct, _, cold_reason) = rows
    assert abs(float(warm_pct) - 100 * float(warm_mAh) / design_mAh) < 0.1
    # at 25 °C a 1C discharge delivers (nearly) the whole practical capacity in about an hour
    assert 90.0 <= float(warm_pct) <= 100.1 and 54.0 <= float(warm_min) <= 60.1
    # at 0 °C the electrolyte conducts less: the minimum voltage comes first, less is delivered
    assert "minimum voltage" in cold_reason
    assert float(cold_mAh) < float(warm_mAh)
    assert 20.0 < float(cold_pct) < float(warm_pct)
