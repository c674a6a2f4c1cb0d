"""matplotlib, loaded on first use.

Importing ``matplotlib.pyplot`` costs ~0.3 s, which every command that never draws a figure
would pay if the figure modules imported it at the top. ``plt`` here behaves like the pyplot
module (``plt.subplots``, ``plt.close`` …) and imports it, with the non-interactive Agg backend,
the first time an attribute is used.
"""

from __future__ import annotations

from typing import Any


class _LazyPyplot:
    def __getattr__(self, name: str) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot

        return getattr(pyplot, name)


plt: Any = _LazyPyplot()
