"""examples/python/reaction_front.py runs and prints what it promises: delivered capacity of
SSB-SPM and SSB-P2D at 1C and 3C, and the P2D's reaction front through the cathode."""

import os
import re
import subprocess
import sys

import lithos
from conftest import REPO_ROOT

SCRIPT = os.path.join(REPO_ROOT, "examples", "python", "reaction_front.py")


def test_reaction_front_example_runs(tmp_path):
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(lithos.__file__)))
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run([sys.executable, SCRIPT], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"Lithos {lithos.version()}" in out
    rows = {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"^\s+(\d)C\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert set(rows) == {"1", "3"}
    assert rows["1"][0] > 0.95 and rows["1"][1] > 0.95          # 1C: the whole window
    assert rows["3"][1] < rows["3"][0] < rows["1"][0]            # 3C: the front costs the P2D more
    spread = re.search(r"θ ([\d.]+) at the separator side vs ([\d.]+) at the collector side", out)
    assert spread and float(spread.group(1)) > float(spread.group(2)) + 0.1
