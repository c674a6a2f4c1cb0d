"""Gamry Framework data files (``.DTA``) from EISPOT / EISGALV.

Layout (from the Reference 3000 file of ECSHackWeek/impedance.py, the Interface 1000 file of
nomad-hzb/nomad-chemical-energy and the Interface 5000 file of jdhuang-csm/bayes-drt)::

    EXPLAIN
    TAG<TAB>EISPOT                                   <- technique
    TITLE<TAB>LABEL<TAB>Potentiostatic EIS<TAB>Test Identifier
    DATE<TAB>LABEL<TAB>4/23/2018<TAB>Date
    NOTES<TAB>NOTES<TAB>2<TAB>&Notes...              <- then 2 indented note lines
    NOMAD                                            <- non-standard block (nomad-hzb files):
    SAMPLEID<TAB> LABEL<TAB>CE-NOME_Project_test        KEY / LABEL / value lines
    PSTAT<TAB>PSTAT<TAB>REF3000-34128<TAB>Potentiostat
    VDC<TAB>POTEN<TAB>-5.00000E-002<TAB>T<TAB>DC Voltage (V)
    FREQINIT / FREQFINAL / VAC (mV rms) / AREA (cm^2) … <TAB>QUANT<TAB>value<TAB>label
    OCVCURVE<TAB>TABLE<TAB>387                       <- optional open-circuit record first
    <TAB>Pt<TAB>T<TAB>Vf …                            <- names, then units, then indented rows
    EOC<TAB>QUANT<TAB>-0.2919803<TAB>Open Circuit (V)
    ZCURVE<TAB>TABLE
    <TAB>Pt<TAB>Time<TAB>Freq<TAB>Zreal<TAB>Zimag<TAB>Zsig<TAB>Zmod<TAB>Zphz<TAB>Idc<TAB>Vdc<TAB>IERange
    <TAB>#<TAB>s<TAB>Hz<TAB>ohm<TAB>ohm<TAB>V<TAB>ohm<TAB>°<TAB>A<TAB>V<TAB>#
    <TAB>0<TAB>1<TAB>200015.6<TAB>825.8584<TAB>-1367.239<TAB>…

cp1252 (° = 0xB0) or UTF-8 (the nomad file), LF or CRLF. ``Zimag`` is the true imaginary part
(capacitive < 0; the 550 °C cell has inductive points > 0 at high frequency). Only ZCURVE is
read; other tables are skipped with a note. A final ZCURVE row cut off mid-write (fewer fields,
or no final newline and a last value not shown whole) is dropped with a note naming its line.
The ``Temp`` column is not used: Gamry writes 0 or −327.67 there when no probe is connected.
"""

from __future__ import annotations

from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, parse_number, text_lines
from ssblab.io.eis._common import EisFormat, add_notes, count_mismatch_note, frequency_range_notes
from ssblab.io.eis.table import parse_table_rows

_UNIT_COLUMNS = {"Freq", "Zreal", "Zimag", "Zmod", "Zphz", "Vdc"}


def _value(header: dict[str, list[str]], key: str, position: int = 1) -> float | None:
    fields = header.get(key, [])
    try:
        return parse_number(fields[position])
    except (IndexError, ValueError):
        return None


def split_sections(lines: list[str], source: str):
    """(header key → fields, tables name → (line index, rows), notes text, NOMAD block)."""
    header: dict[str, list[str]] = {}
    tables: dict[str, tuple[int, list[str]]] = {}
    notes_text: list[str] = []
    nomad: dict[str, str] = {}
    in_nomad = False
    i = 1
    while i < len(lines):
        fields = lines[i].split("\t")
        key, kind = fields[0].strip(), (fields[1].strip() if len(fields) > 1 else "")
        if not key:
            i += 1
            continue
        if kind == "TABLE":
            end = i + 3
            while end < len(lines) and lines[end][:1] in ("\t", " ") and lines[end].strip():
                end += 1
            if end > len(lines) or i + 2 >= len(lines):
                raise format_error(source, f"table {key} has no column/unit lines", i + 1)
            tables.setdefault(key, (i, lines[i + 1 : end]))
            i = end
            continue
        if kind == "NOTES":
            try:
                count = int(fields[2])
            except (IndexError, ValueError):
                raise format_error(source, "NOTES line without a line count", i + 1) from None
            notes_text = [line.strip() for line in lines[i + 1 : i + 1 + count] if line.strip()]
            i += 1 + count
            continue
        if key == "NOMAD" and not kind:
            in_nomad = True
        elif in_nomad and kind == "LABEL" and len(fields) > 2:
            nomad[key] = fields[2].strip()
        else:
            in_nomad = False
            header[key] = [f.strip() for f in fields[1:]]
        i += 1
    return header, tables, notes_text, nomad


def _metadata(
    header: dict[str, list[str]], notes_text: list[str], nomad: dict[str, str]
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "format": "gamry_dta",
        "manufacturer": "Gamry",
        "header": {k: v[1] if len(v) > 1 else (v[0] if v else "") for k, v in header.items()},
    }
    if "TAG" in header:
        meta["technique"] = header["TAG"][0]
    if "TITLE" in header and len(header["TITLE"]) > 1:
        meta["title"] = header["TITLE"][1]
    section = header.get("PSTATSECTION", [])
    pstat = header.get("PSTAT", [])
    if len(section) > 1:
        meta["instrument"] = section[1]
    elif len(pstat) > 1:
        meta["instrument"] = pstat[1]
    if "FRAMEWORKVERSION" in header and len(header["FRAMEWORKVERSION"]) > 1:
        meta["software"] = f"Gamry Framework {header['FRAMEWORKVERSION'][1]}"
    date = " ".join(header[k][1] for k in ("DATE", "TIME") if len(header.get(k, [])) > 1)
    if date:
        meta["date"] = date  # written in the PC's locale (4/23/2018, 16/11/2023): kept as is
    # (header key, metadata key, factor to SI): VAC is in mV rms, AREA in cm².
    for key, target, factor in (
        ("VDC", "dc_potential_v", 1.0),
        ("IDC", "dc_current_a", 1.0),
        ("VAC", "ac_amplitude_v_rms", 1e-3),
        ("AREA", "electrode_area_m2", 1e-4),
        ("EOC", "open_circuit_potential_v", 1.0),
    ):
        value = _value(header, key)
        if value is not None:
            meta[target] = value * factor
    # The T/F after VDC's value means "vs. Eoc": in the two files with T, the measured Vdc
    # equals EOC + VDC (1.05498 − 0.5 = 0.555 V; −0.29198 − 0.05 = −0.342 V).
    flag = header.get("VDC", [])[2:3]
    if flag and flag[0] in ("T", "F"):
        meta["dc_potential_reference"] = "Eoc" if flag[0] == "T" else "Eref"
    if notes_text:
        meta["comments"] = "\n".join(notes_text)
    if nomad:
        meta["nomad"] = nomad
    return meta


def parse_gamry(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    if lines[0].strip() != "EXPLAIN":
        raise format_error(source, "does not start with 'EXPLAIN' (Gamry .DTA)", 1)
    header, tables, notes_text, nomad = split_sections(lines, source)
    metadata = _metadata(header, notes_text, nomad)
    if "ZCURVE" not in tables:
        raise format_error(
            source,
            f"no ZCURVE table (technique {metadata.get('technique', '?')},"
            f" tables: {', '.join(tables) or 'none'}): not an impedance file",
        )
    start, table = tables["ZCURVE"]
    names = table[0].split("\t")
    units = table[1].split("\t") if len(table) > 1 else []
    labelled = [
        f"{name} ({units[i]})" if name in _UNIT_COLUMNS and i < len(units) else name
        for i, name in enumerate(names)
    ]
    rows = [labelled, *(line.split("\t") for line in table[2:])]
    row_lines = [start + 2, *range(start + 4, start + 2 + len(table))]
    notes = list(decoded.notes)
    for name, (table_start, table_lines) in tables.items():
        if name != "ZCURVE":
            notes.append(
                f"skipped the {name} table ({max(0, len(table_lines) - 2)} rows, line "
                f"{table_start + 1}); only ZCURVE holds the impedance"
            )
        declared_rows = _value({name: lines[table_start].split("\t")[1:]}, name, 1)
        if declared_rows is not None:
            notes += count_mismatch_note(declared_rows, len(table_lines) - 2, f"{name} rows")
    if nomad:
        notes.append(f"non-standard NOMAD metadata block ({len(nomad)} entries) kept in metadata")
    spectra = parse_table_rows(
        rows, row_lines, source, notes=notes, metadata=metadata, line_count=len(lines)
    )
    declared = [
        (f"{key} = {header[key][1]} Hz", _value(header, key))
        for key in ("FREQINIT", "FREQFINAL")
        if len(header.get(key, [])) > 1
    ]
    return add_notes(spectra, lambda s: frequency_range_notes(s.frequency_hz, declared))


def _sniff(head: FileHead) -> bool:
    lines = text_lines(head.text)
    return head.first_line == "EXPLAIN" and any(line.startswith("TAG\t") for line in lines[:5])


FORMAT = EisFormat(
    name="gamry_dta",
    title="Gamry Framework .DTA (EISPOT/EISGALV ZCURVE table)",
    extensions=(".dta",),
    sniff=_sniff,
    parse=parse_gamry,
)
