"""ssblab: a toolkit for oxide solid-state lithium batteries and their interfaces."""

# The single source of the version: pyproject.toml reads it (``[tool.setuptools.dynamic]``), so
# the CLI does not pay ~40 ms of importlib.metadata at every start.
__version__ = "0.1.0"

__all__ = ["__version__"]
