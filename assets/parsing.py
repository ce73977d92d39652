"""Parse stage: documents → parsed_documents (and the shared spaCy parse cache)."""

import polars as pl
from dagster import AssetExecutionContext, asset

from pipeline.nlp.parse import load_nlp, load_parse, model_id, parse_documents, text_key
from pipeline.settings import ReadoutSettings
from schemas import TABLES


@asset(group_name="parsing", description=TABLES["parsed_documents"].description)
def parsed_documents(context: AssetExecutionContext, readout: ReadoutSettings, documents: pl.DataFrame) -> pl.DataFrame:
    """Parse each document's text once with spaCy (cached by text hash and model version)."""
    nlp = load_nlp(readout.spacy_model)
    name, version = model_id(nlp)
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    fresh = parse_documents(
        texts, nlp, readout.cache_path, batch_size=readout.batch_size, n_process=readout.n_process, progress=readout.progress
    )
    rows = []
    for doc_id, text in texts.items():
        doc = load_parse(text, nlp, readout.cache_path)
        rows.append(
            {
                "doc_id": doc_id,
                "text_sha256": text_key(text),
                "spacy_model": name,
                "spacy_model_version": version,
                "n_tokens": len(doc),
                "n_sentences": sum(1 for _ in doc.sents),
                "parsed_in_this_build": bool(fresh[doc_id]),
            }
        )
    context.log.info(f"{sum(fresh.values())} texts parsed, {len(texts) - sum(fresh.values())} reused from cache ({name} {version})")
    return pl.DataFrame(rows, schema=TABLES["parsed_documents"].polars_schema()) if rows else TABLES["parsed_documents"].empty()
