"""Score the `events` / `event_clusters` tables against hand-made gold (shared/gold/seeds_gold.json).

`score(tables, gold)`:

* a gold event and a predicted event match when they are in the same document, have the same
  PLOVER category and share an actor (source or target, either side), treating Kyiv≈Ukraine and
  Moscow≈Russia as one actor (gold NOTES.md). Matching is one-to-one, best pairs first (pairs whose
  evidence sentence contains the gold evidence or one of its `additional_evidence` strings first);
* recall = matched gold / gold; precision = matched predictions / predictions;
* date accuracy over matched pairs (equal dates, null == null counts as right) and over the matched
  pairs whose gold date is known;
* a gold cluster is whole when every member is matched and all the matches share one cluster_id.

Documents are mapped to gold through `documents.source_path` basename == gold `seed_file`.

Predictions are taken in document order (evidence_start, trigger_start, event_id), so ties between
equally good candidates are broken the same way whatever order the table was written in.

`python -m pipeline.evaluation.events [output_dir] [gold.json]` prints the detailed scores of a
finished build (`readout build --output output_dir`). It used to run the event stage over the seeds
with stand-ins for cleaning and entity linking (gold aliases); that hid what the real entity stage
changes (canonical names, NORP entities, unparsed coordinations), so it now scores the real tables.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import polars as pl

SAME_ACTOR = {"kyiv": "ukraine", "kiev": "ukraine", "moscow": "russia"}


def _norm(name: str) -> str:
    n = " ".join(str(name).lower().split())
    return SAME_ACTOR.get(n, n)


def _actors(names) -> set[str]:
    return {_norm(n) for n in (names or [])}


def _basename(path: str) -> str:
    return Path(str(path)).name


def _text_in(needle: str, haystack: str) -> bool:
    squash = lambda s: re.sub(r"\s+", " ", s).strip().lower()  # noqa: E731
    return bool(needle) and squash(needle)[:60] in squash(haystack)


def match_events(pred: list[dict], gold_events: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs."""
    pairs = []
    for gi, g in enumerate(gold_events):
        g_actors = _actors(g.get("source")) | _actors(g.get("target"))
        evidences = [g.get("evidence") or ""] + list(g.get("additional_evidence") or [])
        for pi, p in enumerate(pred):
            if p["event_type"] != g["type"]:
                continue
            p_actors = _actors(p["source_names"]) | _actors(p["target_names"])
            shared = g_actors & p_actors
            if not shared:
                continue
            on_evidence = any(_text_in(e, p.get("evidence_text") or "") for e in evidences)
            pairs.append((not on_evidence, -len(shared), gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score(tables: Mapping[str, pl.DataFrame], gold: Mapping) -> dict:
    """Scores of `tables['events']` (with cluster_id) against gold; see the module docstring."""
    documents = tables["documents"]
    events = tables["events"]
    by_seed = {g["seed_file"]: g["doc"] for g in gold["documents"]}
    doc_map = {}
    for row in documents.select("doc_id", "source_path").to_dicts():
        gold_doc = by_seed.get(_basename(row["source_path"]))
        if gold_doc is not None:
            doc_map[row["doc_id"]] = gold_doc
    preds_by_doc: dict[str, list[dict]] = {}
    order = [c for c in ("doc_id", "evidence_start", "trigger_start", "event_id") if c in events.columns]
    for p in events.sort(order).to_dicts():
        if p["doc_id"] in doc_map:
            preds_by_doc.setdefault(doc_map[p["doc_id"]], []).append(p)
    gold_by_doc: dict[str, list[dict]] = {}
    for g in gold["events"]:
        gold_by_doc.setdefault(g["doc"], []).append(g)

    n_gold = sum(len(v) for v in gold_by_doc.values())
    n_pred = sum(len(v) for v in preds_by_doc.values())
    matched: dict[str, dict] = {}
    per_doc = {}
    for doc in sorted(set(gold_by_doc) | set(preds_by_doc)):
        gl, pr = gold_by_doc.get(doc, []), preds_by_doc.get(doc, [])
        pairs = match_events(pr, gl)
        for gi, pi in pairs:
            matched[gl[gi]["id"]] = pr[pi]
        per_doc[doc] = {"gold": len(gl), "pred": len(pr), "matched": len(pairs)}

    gold_index = {g["id"]: g for g in gold["events"]}
    date_right = date_known = date_known_right = 0
    date_errors = []
    for gid, p in matched.items():
        g_date = gold_index[gid].get("date")
        p_date = p["event_date"].isoformat() if isinstance(p["event_date"], date) else p["event_date"]
        ok = g_date == p_date
        date_right += ok
        if g_date is not None:
            date_known += 1
            date_known_right += ok
        if not ok:
            date_errors.append((gid, g_date, p_date))

    clusters = {}
    for c in gold.get("event_clusters", []):
        members = c["members"]
        cids = {matched[m]["cluster_id"] for m in members if m in matched and "cluster_id" in matched[m]}
        clusters[c["id"]] = {
            "whole": all(m in matched for m in members) and len(cids) == 1,
            "unmatched": [m for m in members if m not in matched],
            "n_cluster_ids": len(cids),
        }
    n_matched = len(matched)
    used = {id(p) for p in matched.values()}
    unmatched_pred = [
        f"{doc}: {p['event_type']} {p['trigger']!r} {p['source_names']} ({p['modality']})"
        for doc, preds in sorted(preds_by_doc.items()) for p in preds if id(p) not in used
    ]
    return {
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_matched": n_matched,
        "recall": n_matched / n_gold if n_gold else 0.0,
        "precision": n_matched / n_pred if n_pred else 0.0,
        "date_accuracy": date_right / n_matched if n_matched else 0.0,
        "date_accuracy_known": date_known_right / date_known if date_known else 0.0,
        "date_errors": date_errors,
        "clusters": clusters,
        "clusters_whole": sum(c["whole"] for c in clusters.values()),
        "n_clusters": len(clusters),
        "per_doc": per_doc,
        "unmatched_gold": sorted(set(gold_index) - set(matched)),
        "unmatched_predictions": unmatched_pred,
    }


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    """Print the detailed event scores of a finished build (`readout build --output DIR`)."""
    from pipeline.evaluate import load_tables

    argv = sys.argv[1:] if argv is None else argv
    output = Path(argv[0]) if argv else Path("output")
    gold_path = Path(argv[1]) if len(argv) > 1 else Path("tests/fixtures/seeds_gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    tables = load_tables(output)
    if "events" not in tables or "documents" not in tables:
        raise SystemExit(f"no events/documents tables under {output}; run `readout build --output {output}` first")
    result = score(tables, gold)
    for key in ("n_gold", "n_pred", "n_matched", "recall", "precision", "date_accuracy", "date_accuracy_known", "clusters_whole", "n_clusters"):
        print(f"{key}: {result[key]}")
    print("per_doc:", result["per_doc"])
    print("clusters:", result["clusters"])
    print("unmatched gold:", result["unmatched_gold"])
    print("date errors:", result["date_errors"])


if __name__ == "__main__":
    main()
