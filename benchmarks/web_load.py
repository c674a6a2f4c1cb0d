"""A bounded load test of the web app on loopback: concurrent users uploading and fitting.

A real uvicorn (one worker process, ``benchmarks/web_server.py``) serves
``ssblab.web.app:create_app`` on 127.0.0.1. ``--users`` simulated users (asyncio tasks sharing
one ``httpx.AsyncClient`` with as many connections as users) start together; each, for
``--rounds`` rounds, uploads an impedance file under a name of its own
(``POST /api/upload``) and fits it (``POST /api/measurements/{id}/fit``), and with
``--cycling`` also uploads a symmetric-cell trace and analyses it
(``POST /api/measurements/{id}/symmetric``). Every response must be a 2xx carrying the
expected result; anything else — a status, a timeout, a reset connection — is an error. The
report: requests, errors, p50/p95/p99 latency per route and overall, throughput.

Usage::

    python benchmarks/web_load.py                       # 50 users × 3 rounds
    python benchmarks/web_load.py --users 50 --rounds 5 --cycling --json

Measured (2 cores shared with other sessions' test runs, one uvicorn worker, the fits on its
thread pool, ``zplot_measured.z`` fitted with ``circuit=auto``):

* 50 users × 3 rounds: 300 requests, 0 errors in 11.1 s (26.9 requests/s); latency p50 /
  p95 / p99 = 1.21 / 3.81 / 4.69 s (upload 1.07 / 3.25 / 4.50 s, fit 2.36 / 4.10 / 4.84 s).
* 50 users × 3 rounds with ``--cycling`` (the 6,200-row demo symmetric trace uploaded and analysed
  too), load average 8.8 from other work: 600 requests, 0 errors in 38.0 s (15.8 requests/s);
  p50 / p95 / p99 = 2.28 / 13.3 / 15.5 s (symmetric p95 15.5 s: the analysis holds the GIL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_server import start_server

ROOT = Path(__file__).resolve().parents[1]
EIS_FILE = ROOT / "examples" / "eis" / "zplot_measured.z"
CYCLING_FILE = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"
FIT = {"circuit": "auto", "cell": "pellet"}
SYMMETRIC = {"diameter": "12 mm"}


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    async def call(self, client, route: str, method: str, url: str, check, **kwargs):
        start = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except Exception as exc:  # timeout, reset: an error, the user goes on
            self.latency[route].append(time.perf_counter() - start)
            self.errors.append(f"{route}: {type(exc).__name__}: {exc}"[:300])
            return None
        self.latency[route].append(time.perf_counter() - start)
        if not 200 <= response.status_code < 300:
            self.errors.append(f"{route}: {response.status_code} {response.text[:200]}")
            return None
        try:
            payload = response.json()
            check(payload)
        except Exception as exc:
            self.errors.append(f"{route}: unexpected body ({exc}): {response.text[:200]}")
            return None
        return payload


def uploaded_ids(payload) -> list[str]:
    """The measurement ids in an upload response (a list, or {"measurements": [...]})."""
    items = payload if isinstance(payload, list) else payload.get("measurements", [])
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]
    if not ids:
        raise ValueError("no measurement id")
    return ids


def has_fit(payload) -> None:
    if not payload:
        raise ValueError("empty fit result")


async def user(client, rec: Recorder, index: int, rounds: int, cycling: bool) -> None:
    eis = EIS_FILE.read_bytes()
    trace = CYCLING_FILE.read_bytes() if cycling else b""
    for r in range(rounds):
        name = f"load_u{index:03d}_r{r:02d}{EIS_FILE.suffix}"
        payload = await rec.call(
            client, "POST /api/upload", "POST", "/api/upload", uploaded_ids,
            files=[("files", (name, eis))],
        )  # fmt: skip
        if payload is not None:
            mid = uploaded_ids(payload)[0]
            await rec.call(
                client, "POST /api/measurements/{id}/fit", "POST",
                f"/api/measurements/{mid}/fit", has_fit, json=FIT,
            )  # fmt: skip
        if cycling:
            name = f"load_u{index:03d}_r{r:02d}{CYCLING_FILE.suffix}"
            payload = await rec.call(
                client, "POST /api/upload", "POST", "/api/upload", uploaded_ids,
                files=[("files", (name, trace))],
            )  # fmt: skip
            if payload is not None:
                mid = uploaded_ids(payload)[0]
                await rec.call(
                    client, "POST /api/measurements/{id}/symmetric", "POST",
                    f"/api/measurements/{mid}/symmetric", has_fit, json=SYMMETRIC,
                )  # fmt: skip


async def run_load(base_url: str, users: int, rounds: int, cycling: bool, timeout: float):
    import httpx

    rec = Recorder()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(user(client, rec, i, rounds, cycling) for i in range(users)))
        wall = time.perf_counter() - start
    return rec, wall


def summarise(rec: Recorder, wall: float, users: int, rounds: int) -> dict:
    def stats(values: list[float]) -> dict:
        a = np.asarray(values) * 1000.0
        return {
            "requests": int(a.size),
            "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1),
            "p99_ms": round(float(np.percentile(a, 99)), 1),
            "max_ms": round(float(a.max()), 1),
        }

    everything = [v for values in rec.latency.values() for v in values]
    return {
        "users": users,
        "rounds": rounds,
        "requests": len(everything),
        "errors": len(rec.errors),
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(everything) / wall, 2),
        "overall": stats(everything),
        "routes": {route: stats(values) for route, values in rec.latency.items()},
        "first_errors": rec.errors[:10],
        "load_average": [round(x, 2) for x in os.getloadavg()],  # the machine may be shared
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cycling", action="store_true", help="also upload + analyse a trace")
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--timeout", type=float, default=300.0, help="per request, seconds")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    server = None
    with tempfile.TemporaryDirectory(prefix="ssblab-web-load-") as tmp:
        try:
            if args.url:
                base_url = args.url.rstrip("/")
            else:
                server = start_server(Path(tmp))
                base_url = server.url
            rec, wall = asyncio.run(
                run_load(base_url, args.users, args.rounds, args.cycling, args.timeout)
            )
        finally:
            if server is not None:
                server.stop()
    report = summarise(rec, wall, args.users, args.rounds)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{report['users']} users × {report['rounds']} rounds: {report['requests']} requests, "
            f"{report['errors']} errors in {report['wall_s']} s "
            f"({report['throughput_rps']} requests/s); load average {report['load_average']}"
        )
        rows = [("overall", report["overall"]), *report["routes"].items()]
        print(f"  {'route':42s} {'n':>5s} {'p50 ms':>9s} {'p95 ms':>9s} {'p99 ms':>9s}")
        for route, s in rows:
            print(
                f"  {route:42s} {s['requests']:5d} {s['p50_ms']:9.1f} {s['p95_ms']:9.1f} "
                f"{s['p99_ms']:9.1f}"
            )
        for error in report["first_errors"]:
            print(f"  error: {error}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
