"""End to end: release a real build of seeds/, verify it, and load it the ways the card says."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.cli import main
from pipeline.release import INTERNAL_TABLES, make_release, verify_release
from schemas import TABLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_release(seeds_build, tmp_path_factory) -> Path:
    """A release of the seeds build, made from a copy so the shared build folder stays untouched."""
    out = tmp_path_factory.mktemp("seeds_release")
    shutil.copytree(seeds_build / "tables", out / "tables")
    return make_release(out, gold_scores={"documents": {"title_accuracy": 1.0}})


def test_release_seeds_verifies(seeds_release):
    assert seeds_release.name == "1.0.0"
    assert verify_release(seeds_release) == []
    assert main(["verify", str(seeds_release)]) == 0
    if shutil.which("sha256sum"):
        run = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], cwd=seeds_release, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr


def test_release_seeds_datapackage_matches_tables(seeds_release, seeds_dir):
    dp = json.loads((seeds_release / "datapackage.json").read_text())
    published = [t for t in TABLES if t not in INTERNAL_TABLES]
    assert [r["name"] for r in dp["resources"]] == published
    for res in dp["resources"]:
        assert res["rows"] == pl.read_parquet(seeds_release / res["path"]).height
    assert sorted(Path(s["path"]).name for s in dp["sources"]) == sorted(
        p.name for p in seeds_dir.iterdir() if p.is_file()
    )
    assert dp["readout"]["build"]["git_commit"]
    assert dp["readout"]["build"]["spacy_model"]


def test_release_seeds_duckdb_and_card_snippets(seeds_release, monkeypatch, capsys):
    con = duckdb.connect(str(seeds_release / "readout.duckdb"), read_only=True)
    try:
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
    assert n_docs == pl.read_parquet(seeds_release / "tables/documents.parquet").height
    card = (seeds_release / "README.md").read_text()
    snippets = dict(
        (key, code)
        for key, lang, code in re.findall(
            r"<!-- snippet: (\S+) -->\n```(\w+)\n(.*?)\n```", card, flags=re.S
        )
        if lang == "python" and key in ("duckdb-python", "polars")
    )
    assert set(snippets) == {"duckdb-python", "polars"}
    monkeypatch.chdir(seeds_release)
    for key, code in snippets.items():
        exec(compile(code, f"README.md:{key}", "exec"), {})
    assert capsys.readouterr().out.strip()
