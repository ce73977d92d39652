"""Cleaning stage: raw_documents → documents, live_blog_entries."""

import polars as pl
from dagster import AssetExecutionContext, AssetIn, AssetOut, Output, multi_asset

from pipeline.clean import clean_document
from schemas import TABLES


@multi_asset(
    ins={"raw_documents": AssetIn()},
    outs={
        name: AssetOut(group_name="cleaning", description=TABLES[name].description)
        for name in ("documents", "live_blog_entries")
    },
)
def cleaning(context: AssetExecutionContext, raw_documents: pl.DataFrame):
    """Normalise each text, strip page furniture, and read title, byline, outlet and date."""
    docs, entries = [], []
    for row in raw_documents.iter_rows(named=True):
        cleaned = clean_document(row["raw_text"])
        docs.append(
            {
                "doc_id": row["doc_id"],
                "source_path": row["source_path"],
                "title": cleaned.title,
                "outlet": cleaned.outlet,
                "outlet_evidence": cleaned.outlet_evidence,
                "byline": list(cleaned.byline),
                "published_date": cleaned.published_date,
                "published_evidence": cleaned.published_evidence,
                "kind": cleaned.kind,
                "language": row["language"],
                "text": cleaned.text,
                "n_chars": len(cleaned.text),
                "n_paragraphs": len([p for p in cleaned.text.split("\n\n") if p.strip()]),
                "n_removed_lines": len(cleaned.removed),
                "removed": [f"{reason}: {line}" for reason, line in cleaned.removed],
            }
        )
        for i, e in enumerate(cleaned.live_blog_entries):
            entries.append(
                {"doc_id": row["doc_id"], "entry_index": i, "entry_date": e.entry_date, "heading": e.heading, "start": e.start, "end": e.end}
            )
    documents = pl.DataFrame(docs, schema=TABLES["documents"].polars_schema()) if docs else TABLES["documents"].empty()
    live = pl.DataFrame(entries, schema=TABLES["live_blog_entries"].polars_schema()) if entries else TABLES["live_blog_entries"].empty()
    context.log.info(f"cleaned {documents.height} documents; removed {documents['n_removed_lines'].sum()} lines")
    yield Output(
        documents,
        output_name="documents",
        metadata={
            "removed_lines": int(documents["n_removed_lines"].sum() or 0),
            "with_title": int(documents["title"].is_not_null().sum()),
            "with_published_date": int(documents["published_date"].is_not_null().sum()),
            "with_outlet": int(documents["outlet"].is_not_null().sum()),
            "live_blogs": int((documents["kind"] == "live_blog").sum()),
        },
    )
    yield Output(live, output_name="live_blog_entries")
