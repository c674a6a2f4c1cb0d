"""Column IDs of BioLogic EC-Lab ``.mpr`` data modules: what each stored column is.

The data module lists one 16-bit ID per stored column; the records hold the values in that
order, little-endian, without padding. Six IDs are not columns of their own but bits of one
shared **flags byte**, stored where the first of them is listed (:data:`FLAG_BITS`).

Every entry below is a documented fact, established as its ``source`` says:

``twin``
    Decoded here and equal, value for value, to the EC-Lab text export of the same
    measurement (the ``.mpr``/``.mpt`` twins of dgbowl/yadg, GCPL and PEIS, EC-Lab 11.50; the
    LPSCl pellet PEIS of jdhuang-csm/hybrid-drt). The text export prints a single-precision
    value with 8 significant digits and a double with 16, which confirms each width.
``real``
    Decoded here from a real file without a text twin (the hybrid-drt CP file: a set current
    of 0 and ±8.4 µA pulses, the charge integrating the current) and equal to galvani 0.5,
    which reads the IDs of EC-Lab ≥ 11.50 files by their low byte only (434/435 as 178/179,
    467/468 as 211/212; its "Column ID 215 unknown" is 471, ``<Ece>/V``).
``public``
    Stated with name and type in public material and consistent between independent
    sources: the galvani issue threads (#67 <Ewe>/V as 174, #80 and #85 EC-Lab's own column
    names in ID order, #81 step time/s as 438, #83 dq vs dQ, #88 Rdc/Acir as 505/509, #98
    Ewe-Ece/V as 27, #106/#107 Analog IN 2/V as 17) and the column tables of public
    decoders, read as facts. Where those sources disagree on a type, the width printed by
    the text twins decides (Capacitance charge/discharge and <I>/mA as 11 are doubles);
    where they disagree on a name or nothing decides, the ID is left out (441, 475, 478,
    481, 498–502 and the Express-only 97/436) and is skipped with a note if met, like any
    unknown ID.

Column names are EC-Lab's own (as in its text export), so ``.mpr`` and ``.mpt`` readers share
one vocabulary. ID 70 is ``P/W`` (EC-Lab 11.50 prints it ``Pwe/W`` in impedance exports).
"""

from __future__ import annotations

from typing import NamedTuple


class ColumnType(NamedTuple):
    name: str
    dtype: str  # numpy type string, little-endian
    source: str  # "twin", "real" or "public" (see the module docstring)


#: Flag IDs → (name, bit mask in the shared flags byte). ``mode`` takes two bits (1 = CC,
#: 2 = CV, 3 = rest/OCV); the others are booleans. Established on the yadg GCPL twin, whose
#: text export prints all six columns. Bit 6 (0x40), set on the last point of each loop and of
#: the run in all three real files with flags, has no column in EC-Lab's export: it is kept
#: only in the raw flags byte (``MprData.flags``).
FLAG_BITS: dict[int, tuple[str, int]] = {
    1: ("mode", 0x03),
    2: ("ox/red", 0x04),
    3: ("error", 0x08),
    21: ("control changes", 0x10),
    31: ("Ns changes", 0x20),
    65: ("counter inc.", 0x80),
}

_F4, _F8, _U1, _U2, _U4 = "<f4", "<f8", "<u1", "<u2", "<u4"

COLUMNS: dict[int, ColumnType] = {
    # time, potentials, currents, charges (GCPL, CP, CA, CV, OCV, MB)
    4: ColumnType("time/s", _F8, "twin"),
    5: ColumnType("control/V/mA", _F4, "twin"),
    6: ColumnType("Ewe/V", _F4, "twin"),
    7: ColumnType("dq/mA.h", _F8, "twin"),
    8: ColumnType("I/mA", _F4, "real"),
    9: ColumnType("Ece/V", _F4, "public"),
    11: ColumnType("<I>/mA", _F8, "public"),
    13: ColumnType("(Q-Qo)/mA.h", _F8, "twin"),
    16: ColumnType("Analog IN 1/V", _F4, "public"),
    17: ColumnType("Analog IN 2/V", _F4, "public"),
    19: ColumnType("control/V", _F4, "public"),
    20: ColumnType("control/mA", _F4, "real"),
    23: ColumnType("dQ/mA.h", _F8, "public"),
    24: ColumnType("cycle number", _F8, "twin"),
    26: ColumnType("Rapp/Ohm", _F4, "public"),
    27: ColumnType("Ewe-Ece/V", _F4, "public"),
    50: ColumnType("E0/V", _F4, "public"),
    69: ColumnType("R/Ohm", _F4, "public"),
    70: ColumnType("P/W", _F4, "twin"),
    73: ColumnType("rotation rate/rpm", _F4, "public"),
    74: ColumnType("|Energy|/W.h", _F8, "public"),
    75: ColumnType("Analog OUT/V", _F4, "public"),
    76: ColumnType("<I>/mA", _F4, "twin"),
    77: ColumnType("<Ewe>/V", _F4, "twin"),
    123: ColumnType("Energy charge/W.h", _F8, "public"),
    124: ColumnType("Energy discharge/W.h", _F8, "public"),
    125: ColumnType("Capacitance charge/µF", _F8, "public"),
    126: ColumnType("Capacitance discharge/µF", _F8, "public"),
    131: ColumnType("Ns", _U2, "twin"),
    163: ColumnType("|Estack|/V", _F4, "public"),
    168: ColumnType("Rcmp/Ohm", _F4, "public"),
    174: ColumnType("<Ewe>/V", _F4, "public"),
    434: ColumnType("(Q-Qo)/C", _F4, "real"),
    435: ColumnType("dQ/C", _F4, "real"),
    438: ColumnType("step time/s", _F8, "public"),
    462: ColumnType("Temperature/°C", _F4, "public"),
    467: ColumnType("Q charge/discharge/mA.h", _F8, "twin"),
    468: ColumnType("half cycle", _U4, "twin"),
    469: ColumnType("z cycle", _U4, "public"),
    471: ColumnType("<Ece>/V", _F4, "public"),
    505: ColumnType("Rdc/Ohm", _F4, "public"),
    509: ColumnType("Acir/Dcir Control", _U1, "public"),
    # impedance (PEIS, GEIS, SPEIS, SGEIS)
    32: ColumnType("freq/Hz", _F4, "twin"),
    33: ColumnType("|Ewe|/V", _F4, "twin"),
    34: ColumnType("|I|/A", _F4, "twin"),
    35: ColumnType("Phase(Z)/deg", _F4, "twin"),
    36: ColumnType("|Z|/Ohm", _F4, "twin"),
    37: ColumnType("Re(Z)/Ohm", _F4, "twin"),
    38: ColumnType("-Im(Z)/Ohm", _F4, "twin"),
    39: ColumnType("I Range", _U2, "twin"),
    78: ColumnType("Cs-2/µF-2", _F4, "public"),
    96: ColumnType("|Ece|/V", _F4, "public"),
    98: ColumnType("Phase(Zce)/deg", _F4, "public"),
    99: ColumnType("|Zce|/Ohm", _F4, "public"),
    100: ColumnType("Re(Zce)/Ohm", _F4, "public"),
    101: ColumnType("-Im(Zce)/Ohm", _F4, "public"),
    169: ColumnType("Cs/µF", _F4, "twin"),
    172: ColumnType("Cp/µF", _F4, "twin"),
    173: ColumnType("Cp-2/µF-2", _F4, "public"),
    430: ColumnType("Phase(Zwe-ce)/deg", _F4, "public"),
    431: ColumnType("|Zwe-ce|/Ohm", _F4, "public"),
    432: ColumnType("Re(Zwe-ce)/Ohm", _F4, "public"),
    433: ColumnType("-Im(Zwe-ce)/Ohm", _F4, "public"),
    473: ColumnType("THD Ewe/%", _F4, "twin"),
    474: ColumnType("THD I/%", _F4, "twin"),
    476: ColumnType("NSD Ewe/%", _F4, "twin"),
    477: ColumnType("NSD I/%", _F4, "twin"),
    479: ColumnType("NSR Ewe/%", _F4, "twin"),
    480: ColumnType("NSR I/%", _F4, "twin"),
    **{486 + k: ColumnType(f"|Ewe h{k + 2}|/V", _F4, "twin") for k in range(6)},
    **{492 + k: ColumnType(f"|I h{k + 2}|/A", _F4, "twin") for k in range(6)},
}

#: Technique IDs (first byte of the settings module) seen on real files with a known technique:
#: the text twins name it (GCPL, PEIS), the other files say it in their names (GEIS, CP).
TECHNIQUES: dict[int, str] = {4: "GCPL", 25: "CP", 29: "PEIS", 30: "GEIS"}
