"""The parse stage's table: which cached spaCy parse belongs to which document."""

import pandera.polars as pa


class ParsedDocuments(pa.DataFrameModel):
    """One spaCy parse per document, stored in the parse cache."""

    doc_id: str = pa.Field(unique=True, description="documents.doc_id.")
    text_sha256: str = pa.Field(description="First 24 hex characters of the SHA-256 of documents.text: the cache key of the parse.")
    spacy_model: str = pa.Field(description="spaCy pipeline package that parsed the text.")
    spacy_model_version: str = pa.Field(description="Version of that pipeline.")
    n_tokens: int = pa.Field(ge=0, description="Tokens in the parse.")
    n_sentences: int = pa.Field(ge=0, description="Sentences in the parse.")
    parsed_in_this_build: bool = pa.Field(description="True when this build parsed the text; False when the cached parse was reused.")

    class Config:
        name = "parsed_documents"
        description = "Index of the spaCy parses (DocBin files under cache/spacy/) that the entity, quote and event stages share."
        strict = True
