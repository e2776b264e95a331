"""A 4s2p solid-state pack (examples/packs/4s2p-ssb-spm.json) as a HIL engineer drives it:
discharge at 1C, then an internal short in one cell, an open sense wire and balancing, and a
checkpoint restored bit-exactly. Prints what the BMS would measure next to the truth.

Run:  python examples/python/pack_faults.py   (LITHOS_LIBRARY points at liblithos.so)
"""

import os

import numpy as np

import lithos

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.join(HERE, "..", "packs", "4s2p-ssb-spm.json")


def show(label, pack):
    c = pack.cells()
    print(f"{label}")
    print("  group voltages [V]     " + " ".join(f"{v:7.4f}" for v in c["group_voltage_V"]))
    print("  measured voltages [V]  " + " ".join(f"{v:7.4f}" for v in c["measured_voltage_V"]))
    print("  cell SOC [%]           " + " ".join(f"{100 * v:6.2f}" for v in c["cell_soc"]))


with lithos.Pack(PACK) as pack:
    info = pack.info
    capacity = info["capacity_Ah"]
    print(f"Lithos {lithos.version()}: {info['series']}s{info['parallel']}p of {info['kind']} cells, "
          f"{capacity:.4f} A·h, {info['minimum_voltage_V']:.1f}…{info['maximum_voltage_V']:.1f} V")

    # 10 minutes at 1C in 1 s steps, recording the cell currents.
    trace = pack.run(np.full(600, capacity), dt=1.0, record="cell_current_A")
    currents = trace["cell_current_A"]
    split = currents[:, 0::2] + currents[:, 1::2]
    print(f"1C for 600 s: pack {trace['voltage_V'][0]:.3f} -> {trace['voltage_V'][-1]:.3f} V, "
          f"SOC {100 * trace['soc'][-1]:.2f} %, largest |group sum - pack current| "
          f"{np.abs(split - capacity).max():.2e} A")
    print(f"parallel cells share unequally (variation): cell 0 carries {currents[-1, 0]:.4f} A, "
          f"cell 1 {currents[-1, 1]:.4f} A")

    checkpoint = pack.save_state()

    # Internal short (20 Ω) in cell 3 (group 1), half an hour at rest.
    pack.inject_fault("internal_short", 3, 20.0)
    out = pack.run(np.zeros(180), dt=10.0)
    c = pack.cells()
    print(f"internal short in cell 3, 30 min at rest: its short carries {c['cell_short_current_A'][3]:.3f} A; "
          f"group 1 SOC {100 * c['cell_soc'][2]:.2f} / {100 * c['cell_soc'][3]:.2f} % vs group 0 "
          f"{100 * c['cell_soc'][0]:.2f} %; cell 3 at {c['cell_temperature_K'][3] - 273.15:.2f} °C, "
          f"cell 0 at {c['cell_temperature_K'][0] - 273.15:.2f} °C")

    # Open sense wire 2: channels 1 and 2 read half their sum each.
    pack.inject_fault("open_sense_wire", 2, 0.5)
    show("open sense wire 2 (channels 1 and 2 merge):", pack)

    # Back to the checkpoint, then balance channel 0 for 10 minutes.
    pack.clear_faults()
    pack.load_state(checkpoint)
    pack.set_balancing([1, 0, 0, 0])
    before = pack.cells()["cell_soc"]
    pack.run(np.zeros(60), dt=10.0)
    after = pack.cells()["cell_soc"]
    print(f"balancing channel 0 for 600 s: its cells lose {100 * (before[0] - after[0]):.3f} and "
          f"{100 * (before[1] - after[1]):.3f} SOC points, channel 1's "
          f"{100 * ((before[2] + before[3]) - (after[2] + after[3])) / 2:.3f} on average")
    print(f"bleed current {pack.cells()['balancing_current_A'][0] * 1000:.2f} mA at "
          f"{pack.cells()['group_voltage_V'][0]:.3f} V")
