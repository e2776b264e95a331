#!/usr/bin/env python3
"""Where does a solid-state composite cathode react? — SSB-SPM vs SSB-P2D on the default cell.

1. Build the default cell (../cells/default.json: 60 µm NMC811 + Li6PS5Cl composite | Li foil)
   as two physics models: SSB-SPM (one particle, uniform reaction) and SSB-P2D (the composite
   resolved through its thickness, 20 nodes).
2. Discharge both at 1C and 3C to the cell's minimum voltage; print the delivered capacity.
3. After 5 minutes at 3C, print the P2D's through-thickness profiles: the electrolyte potential,
   the interfacial current and the particles' lithiation from the separator (x = 0) to the
   current collector — the reaction front the composite-cathode literature describes, which a
   single-particle model cannot show.

Run: python3 examples/python/reaction_front.py   (with lithos installed, or LITHOS_LIBRARY set)
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
DT_S = 5.0


def delivered_fraction(kind, c_rate):
    """Fraction of the capacity delivered at `c_rate` before the minimum voltage (or SOC 0)."""
    with lithos.Model(DEFAULT_CELL, kind=kind, options={"thermal": {"enabled": False}}) as m:
        q, v_min = m.info["capacity_Ah"], m.info["minimum_voltage_V"]
        steps = int(1.2 * 3600 / c_rate / DT_S)
        trace = m.run(current=np.full(steps, c_rate * q), dt=DT_S)
        usable = (trace["voltage_V"] >= v_min) & (trace["soc"] >= 0)
        n = int(np.argmin(usable)) if not usable.all() else steps
        return n * DT_S * c_rate / 3600


def main():
    print(f"Lithos {lithos.version()}: the default cell, SSB-SPM vs SSB-P2D\n")
    print("delivered fraction of the capacity (25 °C, isothermal):")
    print(f"{'C-rate':>7} {'SSB-SPM':>9} {'SSB-P2D':>9}")
    for c_rate in (1.0, 3.0):
        spm, p2d = delivered_fraction("ssb-spm", c_rate), delivered_fraction("ssb-p2d", c_rate)
        print(f"{c_rate:>6.0f}C {spm:>9.3f} {p2d:>9.3f}")

    with lithos.Model(DEFAULT_CELL, kind="ssb-p2d", options={"thermal": {"enabled": False}}) as m:
        q = m.info["capacity_Ah"]
        for _ in range(int(300 / DT_S)):
            m.step(3 * q, dt=DT_S)
        p = m.profiles()
        print("\nSSB-P2D after 5 min at 3C, through the cathode (x = 0: separator side):")
        print(f"{'x [µm]':>7} {'φ_e [mV]':>9} {'j [A/m²]':>9} {'θ mean':>7}")
        phi0 = p["electrolyte_potential_V"][0]
        for k in range(0, len(p["x_m"]), 3):
            print(f"{p['x_m'][k] * 1e6:>7.1f} {(p['electrolyte_potential_V'][k] - phi0) * 1e3:>9.1f} "
                  f"{p['interfacial_current_A_per_m2'][k]:>9.3f} {p['mean_stoichiometry'][k]:>7.3f}")
        theta = p["mean_stoichiometry"]
        print(f"\nutilisation spread: θ {theta[0]:.3f} at the separator side vs {theta[-1]:.3f} "
              f"at the collector side")


if __name__ == "__main__":
    main()
