"""Tables of the ingestion stage: every input file ends in exactly one of them."""

import pandera.polars as pa

REJECTION_REASONS = (
    "empty",
    "binary",
    "not_utf8",
    "too_large",
    "not_english",
    "duplicate",
    "unreadable",
)


class RawDocuments(pa.DataFrameModel):
    """One row per accepted input file: its bytes' identity and the decoded, untouched text."""

    doc_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of the SHA-256 of the raw bytes; stable across runs and machines.")
    source_path: str = pa.Field(unique=True, description="Path of the input file relative to the input folder, with '/' separators.")
    sha256: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{64}$", description="Full hex SHA-256 of the raw bytes.")
    n_bytes: int = pa.Field(ge=1, description="Size of the raw file in bytes.")
    encoding: str = pa.Field(description="Encoding the bytes were decoded with (Python codec name, e.g. utf-8, utf-8-sig, utf-16, cp1252).")
    encoding_confidence: float = pa.Field(ge=0.0, le=1.0, description="1.0 for UTF-8/BOM-marked text; otherwise the charset detector's confidence in `encoding`.")
    language: str = pa.Field(str_length={"min_value": 2, "max_value": 2}, description="ISO 639-1 code of the detected language.")
    language_score: float = pa.Field(ge=0.0, le=1.0, description="Language detector's probability for `language`.")
    raw_text: str = pa.Field(description="The decoded text, untouched (no normalisation of any kind).")

    class Config:
        name = "raw_documents"
        description = "Accepted input files, decoded: one row per distinct file that became a document."
        strict = True


class RejectedDocuments(pa.DataFrameModel):
    """One row per input file that did not become a document, with a reason a person can act on."""

    source_path: str = pa.Field(unique=True, description="Path of the input file relative to the input folder, with '/' separators.")
    sha256: str = pa.Field(nullable=True, description="Full hex SHA-256 of the raw bytes; null when the file could not be read at all.")
    n_bytes: int = pa.Field(nullable=True, ge=0, description="Size of the file in bytes; null when it could not be read.")
    reason: str = pa.Field(isin=list(REJECTION_REASONS), description="Short code: " + ", ".join(REJECTION_REASONS) + ".")
    detail: str = pa.Field(str_length={"min_value": 10}, description="A sentence naming the file, what is wrong and how to fix it.")
    duplicate_of: str = pa.Field(nullable=True, description="For reason 'duplicate': the source_path of the earlier byte-identical file that was kept.")

    class Config:
        name = "rejected_documents"
        description = "Input files that were not turned into documents, each with a reason and an actionable detail."
        strict = True


class InputFiles(pa.DataFrameModel):
    """The inventory of the input folder: every file seen, and where it ended up."""

    source_path: str = pa.Field(unique=True, description="Path of the input file relative to the input folder, with '/' separators.")
    n_bytes: int = pa.Field(nullable=True, ge=0, description="Size of the file in bytes, as listed; null when it could not be read.")
    outcome: str = pa.Field(isin=["document", "rejected"], description="'document' (row in raw_documents) or 'rejected' (row in rejected_documents).")

    class Config:
        name = "input_files"
        description = "Every file found under the input folder, in walk order, with its outcome."
        strict = True
