"""ssblab: a toolkit for oxide solid-state lithium batteries and their interfaces."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ssblab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
