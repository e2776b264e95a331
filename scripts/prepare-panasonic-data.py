#!/usr/bin/env python3
"""Regenerates examples/panasonic-18650pf/data/ from the shared Panasonic 18650PF copy.

Source: ../shared/data/panasonic-18650pf (Kollmeyer, Panasonic 18650PF Li-ion Battery Data,
Mendeley Data 2018, DOI 10.17632/wykht8y7tg.1; see examples/panasonic-18650pf/README.md).

Processing (standard library only, deterministic):
- C/20 OCV files and the HPPC rest-OCV table: copied unchanged.
- 25 degC drive cycles (1 s bins): copied unchanged.
- HPPC files: thinned. Kept: every sample while current flows (|I| > 0.02 A), every sample
  within +-2 s of a current step (|dI| > 0.05 A between consecutive samples), the samples on
  either side of a time gap (> 10 s), and otherwise one sample per 0.5 s (the first sample at
  or after each 0.5 s mark since the last kept one). Values are written unchanged.

usage: python3 scripts/prepare-panasonic-data.py [SHARED_DIR] [OUT_DIR]
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "panasonic-18650pf")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "examples", "panasonic-18650pf", "data")

COPY = [
    "pan18650pf_25C_C20_OCVtest_timeseries.csv",
    "pan18650pf_25C_OCV_C20.csv",
    "pan18650pf_OCV_from_HPPC_rests.csv",
    "pan18650pf_25C_US06_1s.csv",
    "pan18650pf_25C_HWFETa_1s.csv",
    "pan18650pf_25C_LA92_1s.csv",
    "pan18650pf_25C_NN_1s.csv",
    "pan18650pf_25C_Mixed1_1s.csv",
    "pan18650pf_25C_Mixed2_1s.csv",
    "pan18650pf_25C_Mixed3_1s.csv",
    "pan18650pf_25C_Mixed4_1s.csv",
]
HPPC = ["25C", "10C", "0C", "m10C", "m20C"]
STEP_A, FLOW_A, WINDOW_S, TAIL_S, GAP_S = 0.05, 0.02, 2.0, 0.5, 10.0


def thin_hppc(src, dst):
    with open(src) as f:
        header = f.readline()
        lines = f.read().splitlines()
    rows = [tuple(float(x) for x in line.split(",")[:2]) for line in lines]
    t = [r[0] for r in rows]
    i = [r[1] for r in rows]
    n = len(rows)
    steps = [t[k] for k in range(1, n) if abs(i[k] - i[k - 1]) > STEP_A]
    keep = [False] * n
    s = 0
    for k in range(n):
        while s < len(steps) and steps[s] < t[k] - WINDOW_S:
            s += 1
        near = s < len(steps) and abs(steps[s] - t[k]) <= WINDOW_S
        gap = (k > 0 and t[k] - t[k - 1] > GAP_S) or (k + 1 < n and t[k + 1] - t[k] > GAP_S)
        keep[k] = k == 0 or k == n - 1 or abs(i[k]) > FLOW_A or near or gap
    last = -1e300
    for k in range(n):
        if keep[k] or t[k] >= last + TAIL_S - 1e-9:
            keep[k] = True
            last = t[k]
    kept = [lines[k] for k in range(n) if keep[k]]
    with open(dst, "w") as f:
        f.write(header)
        f.write("\n".join(kept) + "\n")
    return n, len(kept)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in COPY:
        shutil.copyfile(os.path.join(SRC, name), os.path.join(OUT, name))
        print(f"copied {name}")
    for tag in HPPC:
        name = f"pan18650pf_{tag}_HPPC.csv"
        n, m = thin_hppc(os.path.join(SRC, name), os.path.join(OUT, name))
        print(f"thinned {name}: {m} of {n} rows")
    total = sum(os.path.getsize(os.path.join(OUT, x)) for x in os.listdir(OUT))
    print(f"total {total / 1e6:.2f} MB in {OUT}")


if __name__ == "__main__":
    main()
