"""Impedance analysis from Python (lithos.h section 8) and the CLI: equivalent-circuit fit and
DRT of a synthetic spectrum with known elements and of the SSB-P2D model's spectrum, the CSV
the CLI reads and writes, and the plots (when matplotlib is installed)."""

import json
import os
import subprocess

import numpy as np
import pytest

import lithos
from conftest import DEFAULT_CELL_PATH
from test_cli import CLI, lithos as run_cli


def synthetic(f, noise=0.0, seed=3):
    """R0 + R1‖CPE + R2‖CPE + finite-space Warburg, optionally with multiplicative noise."""
    w = 2 * np.pi * f
    z = 0.020 + 0.015 / (1 + (1j * w * 1e-3) ** 0.9) + 0.030 / (1 + (1j * w * 0.2) ** 0.8)
    s = np.sqrt(1j * w * 10.0)
    z = z + 0.040 / (s * np.tanh(s))
    if noise:
        rng = np.random.default_rng(seed)
        z = z * (1 + noise * (rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)))
    return z


F = np.logspace(-2, 5, 50)


def test_fit_recovers_known_elements_within_their_intervals():
    truth = {"R0": 0.020, "R1": 0.015, "alpha1": 0.9, "R2": 0.030, "alpha2": 0.8, "R_W": 0.040, "tau_W": 10.0}
    exact = lithos.fit_eis(F, synthetic(F), arcs=2, warburg="finite-space")
    assert exact.converged and exact.rms_relative_residual < 1e-8
    for name, value in truth.items():
        assert exact.parameters[name] == pytest.approx(value, rel=1e-6), name
    noisy = lithos.fit_eis(F, synthetic(F, noise=0.005), arcs=2, warburg="finite-space")
    assert 0.002 < noisy.rms_relative_residual < 0.01
    for name, value in truth.items():
        lo, hi = noisy.ci95[name]
        assert lo <= value <= hi, name
        # 0.5 % on Re and Im each (0.7 % in |Z|); R_W and tau_W correlate (the band ends at
        # ωτ_W ≈ 0.6): docs/identification.md
        assert noisy.parameters[name] == pytest.approx(value, rel=0.12 if name in ("R_W", "tau_W") else 0.05), name
    assert noisy.fitted_ohm.shape == F.shape
    assert "R0" in repr(noisy)


def test_drt_of_two_voigt_elements():
    w = 2 * np.pi * F
    z = 0.010 + 0.020 / (1 + 1j * w * 1e-3) + 0.040 / (1 + 1j * w * 0.5)
    d = lithos.drt(F, z)
    assert d.high_frequency_resistance_ohm == pytest.approx(0.010, rel=0.01)
    assert d.polarization_resistance_ohm == pytest.approx(0.060, rel=0.01)
    taus = sorted(p["tau_s"] for p in d.peaks if p["resistance_ohm"] > 0.005)
    assert len(taus) == 2
    assert taus[0] == pytest.approx(1e-3, rel=0.3) and taus[1] == pytest.approx(0.5, rel=0.3)
    assert d.tau_s.shape == d.gamma_ohm.shape and np.all(d.gamma_ohm >= 0)


def test_model_spectrum_through_the_cli_and_python_agree(tmp_path):
    if not os.path.exists(CLI):
        pytest.skip("CLI not built")
    eis = tmp_path / "eis.csv"
    r = run_cli("impedance", "--cell", DEFAULT_CELL_PATH, "--model", "ssb-p2d", "--from", "1e-5", "--to", "1e4",
                "--per-decade", "6", "--out", str(eis))
    assert r.returncode == 0, r.stderr
    f, z = lithos.read_spectrum_csv(str(eis))
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-p2d") as m:
        np.testing.assert_allclose(z, m.impedance(f, soc=0.5), rtol=1e-12)
    # DRT through the CLI and through Python: the same numbers.
    drt_csv, peaks_csv = tmp_path / "drt.csv", tmp_path / "peaks.csv"
    r = run_cli("drt", "--data", str(eis), "--capacitance", "--out", str(drt_csv), "--peaks-out", str(peaks_csv))
    assert r.returncode == 0, r.stderr
    cli_gamma = np.loadtxt(drt_csv, delimiter=",", skiprows=1)[:, 1]
    d = lithos.drt(f, z, capacitance=True)
    np.testing.assert_allclose(cli_gamma, d.gamma_ohm, rtol=1e-9, atol=1e-12)
    assert d.high_frequency_resistance_ohm == pytest.approx(m_high_frequency(), rel=0.01)
    # Equivalent-circuit fit: no arc (the model has no double layer), finite-space diffusion.
    fit_json = tmp_path / "fit.json"
    r = run_cli("fit-eis", "--data", str(eis), "--arcs", "0", "--warburg", "finite-space", "--out", str(fit_json))
    assert r.returncode == 0, r.stderr
    cli_fit = json.loads(fit_json.read_text())
    fit = lithos.fit_eis(f, z, arcs=0, warburg="finite-space")
    assert fit.parameters["R0"] == pytest.approx(cli_fit["series_resistance_ohm"], rel=1e-9)
    assert fit.parameters["R0"] == pytest.approx(m_high_frequency(), rel=0.02)


def m_high_frequency():
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-p2d") as m:
        return float(m.impedance([1e6], soc=0.5)[0].real)


def test_errors_carry_the_c_message():
    with pytest.raises(lithos.LithosConfigError, match="warburg"):
        lithos.fit_eis(F, synthetic(F), warburg="open")
    with pytest.raises(lithos.LithosOutOfRangeError, match="frequencies_Hz"):
        lithos.drt(-F, synthetic(F))
    with pytest.raises(lithos.LithosInvalidArgumentError):
        lithos.fit_eis(F[:3], synthetic(F[:3]), arcs=2)
    with pytest.raises(ValueError):
        lithos.fit_eis(F, synthetic(F)[:-1])


def test_plots(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    z = synthetic(F)
    fit = lithos.fit_eis(F, z, arcs=2, warburg="finite-space")
    ax = lithos.plot_nyquist(z, fit=fit.fitted_ohm)
    assert len(ax.lines) == 2
    axes = lithos.plot_bode(F, z, fit=fit.fitted_ohm)
    assert len(axes[0].lines) == 2
    ax = lithos.plot_drt(lithos.drt(F, z))
    ax.figure.savefig(tmp_path / "drt.png")
    assert (tmp_path / "drt.png").stat().st_size > 1000
