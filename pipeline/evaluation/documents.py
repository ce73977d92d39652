"""Score the cleaning stage: titles, dates, bylines, outlets, kinds, boilerplate and duplicates."""

from __future__ import annotations

import polars as pl

from pipeline.evaluation import gold_doc_map


def score(tables: dict[str, pl.DataFrame], gold: dict) -> dict:
    docs = tables["documents"]
    mapping = gold_doc_map(docs, gold)
    rows = {r["doc_id"]: r for r in docs.iter_rows(named=True)}
    fields = {"title": 0, "published_date": 0, "byline": 0, "outlet": 0, "kind": 0}
    boiler_total = boiler_gone = dup_total = dup_once = 0
    misses: list[str] = []
    for g in gold["documents"]:
        doc_id = mapping.get(g["doc"])
        if doc_id is None:
            misses.append(f"{g['doc']}: not built")
            continue
        d = rows[doc_id]
        pub = d["published_date"].isoformat() if d["published_date"] else None
        checks = {
            "title": d["title"] == g["headline"],
            "published_date": pub == g["published"],
            "byline": list(d["byline"]) == list(g["byline"]),
            "outlet": d["outlet"] == g["outlet"],
            "kind": d["kind"] == g["kind"],
        }
        for k, ok in checks.items():
            fields[k] += ok
            if not ok:
                misses.append(f"{g['doc']}.{k}: got {d[k] if k != 'published_date' else pub!r}, gold {g[{'title': 'headline', 'published_date': 'published'}.get(k, k)]!r}")
        for b in g["boilerplate"]:
            boiler_total += 1
            if b.strip() and b.strip() not in d["text"]:
                boiler_gone += 1
            else:
                misses.append(f"{g['doc']}: boilerplate kept: {b[:60]!r}")
        for p in g["duplicate_paragraphs"]:
            dup_total += 1
            if d["text"].count(p) == 1:
                dup_once += 1
            else:
                misses.append(f"{g['doc']}: duplicate paragraph appears {d['text'].count(p)} times: {p[:50]!r}")
    n = len(gold["documents"])
    return {
        **{f"{k}_accuracy": round(v / n, 4) for k, v in fields.items()},
        "boilerplate_removed": f"{boiler_gone}/{boiler_total}",
        "duplicates_once": f"{dup_once}/{dup_total}",
        "misses": misses,
    }
