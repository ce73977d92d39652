"""Entity mentions as the quote and event stages consume them: per document, with canonical names."""

from __future__ import annotations

import polars as pl


def mentions_by_doc(entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> dict[str, list[dict]]:
    """{doc_id: [mention dict]} sorted by offset; each dict has entity_id, name (canonical), type,
    start, end, text, role and country_code."""
    joined = entity_mentions.join(
        entities.select("entity_id", "name", "country_code"), on="entity_id", how="left"
    ).sort("doc_id", "start", "end")
    out: dict[str, list[dict]] = {}
    for row in joined.iter_rows(named=True):
        out.setdefault(row["doc_id"], []).append(row)
    return out
