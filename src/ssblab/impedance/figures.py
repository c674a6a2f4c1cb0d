"""Publication figures for impedance analysis (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ssblab._plotting import plt

STYLE = {"font.size": 8, "axes.linewidth": 0.6, "lines.linewidth": 1.0, "savefig.dpi": 200}


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _scale(z: np.ndarray) -> tuple[float, str]:
    top = float(np.max(np.abs(z)))
    for factor, unit in ((1e6, "MΩ"), (1e3, "kΩ"), (1.0, "Ω")):
        if top >= 10 * factor or factor == 1.0:
            return factor, unit
    return 1.0, "Ω"


def electrolyte_zoom_ohm(fit, z) -> float | None:
    """A view limit around the electrolyte arcs when a blocking tail dwarfs them."""
    resistance = sum(v for n, v in fit.parameter_dict().items() if n.startswith("R"))
    if resistance > 0 and np.max(np.asarray(z).real) > 3 * resistance:
        return 1.25 * resistance
    return None


def nyquist(
    frequency_hz, z, path, *, fit=None, title: str = "", annotate_decades=True, zoom_ohm=None
) -> Path:
    """−Z'' vs Z' on equal axes, data as markers, the fit (if given) as a line.

    ``zoom_ohm`` limits both axes to [0, zoom_ohm] (e.g. :func:`electrolyte_zoom_ohm`)."""
    z = np.asarray(z)
    factor, unit = _scale(z if zoom_ohm is None else np.array([zoom_ohm]))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.6, 3.4))
        ax.plot(z.real / factor, -z.imag / factor, "o", ms=3, mfc="none", label="data")
        if fit is not None:
            f_dense = np.logspace(
                np.log10(np.min(frequency_hz)), np.log10(np.max(frequency_hz)), 400
            )
            zf = fit.predict(f_dense)
            ax.plot(zf.real / factor, -zf.imag / factor, "-", color="C3", label=fit.circuit)
        if annotate_decades:
            f = np.asarray(frequency_hz)
            for decade in range(
                int(np.floor(np.log10(f.min()))), int(np.ceil(np.log10(f.max()))) + 1
            ):
                i = int(np.argmin(np.abs(np.log10(f) - decade)))
                if abs(np.log10(f[i]) - decade) < 0.05:
                    ax.annotate(f"10$^{{{decade}}}$", (z.real[i] / factor, -z.imag[i] / factor),
                                fontsize=6, xytext=(3, 3), textcoords="offset points")  # fmt: skip
        if zoom_ohm is not None:
            ax.set_xlim(-0.02 * zoom_ohm / factor, zoom_ohm / factor)
            ax.set_ylim(-0.02 * zoom_ohm / factor, 0.6 * zoom_ohm / factor)
            ax.set_aspect("equal", adjustable="box")
            title = f"{title} (zoom on electrolyte arcs)".strip()
        else:
            ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel(f"Z′ ({unit})")
        ax.set_ylabel(f"−Z″ ({unit})")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)


def bode(frequency_hz, z, path, *, fit=None, title: str = "") -> Path:
    f = np.asarray(frequency_hz)
    z = np.asarray(z)
    with plt.rc_context(STYLE):
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(3.6, 4.0), sharex=True)
        ax1.loglog(f, np.abs(z), "o", ms=3, mfc="none")
        ax2.semilogx(f, -np.degrees(np.angle(z)), "o", ms=3, mfc="none")
        if fit is not None:
            fd = np.logspace(np.log10(f.min()), np.log10(f.max()), 400)
            zf = fit.predict(fd)
            ax1.loglog(fd, np.abs(zf), "-", color="C3")
            ax2.semilogx(fd, -np.degrees(np.angle(zf)), "-", color="C3")
        ax1.set_ylabel("|Z| (Ω)")
        ax2.set_ylabel("−phase (°)")
        ax2.set_xlabel("Frequency (Hz)")
        ax1.set_title(title, fontsize=8)
        return _save(fig, path)


def residuals(frequency_hz, residual_real, residual_imag, path, *, title: str = "") -> Path:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.6, 2.4))
        ax.semilogx(frequency_hz, 100 * np.asarray(residual_real), "o-", ms=2.5, label="Δ Z′/|Z|")
        ax.semilogx(frequency_hz, 100 * np.asarray(residual_imag), "s-", ms=2.5, label="Δ Z″/|Z|")
        ax.axhline(0, color="k", lw=0.5)
        ax.set_xlabel("Frequency (Hz)")
        ax.set_ylabel("Residual (%)")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)


def drt_plot(result, path, *, title: str = "") -> Path:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.6, 2.6))
        ax.semilogx(result.tau_s, result.gamma_ohm, "-")
        for peak in result.peaks:
            ax.axvline(peak.tau_s, color="C3", lw=0.5, ls="--")
            ax.annotate(f"{peak.resistance_ohm:.3g} Ω", (peak.tau_s, peak.gamma_ohm),
                        fontsize=6, xytext=(2, 2), textcoords="offset points")  # fmt: skip
        ax.set_xlabel("τ (s)")
        ax.set_ylabel("γ (Ω)")
        ax.set_title(title or f"DRT (λ = {result.lam:.2g}, {result.lam_method})", fontsize=8)
        return _save(fig, path)


def arrhenius_plot(result, path, *, title: str = "", sigma_err_S_m=None) -> Path:
    """ln(σT) or ln σ vs 1000/T: the data, the fit (solid over the measured range, dashed where
    it is extrapolated) and σ(T*) with its confidence band; an extrapolated T* is labelled with
    its distance from the measured range (:func:`ssblab.impedance.arrhenius.extrapolation`)."""
    t = np.asarray(result.temperature_K)
    sigma_cm = np.asarray(result.sigma_S_m) / 100.0
    target = result.extrapolation_temperature_K
    factor = (lambda temp: temp) if result.model == "sigmaT" else (lambda temp: 1.0)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.6, 2.8))
        y = sigma_cm * factor(t)
        yerr = None
        if sigma_err_S_m is not None:
            yerr = np.asarray(sigma_err_S_m) / 100.0 * factor(t)
        ax.errorbar(1000 / t, y, yerr=yerr, fmt="o", ms=3.5, mfc="none", label="data")
        td = np.linspace(t.min(), t.max(), 100)
        ax.plot(1000 / td, result.predict(td) / 100.0 * factor(td), "-", color="C3",
                label=f"E$_a$ = {result.activation_energy_eV:.3f} ± "
                      f"{result.activation_energy_err_eV:.2g} eV")  # fmt: skip
        low, high = result.sigma_extrapolated_band_S_m
        y0 = result.sigma_extrapolated_S_m / 100.0 * factor(target)
        band = np.array([[y0 - low / 100.0 * factor(target)], [high / 100.0 * factor(target) - y0]])
        label = f"σ({target - 273.15:.4g} °C)"
        if result.extrapolation_K:
            edge = t.min() if target < t.min() else t.max()
            tx = np.linspace(edge, target, 50)
            ax.plot(1000 / tx, result.predict(tx) / 100.0 * factor(tx), "--", color="C3", lw=0.8)
            label += f", extrapolated {abs(result.extrapolation_K):.3g} K"
        ax.errorbar([1000 / target], [y0], yerr=band, fmt="s", ms=3.5, color="C1", label=label)
        ax.set_yscale("log")
        ax.set_xlabel("1000/T (K$^{-1}$)")
        ax.set_ylabel("σT (S cm$^{-1}$ K)" if result.model == "sigmaT" else "σ (S cm$^{-1}$)")
        top = ax.secondary_xaxis("top", functions=(lambda x: 1000 / np.maximum(x, 1e-9) - 273.15,
                                                   lambda c: 1000 / (c + 273.15)))  # fmt: skip
        top.set_xlabel("T (°C)")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)
