"""Schema-aware Parquet I/O: declared types, stable order, atomic writes."""

import datetime as dt

import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline.io import conform, read_table, table_path, write_table
from schemas import TABLES


def _documents(rows: int = 2) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "doc_id": [f"{i:016x}" for i in reversed(range(rows))],
            "source_path": [f"a/{i}.txt" for i in reversed(range(rows))],
            "title": ["T"] * rows,
            "outlet": [None] * rows,
            "outlet_evidence": [None] * rows,
            "byline": [["A B"]] * rows,
            "published_date": [dt.date(2025, 1, 1)] * rows,
            "published_evidence": ["1 January 2025"] * rows,
            "kind": ["article"] * rows,
            "language": ["en"] * rows,
            "text": ["Body."] * rows,
            "n_chars": [5] * rows,
            "n_paragraphs": [1] * rows,
            "n_removed_lines": [0] * rows,
            "removed": [[]] * rows,
        }
    )


@pytest.mark.parametrize("name", sorted(TABLES))
def test_io_arrow_schema_matches_pandera_columns(name):
    spec = TABLES[name]
    arrow = spec.arrow_schema()
    assert arrow.names == list(spec.columns())
    for field in arrow:
        assert field.metadata[b"description"], f"{name}.{field.name} has no description"
        assert field.nullable == spec.columns()[field.name].nullable


@pytest.mark.parametrize("name", sorted(TABLES))
def test_io_empty_table_roundtrips(tmp_path, name):
    write_table(TABLES[name].empty(), name, tmp_path)
    back = read_table(name, tmp_path)
    assert back.height == 0
    assert back.columns == list(TABLES[name].columns())


def test_io_rows_sorted_by_primary_key_and_files_identical(tmp_path):
    df = _documents(3)
    write_table(df, "documents", tmp_path / "a")
    write_table(df.reverse(), "documents", tmp_path / "b")
    back = read_table("documents", tmp_path / "a")
    assert back["doc_id"].to_list() == sorted(df["doc_id"].to_list())
    assert table_path(tmp_path / "a", "documents").read_bytes() == table_path(tmp_path / "b", "documents").read_bytes()


def test_io_writes_zstd_with_statistics(tmp_path):
    path = write_table(_documents(), "documents", tmp_path)
    meta = pq.ParquetFile(path).metadata
    col = meta.row_group(0).column(0)
    assert col.compression == "ZSTD"
    assert col.statistics is not None and col.statistics.has_min_max


def test_io_missing_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="title"):
        conform(_documents().drop("title"), TABLES["documents"])


def test_io_extra_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="surprise"):
        conform(_documents().with_columns(surprise=pl.lit(1)), TABLES["documents"])


def test_io_failed_write_leaves_previous_table_and_no_temp_file(tmp_path, monkeypatch):
    write_table(_documents(1), "documents", tmp_path)
    before = table_path(tmp_path, "documents").read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(RuntimeError):
        write_table(_documents(2), "documents", tmp_path)
    assert table_path(tmp_path, "documents").read_bytes() == before
    assert [p.name for p in table_path(tmp_path, "documents").parent.iterdir()] == ["documents.parquet"]


def test_io_read_missing_table_says_how_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="readout build"):
        read_table("documents", tmp_path)
