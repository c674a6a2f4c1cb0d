"""What the CLI prints with ``--json``, built from data already loaded.

``ssblab eis …`` / ``ssblab cycle …`` and the web app (:mod:`ssblab.web`) both call these
functions, so a number on a web page is the number ``--json`` prints for the same file. They
read no files, draw nothing and print nothing: reading, figures and tables stay with the caller,
which passes optional callbacks (a progress bar, a figure writer) where the CLI needs them.
numpy, scipy and pandas load when a function runs, not when this package is imported (the CLI's
start-up budget, ``benchmarks/startup.py``).
"""
