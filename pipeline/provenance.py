"""What a build records about itself: code version, git commit, language model, counts."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import polars as pl
import spacy

from pipeline import __version__
from pipeline.settings import REPO_ROOT
from schemas import TABLES


def git_commit(repo: Path = REPO_ROOT) -> str:
    """HEAD's commit hash, with '-dirty' when tracked files have uncommitted changes; 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def provenance_row(
    *,
    build_id: str,
    input_dir: str,
    started_at: dt.datetime,
    spacy_model: str,
    spacy_model_version: str,
    n_input_files: int,
    n_documents: int,
    n_rejected: int,
) -> dict:
    return {
        "build_id": build_id,
        "readout_version": __version__,
        "git_commit": git_commit(),
        "spacy_model": spacy_model,
        "spacy_model_version": spacy_model_version,
        "spacy_version": spacy.__version__,
        "input_dir": input_dir,
        "started_at": started_at,
        "finished_at": dt.datetime.now(dt.UTC),
        "n_input_files": n_input_files,
        "n_documents": n_documents,
        "n_rejected": n_rejected,
    }


def append_build(previous: pl.DataFrame | None, row: dict) -> pl.DataFrame:
    """The provenance table with this build's row added after the earlier builds' rows."""
    new = pl.DataFrame([row], schema=TABLES["provenance"].polars_schema())
    if previous is None or previous.height == 0:
        return new
    return pl.concat([previous.select(new.columns).cast(new.schema), new]).unique("build_id", keep="last", maintain_order=True)
