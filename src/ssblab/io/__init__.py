"""Instrument file input. :mod:`ssblab.io.eis` reads impedance spectra (``read_eis``)."""
