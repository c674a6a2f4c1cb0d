"""Plotly figures as JSON (``{"data": [...], "layout": {...}}``), drawn in the page by the
locally served plotly.min.js. Built as plain dicts: importing plotly's Python package would cost
start-up time for nothing the browser needs. Every axis title carries its unit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Figure = dict[str, Any]


def _finite(values) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _layout(x: str, y: str, *, log_x: bool = False, log_y: bool = False, **extra) -> dict:
    layout = {
        "xaxis": {"title": {"text": x}, "type": "log" if log_x else "linear"},
        "yaxis": {"title": {"text": y}, "type": "log" if log_y else "linear"},
        # the legend above the plot: below it, it covered the x-axis title
        "margin": {"l": 70, "r": 70, "t": 50, "b": 60},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "height": 380,
    }
    layout.update(extra)
    return layout


def _fit_curve(item: dict | None, frequency_hz: np.ndarray) -> np.ndarray | None:
    """The fitted model's impedance (Ω) on a dense grid over the measured window."""
    if not item or not item.get("parameters"):
        return None
    from ssblab.impedance.circuits import parse_circuit

    grid = np.logspace(np.log10(frequency_hz.min()), np.log10(frequency_hz.max()), 200)
    values = np.array([item["parameters"][n] for n in item["parameters"]], dtype=float)
    with np.errstate(all="ignore"):
        return grid, parse_circuit(item["circuit"]).impedance(grid, values)


def nyquist(spectra, fits: list[dict] | None = None) -> Figure:
    data = []
    for i, s in enumerate(spectra):
        z = s.impedance_ohm
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"#{s.index} measured",
                "x": _finite(z.real),
                "y": _finite(-z.imag),
                "customdata": _finite(s.frequency_hz),
                "hovertemplate": "Z′ %{x:.4g} Ω<br>−Z″ %{y:.4g} Ω<br>f %{customdata:.4g} Hz",
            }
        )
        curve = _fit_curve(fits[i] if fits and i < len(fits) else None, s.frequency_hz)
        if curve is not None:
            _, zf = curve
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"#{s.index} fit {fits[i]['circuit']}",
                    "x": _finite(zf.real),
                    "y": _finite(-zf.imag),
                }
            )
    layout = _layout("Z′ (Ω)", "−Z″ (Ω)")
    layout["yaxis"]["scaleanchor"] = "x"  # equal axes: arcs look like arcs
    return {"data": data, "layout": layout}


def bode(spectra, fits: list[dict] | None = None) -> Figure:
    data = []
    for i, s in enumerate(spectra):
        f, z = s.frequency_hz, s.impedance_ohm
        data.append(
            {"type": "scatter", "mode": "markers", "name": f"#{s.index} |Z|",
             "x": _finite(f), "y": _finite(np.abs(z))}
        )  # fmt: skip
        data.append(
            {"type": "scatter", "mode": "markers", "name": f"#{s.index} phase", "yaxis": "y2",
             "x": _finite(f), "y": _finite(np.degrees(np.angle(z))), "marker": {"symbol": "x"}}
        )  # fmt: skip
        curve = _fit_curve(fits[i] if fits and i < len(fits) else None, f)
        if curve is not None:
            grid, zf = curve
            data.append(
                {"type": "scatter", "mode": "lines", "name": f"#{s.index} fit |Z|",
                 "x": _finite(grid), "y": _finite(np.abs(zf))}
            )  # fmt: skip
    layout = _layout("frequency (Hz)", "|Z| (Ω)", log_x=True, log_y=True)
    layout["yaxis2"] = {"title": {"text": "phase (°)"}, "overlaying": "y", "side": "right"}
    return {"data": data, "layout": layout}


def drt(spectra, results) -> Figure:
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"#{s.index} γ(τ)",
            "x": _finite(r.tau_s),
            "y": _finite(r.gamma_ohm),
        }
        for s, r in zip(spectra, results, strict=True)
    ]
    return {"data": data, "layout": _layout("τ (s)", "γ (Ω)", log_x=True)}


def voltage(table, max_points: int = 4000) -> Figure:
    from ssblab.cycling.figures import decimate

    t = table["time_s"].to_numpy(dtype=float) / 3600
    v = table["voltage_V"].to_numpy(dtype=float)
    t, v = decimate(t, v, max_points)
    data = [{"type": "scattergl", "mode": "lines", "name": "voltage", "x": _finite(t),
             "y": _finite(v)}]  # fmt: skip
    return {"data": data, "layout": _layout("time (h)", "voltage (V)")}


def asr(half_cycles) -> Figure:
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": kind,
            "x": _finite(part["start_h"]),
            "y": _finite(part["asr_ohm_m2"].to_numpy(dtype=float) * 1e4),
        }
        for kind, part in half_cycles.groupby("kind", sort=True)
    ]
    return {"data": data, "layout": _layout("time (h)", "ASR (Ω·cm²)")}


def capacity(payload: dict) -> Figure:
    cycles = payload.get("cycles") or []
    x = [c.get("cycle") for c in cycles]
    per_gram = any(c.get("discharge_mAh_g") is not None for c in cycles)
    key, unit = ("discharge_mAh_g", "mAh/g") if per_gram else ("discharge_mAh", "mAh")
    data = [
        {"type": "scatter", "mode": "markers", "name": "discharge", "x": x,
         "y": [c.get(key) for c in cycles]},
        {"type": "scatter", "mode": "lines", "name": "CE", "yaxis": "y2", "x": x,
         "y": [None if c.get("coulombic_efficiency") is None
               else 100 * c["coulombic_efficiency"] for c in cycles]},
    ]  # fmt: skip
    layout = _layout("cycle", f"discharge capacity ({unit})")
    layout["yaxis2"] = {"title": {"text": "CE (%)"}, "overlaying": "y", "side": "right"}
    return {"data": data, "layout": layout}


def arrhenius(payload: dict) -> Figure:
    """σT (or σ) in S·K/cm (S/cm) against 1000/T (1/K), with the fitted line."""
    points = payload["points"]
    t = np.array([p["temperature_K"] for p in points], dtype=float)
    sigma = np.array([p["sigma_S_m"] for p in points], dtype=float) / 100
    err = np.array([p["sigma_err_S_m"] or 0.0 for p in points], dtype=float) / 100
    sigma_t = payload.get("model", "sigmaT") == "sigmaT"
    y, dy = (sigma * t, err * t) if sigma_t else (sigma, err)
    k_b = 8.617333262e-5  # eV/K
    grid = np.linspace(t.min(), t.max(), 50)
    fitted = np.exp(payload["ln_prefactor"] - payload["activation_energy_eV"] / (k_b * grid))
    fitted = fitted / 100  # the fit is in S/m (·K)
    unit = "σT (S·K/cm)" if sigma_t else "σ (S/cm)"
    ea = payload["activation_energy_eV"]
    data = [
        {"type": "scatter", "mode": "markers", "name": "measured", "x": _finite(1000 / t),
         "y": _finite(y), "error_y": {"type": "data", "array": _finite(dy)}},
        {"type": "scatter", "mode": "lines", "name": f"E_a = {ea:.4g} eV",
         "x": _finite(1000 / grid), "y": _finite(fitted)},
    ]  # fmt: skip
    return {"data": data, "layout": _layout("1000/T (1/K)", unit, log_y=True)}


def trace(time_h, voltage_V, name: str) -> dict:
    return {"type": "scattergl", "mode": "lines", "name": name, "x": _finite(time_h),
            "y": _finite(voltage_V)}  # fmt: skip
