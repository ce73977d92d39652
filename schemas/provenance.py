"""The build log: one row per build, so every table can be traced to code, model and inputs."""

import pandera.polars as pa
import polars as pl


class Provenance(pa.DataFrameModel):
    """One build of the dataset."""

    build_id: str = pa.Field(unique=True, description="Dagster run id of the build.")
    readout_version: str = pa.Field(description="Version of the readout package that built it.")
    git_commit: str = pa.Field(description="Git commit of the code ('unknown' outside a git checkout; '-dirty' suffix when the tree had uncommitted changes).")
    spacy_model: str = pa.Field(description="Name of the spaCy pipeline package used ('' if the build ran no NLP stage).")
    spacy_model_version: str = pa.Field(description="Version of that spaCy pipeline.")
    spacy_version: str = pa.Field(description="Version of the spaCy library.")
    input_dir: str = pa.Field(description="Input folder as given to the build.")
    started_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(description="When the build started (UTC).")
    finished_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(description="When the provenance row was written, at the end of the build (UTC).")
    n_input_files: int = pa.Field(ge=0, description="Files found under the input folder.")
    n_documents: int = pa.Field(ge=0, description="Rows in documents.")
    n_rejected: int = pa.Field(ge=0, description="Rows in rejected_documents.")

    class Config:
        name = "provenance"
        description = "One row per build: code, language model, inputs and outcome. Rows of earlier builds into the same output folder are kept."
        strict = True
