"""Typed exceptions. Every bad-input error is a subclass of :class:`SsblabInputError`.

The CLI turns an :class:`SsblabInputError` into exit code 2 and a one-line message; anything
else is an internal error (exit code 1).
"""


class SsblabError(Exception):
    """Base class of every ssblab exception."""


class SsblabInputError(SsblabError, ValueError):
    """Bad input from the user: a file, a formula, a parameter or a unit."""


class FormulaError(SsblabInputError):
    """A chemical formula that cannot be parsed or has no defined oxidation state."""


class UnitError(SsblabInputError):
    """A quantity that cannot be parsed or has the wrong dimensionality."""


class KnowledgeDataError(SsblabInputError):
    """A knowledge-base data file or record that fails validation."""


class ImpedanceDataError(SsblabInputError):
    """Impedance data that cannot be analysed (NaN, duplicate or non-positive frequencies …)."""


class CircuitError(SsblabInputError):
    """A circuit string or parameter set that is malformed."""


class FileFormatError(SsblabInputError):
    """An instrument file that cannot be read; the message names the file (and line if known)."""


class MicrostructureError(SsblabInputError):
    """A microstructure or transport-network request that cannot be built or solved; the
    message names the parameter."""
