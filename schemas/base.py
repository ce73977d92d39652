"""What every readout table declares once: its pandera model, primary key, row order and links.

A table is declared by a `pandera.polars.DataFrameModel` subclass whose `Config.name` is the table
name (which is also the Dagster asset name and the Parquet file name) and whose `Config.description`
says what one row is. Every field carries a description. `TableSpec` adds what pandera has no slot
for: the primary key (also the stable row order of the Parquet file) and the foreign keys. The
pyarrow schema, the Dagster column schema, the asset checks and the release's `datapackage.json`
are all derived from these two objects; nothing else declares a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.polars as pa
import polars as pl
import pyarrow as pa_arrow


@dataclass(frozen=True)
class TableSpec:
    """A published table: its pandera model plus keys pandera does not model."""

    model: type[pa.DataFrameModel]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())
    """(column, referenced table, referenced column) triples."""
    stage: str = ""
    """The Dagster asset group (pipeline stage) that produces the table."""

    @property
    def name(self) -> str:
        return self.model.Config.name

    @property
    def description(self) -> str:
        return self.model.Config.description

    def columns(self) -> dict[str, pa.Column]:
        return dict(self.model.to_schema().columns)

    def polars_schema(self) -> pl.Schema:
        return pl.Schema({name: col.dtype.type for name, col in self.columns().items()})

    def arrow_schema(self) -> pa_arrow.Schema:
        fields = []
        for name, col in self.columns().items():
            meta = {b"description": (col.description or "").encode()}
            fields.append(
                pa_arrow.field(name, polars_to_arrow(col.dtype.type), nullable=col.nullable, metadata=meta)
            )
        return pa_arrow.schema(fields, metadata={b"table": self.name.encode(), b"description": self.description.encode()})

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())


def polars_to_arrow(dtype: pl.DataType) -> pa_arrow.DataType:
    """Map a polars dtype to the portable Arrow type readout writes.

    Plain `string` (not `large_string` or `string_view`) and `date32` are chosen so that DuckDB,
    pandas, Spark and older Arrow readers all read the files without casting.
    """
    if dtype == pl.Utf8:
        return pa_arrow.string()
    if dtype == pl.Int64:
        return pa_arrow.int64()
    if dtype == pl.Int32:
        return pa_arrow.int32()
    if dtype == pl.Float64:
        return pa_arrow.float64()
    if dtype == pl.Boolean:
        return pa_arrow.bool_()
    if dtype == pl.Date:
        return pa_arrow.date32()
    if isinstance(dtype, pl.Datetime):
        return pa_arrow.timestamp(dtype.time_unit or "us", tz=dtype.time_zone)
    if isinstance(dtype, pl.List):
        return pa_arrow.list_(polars_to_arrow(dtype.inner))
    raise TypeError(f"no Arrow mapping for polars dtype {dtype!r}; add one in schemas/base.py")
