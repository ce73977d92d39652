"""Releases: layout, verification, immutability, DuckDB, card snippets, schema diff and semver."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandera.polars as pa
import polars as pl
import pytest

import pipeline.release as release
from pipeline.io import write_table
from pipeline.release import (
    INTERNAL_TABLES,
    ReleaseError,
    ReleaseExistsError,
    make_release,
    next_version,
    schema_diff,
    verify_release,
)
from schemas import TABLES, TableSpec

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 4, 1, 8, 30, tzinfo=dt.UTC)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


A, B, C = b"Article A body.", b"Live blog B body.", b"\x00\x01binary"
DOC_A, DOC_B = _sha(A)[:16], _sha(B)[:16]


def _known_frames() -> dict[str, pl.DataFrame]:
    """Valid minimal rows for the tables this test knows; others get `spec.empty()`."""
    return {
        "input_files": pl.DataFrame(
            {
                "source_path": ["a.txt", "b.txt", "c.bin"],
                "n_bytes": [len(A), len(B), len(C)],
                "outcome": ["document", "document", "rejected"],
            }
        ),
        "raw_documents": pl.DataFrame(
            {
                "doc_id": [DOC_A, DOC_B],
                "source_path": ["a.txt", "b.txt"],
                "sha256": [_sha(A), _sha(B)],
                "n_bytes": [len(A), len(B)],
                "encoding": ["utf-8", "utf-8"],
                "encoding_confidence": [1.0, 1.0],
                "language": ["en", "en"],
                "language_score": [0.99, 0.97],
                "raw_text": [A.decode(), B.decode()],
            }
        ),
        "rejected_documents": pl.DataFrame(
            {
                "source_path": ["c.bin"],
                "sha256": [_sha(C)],
                "n_bytes": [len(C)],
                "reason": ["binary"],
                "detail": ["c.bin holds binary data, not text: remove it from the input folder."],
                "duplicate_of": [None],
            }
        ),
        "documents": pl.DataFrame(
            {
                "doc_id": [DOC_A, DOC_B],
                "source_path": ["a.txt", "b.txt"],
                "title": ["A headline", None],
                "outlet": ["Kyiv Independent", None],
                "outlet_evidence": ["the Kyiv Independent", None],
                "byline": [["Lucy Pakhnyuk"], []],
                "published_date": [dt.date(2026, 3, 9), dt.date(2025, 3, 18)],
                "published_evidence": ["2026-03-09", "18 March 2025"],
                "kind": ["article", "live_blog"],
                "language": ["en", "en"],
                "text": ["Article A body.", "Live blog B body."],
                "n_chars": [15, 17],
                "n_paragraphs": [1, 1],
                "n_removed_lines": [0, 2],
                "removed": [[], ["caption: a photo", "bio: someone"]],
            }
        ),
        "live_blog_entries": pl.DataFrame(
            {
                "doc_id": [DOC_B],
                "entry_index": [0],
                "entry_date": [dt.date(2025, 3, 18)],
                "heading": ["18 March 2025"],
                "start": [0],
                "end": [17],
            }
        ),
        "provenance": pl.DataFrame(
            {
                "build_id": ["run-b", "run-a"],
                "readout_version": ["0.1.0", "0.1.0"],
                "git_commit": ["c0ffee1", "deadbee"],
                "spacy_model": ["en_core_web_sm"] * 2,
                "spacy_model_version": ["3.8.0"] * 2,
                "spacy_version": ["3.8.7"] * 2,
                "input_dir": ["seeds"] * 2,
                "started_at": [
                    dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
                    dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC),
                ],
                "finished_at": [
                    dt.datetime(2026, 3, 10, 9, 5, tzinfo=dt.UTC),
                    dt.datetime(2026, 3, 10, 10, 5, tzinfo=dt.UTC),
                ],
                "n_input_files": [3, 3],
                "n_documents": [2, 2],
                "n_rejected": [1, 1],
            }
        ),
    }


def _write_all(out: Path, frames: dict[str, pl.DataFrame]) -> None:
    for name, spec in TABLES.items():
        write_table(frames.get(name, spec.empty()), name, out)


@pytest.fixture
def built(tmp_path) -> Path:
    """An output folder with every registered table built (unknown ones empty)."""
    out = tmp_path / "output"
    _write_all(out, _known_frames())
    return out


def _snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): (_sha(p.read_bytes()) if p.is_file() else "dir")
        for p in sorted(root.rglob("*"))
    }


def _published() -> list[str]:
    return [t for t in TABLES if t not in INTERNAL_TABLES]


# --------------------------------------------------------------------------------------------


def test_release_layout_and_verify(built):
    path = make_release(built, now=NOW)
    assert path == built / "releases" / "1.0.0"
    assert verify_release(path) == []
    for name in (
        "datapackage.json",
        "croissant.json",
        "SHA256SUMS",
        "README.md",
        "CHANGELOG.md",
        "readout.duckdb",
    ):
        assert (path / name).is_file(), name
    for name in _published():
        assert (path / "tables" / f"{name}.parquet").is_file()
    assert not (path / "tables" / "parsed_documents.parquet").exists()
    # no temporary folders left behind
    assert [p.name for p in (built / "releases").iterdir()] == ["1.0.0"]

    dp = json.loads((path / "datapackage.json").read_text())
    assert dp["name"] == "readout" and dp["version"] == "1.0.0"
    assert dp["created"] == "2026-03-10T12:00:00Z"
    assert dp["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["path"]: s.get("hash") for s in dp["sources"]} == {
        "a.txt": f"sha256:{_sha(A)}",
        "b.txt": f"sha256:{_sha(B)}",
        "c.bin": f"sha256:{_sha(C)}",
    }
    # provenance: the latest build by finished_at, not the last row by primary key
    assert dp["readout"]["build"]["git_commit"] == "deadbee"
    assert dp["readout"]["build"]["spacy_model"] == "en_core_web_sm"
    res = {r["name"]: r for r in dp["resources"]}
    assert list(res) == _published()
    docs = res["documents"]
    assert docs["rows"] == 2 and docs["format"] == "parquet"
    assert docs["hash"] == "sha256:" + _sha((path / "tables/documents.parquet").read_bytes())
    assert docs["bytes"] == (path / "tables/documents.parquet").stat().st_size
    fields = {f["name"]: f for f in docs["schema"]["fields"]}
    assert list(fields) == list(TABLES["documents"].columns())
    assert fields["byline"]["type"] == "array" and fields["published_date"]["type"] == "date"
    assert fields["n_chars"]["type"] == "integer" and fields["doc_id"]["type"] == "string"
    assert fields["kind"]["constraints"]["enum"] == ["article", "live_blog"]
    assert fields["title"]["description"].startswith("Headline")
    assert docs["schema"]["primaryKey"] == ["doc_id"]
    assert docs["schema"]["foreignKeys"] == [
        {"fields": "doc_id", "reference": {"resource": "raw_documents", "fields": "doc_id"}}
    ]
    ts = {f["name"]: f for f in res["provenance"]["schema"]["fields"]}["finished_at"]
    assert ts["type"] == "datetime"
    assert {f["name"]: f for f in res["raw_documents"]["schema"]["fields"]}["encoding_confidence"][
        "type"
    ] == "number"

    cr = json.loads((path / "croissant.json").read_text())
    assert cr["@type"] == "sc:Dataset" and cr["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert {d["@id"]: d["sha256"] for d in cr["distribution"]}["tables/documents.parquet"] == docs[
        "hash"
    ][7:]
    assert {rs["name"] for rs in cr["recordSet"]} == set(_published())

    card = (path / "README.md").read_text()
    assert "deadbee" in card and "en_core_web_sm" in card
    assert "2025-03-18 to 2026-03-09" in card
    assert "Kyiv Independent (1)" in card
    assert "Not measured" in card
    assert "@misc{readout_1_0_0" in card
    assert "not drawn" in card.lower()  # no events/quotes/entity_mentions rows here


def test_release_sha256sums_checks_with_coreutils(built):
    path = make_release(built, now=NOW)
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum not installed")
    result = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    listed = [line.split("  ", 1)[1] for line in (path / "SHA256SUMS").read_text().splitlines()]
    assert "readout.duckdb" in listed and "SHA256SUMS" not in listed


def test_release_files_are_read_only(built):
    path = make_release(built, now=NOW)
    mode = (path / "tables" / "documents.parquet").stat().st_mode & 0o777
    assert mode == 0o444


def _tamper(path: Path, offset: int = 100) -> None:
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_release_verify_names_tampered_parquet(built):
    path = make_release(built, now=NOW)
    _tamper(path / "tables" / "documents.parquet")
    problems = verify_release(path)
    assert problems
    assert any(
        p.startswith("tables/documents.parquet: sha256 mismatch (expected ") for p in problems
    )
    assert all("raw_documents.parquet" not in p for p in problems)


def test_release_verify_reports_row_count_and_unlisted_file(built):
    path = make_release(built, now=NOW)
    os.chmod(path / "datapackage.json", 0o644)
    dp = json.loads((path / "datapackage.json").read_text())
    dp["resources"][1]["rows"] = 99
    (path / "datapackage.json").write_text(json.dumps(dp))
    (path / "extra.txt").write_text("x")
    problems = verify_release(path)
    name = dp["resources"][1]["path"]
    assert any(p.startswith(f"{name}: row count mismatch (datapackage says 99") for p in problems)
    assert "extra.txt: not listed in SHA256SUMS" in problems
    assert any(p.startswith("datapackage.json: sha256 mismatch") for p in problems)


def test_release_verify_checks_pandera_schema(built, tmp_path):
    """A file whose bytes match its (re-computed) sums but whose rows break the schema is reported."""
    path = make_release(built, now=NOW)
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    for p in copy.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    bad = pl.read_parquet(copy / "tables/documents.parquet").with_columns(language=pl.lit("eng"))
    bad.write_parquet(copy / "tables/documents.parquet")
    problems = verify_release(copy)
    assert any(
        p.startswith("tables/documents.parquet: column 'language' fails str_length")
        for p in problems
    ), problems


def test_release_same_version_refused_and_nothing_changes(built):
    make_release(built, version="1.0.0", now=NOW)
    before = _snapshot(built / "releases")
    with pytest.raises(ReleaseExistsError, match="1.0.0 already exists"):
        make_release(built, version="1.0.0", now=LATER)
    assert _snapshot(built / "releases") == before


def test_release_refuses_version_taken_after_auto_bump(built, monkeypatch):
    make_release(built, now=NOW)
    # the auto version (1.0.1) appears while this release is being written
    real = release._draw_charts

    def racing(root, frames):
        (built / "releases" / "1.0.1").mkdir()
        (built / "releases" / "1.0.1" / "datapackage.json").write_text("{}")
        return real(root, frames)

    monkeypatch.setattr(release, "_draw_charts", racing)
    with pytest.raises(ReleaseExistsError):
        make_release(built, now=LATER)
    assert sorted(p.name for p in (built / "releases").iterdir()) == ["1.0.0", "1.0.1"]
    assert list((built / "releases" / "1.0.1").iterdir()) == [
        built / "releases" / "1.0.1" / "datapackage.json"
    ]


def test_release_failure_leaves_no_partial_release(built, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(release, "_write_duckdb", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        make_release(built, now=NOW)
    assert list((built / "releases").iterdir()) == []


def test_release_refuses_invalid_tables(built):
    frames = _known_frames()
    frames["documents"] = frames["documents"].with_columns(kind=pl.lit("tweet"))
    import pyarrow.parquet as pq  # bypass write_table, which would not check pandera rules

    pq.write_table(frames["documents"].to_arrow(), built / "tables" / "documents.parquet")
    with pytest.raises(ReleaseError, match=r"documents\.parquet: column 'kind' fails isin"):
        make_release(built, now=NOW)
    assert not (built / "releases").exists() or list((built / "releases").iterdir()) == []


def test_release_refuses_missing_table(built):
    (built / "tables" / "documents.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="tables not built: .*documents.parquet"):
        make_release(built, now=NOW)
    path = make_release(built, tables=["raw_documents", "rejected_documents"], now=NOW)
    assert sorted(p.name for p in (path / "tables").iterdir()) == [
        "raw_documents.parquet",
        "rejected_documents.parquet",
    ]
    assert verify_release(path) == []


def test_release_refuses_bad_version(built):
    with pytest.raises(ReleaseError, match="not semver"):
        make_release(built, version="../evil", now=NOW)
    with pytest.raises(ReleaseError, match="not semver"):
        make_release(built, version="v1", now=NOW)


def test_release_duckdb_has_tables_and_counts(built):
    path = make_release(built, now=NOW)
    con = duckdb.connect(str(path / "readout.duckdb"), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert names == set(_published())
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}
        expected = _known_frames()
        for t in names:
            assert counts[t] == (expected[t].height if t in expected else 0), t
        comment = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'documents' AND column_name = 'doc_id'"
        ).fetchone()[0]
        assert comment.startswith("First 16 hex characters")
        views = {
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
        assert views == set()  # no quotes / events tables here
    finally:
        con.close()
    assert verify_release(path) == []  # opening read-only leaves the file's bytes alone


def _snippets(card: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r"<!-- snippet: (\S+) -->\n```(\w+)\n(.*?)\n```", card, flags=re.S)
    return {key: (lang, code) for key, lang, code in found}


@pytest.mark.parametrize("key", ["duckdb-sql", "duckdb-python", "polars", "pandas", "spark"])
def test_release_card_snippets_run(built, key, monkeypatch, capsys):
    if key == "pandas":
        pytest.importorskip("pandas", reason="pandas is not installed in this venv")
    if key == "spark":
        pytest.importorskip("pyspark", reason="pyspark is not installed in this venv")
    path = make_release(built, now=NOW)
    snippets = _snippets((path / "README.md").read_text())
    assert set(snippets) == {"duckdb-sql", "duckdb-python", "polars", "pandas", "spark"}
    lang, code = snippets[key]
    monkeypatch.chdir(path)
    if lang == "sql":
        con = duckdb.connect("readout.duckdb", read_only=True)
        try:
            results = [
                con.sql(stmt).fetchall()
                for stmt in code.split(";")
                if stmt.strip("\n ").split("\n")[-1].strip()
            ]
        finally:
            con.close()
        assert results[0] == [(2,)]
    else:
        exec(compile(code, f"README.md:{key}", "exec"), {})
        assert capsys.readouterr().out.strip()


def test_release_gold_scores_in_card_and_datapackage(built):
    scores = {"quotes": {"precision": 0.8125, "recall": 0.5}, "documents": {"outlet_accuracy": 1.0}}
    path = make_release(built, gold_scores=scores, now=NOW)
    card = (path / "README.md").read_text()
    assert "| quotes.precision | 0.812 |" in card and "Not measured" not in card
    dp = json.loads((path / "datapackage.json").read_text())
    assert dp["readout"]["accuracy_on_seed_gold"]["quotes.recall"] == 0.5


def test_release_two_versions_have_identical_parquet(built):
    first = make_release(built, version="1.0.0", now=NOW)
    second = make_release(built, version="1.0.1", now=LATER)
    for name in _published():
        rel = f"tables/{name}.parquet"
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    dp1 = json.loads((first / "datapackage.json").read_text())
    dp2 = json.loads((second / "datapackage.json").read_text())
    for key in ("version", "created", "id"):
        dp1.pop(key), dp2.pop(key)
    assert dp1 == dp2
    changelog = (second / "CHANGELOG.md").read_text()
    assert "## 1.0.1" in changelog and "## 1.0.0" in changelog
    assert changelog.index("## 1.0.1") < changelog.index("## 1.0.0")
    assert "no schema or data change" in changelog


def test_release_auto_versions_follow_semver(built):
    subset = ["raw_documents", "rejected_documents", "documents"]
    assert make_release(built, tables=subset, now=NOW).name == "1.0.0"
    assert make_release(built, tables=subset, now=NOW).name == "1.0.1"  # data only
    assert make_release(built, now=NOW).name == "1.1.0"  # added tables
    changelog = (built / "releases/1.1.0/CHANGELOG.md").read_text()
    assert "**minor**" in changelog and "- `provenance`" in changelog
    assert make_release(built, tables=subset, now=NOW).name == "2.0.0"  # removed tables
    assert "**major**" in (built / "releases/2.0.0/CHANGELOG.md").read_text()


# --------------------------------------------------------------------------------------------
# schema_diff and next_version


def _dp(
    version: str, tables: dict[str, list[tuple[str, str, str]]], rows: int = 1, pk: str = "id"
) -> dict:
    return {
        "version": version,
        "resources": [
            {
                "name": t,
                "rows": rows,
                "hash": f"sha256:{t}{rows}",
                "schema": {
                    "fields": [
                        {
                            "name": n,
                            "type": ft,
                            "arrowType": at,
                            "constraints": {"required": n == pk},
                        }
                        for n, ft, at in cols
                    ],
                    "primaryKey": [pk],
                },
            }
            for t, cols in tables.items()
        ],
    }


BASE = {"t": [("id", "string", "string"), ("n", "integer", "int64"), ("x", "string", "string")]}


def test_schema_diff_detects_added_removed_retyped_columns():
    new = {"t": [("id", "string", "string"), ("n", "number", "double"), ("y", "boolean", "bool")]}
    diff = schema_diff(_dp("1.0.0", BASE), _dp("?", new, rows=3))
    assert diff.old_version == "1.0.0"
    assert diff.added_columns == {"t": ["y"]}
    assert diff.removed_columns == {"t": ["x"]}
    assert diff.retyped_columns == {"t": [("n", "int64", "double")]}
    assert diff.row_counts == {"t": (1, 3)}
    assert diff.level == "major"


def test_schema_diff_retype_within_frictionless_type_is_major():
    new = {"t": [("id", "string", "string"), ("n", "integer", "int32"), ("x", "string", "string")]}
    diff = schema_diff(_dp("1.0.0", BASE), _dp("?", new))
    assert diff.retyped_columns == {"t": [("n", "int64", "int32")]} and diff.level == "major"


def test_schema_diff_levels():
    added_col = {"t": BASE["t"] + [("z", "date", "date32[day]")]}
    assert schema_diff(_dp("1", BASE), _dp("?", added_col)).level == "minor"
    added_table = {**BASE, "u": [("id", "string", "string")]}
    diff = schema_diff(_dp("1", BASE), _dp("?", added_table))
    assert diff.level == "minor" and diff.added_tables == ["u"]
    diff = schema_diff(_dp("1", added_table), _dp("?", BASE))
    assert diff.level == "major" and diff.removed_tables == ["u"]
    diff = schema_diff(_dp("1", BASE), _dp("?", BASE, rows=5))
    assert diff.level == "patch" and diff.data_changed == ["t"] and not diff.schema_changed
    assert schema_diff(_dp("1", BASE), _dp("?", BASE, pk="n")).level == "major"
    first = schema_diff(None, _dp("?", BASE))
    assert first.level == "major" and first.added_tables == ["t"] and first.old_version is None


def test_schema_diff_of_real_datapackages(built):
    path = make_release(built, now=NOW)
    dp = json.loads((path / "datapackage.json").read_text())
    assert schema_diff(dp, dp).level == "patch"
    edited = json.loads(json.dumps(dp))
    docs = next(r for r in edited["resources"] if r["name"] == "documents")
    docs["schema"]["fields"] = [
        f for f in docs["schema"]["fields"] if f["name"] != "outlet_evidence"
    ]
    docs["schema"]["fields"].append({"name": "section", "type": "string", "arrowType": "string"})
    diff = schema_diff(dp, edited)
    assert diff.removed_columns == {"documents": ["outlet_evidence"]}
    assert diff.added_columns == {"documents": ["section"]}
    assert diff.level == "major"


def test_next_version_bumps(tmp_path):
    out = tmp_path / "output"
    assert next_version(out, "major") == "1.0.0"
    assert next_version(out, "patch") == "1.0.0"  # first release is always 1.0.0
    (out / "releases" / "1.2.3").mkdir(parents=True)
    (out / "releases" / "1.2.3" / "datapackage.json").write_text("{}")
    (out / "releases" / "1.10.0").mkdir()
    (out / "releases" / "1.10.0" / "datapackage.json").write_text("{}")
    (out / "releases" / ".tmp-release-x").mkdir()  # ignored: in-progress release
    (out / "releases" / "9.0.0").mkdir()  # ignored: no datapackage.json
    assert next_version(out, "patch") == "1.10.1"  # semver order, not string order
    assert next_version(out, "minor") == "1.11.0"
    assert next_version(out, "major") == "2.0.0"
    diff = schema_diff(
        _dp("1.10.0", BASE), _dp("?", {"t": BASE["t"] + [("z", "date", "date32[day]")]})
    )
    assert next_version(out, diff) == "1.11.0"
    with pytest.raises(ValueError):
        next_version(out, "huge")


# --------------------------------------------------------------------------------------------
# Views and charts, with stand-in quotes/entities/events tables (whatever the real ones look like)


class _Entities(pa.DataFrameModel):
    entity_id: str = pa.Field(unique=True, description="Entity id.")
    name: str = pa.Field(description="Canonical name.")
    type: str = pa.Field(description="Label.")

    class Config:
        name = "entities"
        description = "Test entities."
        strict = True


class _Mentions(pa.DataFrameModel):
    doc_id: str = pa.Field(description="Document.")
    entity_id: str = pa.Field(description="Entity.")
    start: int = pa.Field(description="Start.")
    end: int = pa.Field(description="End.")

    class Config:
        name = "entity_mentions"
        description = "Test mentions."
        strict = True


class _Quotes(pa.DataFrameModel):
    quote_id: str = pa.Field(unique=True, description="Quote id.")
    doc_id: str = pa.Field(description="Document.")
    text: str = pa.Field(description="Words.")
    speaker_entity_id: str = pa.Field(nullable=True, description="Speaker.")
    speaker_name: str = pa.Field(nullable=True, description="Speaker name.")

    class Config:
        name = "quotes"
        description = "Test quotes."
        strict = True


class _Events(pa.DataFrameModel):
    event_id: str = pa.Field(unique=True, description="Event id.")
    doc_id: str = pa.Field(description="Document.")
    event_type: str = pa.Field(description="PLOVER type.")
    event_date: pl.Date = pa.Field(nullable=True, description="Date.")
    source_entity_ids: pl.List(pl.Utf8) = pa.Field(description="Sources.")
    source_names: pl.List(pl.Utf8) = pa.Field(description="Source names.")
    target_entity_ids: pl.List(pl.Utf8) = pa.Field(description="Targets.")
    target_names: pl.List(pl.Utf8) = pa.Field(description="Target names.")

    class Config:
        name = "events"
        description = "Test events."
        strict = True


@pytest.fixture
def built_nlp(tmp_path, monkeypatch) -> Path:
    """An output folder with stand-in entities, entity_mentions, quotes and events tables."""
    specs = {
        "entities": TableSpec(_Entities, primary_key=("entity_id",)),
        "entity_mentions": TableSpec(
            _Mentions,
            primary_key=("doc_id", "start"),
            foreign_keys=(("entity_id", "entities", "entity_id"),),
        ),
        "quotes": TableSpec(
            _Quotes, primary_key=("quote_id",), foreign_keys=(("doc_id", "documents", "doc_id"),)
        ),
        "events": TableSpec(
            _Events,
            primary_key=("event_id",),
            foreign_keys=(("source_entity_ids", "entities", "entity_id"),),
        ),
    }
    for name, spec in specs.items():
        monkeypatch.setitem(TABLES, name, spec)
    frames = _known_frames()
    frames["entities"] = pl.DataFrame(
        {
            "entity_id": ["putin", "trump", "kremlin"],
            "name": ["Vladimir Putin", "Donald Trump", "Kremlin"],
            "type": ["PERSON", "PERSON", "ORG"],
        }
    )
    frames["entity_mentions"] = pl.DataFrame(
        {
            "doc_id": [DOC_A, DOC_A, DOC_A, DOC_B, DOC_B],
            "entity_id": ["putin", "trump", "kremlin", "putin", "trump"],
            "start": [0, 5, 10, 0, 5],
            "end": [4, 9, 14, 4, 9],
        }
    )
    frames["quotes"] = pl.DataFrame(
        {
            "quote_id": ["q1", "q2", "q3", "q4"],
            "doc_id": [DOC_A, DOC_A, DOC_B, DOC_B],
            "text": ["one", "two", "three", "four"],
            "speaker_entity_id": ["putin", "putin", "trump", None],
            "speaker_name": ["Vladimir Putin", "Vladimir Putin", "Donald Trump", None],
        }
    )
    frames["events"] = pl.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "doc_id": [DOC_A, DOC_A, DOC_B],
            "event_type": ["CONSULT", "ACCUSE", "CONSULT"],
            "event_date": [dt.date(2026, 3, 9), dt.date(2026, 3, 9), None],
            "source_entity_ids": [["trump"], ["kremlin"], ["putin", "trump"]],
            "source_names": [["Donald Trump"], ["Kremlin"], ["Vladimir Putin", "Donald Trump"]],
            "target_entity_ids": [["putin"], [], []],
            "target_names": [["Vladimir Putin"], [], []],
        }
    )
    out = tmp_path / "output"
    _write_all(out, frames)
    return out


def test_release_views_and_charts(built_nlp):
    path = make_release(built_nlp, now=NOW)
    assert verify_release(path) == []
    con = duckdb.connect(str(path / "readout.duckdb"), read_only=True)
    try:
        q = con.execute(
            "SELECT quote_id, speaker_entity_type, doc_outlet FROM quotes_with_speakers ORDER BY quote_id"
        ).fetchall()
        assert q == [
            ("q1", "PERSON", "Kyiv Independent"),
            ("q2", "PERSON", "Kyiv Independent"),
            ("q3", "PERSON", None),
            ("q4", None, None),
        ]
        ev = con.execute(
            "SELECT event_id, role, entity_id, name, entity_type FROM events_with_actors ORDER BY event_id, role, entity_id"
        ).fetchall()
        assert ev == [
            ("e1", "source", "trump", "Donald Trump", "PERSON"),
            ("e1", "target", "putin", "Vladimir Putin", "PERSON"),
            ("e2", "source", "kremlin", "Kremlin", "ORG"),
            ("e3", "source", "putin", "Vladimir Putin", "PERSON"),
            ("e3", "source", "trump", "Donald Trump", "PERSON"),
        ]
    finally:
        con.close()
    charts = sorted(p.name for p in (path / "charts").iterdir())
    assert charts == ["entity_cooccurrence.png", "events_per_day.png", "top_speakers.png"]
    card = (path / "README.md").read_text()
    for chart in charts:
        assert f"](charts/{chart})" in card
    assert "`quotes_with_speakers`, `events_with_actors`" in card
    for chart in charts:
        assert (path / "charts" / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    again = make_release(built_nlp, version="5.0.0", now=LATER)
    for chart in charts:
        assert (path / "charts" / chart).read_bytes() == (again / "charts" / chart).read_bytes(), (
            chart
        )


def test_release_charts_skipped_for_empty_tables(built_nlp):
    empty = TABLES["events"].empty()
    write_table(empty, "events", built_nlp)
    path = make_release(built_nlp, now=NOW)
    assert not (path / "charts" / "events_per_day.png").exists()
    assert "Not drawn: `events` has no rows." in (path / "README.md").read_text()
