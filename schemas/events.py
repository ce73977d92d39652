"""Tables of the event stage: PLOVER events per document and clusters of reports of one event."""

from pathlib import Path

import pandera.polars as pa
import polars as pl

_CATEGORIES_TSV = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "event_categories.tsv"


def _load_categories() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in _CATEGORIES_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        out[cells[0].strip()] = tuple(m.strip() for m in (cells[1] if len(cells) > 1 else "").split(",") if m.strip())
    return out


PLOVER_CATEGORIES = _load_categories()
EVENT_TYPES = tuple(PLOVER_CATEGORIES)
EVENT_MODES = tuple(sorted({m for modes in PLOVER_CATEGORIES.values() for m in modes}))
MODALITIES = ("asserted", "future", "hypothetical", "negated")
DATE_PRECISIONS = ("day", "month", "year")


class Events(pa.DataFrameModel):
    """One real-world event as one document reports it (repeated mentions in a document merged)."""

    event_id: str = pa.Field(unique=True, description="Stable id: hash of doc_id, trigger offset and category.")
    doc_id: str = pa.Field(description="The reporting document (documents.doc_id).")
    event_type: str = pa.Field(isin=list(EVENT_TYPES), description="PLOVER 0.8 category (shared/PLOVER.md), upper case.")
    event_mode: str = pa.Field(nullable=True, isin=list(EVENT_MODES), description="PLOVER event_mode of that category when the text says ('phone', 'release', ...); null otherwise.")
    modality: str = pa.Field(isin=list(MODALITIES), description="'asserted', 'future' (scheduled, planned, promised), 'hypothetical' (conditional, possible) or 'negated'.")
    source_entity_ids: pl.List(pl.Utf8) = pa.Field(description="Entity ids of the actors (PLOVER source); for mutual events with no stated initiator, every party.")
    source_names: pl.List(pl.Utf8) = pa.Field(description="Canonical names of the actors, aligned with source_entity_ids.")
    target_entity_ids: pl.List(pl.Utf8) = pa.Field(description="Entity ids of the recipients (PLOVER target); may be empty.")
    target_names: pl.List(pl.Utf8) = pa.Field(description="Canonical names of the recipients, aligned with target_entity_ids.")
    event_date: pl.Date = pa.Field(nullable=True, description="When it happened or is to happen, resolved against the published date or the live-blog entry date; null when unknown.")
    date_precision: str = pa.Field(nullable=True, isin=list(DATE_PRECISIONS), description="'day', 'month' (date is the 1st) or 'year' (date is 1 January); null when event_date is null.")
    date_text: str = pa.Field(nullable=True, description="The temporal expression the date was read from ('on Tuesday', 'last week'); null when the date was inherited or unknown.")
    date_partial: str = pa.Field(nullable=True, description="Day and month stated without a year that could not be resolved, as 'XXXX-MM-DD' or 'XXXX-MM'.")
    location: str = pa.Field(nullable=True, description="Canonical name of the place where it happened, when the sentence says.")
    location_entity_id: str = pa.Field(nullable=True, description="Entity id of the location.")
    reported_by_entity_id: str = pa.Field(nullable=True, description="Entity the text says reported the event ('the Kremlin said', 'according to X').")
    reported_by_name: str = pa.Field(nullable=True, description="Canonical name of reported_by_entity_id.")
    evidence_start: int = pa.Field(ge=0, description="Start offset in documents.text of the sentence the event rests on (first mention).")
    evidence_end: int = pa.Field(ge=0, description="End offset (exclusive) of the evidence sentence.")
    evidence_text: str = pa.Field(description="documents.text[evidence_start:evidence_end].")
    trigger: str = pa.Field(description="The verb or event noun that expresses the event.")
    trigger_start: int = pa.Field(ge=0, description="Start offset of the trigger in documents.text.")
    trigger_end: int = pa.Field(ge=0, description="End offset (exclusive) of the trigger.")
    n_mentions: int = pa.Field(ge=1, description="How many mentions of this event the document has (merged into this row).")
    occasion_event_id: str = pa.Field(nullable=True, description="The event (a call or meeting in the same document, events.event_id) this one took place in: the one 'during the call' refers to, or for an undated statement by a participant the document's main call or meeting; null otherwise. Clustering uses it: statements from two reports are one event only if their occasions are.")
    cluster_id: str = pa.Field(description="The event_clusters row this report belongs to.")

    @pa.dataframe_check(description="evidence_start <= trigger_start < trigger_end <= evidence_end")
    def trigger_inside_evidence(cls, data) -> pl.LazyFrame:  # noqa: N805 (pandera's classmethod style)
        return data.lazyframe.select(
            (pl.col("evidence_start") <= pl.col("trigger_start"))
            & (pl.col("trigger_start") < pl.col("trigger_end"))
            & (pl.col("trigger_end") <= pl.col("evidence_end"))
        )

    @pa.dataframe_check(description="date_precision is set exactly when event_date is")
    def precision_with_date(cls, data) -> pl.LazyFrame:  # noqa: N805
        return data.lazyframe.select(pl.col("event_date").is_null() == pl.col("date_precision").is_null())

    @pa.dataframe_check(description="occasion_event_id, when set, is the event_id of another event of the same document")
    def occasion_in_document(cls, data) -> pl.LazyFrame:  # noqa: N805
        frame = data.lazyframe
        known = frame.select(pl.col("event_id").alias("occasion_event_id"), pl.col("doc_id").alias("_occasion_doc"))
        return frame.join(known, on="occasion_event_id", how="left").select(
            pl.col("occasion_event_id").is_null()
            | ((pl.col("_occasion_doc") == pl.col("doc_id")) & (pl.col("occasion_event_id") != pl.col("event_id")))
        )

    class Config:
        name = "events"
        description = "Who did what to whom, when and where: PLOVER-coded events, one row per real-world event per document."
        strict = True


class EventClusters(pa.DataFrameModel):
    """One real-world event, however many documents report it."""

    cluster_id: str = pa.Field(unique=True, description="Stable id: hash of the sorted event_ids of its members.")
    event_type: str = pa.Field(isin=list(EVENT_TYPES), description="PLOVER category shared by all members.")
    event_mode: str = pa.Field(nullable=True, isin=list(EVENT_MODES), description="The first event_mode any member states.")
    event_date: pl.Date = pa.Field(nullable=True, description="Earliest known member date; null when no member is dated.")
    date_precision: str = pa.Field(nullable=True, isin=list(DATE_PRECISIONS), description="Precision of event_date.")
    actor_names: pl.List(pl.Utf8) = pa.Field(description="Union of the members' source names, sorted.")
    recipient_names: pl.List(pl.Utf8) = pa.Field(description="Union of the members' target names, sorted.")
    n_events: int = pa.Field(ge=1, description="Number of member events (one per document).")
    n_articles: int = pa.Field(ge=1, description="Number of distinct documents reporting it.")
    n_outlets: int = pa.Field(ge=0, description="Number of distinct known outlets reporting it.")
    first_reported: pl.Date = pa.Field(nullable=True, description="Earliest published_date among the reporting documents.")
    last_reported: pl.Date = pa.Field(nullable=True, description="Latest published_date among the reporting documents.")
    event_ids: pl.List(pl.Utf8) = pa.Field(description="The member events.event_id values, sorted.")

    class Config:
        name = "event_clusters"
        description = "Real-world events: reports of the same event across documents grouped into one row."
        strict = True
