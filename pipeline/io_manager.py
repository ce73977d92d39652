"""The Dagster IO manager that stores every readout table as `<output>/tables/<asset>.parquet`.

Writing goes through `pipeline.io.write_parquet` (declared schema, primary-key order, zstd,
atomic rename). Each materialization gets row count, column schema and a preview as metadata so
the UI shows what a table holds without opening a file.
"""

from __future__ import annotations

import polars as pl
from dagster import (
    ConfigurableIOManager,
    InputContext,
    MetadataValue,
    OutputContext,
    TableColumn,
    TableSchema,
)

from pipeline.io import read_table, table_path, write_parquet
from pipeline.settings import ReadoutSettings
from schemas import TABLES, TableSpec

PREVIEW_ROWS = 5
PREVIEW_CHARS = 80


class ParquetTableIOManager(ConfigurableIOManager):
    """Stores polars frames as schema-conformed Parquet tables under the build's output folder."""

    settings: ReadoutSettings

    def handle_output(self, context: OutputContext, obj: pl.DataFrame) -> None:
        name = context.asset_key.path[-1]
        spec = TABLES[name]
        path = write_parquet(obj, spec, table_path(self.settings.output_path, name))
        context.add_output_metadata(table_metadata(obj, spec, str(path)))

    def load_input(self, context: InputContext) -> pl.DataFrame:
        return read_table(context.asset_key.path[-1], self.settings.output_path)


def column_schema(spec: TableSpec) -> TableSchema:
    """The table's declared columns as a Dagster TableSchema (shown in the asset's overview)."""
    return TableSchema(
        columns=[
            TableColumn(name=name, type=str(col.dtype), description=col.description)
            for name, col in spec.columns().items()
        ]
    )


def preview_markdown(df: pl.DataFrame, n: int = PREVIEW_ROWS) -> str:
    """First rows as a Markdown table, long strings shortened."""
    if df.height == 0:
        return "_(no rows)_"
    head = df.head(n)
    cols = head.columns

    def cell(v) -> str:
        s = "" if v is None else str(v)
        s = s.replace("\n", " ⏎ ").replace("|", "\\|")
        return s if len(s) <= PREVIEW_CHARS else s[: PREVIEW_CHARS - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in head.iter_rows():
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def table_metadata(df: pl.DataFrame, spec: TableSpec, path: str) -> dict:
    return {
        "dagster/row_count": MetadataValue.int(df.height),
        "dagster/column_schema": column_schema(spec),
        "path": MetadataValue.path(path),
        "description": MetadataValue.text(spec.description),
        "preview": MetadataValue.md(preview_markdown(df)),
    }
