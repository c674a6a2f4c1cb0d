"""Loading, validating and querying the knowledge base.

Data files are YAML under ``ssblab/knowledge/data/``: a mapping with ``source_file`` (the seed
the records come from by default) and ``records`` (a list of
:class:`~ssblab.knowledge.schema.Record` mappings; a record's ``source.file`` defaults to
``source_file``). Every record is validated on
load; a failure names the data file and the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from ssblab.errors import KnowledgeDataError
from ssblab.knowledge.schema import PROPERTIES, QUANTITY_CONDITIONS, Record
from ssblab.units import Q_, parse_quantity, parse_unit

DATA_DIR = Path(__file__).parent / "data"


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def load_file(path: Path) -> list[Record]:
    """Load and validate one data file; errors name the file and the record."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeDataError(f"{path.name}: not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        raise KnowledgeDataError(f"{path.name}: expected a mapping with a 'records' list")
    default_source = document.get("source_file")
    records = []
    for index, raw in enumerate(document["records"]):
        label = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        if not isinstance(raw, dict):
            raise KnowledgeDataError(f"{path.name}: record {label}: not a mapping")
        raw = dict(raw)
        source = raw.get("source")
        if source is None:
            raise KnowledgeDataError(f"{path.name}: record {label}: missing source")
        if isinstance(source, dict) and "file" not in source and default_source:
            raw["source"] = {"file": default_source, **source}
        try:
            records.append(Record.model_validate(raw))
        except ValidationError as exc:
            raise KnowledgeDataError(f"{path.name}: record {label}: {_describe(exc)}") from None
    return records


def load_records(paths: Iterable[Path] | None = None) -> list[Record]:
    """Load every data file (default: the bundled ones); ids must be unique across files."""
    files = sorted(DATA_DIR.glob("*.yaml")) if paths is None else [Path(p) for p in paths]
    seen: dict[str, str] = {}
    records: list[Record] = []
    for path in files:
        for record in load_file(path):
            if record.id in seen:
                raise KnowledgeDataError(
                    f"{path.name}: record {record.id}: duplicate id (also in {seen[record.id]})"
                )
            seen[record.id] = path.name
            records.append(record)
    return records


def value_in_si(record: Record, value: float) -> float:
    """``value`` (in the record's unit) converted to the property's SI unit."""
    si_unit, _ = PROPERTIES[record.property]
    return float(Q_(value, parse_unit(record.unit)).to(parse_unit(si_unit)).magnitude)


def _condition_si(record: Record, key: str) -> float | None:
    text = getattr(record.conditions, key)
    if text is None:
        return None
    return float(parse_quantity(text).to(parse_unit(QUANTITY_CONDITIONS[key])).magnitude)


def _row(record: Record) -> dict:
    si_unit, display_unit = PROPERTIES[record.property]
    return {
        "id": record.id,
        "material": record.material,
        "composition": record.composition,
        "family": record.family,
        "property": record.property,
        "qualifier": record.qualifier,
        "value": record.value,
        "value_max": record.value_max,
        "unit": record.unit,
        "value_si": value_in_si(record, record.value),
        "value_max_si": None if record.value_max is None else value_in_si(record, record.value_max),
        "unit_si": si_unit,
        "display_unit": display_unit,
        "temperature_K": _condition_si(record, "temperature"),
        "relative_density": _condition_si(record, "relative_density"),
        "current_density_A_m2": _condition_si(record, "current_density"),
        "synthesis_route": record.conditions.synthesis_route,
        "dopant_element": record.dopant.element if record.dopant else None,
        "dopant_site": record.dopant.site if record.dopant else None,
        "dopant_amount_pfu": record.dopant.amount_pfu if record.dopant else None,
        "strategy": record.strategy,
        "cell": record.cell,
        "group": record.group,
        "source_file": record.source.file,
        "source_section": record.source.section,
        "source_ref": record.source.ref,
        "flags": "; ".join(record.flags),
        "flag_kinds": ",".join(sorted({flag.split(":")[0] for flag in record.flags})),
        "note": record.note,
        "conditions": record.conditions.model_dump(exclude_none=True, exclude_defaults=True),
    }


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated records and a tidy table of them (values in SI, originals kept)."""

    records: tuple[Record, ...]

    @classmethod
    def load(cls, paths: Iterable[Path] | None = None) -> KnowledgeBase:
        return cls(tuple(load_records(paths)))

    def get(self, record_id: str) -> Record:
        for record in self.records:
            if record.id == record_id:
                return record
        raise KnowledgeDataError(f"no record with id {record_id!r}")

    def to_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame([_row(r) for r in self.records])


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The bundled knowledge base, loaded once."""
    return KnowledgeBase.load()


def dataframe() -> pd.DataFrame:
    """The bundled knowledge base as a pandas DataFrame (values in SI; originals kept)."""
    return default_knowledge_base().to_dataframe()
