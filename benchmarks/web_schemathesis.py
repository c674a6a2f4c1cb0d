"""Schemathesis against the web app's OpenAPI schema on a real server: every operation, counted.

For each operation of ``/openapi.json`` Hypothesis draws ``--examples`` requests from the schema
(positive: valid by the schema; negative: violating it), and — for operations with a
measurement id in the path — as many again on real measurements (an impedance and a cycling
file uploaded first), so the analyses run on random parameters rather than 404 at the id. Each
response goes through schemathesis's ``not_a_server_error`` check; the run never stops at a
failure, it counts them. The report: requests and status classes per operation, and every
server error with a reproducing ``curl`` command. ``tests/web/test_schemathesis.py`` runs the
same function with a few examples per operation and asserts 0 server errors.

Usage::

    python benchmarks/web_schemathesis.py                 # 100 examples/operation/mode
    python benchmarks/web_schemathesis.py --examples 300 --json

Measured (2 cores, shared): ``--examples 30``: 17 operations, 1,573 requests in 31.7 s, 0 server
errors, 0 transport errors (2xx on the real measurements for fit, drt, kk, exports, simulate and
kb; the analyses with quantity strings mostly 4xx on random text). ``--examples 8
--replicate``: 18 operations, 477 requests, 0 server errors — but with ``--examples 40
--replicate`` the server had 139 threads and 61 child processes after a few minutes (load
average 44 on 2 cores): every new ``(seed, lhs)`` starts a background replication with no
bound on how many run at once, and ``lhs`` ≥ 4 forks a process pool from the threaded server.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_server import start_server

ROOT = Path(__file__).resolve().parents[1]
EIS_EXAMPLE = ROOT / "examples" / "eis" / "zplot_measured.z"
CYCLING_EXAMPLE = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"


@dataclass
class FuzzReport:
    """Requests per operation and status class; the server errors with a reproducer each."""

    requests: dict[str, Counter] = field(default_factory=dict)
    server_errors: list[dict] = field(default_factory=list)
    transport_errors: list[dict] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)  # operation (mode) with no case
    seconds: float = 0.0
    op_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.requests.values())

    def to_dict(self) -> dict:
        return {
            "operations": len(self.requests),
            "requests": self.total,
            "server_errors": len(self.server_errors),
            "transport_errors": len(self.transport_errors),
            "seconds": round(self.seconds, 1),
            "unsatisfiable": self.unsatisfiable,
            "per_operation": {op: dict(sorted(c.items())) for op, c in self.requests.items()},
            "seconds_per_operation": {op: round(t, 2) for op, t in self.op_seconds.items()},
            "server_error_cases": self.server_errors,
            "transport_error_cases": self.transport_errors,
        }


def upload_examples(base_url: str, headers: dict | None = None) -> list[str]:
    """Upload one impedance and one cycling example; their measurement ids."""
    import httpx

    files = [("files", (p.name, p.read_bytes())) for p in (EIS_EXAMPLE, CYCLING_EXAMPLE)]
    with httpx.Client(base_url=base_url, timeout=120, headers=headers) as client:
        response = client.post("/api/upload", files=files)
        response.raise_for_status()
        listing = client.get("/api/measurements").json()
    items = listing if isinstance(listing, list) else listing.get("measurements", [])
    return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]


def fuzz(
    base_url: str,
    *,
    examples: int = 20,
    modes: tuple[str, ...] = ("positive", "negative"),
    measurement_ids: list[str] = (),
    headers: dict | None = None,
    seed: int = 0,
    operation_filter=None,
) -> FuzzReport:
    """Run ``examples`` schema-driven requests per operation and mode; never stop at a failure."""
    import schemathesis
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_url(base_url + "/openapi.json", headers=headers or {})
    report = FuzzReport()
    start = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation_filter is not None and not operation_filter(operation):
            continue
        counts = report.requests.setdefault(operation.label, Counter())
        op_start = time.perf_counter()
        id_params = [p.name for p in operation.path_parameters]
        variants: list[dict | None] = [None]
        if id_params and measurement_ids:
            variants += [{name: mid for name in id_params} for mid in measurement_ids]
        for mode in modes:
            for path_parameters in variants:
                strategy = operation.as_strategy(
                    GenerationMode(mode), path_parameters=path_parameters
                )
                _exercise(
                    strategy, operation.label, counts, report, base_url, headers,
                    examples=examples, seed=seed, mode=mode,
                )  # fmt: skip
        report.op_seconds[operation.label] = time.perf_counter() - op_start
    report.seconds = time.perf_counter() - start
    return report


def _exercise(strategy, label, counts, report, base_url, headers, *, examples, seed, mode) -> None:
    """Draw ``examples`` cases from ``strategy``; call, count and check each (never raise)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import not_a_server_error

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def run(case):
        try:
            response = case.call(base_url=base_url, headers=headers, timeout=120)
        except Exception as exc:  # connection reset, timeout: counted, not raised
            counts["transport error"] += 1
            report.transport_errors.append({"operation": label, "error": repr(exc)[:300]})
            return
        counts[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, BaseExceptionGroup) as exc:
            report.server_errors.append(_describe(case, response, exc))

    try:
        run()
    except Unsatisfiable:  # e.g. no way to violate the schema of an operation without inputs
        report.unsatisfiable.append(f"{label} [{mode}]")


def _describe(case, response, exc) -> dict:
    try:
        curl = case.as_curl_command()
    except Exception:
        curl = None
    return {
        "operation": case.operation.label,
        "status": response.status_code,
        "curl": curl,
        "body": response.text[:500],
        "check": str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="per operation and mode")
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--replicate",
        action="store_true",
        help="also fuzz GET /api/replicate/{seed} (each new (seed, lhs) starts a background "
        "replication: minutes of CPU, forked pools; off by default)",
    )
    args = parser.parse_args(argv)
    keep = None if args.replicate else (lambda op: not op.path.startswith("/api/replicate"))

    server = None
    tmp = tempfile.TemporaryDirectory(prefix="ssblab-web-fuzz-")
    try:
        if args.url:
            base_url = args.url.rstrip("/")
        else:
            server = start_server(Path(tmp.name), max_upload_bytes=2**20)
            base_url = server.url
        ids = upload_examples(base_url)
        report = fuzz(
            base_url,
            examples=args.examples,
            measurement_ids=ids,
            seed=args.seed,
            operation_filter=keep,
        )
    finally:
        if server is not None:
            server.stop()
        tmp.cleanup()
    out = report.to_dict()
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(
            f"{out['operations']} operations, {out['requests']} requests in {out['seconds']} s: "
            f"{out['server_errors']} server errors, {out['transport_errors']} transport errors"
        )
        for op, counts in out["per_operation"].items():
            seconds = out["seconds_per_operation"].get(op, 0.0)
            print(
                f"  {op:58s} {seconds:6.1f} s  " + "  ".join(f"{k} {v}" for k, v in counts.items())
            )
        for err in report.server_errors:
            print(f"SERVER ERROR {err['status']} {err['operation']}: {err['curl']}")
            print(f"  {err['body'][:300]}")
    return 1 if report.server_errors or report.transport_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
