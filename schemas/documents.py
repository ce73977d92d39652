"""Tables of the cleaning stage: cleaned documents and the dated entries of live blogs."""


import pandera.polars as pa
import polars as pl

DOCUMENT_KINDS = ("article", "live_blog")


class Documents(pa.DataFrameModel):
    """One cleaned news document per accepted input file."""

    doc_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="First 16 hex characters of the SHA-256 of the raw bytes (= raw_documents.doc_id).")
    source_path: str = pa.Field(unique=True, description="Path of the input file relative to the input folder.")
    title: str = pa.Field(nullable=True, str_length={"min_value": 1}, description="Headline: a headline-like first line; null when the text has none.")
    outlet: str = pa.Field(nullable=True, description="Publisher, when the text lets a reader infer it (a dateline such as 'NAIROBI (Reuters) -', an author bio naming the outlet, a self-reference).")
    outlet_evidence: str = pa.Field(nullable=True, description="The words of the raw text the outlet was inferred from.")
    byline: pl.List(pl.Utf8) = pa.Field(description="Authors named in the text (may be empty).")
    published_date: pl.Date = pa.Field(nullable=True, description="Publication date stated in the text; null when the text states none.")
    published_evidence: str = pa.Field(nullable=True, description="The words of the raw text the publication date was read from.")
    kind: str = pa.Field(isin=list(DOCUMENT_KINDS), description="'article' or 'live_blog' (a text made of dated entries).")
    language: str = pa.Field(str_length={"min_value": 2, "max_value": 2}, description="ISO 639-1 code of the language.")
    text: str = pa.Field(str_length={"min_value": 1}, description="The cleaned body: NFC, mojibake repaired, line endings and spaces normalised; no title, captions, bios, tag lines, page furniture or repeated paragraphs. Paragraphs are separated by one blank line. All offsets in readout point into this string.")
    n_chars: int = pa.Field(ge=1, description="Length of `text` in Unicode code points.")
    n_paragraphs: int = pa.Field(ge=1, description="Number of paragraphs in `text`.")
    n_removed_lines: int = pa.Field(ge=0, description="How many lines of the raw text were dropped as furniture, captions, bios or duplicates.")
    removed: pl.List(pl.Utf8) = pa.Field(description="Each dropped line prefixed by its reason code and a colon (e.g. 'caption: ...'), for audit.")

    class Config:
        name = "documents"
        description = "Cleaned news documents with headline, outlet, byline and publication date."
        strict = True


class LiveBlogEntries(pa.DataFrameModel):
    """One dated entry of a live blog: a date heading and the text under it."""

    doc_id: str = pa.Field(description="The live blog's documents.doc_id.")
    entry_index: int = pa.Field(ge=0, description="Position of the entry in the document, 0 = first in the text.")
    entry_date: pl.Date = pa.Field(description="The date heading the entry.")
    heading: str = pa.Field(description="The date heading as written in the raw text.")
    start: int = pa.Field(ge=0, description="Offset in documents.text where the entry's content begins.")
    end: int = pa.Field(ge=0, description="Offset in documents.text where the entry's content ends (exclusive).")

    @pa.dataframe_check(description="start <= end")
    def start_not_after_end(cls, data) -> pl.LazyFrame:  # noqa: N805 (pandera's classmethod style)
        return data.lazyframe.select(pl.col("start") <= pl.col("end"))

    class Config:
        name = "live_blog_entries"
        description = "Dated entries of live-blog documents, so later stages resolve 'on Tuesday' against the entry's own date."
        strict = True
        unique = ["doc_id", "entry_index"]
