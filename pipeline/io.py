"""Schema-aware, atomic Parquet I/O for readout tables.

Every table is written with the pyarrow schema derived from its pandera model (`schemas.TABLES`),
rows sorted by the table's primary key (so two builds of the same inputs give byte-identical files),
zstd compression and column statistics. Files are written to a temporary file in the same folder
and renamed into place, so a killed build never leaves a half-written table behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from schemas import TABLES, TableSpec

TABLES_DIRNAME = "tables"


def table_path(output_dir: Path | str, name: str) -> Path:
    """Where table `name` lives under an output folder: `<output>/tables/<name>.parquet`."""
    return Path(output_dir) / TABLES_DIRNAME / f"{name}.parquet"


def conform(df: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Select the table's columns in declared order, cast to declared dtypes, sort by primary key.

    Raises a ValueError naming the table and the columns when columns are missing or extra: the
    code producing the frame and the schema disagree, which is a bug to fix, not data to drop.
    """
    schema = spec.polars_schema()
    missing = [c for c in schema if c not in df.columns]
    extra = [c for c in df.columns if c not in schema]
    if missing or extra:
        raise ValueError(
            f"table {spec.name!r} does not match schemas/{spec.model.__module__.split('.')[-1]}.py: "
            f"missing columns {missing}, unexpected columns {extra}"
        )
    if df.height == 0:
        return spec.empty()
    out = df.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
    return out.sort(list(spec.primary_key), nulls_last=True, maintain_order=True)


def atomic_write_bytes(path: Path, write) -> None:
    """Call `write(tmp_path)` and rename the result to `path` atomically (same folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(df: pl.DataFrame, spec: TableSpec, path: Path) -> Path:
    """Write a conformed frame to `path` as Parquet with the table's Arrow schema (zstd, statistics)."""
    table = conform(df, spec).to_arrow().cast(spec.arrow_schema())

    def _write(tmp: Path) -> None:
        pq.write_table(table, tmp, compression="zstd", write_statistics=True, use_dictionary=True)

    atomic_write_bytes(path, _write)
    return path


def write_table(df: pl.DataFrame, name: str, output_dir: Path | str) -> Path:
    """Write table `name` to `<output_dir>/tables/<name>.parquet`; returns the path."""
    return write_parquet(df, TABLES[name], table_path(output_dir, name))


def read_table(name: str, output_dir: Path | str) -> pl.DataFrame:
    """Read table `name` from an output folder, with the declared polars dtypes."""
    path = table_path(output_dir, name)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: build it first with `readout build --output {output_dir}`"
        )
    return pl.read_parquet(path)
