"""``python -m ssblab.cli`` runs the command line (the same as the ``ssblab`` script)."""

from ssblab.cli.launcher import main

main()
