"""The ``ssblab`` console script: answers ``ssblab --version`` without loading the CLI.

Everything else is handed to :func:`ssblab.cli.main.main`; the command modules import numpy,
scipy, pandas and matplotlib only inside the commands that need them, so ``--help`` and the
one-shot commands start fast (``benchmarks/startup.py`` measures it).
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ssblab import __version__

        sys.stdout.write(f"ssblab {__version__}\n")
        sys.exit(0)
    from ssblab.cli.main import main as run_cli

    run_cli()
