"""Quotes stage: parsed documents + entities → quotes, quote_clusters."""

import polars as pl
from dagster import AssetExecutionContext, AssetIn, AssetOut, MetadataValue, Output, multi_asset

from pipeline.nlp.mentions import mentions_by_doc
from pipeline.nlp.parse import load_nlp, load_parse
from pipeline.nlp.quotes import cluster_quotes, extract_quotes
from pipeline.progress import bar
from pipeline.settings import ReadoutSettings
from schemas import TABLES

TOP_SPEAKERS = 10


@multi_asset(
    ins={name: AssetIn() for name in ("documents", "parsed_documents", "entities", "entity_mentions")},
    outs={name: AssetOut(group_name="quotes", description=TABLES[name].description) for name in ("quotes", "quote_clusters")},
)
def quote_stage(
    context: AssetExecutionContext,
    readout: ReadoutSettings,
    documents: pl.DataFrame,
    parsed_documents: pl.DataFrame,
    entities: pl.DataFrame,
    entity_mentions: pl.DataFrame,
):
    """Find direct, partial, indirect and scare quotes; attribute each to a canonical speaker."""
    nlp = load_nlp(readout.spacy_model)
    mentions = mentions_by_doc(entity_mentions, entities)
    rows: list[dict] = []
    for d in bar(documents.iter_rows(named=True), desc="quotes", total=documents.height, enabled=readout.progress):
        doc = load_parse(d["text"], nlp, readout.cache_path)
        rows += extract_quotes(d["doc_id"], doc, mentions.get(d["doc_id"], []))
    schema = {k: v for k, v in TABLES["quotes"].polars_schema().items() if k != "quote_cluster_id"}
    frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    quotes, clusters = cluster_quotes(frame, documents)
    speakers = (
        quotes.filter(pl.col("speaker_name").is_not_null())
        .group_by("speaker_name")
        .len()
        .sort(["len", "speaker_name"], descending=[True, False])
        .head(TOP_SPEAKERS)
    )
    yield Output(
        quotes,
        output_name="quotes",
        metadata={
            "quotes_by_kind": MetadataValue.json({k: n for k, n in quotes.group_by("kind").len().sort("kind").iter_rows()}),
            "attributed_share": MetadataValue.float(round(float(quotes["speaker_entity_id"].is_not_null().mean() or 0.0), 3)),
            "most_quoted": MetadataValue.md(
                "\n".join(["| speaker | quotes |", "|---|---|"] + [f"| {s} | {n} |" for s, n in speakers.iter_rows()])
            ),
        },
    )
    yield Output(clusters, output_name="quote_clusters", metadata={"reported_by_several_articles": MetadataValue.int(clusters.filter(pl.col("n_articles") > 1).height)})
