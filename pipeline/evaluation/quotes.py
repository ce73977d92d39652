"""Score the `quotes` table against the hand-made gold of the seeds.

`score(tables, gold)` needs `tables["quotes"]` and `tables["documents"]` (doc_id, source_path,
text). Documents are matched by `documents.source_path` basename == gold `seed_file`.

Matching. Gold quotes are located in `documents.text` by their text with their quotation marks
around it (gold `open_mark` + text + `close_mark`), falling back to the bare text; gold indirect
quotes by their `content`. Each occurrence in the cleaned text is one gold item (a quote that
cleaning de-duplicated counts once). Texts are compared as sets of word tokens (`\\w+`, by
character position): a predicted and a gold span match when their token Dice coefficient
2|P∩G| / (|P|+|G|) is at least `min_overlap` (0.5). Matching is one-to-one, best Dice first,
within a document.

- quotes (direct, partial and scare; gold `full` = `direct`) are matched against predicted rows of
  kind direct/partial/scare; indirect gold against predicted `indirect` rows.
- precision = matched predictions / predictions, recall = matched gold / gold, F1.
- speaker accuracy, on matched pairs: the predicted `speaker_name` equals the gold `speaker`, one of
  its `speaker_alternatives`, or an alias (gold `entities`) of one of those in the same document
  (names compared case-folded, leading "the" dropped); a gold null speaker matches a null prediction.
- indirect gold flagged `unmarked_continuation` (reported speech with no speech verb) is scored
  separately: `indirect` excludes it, `indirect_all` includes it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePath

import polars as pl

_WORD = re.compile(r"\w+")
QUOTE_KINDS = ("direct", "partial", "scare")


def _norm(name: str | None) -> str | None:
    if name is None:
        return None
    s = re.sub(r"\s+", " ", str(name).strip()).casefold()
    return re.sub(r"^the ", "", s)


def _tokens(text: str, start: int, end: int) -> frozenset[int]:
    return frozenset(start + m.start() for m in _WORD.finditer(text[start:end]))


def _dice(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _gold_spans(text: str, items: list[dict], field: str) -> list[tuple[dict, int, int]]:
    """(gold item, start, end) for each gold item found in the cleaned text: its first unused occurrence."""
    out: list[tuple[dict, int, int]] = []
    used: set[tuple[int, int]] = set()
    for g in items:
        body = g[field]
        needles = []
        if g.get("open_mark") and g.get("close_mark"):
            needles.append((g["open_mark"] + body + g["close_mark"], len(g["open_mark"])))
        needles.append((body, 0))
        found = None
        for needle, off in needles:
            for m in re.finditer(re.escape(needle), text):
                span = (m.start() + off, m.start() + off + len(body))
                if span not in used:
                    found = span
                    break
            if found:
                break
        if found:
            used.add(found)
            out.append((g, *found))
    return out


def _speaker_ok(pred: str | None, g: dict, aliases: dict[str, set[str]]) -> bool:
    gold_names = [g.get("speaker")] + list(g.get("speaker_alternatives") or [])
    if g.get("speaker") is None and pred is None:
        return True
    if pred is None:
        return False
    p = _norm(pred)
    for name in gold_names:
        if name is None:
            continue
        if p == _norm(name) or p in aliases.get(_norm(name), set()):
            return True
    return False


def _match(text: str, preds: list[dict], golds: list[tuple[dict, int, int]], min_overlap: float) -> list[tuple[dict, dict]]:
    ptoks = [_tokens(text, p["start"], p["end"]) for p in preds]
    gtoks = [_tokens(text, s, e) for _, s, e in golds]
    pairs = []
    for i, pt in enumerate(ptoks):
        for j, gt in enumerate(gtoks):
            d = _dice(pt, gt)
            if d >= min_overlap:
                pairs.append((d, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((preds[i], golds[j][0]))
    return out


def score(tables: dict[str, pl.DataFrame], gold: dict, *, min_overlap: float = 0.5, details: bool = False) -> dict:
    """Quote and indirect-quote P/R/F1 and speaker accuracy, overall and per gold document."""
    docs = tables["documents"]
    quotes = tables["quotes"]
    seed_to_doc = {g["seed_file"]: g["doc"] for g in gold["documents"]}
    aliases: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for e in gold.get("entities", []):
        aliases[e["doc"]][_norm(e["name"])] = {_norm(a) for a in e.get("aliases", [])} | {_norm(e["name"])}
    result: dict = {"documents": {}}
    totals: dict[str, dict[str, int]] = {k: defaultdict(int) for k in ("quotes", "indirect", "indirect_all")}
    misses: list[dict] = []
    for d in docs.select("doc_id", "source_path", "text").iter_rows(named=True):
        gdoc = seed_to_doc.get(PurePath(d["source_path"]).name)
        if gdoc is None:
            continue
        text = d["text"]
        preds = quotes.filter(pl.col("doc_id") == d["doc_id"]).to_dicts()
        per_doc = {}
        for name, kinds, items, field in (
            ("quotes", QUOTE_KINDS, [q for q in gold["quotes"] if q["doc"] == gdoc], "text"),
            ("indirect", ("indirect",), [q for q in gold["indirect_quotes"] if q["doc"] == gdoc and not q.get("unmarked_continuation")], "content"),
            ("indirect_all", ("indirect",), [q for q in gold["indirect_quotes"] if q["doc"] == gdoc], "content"),
        ):
            p = [r for r in preds if r["kind"] in kinds]
            g = _gold_spans(text, items, field)
            pairs = _match(text, p, g, min_overlap)
            ok = sum(1 for pr, gg in pairs if _speaker_ok(pr.get("speaker_name"), gg, aliases[gdoc]))
            stats = _prf(len(pairs), len(p), len(g))
            stats["speaker_correct"] = ok
            stats["speaker_accuracy"] = ok / len(pairs) if pairs else 0.0
            per_doc[name] = stats
            for k in ("tp", "n_pred", "n_gold", "speaker_correct"):
                totals[name][k] += int(stats[k])
            if details and name in ("quotes", "indirect"):
                matched_g = {id(gg) for _, gg in pairs}
                matched_p = {id(pr) for pr, _ in pairs}
                for gg, s, e in g:
                    if id(gg) not in matched_g:
                        misses.append({"doc": gdoc, "table": name, "type": "missed", "text": text[s:e], "speaker": gg.get("speaker")})
                for pr in p:
                    if id(pr) not in matched_p:
                        misses.append({"doc": gdoc, "table": name, "type": "spurious", "text": pr["text"], "speaker": pr.get("speaker_name")})
                for pr, gg in pairs:
                    if not _speaker_ok(pr.get("speaker_name"), gg, aliases[gdoc]):
                        misses.append({"doc": gdoc, "table": name, "type": "speaker", "text": pr["text"], "speaker": pr.get("speaker_name"), "gold": gg.get("speaker"), "cue": pr.get("cue")})
        result["documents"][gdoc] = per_doc
    for name, t in totals.items():
        stats = _prf(t["tp"], t["n_pred"], t["n_gold"])
        stats["speaker_correct"] = t["speaker_correct"]
        stats["speaker_accuracy"] = t["speaker_correct"] / t["tp"] if t["tp"] else 0.0
        result[name] = stats
    if details:
        result["errors"] = misses
    return result
