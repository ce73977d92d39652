"""Scorers that compare a build's tables with hand-made gold annotations.

Each module `pipeline/evaluation/<table>.py` exposes `score(tables, gold) -> dict` where `tables`
maps table names to polars frames of one build and `gold` is the parsed gold JSON
(`tests/fixtures/seeds_gold.json`). Gold documents are matched to built documents by file name
(`gold.documents[*].seed_file` == basename of `documents.source_path`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import polars as pl


def gold_doc_map(documents: pl.DataFrame, gold: dict) -> dict[str, str]:
    """{gold doc key ('000') → built doc_id} for every gold document that was built."""
    by_name = {PurePosixPath(p).name: d for d, p in zip(documents["doc_id"], documents["source_path"], strict=True)}
    return {g["doc"]: by_name[g["seed_file"]] for g in gold["documents"] if g["seed_file"] in by_name}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from true positives and the two totals."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "n_pred": n_pred, "n_gold": n_gold}
