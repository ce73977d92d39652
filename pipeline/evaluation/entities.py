"""Score the `entities` / `entity_mentions` tables against the hand-made gold of the seeds.

`score(tables, gold)` computes, per gold document, precision/recall/F1 of the set of canonical
actors (name + type) that the document mentions, and "ids per gold actor": how many distinct
`entity_id`s the predicted mentions of one gold actor map to (1.0 is perfect).

Documents are matched by `documents.source_path` basename == gold `seed_file`. Gold entities with
`in_body: false` appear only in furniture that cleaning removes (captions, bios); they are excluded
unless `include_furniture=True` (useful when the pipeline ran on raw text). A gold entity may list
`name_alternatives`: other canonical names of the same actor that count as a match ("US Senate"
for "Senate").
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePath

import polars as pl

NAMED_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW")


def norm_name(name: str) -> str:
    """Comparison key of a canonical name: case-folded, no leading 'the', single spaces."""
    s = re.sub(r"\s+", " ", name.strip()).casefold()
    return re.sub(r"^the ", "", s)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def score(tables: dict[str, pl.DataFrame], gold: dict, include_furniture: bool = False) -> dict:
    """Entity P/R/F1 per document and overall, plus ids per gold actor (per document and corpus)."""
    docs = tables["documents"]
    ents = tables["entities"]
    ments = tables["entity_mentions"]
    seed_to_doc = {g["seed_file"]: g["doc"] for g in gold["documents"]}
    docid_to_gold: dict[str, str] = {}
    for r in docs.select("doc_id", "source_path").iter_rows(named=True):
        base = PurePath(r["source_path"]).name
        if base in seed_to_doc:
            docid_to_gold[r["doc_id"]] = seed_to_doc[base]

    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in gold["entities"]:
        if e["type"] in NAMED_TYPES and (include_furniture or e.get("in_body", True)):
            gold_by_doc[e["doc"]].append(e)

    joined = ments.join(ents.select("entity_id", "name"), on="entity_id", how="left")
    per_doc: dict[str, dict] = {}
    tp_all = pred_all = gold_all = 0
    ids_doc: list[int] = []
    corpus_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    errors: dict[str, dict[str, list]] = {}
    for doc_id, gdoc in sorted(docid_to_gold.items(), key=lambda kv: kv[1]):
        rows = joined.filter(pl.col("doc_id") == doc_id)
        alt = {
            (norm_name(a), e["type"]): norm_name(e["name"])
            for e in gold_by_doc[gdoc]
            for a in e.get("name_alternatives", [])
        }
        pred = {
            (alt.get((norm_name(n), t), norm_name(n)), t)
            for n, t in rows.select("name", "type").iter_rows()
            if t in NAMED_TYPES
        }
        gset = {(norm_name(e["name"]), e["type"]) for e in gold_by_doc[gdoc]}
        tp = len(pred & gset)
        per_doc[gdoc] = _prf(tp, len(pred), len(gset))
        errors[gdoc] = {
            "false_positives": sorted(pred - gset),
            "false_negatives": sorted(gset - pred),
        }
        tp_all += tp
        pred_all += len(pred)
        gold_all += len(gset)
        # ids per gold actor: mentions whose text is one of the actor's aliases
        for e in gold_by_doc[gdoc]:
            aliases = set(e["aliases"]) | {e["name"]}
            hit = rows.filter(pl.col("text").is_in(sorted(aliases)))
            ids = set(hit["entity_id"].to_list())
            if ids:
                ids_doc.append(len(ids))
                corpus_ids[(norm_name(e["name"]), e["type"])] |= ids
    macro = sum(d["f1"] for d in per_doc.values()) / len(per_doc) if per_doc else 0.0
    micro = _prf(tp_all, pred_all, gold_all)
    return {
        "precision": round(micro["precision"], 4),
        "recall": round(micro["recall"], 4),
        "f1": round(micro["f1"], 4),
        "macro_f1": round(macro, 4),
        "ids_per_gold_actor": round(sum(ids_doc) / len(ids_doc), 4) if ids_doc else 0.0,
        "ids_per_gold_actor_corpus": round(
            sum(len(v) for v in corpus_ids.values()) / len(corpus_ids), 4
        )
        if corpus_ids
        else 0.0,
        "per_document": {d: round(v["f1"], 4) for d, v in per_doc.items()},
        "per_document_detail": per_doc,
        "micro": micro,
        "actors_split_across_corpus": [
            f"{k[0]}|{k[1]}: {len(v)} ids" for k, v in sorted(corpus_ids.items()) if len(v) > 1
        ],
        "false_positives": [
            f"{d}: {n}|{t}" for d, e in errors.items() for n, t in e["false_positives"]
        ],
        "false_negatives": [
            f"{d}: {n}|{t}" for d, e in errors.items() for n, t in e["false_negatives"]
        ],
    }
