"""Seed 001 (review: LLZO toward commercialization): its transport and composition statements.

Seed 001 reports no cell experiment ssblab simulates; its rows check what the review states
about conductivity and compositions against ssblab's closed forms, its own Table 2 and the
composition engine. Every paper value is read from the knowledge base
(``knowledge/data/seed001.yaml``) by record id or by the query ``ssblab kb search`` runs
(:func:`ssblab.knowledge.query.search`), never re-typed. Row groups (``ROW_BUILDERS``, in order;
a new group is one more builder appended to the list):

1. **Simulated grain boundary → total σ** (§3.3, ref. [143]; ``s001-s3-gb-sim-sigma``
   0.03 mS/cm at 300 K, ``s001-s3-gb-sim-width`` ≈ 2 nm, ``s001-s3-gb-sim-ratio`` σ_bulk/σ_GB
   ≈ 100, inferred from "nearly two orders of magnitude"). The brick-layer model
   (:func:`ssblab.micro.effective_medium.brick_layer_sigma`, exact-cube shell form) gives the
   total σ of dense LLZO with that GB for grains of 1, 2, 5 and 10 µm (a chosen grid: seed 001
   ties no grain size to these numbers), compared with the range of *measured* room-temperature
   totals in Table 2. Predicted; sensitivity to δ = 1–3 nm and to the ratio 10^1.5–10^2.
2. **Table 2 vs the text** (§3.2.2, ref. [107]: Ga-doped LLZO "often >10⁻³ S cm⁻¹, and can
   approach up to 2 × 10⁻³", Al-doped "barely reaches 5 × 10⁻⁴"; ``s001-s3-ga-typical-sigma``,
   ``s001-s3-ga-max-sigma``, ``s001-s3-al-max-sigma``) checked against the Table 2 records of
   each dopant: count, median, maximum.
3. **Charge neutrality** of the compositions printed in the text that the knowledge base flags
   as not charge-neutral (Li6.8Al0.2La3Zr2O11.8F0.2, §3.2.2 ref. [135];
   Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12, §3.2.2 ref. [124]): the net charge the composition
   engine (:func:`ssblab.composition.analyse`) computes. A computed check, not a fit.

Row kinds: ``rows.KINDS`` knows "fitted" and "predicted" only; no parameter is tuned on any
seed-001 number here, so every row is "predicted" and its note says what kind of check it is.
Unit of σ in the rows: S/cm (as printed); computed in S/m.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ssblab.composition import analyse
from ssblab.knowledge import default_knowledge_base
from ssblab.knowledge.schema import Record
from ssblab.knowledge.store import value_in_si
from ssblab.micro import effective_medium as em
from ssblab.replicate.rows import Replication, Row, compare, leave_one_out

SEED = "001"
TITLE = (
    "Wang et al.: Li7La3Zr2O12 solid electrolytes toward commercialization "
    "(review, Small 2024): GB transport, Table 2 and printed compositions"
)
SOURCE_FILE = "001_50a2201e95c2ed08.txt"

#: Grain sizes of the brick-layer rows, m: a chosen grid over the µm range of sintered LLZO
#: (seed 001 prints grain sizes for powders and routes, none tied to the simulated GB of [143]).
GRAIN_SIZES_M = (1e-6, 2e-6, 5e-6, 10e-6)
#: GB thickness span of the sensitivity note, m: ± 1 nm around the "≈ 2 nm" of
#: s001-s3-gb-sim-width (its half-width record s001-s3-gb-sim-halfwidth says > 1 nm each side is
#: unaffected, i.e. ≤ 2 nm in all; 3 nm is a deliberately generous upper end).
GB_THICKNESS_SPAN_M = (1e-9, 3e-9)
#: σ_bulk/σ_GB span of the sensitivity note: "nearly two orders of magnitude" read as 10^1.5–10^2.
RATIO_SPAN = (10**1.5, 100.0)
#: Ionic-conductivity threshold of the "often > 1e-3 S/cm" statement is read from its record;
#: "often" is taken as: at least half of the Table 2 rows of that dopant.
OFTEN_FRACTION = 0.5

_S_M_TO_S_CM = 0.01


@dataclass
class RowBlock:
    """The rows (and notes) one builder contributes."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fitted: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def _records() -> dict[str, Record]:
    return {r.id: r for r in default_knowledge_base().records if r.source.file == SOURCE_FILE}


def _si(record_id: str) -> float:
    record = _records()[record_id]
    return value_in_si(record, record.value)


def table2_conductivities():
    """Table 2 RT ionic conductivities (experimental rows) as ``ssblab kb search`` finds them:
    a DataFrame with ``id``, ``dopant_element``, ``value_si`` (S/m), ``relative_density``."""
    from ssblab.knowledge import dataframe
    from ssblab.knowledge.query import Filter, search

    table = search(dataframe(), Filter(source=SEED, property="ionic_conductivity"))
    table = table[table["source_section"] == "Table 2"]
    experimental = table["conditions"].map(lambda c: c.get("method") == "experiment")
    return table[experimental]


# --------------------------------------------------------------------------------------------
# 1. simulated GB -> total conductivity (brick layer)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulatedGB:
    """Inputs of the brick-layer rows, SI, with the records they come from."""

    sigma_gb_s_per_m: float  # s001-s3-gb-sim-sigma
    thickness_m: float  # s001-s3-gb-sim-width
    ratio: float  # s001-s3-gb-sim-ratio (σ_bulk/σ_GB)

    @property
    def sigma_bulk_s_per_m(self) -> float:
        return self.ratio * self.sigma_gb_s_per_m


def simulated_gb() -> SimulatedGB:
    return SimulatedGB(
        sigma_gb_s_per_m=_si("s001-s3-gb-sim-sigma"),
        thickness_m=_si("s001-s3-gb-sim-width"),
        ratio=_si("s001-s3-gb-sim-ratio"),
    )


def total_sigma_s_per_m(
    grain_size_m, *, gb: SimulatedGB, thickness_m=None, ratio=None, parallel_paths=True
):
    """Brick-layer total σ (S/m) of dense LLZO with the simulated GB of ref. [143]."""
    delta = gb.thickness_m if thickness_m is None else thickness_m
    bulk = gb.sigma_bulk_s_per_m if ratio is None else ratio * gb.sigma_gb_s_per_m
    return em.brick_layer_sigma(
        bulk, gb.sigma_gb_s_per_m, grain_size_m, delta, parallel_paths=parallel_paths
    )


def grain_size_for_total_m(target_s_per_m: float, gb: SimulatedGB) -> float | None:
    """Grain size d (m) at which the series BLM gives ``target``:
    d = δ/(σ_GB·(1/σ_t − 1/σ_b)); None when the target is not below the bulk."""
    bulk = gb.sigma_bulk_s_per_m
    if not target_s_per_m < bulk:
        return None
    return gb.thickness_m / (gb.sigma_gb_s_per_m * (1.0 / target_s_per_m - 1.0 / bulk))


def _brick_layer_rows(progress) -> RowBlock:
    progress("seed 001: simulated GB -> total conductivity (brick layer)")
    gb = simulated_gb()
    table = table2_conductivities()
    lo, hi = float(table["value_si"].min()), float(table["value_si"].max())
    named = {rid: _si(rid) for rid in _NAMED_TABLE2}
    block = RowBlock()
    for d in GRAIN_SIZES_M:
        total = total_sigma_s_per_m(d, gb=gb)
        series = total_sigma_s_per_m(d, gb=gb, parallel_paths=False)
        by_delta = [total_sigma_s_per_m(d, gb=gb, thickness_m=x) for x in GB_THICKNESS_SPAN_M]
        by_ratio = [total_sigma_s_per_m(d, gb=gb, ratio=x) for x in RATIO_SPAN]
        gb_share = 1.0 - total / gb.sigma_bulk_s_per_m
        inside = lo <= total <= hi
        block.rows.append(
            Row(
                quantity=(
                    f"σ_total of dense LLZO with the simulated GB, d = {d * 1e6:g} µm "
                    f"(brick layer, δ = {gb.thickness_m * 1e9:g} nm, σ_bulk = "
                    f"{gb.ratio:g}·σ_GB)"
                ),
                paper=f"{lo * _S_M_TO_S_CM:.3g}–{hi * _S_M_TO_S_CM:.3g}",
                ssblab=total * _S_M_TO_S_CM,
                unit="S/cm",
                basis="predicted",
                status="agrees" if inside else "differs",
                note=(
                    f"paper: range of the {len(table)} experimental RT totals of Table 2 "
                    f"(e.g. Ga {named['s001-t2-r01-ga-sigma'] * _S_M_TO_S_CM:.3g}, Al "
                    f"{named['s001-t2-r02-al-sigma'] * _S_M_TO_S_CM:.3g}, Ta "
                    f"{named['s001-t2-r03-ta-sigma'] * _S_M_TO_S_CM:.3g} S/cm, all SSR); "
                    f"{'inside' if inside else ('above' if total > hi else 'below')} it. "
                    f"Inputs: σ_GB s001-s3-gb-sim-sigma, δ s001-s3-gb-sim-width, σ_bulk = "
                    f"{gb.ratio:g}·σ_GB = {gb.sigma_bulk_s_per_m * _S_M_TO_S_CM:.3g} S/cm "
                    "(s001-s3-gb-sim-ratio); exact-cube shell form (series form "
                    f"{series * _S_M_TO_S_CM:.4g}); GBs carry {gb_share:.1%} of the "
                    "resistance. Sensitivity: δ = 1 nm, 3 nm → "
                    f"{by_delta[0] * _S_M_TO_S_CM:.3g}, {by_delta[1] * _S_M_TO_S_CM:.3g}; "
                    f"σ_bulk/σ_GB = 10^1.5, 10^2 → {by_ratio[0] * _S_M_TO_S_CM:.3g}, "
                    f"{by_ratio[1] * _S_M_TO_S_CM:.3g} S/cm"
                ),
            )
        )
    ga = named["s001-t2-r01-ga-sigma"]
    d_ga = grain_size_for_total_m(ga, gb)
    consistent = [
        f"{d * 1e6:g} µm" for d in GRAIN_SIZES_M if lo <= total_sigma_s_per_m(d, gb=gb) <= hi
    ]
    largest_share = 1.0 - total_sigma_s_per_m(min(GRAIN_SIZES_M), gb=gb) / gb.sigma_bulk_s_per_m
    block.notes.append(
        "simulated GB (ref. [143]) in the brick layer: grain sizes consistent with the measured "
        f"Table 2 range: {', '.join(consistent) if consistent else 'none of 1, 2, 5, 10 µm'}. "
        f"With σ_bulk = {gb.ratio:g}·σ_GB the bulk alone is "
        f"{gb.sigma_bulk_s_per_m * _S_M_TO_S_CM:.3g} S/cm, above every measured total, and "
        f"the GBs remove at most {largest_share:.0%} of it (at {min(GRAIN_SIZES_M) * 1e6:g} µm); "
        "the series BLM reaches the best SSR "
        f"Ga row ({ga * _S_M_TO_S_CM:.3g} S/cm) only for d = "
        + (f"{d_ga * 1e9:.0f} nm" if d_ga else "— (not below the bulk)")
        + ". The consistency therefore hinges on the bulk, not on the grain size: with "
        "'nearly two orders' read as 10^1.5 every grain size lands inside the range"
    )
    return block


_NAMED_TABLE2 = ("s001-t2-r01-ga-sigma", "s001-t2-r02-al-sigma", "s001-t2-r03-ta-sigma")


# --------------------------------------------------------------------------------------------
# 2. Table 2 vs the text's statements
# --------------------------------------------------------------------------------------------


def dopant_summary(table) -> dict[str, dict]:
    """Per dopant element: rows, median and max σ (S/m) of the Table 2 experimental rows."""
    out = {}
    for element, group in table.groupby("dopant_element", sort=True):
        values = group["value_si"].to_numpy(dtype=float)
        out[str(element)] = {
            "rows": len(values),
            "median_s_per_m": float(np.median(values)),
            "max_s_per_m": float(values.max()),
            "max_id": str(group.loc[group["value_si"].idxmax(), "id"]),
        }
    return out


def _table2_rows(progress) -> RowBlock:
    progress("seed 001: Table 2 vs the text (Ga vs Al)")
    table = table2_conductivities()
    summary = dopant_summary(table)
    ga_values = table.loc[table["dopant_element"] == "Ga", "value_si"].to_numpy(dtype=float)
    ga, al = summary["Ga"], summary["Al"]
    typical_id, max_id, al_id = (
        "s001-s3-ga-typical-sigma",
        "s001-s3-ga-max-sigma",
        "s001-s3-al-max-sigma",
    )
    threshold = _si(typical_id)
    above = int(np.sum(ga_values > threshold))
    often = above >= OFTEN_FRACTION * len(ga_values)
    ga_max, ga_quote = _si(max_id), _records()[max_id].value_text
    al_max = _si(al_id)
    block = RowBlock()
    block.rows.extend(
        [
            Row(
                quantity="Ga-doped LLZO: RT σ 'often > 1e-3 S/cm' (Table 2 Ga rows)",
                paper=f"often > {threshold * _S_M_TO_S_CM:g}",
                ssblab=(
                    f"{above} of {len(ga_values)} rows > {threshold * _S_M_TO_S_CM:g} "
                    f"(median {ga['median_s_per_m'] * _S_M_TO_S_CM:.3g})"
                ),
                unit="S/cm",
                basis="computed",
                status="reproduced" if often else "not reproduced",
                note=(
                    f"{typical_id} (§3.2.2, ref. [107]) against the experimental Ga rows of "
                    f"Table 2 (tri-doped Ga/Ba/Ta row excluded); 'often' read as at least "
                    f"{OFTEN_FRACTION:.0%} of the rows. Computed check on the KB, no parameter"
                ),
            ),
            Row(
                quantity="Ga-doped LLZO: RT σ 'can approach up to 2e-3 S/cm' (Table 2 maximum)",
                paper=ga_max * _S_M_TO_S_CM,
                ssblab=ga["max_s_per_m"] * _S_M_TO_S_CM,
                unit="S/cm",
                basis="computed",
                status=compare(ga_max, ga["max_s_per_m"], "<="),
                note=(
                    f"{max_id} ('{ga_quote}'); highest Table 2 Ga row {ga['max_id']} is "
                    f"{1 - ga['max_s_per_m'] / ga_max:.0%} below it: the table does not reach "
                    "the 2e-3 the text cites from ref. [107], but nothing exceeds it"
                ),
            ),
            Row(
                quantity="Al-doped LLZO: RT σ 'barely reaches 5e-4 S/cm' (Table 2 maximum)",
                paper=f"<= {al_max * _S_M_TO_S_CM:g}",
                ssblab=al["max_s_per_m"] * _S_M_TO_S_CM,
                unit="S/cm",
                basis="computed",
                status=compare(al_max, al["max_s_per_m"], "<="),
                note=(
                    f"{al_id}; Table 2 has {al['rows']} experimental Al rows, the highest "
                    f"({al['max_id']}, sol-gel) is {al['max_s_per_m'] / al_max - 1:+.0%} "
                    f"against 5e-4; median {al['median_s_per_m'] * _S_M_TO_S_CM:.3g} S/cm. "
                    "Tolerance 0 (the text's bound)"
                ),
            ),
            Row(
                quantity="Ga-doped above Al-doped LLZO (medians of the Table 2 rows)",
                paper="Ga > Al ('Compared with Al-doped LLZO ...')",
                ssblab=(
                    f"Ga {ga['median_s_per_m'] * _S_M_TO_S_CM:.3g} vs Al "
                    f"{al['median_s_per_m'] * _S_M_TO_S_CM:.3g} "
                    f"({ga['median_s_per_m'] / al['median_s_per_m']:.1f}x)"
                ),
                unit="S/cm",
                basis="computed",
                status=(
                    "reproduced"
                    if ga["median_s_per_m"] > al["median_s_per_m"]
                    else "not reproduced"
                ),
                note=f"{typical_id}/{al_id} (same sentence, ref. [107]) against Table 2",
            ),
        ]
    )
    listing = "; ".join(
        f"{el} {s['rows']} (median {s['median_s_per_m'] * _S_M_TO_S_CM:.3g}, max "
        f"{s['max_s_per_m'] * _S_M_TO_S_CM:.3g})"
        for el, s in summary.items()
    )
    block.notes.append(
        f"Table 2 experimental RT σ rows per dopant (S/cm): {listing}. The ref. [91] row is "
        "read both as Ta and as Nb (s001-t2-r20-alt-nb-sigma), so it counts under both"
    )
    return block


# --------------------------------------------------------------------------------------------
# 3. charge neutrality of printed compositions
# --------------------------------------------------------------------------------------------

#: Compositions printed in the seed-001 text that NOTES.md lists as not charge-neutral; each
#: must be a ``composition`` of a seed-001 KB record (a test checks it).
PRINTED_COMPOSITIONS = (
    "Li6.8Al0.2La3Zr2O11.8F0.2",
    "Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12",
)
#: A neutral reading of each, computed below (not printed in seed 001 in this form, except
#: Li6.2Al0.2La3Zr2O11.8F0.2, which the text gives for ref. [136]).
NEUTRAL_READINGS = {
    "Li6.8Al0.2La3Zr2O11.8F0.2": "Li6.2Al0.2La3Zr2O11.8F0.2",
    "Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12": "Li6.6La3Zr0.4Hf0.4Sn0.4Sc0.2Ta0.6O12",
}


def _charge(value: float) -> float:
    """Net charge rounded to 1e-10 e (subscripts like 11.8 carry binary noise), no −0."""
    return round(value, 10) + 0.0


def _flagged_records(formula: str) -> list[Record]:
    return [
        r
        for r in _records().values()
        if r.composition == formula and any("not charge-neutral" in f for f in r.flags)
    ]


def garnet_compositions() -> list[str]:
    """Distinct garnet compositions of the seed-001 KB records."""
    return sorted(
        {r.composition for r in _records().values() if r.composition and r.family == "garnet"}
    )


def _charge_rows(progress) -> RowBlock:
    progress("seed 001: charge neutrality of printed compositions")
    block = RowBlock()
    for formula in PRINTED_COMPOSITIONS:
        report = analyse(formula)
        charge = _charge(report.charge_balance)
        flagged = _flagged_records(formula)
        states = ", ".join(f"{el}{s:+d}" for el, s in report.oxidation_states.items())
        fixed = analyse(NEUTRAL_READINGS[formula])
        block.rows.append(
            Row(
                quantity=f"Net charge of {formula} as printed (composition engine)",
                paper=0.0,
                ssblab=charge,
                unit="e/fu",
                basis="computed",
                status="agrees" if report.neutral else "differs",
                note=(
                    "computed check, no parameter: a printed compound implies 0 e per formula "
                    f"unit; the engine ({states}) finds {charge:+.3g}; "
                    + (
                        f"the KB flags it as well ({', '.join(r.id for r in flagged)})"
                        if flagged
                        else "the KB does not flag it"
                    )
                    + f"; {NEUTRAL_READINGS[formula]} gives {_charge(fixed.charge_balance):+.3g}"
                ),
            )
        )
    non_neutral = []
    for formula in garnet_compositions():
        report = analyse(formula)
        if not report.neutral:
            non_neutral.append(f"{formula} ({_charge(report.charge_balance):+.3g})")
    block.notes.append(
        f"composition engine over the {len(garnet_compositions())} distinct garnet formulas of "
        f"the seed-001 KB records: not neutral: {'; '.join(non_neutral) or 'none'}"
    )
    return block


#: The row groups, in table order. Each takes ``progress`` and returns a :class:`RowBlock`.
def _density_rows(progress) -> RowBlock:
    """σ vs relative density from the polycrystal simulator (:mod:`.seed001_density`)."""
    from ssblab.replicate.seed001_density import density_rows

    return density_rows(progress)


#: Interlayer CCDs of seed 001 §4.3.1: record id -> (label, temperature K, how T is known).
INTERLAYER_CCDS = {
    "s001-s4-lso-ccd": ("LixSiOy (LSO) interlayer", 303.15, "printed: 30 °C"),
    "s001-s4-in2o3-sno2-ccd": (
        "In2O3/SnO2-derived Li13In3/LiInSn interlayer",
        298.15,
        "not printed: 25 °C assumed",
    ),
}


def _interlayer_rows(progress) -> RowBlock:
    """Seed 001's interlayer CCDs against the Li-metal void-onset CCD (ssblab.models.voids, s
    fitted on seed 003's 30 °C point): the diffusion part of j* scales as √D at a fixed step
    time, so an interlayer that carries Li laterally with an effective diffusivity D_eff would
    raise it by √(D_eff/D_Li). ssblab has no cited interlayer diffusivity, so the rows report
    the D_eff/D_Li each CCD would need: not explained."""
    from ssblab.models.voids import stripping_ccd

    progress("seed 001: interlayer CCDs against the Li void-onset limit")
    block = RowBlock()
    for record_id, (label, temperature_k, how) in INTERLAYER_CCDS.items():
        paper = _si(record_id)  # A/m²
        li = stripping_ccd(1e6, temperature_k, contact_fraction=1.0, step_time_s=1800.0)
        needed = (paper / li.ccd_A_m2) ** 2
        block.rows.append(
            Row(
                quantity=f"CCD with a {label}: explained by Li-metal void physics?",
                paper=paper / 10.0,
                ssblab=li.ccd_A_m2 / 10.0,
                unit="mA/cm²",
                basis="predicted",
                status="not reproduced",
                note=(
                    f"{record_id} ({how}); ssblab's value is Li metal on a wetted garnet (f = 1, "
                    "1 MPa, 0.5-h steps, s fitted on seed 003's 30 °C CCD): the interlayer "
                    f"would need an effective lateral Li diffusivity {needed:.3g}× Li's "
                    "(j* ∝ √D) — no seed or cited source gives the interlayer's, so the CCD is "
                    "not explained"
                ),
            )
        )
    return block


ROW_BUILDERS: list[Callable[[Callable[[str], None]], RowBlock]] = [
    _brick_layer_rows,
    _table2_rows,
    _charge_rows,
    _density_rows,
    _interlayer_rows,
]


#: Why a predicted row of this seed has no assumed numeric parameter (its band is its value).
NO_ASSUMED = {
    "σ_total of dense LLZO": (
        "every input printed by seed 001 (σ_GB 0.03 mS/cm, δ ≈ 2 nm, σ_bulk ≈ 100·σ_GB, "
        "d from the 1–10 µm range it names)"
    ),
    "σ(98 %)/σ(85 %) from porosity alone": (
        "pores as insulating Voronoi cells at the printed densities; the grain size drops "
        "out (σ is scale-free); the structural choice (pore = whole cell) is the assumption, "
        "not a number"
    ),
    "CCD with a ": (
        "the Li-metal value is the fitted void model at the record's temperature (at 30 °C the "
        "seed-003 calibration point itself); the row's content is the diffusivity ratio an "
        "interlayer would need. The In2O3/SnO2 record prints no temperature: 30 °C instead of "
        "the assumed 25 °C gives 5.8e4× instead of 1.1e5×, still not explained"
    ),
    "σ at 98 % density": (
        "grain and GB phases cited (seed 000 §3, seed 001 §3.3); full necks at 98 % is a "
        "structural assumption (the neck-fraction row fits the 85 % one)"
    ),
}


def _with_trivial_band(row: Row) -> Row:
    """A predicted row whose model has no assumed numeric parameter: a degenerate band and the
    reason (:data:`NO_ASSUMED`)."""
    from dataclasses import replace

    from ssblab.replicate.sensitivity import sensitivity_band

    reason = next((why for key, why in NO_ASSUMED.items() if row.quantity.startswith(key)), None)
    if row.basis != "predicted" or row.band is not None or reason is None:
        return row
    value = row.ssblab if isinstance(row.ssblab, (int, float)) else float("nan")
    band = sensitivity_band(lambda _o: value, (), lambda _v: row.status)
    return replace(row, band=band, note=f"{row.note}. No assumed numeric parameter: {reason}")


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """All seed-001 rows (``ROW_BUILDERS`` in order)."""
    say = progress or (lambda _message: None)
    rows: list[Row] = []
    notes: list[str] = []
    fitted: list[dict] = []
    for build in ROW_BUILDERS:
        block = build(say)
        rows.extend(_with_trivial_band(row) for row in block.rows)
        notes.extend(block.notes)
        fitted.extend(block.fitted)
    return Replication(
        seed=SEED,
        title=TITLE,
        rows=tuple(rows),
        fitted_parameters=tuple(fitted),
        notes=tuple(notes),
        leave_one_out=tuple(
            leave_one_out(item["name"], [(item["fitted_on"], item["value"])], lambda *_: 0.0)
            for item in fitted
        ),
    )


__all__ = [
    "GRAIN_SIZES_M",
    "PRINTED_COMPOSITIONS",
    "ROW_BUILDERS",
    "RowBlock",
    "SimulatedGB",
    "dopant_summary",
    "grain_size_for_total_m",
    "replicate",
    "simulated_gb",
    "table2_conductivities",
    "total_sigma_s_per_m",
]
