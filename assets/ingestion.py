"""Ingestion stage: the input folder → input_files, raw_documents, rejected_documents."""

import polars as pl
from dagster import AssetExecutionContext, AssetOut, Output, multi_asset

from pipeline.ingest import ingest_folder
from pipeline.settings import ReadoutSettings
from schemas import TABLES


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=TABLES[name].polars_schema()) if rows else TABLES[name].empty()


@multi_asset(
    outs={
        name: AssetOut(group_name="ingestion", description=TABLES[name].description, is_required=True)
        for name in ("input_files", "raw_documents", "rejected_documents")
    },
    # The input folder is outside Dagster's view: always re-read it.
)
def ingestion(context: AssetExecutionContext, readout: ReadoutSettings):
    """Walk the input folder, decode every file, and accept it or reject it with a reason."""
    result = ingest_folder(readout.input_path, max_bytes=readout.max_file_bytes, progress=readout.progress)
    rejected = _frame("rejected_documents", result.rejected_documents)
    context.log.info(
        f"{len(result.input_files)} files in {readout.input_path}: {len(result.raw_documents)} accepted, {rejected.height} rejected"
    )
    by_reason = rejected.group_by("reason").len().sort("reason") if rejected.height else None
    yield Output(_frame("input_files", result.input_files), output_name="input_files")
    yield Output(_frame("raw_documents", result.raw_documents), output_name="raw_documents")
    yield Output(
        rejected,
        output_name="rejected_documents",
        metadata={"rejected_by_reason": {r: n for r, n in by_reason.iter_rows()} if by_reason is not None else {}},
    )
