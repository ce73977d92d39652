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
from schemas import TABLES

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
    assert "(Kyiv Independent 1); 1 of 2 documents name none" in card
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
        assert views == {"quotes_with_speakers", "events_with_actors"}  # over empty tables
        assert con.execute("SELECT count(*) FROM quotes_with_speakers").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM events_with_actors").fetchone() == (0,)
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
    assert set(snippets) == {"duckdb-sql", "duckdb-python", "polars", "pandas", "r", "spark"}
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


GOLD_LIKE = {
    "documents": {"title_accuracy": 1.0, "boilerplate_removed": "20/20", "misses": []},
    "entities": {
        "precision": 0.9677,
        "recall": 0.9783,
        "f1": 0.973,
        "macro_f1": 0.991,
        "per_document": {"000": 1.0, "001": 0.95},
        "per_document_detail": {"000": {"precision": 1.0, "recall": 1.0, "f1": 1.0}},
        "micro": {
            "precision": 0.967742,
            "recall": 0.978261,
            "f1": 0.973,
            "n_gold": 184,
            "n_pred": 186,
        },
        "false_positives": ["000: Foo|ORG", "001: Bar|GPE"],
    },
    "quotes": {
        "documents": {"000": {"quotes": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}},
        "quotes": {
            "precision": 0.8125,
            "recall": 0.5,
            "f1": 0.619,
            "tp": 4,
            "n_pred": 5,
            "n_gold": 8,
            "speaker_accuracy": 0.75,
        },
        "indirect": {"precision": 0.9, "recall": 0.7, "f1": 0.79, "n_pred": 10, "n_gold": 13},
    },
    "events": {
        "n_gold": 91,
        "n_pred": 107,
        "precision": 0.701,
        "recall": 0.824,
        "date_accuracy": 0.827,
        "clusters_whole": 0,
        "n_clusters": 4,
        "per_doc": {"000": {"gold": 8}},
        "unmatched_gold": ["a", "b"],
    },
    "later_stage": {"skipped": "table 'x' not built"},
}


def test_release_gold_scores_in_card_and_datapackage(built):
    path = make_release(built, gold_scores=GOLD_LIKE, now=NOW)
    card = (path / "README.md").read_text()
    assert "Not measured" not in card
    section = card.split("## Accuracy on the seed gold")[1].split("\n## ")[0]
    rows = [r for r in section.splitlines() if r.startswith("| ")]
    # one row per scored thing, headline numbers only: no per-document keys, no raw dicts
    assert len(rows) == 1 + 6, rows  # header; documents, entities, quotes x2, events, skipped
    for raw in ("per_doc", "per-document detail", "{", "documents.", "| 000", "micro"):
        assert raw not in section.replace("Per-document scores", ""), raw
    by_label = {r.split(" | ")[1]: r for r in rows[1:]}
    ent = by_label["actors named per document (name + type)"]
    assert "| 0.968 | 0.978 | 0.973 | 184 | 186 |" in ent  # counts from the micro sub-dict
    assert "macro F1 0.991" in ent and "2 false positives" in ent
    assert "micro" not in by_label  # the same numbers are not repeated
    q = by_label["quotes (direct, partial, scare)"]
    assert "| 0.812 | 0.500 | 0.619 | 8 | 5 | speaker accuracy 0.750 |" in q
    ev = by_label["events (same document, category and an actor)"]
    assert "| 0.701 | 0.824 | 0.758 | 91 | 107 |" in ev  # F1 computed when the scorer has none
    assert "gold clusters kept whole 0/4" in ev and "2 unmatched gold" in ev
    assert "title accuracy 1.000; boilerplate removed 20/20" in section
    assert "skipped: table 'x' not built" in section
    assert "0 of 4 multi-document events are kept whole" in card  # limitation from the gold
    dp = json.loads((path / "datapackage.json").read_text())
    assert dp["readout"]["accuracy_on_seed_gold"]["quotes"]["quotes"]["recall"] == 0.5
    assert dp["readout"]["accuracy_on_seed_gold"]["entities"]["per_document"] == {
        "000": 1.0,
        "001": 0.95,
    }


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
# Views and charts, over the real quotes/entities/events schemas


def _eid(kind: str, name: str) -> str:
    return _sha(f"{kind}:{name}".encode())[:16]


PUTIN, TRUMP, KREMLIN = (
    _eid("PERSON", "Vladimir Putin"),
    _eid("PERSON", "Donald Trump"),
    _eid("ORG", "Kremlin"),
)
NAMES = {PUTIN: "Vladimir Putin", TRUMP: "Donald Trump", KREMLIN: "Kremlin"}
Q1, Q2, Q3, Q4 = (_sha(f"q{i}".encode())[:16] for i in range(1, 5))


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """Rows of a registered table; columns a row leaves out are null."""
    schema = TABLES[name].polars_schema()
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def _nlp_frames() -> dict[str, pl.DataFrame]:
    frames = _known_frames()
    frames["live_blog_entries"] = frames["live_blog_entries"].with_columns(
        entry_date=pl.lit(dt.date(2025, 3, 17))
    )
    frames["entities"] = _frame(
        "entities",
        [
            {
                "entity_id": PUTIN,
                "name": "Vladimir Putin",
                "type": "PERSON",
                "aliases": ["Putin"],
                "country_code": "RUS",
                "n_mentions": 2,
                "n_documents": 2,
            },
            {
                "entity_id": TRUMP,
                "name": "Donald Trump",
                "type": "PERSON",
                "aliases": ["Trump"],
                "country_code": "USA",
                "n_mentions": 2,
                "n_documents": 2,
            },
            {
                "entity_id": KREMLIN,
                "name": "Kremlin",
                "type": "ORG",
                "aliases": ["Kremlin"],
                "country_code": "RUS",
                "n_mentions": 1,
                "n_documents": 1,
            },
        ],
    )
    mentions = [
        (DOC_A, PUTIN, 0),
        (DOC_A, TRUMP, 5),
        (DOC_A, KREMLIN, 10),
        (DOC_B, PUTIN, 0),
        (DOC_B, TRUMP, 5),
    ]
    frames["entity_mentions"] = _frame(
        "entity_mentions",
        [
            {
                "mention_id": _sha(f"{d}:{s}".encode())[:16],
                "doc_id": d,
                "entity_id": e,
                "start": s,
                "end": s + 4,
                "text": NAMES[e][:4],
                "type": "ORG" if e == KREMLIN else "PERSON",
            }
            for d, e, s in mentions
        ],
    )
    quotes = [
        (Q1, DOC_A, "direct", PUTIN, 0),
        (Q2, DOC_A, "indirect", PUTIN, 4),
        (Q3, DOC_B, "partial", TRUMP, 2),
        (Q4, DOC_B, "scare", None, 6),
    ]
    frames["quotes"] = _frame(
        "quotes",
        [
            {
                "quote_id": q,
                "doc_id": d,
                "text": "words",
                "start": s,
                "end": s + 3,
                "kind": k,
                "speaker_entity_id": e,
                "speaker_name": NAMES.get(e),
                "quote_cluster_id": q,
            }
            for q, d, k, e, s in quotes
        ],
    )
    frames["quote_clusters"] = _frame(
        "quote_clusters",
        [
            {
                "quote_cluster_id": q,
                "text": "words",
                "speaker_entity_id": e,
                "speaker_name": NAMES.get(e),
                "n_quotes": 1,
                "n_articles": 1,
                "n_outlets": 0,
                "doc_ids": [d],
            }
            for q, d, _, e, _ in quotes
        ],
    )
    day, month = dt.date(2026, 3, 9), dt.date(2025, 3, 1)
    events = [
        ("e1", DOC_A, "CONSULT", [TRUMP], [PUTIN], day, "day"),
        ("e2", DOC_A, "ACCUSE", [KREMLIN], [], day, "day"),
        ("e3", DOC_B, "CONSULT", [PUTIN, TRUMP], [], None, None),
        ("e4", DOC_B, "AGREE", [PUTIN], [TRUMP], month, "month"),
    ]
    frames["events"] = _frame(
        "events",
        [
            {
                "event_id": i,
                "doc_id": d,
                "event_type": t,
                "modality": "asserted",
                "source_entity_ids": src,
                "source_names": [NAMES[x] for x in src],
                "target_entity_ids": tgt,
                "target_names": [NAMES[x] for x in tgt],
                "event_date": date,
                "date_precision": prec,
                "evidence_start": 0,
                "evidence_end": 10,
                "evidence_text": "Article A.",
                "trigger": "body",
                "trigger_start": 2,
                "trigger_end": 6,
                "n_mentions": 1,
                "cluster_id": f"c-{i}",
            }
            for i, d, t, src, tgt, date, prec in events
        ],
    )
    frames["event_clusters"] = _frame(
        "event_clusters",
        [
            {
                "cluster_id": f"c-{i}",
                "event_type": t,
                "event_date": date,
                "date_precision": prec,
                "actor_names": sorted(NAMES[x] for x in src),
                "recipient_names": sorted(NAMES[x] for x in tgt),
                "n_events": 1,
                "n_articles": 1,
                "n_outlets": 0,
                "event_ids": [i],
            }
            for i, _, t, src, tgt, date, prec in events
        ],
    )
    return frames


@pytest.fixture
def built_nlp(tmp_path) -> Path:
    """An output folder with small but valid entities, mentions, quotes and events tables."""
    out = tmp_path / "output"
    _write_all(out, _nlp_frames())
    return out


QUOTE_VIEW_COLUMNS = [
    "quote_id",
    "doc_id",
    "doc_title",
    "doc_outlet",
    "doc_published_date",
    "reported_date",
    "kind",
    "text",
    "speaker_entity_id",
    "speaker_name",
    "speaker_type",
    "speaker_country_code",
    "cue",
    "relayed_by_entity_id",
    "relayed_by_name",
    "parent_quote_id",
    "quote_cluster_id",
    "cluster_n_articles",
    "start",
    "end",
]
EVENT_VIEW_COLUMNS = [
    "event_id",
    "doc_id",
    "doc_title",
    "doc_outlet",
    "doc_published_date",
    "event_type",
    "event_mode",
    "modality",
    "event_date",
    "date_precision",
    "role",
    "actor_index",
    "entity_id",
    "entity_name",
    "entity_type",
    "entity_country_code",
    "location",
    "reported_by_name",
    "trigger",
    "evidence_text",
    "cluster_id",
    "cluster_n_articles",
]


def _view_columns(con, view: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]


def test_release_views_and_charts(built_nlp):
    path = make_release(built_nlp, now=NOW)
    assert verify_release(path) == []
    con = duckdb.connect(str(path / "readout.duckdb"), read_only=True)
    try:
        assert _view_columns(con, "quotes_with_speakers") == QUOTE_VIEW_COLUMNS
        assert _view_columns(con, "events_with_actors") == EVENT_VIEW_COLUMNS
        q = con.execute(
            "SELECT quote_id, speaker_name, speaker_type, speaker_country_code, doc_title, "
            "doc_outlet, reported_date, cluster_n_articles FROM quotes_with_speakers"
        ).fetchall()
        expected = {
            Q1: (
                "Vladimir Putin",
                "PERSON",
                "RUS",
                "A headline",
                "Kyiv Independent",
                dt.date(2026, 3, 9),
                1,
            ),
            Q2: (
                "Vladimir Putin",
                "PERSON",
                "RUS",
                "A headline",
                "Kyiv Independent",
                dt.date(2026, 3, 9),
                1,
            ),
            # live blog: the entry's date, not the document's published_date
            Q3: ("Donald Trump", "PERSON", "USA", None, None, dt.date(2025, 3, 17), 1),
            Q4: (None, None, None, None, None, dt.date(2025, 3, 17), 1),
        }
        assert q == sorted((k, *v) for k, v in expected.items())  # one row per quote, by id
        ev = con.execute(
            "SELECT event_id, role, actor_index, entity_id, entity_name, entity_type, "
            "entity_country_code, doc_outlet FROM events_with_actors"
        ).fetchall()
        assert ev == [
            ("e1", "source", 1, TRUMP, "Donald Trump", "PERSON", "USA", "Kyiv Independent"),
            ("e1", "target", 1, PUTIN, "Vladimir Putin", "PERSON", "RUS", "Kyiv Independent"),
            ("e2", "source", 1, KREMLIN, "Kremlin", "ORG", "RUS", "Kyiv Independent"),
            ("e3", "source", 1, PUTIN, "Vladimir Putin", "PERSON", "RUS", None),
            ("e3", "source", 2, TRUMP, "Donald Trump", "PERSON", "USA", None),
            ("e4", "source", 1, PUTIN, "Vladimir Putin", "PERSON", "RUS", None),
            ("e4", "target", 1, TRUMP, "Donald Trump", "PERSON", "USA", None),
        ]
        comment = con.execute(
            "SELECT comment FROM duckdb_views() WHERE view_name = 'events_with_actors'"
        ).fetchone()[0]
        assert comment.startswith("Who did what to whom")
    finally:
        con.close()
    charts = sorted(p.name for p in (path / "charts").iterdir())
    assert charts == ["entity_cooccurrence.png", "events_per_day.png", "top_speakers.png"]
    card = (path / "README.md").read_text()
    for chart in charts:
        assert f"](charts/{chart})" in card
    assert "`quotes_with_speakers`, `events_with_actors`" in card
    assert "2 of 4 events have no `event_date`" not in card  # only e3 is undated
    assert "1 of 4 events have no `event_date` and 1 are dated only to the month" in card
    assert "3 (75%) with a resolved speaker" in card
    for chart in charts:
        assert (path / "charts" / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dp = json.loads((path / "datapackage.json").read_text())
    assert (
        list(dp["readout"]["duckdb_views"]["events_with_actors"]["columns"]) == EVENT_VIEW_COLUMNS
    )

    again = make_release(built_nlp, version="5.0.0", now=LATER)
    for chart in charts:
        assert (path / "charts" / chart).read_bytes() == (again / "charts" / chart).read_bytes(), (
            chart
        )


def test_release_views_keep_their_columns_in_a_subset(built_nlp):
    """Without documents/entities/clusters the views still exist, those columns being NULL."""
    path = make_release(built_nlp, tables=["quotes", "events"], now=NOW)
    con = duckdb.connect(str(path / "readout.duckdb"), read_only=True)
    try:
        assert _view_columns(con, "quotes_with_speakers") == QUOTE_VIEW_COLUMNS
        assert _view_columns(con, "events_with_actors") == EVENT_VIEW_COLUMNS
        assert con.execute(
            "SELECT count(*), count(speaker_type), count(doc_title) FROM quotes_with_speakers"
        ).fetchone() == (4, 0, 0)
        assert con.execute("SELECT count(*) FROM events_with_actors").fetchone() == (7,)
    finally:
        con.close()


def test_release_view_sql_survives_a_missing_column():
    """A column renamed in a later schema turns into a NULL view column, not a failed release."""
    cols = {n: set(TABLES[n].columns()) for n in ("quotes", "events", "entities", "documents")}
    cols["entities"].discard("country_code")
    sql = " ".join(release._view_sql(cols))
    assert 'CAST(NULL AS VARCHAR) AS "speaker_country_code"' in sql
    assert 'se.type AS "speaker_type"' in sql
    cols["events"].discard("target_names")  # the actor lists are required: no view
    assert [s.split()[2] for s in release._view_sql(cols)] == ["quotes_with_speakers"]


def test_release_charts_skipped_for_empty_tables(built_nlp):
    empty = TABLES["events"].empty()
    write_table(empty, "events", built_nlp)
    write_table(TABLES["event_clusters"].empty(), "event_clusters", built_nlp)
    path = make_release(built_nlp, now=NOW)
    assert not (path / "charts" / "events_per_day.png").exists()
    assert "Not drawn: `events` has no rows." in (path / "README.md").read_text()


def test_release_events_chart_needs_a_day_precise_date(tmp_path):
    frames = _nlp_frames()
    events = frames["events"].filter(pl.col("date_precision") != "day")
    assert release._chart_events(tmp_path, events) == (
        "not drawn: no event in `events` is dated to the day"
    )
    assert release._chart_events(tmp_path, frames["events"]) == "charts/events_per_day.png"


# --------------------------------------------------------------------------------------------
# The Dagster asset


def test_release_asset_materializes_and_reports(built, tmp_path):
    from dagster import AssetKey, materialize

    from assets.release import PUBLISHED_TABLES, seeds_gold
    from assets.release import release as release_asset
    from pipeline.settings import ReadoutSettings

    assert release_asset.group_names_by_key[AssetKey("release")] == "release"
    deps = {k for k in release_asset.asset_deps[AssetKey("release")]}
    assert deps == {AssetKey(n) for n in PUBLISHED_TABLES}
    assert "parsed_documents" not in PUBLISHED_TABLES

    settings = ReadoutSettings(input_dir=str(tmp_path / "articles"), output_dir=str(built))
    result = materialize([release_asset], resources={"readout": settings})
    assert result.success
    meta = result.asset_materializations_for_node("release")[0].metadata
    assert meta["version"].value == "1.0.0"
    path = Path(meta["path"].value)
    assert path == built / "releases" / "1.0.0" and verify_release(path) == []
    files = [p for p in path.rglob("*") if p.is_file()]
    assert meta["n_files"].value == len(files)
    assert meta["total_bytes"].value == sum(p.stat().st_size for p in files)
    assert meta["table_rows"].value["documents"] == 2
    assert meta["gold_scored"].value is False  # not the repository's seeds
    assert "Not measured for this release." in (path / "README.md").read_text()
    # a second materialisation is the next version, never an overwrite
    again = materialize([release_asset], resources={"readout": settings})
    assert again.asset_materializations_for_node("release")[0].metadata["version"].value == "1.0.1"

    assert seeds_gold(tmp_path) is None


@pytest.mark.parametrize(("input_dir", "scored"), [("seeds", True), ("elsewhere", False), (None, False)])
def test_cli_release_uses_the_seeds_gold_only_for_a_build_of_seeds(tmp_path, input_dir, scored):
    """`readout release` without --gold scores the build the way the Dagster asset does: against
    the seeds' gold when the last build read the repository's seeds/, never otherwise."""
    from datetime import UTC, datetime

    from pipeline.evaluate import SEEDS_DIR, gold_of_last_build
    from pipeline.io import table_path

    if input_dir is not None:
        path = table_path(tmp_path, "provenance")
        path.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        pl.DataFrame({
            "input_dir": ["somewhere/old", str(SEEDS_DIR) if input_dir == "seeds" else str(tmp_path / input_dir)],
            "finished_at": [now.replace(year=2020), now],
        }).write_parquet(path)
    gold = gold_of_last_build(tmp_path)
    assert (gold is not None and "documents" in gold) is scored
