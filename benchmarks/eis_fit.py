"""Circuit fitting on solid-electrolyte spectra: ssblab vs impedance.py vs pyimpspec.

Corpus (seeded): 81 points from 10 MHz to 0.1 Hz, 0.3 % proportional complex noise, three
families — pellet ``R0-p(R1,CPE1)-p(R2,CPE2)-CPE3``, symmetric cell
``R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)``, thin film ``R0-p(R1,CPE1)-CPE2`` — with arc
resistances 10–1e5 Ω, arc peak frequencies between 10 Hz and 2 MHz separated by ≥ 1.5
decades, α in [0.6, 1], R0 10–1000 Ω, blocking-tail Q 1e-7–1e-5.

Success for one spectrum: modulus-weighted χ² at most 5 % above the χ² of an ssblab fit started
at the true parameters. ssblab runs with ``initial="auto"``; the peers run as a user would, from
one generic initial guess per family. All in one run on the same spectra.

    python benchmarks/eis_fit.py [--n 100] [--peer-n 10] [--json out/benchmarks/eis_fit.json]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import fit

FREQ = np.logspace(7, -1, 81)
FAMILIES = {
    "pellet": ("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", 2, True),
    "symmetric": ("R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)", 3, False),
    "film": ("R0-p(R1,CPE1)-CPE2", 1, True),
}
GENERIC_GUESS = {  # what a user types once per family
    "pellet": [10, 1e3, 1e-9, 0.9, 1e4, 1e-7, 0.8, 1e-6, 0.9],
    "symmetric": [10, 1e3, 1e-9, 0.9, 1e4, 1e-7, 0.8, 1e4, 1e-5, 0.8],
    "film": [10, 1e4, 1e-9, 0.9, 1e-6, 0.9],
}
PYIMPSPEC_CDC = {
    "pellet": "R{{R={}}}(R{{R={}}}Q{{Y={},n={}}})(R{{R={}}}Q{{Y={},n={}}})Q{{Y={},n={}}}",
    "symmetric": "R{{R={}}}" + "(R{{R={}}}Q{{Y={},n={}}})" * 3,
    "film": "R{{R={}}}(R{{R={}}}Q{{Y={},n={}}})Q{{Y={},n={}}}",
}


def corpus(n_per_family: int, seed: int):
    rng = np.random.default_rng(seed)
    spectra = []
    for family, (text, n_arcs, tail) in FAMILIES.items():
        circuit = Circuit(text)
        for _ in range(n_per_family):
            while True:
                peaks = np.sort(rng.uniform(1, np.log10(2e6), n_arcs))
                if np.all(np.diff(peaks) >= 1.5):
                    break
            params = [10 ** rng.uniform(1, 3)]
            for log_f in peaks[::-1]:
                r, alpha = 10 ** rng.uniform(1, 5), rng.uniform(0.6, 1.0)
                params += [r, (1 / (2 * np.pi * 10**log_f)) ** alpha / r, alpha]
            if tail:
                params += [10 ** rng.uniform(-7, -5), rng.uniform(0.6, 1.0)]
            truth = np.array(params)
            z = circuit.impedance(FREQ, truth)
            z = z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
            spectra.append((family, text, truth, z))
    return spectra


def chi2_modulus(z_model, z):
    return float(np.sum(np.abs(z_model - z) ** 2 / np.abs(z) ** 2))


def run_ssblab(text, z):
    return chi2_modulus(fit(text, FREQ, z).predict(FREQ), z)


def run_impedance_py(family, text, z):
    from impedance.models.circuits import CustomCircuit

    model = CustomCircuit(text, initial_guess=list(GENERIC_GUESS[family]))
    try:
        model.fit(FREQ, z)
    except Exception:  # a user sees a failed fit
        return np.inf
    return chi2_modulus(model.predict(FREQ), z)


def run_pyimpspec(family, z):
    import pyimpspec

    circuit = pyimpspec.parse_cdc(PYIMPSPEC_CDC[family].format(*GENERIC_GUESS[family]))
    try:
        result = pyimpspec.fit_circuit(circuit, pyimpspec.DataSet(FREQ, z))
    except Exception:
        return np.inf
    return chi2_modulus(result.circuit.get_impedances(FREQ), z)


def measure(name, spectra, references, runner):
    times, ok = [], []
    for (family, text, _truth, z), reference in zip(spectra, references, strict=True):
        start = time.perf_counter()
        chi2 = runner(family, text, z)
        times.append(time.perf_counter() - start)
        ok.append(chi2 <= 1.05 * reference)
    by_family = {
        fam: float(np.mean([o for o, s in zip(ok, spectra, strict=True) if s[0] == fam]))
        for fam in FAMILIES
        if any(s[0] == fam for s in spectra)
    }
    return {
        "tool": name,
        "spectra": len(spectra),
        "success_rate": float(np.mean(ok)),
        "success_by_family": by_family,
        "ms_per_spectrum": 1e3 * float(np.mean(times)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="spectra per family for ssblab")
    parser.add_argument("--peer-n", type=int, default=10, help="spectra per family for peers")
    parser.add_argument(
        "--pyimpspec-n",
        type=int,
        default=5,
        help="spectra per family for pyimpspec (about 20 s each)",
    )
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    spectra = corpus(args.n, args.seed)
    references = [fit(text, FREQ, z, initial=truth).chi2 for _, text, truth, z in spectra]
    rows = [measure("ssblab (auto)", spectra, references, lambda fam, text, z: run_ssblab(text, z))]
    subset = [i for i, s in enumerate(spectra) if i % args.n < args.peer_n]
    peer_spectra = [spectra[i] for i in subset]
    peer_refs = [references[i] for i in subset]
    rows.append(
        measure(
            "ssblab (auto), peer subset",
            peer_spectra,
            peer_refs,
            lambda fam, text, z: run_ssblab(text, z),
        )
    )
    if not args.skip_peers:
        slow = [i for i, s in enumerate(peer_spectra) if i % args.peer_n < args.pyimpspec_n]
        for name, runner, chosen in (
            (
                "impedance.py",
                lambda fam, text, z: run_impedance_py(fam, text, z),
                range(len(peer_spectra)),
            ),
            ("pyimpspec", lambda fam, text, z: run_pyimpspec(fam, z), slow),
        ):
            try:
                rows.append(
                    measure(
                        name,
                        [peer_spectra[i] for i in chosen],
                        [peer_refs[i] for i in chosen],
                        runner,
                    )
                )
            except ImportError:
                print(f"{name} is not installed: pip install -e '.[bench]'")
    ours = rows[1]["ms_per_spectrum"]
    print(f"\n{'tool':<28}{'spectra':>8}{'success %':>11}{'ms/spectrum':>13}{'ratio':>9}")
    for row in rows:
        ratio = row["ms_per_spectrum"] / ours
        row["time_ratio_vs_ssblab"] = ratio
        print(f"{row['tool']:<28}{row['spectra']:>8}{100 * row['success_rate']:>10.1f}%"
              f"{row['ms_per_spectrum']:>13.1f}{ratio:>8.1f}x")  # fmt: skip
        print(f"{'':<28}by family: " + ", ".join(
            f"{k} {100 * v:.0f}%" for k, v in row["success_by_family"].items()))  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"seed": args.seed, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
