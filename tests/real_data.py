"""Where the tests find real instrument files: ``../shared/real-data`` beside the repository, else
the copies bundled in ``tests/data`` (MIT/BSD/Apache files only, see ``tests/data/NOTICE.md``);
a test whose file is in neither skips with one reason, grouped in the end-of-run summary."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "real-data"
BUNDLED = REPO / "tests" / "data"


def real_file(relative: str) -> Path:
    """``relative`` (``eis/…`` or ``cycling/…`` as in ``../shared/real-data``) as a path."""
    shared = REAL_DATA / relative
    if shared.is_file():
        return shared
    kind, _, name = relative.partition("/")
    bundled = BUNDLED / kind / Path(name).name
    if bundled.is_file():
        return bundled
    pytest.skip(f"{relative}: ../shared/real-data is absent and the file is not bundled")
