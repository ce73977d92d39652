"""Tables of the quotes stage: who said what, and the same words reported by several articles."""

import pandera.polars as pa
import polars as pl

QUOTE_KINDS = ("direct", "partial", "indirect", "scare")


class Quotes(pa.DataFrameModel):
    """One quotation or piece of reported speech in a cleaned document."""

    quote_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of the SHA-256 of 'doc_id:start:end': stable across runs.")
    doc_id: str = pa.Field(description="The documents.doc_id the quote is in.")
    text: str = pa.Field(str_length={"min_value": 1}, description="The quoted words without the quotation marks (for `indirect`, the reported content); exactly documents.text[start:end].")
    start: int = pa.Field(ge=0, description="Offset in documents.text where `text` begins.")
    end: int = pa.Field(ge=1, description="Offset in documents.text where `text` ends (exclusive).")
    kind: str = pa.Field(isin=list(QUOTE_KINDS), description="'direct' (a whole quoted sentence or clause), 'partial' (a quoted fragment inside reported speech), 'indirect' (reported speech without quotation marks), 'scare' (a quoted term no one is said to have said).")
    speaker_entity_id: str = pa.Field(nullable=True, description="entities.entity_id of who said the words, resolved through pronouns, titles and nominals ('he', 'the Kremlin aide'); null when the text does not let it be resolved.")
    speaker_name: str = pa.Field(nullable=True, description="Canonical name of that entity.")
    speaker_start: int = pa.Field(nullable=True, ge=0, description="Start offset of the entity mention the attribution rests on (the antecedent when the cue's subject is a pronoun or nominal).")
    speaker_end: int = pa.Field(nullable=True, ge=1, description="End offset (exclusive) of that mention.")
    cue: str = pa.Field(nullable=True, description="The attribution words as written: 'said', 'told reporters', 'according to', ':'; exactly documents.text[cue_start:cue_end].")
    cue_start: int = pa.Field(nullable=True, ge=0, description="Start offset of the cue.")
    cue_end: int = pa.Field(nullable=True, ge=1, description="End offset (exclusive) of the cue.")
    relayed_by_entity_id: str = pa.Field(nullable=True, description="entities.entity_id of who passed the words on when that is not the speaker ('..., according to an aide'; the speaker of the enclosing quote of a nested one).")
    relayed_by_name: str = pa.Field(nullable=True, description="Canonical name of that entity.")
    parent_quote_id: str = pa.Field(nullable=True, description="quote_id of the enclosing quotation of a nested quote ('“... ‘...’ ...”').")
    open_mark: str = pa.Field(nullable=True, description="The opening quotation mark as written (null for indirect speech and for a paragraph continuing an open quote without reopening it).")
    close_mark: str = pa.Field(nullable=True, description="The closing quotation mark as written; it may not match open_mark ('\"...”'); null when the quote runs to the end of its paragraph unclosed.")
    quote_cluster_id: str = pa.Field(description="The quote_clusters row: the same words, however many articles report them.")

    @pa.dataframe_check(description="start < end")
    def start_before_end(cls, data) -> pl.LazyFrame:  # noqa: N805 (pandera's classmethod style)
        return data.lazyframe.select(pl.col("start") < pl.col("end"))

    class Config:
        name = "quotes"
        description = "Quotations and reported speech in the cleaned documents, with the resolved speaker, the cue and any relay."
        strict = True


class QuoteClusters(pa.DataFrameModel):
    """The same words reported by one or more articles."""

    quote_cluster_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of the SHA-256 of the normalised longest form: stable across runs.")
    text: str = pa.Field(str_length={"min_value": 1}, description="The longest form reported.")
    speaker_entity_id: str = pa.Field(nullable=True, description="entities.entity_id of the speaker most of the cluster's quotes name.")
    speaker_name: str = pa.Field(nullable=True, description="Canonical name of that entity.")
    n_quotes: int = pa.Field(ge=1, description="How many quotes rows belong to the cluster.")
    n_articles: int = pa.Field(ge=1, description="How many distinct documents report the words.")
    n_outlets: int = pa.Field(ge=0, description="How many distinct known outlets (documents.outlet) report the words; documents without an outlet do not count.")
    doc_ids: pl.List(pl.Utf8) = pa.Field(description="The documents reporting the words, sorted.")

    class Config:
        name = "quote_clusters"
        description = "Quotations grouped across articles: the same words after normalising case, quotation marks, punctuation and whitespace, plus shorter quotes contained in a longer one by the same speaker."
        strict = True
