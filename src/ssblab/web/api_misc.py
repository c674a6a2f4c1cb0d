"""The simulator, the seed-paper replications and the knowledge base, for the pages
``/simulate``, ``/replicate`` and ``/kb``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ssblab.errors import SsblabError, SsblabInputError
from ssblab.web import models
from ssblab.web.analyses import clean
from ssblab.web.api_measurements import ERRORS, state_of

router = APIRouter(prefix="/api", tags=["simulate, replicate, knowledge base"])
MAX_STEPS = 100  # a page's simulation stays interactive (≈ 1 s)
#: replications waiting or running at once; they run one at a time (a replication with
#: sensitivity points uses every core), so more would only queue work nobody waits for
MAX_QUEUED = 4


def simulate(state, req: models.SimulateRequest) -> dict:
    """``ssblab simulate symmetric`` for one constant current density: the trace (decimated),
    and the analysis of the simulated trace as a measured one would be analysed."""
    from ssblab.cycling.figures import decimate
    from ssblab.cycling.symmetric import analyse_symmetric
    from ssblab.models.parameter_schema import available_sets, parameter_set
    from ssblab.models.simulator import constant_current_protocol, simulate_symmetric
    from ssblab.units import to_si

    if req.parameter_set not in available_sets():
        raise SsblabInputError(
            f"--set {req.parameter_set!r}: use one of {', '.join(available_sets())}"
        )
    _, params = parameter_set(req.parameter_set)
    j = to_si(req.current_density, "A/m^2", "--current-density")
    if not 0 < j <= 1e3:
        raise SsblabInputError(f"--current-density must be in (0, 100] mA/cm^2, got {j / 10} ")
    step_s = to_si(req.step, "s", "--step")
    sample_s = to_si(req.sample, "s", "--sample")
    if not (1 <= step_s <= 86_400 and 1 <= sample_s <= step_s):
        raise SsblabInputError("--step must lie in [1 s, 24 h] and --sample in [1 s, --step]")
    protocol = constant_current_protocol(j, req.cycles, step_time_s=step_s)
    if len(protocol) > MAX_STEPS:
        raise SsblabInputError(f"{len(protocol)} steps: at most {MAX_STEPS} on this page")
    result = simulate_symmetric(params, protocol, sample_s=sample_s)
    analysis = analyse_symmetric(result.data, params.area)
    table = result.data.table
    t, v = decimate(
        table["time_s"].to_numpy(dtype=float) / 3600, table["voltage_V"].to_numpy(dtype=float)
    )
    payload = {
        "parameter_set": req.parameter_set,
        "trace": {"time_h": t.tolist(), "voltage_V": v.tolist()},
        "simulation": result.to_dict(),
        "analysis": analysis.to_dict(),
    }
    if req.compare_with is not None:
        record = state.get(req.compare_with).need("cycling")
        measured = record.cycling.table
        t, v = decimate(
            measured["time_s"].to_numpy(dtype=float) / 3600,
            measured["voltage_V"].to_numpy(dtype=float),
        )
        payload["measured"] = {"name": record.name, "time_h": t.tolist(), "voltage_V": v.tolist()}
    return clean(payload)


@router.post("/simulate", response_model=models.SimulateResult, responses=ERRORS)
def simulate_route(request: Request, body: models.SimulateRequest | None = None):
    """A small ``ssblab simulate symmetric`` (≤ 100 steps)."""
    return simulate(state_of(request), body or models.SimulateRequest())


def _replicate(state, key: str, lhs: int) -> None:
    from ssblab.replicate import replicate

    try:
        payload = {"status": "done", "seed": key, **replicate(key, n_lhs=lhs).to_dict()}
    except SsblabError as exc:
        payload = {"status": "done", "seed": key, "error": " ".join(str(exc).split())}
    with state.replicate_lock:
        state.replicate_cache[(key, lhs)] = clean(payload)
        state.replicate_running.discard((key, lhs))


@router.get(
    "/replicate/{seed}",
    response_model=models.ReplicateResult,
    responses={**ERRORS, 202: {"model": models.ReplicateResult}, 429: {"model": models.Error}},
)
def replicate_route(
    request: Request,
    seed: str,
    lhs: int = Query(0, ge=0, le=256, description="seed 000's sensitivity points (0: none)"),
):
    """``ssblab replicate SEED --json``. A seed takes seconds to minutes: the first request
    queues it (one replication runs at a time) and answers 202; ask again for the tables.
    With ``MAX_QUEUED`` already waiting, a new one is refused with 429."""
    from ssblab.replicate import seed_key

    key = seed_key(seed)
    state = state_of(request)
    done = state.replicate_cache.get((key, lhs))
    if done is not None:
        return done
    with state.replicate_lock:
        if (key, lhs) not in state.replicate_running:
            if len(state.replicate_running) >= MAX_QUEUED:
                return JSONResponse(
                    {"detail": f"{len(state.replicate_running)} replications are queued: "
                     "ask again when one has finished"}, status_code=429,
                )  # fmt: skip
            state.replicate_running.add((key, lhs))
            state.replicator().submit(_replicate, state, key, lhs)
    return JSONResponse({"status": "running", "seed": key}, status_code=202)


def kb_search(q: str, limit: int) -> dict:
    from ssblab.cli.kb_cmd import _records_json, _table
    from ssblab.knowledge.query import Filter, search

    rows = search(_table(), Filter(text=q or None))
    shown = rows if limit <= 0 else rows.head(limit)
    return clean({"count": len(rows), "records": _records_json(shown)})


@router.get("/kb/search", response_model=models.KbResult, responses=ERRORS)
def kb_route(
    q: str = Query("", max_length=200, description="free text"),
    limit: int = Query(50, ge=0, le=1000),
):
    """``ssblab kb search Q --json --limit N``."""
    return kb_search(q, limit)
