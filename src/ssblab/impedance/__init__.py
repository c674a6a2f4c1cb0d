"""Impedance analysis for solid electrolytes."""

from ssblab.impedance.spectrum import Spectrum, check_spectrum_arrays, frequency_order

__all__ = ["Spectrum", "check_spectrum_arrays", "frequency_order"]
