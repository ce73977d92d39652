"""Shared fixtures: the repository's seeds and gold, and one real build of the seeds per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO / "tests" / "fixtures" / "seeds_gold.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    """Output folder of one real `readout build` of seeds/ (real spaCy model), shared by tests."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("seeds_build")
    code = main(["build", "--input", str(SEEDS), "--output", str(out), "--quiet"])
    assert code == 0, f"readout build exited {code}"
    return out


@pytest.fixture(scope="session")
def nlp():
    """The production spaCy pipeline (the real model plus readout's components), loaded once."""
    from pipeline.nlp.parse import load_nlp
    from pipeline.settings import DEFAULT_SPACY_MODEL

    return load_nlp(DEFAULT_SPACY_MODEL)
