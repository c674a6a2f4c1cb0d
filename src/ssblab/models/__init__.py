"""Interface physics of oxide solid-state Li batteries: pure functions and small frozen dataclasses.

SI floats inside; each module states its equations, units, validity range and sources.
"""
