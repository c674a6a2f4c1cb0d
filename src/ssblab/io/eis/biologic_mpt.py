"""BioLogic EC-Lab text export (``.mpt``, also saved as ``.txt``): "EC-Lab ASCII FILE".

Layout (from the EC-Lab v10.33 files of m0l0t0ph/thesis, the v11.50/v11.61 SP-300 files of
dgbowl/yadg and jdhuang-csm/hybrid-drt)::

    EC-Lab ASCII FILE
    Nb header lines : 73                      <- line number of the column-name line
    <blank>
    Potentio Electrochemical Impedance Spectroscopy      <- technique
    Run on channel : 2 (SN 6986)              <- "key : value" lines
    Device : VMP3 (SN 0324)
    EC-Lab for windows v10.33 (software)
    Acquisition started on : 09/02/2015 11:42:26
    Electrode material : LATP
    …
    Va (mV)             10,0                  <- settings table, 20-character columns
    fi                  1,000
    unit fi             MHz
    …
    Number of loops : 11                      <- only in multi-loop files
    Loop 0 from point number 0 to 36
    …
    freq/Hz<TAB>Re(Z)/Ohm<TAB>-Im(Z)/Ohm<TAB>|Z|/Ohm<TAB>Phase(Z)/deg<TAB>…<TAB>cycle number<TAB>…
    1000024,25<TAB>1,09552193<TAB>-2,83702946<TAB>…

Tab-separated; cp1252 (µ = 0xB5, ² = 0xB2); a decimal comma when EC-Lab ran with a German
locale; no final newline. ``-Im(Z)/Ohm`` stores −Z'', so the sign is flipped. A final row
cut off mid-write (a copy interrupted, EC-Lab still running: fewer fields, or a last value
written unlike its column) is dropped with a note naming its line, so that it neither adds a
phantom one-point spectrum nor a cut number. Several loops in
one file are cut by the header's loop table, else by ``cycle number``, else where the sweep
restarts. An EC-Lab export "without header" starts directly with the column names and is read
by the generic table reader (:mod:`.table`), which knows the same column names.
"""

from __future__ import annotations

import re
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import (
    FileHead,
    cut_off_final_row,
    cut_off_note,
    decode_text,
    format_error,
    parse_number,
    text_lines,
)
from ssblab.io.eis._common import EisFormat, add_notes, frequency_range_notes, frequency_scale
from ssblab.io.eis.table import find_columns, parse_table_rows

TITLE_LINES = ("EC-Lab ASCII FILE", "BT-Lab ASCII FILE")
_HEADER_COUNT = re.compile(r"Nb header lines\s*:\s*(\d+)")
_LOOP_LINE = re.compile(r"Loop\s+(\d+)\s+from point number\s+(\d+)\s+to\s+(\d+)")
_SETTING_LINE = re.compile(r"(\S[^\t:]*?)\s{2,}(\S.*)")
_SOFTWARE_LINE = re.compile(r"(EC-Lab|BT-Lab)\s+for windows\s+(v\S+)\s+\(software\)", re.I)
TECHNIQUES = {
    "Potentio Electrochemical Impedance Spectroscopy": "PEIS",
    "Galvano Electrochemical Impedance Spectroscopy": "GEIS",
    "Staircase Potentio Electrochemical Impedance Spectroscopy": "SPEIS",
    "Staircase Galvano Electrochemical Impedance Spectroscopy": "SGEIS",
}


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return parse_number(text, decimal_comma="," in text and "." not in text)
    except ValueError:
        return None


def parse_header(
    header_lines: list[str],
) -> tuple[dict[str, str], dict[str, str], list[tuple[int, int]]]:
    """(key : value pairs, settings table, loop ranges) of an EC-Lab text header.

    The first non-empty value of a key wins (EC-Lab repeats "Electrode material" empty after
    "Modify on"). Settings rows are the fixed-width ``name  value`` table of the technique.
    """
    pairs: dict[str, str] = {}
    settings: dict[str, str] = {}
    loops: list[tuple[int, int]] = []
    for line in header_lines:
        loop = _LOOP_LINE.match(line.strip())
        if loop:
            loops.append((int(loop.group(2)), int(loop.group(3))))
            continue
        if " : " in line or line.rstrip().endswith(" :"):
            key, _, value = line.partition(" :")
            key, value = key.strip(), value.strip()
            if not pairs.get(key):
                pairs[key] = value
            continue
        setting = _SETTING_LINE.fullmatch(line.rstrip())
        if setting and not line[:1].isspace():
            settings.setdefault(setting.group(1).strip(), re.split(r"\s{2,}", setting.group(2))[0])
    return pairs, settings, loops


def _metadata(
    header_lines: list[str], pairs: dict[str, str], settings: dict[str, str]
) -> dict[str, Any]:
    title = next((line.strip() for line in header_lines if line.strip()), "")
    meta: dict[str, Any] = {
        "format": "biologic_mpt",
        "manufacturer": "BioLogic",
        "technique": TECHNIQUES.get(title, title),
        "header": pairs,
        "settings": settings,
    }
    for line in header_lines:
        software = _SOFTWARE_LINE.search(line)
        if software:
            meta["software"] = f"{software.group(1)} {software.group(2)}"
            break
    if pairs.get("Device"):
        meta["instrument"] = pairs["Device"]
    started = pairs.get("Acquisition started on")
    if started:
        # EC-Lab writes the PC's locale: 09/02/2015, 02.12.2015 and 08.27.2015 all occur, so
        # the day/month order is unknown and the date stays as written.
        meta["date"] = started
    for key, target in (
        ("Electrode material", "electrode_material"),
        ("Electrolyte", "electrolyte"),
        ("Comments", "comments"),
        ("Initial state", "initial_state"),
    ):
        if pairs.get(key):
            meta[target] = pairs[key]
    # 0.001 cm² (and 0.000) is EC-Lab's placeholder when no area was entered: not recorded.
    area = re.fullmatch(r"(\S+)\s*cm²", pairs.get("Electrode surface area", ""))
    area_cm2 = _number(area.group(1)) if area else None
    if area_cm2 is not None and area_cm2 > 0.001:
        meta["electrode_area_m2"] = area_cm2 * 1e-4
    amplitude_mv = _number(settings.get("Va (mV)"))
    if amplitude_mv is not None:
        meta["ac_amplitude_v"] = amplitude_mv / 1000
    potential = _number(settings.get("E (V)"))
    if potential is not None:
        meta["dc_potential_v"] = potential
        if settings.get("vs."):
            meta["dc_potential_reference"] = settings["vs."]
    return meta


def _declared_frequencies(settings: dict[str, str]) -> list[tuple[str, float | None]]:
    declared = []
    for key in ("fi", "ff"):
        value, unit = _number(settings.get(key)), settings.get(f"unit {key}", "Hz")
        scale = frequency_scale(unit)
        if value is not None and scale is not None:
            declared.append((f"{key} = {settings[key]} {unit}", value * scale))
    return declared


def final_row_cut(rows: list[str], named: int, *, ends_with_newline: bool) -> str | None:
    """Why the last of an EC-Lab table's data ``rows`` looks cut off, or None.

    Every whole EC-Lab row has one field per named column (the column-name line may end with
    a tab), so a final row with fewer fields is cut, even when it is the only one; otherwise
    :func:`~ssblab.io._text.cut_off_final_row` compares it with the rows before it.
    """
    fields = len(rows[-1].split("\t"))
    if fields < named:
        return f"it has {fields} fields where the column-name line names {named}"
    return cut_off_final_row(rows, "\t", ends_with_newline=ends_with_newline)


def parse_mpt(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    if lines[0].strip() not in TITLE_LINES:
        raise format_error(source, "does not start with 'EC-Lab ASCII FILE'", 1)
    count = _HEADER_COUNT.match(lines[1].strip()) if len(lines) > 1 else None
    if count is None:
        raise format_error(source, "expected 'Nb header lines : N'", 2)
    n_header = int(count.group(1))
    if not 3 <= n_header <= len(lines):
        raise format_error(
            source, f"'Nb header lines : {n_header}' but the file has {len(lines)} lines", 2
        )
    header_lines = lines[2 : n_header - 1]
    pairs, settings, loops = parse_header(header_lines)
    metadata = _metadata(header_lines, pairs, settings)
    column_line = lines[n_header - 1].split("\t")
    if find_columns(column_line) is None:
        raise format_error(
            source,
            f"technique {metadata['technique']!r} has no freq/Hz, "
            "Re(Z)/Ohm and -Im(Z)/Ohm columns: not an impedance file",
            n_header,
        )
    notes = list(decoded.notes)
    body = lines[n_header:]
    last = next((k for k in range(len(body) - 1, -1, -1) if body[k].strip()), None)
    if last is not None:
        named = sum(1 for name in column_line if name.strip())
        reason = final_row_cut(body[: last + 1], named, ends_with_newline=last < len(body) - 1)
        if reason is not None:
            notes.append(cut_off_note(n_header + 1 + last, reason))
            lines = lines[: n_header + last]
    rows = [line.split("\t") for line in lines[n_header - 1 :]]
    spectra = parse_table_rows(
        rows,
        list(range(n_header, len(lines) + 1)),
        source,
        notes=notes,
        metadata=metadata,
        loop_ranges=loops or None,
    )
    declared = _declared_frequencies(settings)
    return add_notes(spectra, lambda s: frequency_range_notes(s.frequency_hz, declared))


def _sniff(head: FileHead) -> bool:
    return head.first_line in TITLE_LINES


FORMAT = EisFormat(
    name="biologic_mpt",
    title="BioLogic EC-Lab text export (.mpt / EC-Lab ASCII .txt)",
    extensions=(".mpt", ".txt"),
    sniff=_sniff,
    parse=parse_mpt,
)
