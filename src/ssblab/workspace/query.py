"""``ws.query(what)``: the catalogue as pandas tables (SI units; newest analysis per subject).

================  ============================================================================
``measurements``  one row per stored file: path, SHA-256, format, kind, status and error,
                  sample, cell, temperature, number of reader notes
``analyses``      one row per analysis: kind, subject, status, error, inputs, version, time
``conductivity``  one row per spectrum of each sample's newest conductivity analyses: σ bulk,
                  σ total (± errors), σ gb, ASR, the sample's processing, its E_a and
                  σ(25 °C) from the newest Arrhenius fit — beside the knowledge base's records
                  of the same family (and dopant): ``kb_family_sigma_median_S_m`` /
                  ``kb_family_sigma_n`` (ionic conductivity at 15–40 °C or unstated),
                  ``kb_dopant_sigma_median_S_m`` / ``kb_dopant_sigma_n`` (same family and
                  dopant element), ``kb_family_ea_median_eV`` / ``kb_family_ea_n``
``arrhenius``     one row per sample: E_a ± err, σ at the extrapolation temperature, R²,
                  points, and the knowledge base's E_a median for the family
``ccd``           one row per symmetric cell: CCD (or the highest J survived), mode,
                  short-circuit time, initial ASR and drift, with the sample's treatment
                  (coating, ALD cycles, anneal), stack pressure and temperature; the KB's
                  median CCD for the family
``retention``     one row per full cell: retention, reference and last cycle, nominal
                  capacity, fade-model end of life
================  ============================================================================
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ssblab.errors import SsblabInputError

if TYPE_CHECKING:
    import pandas as pd

    from ssblab.workspace.store import Workspace

WHAT = ("conductivity", "arrhenius", "ccd", "retention", "measurements", "analyses")
EV = 1.602176634e-19
ROOM_K = (288.15, 313.15)


def _latest(session, kind: str) -> list:
    """The newest analysis of ``kind`` per subject (status ok)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Analysis

    rows = session.scalars(
        select(Analysis)
        .where(Analysis.kind == kind, Analysis.status == "ok")
        .options(selectinload(Analysis.inputs))
        .order_by(Analysis.created_at, Analysis.id)
    ).all()
    newest = {row.subject: row for row in rows}
    return list(newest.values())


def _samples(session) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Sample

    rows = session.scalars(select(Sample).options(selectinload(Sample.material))).all()
    return {row.id: row for row in rows}


def _sample_columns(sample) -> dict:
    if sample is None:
        return {"sample": None, "formula": None, "family": None, "dopant": None}
    material = sample.material
    return {
        "sample": sample.name,
        "formula": material.formula if material else None,
        "family": material.family if material else None,
        "dopant": sample.dopant,
        "relative_density": sample.relative_density,
        "sintering": sample.sintering,
        "coating": sample.coating,
        "ald_cycles": sample.ald_cycles,
        "anneal": sample.anneal,
    }


class _KB:
    """Knowledge-base medians by family (and dopant element), loaded once per query."""

    def __init__(self) -> None:
        from ssblab.knowledge import default_knowledge_base

        self.table = default_knowledge_base().to_dataframe()

    def _values(self, prop: str, family: str | None, dopant: str | None = None, room=False):
        t = self.table
        if family is None:
            return t.iloc[0:0]["value_si"]
        rows = t[(t["property"] == prop) & (t["family"] == family)]
        if dopant is not None:
            rows = rows[rows["dopant_element"] == dopant]
        if room:
            temperature = rows["temperature_K"]
            rows = rows[
                temperature.isna() | ((temperature >= ROOM_K[0]) & (temperature <= ROOM_K[1]))
            ]
        return rows["value_si"].astype(float)

    def summary(self, prefix, prop, family, dopant=None, room=False, scale=1.0, unit=""):
        """``{prefix}_median{unit}`` and ``{prefix}_n`` of ``prop`` for the family."""
        values = self._values(prop, family, dopant, room)
        median = float(values.median()) * scale if len(values) else None
        return {f"{prefix}_median{unit}": median, f"{prefix}_n": len(values)}


def _kb_columns(kb: _KB, family, dopant) -> dict:
    out = {}
    for prefix, prop, dop, room, scale, unit in (
        ("kb_family_sigma", "ionic_conductivity", None, True, 1.0, "_S_m"),
        ("kb_dopant_sigma", "ionic_conductivity", dopant, True, 1.0, "_S_m"),
        ("kb_family_ea", "activation_energy", None, False, 1 / EV, "_eV"),
    ):
        if prefix == "kb_dopant_sigma" and dopant is None:
            out.update({f"{prefix}_median{unit}": None, f"{prefix}_n": 0})
            continue
        out.update(kb.summary(prefix, prop, family, dop, room, scale, unit))
    return out


def _measurements(session) -> list[dict]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Measurement

    rows = session.scalars(
        select(Measurement)
        .options(selectinload(Measurement.sample), selectinload(Measurement.cell))
        .order_by(Measurement.id)
    ).all()
    return [
        {
            "id": m.id,
            "file": os.path.basename(m.path),
            "path": m.path,
            "sha256": m.sha256,
            "size_bytes": m.size_bytes,
            "format": m.format,
            "kind": m.kind,
            "status": m.status,
            "error": m.error,
            "sample": m.sample.name if m.sample else None,
            "cell": m.cell.name if m.cell else None,
            "cell_kind": m.cell.kind if m.cell else None,
            "temperature_K": m.temperature_K,
            "reader_notes": len(m.notes or []),
            "reader_version": m.reader_version,
            "array": m.array_path,
            "ingested_at": m.ingested_at,
        }
        for m in rows
    ]


def _analyses(session) -> list[dict]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Analysis

    rows = session.scalars(
        select(Analysis).options(selectinload(Analysis.inputs)).order_by(Analysis.id)
    ).all()
    return [
        {
            "id": a.id,
            "kind": a.kind,
            "subject": a.subject,
            "status": a.status,
            "error": a.error,
            "measurements": ",".join(str(m.id) for m in a.inputs),
            "warnings": len(a.warnings or []),
            "version": a.version,
            "inputs_hash": a.inputs_hash,
            "created_at": a.created_at,
        }
        for a in rows
    ]


def _arrhenius_by_sample(session) -> dict[int, dict]:
    return {int(a.subject.split(":")[1]): a.results for a in _latest(session, "arrhenius")}


def _conductivity(session) -> list[dict]:
    samples, kb = _samples(session), _KB()
    fits = _arrhenius_by_sample(session)
    out = []
    for a in _latest(session, "conductivity"):
        m = a.inputs[0] if a.inputs else None
        sample = samples.get(m.sample_id) if m else None
        columns = _sample_columns(sample)
        fit = fits.get(sample.id) if sample else None
        for item in a.results["spectra"]:
            if "error" in item:
                continue
            out.append(
                {
                    **columns,
                    "measurement": m.id if m else None,
                    "file": os.path.basename(m.path) if m else None,
                    "spectrum": item["spectrum"],
                    "temperature_K": m.temperature_K if m else None,
                    "circuit": item["circuit"],
                    "sigma_bulk_S_m": item["sigma_bulk_S_m"],
                    "sigma_bulk_err_S_m": item["sigma_bulk_err_S_m"],
                    "sigma_total_S_m": item["sigma_total_S_m"],
                    "sigma_total_err_S_m": item["sigma_total_err_S_m"],
                    "sigma_gb_specific_S_m": item["sigma_gb_specific_S_m"],
                    "asr_per_interface_ohm_m2": item["asr_per_interface_ohm_m2"],
                    "thickness_m": item["thickness_m"],
                    "area_m2": item["area_m2"],
                    "activation_energy_eV": fit["activation_energy_eV"] if fit else None,
                    "activation_energy_err_eV": fit["activation_energy_err_eV"] if fit else None,
                    "sigma_25C_S_m": fit["sigma_extrapolated_S_m"] if fit else None,
                    **_kb_columns(kb, columns["family"], columns["dopant"]),
                    "analysis": a.id,
                }
            )
    return sorted(out, key=lambda r: (r["sample"] or "", r["temperature_K"] or 0, r["file"] or ""))


def _arrhenius(session) -> list[dict]:
    samples, kb = _samples(session), _KB()
    out = []
    for a in _latest(session, "arrhenius"):
        sample = samples.get(int(a.subject.split(":")[1]))
        columns = _sample_columns(sample)
        r = a.results
        out.append(
            {
                **columns,
                "quantity": r["quantity"],
                "model": r["model"],
                "n_points": r["n_points"],
                "activation_energy_eV": r["activation_energy_eV"],
                "activation_energy_err_eV": r["activation_energy_err_eV"],
                "r_squared": r["r_squared"],
                "extrapolation_temperature_K": r["extrapolation_temperature_K"],
                "sigma_extrapolated_S_m": r["sigma_extrapolated_S_m"],
                **kb.summary(
                    "kb_family_ea", "activation_energy", columns["family"], scale=1 / EV, unit="_eV"
                ),
                "analysis": a.id,
            }
        )
    return out


def _cell_columns(m, samples) -> dict:
    cell = m.cell if m else None
    sample = samples.get(m.sample_id) if m and m.sample_id else None
    return {
        **_sample_columns(sample),
        "cell": cell.name if cell else None,
        "stack_pressure_Pa": cell.stack_pressure_Pa if cell else None,
        "temperature_K": m.temperature_K if m else None,
        "measurement": m.id if m else None,
        "file": os.path.basename(m.path) if m else None,
    }


def _ccd(session) -> list[dict]:
    samples, kb = _samples(session), _KB()
    out = []
    for a in _latest(session, "symmetric"):
        m = a.inputs[0] if a.inputs else None
        if m is not None:
            session.refresh(m, ["cell"])
        r = a.results
        ccd = r.get("critical_current") or {}
        columns = _cell_columns(m, samples)
        out.append(
            {
                **columns,
                "ccd_A_m2": ccd.get("ccd_A_m2"),
                "last_stable_A_m2": ccd.get("last_stable_A_m2"),
                "lower_bound_A_m2": ccd.get("lower_bound_A_m2"),
                "failure_mode": ccd.get("mode"),
                "short_circuit": r["short_circuit"],
                "lifetime_h": r["lifetime_h"],
                "asr_initial_ohm_cm2": r["asr_initial_ohm_cm2"],
                "asr_drift_ohm_cm2_per_h": r["asr_drift_ohm_cm2_per_h"],
                **kb.summary(
                    "kb_family_ccd", "critical_current_density", columns["family"], unit="_A_m2"
                ),
                "analysis": a.id,
            }
        )
    return out


def _retention(session) -> list[dict]:
    samples = _samples(session)
    out = []
    for a in _latest(session, "full"):
        m = a.inputs[0] if a.inputs else None
        if m is not None:
            session.refresh(m, ["cell"])
        r = a.results
        fade = r.get("fade_model") or {}
        out.append(
            {
                **_cell_columns(m, samples),
                "retention_percent": r["retention_percent"],
                "reference_cycle": r["reference_cycle"],
                "last_cycle": r["last_cycle"],
                "cycles": len(r["cycles"]),
                "nominal_capacity_mAh": r["nominal_capacity_mAh"],
                "fade_model": fade.get("model"),
                "eol_cycle": fade.get("eol_cycle"),
                "analysis": a.id,
            }
        )
    return out


BUILDERS = {
    "measurements": _measurements,
    "analyses": _analyses,
    "conductivity": _conductivity,
    "arrhenius": _arrhenius,
    "ccd": _ccd,
    "retention": _retention,
}


def query(workspace: Workspace, what: str) -> pd.DataFrame:
    import pandas as pd

    if what not in BUILDERS:
        raise SsblabInputError(f"query {what!r}: use {', '.join(WHAT)}")
    with workspace.sessions() as session:
        rows = BUILDERS[what](session)
    return pd.DataFrame(rows)
