"""Build stage: provenance, the last asset of every build."""

import datetime as dt

import polars as pl
from dagster import AssetExecutionContext, asset

from pipeline.io import read_table, table_path
from pipeline.provenance import append_build, provenance_row
from pipeline.settings import ReadoutSettings
from schemas import TABLES

_INPUTS = {"input_files", "documents", "rejected_documents", "parsed_documents"}
# provenance is written last: it waits for every other table of the build.
FINAL_TABLES = [name for name in TABLES if name != "provenance" and name not in _INPUTS]


@asset(group_name="build", description=TABLES["provenance"].description, deps=FINAL_TABLES)
def provenance(
    context: AssetExecutionContext,
    readout: ReadoutSettings,
    input_files: pl.DataFrame,
    documents: pl.DataFrame,
    rejected_documents: pl.DataFrame,
    parsed_documents: pl.DataFrame,
) -> pl.DataFrame:
    """Append one row describing this build to the output folder's provenance table."""
    stats = context.instance.get_run_stats(context.run_id)
    started = dt.datetime.fromtimestamp(stats.start_time, dt.UTC) if stats and stats.start_time else dt.datetime.now(dt.UTC)
    model = parsed_documents.select("spacy_model", "spacy_model_version").unique()
    name, version = (model.row(0) if model.height else ("", ""))
    row = provenance_row(
        build_id=context.run_id,
        input_dir=readout.input_dir,
        started_at=started,
        spacy_model=name,
        spacy_model_version=version,
        n_input_files=input_files.height,
        n_documents=documents.height,
        n_rejected=rejected_documents.height,
    )
    previous = None
    if table_path(readout.output_path, "provenance").exists():
        try:
            previous = read_table("provenance", readout.output_path)
        except Exception as err:  # an unreadable old log must not stop a build
            context.log.warning(f"earlier provenance table unreadable ({err}); starting a new one")
    return append_build(previous, row)
