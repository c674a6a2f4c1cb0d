"""PalmSens PSTrace session files (``.pssession``).

Layout (from ``11_PEIS_700mV.pssession`` of nomad-hzb/nomad-chemical-energy, PSTrace 5.9): one
JSON document in UTF-16LE with a byte-order mark, followed by a stray U+FEFF after the closing
brace::

    {"Type":"PalmSens.DataFiles.SessionFile","CoreVersion":"5.9…","MethodForMeasurement":"#PSTrace…",
     "Measurements":[{"Title":"Impedance Spectroscopy","TimeStamp":638883454446015517,
        "DeviceSerial":"PS4A22B003626","Method":"…METHOD_ID=eis\\r\\nAMPLITUDE=1.000E-002…",
        "DataSet":{"Values":[{"Description":"Frequency","Unit":{"S":"Hz"},"DataValues":[{"V":…}]},
                             {"Description":"ZRe", …}, {"Description":"ZIm", …}, …]},
        "EISDataList":[{"Title":"Fixed at 64 freqs","DataSet":{…same arrays…}}]}]}

``TimeStamp`` is in .NET ticks (100 ns since 0001-01-01, local time). ``ZIm`` holds −Im(Z)
(positive for a capacitive response, with a positive ``Phase``), so its sign is flipped. Each
entry of ``EISDataList`` (else the measurement's own data set) is one spectrum; measurements
without impedance arrays (a CV in the same session) are skipped with a note.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, parse_number
from ssblab.io.eis._common import (
    EisFormat,
    Points,
    add_notes,
    drop_unusable_points,
    frequency_range_notes,
    frequency_scale,
    impedance_scale,
    make_spectrum,
    stored_sign_note,
)

_TICKS_EPOCH = datetime(1, 1, 1)


def _arrays(dataset: Any) -> dict[str, tuple[np.ndarray, str]]:
    """Description → (values, unit symbol) of a PalmSens DataSet."""
    out: dict[str, tuple[np.ndarray, str]] = {}
    values = dataset.get("Values", []) if isinstance(dataset, dict) else []
    for array in values if isinstance(values, list) else []:
        if not isinstance(array, dict) or "Description" not in array:
            continue
        points = array.get("DataValues") or []
        numbers = [p.get("V") if isinstance(p, dict) else None for p in points]
        floats = np.array(
            [
                v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan
                for v in numbers
            ],
            dtype=float,
        )
        unit = array.get("Unit", {}).get("S", "") if isinstance(array.get("Unit"), dict) else ""
        out.setdefault(str(array["Description"]), (floats, str(unit)))
    return out


def method_parameters(method: str) -> dict[str, str]:
    """``KEY=value`` lines of a PSTrace method text (comments start with ``#``)."""
    pairs = {}
    for line in method.splitlines():
        key, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            pairs[key.strip()] = value.strip()
    return pairs


def _number(pairs: dict[str, str], key: str) -> float | None:
    try:
        return parse_number(pairs[key])
    except (KeyError, ValueError):
        return None


def _measurement_metadata(measurement: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "palmsens_pssession", "manufacturer": "PalmSens"}
    if session.get("CoreVersion"):
        meta["software"] = f"PSTrace {session['CoreVersion']}"
    for key, target in (
        ("Title", "technique"),
        ("DeviceSerial", "instrument_serial"),
        ("DeviceFW", "instrument_firmware"),
    ):
        if measurement.get(key):
            meta[target] = str(measurement[key])
    ticks = measurement.get("TimeStamp")
    if isinstance(ticks, int) and 0 < ticks < 3_155_378_975_999_999_999:
        meta["date"] = (_TICKS_EPOCH + timedelta(microseconds=ticks // 10)).isoformat()
    method = measurement.get("Method") or session.get("MethodForMeasurement") or ""
    parameters = method_parameters(method) if isinstance(method, str) else {}
    if parameters:
        meta["method"] = parameters
    amplitude = _number(parameters, "AMPLITUDE")
    if amplitude is not None:
        meta["ac_amplitude_v"] = amplitude
    return meta


def _spectrum_points(arrays: dict[str, tuple[np.ndarray, str]], source: str) -> Points | None:
    if not all(k in arrays for k in ("Frequency", "ZRe", "ZIm")):
        return None
    (f, f_unit), (re_z, re_unit), (im_z, im_unit) = (arrays[k] for k in ("Frequency", "ZRe", "ZIm"))
    scales = (
        frequency_scale(f_unit or "Hz"),
        impedance_scale(re_unit or "Ω"),
        impedance_scale(im_unit or "Ω"),
    )
    if None in scales or not f.size == re_z.size == im_z.size:
        raise format_error(
            source,
            f"Frequency/ZRe/ZIm arrays disagree in length or unit "
            f"({f_unit!r}, {re_unit!r}, {im_unit!r})",
        )
    extra = {}
    if "potential" in arrays and arrays["potential"][0].size == f.size:
        extra["potential_v"] = arrays["potential"][0]
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf points are dropped later
        impedance = re_z * scales[1] - 1j * im_z * scales[2]
    return Points.from_lists(f * scales[0], impedance, None, extra)


def parse_pssession(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    text = decoded.text.strip().strip("\ufeff").strip("\x00").strip()
    notes = list(decoded.notes)
    if decoded.text.rstrip("\x00").endswith("\ufeff"):
        notes.append("a stray U+FEFF after the JSON document was ignored")
    try:
        session = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        position = getattr(exc, "pos", -1)
        open_string = str(getattr(exc, "msg", "")).startswith("Unterminated string")
        ends_early = position >= len(text) or (open_string and '"' not in text[position + 1 :])
        cut = " (the document ends early: the file looks cut off)" if ends_early else ""
        message = f"not valid JSON{cut}: {getattr(exc, 'msg', exc)}"
        raise format_error(source, message, line) from None
    if not isinstance(session, dict) or not str(session.get("Type", "")).startswith("PalmSens"):
        raise format_error(source, "not a PalmSens session (no 'Type': 'PalmSens…')")
    measurements = session.get("Measurements")
    if not isinstance(measurements, list):
        raise format_error(source, "no 'Measurements' list")
    notes.append(stored_sign_note("ZIm", stored_negative=True))
    spectra: list[Spectrum] = []
    skipped = []
    for number, measurement in enumerate(measurements):
        if not isinstance(measurement, dict):
            continue
        eis_list = measurement.get("EISDataList") or []
        datasets = [(e.get("Title", ""), e.get("DataSet")) for e in eis_list if isinstance(e, dict)]
        datasets = datasets or [("", measurement.get("DataSet"))]
        meta = _measurement_metadata(measurement, session)
        found = False
        for title, dataset in datasets:
            points = _spectrum_points(_arrays(dataset), source)
            if points is None:
                continue
            found = True
            points, drop_notes = drop_unusable_points(points, source)
            spectrum_meta = {**meta, "measurement": number}
            if title:
                spectrum_meta["curve_title"] = title
            potential = points.extra.get("potential_v", np.array([]))
            if np.any(np.isfinite(potential)):
                spectrum_meta["dc_potential_v"] = float(np.mean(potential[np.isfinite(potential)]))
            method = meta.get("method", {})
            declared = [
                (f"{key}={method[key]}", _number(method, key))
                for key in ("MAX_FREQ", "MIN_FREQ")
                if key in method
            ]
            spectrum_notes = [*notes, *drop_notes]
            if len(points):
                spectrum_notes += frequency_range_notes(points.frequency_hz, declared)
            spectra.append(
                make_spectrum(source, len(spectra), points, spectrum_meta, spectrum_notes)
            )
        if not found:
            skipped.append(str(measurement.get("Title", f"measurement {number}")))
    if not spectra:
        raise format_error(source, "no measurement with Frequency, ZRe and ZIm arrays")
    if skipped:
        note = f"skipped measurements without impedance data: {', '.join(skipped)}"
        spectra = add_notes(spectra, lambda _: [note])
    return spectra


def _sniff(head: FileHead) -> bool:
    return head.data.startswith(b"\xff\xfe{\x00") and '"PalmSens.' in head.text[:400]


FORMAT = EisFormat(
    name="palmsens_pssession",
    title="PalmSens PSTrace session (.pssession, UTF-16 JSON)",
    extensions=(".pssession",),
    sniff=_sniff,
    parse=parse_pssession,
)
