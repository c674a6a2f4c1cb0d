"""Generate a folder of synthetic lab measurements for the workspace benchmarks and tests.

``generate(folder, n, seed)`` writes ``n`` small files, mixed like a lab's share:

* EIS spectra (~45 %): generic CSV tables (``freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm``, the EC-Lab text
  column names ssblab's ``table`` reader recognises) of a pellet between blocking electrodes,
  bulk ‖ grain boundary ‖ electrode — ``R0-p(R1,CPE1)-p(R2,CPE2)-CPE3`` from
  :mod:`ssblab.impedance.circuits` — with a temperature column. Every sample has a
  temperature series (25–85 °C) on an Arrhenius law, so conductivity and E_a analyses have
  something to fit.
* cycling traces (~54 %): generic CSV tables (``time (s), voltage (V), current (mA)``, with a
  ``key: value`` preamble) from :func:`ssblab.cycling.synthetic_symmetric.symmetric_trace`
  (Li | SSE | Li plating/stripping) and
  :func:`ssblab.cycling.synthetic_fullcell.fullcell_trace` (full cells with capacity fade).
* about 1 % damaged or foreign files: truncated binary, a PNG, a text note, an empty file,
  a CSV whose numbers are words. Each must be stored as a *failed* measurement, never abort
  the batch.
* a few byte-identical copies under another name (a lab copies files around): the same
  SHA-256 must be one measurement.

Noise is seeded per file, so every non-copy file has distinct bytes and the folder is
reproducible from ``(n, seed)``. Files are a few kB (30 frequencies; ≤ 100 cycling rows), so
10,000 of them take seconds to write and the ingest measures the workspace, not parsing.

``generate`` returns a :class:`Manifest`: every file with its kind and SHA-256, and the counts
the workspace must reproduce (distinct hashes, readable vs damaged). A ``samples.csv`` is
written beside the folder (``<folder>-samples.csv``, so it is not itself ingested) mapping
each sample's file patterns to its sample (formula, dopant, geometry, sintering) and cells
(blocking Au|Au, symmetric Li|Li, full with an active mass), in the layout of
:mod:`ssblab.workspace.samples` (see :data:`SAMPLE_COLUMNS`).

Run as a script to write a folder: ``python benchmarks/workspace_data.py OUT --n 1000``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.cycling.synthetic_symmetric import symmetric_trace
from ssblab.impedance.circuits import parse_circuit

CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
FREQUENCIES_HZ = np.logspace(6.5, -1, 30)
TEMPERATURES_C = (25, 40, 55, 70, 85)
K_B_EV = 8.617333262e-5
DAMAGED_FRACTION = 0.01
COPY_FRACTION = 0.005

#: columns of the samples CSV, as :mod:`ssblab.workspace.samples` reads them: one row per
#: file pattern (first match wins), quantities with units
SAMPLE_COLUMNS = (
    "file_glob",
    "sample",
    "formula",
    "dopant",
    "thickness",
    "diameter",
    "relative_density",
    "sintering",
    "cell",
    "cell_kind",
    "electrodes",
    "active_mass",
    "temperature",
)

_MATERIALS = (
    ("Li7La3Zr2O12", ""),
    ("Li6.4La3Zr1.4Ta0.6O12", "Ta"),
    ("Li1.3Al0.3Ti1.7(PO4)3", "Al"),
)


@dataclass
class Entry:
    """One generated file: ``kind`` is eis / symmetric / full / damaged / copy."""

    name: str
    kind: str
    sha256: str
    sample: str = ""
    cell: str = ""
    temperature_c: float | None = None


@dataclass
class Manifest:
    folder: Path
    entries: list[Entry] = field(default_factory=list)
    samples_csv: Path | None = None

    @property
    def distinct_hashes(self) -> int:
        """Measurements a complete, duplicate-free ingest must hold."""
        return len({e.sha256 for e in self.entries})

    @property
    def damaged(self) -> int:
        """Distinct files that cannot be read (failed measurements)."""
        return len({e.sha256 for e in self.entries if e.kind == "damaged"})

    @property
    def readable(self) -> int:
        return self.distinct_hashes - self.damaged

    def counts(self) -> dict[str, int]:
        kinds = Counter(e.kind for e in self.entries)
        return {
            "files": len(self.entries),
            "distinct": self.distinct_hashes,
            "readable": self.readable,
            "damaged": self.damaged,
            **{f"kind_{k}": v for k, v in sorted(kinds.items())},
        }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _eis_bytes(rng: np.random.Generator, temperature_c: float, sample_index: int) -> bytes:
    circuit = parse_circuit(CIRCUIT)
    t_k = temperature_c + 273.15
    # bulk and grain-boundary resistances on Arrhenius laws (E_a 0.35 and 0.45 eV), per sample;
    # the bulk arc (~ 50 MHz at 25 degC) lies beyond the 3 MHz window, as in most oxide pellets
    # at room temperature and above: the spectra start at R_bulk and show the grain boundary
    scale = 1.0 + 0.1 * (sample_index % 7)
    r_bulk = scale * 300.0 * np.exp(0.35 / K_B_EV * (1 / t_k - 1 / 298.15))
    r_gb = scale * 900.0 * np.exp(0.45 / K_B_EV * (1 / t_k - 1 / 298.15))
    params = [
        5.0,  # R0: leads
        r_bulk,
        1e-11,
        0.95,  # p(R1, CPE1): bulk, ~pF-scale capacitance
        r_gb,
        5e-9,
        0.85,  # p(R2, CPE2): grain boundary
        2e-6,
        0.8,  # CPE3: blocking electrodes
    ]
    z = circuit.impedance(FREQUENCIES_HZ, np.asarray(params))
    noise = 1 + 0.003 * rng.standard_normal((2, z.size))
    out = io.StringIO()
    out.write("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm,Temperature/°C\n")
    columns = (FREQUENCIES_HZ, z.real * noise[0], -z.imag * noise[1])
    for f, re_z, minus_im in zip(*columns, strict=True):
        out.write(f"{f:.6e},{re_z:.6e},{minus_im:.6e},{temperature_c:.2f}\n")
    return out.getvalue().encode()


def _cycling_csv(table, preamble: dict[str, str]) -> bytes:
    out = io.StringIO()
    for key, value in preamble.items():
        out.write(f"{key}: {value}\n")
    out.write("time (s),voltage (V),current (mA)\n")
    for t, v, i in zip(table["time_s"], table["voltage_V"], table["current_A"] * 1e3, strict=True):
        out.write(f"{t:.3f},{v:.6f},{i:.6f}\n")
    return out.getvalue().encode()


def _symmetric_bytes(rng: np.random.Generator, seed: int) -> bytes:
    table = symmetric_trace(
        current_density_A_m2=float(rng.choice([1.0, 2.0, 5.0])),
        area_m2=1e-4,
        step_h=0.5,
        cycles=4,
        asr_ohm_m2=float(rng.uniform(0.005, 0.05)),
        asr_drift_ohm_m2_per_h=float(rng.uniform(0, 1e-3)),
        noise_V=1e-4,
        sample_s=240.0,
        seed=seed,
    )
    return _cycling_csv(table, {"cell type": "symmetric Li|SSE|Li", "area": "1 cm2"})


def _full_bytes(rng: np.random.Generator, seed: int) -> bytes:
    cycles = 5
    q0 = float(rng.uniform(140, 170))
    fade = float(rng.uniform(0.001, 0.01))
    capacity = q0 * (1 - fade) ** np.arange(cycles)
    table = fullcell_trace(
        capacity,
        nominal_capacity=160.0,
        active_mass_g=0.005,
        c_rate=0.5,
        points_per_step=8,
        noise_V=5e-4,
        seed=seed,
    )
    return _cycling_csv(
        table, {"active mass": "5 mg", "nominal capacity": "160 mAh/g", "cell type": "full"}
    )


def _damaged_bytes(rng: np.random.Generator, variant: int) -> tuple[str, bytes]:
    """A file no reader accepts (``variant`` picks the damage); returns (suffix, bytes).

    Variant 3, the empty file, is written once per folder (all empty files share a SHA-256).
    """
    token = rng.integers(0, 2**63).item()
    match variant if variant == 3 else (0, 1, 2, 4)[variant % 4]:
        case 0:  # a binary EC-Lab file cut off after a few bytes
            return ".mpr", b"BIO-LOGIC MODULAR FILE\x1a" + rng.bytes(64)
        case 1:  # an image among the data
            return ".png", b"\x89PNG\r\n\x1a\n" + rng.bytes(200)
        case 2:  # a note
            return ".txt", f"measured by hand, see lab book p.{token}\n".encode()
        case 3:  # an empty export
            return ".csv", b""
        case _:  # a header with words where numbers should be
            body = "freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n" + "n/a,overload,error\n" * 5
            return ".csv", f"# run {token}\n{body}".encode()


def _sample_rows(sample_index: int) -> list[dict[str, object]]:
    """The samples.csv rows of one sample: its blocking, symmetric and full cells' files."""
    sample = f"S{sample_index:04d}"
    formula, dopant = _MATERIALS[sample_index % len(_MATERIALS)]
    common = {
        "sample": sample,
        "formula": formula,
        "dopant": dopant,
        "thickness": f"{1.0 + 0.05 * (sample_index % 5):.2f} mm",
        "diameter": "10 mm",
        "relative_density": "0.95",
        "sintering": f"{1100 + 25 * (sample_index % 5)} degC 6 h",
    }
    return [
        # EIS: the temperature comes from the file's own column
        {**common, "file_glob": f"{sample}/eis_*", "cell": f"{sample}/blocking",
         "cell_kind": "blocking", "electrodes": "Au|Au"},
        {**common, "file_glob": f"{sample}/sym_*", "cell": f"{sample}/symmetric",
         "cell_kind": "symmetric", "electrodes": "Li|Li", "temperature": "25 degC"},
        {**common, "file_glob": f"{sample}/full_*", "cell": f"{sample}/full",
         "cell_kind": "full", "electrodes": "Li|NMC", "active_mass": "5 mg",
         "temperature": "25 degC"},
    ]  # fmt: skip


def generate(
    folder: str | Path,
    n: int,
    seed: int = 0,
    *,
    samples_csv: str | Path | None = None,
    damaged_fraction: float = DAMAGED_FRACTION,
    copy_fraction: float = COPY_FRACTION,
) -> Manifest:
    """Write ``n`` files into ``folder`` (created; must be empty) and return their manifest.

    Files of sample ``S0007`` are ``S0007/eis_<i>_<T>C.csv``, ``S0007/sym_<i>.csv`` and
    ``S0007/full_<i>.csv`` (a copy keeps its original's pattern: ``… copy.csv``, so it belongs
    to the same sample whichever of the two is ingested first); damaged files are under
    ``unsorted/`` and match no samples row. ``samples_csv`` defaults to
    ``<folder>-samples.csv`` beside the folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    rng = np.random.default_rng(seed)
    manifest = Manifest(folder)
    n_damaged = max(1, round(n * damaged_fraction)) if n >= 20 else 0
    n_copies = max(1, round(n * copy_fraction)) if n >= 20 else 0
    n_data = n - n_damaged - n_copies
    n_samples = max(1, n_data // 20)
    for i in range(n_data):
        sample_index = i % n_samples
        sample = f"S{sample_index:04d}"
        file_seed = seed * 1_000_003 + i
        kind_roll = rng.random()
        if kind_roll < 0.46:
            temperature = TEMPERATURES_C[(i // n_samples) % len(TEMPERATURES_C)]
            name = f"{sample}/eis_{i:06d}_{temperature}C.csv"
            data = _eis_bytes(rng, temperature, sample_index)
            entry = Entry(name, "eis", _sha256(data), sample, f"{sample}/blocking", temperature)
        elif kind_roll < 0.76:
            name = f"{sample}/sym_{i:06d}.csv"
            data = _symmetric_bytes(rng, file_seed)
            entry = Entry(name, "symmetric", _sha256(data), sample, f"{sample}/symmetric", 25.0)
        else:
            name = f"{sample}/full_{i:06d}.csv"
            data = _full_bytes(rng, file_seed)
            entry = Entry(name, "full", _sha256(data), sample, f"{sample}/full", 25.0)
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        manifest.entries.append(entry)
    for j in range(n_damaged):
        suffix, data = _damaged_bytes(rng, j)
        name = f"unsorted/damaged_{j:05d}{suffix}"
        (folder / "unsorted").mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
        manifest.entries.append(Entry(name, "damaged", _sha256(data)))
    readable = [e for e in manifest.entries if e.kind != "damaged"]
    copied: set[str] = set()
    for _ in range(n_copies):
        original = readable[int(rng.integers(len(readable)))]
        if original.name in copied:
            continue
        copied.add(original.name)
        name = original.name.removesuffix(".csv") + " copy.csv"
        (folder / name).write_bytes((folder / original.name).read_bytes())
        manifest.entries.append(
            Entry(name, "copy", original.sha256, original.sample, original.cell)
        )
    samples_path = (
        Path(samples_csv) if samples_csv else folder.with_name(f"{folder.name}-samples.csv")
    )
    with samples_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SAMPLE_COLUMNS)
        writer.writeheader()
        for sample_index in range(n_samples):
            writer.writerows(_sample_rows(sample_index))
    manifest.samples_csv = samples_path
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    manifest = generate(args.folder, args.n, args.seed)
    elapsed = time.perf_counter() - start
    counts = ", ".join(f"{k} {v}" for k, v in manifest.counts().items())
    print(f"wrote {args.folder} in {elapsed:.1f} s: {counts}; samples: {manifest.samples_csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
