"""readout: news articles in, an open versioned dataset of who said what and who did what to whom.

`pipeline/` holds the engines (pure transforms, Parquet I/O, checks, the CLI and the Dagster
wiring); `assets/` holds one thin Dagster module per stage; `schemas/` declares every table once.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("readout")
except PackageNotFoundError:  # running from a source tree that was not pip-installed
    __version__ = "0.0.0+unknown"
