"""Resolve a reference (pronoun, title, nominal such as 'the Kremlin aide') to an entity mention.

Shared by the quotes stage (speakers) and the events stage (actors). A *mention* here is a mapping
with at least the keys `entity_id`, `name`, `type`, `start`, `end`, `text`, where `start`/`end` are
character offsets into `doc.text` (rows of `entity_mentions` joined with `entities`).

STUB: the quotes stage replaces this first version (nearest preceding compatible mention) with the
full resolver; the signature `resolve_reference(doc, start, end, mentions)` stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spacy.tokens import Doc

Mention = Mapping[str, object]

_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
_GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}


def mention_at(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """The mention overlapping the character span [start, end), if any (longest first)."""
    hits = [m for m in mentions if int(m["start"]) < end and start < int(m["end"])]
    return max(hits, key=lambda m: int(m["end"]) - int(m["start"])) if hits else None


def resolve_reference(doc: Doc, start: int, end: int, mentions: Sequence[Mention]) -> Mention | None:
    """The entity mention that the text span [start, end) of `doc.text` refers to, or None.

    A span that overlaps a mention resolves to it; a personal pronoun resolves to the nearest
    preceding PERSON mention; 'it'/'they' to the nearest preceding ORG/GPE/NORP mention.
    Unresolvable references return None: never a guess.
    """
    direct = mention_at(mentions, start, end)
    if direct is not None:
        return direct
    word = doc.text[start:end].strip().lower()
    if word in _PERSON_PRONOUNS:
        types = {"PERSON"}
    elif word in _GROUP_PRONOUNS:
        types = {"ORG", "GPE", "NORP"}
    else:
        return None
    before = [m for m in mentions if int(m["end"]) <= start and m["type"] in types]
    return max(before, key=lambda m: int(m["end"])) if before else None
