"""Events stage: parsed documents + entities (+ quotes) → events, event_clusters."""

import polars as pl
from dagster import AssetExecutionContext, AssetIn, AssetOut, MetadataValue, Output, multi_asset

from pipeline.nlp.events import cluster_events, events_frame, extract_events
from pipeline.nlp.mentions import mentions_by_doc
from pipeline.nlp.parse import load_nlp, load_parse
from pipeline.progress import bar
from pipeline.settings import ReadoutSettings
from schemas import TABLES


@multi_asset(
    ins={name: AssetIn() for name in ("documents", "live_blog_entries", "parsed_documents", "entities", "entity_mentions", "quotes")},
    outs={name: AssetOut(group_name="events", description=TABLES[name].description) for name in ("events", "event_clusters")},
)
def event_stage(
    context: AssetExecutionContext,
    readout: ReadoutSettings,
    documents: pl.DataFrame,
    live_blog_entries: pl.DataFrame,
    parsed_documents: pl.DataFrame,
    entities: pl.DataFrame,
    entity_mentions: pl.DataFrame,
    quotes: pl.DataFrame,
):
    """Code each event predicate in PLOVER with actors, modality, date and place; cluster reports."""
    nlp = load_nlp(readout.spacy_model)
    mentions = mentions_by_doc(entity_mentions, entities)
    entries: dict[str, list] = {}
    for r in live_blog_entries.iter_rows(named=True):
        entries.setdefault(r["doc_id"], []).append((r["entry_date"], r["start"], r["end"]))
    quotes_by_doc: dict[str, list[dict]] = {}
    for q in quotes.iter_rows(named=True):
        quotes_by_doc.setdefault(q["doc_id"], []).append(q)
    rows: list[dict] = []
    for d in bar(documents.iter_rows(named=True), desc="events", total=documents.height, enabled=readout.progress):
        doc = load_parse(d["text"], nlp, readout.cache_path)
        rows += extract_events(
            d["doc_id"],
            doc,
            mentions.get(d["doc_id"], []),
            reference_date=d["published_date"],
            live_blog_entries=entries.get(d["doc_id"], []),
            quotes=quotes_by_doc.get(d["doc_id"], []),
        )
    events, clusters = cluster_events(events_frame(rows), documents)
    by_type = events.group_by("event_type").len().sort("len", descending=True)
    multi = clusters.filter(pl.col("n_articles") > 1).sort("n_articles", descending=True)
    yield Output(
        events,
        output_name="events",
        metadata={
            "events_by_type": MetadataValue.json({t: n for t, n in by_type.iter_rows()}),
            "events_by_modality": MetadataValue.json({m: n for m, n in events.group_by("modality").len().sort("modality").iter_rows()}),
            "dated_share": MetadataValue.float(round(float(events["event_date"].is_not_null().mean() or 0.0), 3)),
        },
    )
    yield Output(
        clusters,
        output_name="event_clusters",
        metadata={"clusters_reported_by_several_articles": MetadataValue.int(multi.height)},
    )
