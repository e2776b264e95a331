#!/usr/bin/env python3
"""Simulating a solid-state cell with Lithos — how much of the designed capacity comes out?

1. Build the default cell (../cells/default.json: NMC811 | Li6PS5Cl | Li foil) and read its
   practical capacity from the design.
2. Derive an equivalent-circuit model (ECM) from the design's physics.
3. Discharge it at 1C with `Model.run` (one C call for the whole profile) and stop where the
   voltage drops below the cell's minimum voltage — or where the practical window ends (SOC 0),
   whichever comes first.
4. The same at 0 °C: the solid electrolyte conducts less, so the cell reaches its minimum voltage
   earlier.

Run: python3 examples/python/simulate.py   (with lithos installed, or LITHOS_LIBRARY set)
"""

import os
import sys

try:
    import lithos
except ImportError:  # running from a source checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "..", "bindings", "python"))
    import lithos
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CELL = os.path.join(HERE, "..", "cells", "default.json")
ZERO_CELSIUS_K = 273.15
DT_S = 1.0


def discharge_1c(cell, temperature_K):
    """1C constant-current discharge from full at `temperature_K` (cell and ambient) until the
    minimum voltage (or SOC 0). Returns (delivered A·h, minutes, stop reason, model info)."""
    with lithos.Model(cell, initial_soc=1.0, initial_temperature_K=temperature_K) as model:
        info = model.info
        current_A = info["capacity_Ah"]                  # 1C
        n = int(1.5 * 3600 / DT_S)                       # enough for 1.5 h; we stop earlier
        start = model.output                             # at rest, full
        trace = model.run(current=np.full(n, current_A), dt=DT_S, ambient_K=temperature_K)
        v_min = info["minimum_voltage_V"]
        voltage = np.concatenate(([start.voltage_V], trace["voltage_V"]))   # row k = before step k
        soc = np.concatenate(([start.soc], trace["soc"]))
        crossed = np.flatnonzero((voltage[1:] < v_min) | (soc[1:] < 0))
        if crossed.size == 0:
            return current_A * n * DT_S / 3600.0, n * DT_S / 60.0, "time", info
        k = int(crossed[0])                              # step k (0-based) crossed the limit
        # where inside step k the limit is met (linear interpolation between its two ends)
        if voltage[k + 1] < v_min:
            fraction, reason = (voltage[k] - v_min) / (voltage[k] - voltage[k + 1]), "minimum voltage"
        else:
            fraction, reason = soc[k] / (soc[k] - soc[k + 1]), "end of the practical window, SOC 0"
        seconds = (k + min(max(fraction, 0.0), 1.0)) * DT_S
        return current_A * seconds / 3600.0, seconds / 60.0, reason, info


def main():
    print(f"Lithos {lithos.version()} (Python package {lithos.__version__})")
    with lithos.CellDesign.from_file(DEFAULT_CELL) as cell:
        design_Ah = cell.metrics(298.15)["practical_capacity_Ah"]
        print(f"Cell {cell.name!r}: practical capacity {design_Ah * 1000:.1f} mAh (design)")
        print()
        for label, temperature_K in (("25 °C", 298.15), ("0 °C", ZERO_CELSIUS_K)):
            delivered_Ah, minutes, reason, info = discharge_1c(cell, temperature_K)
            print(f"1C discharge at {label} ({temperature_K:.2f} K) to "
                  f"{info['minimum_voltage_V']:.2f} V:")
            print(f"  delivered {delivered_Ah * 1000:.1f} mAh = "
                  f"{100 * delivered_Ah / design_Ah:.1f} % of the practical capacity "
                  f"in {minutes:.1f} min (stopped at the {reason})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
