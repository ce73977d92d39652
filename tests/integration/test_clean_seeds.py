"""The cleaning stage against the hand-made gold of the five seed articles.

Gold: tests/fixtures/seeds_gold.json (a copy of shared/gold/seeds_gold.json); seeds: seeds/.
Documents are matched by the gold's ``seed_file``.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.clean import CleanedDocument, clean_document

ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = ROOT / "tests" / "fixtures" / "seeds_gold.json"
SEEDS_DIR = ROOT / "seeds"

GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
GOLD_DOCS = {d["doc"]: d for d in GOLD["documents"]}
DOC_IDS = sorted(GOLD_DOCS)
_CACHE: dict[str, CleanedDocument] = {}


def cleaned(doc: str) -> CleanedDocument:
    """Clean the seed file the gold names for ``doc`` (once per test session)."""
    if doc not in _CACHE:
        raw = (SEEDS_DIR / GOLD_DOCS[doc]["seed_file"]).read_text(encoding="utf-8")
        _CACHE[doc] = clean_document(raw)
    return _CACHE[doc]


def test_gold_covers_every_seed() -> None:
    assert sorted(d["seed_file"] for d in GOLD_DOCS.values()) == sorted(
        p.name for p in SEEDS_DIR.glob("*.txt")
    )


@pytest.mark.parametrize("doc", DOC_IDS)
def test_title(doc: str) -> None:
    assert cleaned(doc).title == GOLD_DOCS[doc]["headline"]


@pytest.mark.parametrize("doc", DOC_IDS)
def test_title_not_in_body(doc: str) -> None:
    result = cleaned(doc)
    if result.title is not None:
        assert result.title not in result.text.split("\n\n")
        assert ("title", result.title) in result.removed


@pytest.mark.parametrize("doc", DOC_IDS)
def test_published_date(doc: str) -> None:
    gold = GOLD_DOCS[doc]["published"]
    expected = dt.date.fromisoformat(gold) if gold else None
    result = cleaned(doc)
    assert result.published_date == expected
    if expected is not None:
        assert result.published_evidence
        raw = (SEEDS_DIR / GOLD_DOCS[doc]["seed_file"]).read_text(encoding="utf-8")
        assert result.published_evidence in raw
    else:
        assert result.published_evidence is None


@pytest.mark.parametrize("doc", DOC_IDS)
def test_byline(doc: str) -> None:
    assert cleaned(doc).byline == GOLD_DOCS[doc]["byline"]


@pytest.mark.parametrize("doc", DOC_IDS)
def test_outlet(doc: str) -> None:
    gold = GOLD_DOCS[doc]["outlet"]
    result = cleaned(doc)
    assert result.outlet == gold
    if gold is not None:
        raw = (SEEDS_DIR / GOLD_DOCS[doc]["seed_file"]).read_text(encoding="utf-8")
        for piece in result.outlet_evidence.split("; "):
            assert piece in raw
    else:
        assert result.outlet_evidence is None


@pytest.mark.parametrize("doc", DOC_IDS)
def test_kind(doc: str) -> None:
    assert cleaned(doc).kind == GOLD_DOCS[doc]["kind"]


@pytest.mark.parametrize("doc", DOC_IDS)
def test_boilerplate_removed(doc: str) -> None:
    result = cleaned(doc)
    removed_lines = [line for _, line in result.removed]
    for boiler in GOLD_DOCS[doc]["boilerplate"]:
        assert boiler not in result.text
        assert boiler.strip() in removed_lines


@pytest.mark.parametrize("doc", DOC_IDS)
def test_duplicate_paragraphs_once(doc: str) -> None:
    text = cleaned(doc).text
    for para in GOLD_DOCS[doc]["duplicate_paragraphs"]:
        assert text.count(para) == 1, para[:60]


@pytest.mark.parametrize("doc", DOC_IDS)
def test_live_blog_entries(doc: str) -> None:
    gold = GOLD_DOCS[doc]["live_blog_entries"] or []
    result = cleaned(doc)
    assert [e.entry_date for e in result.live_blog_entries] == [
        dt.date.fromisoformat(g["date"]) for g in gold
    ]
    for entry, g in zip(result.live_blog_entries, gold, strict=True):
        assert entry.heading == g["marker"]
        assert result.text[entry.start : entry.end].startswith(g["first_line_prefix"])
        assert 0 <= entry.start <= entry.end <= len(result.text)
    # entries are in text order and do not overlap
    for a, b in zip(result.live_blog_entries, result.live_blog_entries[1:], strict=False):
        assert a.end <= b.start
    preamble = GOLD_DOCS[doc].get("live_blog_preamble_prefix")
    if preamble:
        assert result.text.startswith(preamble)
        assert result.live_blog_entries[0].start > 0


@pytest.mark.parametrize("doc", DOC_IDS)
def test_no_gold_quote_lost(doc: str) -> None:
    text = cleaned(doc).text
    quotes = [q for q in GOLD["quotes"] if q["doc"] == doc]
    assert quotes, "gold has quotes for every seed"
    for q in quotes:
        assert q["text"] in text, q["text"][:60]


@pytest.mark.parametrize("doc", DOC_IDS)
def test_body_shape(doc: str) -> None:
    result = cleaned(doc)
    text = result.text
    assert text and unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\u00a0" not in text and "\n\n\n" not in text
    for para in text.split("\n\n"):
        assert para and para == para.strip() and "\n" not in para and "  " not in para
    for reason, line in result.removed:
        if reason != "duplicate":  # a dropped repeat equals the copy that was kept
            assert line not in text.split("\n\n")
