"""Third-party libraries never write to the user's stderr (issue 9 §3): their warnings and log
records become reader notes, one line each, tracebacks left out."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from ssblab.errors import FileFormatError
from ssblab.io._quiet import captured
from ssblab.io.cycling import parse_cycling

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cycling"


def test_captured_turns_warnings_and_records_into_lines(capfd):
    with captured() as caught:
        logging.getLogger("newarenda").error("damaged record\nTraceback (most recent call last)")
        logging.getLogger("newarenda").info("NDA version: 29")
        warnings.warn("Workbook contains no default style", UserWarning, stacklevel=1)
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
    messages = caught.messages()
    assert "NewareNDA: damaged record" in messages  # the traceback line is left out
    assert not any("NDA version" in m for m in messages)  # below WARNING
    assert any("UserWarning: Workbook contains no default style" in m for m in messages)
    assert any("2 deprecation warnings" in m and "not about this file" in m for m in messages)
    assert capfd.readouterr().err == ""
    # the loggers are as they were
    assert logging.getLogger("newarenda").propagate


def test_openpyxl_warnings_become_notes(monkeypatch, capfd):
    import openpyxl

    real = openpyxl.load_workbook

    def warning_load(*args, **kwargs):
        message = "Workbook contains no default style, apply openpyxl's default"
        warnings.warn(message, UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", warning_load)
    data = parse_cycling((EXAMPLES / "excel_table.xlsx").read_bytes(), "styles.xlsx")
    assert any("openpyxl" in n or "no default style" in n for n in data.notes)
    assert capfd.readouterr().err == ""


def test_newarenda_errors_are_one_line_and_quiet(monkeypatch, capfd):
    import NewareNDA

    def failing_read(path, **kwargs):
        logging.getLogger("newarenda").exception("Found aux files, but could not read TestInfo")
        raise EOFError(f"{path}: File does not contain any valid records.")

    monkeypatch.setattr(NewareNDA, "read", failing_read)
    data = b"NEWARE" + bytes(200)
    with pytest.raises(FileFormatError) as info:
        parse_cycling(data, "quiet.nda")
    message = str(info.value)
    assert message.startswith("quiet.nda: ") and "\n" not in message
    assert "File does not contain any valid records" in message
    assert "/tmp" not in message and "data.nda" not in message  # the temporary copy's path
    assert capfd.readouterr().err == ""


def test_a_warning_while_reading_a_text_table_becomes_a_note(monkeypatch, capfd):
    import pandas as pd

    real = pd.read_csv

    def warning_read(*args, **kwargs):
        message = "Length of header or names does not match length of data"
        warnings.warn(message, UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", warning_read)
    data = parse_cycling((EXAMPLES / "table_seconds_mA.csv").read_bytes(), "pandas.csv")
    assert any("Length of header" in n for n in data.notes)
    assert capfd.readouterr().err == ""
