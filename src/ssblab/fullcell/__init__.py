"""Full cells: Li | solid electrolyte | cathode half cells (PyBaMM composite, planar thin film)."""
