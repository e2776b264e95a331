#!/usr/bin/env python3
"""Designing a solid-state cell with Lithos — a researcher's first session.

1. Which solid electrolytes does the database know, and how well do they conduct at 25 °C?
2. How does the conductivity of three electrolyte families change between −10 °C and 80 °C?
   (sulfide Li6PS5Cl, garnet oxide LLZO-Ta, polymer PEO-LiTFSI)
3. Build the default cell (../cells/default.json) and look at its design metrics.

Run: python3 examples/python/design.py   (with lithos installed, or LITHOS_LIBRARY set)
"""

import os
import sys

try:
    import lithos
except ImportError:  # running from a source checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "..", "bindings", "python"))
    import lithos

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CELL = os.path.join(HERE, "..", "cells", "default.json")
ZERO_CELSIUS_K = 273.15


def mS_per_cm(sigma_S_per_m):
    """S/m → mS/cm (the unit electrolyte papers use): 1 S/m = 10 mS/cm."""
    return sigma_S_per_m * 10.0


def electrolyte_table():
    print("Solid electrolytes: Li-ion conductivity at 25 °C (298.15 K)")
    print(f"  {'material':<16} {'sigma [mS/cm]':>13}  {'formula':<24} summary")
    rows = [(m, m.ionic_conductivity(298.15)) for m in lithos.materials("solid_electrolyte")]
    for material, sigma in sorted(rows, key=lambda row: -row[1]):
        print(f"  {material.name:<16} {mS_per_cm(sigma):>13.4g}  {material.formula:<24} {material.summary}")
    print()


def conductivity_vs_temperature(names=("Li6PS5Cl", "LLZO-Ta", "PEO-LiTFSI")):
    electrolytes = [lithos.Material(name) for name in names]
    temperatures_C = list(range(-10, 81, 10))
    widths = [max(12, len(m.name)) for m in electrolytes]
    print("Ionic conductivity sigma(T) [mS/cm]")
    print(f"  {'T [°C]':>7} " + " ".join(f"{m.name:>{w}}" for m, w in zip(electrolytes, widths)))
    for t_C in temperatures_C:
        cells = []
        for m, w in zip(electrolytes, widths):
            try:
                cells.append(f"{mS_per_cm(m.ionic_conductivity(t_C + ZERO_CELSIUS_K)):>{w}.4g}")
            except lithos.LithosError as error:  # e.g. a polymer below its glass transition
                cells.append(f"{'n/a':>{w}}")
                print(f"  note: {m.name} at {t_C} °C: {error.message}", file=sys.stderr)
        print(f"  {t_C:>7} " + " ".join(cells))
    print()


def default_cell():
    with lithos.CellDesign.from_file(DEFAULT_CELL) as cell:
        metrics = cell.metrics(298.15)
        shown = os.path.relpath(DEFAULT_CELL, os.path.join(HERE, "..", ".."))
        print(f"Default cell {cell.name!r} ({shown}) at 25 °C")
        for key in lithos.METRIC_FIELDS:
            print(f"  {key:<42} {metrics[key]:>12.5g}")
        print()
        print(f"  => {metrics['specific_energy_Wh_per_kg']:.0f} Wh/kg, "
              f"{metrics['energy_density_Wh_per_L']:.0f} Wh/L, "
              f"{metrics['areal_capacity_mAh_per_cm2']:.2f} mAh/cm2 at "
              f"{metrics['nominal_voltage_V']:.2f} V")
        cold = cell.metrics(ZERO_CELSIUS_K)
        print(f"  separator ASR: {metrics['separator_asr_ohm_m2'] * 1e4:.3g} ohm·cm2 at 25 °C, "
              f"{cold['separator_asr_ohm_m2'] * 1e4:.3g} ohm·cm2 at 0 °C")


def main():
    print(f"Lithos {lithos.version()} (Python package {lithos.__version__})")
    print()
    electrolyte_table()
    conductivity_vs_temperature()
    default_cell()
    return 0


if __name__ == "__main__":
    sys.exit(main())
