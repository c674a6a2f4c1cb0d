"""Schemathesis against the web app's OpenAPI schema, on a real uvicorn: 0 server errors.

Every operation of ``/openapi.json`` gets a few schema-driven requests (positive and negative)
— and as many on real measurements for the operations with an id in the path — each checked by
schemathesis's ``not_a_server_error``. Bounded (a few examples per operation, derandomized) to
keep the test near 30 s on 2 cores; ``benchmarks/web_schemathesis.py`` runs the same function
with many more examples and prints the counts. ``GET /api/replicate/{seed}`` is left to the
benchmark: a valid seed starts a replication (seconds to minutes of CPU) in the background,
which would slow the rest of the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_schemathesis import fuzz, upload_examples  # noqa: E402
from web_server import start_server  # noqa: E402

EXAMPLES = 5  # per operation, mode and measurement (the benchmark runs many more)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    # a server of its own: the fuzzer's uploads stay out of the browser tests' session
    server = start_server(tmp_path_factory.mktemp("web-fuzz"), max_upload_bytes=2**20)
    yield server
    server.stop()


def test_no_server_errors(fuzz_server):
    ids = upload_examples(fuzz_server.url)
    assert len(ids) >= 2
    report = fuzz(
        fuzz_server.url,
        examples=EXAMPLES,
        measurement_ids=ids,
        operation_filter=lambda op: not op.path.startswith("/api/replicate"),
    )
    summary = report.to_dict()
    assert summary["operations"] >= 10, summary["per_operation"]
    assert not report.server_errors, "\n".join(
        f"{e['status']} {e['operation']}: {e['curl']}\n  {e['body'][:300]}"
        for e in report.server_errors
    )
    assert not report.transport_errors, report.transport_errors
    assert fuzz_server.alive()
