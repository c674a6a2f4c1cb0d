"""Mutation fuzzing of every reader on every bundled file (issue 9 §6).

Each example and test file is damaged in every way :mod:`ssblab.io.mutations` knows (two
mutants per kind; the real instrument files in ``../shared/real-data`` one per kind) and read
back: only a typed ssblab error or a result may come out — no other exception, no hang, no
cut-off row read as a number, nothing written to stderr. ``benchmarks/fuzz_readers.py`` runs
10,000 mutants and prints the counts.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from ssblab.io.mutations import MUTATIONS, judge, mutants, rows_of

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from fuzz_readers import REAL, corpus, parser_for  # noqa: E402

BUNDLED = [(kind, path) for kind, path in corpus(include_real=False)]
REAL_FILES = [(k, p) for k, p in corpus(include_real=True) if REAL in p.parents]


def _run(kind: str, path: Path, per_kind: int) -> list[str]:
    found = parser_for(kind, path)
    if found is None:
        pytest.skip(f"{path.name}: not readable as {kind} data (e.g. an unsupported format)")
    _, data, original, parse = found
    original_rows = rows_of(original)
    defects = []
    seed = sum(path.name.encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a library warning would reach the user's stderr
        for mutation, mutant in mutants(data, per_kind * len(MUTATIONS), seed):
            outcome = judge(parse, mutant, mutation, original_rows)
            if outcome.defect:
                defects.append(f"[{mutation}] {outcome.kind}: {outcome.detail}")
    return defects


@pytest.mark.parametrize(("kind", "path"), BUNDLED, ids=[p.name for _, p in BUNDLED])
def test_bundled_files_survive_mutation(kind, path):
    defects = _run(kind, path, per_kind=2)
    assert not defects, f"{path}:\n" + "\n".join(defects)


@pytest.mark.parametrize(
    ("kind", "path"),
    REAL_FILES
    or [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/real-data is absent"))],
    ids=[p.name for _, p in REAL_FILES] or ["real-data"],
)
def test_real_files_survive_mutation(kind, path):
    defects = _run(kind, path, per_kind=1)
    assert not defects, f"{path}:\n" + "\n".join(defects)
