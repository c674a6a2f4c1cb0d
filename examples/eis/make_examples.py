"""Write the synthetic example files of ``examples/eis/`` — one per supported text format.

Every file holds the same circuit, R0-p(R1,C1)-p(R2,C2) (an electrolyte-like bulk arc and an
interface arc), sampled from 1 MHz to 0.1 Hz at 5 points per decade, written in the layout the
instrument software uses (see the reader modules in ``src/ssblab/io/eis/``). ``circuit.json``
records the parameters so tests can check what the readers return. Run from the repository
root: ``.venv/bin/python examples/eis/make_examples.py``.

BioLogic ``.mpr`` is binary and has no writer here, so it has no example; Zahner ``.ism`` is
not supported.
"""

from __future__ import annotations

import cmath
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CIRCUIT = {"R0_ohm": 20.0, "R1_ohm": 500.0, "C1_F": 1e-9, "R2_ohm": 2000.0, "C2_F": 1e-6}
FREQUENCIES = [10 ** (6 - k / 5) for k in range(36)]  # 1 MHz … 0.1 Hz, 5 per decade
LOOP_OFFSETS = (0.0, 0.05)  # second loop: R0 is 5 % larger (e.g. a later measurement)


def impedance(f: float, r0_scale: float = 1.0) -> complex:
    w = 2 * math.pi * f
    p = CIRCUIT
    arc1 = p["R1_ohm"] / (1 + 1j * w * p["R1_ohm"] * p["C1_F"])
    arc2 = p["R2_ohm"] / (1 + 1j * w * p["R2_ohm"] * p["C2_F"])
    return p["R0_ohm"] * r0_scale + arc1 + arc2


def points(r0_scale: float = 1.0) -> list[tuple[float, complex]]:
    return [(f, impedance(f, r0_scale)) for f in FREQUENCIES]


def phase_deg(z: complex) -> float:
    return math.degrees(cmath.phase(z))


def write_text(
    name: str,
    lines: Iterable[str],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
    final_newline: bool = True,
    bom: bytes = b"",
) -> None:
    text = newline.join(lines) + (newline if final_newline else "")
    (HERE / name).write_bytes(bom + text.encode(encoding))


# --------------------------------------------------------------------------------------------


def chi_number(x: float) -> str:
    """CHI style: 4 significant digits, exponent without zero padding (9.961e+4)."""
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa}e{int(exponent):+d}"


def write_chi() -> None:
    lines = [
        "Nov. 22, 2025   10:00:00",
        "A.C. Impedance",
        r"File: c:\ssblab\chi_example.bin",
        "Data Source:  Experiment",
        "Instrument Model:  CHI660E",
        "Header: synthetic R0-p(R1,C1)-p(R2,C2) written by ssblab",
        "Note: ",
        "",
        "Init E (V) = 0",
        "High Frequency (Hz) = 1e+6",
        "Low Frequency (Hz) = 0.1",
        "Imp SF",
        "Amplitude (V) = 0.01",
        "Quiet Time (sec) = 2",
        "",
        "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg",
        "",
    ]
    for f, z in points():
        lines.append(
            ", ".join(
                [
                    chi_number(f),
                    chi_number(z.real),
                    chi_number(z.imag),
                    chi_number(abs(z)),
                    f"{phase_deg(z):.1f}",
                ]
            )
        )
    write_text("chi_ac_impedance.txt", lines)


def ec_lab_number(x: float) -> str:
    return f"{x:.9g}".replace(".", ",")


def write_biologic_mpt() -> None:
    columns = [
        "freq/Hz",
        "Re(Z)/Ohm",
        "-Im(Z)/Ohm",
        "|Z|/Ohm",
        "Phase(Z)/deg",
        "time/s",
        "<Ewe>/V",
        "<I>/mA",
        "Cs/µF",
        "cycle number",
    ]
    header = [
        "EC-Lab ASCII FILE",
        "Nb header lines : {n}                          ",
        "",
        "Potentio Electrochemical Impedance Spectroscopy",
        "",
        "Run on channel : 1 (SN 0001)",
        "User : ",
        "Acquisition started on : 22.11.2025 10:00:00",
        "Saved on :",
        "\tFile : ssblab_example_PEIS_C01.mpr",
        "\tDirectory : C:\\ssblab\\",
        "Device : VMP3 (SN 0001)",
        "EC-Lab for windows v10.33 (software)",
        "Electrode material : LLZTO pellet (synthetic)",
        "Initial state : ",
        "Electrolyte : none (solid electrolyte)",
        "Comments : R0-p(R1,C1)-p(R2,C2) written by ssblab",
        "Electrode surface area : 0,785 cm²",
        "Characteristic mass : 0,001 g",
        "Multi Sine          0                   ",
        "E (V)               0,0000              ",
        "vs.                 Eoc                 ",
        "fi                  1,000               ",
        "unit fi             MHz                 ",
        "ff                  100,000             ",
        "unit ff             mHz                 ",
        "Nd                  5                   ",
        "Va (mV)             10,0                ",
        "",
        "Number of loops : 2",
        f"Loop 0 from point number 0 to {len(FREQUENCIES) - 1}",
        f"Loop 1 from point number {len(FREQUENCIES)} to {2 * len(FREQUENCIES) - 1}",
        "",
        "\t".join(columns),
    ]
    header[1] = header[1].format(n=len(header))
    rows, time = [], 10.0
    for loop, offset in enumerate(LOOP_OFFSETS, start=1):
        for f, z in points(1 + offset):
            time += 1 + 1 / f
            cs_uf = -1 / (2 * math.pi * f * z.imag) * 1e6
            values = [f, z.real, -z.imag, abs(z), phase_deg(z), time, 0.0123, 1e-6, cs_uf]
            rows.append("\t".join([*(ec_lab_number(v) for v in values), str(loop)]))
    write_text("biologic_peis_2loops.mpt", header + rows, encoding="cp1252", final_newline=False)


def write_gamry() -> None:
    lines = [
        "EXPLAIN",
        "TAG\tEISPOT",
        "TITLE\tLABEL\tPotentiostatic EIS\tTest Identifier",
        "DATE\tLABEL\t11/22/2025\tDate",
        "TIME\tLABEL\t10:00:00\tTime",
        "NOTES\tNOTES\t1\tNotes...",
        "\tsynthetic R0-p(R1,C1)-p(R2,C2) written by ssblab",
        "PSTAT\tPSTAT\tREF600-00001\tPotentiostat",
        "VDC\tPOTEN\t0.00000E+000\tT\tDC Voltage (V)",
        "FREQINIT\tQUANT\t1.00000E+006\tInitial Freq. (Hz)",
        "FREQFINAL\tQUANT\t1.00000E-001\tFinal Freq. (Hz)",
        "PTSPERDEC\tQUANT\t5.00000E+000\tPoints/decade",
        "VAC\tQUANT\t1.00000E+001\tAC Voltage (mV rms)",
        "AREA\tQUANT\t7.85000E-001\tSample Area (cm^2)",
        "OCVCURVE\tTABLE\t3",
        "\tPt\tT\tVf\tVm\tAch\tOver\tTemp",
        "\t#\ts\tV vs. Ref.\tV\tV\tbits\tdeg C",
        *(f"\t{i}\t{0.5 * (i + 1)}\t1.23E-002\t1.23E-002\t0\t...........\t25" for i in range(3)),
        "EOC\tQUANT\t0.0123\tOpen Circuit (V)",
        "FRAMEWORKVERSION\tLABEL\t7.10.0\tFramework Version",
        "ZCURVE\tTABLE",
        "\tPt\tTime\tFreq\tZreal\tZimag\tZsig\tZmod\tZphz\tIdc\tVdc\tIERange",
        "\t#\ts\tHz\tohm\tohm\tV\tohm\t°\tA\tV\t#",
    ]
    for i, (f, z) in enumerate(points()):
        lines.append(
            f"\t{i}\t{i + 1}\t{f:.7g}\t{z.real:.7g}\t{z.imag:.7g}\t1\t{abs(z):.7g}\t"
            f"{phase_deg(z):.7g}\t1E-009\t0.0123\t8"
        )
    write_text("gamry_eispot.DTA", lines, encoding="cp1252", newline="\r\n")


def write_zplot() -> None:
    lines = [
        "ZPLOT2 ASCII",
        "  Measured Data, ZPlot:       3.2c",
        "  Experiment Type:            Sweep Frequency, Control Voltage",
        "  Date:                       11-22-2025",
        "  Time:                       10:00:00",
        "  Open Circuit Potential (V): 0.0123",
        "  Begin User Comments:        0",
        "  End User Comments:          0",
        "  Begin Experiment:           0",
        "    Potential-DC:             0",
        "    Potential-AC:             10",
        "    vs Freq-Initial:          1000000",
        "    vs Freq-Final:            0.1",
        "  End Experiment:             0",
        f"  Data Points:                {len(FREQUENCIES)}",
        "  Freq(Hz)\tAmpl\tBias\tTime(Sec)\tZ'(a)\tZ''(b)\tGD\tErr\tRange",
        "End Comments",
    ]
    for i, (f, z) in enumerate(points()):
        lines.append(
            f"{f:.6E}\t1.0000E-02\t0.0000E+00\t{i + 1:.6E}\t{z.real:.6E}\t"
            f"{z.imag:.6E}\t0.0000E+00\t0\t3"
        )
    write_text("zplot_measured.z", lines, newline="\r\n")


def write_z60w() -> None:
    lines = [
        '"Z60W Data File: Version 1.1"',
        '"synthetic R0-p(R1,C1)-p(R2,C2) by ssblab"',
        *(['""'] * 6),
        "0,2,0,1,0.1,1000000",
        str(len(FREQUENCIES)),
        "\"  Freq (Hz)    Ampl     Bias   Time(Sec)   Z'(a)    Z''(b)    GD   Err   Range\"",
    ]
    for f, z in points():
        lines.append(f"{f:.15g},0,0,0,{z.real:.15g},{z.imag:.15g},0,0,0")
    write_text("z60w_data.txt", lines, newline="\r\n", bom=b"\xef\xbb\xbf")


def write_parstat() -> None:
    names = [
        "Potential (V)",
        "Current (A)",
        "Elapsed Time (s)",
        "Frequency (Hz)",
        "Zre (ohms)",
        "Zim (ohms)",
        "|Vac| (V)",
        "|Iac| (A)",
    ]
    lines = ["\t".join(names) + "\t"]
    for second in range(1, 6):  # a short DC record before the sweep
        lines.append(f"3.5{second}\t-0.15\t{10 * second}\t0\t0\t0\t0\t0\t")
    for i, (f, z) in enumerate(points()):
        lines.append(f"3.5\t0\t{100 + i}\t{f!r}\t{z.real!r}\t{z.imag!r}\t0.01\t{0.01 / abs(z)!r}\t")
    write_text("parstat_export.txt", lines)


def write_versastudio() -> None:
    names = [
        "Segment #",
        "Point #",
        "E(V)",
        "I(A)",
        "Elapsed Time(s)",
        "ADC Sync Input(V)",
        "Current Range",
        "Status",
        "E Applied(V)",
        "Frequency(Hz)",
        "E Real",
        "E Imag",
        "I Real",
        "I Imag",
        "Z Real",
        "Z Imag",
        "E2 Status",
        "E2(V)",
        "E2 Real",
        "E2 Imag",
        "Z2 Real",
        "Z2 Imag",
        "ActionId",
        "AC Amplitude",
        "0",
    ]
    lines = [
        "<Application>",
        "Name=VersaStudio",
        "Version=2.52.3.0",
        "</Application>",
        "",
        "<Instrument>",
        "Type=VersaSTAT4",
        "Model=-400",
        "</Instrument>",
        "",
        "<Experiment>",
        "TimeAcquired=10:00:00 AM",
        "DateAcquired=Saturday, November 22, 2025",
        "</Experiment>",
        "",
        "<Action1>",
        "Amplitude (mV RMS)=10",
        "End Frequency (Hz)=0.1",
        "Start Frequency (Hz)=1000000",
        "Potential (V),Versus=vs OC",
        "Potential (V),Value=0",
        "Name=Potentiostatic EIS",
        "</Action1>",
        "",
        "<Segment1>",
        "Type=2",
        "Version=3",
        "Definition=" + ", ".join(names),
    ]
    for i, (f, z) in enumerate(points()):
        lines.append(
            f"0,{i},0,1E-09,{i + 1},0,5,53,0,{f:.7g},0,0,0,0,{z.real:.7g},{z.imag:.7g},"
            "0,0,0,0,0,0,21,0.01"
        )
    lines += ["</Segment1>", ""]
    write_text("versastudio_eis.par", lines, newline="\r\n")


def write_relaxis() -> None:
    lines = [
        "RelaxIS 3.0 Spectrum export",
        "Date: 11/22/2025 10:00:00 AM",
        "Data: Frequency\tData: Z'\tData: Z''\tData: |Z|\tData: Theta (Z)",
        "DC=0.0123, FV2=1\tModel: R0-p(R1,C1)-p(R2,C2)\t(WE/RE Spectrum) ssblab_example_1\t\t",
    ]
    for f, z in sorted(points()):
        lines.append(f"{f!r}\t{z.real!r}\t{z.imag!r}\t{abs(z)!r}\t{phase_deg(z)!r}")
    write_text("relaxis_export.txt", lines, newline="\r\n")


def palmsens_array(description: str, unit: str, values: list[float]) -> dict:
    return {
        "Type": "PalmSens.Data.DataArray",
        "Description": description,
        "Unit": {"S": unit},
        "DataValues": [{"V": v} for v in values],
    }


def write_palmsens() -> None:
    data = points()
    arrays = [
        palmsens_array("potential", "V", [0.0123] * len(data)),
        palmsens_array("Frequency", "Hz", [f for f, _ in data]),
        palmsens_array("ZRe", "\u2126", [z.real for _, z in data]),
        palmsens_array("ZIm", "\u2126", [-z.imag for _, z in data]),  # PalmSens stores −Im
        palmsens_array("Z", "\u2126", [abs(z) for _, z in data]),
        palmsens_array("Phase", "°", [-phase_deg(z) for _, z in data]),
    ]
    dataset = {"Type": "PalmSens.Data.DataSetEIS", "Values": arrays}
    method = (
        "#PSTrace, Version=5.9\r\nMETHOD_ID=eis\r\nAMPLITUDE=1.000E-002\r\n"
        "N_FREQ=36\r\nMIN_FREQ=1.000E-001\r\nMAX_FREQ=1.000E+006\r\n"
    )
    ticks = (datetime(2025, 11, 22, 10) - datetime(1, 1, 1)) // timedelta(microseconds=1) * 10
    session = {
        "Type": "PalmSens.DataFiles.SessionFile",
        "CoreVersion": "5.9.0.0",
        "MethodForMeasurement": method,
        "Measurements": [
            {
                "Title": "Impedance Spectroscopy",
                "TimeStamp": ticks,
                "DeviceSerial": "SSBLAB0001",
                "Method": method,
                "DataSet": dataset,
                "EISDataList": [{"Title": "Fixed at 36 freqs", "DataSet": dataset}],
            }
        ],
    }
    text = "\ufeff" + json.dumps(session, separators=(",", ":"), ensure_ascii=False) + "\ufeff"
    (HERE / "palmsens_session.pssession").write_bytes(text.encode("utf-16-le"))


def write_tables() -> None:
    lines = ["freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm,|Z|/Ohm,Phase(Z)/deg"]
    lines += [f"{f!r},{z.real!r},{-z.imag!r},{abs(z)!r},{phase_deg(z)!r}" for f, z in points()]
    write_text("table_cartesian.csv", lines)

    lines = ["time/s,freq/Hz,|Z|/Ohm,Phase(Z)/deg,Ewe/V,loop_index"]
    time = 0.0
    for loop, offset in enumerate(LOOP_OFFSETS):
        for f, z in points(1 + offset):
            time += 1 + 1 / f
            lines.append(f"{time!r},{f!r},{abs(z)!r},{phase_deg(z)!r},0.0123,{loop}")
        lines.append(f"{time + 0.01!r},0.0,0.0,0.0,0.0123,{loop}")  # end-of-loop marker
    write_text("table_polar_2loops.csv", lines)

    lines = ["# LLZTO pellet (synthetic), 25 °C", "Frequency (kHz);Z' (kOhm);Z'' (kOhm);T (°C)"]
    for f, z in points():
        cells = [f"{v:.10g}".replace(".", ",") for v in (f / 1e3, z.real / 1e3, z.imag / 1e3)]
        lines.append(";".join([*cells, "25,0"]))
    write_text("table_kohm_decimal_comma.csv", lines, encoding="cp1252")

    lines = [f"{f!r}\t{z.real!r}\t{-z.imag!r}" for f, z in points()]  # column 3 = −Im
    write_text("three_column_minus_im.txt", lines)


def write_excel() -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "EIS"
    sheet.append(["Sample", "LLZTO pellet (synthetic)"])
    sheet.append(["Circuit", "R0-p(R1,C1)-p(R2,C2)"])
    sheet.append([])
    sheet.append(["Frequency (Hz)", "Z' (Ohm)", "Z'' (Ohm)"])
    for f, z in points():
        sheet.append([f, z.real, z.imag])
    workbook.properties.created = workbook.properties.modified = datetime(2025, 11, 22, 10)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Re-zip with fixed dates (openpyxl stamps "modified" with the clock on save) so the file
    # is byte-identical on every run.
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(HERE / "excel_table.xlsx", "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-11-22T10:00:00Z", content
                )
            entry = zipfile.ZipInfo(item.filename, date_time=(2025, 11, 22, 10, 0, 0))
            target.writestr(entry, content, zipfile.ZIP_DEFLATED)


def main() -> None:
    write_chi()
    write_biologic_mpt()
    write_gamry()
    write_zplot()
    write_z60w()
    write_parstat()
    write_versastudio()
    write_relaxis()
    write_palmsens()
    write_tables()
    write_excel()
    description = {
        "circuit": "R0-p(R1,C1)-p(R2,C2)",
        "parameters": CIRCUIT,
        "frequencies_hz": {
            "first": FREQUENCIES[0],
            "last": FREQUENCIES[-1],
            "points_per_decade": 5,
            "count": len(FREQUENCIES),
        },
        "second_loop_r0_scale": 1 + LOOP_OFFSETS[1],
    }
    (HERE / "circuit.json").write_text(json.dumps(description, indent=2) + "\n")


if __name__ == "__main__":
    main()
