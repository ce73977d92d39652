"""Unit tests of entity mentions and canonical actors (pipeline/nlp/entities.py)."""

from __future__ import annotations

import hashlib

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from pipeline.nlp.entities import (
    Mention,
    country_code_for,
    entity_id,
    extract_mentions,
    link_entities,
    person_canonical,
    resolve_alias,
    same_person,
)

# ---------------------------------------------------------------------------------------------
# alias table and name rules (no model)


@pytest.mark.parametrize(
    ("surface", "canonical", "type_"),
    [
        ("Kiev", "Kyiv", "GPE"),
        ("Kyiv", "Kyiv", "GPE"),
        ("Moscow", "Moscow", "GPE"),
        ("MOSCOW", "Moscow", "GPE"),
        ("US", "United States", "GPE"),
        ("U.S.", "United States", "GPE"),
        ("America", "United States", "GPE"),
        ("the United States", "United States", "GPE"),
        ("UK", "United Kingdom", "GPE"),
        ("Britain", "United Kingdom", "GPE"),
        ("Zaporozhye", "Zaporizhzhia Oblast", "GPE"),
        ("Lugansk", "Luhansk Oblast", "GPE"),
        ("Russian", "Russians", "NORP"),
        ("Ukrainians", "Ukrainians", "NORP"),
        ("French", "French", "NORP"),
        ("Kremlin", "Kremlin", "ORG"),
        ("the Pentagon", "Pentagon", "ORG"),
        ("EU", "European Union", "ORG"),
    ],
)
def test_alias_table(surface, canonical, type_):
    entry = resolve_alias(surface)
    assert entry is not None
    assert (entry.canonical, entry.type) == (canonical, type_)


@pytest.mark.parametrize("surface", ["Kievan", "Moscowitz", "Russ", "Mosco"])
def test_alias_table_has_no_partial_matches(surface):
    assert resolve_alias(surface) is None


@pytest.mark.parametrize(
    ("name", "type_", "code"),
    [
        ("Russians", "NORP", "RUS"),
        ("United States", "GPE", "USA"),
        ("Finland", "GPE", "FIN"),
        ("Kyiv", "GPE", "UKR"),
        ("Hunter", "PERSON", None),
    ],
)
def test_country_codes(name, type_, code):
    assert country_code_for(name, type_) == code


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Volodymyr Bilotsky", "Vladimir Bilotsky"),
        ("Volodymyr Bilotskyy", "Volodymyr Bilotsky"),
        ("Yury Sokolov", "Yuri Sokolov"),
        ("Dmytro Kovalenko", "Dmitry Kovalenko"),
        ("Oleksandr Marchenko", "Aleksandr Marchenko"),
        ("J. Hartley", "John Hartley"),
        ("Sokolov", "Yuri Sokolov"),
    ],
)
def test_same_person_merges(a, b):
    assert same_person(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hunter Baines", "Joe Baines"),
        ("Anna Kovalenko", "Dmitry Kovalenko"),
        ("Mark Hansen", "Mark Jansen"),
        ("Ivan Petrov", "Ivan Popov"),
        ("Maria Lopez", "Pedro Lopez"),
    ],
)
def test_same_person_keeps_apart(a, b):
    assert not same_person(a, b)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Ivan Ivanovich Sokolov", "Ivan Sokolov"),
        ("Anna Sergeyevna Petrova", "Anna Petrova"),
        ("Tarik Cyril Hale", "Tarik Cyril Hale"),
        ("Sokolov", "Sokolov"),
    ],
)
def test_patronymics_dropped(name, canonical):
    assert person_canonical(name) == canonical


# ---------------------------------------------------------------------------------------------
# linking across documents


def _m(text: str, sub: str, type_: str, hint: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Mention(start, start + len(sub), sub, type_, None, hint or sub)


def _link(docs: dict[str, list[tuple[str, str, str | None]]], texts: dict[str, str]):
    mentions = {d: [_m(texts[d], sub, t, h) for sub, t, h in ms] for d, ms in docs.items()}
    return link_entities(mentions, texts)


def test_link_merges_spelling_variants_and_keeps_namesakes_apart():
    texts = {
        "a" * 16: "Yury Sokolov met Hunter Baines in Kiev.",
        "b" * 16: "Yuri Sokolov met Joe Baines in Kyiv.",
        "c" * 16: "Yuri Sokolov spoke.",
    }
    docs = {
        "a" * 16: [
            ("Yury Sokolov", "PERSON", None),
            ("Hunter Baines", "PERSON", None),
            ("Kiev", "GPE", "Kyiv"),
        ],
        "b" * 16: [
            ("Yuri Sokolov", "PERSON", None),
            ("Joe Baines", "PERSON", None),
            ("Kyiv", "GPE", None),
        ],
        "c" * 16: [("Yuri Sokolov", "PERSON", None)],
    }
    ents, ments = _link(docs, texts)
    names = set(ents["name"].to_list())
    assert "Yuri Sokolov" in names and "Yury Sokolov" not in names  # majority spelling wins
    assert {"Hunter Baines", "Joe Baines"} <= names
    assert ents.filter(ents["name"] == "Kyiv")["aliases"].to_list() == [["Kiev", "Kyiv"]]
    assert ments["entity_id"].n_unique() == ents.height == 4


def test_surname_alone_joins_the_only_person_with_that_surname():
    texts = {"a" * 16: "Dmytro Kovalenko arrived.", "b" * 16: "Kovalenko left."}
    ents, _ = _link(
        {
            "a" * 16: [("Dmytro Kovalenko", "PERSON", None)],
            "b" * 16: [("Kovalenko", "PERSON", None)],
        },
        texts,
    )
    assert ents["name"].to_list() == ["Dmytro Kovalenko"]
    assert ents["n_documents"].to_list() == [2]


def test_surname_alone_stays_apart_when_ambiguous():
    texts = {"a" * 16: "Hunter Baines and Joe Baines.", "b" * 16: "Baines left."}
    docs = {
        "a" * 16: [("Hunter Baines", "PERSON", None), ("Joe Baines", "PERSON", None)],
        "b" * 16: [("Baines", "PERSON", None)],
    }
    ents, _ = _link(docs, texts)
    assert sorted(ents["name"].to_list()) == ["Baines", "Hunter Baines", "Joe Baines"]


def test_ids_are_stable_and_order_independent():
    texts = {
        "a" * 16: "Volodymyr Bilotsky spoke.",
        "b" * 16: "Vladimir Bilotsky spoke.",
        "c" * 16: "Volodymyr Bilotskyy spoke.",
    }
    docs = {k: [(v.removesuffix(" spoke."), "PERSON", None)] for k, v in texts.items()}
    e1, m1 = _link(docs, texts)
    e2, m2 = _link(dict(reversed(list(docs.items()))), dict(reversed(list(texts.items()))))
    assert e1.equals(e2) and m1.equals(m2)
    assert e1["name"].to_list() == ["Volodymyr Bilotsky"]
    assert (
        e1["entity_id"][0]
        == hashlib.sha256(b"PERSON:Volodymyr Bilotsky").hexdigest()[:16]
        == entity_id("Volodymyr Bilotsky", "PERSON")
    )


def test_link_rejects_offsets_that_do_not_slice():
    with pytest.raises(ValueError):
        link_entities(
            {"a" * 16: [Mention(0, 4, "Kyiv", "GPE", None, "Kyiv")]}, {"a" * 16: "Kiev is big."}
        )


# ---------------------------------------------------------------------------------------------
# extraction on a blank pipeline with hand-set entities (no model)


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _doc(nlp, text: str, ents: list[tuple[str, str]]):
    doc = nlp(text)
    spans = []
    pos = 0
    for sub, label in ents:
        start = text.index(sub, pos)
        span = doc.char_span(start, start + len(sub), label=label)
        assert span is not None, sub
        spans.append(span)
        pos = start + len(sub)
    doc.ents = spans
    return doc


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        (
            "Ivan Sokolov met Sokolov's aides.",
            [("Ivan Sokolov", "PERSON"), ("Sokolov's", "PERSON")],
            [("Ivan Sokolov", "PERSON", "Ivan Sokolov"), ("Sokolov", "PERSON", "Ivan Sokolov")],
        ),
        ("Kiev’s mayor spoke.", [("Kiev’s", "PERSON")], [("Kiev", "GPE", "Kyiv")]),
        ("He went to the Kremlin.", [("the Kremlin", "ORG")], [("Kremlin", "ORG", "Kremlin")]),
        (
            "He thanked the Pentagon, the day.",
            [("the Pentagon,", "ORG")],
            [("Pentagon", "ORG", "Pentagon")],
        ),
        ("Russian troops moved.", [("Russian", "NORP")], [("Russian", "NORP", "Russians")]),
        (
            "Ivan Ivanovich Sokolov said so.",
            [("Ivan Ivanovich Sokolov", "PERSON")],
            [("Ivan Ivanovich Sokolov", "PERSON", "Ivan Sokolov")],
        ),
    ],
)
def test_cleaning_rules(blank, text, ents, expected):
    got = [(m.text, m.type, m.canonical_hint) for m in extract_mentions(_doc(blank, text, ents))]
    assert got == expected


def test_alias_table_finds_what_the_model_missed(blank):
    doc = _doc(blank, "Talks in Kiev and Moscow involved US officials.", [])
    got = {(m.text, m.type, m.canonical_hint) for m in extract_mentions(doc)}
    assert got == {
        ("Kiev", "GPE", "Kyiv"),
        ("Moscow", "GPE", "Moscow"),
        ("US", "GPE", "United States"),
    }


def test_surname_mistyped_as_org_becomes_person(blank):
    doc = _doc(
        blank,
        "Ivan Sokolov spoke. Later Sokolov left.",
        [("Ivan Sokolov", "PERSON"), ("Sokolov", "ORG")],
    )
    ms = extract_mentions(doc)
    assert [(m.text, m.type, m.canonical_hint) for m in ms] == [
        ("Ivan Sokolov", "PERSON", "Ivan Sokolov"),
        ("Sokolov", "PERSON", "Ivan Sokolov"),
    ]


_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "Kremlin",
        "Kiev",
        "Ivan",
        "Sokolov's",
        "said",
        "U.S.",
        "-",
        ",",
        "“",
        "”",
        "Russian",
        "aide",
        "President",
        "\n\n",
        "’s",
        "Mr.",
        "of",
        "Oblast",
        "region",
        "Helen",
        "Athletic",
        "Calif.",
        "a",
        "spokesman",
        "County",
        "Fire",
        "Sgt.",
        "Minister",
        "for",
        "my",
        "company",
    ]
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, min_size=1, max_size=25), data=st.data())
def test_offsets_always_slice(blank, words, data):
    doc = blank(" ".join(words))
    n = len(doc)
    spans = []
    i = 0
    labels = ["PERSON", "ORG", "GPE", "NORP", "DATE", "PRODUCT"]
    while i < n:
        if data.draw(st.booleans()):
            j = min(n, i + data.draw(st.integers(1, 3)))
            spans.append(Span(doc, i, j, label=data.draw(st.sampled_from(labels))))
            i = j
        i += 1
    doc.ents = spans
    mentions = extract_mentions(doc)
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
        assert m.text == m.text.strip() and m.text
        assert m.type in {
            "PERSON",
            "ORG",
            "GPE",
            "NORP",
            "LOC",
            "FAC",
            "EVENT",
            "WORK_OF_ART",
            "LAW",
        }
    spans_seen = [(m.start, m.end) for m in mentions]
    assert all(
        a_end <= b_start
        for (_, a_end), (b_start, _) in zip(
            sorted(spans_seen), sorted(spans_seen)[1:], strict=False
        )
    )


# ---------------------------------------------------------------------------------------------
# the real model


def _mentions(nlp, text):
    return [(m.text, m.type, m.role, m.canonical_hint) for m in extract_mentions(nlp(text))]


@pytest.mark.slow
def test_titles_become_roles(nlp):
    got = _mentions(
        nlp,
        "Kremlin aide Mikhail Sokolov said on Monday that talks with President Sokolov went well.",
    )
    assert ("Kremlin", "ORG", None, "Kremlin") in got
    assert ("Mikhail Sokolov", "PERSON", "Kremlin aide", "Mikhail Sokolov") in got
    assert ("Sokolov", "PERSON", "President", "Mikhail Sokolov") in got


@pytest.mark.slow
def test_possessive_and_institutions(nlp):
    got = _mentions(
        nlp,
        "The White House said that Senator Tom Hartley's plan was rejected by the Pentagon and Russian officials.",
    )
    texts = {(t, ty) for t, ty, _, _ in got}
    assert {
        ("White House", "ORG"),
        ("Tom Hartley", "PERSON"),
        ("Pentagon", "ORG"),
        ("Russian", "NORP"),
    } <= texts


@pytest.mark.slow
def test_offsets_slice_on_real_model(nlp):
    text = "U.S. President Tom Hartley's envoy met Ukrainian leader Volodymyr Bilotsky in Kiev, the Kremlin's aide said.\n\nMOSCOW (Agency) - More talks."
    doc = nlp(text)
    for m in extract_mentions(doc):
        assert text[m.start : m.end] == m.text


# ---------------------------------------------------------------------------------------------
# general typing rules (invented sentences)


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a name with a frequent given name is a person, whatever the model said
        ("Helen Marsh spoke.", [("Helen Marsh", "GPE")], ("Helen Marsh", "PERSON")),
        # a span the model ran across a comma: an organisation, then a person
        ("The plan was approved, according to the head of NAWEC, Olumide Bakare, on Monday.", [("NAWEC, Olumide Bakare", "ORG")], ("Olumide Bakare", "PERSON")),
        # ... but a list inside one name stays whole
        ("The Ministry of Housing, Communities and Local Government said so.", [("Ministry of Housing, Communities and Local Government", "ORG")], ("Ministry of Housing, Communities and Local Government", "ORG")),
        # an honorific before a name the model typed as an organisation
        ("A farmer, Mrs Ngozi Okafor, who had lived there for years, wept.", [("Mrs Ngozi Okafor", "ORG")], ("Ngozi Okafor", "PERSON")),
        ("Eli Tanner left.", [("Eli Tanner", "ORG")], ("Eli Tanner", "PERSON")),
        # the last word says what a name is
        ("They mapped the Marrow Basin.", [("the Marrow Basin", "ORG")], ("Marrow Basin", "LOC")),
        ("They fought the Hollis Fire.", [("the Hollis Fire", "LAW")], ("Hollis Fire", "EVENT")),
        (
            "Fans of Brackley Rovers sang.",
            [("Brackley Rovers", "PERSON")],
            ("Brackley Rovers", "ORG"),
        ),
        ("He lives in Pine County.", [("Pine County", "ORG")], ("Pine County", "GPE")),
        # a state the model took for a person
        ("Those who looted Kerala will pay.", [("Kerala", "PERSON")], ("Kerala", "GPE")),
    ],
)
def test_typing_rules_on_mistyped_spans(blank, text, ents, expected):
    got = {(m.text, m.type) for m in extract_mentions(_doc(blank, text, ents))}
    assert expected in got


@pytest.mark.parametrize(
    ("text", "ents", "surface", "type_", "hint"),
    [
        ("ALBANY, Calif. (Wire) - Rain fell.", [], "Calif.", "GPE", "California"),
        ("Sen. Jo Pell, D-Ore., voted.", [("Jo Pell", "PERSON")], "Ore.", "GPE", "Oregon"),
        ("DENVER - Officials in Denver met.", [("Denver", "GPE")], "DENVER", "GPE", "Denver"),
        (
            "Tomasz Brel was hurt. Tomasz is devastated.",
            [("Tomasz Brel", "PERSON"), ("Tomasz", "PERSON")],
            "Tomasz",
            "PERSON",
            "Tomasz Brel",
        ),
    ],
)
def test_abbreviations_datelines_and_given_name_alone(blank, text, ents, surface, type_, hint):
    got = {(m.text, m.type, m.canonical_hint) for m in extract_mentions(_doc(blank, text, ents))}
    assert (surface, type_, hint) in got


@pytest.mark.parametrize(
    ("text", "ents", "absent"),
    [
        ("Sgt. Ona Reyes said so.", [("Sgt", "PERSON"), ("Ona Reyes", "PERSON")], "Sgt"),
        ("He said: Mark my words.", [("Mark", "PERSON")], "Mark"),
        ("It was over. Classy. Nobody came.", [("Classy", "PERSON")], "Classy"),
    ],
)
def test_noise_is_dropped(blank, text, ents, absent):
    assert absent not in {m.text for m in extract_mentions(_doc(blank, text, ents))}


def test_wire_state_abbreviation_needs_a_comma_or_party_letter(blank):
    doc = _doc(blank, "The Calif. plan failed.", [])
    assert not any(m.text == "Calif." for m in extract_mentions(doc))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # subject of a speech verb, appositive role before or after the name
        ("Defending, Helen Marsh said the man was sorry.", ("Helen Marsh", "PERSON")),
        (
            "A spokesman for the senator, Eli Tanner, said the bill was dead.",
            ("Eli Tanner", "PERSON"),
        ),
        (
            "Prices will rise, said Corvin Ashdale, an analyst at a small bank.",
            ("Corvin Ashdale", "PERSON"),
        ),
        # a capitalised title with a portfolio before the name
        (
            "Minister for Fisheries Wendolyn Castell said the quota would rise.",
            ("Wendolyn Castell", "PERSON"),
        ),
        # appositive organisation, also over a place name inside it
        ("Zentrix, the software company, said it would hire 300 people.", ("Zentrix", "ORG")),
        (
            "Pilots for Safer Skies, the union's lobbying group, said the rule was weak.",
            ("Pilots for Safer Skies", "ORG"),
        ),
        # organisation words and employers in role phrases
        (
            "Brackley Athletic manager Joe Penn said the team was tired.",
            ("Brackley Athletic", "ORG"),
        ),
        ("He told the Westbury Gazette that he would stay.", ("Westbury Gazette", "ORG")),
        ("Pine County Sheriff Al Dorn urged calm.", ("Pine County", "GPE")),
        (
            "On Sunday, Kestrel Valley Morcha leader Ona Veit promised jobs.",
            ("Kestrel Valley Morcha", "ORG"),
        ),
    ],
)
def test_general_rules_on_real_model(nlp, text, expected):
    got = {(m.text, m.type) for m in extract_mentions(nlp(text))}
    assert expected in got


@pytest.mark.slow
def test_one_surface_form_gets_one_type(nlp):
    text = (
        "Zentrix, the video streaming company, will cut 600 jobs. Staff at Zentrix were told "
        "on Monday. Zentrix shares rose 4%."
    )
    types = {m.type for m in extract_mentions(nlp(text)) if m.text == "Zentrix"}
    assert types == {"ORG"}


@pytest.mark.parametrize(("surface", "canonical", "code"), [
    ("Mozambique", "Mozambique", "MOZ"),
    ("Chile", "Chile", "CHL"),
    ("Bolivia", "Bolivia", "BOL"),  # pycountry's short name has a comma; the common name has not
    ("Chad", "Chad", "TCD"),
])
def test_every_iso_country_is_in_the_alias_table(surface, canonical, code):
    from pipeline.nlp.entities import resolve_alias

    entry = resolve_alias(surface)
    assert entry is not None and (entry.canonical, entry.type, entry.country_code) == (canonical, "GPE", code)


@pytest.mark.parametrize("surface", ["Jordan", "Georgia"])
def test_country_names_that_are_also_surnames_or_states_are_left_to_spacy(surface):
    from pipeline.nlp.entities import _iso_country_names

    assert surface not in _iso_country_names()


def test_country_the_model_misses_is_found(nlp):
    from pipeline.nlp.entities import extract_mentions

    doc = nlp("LUSAKA (Reuters) - Mozambique's government said on Monday that Chile would send experts.")
    found = {m.text for m in extract_mentions(doc)}
    assert {"Mozambique", "Chile"} <= found


@pytest.mark.parametrize(("text", "name", "type_"), [
    # a possessor before the role noun does not decide the type: the spokesman is a person
    ("The vote will be challenged, the party's spokesman, Obi Nwachukwu, said.", "Obi Nwachukwu", "PERSON"),
    # a lower-case role word before a name the model missed
    ("Coalition whip Ofir Danino said he was working around the clock.", "Ofir Danino", "PERSON"),
    # an office before a first name is not part of the name
    ("Leader of the Opposition Thomas Kuruvilla hit back at a press conference.", "Thomas Kuruvilla", "PERSON"),
    # a family name first ("Hsu Wei-ting") is not an office word, even when the given name is frequent
    ("Defence Minister Hsu Wei-ting said the drills were provocative.", "Hsu Wei-ting", "PERSON"),
    ("\"We are ready,\" said Lin Mei-ling, a spokeswoman for the ministry.", "Lin Mei-ling", "PERSON"),
    # two names the model ran together at a comma
    ("A spokeswoman for Brennecke, Maria Amory, said the senator was optimistic.", "Maria Amory", "PERSON"),
    # a district title the model ran into one organisation with the place and the name
    ("Westshire Collector Anil Mehta said the search would continue.", "Anil Mehta", "PERSON"),
    # an appositive title without a determiner ("X, Congress MLA from the region,")
    ("The Congress hit out at the government. Kirit Damor, Congress MLA from the region, pointed to a 2022 reply given in the Assembly.", "Kirit Damor", "PERSON"),
    # the institution of an office, then its holder
    ("Leader of the House Rajesh Tanwal hit back, saying the opposition was scared.", "Rajesh Tanwal", "PERSON"),
    # a party's possessive before its member
    ("N-VA’s Jan Dewinter tried to strike a more conciliatory tone.", "Jan Dewinter", "PERSON"),
    # where a named person lives: ", of Levin,"
    ("For patients like Lorna Fitzwilliam, of Levin, the changes feel remote.", "Levin", "GPE"),
    # British councillors' abbreviated title is not part of the name
    ("Cllr Morag Brodie said the plan was reckless. Later Cllr Brodie left.", "Brodie", "PERSON"),
    # initials start the holder's name after an office's institution
    ("The Opposition was quick to criticise the move. Leader of the Opposition K.R. Gowda dismissed the waiver as an eyewash.", "K.R. Gowda", "PERSON"),
    # the first of two family names is the person ("Tzoc" for "Ramiro Tzoc Ajanel")
    ("Prosecutor Ramiro Tzoc Ajanel was dismissed on Monday. “They didn’t even give me a letter,” Tzoc told reporters.", "Tzoc", "PERSON"),
    # tabloid family titles are not part of the name
    ("Gran Maureen Ashby, 71, was sitting in a shelter near the entrance when the decking gave way.", "Maureen Ashby", "PERSON"),
    ("Pensioner Derek Holt, 80, said he was shocked.", "Derek Holt", "PERSON"),
    # a family name the model typed as a people, before a hyphenated Korean given name
    ("\"Cancer patients are being told to wait,\" Han Mi-kyung, head of the Norland Patients Alliance, said in a statement.", "Han Mi-kyung", "PERSON"),
    # a bare appositive of capitalised words and a role noun: "X, West Africa analyst at ..."
    ("Several factions stayed away. Amara Ndiaye, West Africa analyst at the International Crisis Group, called the agreement “the most serious attempt yet” to end the fighting.", "Amara Ndiaye", "PERSON"),
    # a post-nominal title is not part of the name
    ("Opposition spokeswoman Niamh Brennan TD said the rollout was a slow-motion failure.", "Niamh Brennan", "PERSON"),
    # a lower-case organisation noun before a name: "the socialist union X"
    ("\"It is theft,\" said Pieter Claes, national secretary of the socialist union ABVV Metaal.", "ABVV Metaal", "ORG"),
    # only a person has an age in an appositive
    ("\"We are waiting,\" said Moussa Agali, a 42-year-old machine operator who has worked at the site.", "Moussa Agali", "PERSON"),
    ("Thandeka Mbeki, a 71-year-old pensioner from Soweto, drew loud applause when she took the microphone.", "Thandeka Mbeki", "PERSON"),
])
def test_person_name_repairs(nlp, text, name, type_):
    from pipeline.nlp.entities import extract_mentions

    found = {(m.text, m.type) for m in extract_mentions(nlp(text))}
    assert (name, type_) in found, found


def test_an_office_is_not_an_organisation(nlp):
    """"Norland's Minister of Industry and Tourism, X,": the model's ORG "Minister of Industry" is
    an office; the person named after it is the one who speaks."""
    from pipeline.nlp.entities import extract_mentions

    found = {(m.text, m.type) for m in extract_mentions(nlp("Norland's Minister of Industry and Tourism, Andrés Pereda, wrote in a post on X that the government would act."))}
    assert ("Andrés Pereda", "PERSON") in found
    assert not any(text.startswith("Minister") for text, _ in found), found


@pytest.mark.parametrize(("words", "pos", "first_of_name"), [
    # the model's PERSON span is the last two words; the given name between the title and it joins
    (["Foreign", "Minister", "Ilda", "Moura", "Leal", "said"], ["PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "VERB"], "Ilda"),
    # no title before the extra word: the span stays as the model made it
    (["In", "Lisbon", "Ilda", "Moura", "Leal", "said"], ["ADP", "PROPN", "PROPN", "PROPN", "PROPN", "VERB"], "Moura"),
    # the word before the span is itself a title: nothing to add
    (["The", "Foreign", "Minister", "Moura", "Leal", "said"], ["DET", "PROPN", "PROPN", "PROPN", "PROPN", "VERB"], "Moura"),
])
def test_person_start(words, pos, first_of_name):
    from spacy.tokens import Doc

    from pipeline.nlp.entities import _person_start

    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, sent_starts=[True] + [False] * (len(words) - 1),
              ents=["O", "O", "O", "B-PERSON", "I-PERSON", "O"])
    ent = doc.ents[0]
    assert doc.text[_person_start(ent):].split()[0] == first_of_name


def test_first_word_the_parser_joins_to_the_name():
    """'..., Aminu Sule Danlami' with the model's span on the last two words: the compound first
    word joins; a capitalised word that is its own entity or a title does not."""
    from spacy.tokens import Doc

    from pipeline.nlp.entities import _person_start

    words = ["the", "senator", ",", "Ilda", "Moura", "Leal", "said"]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=["DET", "NOUN", "PUNCT", "PROPN", "PROPN", "PROPN", "VERB"],
              heads=[1, 1, 1, 5, 5, 1, 6], deps=["det", "ROOT", "punct", "compound", "compound", "appos", "ROOT"],
              sent_starts=[True] + [False] * 6, ents=["O", "O", "O", "O", "B-PERSON", "I-PERSON", "O"])
    assert doc.text[_person_start(doc.ents[0]):].startswith("Ilda Moura Leal")


@pytest.mark.parametrize(("words", "is_law"), [
    ("National Defense Authorization Act".split(), True),
    ("Digital Markets, Competition and Consumers Act".split(), True),
    ("the Byrnes-Tollefson Amendment".split(), True),
    ("American Convention on Human Rights".split(), True),
    ("Treaty of Lisbon".split(), True),
    ("Democratic National Convention".split(), False),
    ("Act Party".split(), False),
])
def test_law_shaped_names(words, is_law):
    from pipeline.nlp.entities import _law_shaped

    assert _law_shaped(words) is is_law


@pytest.mark.parametrize(("surface", "canonical"), [("Senate", None), ("US Senate", "US Senate"), ("U.S. Congress", "US Congress")])
def test_bare_legislatures_are_not_assumed_american(surface, canonical):
    """'the Senate' in a Nigerian story is Nigeria's: only an explicit 'US Senate' is the US one."""
    from pipeline.nlp.entities import resolve_alias

    entry = resolve_alias(surface)
    assert (entry.canonical if entry else None) == canonical


def test_a_place_the_model_called_a_person(nlp):
    from pipeline.nlp.entities import extract_mentions

    found = {(m.text, m.type) for m in extract_mentions(nlp("Fighting was reported near Khan Yunis on Monday."))}
    assert ("Khan Yunis", "GPE") in found, found


@pytest.mark.parametrize(("name", "size", "expected"), [
    ("Huddersfield", 15_000, True),
    ("huddersfield", 15_000, True),   # any case
    ("Khan Yunis", 15_000, True),     # GeoNames spells it Khān Yūnis: diacritics are folded
    ("Khān Yūnis", 15_000, True),
    ("Rumphi", 15_000, True),
    ("Rumphi", 1_000_000, False),
    ("Notaplace", 15_000, False),
])
def test_city_gazetteer(name, size, expected):
    from pipeline.nlp.entities import is_city

    assert is_city(name, size) is expected


@pytest.mark.parametrize(("text", "name"), [
    ("The upgrade between Leeds and Huddersfield was delayed.", "Huddersfield"),   # typed ORG by the model
    ("Votes from Mzimba, Rumphi and Karonga were counted.", "Rumphi"),              # typed NORP by the model
    ("BRASILIA (Reuters) - Brazil recalled its ambassador.", "BRASILIA"),           # a dateline
])
def test_cities_in_a_place_position_are_places(nlp, text, name):
    from pipeline.nlp.entities import extract_mentions

    found = {(m.text, m.type) for m in extract_mentions(nlp(text))}
    assert (name, "GPE") in found, found


def test_a_month_is_not_a_town(nlp):
    from pipeline.nlp.entities import extract_mentions

    assert all(m.text != "March" for m in extract_mentions(nlp("Talks between Peru and Chile resumed in March.")))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name", "hint"), [
    # a country's institution in lower case is an organisation of its own ...
    ("Norway's trade ministry said in a statement that it firmly rejects the tariff.", "Norway's trade ministry", "Norway's trade ministry"),
    ("The Danish embassy in Lima said it was following the case closely.", "Danish embassy", "Danish embassy"),
    ("The United Nations human rights office said it was deeply alarmed.", "United Nations human rights office", "United Nations human rights office"),
    ("Chile's central bank held rates on Tuesday.", "Chile's central bank", "Chile's central bank"),
    ("The Danish government said the door was not closed.", "Danish government", "Danish government"),
    ("The Prime Minister’s Office said in a statement that the coalition was stable.", "Prime Minister’s Office", "Prime Minister’s Office"),
    # ... and "the trade ministry" later is the same one
    ("Norway's trade ministry condemned the tariff. Later the trade ministry said it was ready to talk.", "trade ministry", "Norway's trade ministry"),
    # an organisation's national branch, and its chapter "of" a place
    ("Human rights groups disputed the figures. Amnesty International Kenya said it had counted more deaths.", "Amnesty International Kenya", "Amnesty International Kenya"),
    ("The Law Society of Kenya said it would go to court.", "Law Society of Kenya", "Law Society of Kenya"),
    ("The mayor said he would sign. The American Civil Liberties Union of Oregon said it was reviewing the ordinance.", "American Civil Liberties Union of Oregon", "American Civil Liberties Union of Oregon"),
    # a titled person "of" a place with an appositive about the place: the person stays a person
    ("Mayor Liza Ocampo of Borongan, a fishing town on the coast, said the surge had swept away homes.", "Liza Ocampo", "Liza Ocampo"),
    # a name in a speech verb's subject position that the model did not mark
    ("‘I now leave home at seven,’ said Prakash Menon, a Kurla resident who works in Thane.", "Prakash Menon", "Prakash Menon"),
    # a company name ended by an organisation word, as a clause's subject
    ("Seaview Mutual will stop writing new homeowners policies in California, the insurer said.", "Seaview Mutual", "Seaview Mutual"),
    ("Oakridge Energy said it would close the plant.", "Oakridge Energy", "Oakridge Energy"),
    # the end of a full name the model cut: a hyphenated family name, a third name word
    ("A senior lecturer at the Business School, Dr Abena Owusu-Bonsu, said the finances were fragile.", "Abena Owusu-Bonsu", "Abena Owusu-Bonsu"),
    ("Professor Lin Kuo-an (林國安) said the standoff reflected a broader struggle.", "Lin Kuo-an", "Lin Kuo-an"),
    ("Farmers staged a sit-in outside the residence of Agriculture Minister Gurpreet Singh Dhaliwal here.", "Gurpreet Singh Dhaliwal", "Gurpreet Singh Dhaliwal"),
    ("Energy Minister Mario Quispe Flores defended the deals on Tuesday.", "Mario Quispe Flores", "Mario Quispe Flores"),
    ("Tom Harlow-era rules stayed in force.", "Tom Harlow", "Tom Harlow"),
    # an acronym in parentheses stays apart from the name
    ("The Kenya Forum on Land and Development (Kefold) said land was at risk.", "Kenya Forum on Land and Development", "Kenya Forum on Land and Development"),
    # a family name of two words for the one full name ending in it
    ("Airline chief Khalid Al Nuaimi said growth was strong. Later Al Nuaimi said more.", "Al Nuaimi", "Khalid Al Nuaimi"),
    # "X, which is controlled by ..." is no person, whatever the model said
    ("Minera Andina, which is controlled by a consortium of foreign firms, said in a statement that its offer was final.", "Minera Andina", "Minera Andina"),
    # a name after "The Commissioner for ..., " is a person
    ("The Commissioner for the Environment and Water Resources, Adewale Ogunbiyi, who monitored the exercise, said owners had been warned.", "Adewale Ogunbiyi", "Adewale Ogunbiyi"),
    # a party and a title before the name: "Likud MK X, a member of ..."
    ("Likud MK Eitan Shapiro, a member of the Knesset Foreign Affairs and Defense Committee, rejected the criticism.", "Eitan Shapiro", "Eitan Shapiro"),
    # ranks and legal titles are roles, not part of the name
    ("Master Sergeant Rodrigo Bautista called it a reward system.", "Rodrigo Bautista", "Rodrigo Bautista"),
    ("Advocate Kiran Menon told the court his client had been in custody for four years.", "Kiran Menon", "Kiran Menon"),
    # a place's council the model did not mark
    ("Shropshire council said it remained committed to protecting the most vulnerable.", "Shropshire council", "Shropshire council"),
    # US council titles are roles
    ("“Dorchester always seems to come last,” said Councilor Marisol Quintana-Hayes, who represents the district.", "Marisol Quintana-Hayes", "Marisol Quintana-Hayes"),
    # the portfolio of a lower-case ministry is part of its name
    ("Spain’s ministry for the ecological transition said in a statement that it welcomed the investment.", "Spain’s ministry for the ecological transition", "Spain’s ministry for the ecological transition"),
    # a family name repeated without its Arabic article
    ("Oil Minister Karim al-Haddad spoke first. Later Haddad left the hall.", "Haddad", "Karim al-Haddad"),
    ("The Human Rights Commission of Pakistan said the law would weaken councils.", "Human Rights Commission of Pakistan", "Human Rights Commission of Pakistan"),
    # an organisation's post abroad "in" a place
    ("The US Embassy in Baghdad said in a statement that it welcomed the deal.", "US Embassy in Baghdad", "US Embassy in Baghdad"),
    # a hyphenated family name the model cuts at the hyphen after an honorific
    ("Daniel Okafor-Price, a law professor at Leeds, said the complaint was detailed. Still, he cautioned them. “The fight is here,” Mr. Okafor-Price said.", "Okafor-Price", "Daniel Okafor-Price"),
])
def test_institutions_branches_and_hyphenated_names(nlp, text, name, hint):
    found = {(m.text, m.canonical_hint) for m in extract_mentions(nlp(text))}
    assert (name, hint) in found, found


@pytest.mark.slow
def test_a_lone_given_name_of_one_person_is_that_person(nlp):
    text = ("The judges found that a loan provided by party leader Thanakrit Siriwattana was illegal.\n\n"
            "Thanakrit, 47, a former tech entrepreneur who led the party to second place, addressed supporters.")
    got = {(m.text, m.type, m.canonical_hint) for m in extract_mentions(nlp(text))}
    assert ("Thanakrit", "PERSON", "Thanakrit Siriwattana") in got, got


@pytest.mark.slow
def test_which_clause_makes_an_organisation_not_a_person(nlp):
    got = {(m.text, m.type) for m in extract_mentions(nlp("Minera Andina, which is controlled by a consortium of foreign firms, said in a statement that its offer was final. Gareth Nolan, chairman of the Police Federation, which represents officers, said morale was low."))}
    assert ("Minera Andina", "ORG") in got and ("Gareth Nolan", "PERSON") in got, got


@pytest.mark.slow
def test_lowercase_institution_keeps_its_country_nested(nlp):
    """The country inside "Norway's trade ministry" stays a mention (events code it as the actor);
    a need-modifier noun alone ("Chile's bank") and armed forces ("Chile's army") are not institutions."""
    got = {(m.text, m.type) for m in extract_mentions(nlp("Norway's trade ministry praised Chile's bank and Chile's army."))}
    assert ("Norway's trade ministry", "ORG") in got and ("Norway", "GPE") in got
    assert not any(t in ("Chile's bank", "Chile's army") for t, _ in got), got
