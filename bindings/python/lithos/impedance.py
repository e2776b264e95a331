"""Impedance spectra (``lithos.h`` section 8): equivalent-circuit fitting, the distribution of
relaxation times, reading the CSV ``lithos impedance`` writes, and Nyquist/Bode/DRT plots
(matplotlib, optional)::

    f, z = lithos.read_spectrum_csv("eis.csv")            # or Model.impedance(f)
    fit = lithos.fit_eis(f, z, arcs=2, warburg="finite-space")
    fit.parameters["R0"], fit.ci95["R0"]                  # value and 95 % interval [Ω]
    d = lithos.drt(f, z, lambda_=1e-5)
    d.peaks                                               # [{"tau_s", "resistance_ohm", …}]
    lithos.plot_nyquist(z, fit=fit.fitted_ohm)

Z follows the library's convention Z = −V̂/Î with discharge-positive current: a capacitance
has a negative imaginary part (Nyquist plots show −Im Z upwards).
"""

from __future__ import annotations

import csv
import ctypes
import json
from typing import Any, Dict, List, Optional, Tuple

from . import _library as _L

__all__ = ["EISFit", "DRT", "fit_eis", "drt", "read_spectrum_csv", "plot_nyquist", "plot_bode", "plot_drt"]


def _arrays(frequencies_Hz: Any, z: Any):
    import numpy as np
    f = np.ascontiguousarray(np.atleast_1d(np.asarray(frequencies_Hz, dtype=np.float64)))
    zc = np.atleast_1d(np.asarray(z, dtype=np.complex128))
    if zc.shape != f.shape:
        raise ValueError(f"need one impedance per frequency (got {zc.size} and {f.size})")
    re = np.ascontiguousarray(zc.real)
    im = np.ascontiguousarray(zc.imag)
    return f, re, im


def _call(function_name: str, frequencies_Hz: Any, z: Any, options: Dict[str, Any]) -> Dict[str, Any]:
    f, re, im = _arrays(frequencies_Hz, z)
    dp = ctypes.POINTER(ctypes.c_double)
    out = ctypes.c_void_p()
    _L.check(getattr(_L.lib(), function_name)(
        f.ctypes.data_as(dp), re.ctypes.data_as(dp), im.ctypes.data_as(dp), f.size,
        json.dumps(options).encode("utf-8"), ctypes.byref(out)))
    return json.loads(_L.take_string(out))


def _none_as_nan(x: Optional[float]) -> float:
    return float("nan") if x is None else float(x)


class EISFit:
    """Result of :func:`fit_eis`. ``parameters``: name → value (units in ``units``; R0, [L],
    R1, Q1, alpha1, …, [sigma_W | R_W, tau_W]); ``ci95``: name → (lower, upper) (NaN when not
    identifiable); ``arcs``: per arc R, Q, α, τ, characteristic frequency and Brug capacitance;
    ``fitted_ohm``: the fitted spectrum (complex numpy array); ``rms_relative_residual``;
    ``raw``: the whole JSON document ``lithos_fit_eis`` returned."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        import numpy as np
        self.raw = raw
        self.circuit: str = raw["circuit"]
        self.parameters = {p["name"]: p["value"] for p in raw["parameters"]}
        self.units = {p["name"]: p["unit"] for p in raw["parameters"]}
        self.ci95 = {p["name"]: (_none_as_nan(p["ci95_lower"]), _none_as_nan(p["ci95_upper"])) for p in raw["parameters"]}
        self.arcs: List[Dict[str, Any]] = raw["arcs"]
        self.rms_relative_residual: float = raw["rms_relative_residual"]
        self.converged: bool = raw["converged"]
        points = raw["points"]
        self.fitted_ohm = np.asarray(points["fit_re_ohm"]) + 1j * np.asarray(points["fit_im_ohm"])

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v:.4g}" for k, v in self.parameters.items())
        return f"EISFit({self.circuit}: {values}; rms {self.rms_relative_residual:.2%})"


class DRT:
    """Result of :func:`drt`: ``tau_s`` and ``gamma_ohm`` (numpy arrays; γ per unit ln τ [Ω]),
    ``peaks`` (list of {"tau_s", "frequency_Hz", "resistance_ohm", "gamma_max_ohm"}),
    ``high_frequency_resistance_ohm`` (R∞), ``polarization_resistance_ohm`` (Σγ·Δln τ),
    ``fitted_ohm``, ``rms_relative_residual`` and ``raw`` (the JSON ``lithos_drt`` returned)."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        import numpy as np
        self.raw = raw
        self.tau_s = np.asarray(raw["tau_s"])
        self.gamma_ohm = np.asarray(raw["gamma_ohm"])
        self.peaks: List[Dict[str, float]] = raw["peaks"]
        self.high_frequency_resistance_ohm: float = raw["high_frequency_resistance_ohm"]
        self.polarization_resistance_ohm: float = raw["polarization_resistance_ohm"]
        self.rms_relative_residual: float = raw["rms_relative_residual"]
        points = raw["points"]
        self.fitted_ohm = np.asarray(points["fit_re_ohm"]) + 1j * np.asarray(points["fit_im_ohm"])


def fit_eis(frequencies_Hz: Any, z: Any, arcs: int = 2, warburg: str = "none", inductance: bool = False,
            exponent_lower: float = 0.3, exponent_upper: float = 1.0,
            maximum_iterations: int = 400) -> EISFit:
    """Fits R0 [+ L] + ``arcs`` × (R‖CPE) [+ Warburg: "semi-infinite" or "finite-space"] to a
    spectrum (``frequencies_Hz`` [Hz], complex ``z`` [Ω]) with 95 % confidence intervals
    (``lithos_fit_eis``)."""
    return EISFit(_call("lithos_fit_eis", frequencies_Hz, z, {
        "arcs": arcs, "warburg": warburg, "inductance": inductance, "exponent_lower": exponent_lower,
        "exponent_upper": exponent_upper, "maximum_iterations": maximum_iterations}))


def drt(frequencies_Hz: Any, z: Any, lambda_: float = 1e-5, points_per_decade: float = 10,
        extension_decades: float = 1, inductance: bool = False, capacitance: bool = False,
        peak_threshold: float = 0.01) -> DRT:
    """The distribution of relaxation times of a spectrum by Tikhonov-regularised non-negative
    least squares (``lithos_drt``). ``capacitance=True`` adds a series capacitance for spectra
    that keep rising at low frequency (blocking or diffusion-limited electrodes)."""
    return DRT(_call("lithos_drt", frequencies_Hz, z, {
        "lambda": lambda_, "points_per_decade": points_per_decade, "extension_decades": extension_decades,
        "inductance": inductance, "capacitance": capacitance, "peak_threshold": peak_threshold}))


def read_spectrum_csv(path: str) -> Tuple[Any, Any]:
    """(frequencies [Hz], complex Z [Ω]) from a CSV with ``frequency_Hz,re_ohm,im_ohm`` (or
    ``minus_im_ohm``) columns — what ``lithos impedance`` writes and ``lithos fit-eis`` reads."""
    import numpy as np
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    if not rows:
        raise ValueError(f"{path}: no data rows")
    freq = np.array([float(r["frequency_Hz"]) for r in rows])
    re = np.array([float(r["re_ohm"]) for r in rows])
    if "im_ohm" in rows[0]:
        im = np.array([float(r["im_ohm"]) for r in rows])
    else:
        im = -np.array([float(r["minus_im_ohm"]) for r in rows])
    return freq, re + 1j * im


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib (pip install matplotlib)") from exc
    return plt


def plot_nyquist(z: Any, fit: Any = None, ax: Any = None, label: str = "data"):
    """Nyquist plot (−Im Z against Re Z, equal axes) of ``z`` and optionally a fitted spectrum.
    Returns the matplotlib axes."""
    import numpy as np
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots()
    z = np.asarray(z)
    ax.plot(z.real * 1e3, -z.imag * 1e3, "o", ms=3, label=label)
    if fit is not None:
        fit = np.asarray(fit)
        ax.plot(fit.real * 1e3, -fit.imag * 1e3, "-", label="fit")
    ax.set_xlabel("Re Z [mΩ]")
    ax.set_ylabel("−Im Z [mΩ]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend()
    return ax


def plot_bode(frequencies_Hz: Any, z: Any, fit: Any = None, axes: Any = None):
    """Bode plot: |Z| and phase against frequency (log axes). Returns the two axes."""
    import numpy as np
    plt = _pyplot()
    if axes is None:
        _, axes = plt.subplots(2, 1, sharex=True)
    f, z = np.asarray(frequencies_Hz), np.asarray(z)
    axes[0].loglog(f, np.abs(z), "o", ms=3, label="data")
    axes[1].semilogx(f, np.degrees(np.angle(z)), "o", ms=3)
    if fit is not None:
        fit = np.asarray(fit)
        axes[0].loglog(f, np.abs(fit), "-", label="fit")
        axes[1].semilogx(f, np.degrees(np.angle(fit)), "-")
    axes[0].set_ylabel("|Z| [Ω]")
    axes[1].set_ylabel("phase [°]")
    axes[1].set_xlabel("f [Hz]")
    axes[0].legend()
    return axes


def plot_drt(result: DRT, ax: Any = None):
    """γ(τ) against τ (log axis) with the peaks marked. Returns the axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots()
    ax.semilogx(result.tau_s, result.gamma_ohm * 1e3, "-")
    for p in result.peaks:
        ax.axvline(p["tau_s"], ls=":", lw=0.8)
    ax.set_xlabel("τ [s]")
    ax.set_ylabel("γ [mΩ]")
    return ax
