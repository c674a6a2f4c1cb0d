"""Queries over the knowledge-base table: filters, statistics, summaries. Pure functions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ssblab.errors import SsblabInputError, UnitError
from ssblab.knowledge.schema import FAMILIES, PROPERTIES, SEED_FILES
from ssblab.units import Q_, parse_quantity, parse_unit

_TEXT_COLUMNS = ("material", "composition", "strategy", "cell", "note", "flags", "source_section")


@dataclass(frozen=True)
class Filter:
    """Search criteria; every given criterion must hold (case-insensitive substrings for text)."""

    material: str | None = None
    family: str | None = None
    property: str | None = None
    strategy: str | None = None
    source: str | None = None
    flag: str | None = None
    text: str | None = None
    min_value: str | None = None
    max_value: str | None = None


def resolve_source(source: str) -> str:
    """'001', 's001', 'seed 001' or the file name → the seed file name."""
    key = source.strip().lower().removeprefix("seed").strip().removeprefix("s").strip()
    for name in SEED_FILES:
        if name == source or name.startswith(key.zfill(3) + "_"):
            return name
    raise SsblabInputError(f"unknown source {source!r}; use 000–004 or a seed file name")


def _contains(series: pd.Series, needle: str) -> pd.Series:
    return series.fillna("").astype(str).str.contains(needle, case=False, regex=False)


def _bound_si(text: str, prop: str | None, name: str) -> tuple[float, object]:
    try:
        quantity = parse_quantity(text)
    except UnitError as exc:
        raise SsblabInputError(f"{name}: {exc}") from None
    if prop is not None:
        si_unit = PROPERTIES[prop][0]
        if quantity.dimensionality != parse_unit(si_unit).dimensionality:
            raise SsblabInputError(f"{name}: {text!r} is not a unit of {prop} ({si_unit})")
        return float(quantity.to(parse_unit(si_unit)).magnitude), quantity.dimensionality
    return float(quantity.to_base_units().magnitude), quantity.dimensionality


def search(table: pd.DataFrame, criteria: Filter) -> pd.DataFrame:
    """Rows of ``table`` (see :func:`ssblab.knowledge.dataframe`) matching ``criteria``.

    A value range (``min_value``/``max_value``, with units) keeps only records of properties of
    the same dimension and compares in SI; a range with no unit dimension match is an error.
    """
    if (criteria.min_value is not None or criteria.max_value is not None) and not criteria.property:
        # without a property, "--min 1e-4 S/cm" would compare records of unrelated quantities
        # that happen to share a dimension
        raise SsblabInputError("--min/--max need --property (the property the bound applies to)")
    if criteria.family and criteria.family.lower() not in FAMILIES:
        raise SsblabInputError(
            f"unknown family {criteria.family!r}; use one of {', '.join(FAMILIES)}"
        )
    mask = pd.Series(True, index=table.index)
    if criteria.property:
        if criteria.property not in PROPERTIES:
            raise SsblabInputError(
                f"unknown property {criteria.property!r}; see 'ssblab kb stats' for the list"
            )
        mask &= table["property"] == criteria.property
    if criteria.family:
        mask &= table["family"].str.lower() == criteria.family.lower()
    if criteria.material:
        mask &= _contains(table["material"], criteria.material) | _contains(
            table["composition"], criteria.material
        )
    if criteria.strategy:
        mask &= _contains(table["strategy"], criteria.strategy)
    if criteria.source:
        mask &= table["source_file"] == resolve_source(criteria.source)
    if criteria.flag:
        mask &= _contains(table["flags"], criteria.flag)
    if criteria.text:
        hit = pd.Series(False, index=table.index)
        for column in _TEXT_COLUMNS:
            hit |= _contains(table[column], criteria.text)
        mask &= hit
    for text, name, keep in (
        (criteria.min_value, "--min", lambda v, b: v >= b),
        (criteria.max_value, "--max", lambda v, b: v <= b),
    ):
        if text is None:
            continue
        bound, dimensionality = _bound_si(text, criteria.property, name)
        same_dim = table["unit_si"].map(
            lambda unit, dim=dimensionality: parse_unit(unit).dimensionality == dim
        )
        mask &= same_dim & keep(table["value_si"], bound)
    return table[mask]


def stats(table: pd.DataFrame) -> dict:
    """Counts by source, property, family and flag kind (stable keys for ``--json``)."""
    flag_kinds: Counter[str] = Counter()
    for kinds in table["flag_kinds"]:
        flag_kinds.update(str(kinds).split(","))
    return {
        "records": len(table),
        "by_source": {
            k: int(v) for k, v in table["source_file"].value_counts().sort_index().items()
        },
        "by_property": {k: int(v) for k, v in table["property"].value_counts().items()},
        "by_family": {k: int(v) for k, v in table["family"].value_counts().items()},
        "flags": dict(sorted(flag_kinds.items())),
    }


def display_value(row: pd.Series) -> tuple[float, float | None, str]:
    """The record's value (and upper bound) in the property's display unit."""
    _, display_unit = PROPERTIES[row["property"]]
    unit = parse_unit(display_unit)
    si = parse_unit(row["unit_si"])
    low = float(Q_(row["value_si"], si).to(unit).magnitude)
    high = row["value_max_si"]
    high = None if high is None or pd.isna(high) else float(Q_(high, si).to(unit).magnitude)
    return low, high, display_unit


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per source and property: record count and min / median / max in the display unit."""
    rows = []
    for (source, prop), group in table.groupby(["source_file", "property"], sort=True):
        values = np.array([display_value(row)[0] for _, row in group.iterrows()])
        rows.append(
            {
                "source_file": source,
                "property": prop,
                "records": len(group),
                "unit": PROPERTIES[prop][1],
                "min": float(values.min()),
                "median": float(np.median(values)),
                "max": float(values.max()),
                "inconsistent_flags": int(_contains(group["flags"], "inconsistent").sum()),
            }
        )
    return pd.DataFrame(rows)
