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


# ------------------------------------------------------------------ actors in the real pipeline's parses

HIDDEN_COORDINATION_CASES = [
    # the first person hangs off the second's title (compound -> appos -> cc/conj) in the parse
    ("UK Prime Minister Keir Starmer and Indian Prime Minister Narendra Modi held talks on Monday.", {"Keir Starmer", "Narendra Modi"}),
    ("US Secretary Antony Blinken and Chinese President Xi Jinping held a meeting on Monday.", {"Antony Blinken", "Xi Jinping"}),
    # a dateline opens the sentence: the people are in an apposition of the place
    ("BEIJING (Xinhua) - Chinese President Xi Jinping and Brazilian President Luiz Inacio Lula da Silva have held a phone conversation, officials said on Monday.",
     {"Xi Jinping", "Luiz Inacio Lula da Silva"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "people"), HIDDEN_COORDINATION_CASES)
def test_coordinated_people_in_one_noun_phrase(nlp, text, people):
    events = [e for e in _events(nlp, text) if e["event_type"] == "CONSULT"]
    assert events and set(events[0]["source_names"]) | set(events[0]["target_names"]) == people


LEADERS_OF_CASES = [
    ("Chilean President Gabriel Boric spoke with Argentine President Javier Milei on Monday. "
     "The leaders of Chile and Argentina also agreed to reopen the border crossing.", {"Gabriel Boric", "Javier Milei"}),
    ("Chilean President Gabriel Boric spoke with Argentine President Javier Milei on Monday. "
     "The Chilean and Argentine leaders also agreed to reopen the border crossing.", {"Gabriel Boric", "Javier Milei"}),
    # nobody introduced as Peru's: the countries stay the actors
    ("Chilean President Gabriel Boric spoke with Argentine President Javier Milei on Monday. "
     "The leaders of Chile and Peru also agreed to reopen the border crossing.", {"Chile", "Peru"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "actors"), LEADERS_OF_CASES)
def test_leaders_of_countries_are_the_people_introduced_as_theirs(nlp, text, actors):
    doc = nlp(text)
    mentions = _mentions(doc)
    for m in mentions:  # what the entity stage records: the title written before a name
        m["role"] = {"Gabriel Boric": "Chilean President", "Javier Milei": "Argentine President"}.get(m["name"])
    events = extract_events("d0", doc, mentions, reference_date=REF)
    agree = [e for e in events if e["event_type"] == "AGREE"]
    assert agree and set(agree[0]["source_names"]) == actors


# ------------------------------------------------------------------ live-blog dates

LIVE_BLOG_CASES = [
    # a post that opens with the present perfect reports the entry's news
    ("Canada has welcomed the agreement between Chile and Peru.", "welcomed", date(2024, 6, 5)),
    # further into a paragraph the present perfect recalls background: undated
    ("Chile and Peru signed a trade deal. Canada has criticized Peru for its tariffs.", "criticized", None),
    # the simple past is the entry's news wherever it stands
    ("Chile and Peru signed a trade deal. Canada criticized Peru for its tariffs.", "criticized", date(2024, 6, 5)),
    # a date of its own always wins
    ("Chile and Peru signed a trade deal. Canada has criticized Peru on Monday.", "criticized", date(2024, 6, 3)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("paragraph", "trigger", "expected"), LIVE_BLOG_CASES)
def test_live_blog_present_perfect(nlp, paragraph, trigger, expected):
    text = "Live updates.\n\n" + paragraph
    start = text.index(paragraph)
    events = _events(nlp, text, reference=None, entries=[(date(2024, 6, 5), start, len(text))])
    ev = next(e for e in events if e["trigger"] == trigger)
    assert ev["event_date"] == expected


@pytest.mark.slow
def test_statement_in_the_call_has_the_call_as_occasion(nlp):
    text = "Joe Biden held a phone call with Xi Jinping on Tuesday. During the call, Xi Jinping proposed a new trade framework."
    events = _events(nlp, text)
    call = next(e for e in events if e["event_type"] == "CONSULT")
    agree = next(e for e in events if e["event_type"] == "AGREE")
    assert agree["occasion_event_id"] == call["event_id"] and call["occasion_event_id"] is None
    assert agree["event_date"] == call["event_date"] == date(2024, 5, 14)


# ------------------------------------------------------------------ clustering rules (no model)


def _row(doc_id, start, category="CONSULT", sources=("Biden", "Xi"), targets=(), day=None, modality="asserted",
         date_text=None, date_partial=None, occasion=None):
    return {
        "event_id": f"{doc_id}-{start}", "doc_id": doc_id, "event_type": category, "event_mode": None,
        "modality": modality, "source_entity_ids": [n.lower() for n in sources], "source_names": list(sources),
        "target_entity_ids": [n.lower() for n in targets], "target_names": list(targets), "event_date": day,
        "date_precision": "day" if day else None, "date_text": date_text, "date_partial": date_partial,
        "location": None, "location_entity_id": None, "reported_by_entity_id": None, "reported_by_name": None,
        "evidence_start": start, "evidence_end": start + 10, "evidence_text": "x" * 10, "trigger": "call",
        "trigger_start": start, "trigger_end": start + 4, "n_mentions": 1, "occasion_event_id": occasion,
    }


def _cluster_ids(rows, published=None):
    doc_ids = sorted({r["doc_id"] for r in rows})
    documents = pl.DataFrame({"doc_id": doc_ids, "outlet": [None] * len(doc_ids),
                              "published_date": [(published or {}).get(d) for d in doc_ids]},
                             schema={"doc_id": pl.Utf8, "outlet": pl.Utf8, "published_date": pl.Date})
    events, _ = cluster_events(events_frame(rows), documents)
    return dict(zip(events["event_id"], events["cluster_id"], strict=True)), events


MON = date(2024, 5, 13)

CLUSTER_CASES = [
    # (the other report, same cluster as a dated Monday report of Biden and Xi?)
    (_row("b", 0), True),
    (_row("b", 0, modality="negated"), False),  # "had not spoken" is not the call
    (_row("b", 0, date_text="on Monday"), True),  # undated document, stated weekday fits
    (_row("b", 0, date_text="on Thursday"), False),  # a Thursday call is another call
    (_row("b", 0, date_text="on June 14", date_partial="XXXX-06-14"), False),
    (_row("b", 0, date_text="on May 13", date_partial="XXXX-05-13"), True),
    (_row("b", 0, sources=("Xi",), targets=("Biden",)), True),  # actors nest
    (_row("b", 0, sources=("Xi",), targets=("Macron",)), False),  # Xi's call with someone else
]


@pytest.mark.parametrize(("other", "same"), CLUSTER_CASES)
def test_cluster_compatibility(other, same):
    cid, _ = _cluster_ids([_row("a", 0, day=MON), other])
    assert (cid["a-0"] == cid["b-0"]) is same


def test_undated_clustering_does_not_depend_on_input_order():
    rows = [
        _row("a", 0, day=MON),
        _row("b", 0),  # undated report of the Monday call
        _row("c", 0, date_text="on Thursday"),  # undated report of another call, same people
        _row("d", 0, date_text="on Thursday"),
    ]
    forward, _ = _cluster_ids(rows)
    backward, _ = _cluster_ids(list(reversed(rows)))
    assert forward == backward
    assert forward["a-0"] == forward["b-0"] != forward["c-0"] == forward["d-0"]


def test_statements_cluster_only_when_their_occasions_do():
    rows = [
        _row("a", 0, day=MON), _row("a", 50, "AGREE", day=MON, occasion="a-0"),
        _row("b", 0), _row("b", 50, "AGREE", occasion="b-0"),  # the same call, undated
        _row("c", 0, date_text="on Thursday"), _row("c", 50, "AGREE", occasion="c-0"),  # another call
    ]
    cid, _ = _cluster_ids(rows)
    assert cid["a-0"] == cid["b-0"] != cid["c-0"]
    assert cid["a-50"] == cid["b-50"] != cid["c-50"]


def test_year_of_a_partial_date_from_the_lead_event_cluster():
    rows = [
        _row("a", 0, day=date(2026, 3, 9)),
        _row("b", 0),  # undated document: its lead is the call that "a" dates
        _row("b", 80, sources=("Xi", "Lula"), date_text="on March 7", date_partial="XXXX-03-07"),
        _row("c", 0, date_text="on Thursday"),  # its lead clusters with nothing dated
        _row("c", 80, sources=("Xi", "Modi"), date_text="on June 14", date_partial="XXXX-06-14"),
    ]
    _, events = _cluster_ids(rows, published={"a": date(2026, 3, 9)})
    dates = dict(zip(events["event_id"], events["event_date"], strict=True))
    assert dates["b-80"] == date(2026, 3, 7)
    assert dates["c-80"] is None and dates["b-0"] is None


def test_scorer_is_independent_of_table_order():
    from pipeline.evaluation.events import score

    gold = {
        "documents": [{"doc": "000", "seed_file": "000_x.txt"}],
        "events": [{"doc": "000", "id": "000-e1", "type": "CONSULT", "source": ["Biden"], "target": ["Xi"],
                    "date": "2024-05-13", "evidence": "x" * 10}],
        "event_clusters": [],
    }
    first = _row("a", 0, day=MON)
    second = _row("a", 50, day=date(2024, 5, 10))
    documents = pl.DataFrame({"doc_id": ["a"], "source_path": ["seeds/000_x.txt"]})
    results = [score({"documents": documents, "events": events_frame(rows)}, gold)["date_accuracy"]
               for rows in ([first, second], [second, first])]
    assert results == [1.0, 1.0]


# ------------------------------------------------------------------ world-news rules (held-out round)
# Each case exercises one general rule or lexicon row added after the held-out sentences
# (tests/fixtures/heldout/event_sentences.json); the sentences here are different ones.

WORLD_CASES = [
    # agent nouns: organisations, bodies and hardware stand for the entity that modifies them
    ("Peru's ruling junta promised to hold elections within a year.", "AGREE", "Peru"),
    ("The Fatah movement accused Egypt of closing the crossing.", "ACCUSE", "Fatah"),
    ("Jordanian warplanes bombed smuggling routes in Syria.", "ASSAULT", "Jordanian"),
    ("Chadian lawmakers voted down the new constitution.", "REJECT", "Chadian"),
    # plural person nouns are a group of the entity; a singular unnamed official is its state
    ("Kurdish leaders demanded the release of the detained mayors.", "REQUEST", "Kurdish"),
    ("Chile's foreign minister stepped down on Monday.", "RETREAT", "Chile"),
    # light verbs of motion, placing and degree carry the noun's event to their subject
    ("Egyptian President Abdel Fattah el-Sisi arrived in Rome for a two-day visit.", "CONSULT", "Abdel Fattah el-Sisi"),
    ("Brazil and Argentina expanded military cooperation along their border.", "COOPERATE", "Brazil"),
    ("Pakistan put its air force on high alert after the border incident.", "MOBILIZE", "Pakistan"),
    # the lemmatiser's "staged" -> "stag"
    ("South Korea staged large-scale drills near the border with North Korea.", "MOBILIZE", "South Korea"),
    # measure nouns: "tonnes of aid", "a package of sanctions"
    ("Qatar delivered 500 tonnes of food aid to Yemen.", "AID", "Qatar"),
    ("Poland may block the European Union's package of reforms, the president said.", None, None),
    # head=on / head=open
    ("Teachers in Chile went on strike on Monday.", "PROTEST", None),
    ("Gunmen opened fire on a bus in Kenya, killing nine people.", "ASSAULT", None),
    # new vocabulary
    ("The Somalian government declared a halt to military operations in Jubaland.", "CONCEDE", "Somalian"),
    ("Mongolia said it would suspend the ban on Chinese coal imports.", "CONCEDE", "Mongolia"),
    ("Thailand handed over three wanted suspects to Malaysian police.", "COOPERATE", "Thailand"),
    ("Canada disbursed a $200 million loan to Jordan.", "AID", "Canada"),
    ("Syria allowed United Nations inspectors to enter the facility.", "RETREAT", "Syria"),
    ("Truckers in Canada blocked border crossings with Michigan.", "PROTEST", None),
    ("Nurses in Ireland staged a walkout over staffing levels.", "PROTEST", None),
    ("Belarus moved tactical missiles closer to the Polish border.", "MOBILIZE", "Belarus"),
    ("Relatives of the missing sailors pleaded with Greece for a new search.", None, None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "category", "actor"), [c for c in WORLD_CASES if c[1]])
def test_world_news_first_event(nlp, text, category, actor):
    assert_first_event(_events(nlp, text), text, category, actor)


def assert_first_event(events: list[dict], text: str, category: str, actor: str | None) -> None:
    """The first event of `text` has this category and, when `actor` is given, that source
    (else no named source)."""
    assert events, text
    first = min(events, key=lambda e: e["trigger_start"])
    assert first["event_type"] == category
    if actor is not None:
        assert actor in first["source_names"]
    else:
        assert first["source_names"] == []


@pytest.mark.slow
def test_block_a_package_is_a_hypothetical_reject(nlp):
    events = _events(nlp, "Poland may block the European Union's package of sanctions, the president said.")
    assert [(e["event_type"], e["modality"]) for e in events][:1] == [("REJECT", "hypothetical")]


@pytest.mark.slow
def test_threatened_action_is_not_asserted(nlp):
    events = _events(nlp, "Mali threatened to expel the Danish ambassador.")
    assert events[0]["event_type"] == "THREATEN" and events[0]["source_names"] == ["Mali"]
    assert all(e["modality"] != "asserted" for e in events if e["event_type"] == "SANCTION")


@pytest.mark.slow
def test_passive_agent_is_never_replaced_by_the_patient(nlp):
    """'X's commission was criticised by unnamed parties': X is criticised, not the critic."""
    events = _events(nlp, "Kenya's electoral commission was criticised by opposition parties.")
    assert all("Kenya" not in e["source_names"] for e in events)


@pytest.mark.slow
def test_hyphenated_participle_is_not_an_event(nlp):
    events = _events(nlp, "Russian-backed separatists attacked a checkpoint in Moldova.")
    assert [e["event_type"] for e in events] == ["ASSAULT"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "n"), [
    ("A suicide bomber killed eight people at a market, officials said.", 1),
    ("Hundreds of soldiers are being killed every week, the minister said.", 0),
])
def test_unnamed_agent_of_force(nlp, text, n):
    assert len([e for e in _events(nlp, text) if e["event_type"] == "ASSAULT"]) == n


@pytest.mark.slow
def test_generic_protest_located_through_a_city(nlp):
    events = _events(nlp, "Tens of thousands of students marched through Madrid on Thursday.")
    assert events and events[0]["event_type"] == "PROTEST" and events[0]["location"] == "Madrid"


def test_new_demonyms_map_to_countries():
    from pipeline.nlp.events import load_demonyms

    assert load_demonyms()["sri lankan"] == "Sri Lanka"
    assert load_demonyms()["philippine"] == "Philippines"


def test_head_condition_in_lexicon():
    rows = load_lexicon()[("strike", "NOUN")]
    assert any(dict(r.condition).get("head") == frozenset({"on"}) and r.category == "PROTEST" for r in rows)


# ------------------------------------------------------------------ third round (blind set errors)

THIRD_ROUND_CASES = [
    ("Senegal dispatched medical teams and tents to flood-hit Gambia.", "AID", "Senegal"),
    ("Tents and medicines were flown to Fiji by Australia after the storm.", "AID", "Australia"),
    ("Hungary dropped its objections to the new sanctions package.", "CONCEDE", "Hungary"),
    ("Peru declined an invitation to join the regional summit.", "REJECT", "Peru"),
    ("The Brazilian president lashed out at Argentina over its tariffs.", "ACCUSE", "Brazilians"),
    ("Tens of thousands of farmers took to the streets of Warsaw.", "PROTEST", None),
    ("Masked men attacked a police station in northern Mali overnight.", "ASSAULT", None),
]


def _pipeline_events(nlp, text):
    """Events with the entity stage's own mentions (gazetteer included), as a build makes them."""
    from pipeline.nlp import doc_text
    from pipeline.nlp.entities import extract_mentions, link_entities
    from pipeline.nlp.mentions import mentions_by_doc

    doc = nlp(text)
    entities, entity_mentions = link_entities({"d0": extract_mentions(doc)}, {"d0": doc_text(doc)})
    return extract_events("d0", doc, mentions_by_doc(entity_mentions, entities).get("d0", []), reference_date=REF)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "category", "actor"), THIRD_ROUND_CASES)
def test_third_round_vocabulary(nlp, text, category, actor):
    assert_first_event(_pipeline_events(nlp, text), text, category, actor)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "modality"), [
    ("Norway and Sweden have begun sharing satellite data on Arctic shipping.", "asserted"),
    ("Norway and Sweden began sharing satellite data last month.", "asserted"),
    ("Norway and Sweden agreed to begin sharing satellite data.", "future"),
])
def test_an_event_under_way_is_asserted(nlp, text, modality):
    events = [e for e in _events(nlp, text) if e["trigger"] == "sharing"]
    assert events and events[0]["modality"] == modality


@pytest.mark.slow
def test_unnamed_actor_needs_a_marker_of_force(nlp):
    """'Masked men attacked' is an event with no named source; 'Men attacked' with nothing else
    known is not reported at all (no target, no place, no marker)."""
    assert [e["event_type"] for e in _events(nlp, "Masked men attacked the convoy.")] == ["ASSAULT"]
    assert _events(nlp, "Men attacked the convoy.") == []


@pytest.mark.slow
@pytest.mark.parametrize(("text", "category", "actor"), [
    # "in protest at": the verb is the protest; a counted crowd is the subject that matters
    ("Hundreds of taxi drivers blocked the main bridge in Lagos in protest at a fuel price rise.", "PROTEST", None),
    # an agent noun from an organisation stands for it
    ("Observers from the African Union did not endorse the result.", "SUPPORT", "African Union"),
    # filing verbs carry the noun's event to their subject
    ("Norway lodged a complaint with the WTO against Chile.", "ACCUSE", "Norway"),
])
def test_protest_manner_agents_and_filing(nlp, text, category, actor):
    assert_first_event(_pipeline_events(nlp, text), text, category, actor)


# ------------------------------------------------------------------ what is not a report

@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger"), [
    # a condition is not a report
    ("Kenya promised that the rebels would be pardoned if they surrender.", "surrender"),
    # the refusal is the event, not what is refused
    ("Serbia refuses to cede any territory.", "cede"),
    # a topic or an aim, not a report
    ("Norway shared its views on resolving the dispute.", "resolving"),
    ("Sweden has not lost hope in achieving a truce and resolving the dispute.", "resolving"),
    ("The two ministers will discuss resolving the dispute.", "resolving"),
    ("Peru and Chile started negotiations to resolve the dispute.", "resolve"),
    # a verb that stops what its object names: the noun is not an event of its own
    ("Canada suspended weapons deliveries to Ukraine.", "deliveries"),
])
def test_not_a_report(nlp, text, trigger):
    assert trigger not in [e["trigger"] for e in _pipeline_events(nlp, text)]


@pytest.mark.slow
def test_refusal_is_the_event(nlp):
    events = _pipeline_events(nlp, "Serbia refuses to cede any territory.")
    assert [(e["trigger"], e["event_type"]) for e in events] == [("refuses", "REJECT")]


@pytest.mark.slow
def test_object_of_a_request_verb_acts_in_its_infinitive(nlp):
    """'pushed Kenya to make concessions': Kenya would make them, and it has not happened yet."""
    events = _pipeline_events(nlp, "Brazil pushed Kenya to make concessions on tariffs.")
    concession = next(e for e in events if e["event_type"] == "CONCEDE")
    assert concession["source_names"] == ["Kenya"] and concession["modality"] == "hypothetical"


def test_plural_pronoun_is_not_a_country(nlp):
    """News English calls a country 'it': 'they' after 'Ukraine' is not Ukraine."""
    from pipeline.nlp.attribution import resolve_reference

    text = "Ukraine was on the agenda. They discussed it at length."
    doc = nlp(text)
    mentions = [{"entity_id": "ukr", "name": "Ukraine", "type": "GPE", "start": 0, "end": 7, "text": "Ukraine"}]
    start = text.index("They")
    assert resolve_reference(doc, start, start + 4, mentions) is None


@pytest.mark.slow
def test_a_countrys_institution_acts_for_the_country(nlp):
    """"Norway's trade ministry praised X": the entity stage makes the ministry an ORG with the
    country's mention nested at its start; event coding names the country as the actor."""
    text = "Norway's trade ministry praised Chile for its handling of the dispute."
    doc = nlp(text)
    org, country, target = "Norway's trade ministry", "Norway", "Chile"

    def at(sub: str) -> tuple[int, int]:
        i = text.index(sub)
        return i, i + len(sub)

    mentions = [
        {"entity_id": e, "name": n, "type": t, "start": at(n)[0], "end": at(n)[1], "text": n}
        for e, n, t in (("no-mft", org, "ORG"), ("norway", country, "GPE"), ("chile", target, "GPE"))
    ]
    events = extract_events("d0", doc, mentions, reference_date=REF)
    assert_first_event(events, text, "SUPPORT", "Norway")
