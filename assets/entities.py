"""Entities stage: parsed documents → entity_mentions, entities (canonical actors)."""

import polars as pl
from dagster import AssetExecutionContext, AssetIn, AssetOut, MetadataValue, Output, multi_asset

from pipeline.nlp.entities import extract_mentions, link_entities
from pipeline.nlp.parse import load_nlp, load_parse
from pipeline.progress import bar
from pipeline.settings import ReadoutSettings
from schemas import TABLES

TOP_ACTORS = 15


@multi_asset(
    ins={"documents": AssetIn(), "parsed_documents": AssetIn()},
    outs={name: AssetOut(group_name="entities", description=TABLES[name].description) for name in ("entities", "entity_mentions")},
)
def entity_stage(context: AssetExecutionContext, readout: ReadoutSettings, documents: pl.DataFrame, parsed_documents: pl.DataFrame):
    """Find named actors in each parse, then link spellings to one canonical actor across documents."""
    nlp = load_nlp(readout.spacy_model)
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    mentions = {
        doc_id: extract_mentions(load_parse(text, nlp, readout.cache_path))
        for doc_id, text in bar(texts.items(), desc="entities", total=len(texts), enabled=readout.progress)
    }
    entities, entity_mentions = link_entities(mentions, texts)
    by_type = entities.group_by("type").len().sort("len", descending=True)
    top = entities.sort(["n_mentions", "name"], descending=[True, False]).head(TOP_ACTORS)
    top_md = "\n".join(
        ["| actor | type | mentions | documents |", "|---|---|---|---|"]
        + [f"| {r['name']} | {r['type']} | {r['n_mentions']} | {r['n_documents']} |" for r in top.iter_rows(named=True)]
    )
    yield Output(
        entities,
        output_name="entities",
        metadata={
            "entities_by_type": MetadataValue.json({t: n for t, n in by_type.iter_rows()}),
            "most_mentioned_actors": MetadataValue.md(top_md),
        },
    )
    yield Output(entity_mentions, output_name="entity_mentions")
