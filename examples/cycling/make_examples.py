"""Write the synthetic example files of ``examples/cycling/`` — one per supported layout.

Every file holds the same made-up test of a cathode | LLZTO | Li cell (not a measurement):
a 10 min rest, then two cycles of a 0.5 mA constant-current charge (1 h), a 10 min rest, a
0.5 mA discharge (1 h) and a 10 min rest, logged every 2 min. :func:`reference` builds it
with :func:`ssblab.cycling.data.tidy_table` — the table every reader must return — and each
writer prints it in the layout the instrument software uses (see the reader modules in
``src/ssblab/io/cycling/``). Run from the repository root:
``.venv/bin/python examples/cycling/make_examples.py``.

Binary formats (LAND ``.ccs``, Neware ``.nda``/``.ndax``, BioLogic ``.mpr``) have no writer
here; their readers are tested on real files.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from ssblab.cycling.data import tidy_table

HERE = Path(__file__).resolve().parent
START = datetime(2025, 11, 22, 10, 0, 0)
CURRENT_A = 0.5e-3
DT_S = 120
REST_POINTS, ACTIVE_POINTS = 5, 30
RESISTANCE_OHM = 100.0
ACTIVE_MASS_MG = 8.0
NOMINAL_MAH = 0.5
#: (step type, number of points, sign of the current) of the protocol, per cycle
CYCLE = (("charge", ACTIVE_POINTS, 1), ("rest", REST_POINTS, 0))
CYCLE += (("discharge", ACTIVE_POINTS, -1), ("rest", REST_POINTS, 0))


def ocv(soc: float) -> float:
    """A smooth made-up open-circuit voltage (3.5 V empty → 4.1 V full)."""
    return 3.5 + 0.55 * soc + 0.05 * math.tanh(8 * (soc - 0.5))


def reference() -> pd.DataFrame:
    """The synthetic test as the tidy table (the values written to every example)."""
    time, voltage, current, kinds, steps, cycles = [], [], [], [], [], []
    t, soc = 0, 0.0
    plan = [("rest", REST_POINTS, 0, 1)]
    for cycle in (1, 2):
        plan += [(kind, n, sign, cycle) for kind, n, sign in CYCLE]
    for step, (kind, n, sign, cycle) in enumerate(plan):
        for _ in range(n):
            t += DT_S
            soc += sign * CURRENT_A * DT_S / 3600 / (NOMINAL_MAH * 1e-3)
            v = ocv(soc) + sign * CURRENT_A * RESISTANCE_OHM
            time.append(float(t))
            voltage.append(round(v, 4))
            current.append(sign * CURRENT_A)
            kinds.append(kind)
            steps.append(step)
            cycles.append(cycle)
    time.insert(0, 0.0)  # the first point, at the start of the initial rest
    voltage.insert(0, round(ocv(0.0), 4))
    current.insert(0, 0.0)
    kinds.insert(0, "rest")
    steps.insert(0, 0)
    cycles.insert(0, 1)
    return tidy_table(time, voltage, current, step_index=steps, step_type=kinds, cycle_index=cycles)


# --------------------------------------------------------------------------------------------
# Helpers


def rows() -> list[dict]:
    """The reference table as dicts, with the step time, timestamp and program step added."""
    out = reference().to_dict("records")
    previous_end = 0.0
    for k, row in enumerate(out):
        # a step's clock starts when the previous step ends (its first point is 2 min in)
        if k and row["step_index"] != out[k - 1]["step_index"]:
            previous_end = out[k - 1]["time_s"]
        row["step_time_s"] = row["time_s"] - previous_end
        row["stamp"] = START + timedelta(seconds=row["time_s"])
        # the program: step 1 = first rest, then 2 charge, 3 rest, 4 discharge, 5 rest, loop
        row["program_step"] = 1 if row["step_index"] == 0 else (row["step_index"] - 1) % 4 + 2
    return out


def maccor_stamp(stamp: datetime) -> str:
    """Maccor's US date without leading zeros: ``11/22/2025 9:05:00 AM``."""
    return f"{stamp.month}/{stamp.day}/{stamp.year} {int(f'{stamp:%I}')}:{stamp:%M:%S %p}"


def hhmmss(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def comma(x: float, digits: int) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def write_text(
    name: str,
    lines: Iterable[str],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
    final_newline: bool = True,
) -> None:
    text = newline.join(lines) + (newline if final_newline else "")
    (HERE / name).write_bytes(text.encode(encoding))


def csv_lines(table: Sequence[Sequence[object]], delimiter: str = ",") -> list[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(table)
    return buffer.getvalue().rstrip("\n").split("\n")


def write_workbook(name: str, sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> None:
    """An .xlsx with fixed dates inside and in the zip, so it is byte-identical on every run."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets:
        sheet = workbook.create_sheet(title)
        for row in table:
            sheet.append(list(row))
    workbook.properties.created = workbook.properties.modified = START
    buffer = io.BytesIO()
    workbook.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-11-22T10:00:00Z", content
                )
            entry = zipfile.ZipInfo(item.filename, date_time=(2025, 11, 22, 10, 0, 0))
            target.writestr(entry, content, zipfile.ZIP_DEFLATED)


def neware_type(kind: str) -> str:
    return {"charge": "CC Chg", "discharge": "CC DChg", "rest": "Rest"}[kind]


# --------------------------------------------------------------------------------------------
# Generic tables


def write_generic() -> None:
    data = rows()
    preamble = [
        "# ssblab synthetic example: cathode | LLZTO | Li (not a measurement)",
        f"Active mass: {ACTIVE_MASS_MG} mg",
        f"Nominal capacity: {NOMINAL_MAH} mAh",
        "Channel: 3",
    ]
    table = [["time (s)", "voltage (V)", "current (mA)", "step", "cycle"]]
    table += [
        [
            f"{r['time_s']:.0f}",
            f"{r['voltage_V']:.4f}",
            f"{r['current_A'] * 1e3:.3f}",
            r["step_index"] + 1,
            r["cycle_index"],
        ]
        for r in data
    ]
    write_text("table_seconds_mA.csv", [*preamble, *csv_lines(table)])

    # semicolons, decimal commas, minutes, millivolts and microamperes; cp1252 (µ = 0xB5)
    lines = ["Time (min);Voltage (mV);Current (µA)"]
    lines += [
        f"{comma(r['time_s'] / 60, 6)};{comma(r['voltage_V'] * 1e3, 1)};"
        f"{comma(r['current_A'] * 1e6, 1)}"
        for r in data
    ]
    write_text("table_minutes_uA_decimal_comma.csv", lines, encoding="cp1252", newline="\r\n")

    # tab-separated, hh:mm:ss time, EC-Lab-style names, a temperature column
    lines = ["Elapsed Time\tEwe/V\t<I>/mA\tTemperature (°C)"]
    lines += [
        f"{hhmmss(r['time_s'])}\t{r['voltage_V']:.4f}\t{r['current_A'] * 1e3:.3f}\t25.0"
        for r in data
    ]
    write_text("table_hhmmss.tsv", lines)

    sheet = [
        ["Synthetic cathode | LLZTO | Li test written by ssblab"],
        ["Active mass", f"{ACTIVE_MASS_MG} mg"],
        [],
        ["Time (h)", "Voltage (V)", "Current (A)", "Cycle"],
    ]
    sheet += [[r["time_s"] / 3600, r["voltage_V"], r["current_A"], r["cycle_index"]] for r in data]
    write_workbook("excel_table.xlsx", [("Data", sheet)])


# --------------------------------------------------------------------------------------------
# BioLogic EC-Lab text


def write_biologic_mpt() -> None:
    data = rows()
    columns = [
        "mode", "ox/red", "error", "control changes", "Ns changes", "counter inc.", "Ns",
        "time/s", "control/V/mA", "Ewe/V", "dq/mA.h", "<I>/mA", "(Q-Qo)/mA.h", "half cycle",
        "cycle number",
    ]  # fmt: skip
    # Ns 0 = first rest; the loop repeats Ns 1 (charge) … 4 (rest)
    ns = [0 if r["step_index"] == 0 else (r["step_index"] - 1) % 4 + 1 for r in data]
    loop_of = [0 if r["cycle_index"] == 1 else 1 for r in data]
    first_of_loop1 = loop_of.index(1)
    header = [
        "EC-Lab ASCII FILE",
        "Nb header lines : {n}                          ",
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "",
        "Run on channel : 3 (SN 0001)",
        "User : ",
        "Electrode connection : standard",
        "Acquisition started on : 11/22/2025 10:00:00",
        "Device : VMP3 (SN 0000)",
        "EC-Lab for windows v11.50 (software)",
        "Electrode material : NCM | LLZTO | Li (synthetic)",
        "Initial state : ",
        "Electrolyte : LLZTO pellet",
        "Comments : written by ssblab examples/cycling/make_examples.py",
        f"Mass of active material : {comma(ACTIVE_MASS_MG, 3)} mg",
        f"Battery capacity : {comma(NOMINAL_MAH, 3)} mA.h",
        "Electrode surface area : 1,000 cm²",
        "Cycle Definition : Charge/Discharge alternance",
        "Ns                  0                   1                   2                   "
        "3                   4                   ",
        "Set I/C             I                   I                   I                   "
        "I                   I                   ",
        "Is                  0,000               500,000             0,000               "
        "-500,000            0,000               ",
        "unit Is             mA                  µA                  mA                  "
        "µA                  mA                  ",
        "",
        "Number of loops : 2",
        f"Loop 0 from point number 0 to {first_of_loop1 - 1}",
        f"Loop 1 from point number {first_of_loop1} to {len(data) - 1}",
        "",
    ]
    header.append("\t".join(columns))
    header[1] = header[1].format(n=len(header))
    lines = list(header)
    previous_ns, q0 = None, 0.0
    for k, r in enumerate(data):
        kind, current_ma = r["step_type"], r["current_A"] * 1e3
        dt = r["time_s"] - data[k - 1]["time_s"] if k else 0.0
        dq = current_ma * dt / 3600
        q0 += dq
        control = current_ma
        after_charge = r["program_step"] in (4, 5)  # discharge and the rest after it
        half = 2 * (r["cycle_index"] - 1) + int(after_charge)
        fields = [
            "3" if kind == "rest" else "1",
            "0" if kind == "discharge" else "1",
            "0",
            "0",
            "1" if ns[k] != previous_ns else "0",
            "0",
            str(ns[k]),
            comma(r["time_s"], 4),
            comma(control, 6),
            comma(r["voltage_V"], 7),
            f"{dq:.15E}".replace(".", ","),
            f"{current_ma:.15E}".replace(".", ","),
            f"{q0:.15E}".replace(".", ","),
            str(half),
            str(r["cycle_index"] - 1),  # EC-Lab counts cycles from 0
        ]
        previous_ns = ns[k]
        lines.append("\t".join(fields))
    write_text("biologic_gcpl.mpt", lines, encoding="cp1252", newline="\r\n", final_newline=False)


# --------------------------------------------------------------------------------------------
# Maccor


def write_maccor() -> None:
    data = rows()
    header = [
        "Name:\tSYNTHETIC-LLZTO-001",
        "Channel:\t3",
        "Tester\tMaccor #1",
        "Procedure\tSSBLAB_EXAMPLE.000",
        "Description\tssblab synthetic example   \x04   \x03 \xff\xff\xff",
        f"Started\t{maccor_stamp(START)}",
        f"SCap\t{NOMINAL_MAH / 1000}",
        "",
        "Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]"
        "\tVoltage [V]\tMd\tES\tDPT Time",
        "",
    ]
    lines = list(header)
    for k, r in enumerate(data):
        md = {"charge": "C", "discharge": "D", "rest": "R"}[r["step_type"]]
        dpt = maccor_stamp(r["stamp"])
        lines.append(
            "\t".join(
                [
                    str(k + 1),
                    str(r["cycle_index"] - 1),
                    str(r["cycle_index"]),
                    str(r["program_step"]),
                    f"{r['time_s'] / 60:.6f}",  # TestTime in minutes, without a unit
                    f"{r['step_time_s'] / 60:.6f}",
                    f"{r['step_capacity_Ah']:.8f}",
                    f"{r['step_capacity_Ah'] * r['voltage_V']:.8f}",
                    f"{abs(r['current_A']):.8f}",  # unsigned
                    f"{r['voltage_V']:.4f}",
                    md,
                    "0",
                    dpt,
                ]
            )
        )
    text = "\r\n".join(lines) + "\r\n"
    (HERE / "maccor_export.txt").write_bytes(text.encode("latin-1"))


#: Records of the ACImp and FRA steps written into the ``Rec#`` export (not cycling data):
#: (seconds after the 2nd point of the rest that follows the first charge, State, ACImp Ω).
#: As in the FRA test file of TRI-AMDD/beep, the FRA step's records repeat its record number
#: and its test time (step time 0) while the DPt Time clock runs on.
IMPEDANCE_ROWS = (
    (20, "R", 18.73),  # an ACImp step: a 1 kHz reading on rest records
    (40, "R", 18.71),
    (60, "R", 18.74),
    (70, "FRA", 0.0),  # an FRA step: one record number, frozen test time
    (70, "FRA", 0.0),
    (70, "FRA", 0.0),
    (70, "FRA", 0.0),
    (70, "FRA", 0.0),
)
#: The DPt Time of the FRA records: seconds after the FRA step began.
FRA_CLOCK = (0, 9, 19, 28, 38)


def write_maccor_rec() -> None:
    """The MIMS/MacTest ``Rec#`` export: one preamble line, signed ``Amps``, ``State``,
    ``Amp-hr`` restarting at every step, 24-hour ``DPt Time``, ``ACImp/Ohms``/``DCIR/Ohms``,
    and the records of an ACImp and an FRA step inside the rest after the first charge."""
    data = rows()
    preamble = (
        f"Today's Date {START:%m/%d/%Y}  Date of Test:\t{START:%m/%d/%Y}\t Filename:\t"
        "C:\\Data\\SSBLAB-LLZTO-002.003 Procedure: SSBLAB_EXAMPLE.000\t"
        "Comment/Barcode: ssblab synthetic example"
    )
    header = (
        "Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES"
        "\tDPt Time\tACImp/Ohms\tDCIR/Ohms"
    )
    records: list[list[str]] = []

    def record(r: dict, state: str, step: int, es: int, acimp: float, times: tuple) -> None:
        test_time, step_time, clock, number = times
        q = r["step_capacity_Ah"] if state in "CDR" else 0.0
        records.append(
            [
                str(number),
                str(r["cycle_index"] - 1),  # Maccor counts cycles from 0
                str(step),
                f"{test_time:.4f}",
                f"{step_time:.4f}",
                f"{q:.10f}",
                f"{q * r['voltage_V']:.10f}",
                f"{r['current_A']:.10f}",
                f"{r['voltage_V']:.8f}",
                state,
                str(es),
                f"{START + timedelta(seconds=clock):%m/%d/%Y %H:%M:%S}",
                f"{acimp:.5f}",
                "0.00000",
            ]
        )

    rest = [r for r in data if r["step_type"] == "rest" and r["cycle_index"] == 1]
    anchor = [r for r in rest if r["step_index"] == 2][1]  # 2nd point of the rest after charge
    number = 0
    for k, r in enumerate(data):
        state = {"charge": "C", "discharge": "D", "rest": "R"}[r["step_type"]]
        first = k == 0 or r["step_index"] != data[k - 1]["step_index"]
        number += 1
        times = (r["time_s"], r["step_time_s"], r["time_s"], number)
        record(r, state, r["program_step"], 0 if first else 1, 0.0, times)
        if r is anchor:
            fra = iter(FRA_CLOCK)
            fra_number = None
            for offset, code, acimp in IMPEDANCE_ROWS:
                t = r["time_s"] + offset
                if code == "FRA":
                    fra_number = fra_number or number + 1
                    clock = t + next(fra)
                    times = (t, 0.0, clock, fra_number)
                    record(r, code, 21, 17, acimp, times)
                else:
                    number += 1
                    times = (t, offset - 20.0, t, number)
                    record(r, code, 20, 0, acimp, times)
            number = fra_number
    lines = [preamble, header, *("\t".join(fields) for fields in records)]
    write_text("maccor_rec_export.txt", lines, newline="\r\n")


# --------------------------------------------------------------------------------------------
# Neware


def write_neware() -> None:
    data = rows()
    flat = [
        [
            "DataPoint", "Cycle Index", "Step Index", "Step Type", "Time", "Cumulative Time",
            "Current(A)", "Voltage(V)", "Capacity(Ah)", "Chg. Cap.(Ah)", "DChg. Cap.(Ah)",
            "Date",
        ]
    ]  # fmt: skip
    for k, r in enumerate(data):
        charge = r["step_capacity_Ah"] if r["step_type"] == "charge" else 0.0
        discharge = r["step_capacity_Ah"] if r["step_type"] == "discharge" else 0.0
        flat.append(
            [
                k + 1,
                r["cycle_index"],
                r["step_index"] + 1,
                neware_type(r["step_type"]),
                hhmmss(r["step_time_s"]),
                hhmmss(r["time_s"]),
                f"{r['current_A']:.8f}",
                f"{r['voltage_V']:.4f}",
                f"{r['step_capacity_Ah']:.8f}",
                f"{charge:.8f}",
                f"{discharge:.8f}",
                f"{r['stamp']:%Y-%m-%d %H:%M:%S}",
            ]
        )
    write_text("neware_flat.csv", csv_lines(flat), final_newline=False)
    write_workbook(
        "neware_export.xlsx",
        [
            ("test", [["Start Time", f"{START:%Y-%m-%d %H:%M:%S}"], ["Channel", "3"]]),
            ("cycle", [["Cycle Index", "Chg. Cap.(Ah)", "DChg. Cap.(Ah)"]]),
            ("record", flat),
        ],
    )

    # the "regular" export: cycle rows, step rows (one leading empty field), record rows (two)
    stacked = [
        ["Cycle Index", "Chg. Cap.(Ah)", "DChg. Cap.(Ah)"],
        ["", "Step Index", "Step Number", "Step Type", "Step Time", "Capacity(Ah)"],
        [
            "", "", "DataPoint", "Time", "Total Time", "Current(A)", "Voltage(V)",
            "Capacity(Ah)", "Date", "T1(?)",
        ],
    ]  # fmt: skip
    for cycle in sorted({r["cycle_index"] for r in data}):
        in_cycle = [r for r in data if r["cycle_index"] == cycle]
        steps = sorted({r["step_index"] for r in in_cycle})
        ends = {s: [r for r in in_cycle if r["step_index"] == s][-1] for s in steps}
        charged = sum(e["step_capacity_Ah"] for e in ends.values() if e["step_type"] == "charge")
        discharged = sum(
            e["step_capacity_Ah"] for e in ends.values() if e["step_type"] == "discharge"
        )
        stacked.append([cycle, f"{charged:.5f}", f"{discharged:.5f}"])
        for step in steps:
            end = ends[step]
            stacked.append(
                [
                    "",
                    end["program_step"],
                    step + 1,
                    neware_type(end["step_type"]),
                    hhmmss(end["step_time_s"]),
                    f"{end['step_capacity_Ah']:.5f}",
                ]
            )
            for r in (r for r in in_cycle if r["step_index"] == step):
                stacked.append(
                    [
                        "",
                        "",
                        data.index(r) + 1,
                        hhmmss(r["step_time_s"]),
                        hhmmss(r["time_s"]),
                        f"{r['current_A']:.5f}",
                        f"{r['voltage_V']:.4f}",
                        f"{r['step_capacity_Ah']:.9f}",
                        f"{r['stamp']:%Y-%m-%d %H:%M:%S}",
                        "25.00",
                    ]
                )
    write_text("neware_stacked.csv", csv_lines(stacked))


# --------------------------------------------------------------------------------------------
# Arbin


def arbin_table() -> list[list[object]]:
    data = rows()
    table: list[list[object]] = [
        [
            "Data_Point", "Test_Time(s)", "Date_Time", "Step_Time(s)", "Step_Index",
            "Cycle_Index", "Current(A)", "Voltage(V)", "Charge_Capacity(Ah)",
            "Discharge_Capacity(Ah)", "dV/dt(V/s)", "Aux_Temperature_1(C)",
        ]
    ]  # fmt: skip
    done_charge = done_discharge = 0.0  # capacity of the finished steps of this cycle
    for k, r in enumerate(data):
        if k and r["cycle_index"] != data[k - 1]["cycle_index"]:
            done_charge = done_discharge = 0.0  # Arbin restarts the capacities every cycle
        elif k and r["step_index"] != data[k - 1]["step_index"]:
            previous = data[k - 1]
            if previous["step_type"] == "charge":
                done_charge += previous["step_capacity_Ah"]
            elif previous["step_type"] == "discharge":
                done_discharge += previous["step_capacity_Ah"]
        now = r["step_capacity_Ah"]
        charge = done_charge + (now if r["step_type"] == "charge" else 0.0)
        discharge = done_discharge + (now if r["step_type"] == "discharge" else 0.0)
        program = r["program_step"]
        table.append(
            [
                k + 1,
                r["time_s"],
                f"{r['stamp']:%m/%d/%Y %H:%M:%S}",
                r["step_time_s"],
                program,
                r["cycle_index"],
                r["current_A"],
                r["voltage_V"],
                round(charge, 12),
                round(discharge, 12),
                0.0,
                25.0,
            ]
        )
    return table


def write_arbin() -> None:
    table = arbin_table()
    write_text("arbin_export.csv", csv_lines(table))
    half = 1 + (len(table) - 1) // 2
    info = [
        [None, None, None, "TEST REPORT"],
        [None, None, None, "ssblab_synthetic_example"],
        [],
        ["Channel", "Start DateTime", "Schedule File Name", "Creator", "Software Version"],
        [3, START, "ssblab_example.sdu", "ssblab", "synthetic"],
    ]
    write_workbook(
        "arbin_export.xlsx",
        [
            ("Global_Info", info),
            ("Channel_3_1", table[:half]),
            ("Channel_3_2", [table[0], *table[half:]]),  # a long test continues on a 2nd sheet
            ("Statistics_3", [["Cycle_Index", "Charge_Capacity(Ah)"], [1, 0.0]]),
        ],
    )


# --------------------------------------------------------------------------------------------
# LAND


def land_table() -> list[list[object]]:
    data = rows()
    table: list[list[object]] = [
        [
            "Index", "CycleNo", "StepNo", "TestTime/h", "StepTime/h", "Current/mA",
            "Capacity/mAh", "SpeCap/mAh/g", "Voltage/V", "SysTime",
        ]
    ]  # fmt: skip
    for k, r in enumerate(data):
        capacity_mah = r["step_capacity_Ah"] * 1e3
        table.append(
            [
                k + 1,
                r["cycle_index"],
                r["step_index"] + 1,
                round(r["time_s"] / 3600, 10),
                round(r["step_time_s"] / 3600, 10),
                round(r["current_A"] * 1e3, 6),
                round(capacity_mah, 6),
                round(capacity_mah / (ACTIVE_MASS_MG * 1e-3), 4),
                r["voltage_V"],
                f"{r['stamp']:%Y-%m-%d %H:%M:%S}",
            ]
        )
    return table


def write_land() -> None:
    table = land_table()
    # the CSV writes TestTime as hh:mm:ss text, the workbook in hours
    csv_table = [[*table[0][:3], "TestTime", *table[0][4:]]]
    csv_table += [[*row[:3], hhmmss(float(row[3]) * 3600), *row[4:]] for row in table[1:]]
    write_text("land_export.csv", csv_lines(csv_table))
    half = 1 + (len(table) - 1) // 2
    info = [
        ["Test name", "ssblab synthetic example"],
        ["Channel", "3"],
        ["Start time", f"{START:%Y-%m-%d %H:%M:%S}"],
        ["Active mass", f"{ACTIVE_MASS_MG} mg"],
        ["Nominal capacity", f"{NOMINAL_MAH} mAh"],
    ]
    write_workbook(
        "land_export.xlsx",
        [("Info", info), ("Record", table[:half]), ("Record-2", table[half:])],
    )


def main() -> None:
    write_generic()
    write_biologic_mpt()
    write_maccor()
    write_maccor_rec()
    write_neware()
    write_arbin()
    write_land()
    np.savetxt(
        HERE / "reference.csv",
        reference()[["time_s", "voltage_V", "current_A", "step_index", "cycle_index"]].to_numpy(),
        delimiter=",",
        header="time_s,voltage_V,current_A,step_index,cycle_index",
        fmt=["%.0f", "%.4f", "%.4e", "%d", "%d"],
        comments="",
    )


if __name__ == "__main__":
    main()
