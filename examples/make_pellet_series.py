"""Generate the bundled LLZTO pellet temperature series (``examples/eis/llzto_pellet_series``).

A Li6.4La3Zr1.4Ta0.6O12 pellet with seed 000's geometry (0.5 mm thick, 12 mm diameter, blocking
electrodes), measured in a cryostat from −80 to −40 °C on a CHI660E (1 MHz–0.1 Hz, 10 mV), as
seed 000's instrument writes its "A.C. Impedance" text export. At room temperature LLZTO's bulk
and grain-boundary arcs lie above 1 MHz (τ_bulk = ε₀ε_r/σ ≈ 9 ns), so the series is taken cold,
where both arcs are inside the window.

Ground truth (written to ``truth.json``):

* bulk: σ_b T = A_b exp(−E_b/k_B T), E_b = 0.38 eV, σ_b(25 °C) = 6.0e-4 S/cm, ε_r = 60,
  CPE with α = 0.95;
* grain boundary (apparent): E_gb = 0.45 eV, σ_gb,app(25 °C) = 1.97e-3 S/cm so that
  σ_total(25 °C) = 4.6e-4 S/cm (seed 000 §3.1), C_gb = 100 C_bulk, α = 0.85;
* blocking electrodes: CPE Q = 2e-6 F s^(α−1), α = 0.85; leads R0 = 2 Ω;
* 0.3 % proportional complex noise (seeded), 12 points per decade.

Run ``python examples/make_pellet_series.py`` to regenerate; the files are committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ssblab.impedance.circuits import Circuit

K_B = 8.617333262e-5  # eV/K
EPS0 = 8.8541878128e-12  # F/m
THICKNESS_M, DIAMETER_M = 0.5e-3, 12e-3
AREA_M2 = np.pi * DIAMETER_M**2 / 4
CELL = THICKNESS_M / AREA_M2
T_ROOM = 298.15
TEMPERATURES_C = (-80, -70, -60, -50, -40)
FREQ = np.logspace(6, -1, 85)
CIRCUIT = Circuit("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3")


def sigma_t_form(sigma_room_s_m: float, ea_ev: float, t_k: float) -> float:
    """σ(T) for σT = A exp(−Ea/kT) anchored at σ(25 °C)."""
    return sigma_room_s_m * (T_ROOM / t_k) * np.exp(-ea_ev / K_B * (1 / t_k - 1 / T_ROOM))


def truth_at(t_k: float) -> dict:
    sigma_b = sigma_t_form(6.0e-2, 0.38, t_k)  # S/m
    sigma_gb = sigma_t_form(1.97e-1, 0.45, t_k)
    r_b, r_gb = CELL / sigma_b, CELL / sigma_gb
    c_b = 60 * EPS0 / CELL
    c_gb = 100 * c_b
    # CPE Q giving the same effective capacitance: C = (Q R^(1-α))^(1/α) -> Q = C^α R^(α-1)
    q_b = c_b**0.95 * r_b ** (0.95 - 1)
    q_gb = c_gb**0.85 * r_gb ** (0.85 - 1)
    params = [2.0, r_b, q_b, 0.95, r_gb, q_gb, 0.85, 2e-6, 0.85]
    return {
        "temperature_K": t_k,
        "sigma_bulk_S_m": sigma_b,
        "sigma_total_S_m": CELL / (r_b + r_gb),
        "circuit": CIRCUIT.text,
        "parameters": dict(zip(CIRCUIT.parameter_names, params, strict=True)),
    }


def chi_number(x: float) -> str:
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa}e{int(exponent):+d}"


def write_chi(path: Path, z: np.ndarray, t_c: int) -> None:
    header = [
        "Nov. 22, 2026   10:00:00", "A.C. Impedance", f"File: C:\\ssblab\\llzto_{t_c}C.bin",
        "Data Source:  Experiment", "Instrument Model:  CHI660E",
        f"Header: LLZTO pellet 0.5 mm x 12 mm, Au blocking, {t_c} degC (synthetic, ssblab)",
        "Note: ", "", "Init E (V) = 0", "High Frequency (Hz) = 1e+6", "Low Frequency (Hz) = 0.1",
        "Amplitude (V) = 0.01", "Quiet Time (sec) = 2", "Cycles (.1-1Hz) = 1", "",
        "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg", "",
    ]  # fmt: skip
    rows = [
        f"{chi_number(f)}, {chi_number(v.real)}, {chi_number(v.imag)}, {chi_number(abs(v))}, "
        f"{np.degrees(np.angle(v)):.1f}"
        for f, v in zip(FREQ, z, strict=True)
    ]
    path.write_text("\n".join(header + rows) + "\n", encoding="ascii")


def main() -> None:
    out = Path(__file__).parent / "eis" / "llzto_pellet_series"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261122)
    truths, table = [], ["file,temperature"]
    for t_c in TEMPERATURES_C:
        truth = truth_at(t_c + 273.15)
        z = CIRCUIT.impedance(FREQ, list(truth["parameters"].values()))
        z = z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
        name = f"llzto_{t_c:+d}C.txt".replace("+", "p").replace("-", "m")
        write_chi(out / name, z, t_c)
        truths.append({"file": name, **truth})
        table.append(f"{name},{t_c} degC")
    (out / "temperatures.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    meta = {
        "geometry": {"thickness_m": THICKNESS_M, "diameter_m": DIAMETER_M},
        "activation_energy_bulk_eV": 0.38,
        "activation_energy_gb_eV": 0.45,
        "model": "sigmaT",
        "spectra": truths,
    }
    (out / "truth.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(truths)} spectra to {out}")


if __name__ == "__main__":
    main()
