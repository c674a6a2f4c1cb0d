"""Reproduce the seed papers' cell results with ssblab's models (``ssblab replicate SEED``).

Each module ``seedNNN`` has ``replicate(progress=None) -> Replication``: rows of paper value vs
ssblab value, each marked fitted or predicted (:mod:`ssblab.replicate.rows`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ssblab.errors import SsblabInputError
from ssblab.replicate.rows import Replication

SEEDS = {
    "000": "Li | LLZTO | Li, bare vs Al2O3-annealed (filament short vs electron-blocking GBs)",
    "001": "LLZO review: simulated GB in the brick layer vs Table 2, Ga vs Al, printed formulas",
    "002": "LLTO film: GB arc vs EIS window, E_a consistency; NCM532 thin-film cells: rate, "
    "retention, which interface, current bookkeeping",
    "003": "Li | garnet review: CCD vs temperature, ASR vs stack pressure, wetting",
    "004": "Li | ALD-Al2O3 | LATP: overpotential vs ALD cycles (U-shape)",
}


def seed_key(seed: str) -> str:
    """'4', '004', 'seed004' -> '004'; anything else raises naming the seed."""
    text = str(seed).strip().lower().removeprefix("seed").strip()
    if text.isdigit() and f"{int(text):03d}" in SEEDS:
        return f"{int(text):03d}"
    raise SsblabInputError(f"seed {seed!r} has no replication: use one of {', '.join(SEEDS)}")


def replicate(
    seed: str, progress: Callable[[str], None] | None = None, n_lhs: int | None = None
) -> Replication:
    """The replication table of ``seed``. ``n_lhs`` sets the Latin-hypercube points of the
    sensitivity bands where a seed's model is costly enough to make it a choice (seed 000);
    ``None`` is the policy's 64."""
    key = seed_key(seed)
    module = importlib.import_module(f"ssblab.replicate.seed{key}")
    if key == "000":
        return module.replicate(progress=progress, n_lhs=n_lhs)
    return module.replicate(progress=progress)
