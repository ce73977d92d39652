"""End to end: release a real build of seeds/, verify it, and load it the ways the card says."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate
from pipeline.release import (
    INTERNAL_TABLES,
    ReleaseExistsError,
    make_release,
    verify_release,
)
from schemas import TABLES

pytestmark = pytest.mark.slow

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def seeds_output(seeds_build, tmp_path_factory) -> Path:
    """A copy of the shared seeds build's tables, so releasing never touches the shared folder."""
    out = tmp_path_factory.mktemp("seeds_release")
    shutil.copytree(seeds_build / "tables", out / "tables")
    return out


@pytest.fixture(scope="module")
def seeds_release(seeds_output, gold) -> Path:
    return make_release(seeds_output, gold_scores=evaluate(seeds_output, gold))


def _snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(root.rglob("*"))
    }


def _snippets(card: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r"<!-- snippet: (\S+) -->\n```(\w+)\n(.*?)\n```", card, flags=re.S)
    return {key: (lang, code) for key, lang, code in found}


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
    gold = dp["readout"]["accuracy_on_seed_gold"]
    assert set(gold) >= {"documents", "entities", "quotes", "events"}
    assert 0 < gold["quotes"]["quotes"]["precision"] <= 1
    assert set(dp["readout"]["duckdb_views"]) == {"quotes_with_speakers", "events_with_actors"}


QUOTE_VIEW_NEEDS = {
    "quote_id", "doc_id", "text", "kind", "speaker_entity_id", "speaker_name", "speaker_type",
    "doc_title", "doc_outlet", "doc_published_date", "reported_date",
}  # fmt: skip
EVENT_VIEW_NEEDS = {
    "event_id", "doc_id", "event_type", "event_date", "date_precision", "role", "entity_id",
    "entity_name", "entity_type", "doc_title", "doc_outlet", "doc_published_date",
}  # fmt: skip


def test_release_seeds_duckdb_views(seeds_release):
    quotes = pl.read_parquet(seeds_release / "tables/quotes.parquet")
    events = pl.read_parquet(seeds_release / "tables/events.parquet")
    con = duckdb.connect(str(seeds_release / "readout.duckdb"), read_only=True)
    try:
        q = con.sql("SELECT * FROM quotes_with_speakers").pl()
        ev = con.sql("SELECT * FROM events_with_actors").pl()
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
    assert n_docs == pl.read_parquet(seeds_release / "tables/documents.parquet").height

    assert QUOTE_VIEW_NEEDS <= set(q.columns)
    assert q.height == quotes.height > 0  # one row per quote
    assert sorted(q["quote_id"]) == sorted(quotes["quote_id"])
    spoken = q.filter(pl.col("speaker_entity_id").is_not_null())
    assert spoken.height > 0 and spoken["speaker_type"].null_count() == 0
    assert q["doc_outlet"].null_count() < q.height  # the outlets the text names are joined
    assert q["reported_date"].null_count() < q.height

    assert EVENT_VIEW_NEEDS <= set(ev.columns)
    n_actors = sum(events[c].list.len().sum() for c in ("source_entity_ids", "target_entity_ids"))
    assert ev.height == n_actors > 0  # one row per event and actor
    assert set(ev["role"]) <= {"source", "target"} and "source" in set(ev["role"])
    assert ev["entity_id"].null_count() == 0 and ev["entity_type"].null_count() == 0
    assert ev["entity_name"].null_count() == 0
    # names line up with the ids they came from
    first = ev.filter((pl.col("role") == "source") & (pl.col("actor_index") == 1))
    joined = first.join(events, on="event_id")
    assert (joined["entity_id"] == joined["source_entity_ids"].list.first()).all()
    assert (joined["entity_name"] == joined["source_names"].list.first()).all()


@pytest.mark.parametrize("key", ["duckdb-sql", "duckdb-python", "polars", "pandas"])
def test_release_seeds_card_snippets_run(seeds_release, key, monkeypatch, capsys):
    lang, code = _snippets((seeds_release / "README.md").read_text())[key]
    monkeypatch.chdir(seeds_release)
    if lang == "sql":
        con = duckdb.connect("readout.duckdb", read_only=True)
        try:
            statements = [s for s in code.split(";") if re.search(r"^\s*SELECT", s, flags=re.M)]
            results = [con.sql(s).fetchall() for s in statements]
        finally:
            con.close()
        assert len(statements) == 4  # count, top speakers, source -> target pairs, Parquet
        assert all(results), "every statement of the snippet returns rows"
    else:
        exec(compile(code, f"README.md:{key}", "exec"), {})
        assert capsys.readouterr().out.strip()
    assert verify_release(seeds_release) == []  # loading read-only changed nothing


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def test_release_seeds_charts_are_pngs(seeds_release):
    from matplotlib.image import imread

    card = (seeds_release / "README.md").read_text()
    charts = sorted((seeds_release / "charts").glob("*.png"))
    assert [p.name for p in charts] == [
        "entity_cooccurrence.png",
        "events_per_day.png",
        "top_speakers.png",
    ]
    for chart in charts:
        width, height = _png_size(chart)
        assert 400 <= width <= 2400 and 250 <= height <= 2400, (chart.name, width, height)
        assert imread(chart).shape[:2] == (height, width)  # decodes
        assert f"](charts/{chart.name})" in card
    assert "not drawn" not in card.lower()


def test_release_seeds_card(seeds_release):
    card = (seeds_release / "README.md").read_text()
    section = card.split("## Accuracy on the seed gold")[1].split("\n## ")[0]
    rows = [r for r in section.splitlines() if r.startswith("| ")]
    assert 5 <= len(rows) <= 12, rows  # headline rows, not one row per raw metric
    assert "per_document" not in section and "{" not in section
    assert any(r.startswith("| quotes |") for r in rows)
    assert "## Known limitations" in card and "One document dominates" in card
    assert "Full article texts are included" in card
    assert "short excerpts" not in card


def test_release_seeds_same_version_refused_and_nothing_changes(seeds_release):
    out = seeds_release.parent.parent
    before = _snapshot(out / "releases")
    with pytest.raises(ReleaseExistsError):
        make_release(out, version=seeds_release.name)
    assert _snapshot(out / "releases") == before


def test_release_seeds_reproducible_parquet(seeds_release):
    out = seeds_release.parent.parent
    again = make_release(out, version="1.0.1")
    assert verify_release(again) == []
    compared = 0
    for path in sorted(seeds_release.rglob("*")):
        rel = path.relative_to(seeds_release).as_posix()
        if path.is_file() and rel.startswith(("tables/", "charts/")):
            assert path.read_bytes() == (again / rel).read_bytes(), rel
            compared += 1
    assert compared == len(TABLES) - len(INTERNAL_TABLES) + 3
    assert "no schema or data change" in (again / "CHANGELOG.md").read_text()
