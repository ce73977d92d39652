"""Events in PLOVER: who did what to whom, when and where, one row per real-world event.

Two public functions:

* `extract_events(doc_id, doc, mentions, reference_date=..., live_blog_entries=...)` reads one
  parsed document and returns rows of the `events` table (without `cluster_id`).
* `cluster_events(events, documents)` gives every event a `cluster_id` and builds `event_clusters`,
  one row per real-world event however many documents report it.

How an event is found (all rules are general; the vocabulary is data, `pipeline/data/plover_lexicon.tsv`):

1. Triggers. A verb or an event noun whose lemma is in the lexicon and whose row condition holds
   ("call for" is REQUEST, "called Ramaphosa" CONSULT/phone, "suspend aid" SANCTION). A noun that is an
   argument of a verb trigger is not an event of its own ("supported Lula's proposal" is one
   SUPPORT, not SUPPORT + AGREE); a noun under a verb that is not a trigger (light verbs: "held
   a phone conversation", "will take place") is the event, and takes its actors from that verb.
   Not reports (`_not_a_report`): a condition ("... if they surrender"), what is refused ("refuses
   to cede territory": the REJECT is the event), a topic or aim ("views on resolving the
   conflict", "will discuss resolving", "talks to resolve it"), and a noun a verb stops
   ("suspended weapons deliveries").
2. Actors. Subject (or passive agent) -> source; object, "with/to/against/on X" -> target. For nouns:
   possessor, "by X", "between X and Y", entity modifiers ("US-Ukrainian talks") -> source.
   Coordinations expand to each actor, also when the parser hid one inside the other's title
   ("US President X and Russian President Y held ..." parsed as one phrase); "the two leaders",
   "both presidents" -> the two most recent PERSON actors; "the leaders of X and Y" / "the X and Y
   leaders" -> the people whose titles named X and Y (`role` of their mentions), else X and Y; pronouns go through `pipeline.nlp.attribution.resolve_reference`; a demonym
   modifying a state agent ("Russian forces") stands for its country when the document names it;
   a country's institution that the entity stage named in lower case ("Norway's trade ministry",
   with the country nested in it) stands for the country.
   Mutual events with two or more sources and no stated target keep everyone in source.
   An agent noun (forces, police, ministry, junta, council, group, aircraft, hackers; in the plural
   also leaders, officials, representatives) modified by an entity stands for that entity ("Mali's
   junta", "Israeli aircraft", "Houthi leaders"); an unnamed official ("Chile's foreign minister")
   whom the resolver cannot name stands for the entity of the title. An unnamed actor of force,
   protest, repression or mobilisation ("gunmen", "thousands of people") makes an event when the
   text names its target or place or when the actor is an active agent of force ("a bomber killed",
   "armed men stormed"). The object of urge/push/press/ask/tell/order ... is the actor of its
   infinitive ("pushed Kenya to make concessions").
3. Modality. negated (not/never, refuse/fail/decline to), future (will, going to,
   plans/agreed/expected/scheduled to, "would" reported after a past speech verb), hypothetical
   (could, might, may, would, if, consider, threaten, what someone is urged or asked to do,
   "potential"), else asserted; an event under way ("have begun sharing") is asserted. Per PLOVER.md a CONSULT, SUPPORT, COOPERATE or AID in the future is
   coded AGREE (modality stays `future`, so users can still see it was scheduled).
4. Date. Temporal expressions attached to the predicate (else the date of the reporting verb,
   "..., X said on Monday"), resolved by `pipeline.nlp.temporal.resolve_date` against the live-blog
   entry date (the preamble of a live blog takes its latest entry date) or the published date.
   An undated event "during the call" takes the date of the call it refers to. An undated
   statement-like event (AGREE, SUPPORT, CONCEDE, REQUEST, ACCUSE, REJECT, THREATEN) takes the
   date of the document's first dated CONSULT when its source took part in it (statements made in
   the reported meeting/call), and in a live-blog entry the entry's date (for the present perfect
   only when its sentence leads its paragraph: "X has welcomed ..." opens a post with its news,
   "... X has criticized Y" inside one recalls background). Such events record the call or meeting
   as their `occasion_event_id`.
5. One event per real-world event per document: repeated mentions (same category and modality,
   one actor set inside the other, compatible dates) are merged into the first; `n_mentions`
   counts them.
6. Clusters across documents: see `cluster_events` (same category and modality, nesting actors,
   dates, stated weekdays and day/month that fit, statements only within the same occasion; the
   result does not depend on the order of the input).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import polars as pl
from spacy.tokens import Doc, Span, Token

from pipeline.nlp import doc_text
from pipeline.nlp.attribution import resolve_reference
from pipeline.nlp.temporal import is_temporal, partial_date, resolve_date

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
LEXICON_PATH = DATA_DIR / "plover_lexicon.tsv"
CATEGORIES_PATH = DATA_DIR / "event_categories.tsv"
DEMONYMS_PATH = DATA_DIR / "event_demonyms.tsv"
CAPITALS_PATH = DATA_DIR / "event_capitals.tsv"

MODALITIES = ("asserted", "future", "hypothetical", "negated")
GENERIC_ACTOR_CATEGORIES = {"PROTEST", "ASSAULT", "COERCE", "MOBILIZE"}
STATEMENT_CATEGORIES = {"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
FUTURE_AS_AGREE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
PLACE_TYPES = {"GPE", "LOC", "FAC"}
CLUSTER_MIN_SIMILARITY = 0.25  # Jaccard of two documents' actors for an undated report to join

# Closed-class words: grammar, not topic vocabulary.
_SPEECH_VERBS = {
    "say", "tell", "state", "confirm", "announce", "report", "add", "note", "claim", "write",
    "reveal", "declare", "explain", "argue", "indicate", "mention", "post", "describe", "comment",
    "stress", "emphasize", "emphasise", "insist", "acknowledge", "admit", "assert", "believe",
    "reiterate", "update", "signal", "suggest", "inform", "assure", "notify", "brief", "warn",
    "tweet", "testify", "estimate", "predict", "hint", "disclose",
}
_FUTURE_GOVERNORS = {
    "plan", "intend", "aim", "schedule", "expect", "set", "prepare", "agree", "decide", "promise",
    "pledge", "vow", "start", "begin", "undertake", "commit", "look", "due", "ready",
}
_ONSET_VERBS = {"start", "begin", "commence"}
_NEGATING_GOVERNORS = {"refuse", "fail", "decline"}
# verbs whose object is the subject of their infinitive ("urged Iran to release ...")
_OBJECT_CONTROL = {
    "urge", "push", "press", "ask", "pressure", "pressurise", "pressurize", "encourage", "invite",
    "persuade", "force", "compel", "tell", "order", "instruct", "direct", "allow", "permit", "help", "require",
}
# of those, the ones that only ask: what they ask for has not happened ("urged Iran to release")
_REQUEST_GOVERNORS = {"urge", "push", "press", "ask", "pressure", "pressurise", "pressurize", "encourage", "invite", "persuade"}
# verbs that stop or withhold what their object names: "suspended weapons deliveries" is not an AID
_STOP_VERBS = {"suspend", "halt", "stop", "cut", "pause", "freeze", "block", "end", "cancel", "delay", "restrict", "curb", "withhold", "postpone"}
# prepositions whose gerund object is a topic or an aim, not a report: "views on resolving", "hope in achieving"
_TOPIC_PREPS = {"on", "in", "of", "about", "toward", "towards", "for", "at"}


def _not_a_report(trigger: Token, verb_triggers: set[int]) -> bool:
    """A trigger that names something other than a reported act: a condition ("will not be harmed
    if they surrender"), what a verb trigger refuses ("refuses to cede territory": the refusal is
    the event), a noun a verb stops ("suspended weapons deliveries": the verb is the event), a
    gerund after a topic preposition ("shared his views on resolving the conflict"), a gerund
    complement of a verb of discussing ("will discuss resolving"), or a purpose infinitive ("talks
    to resolve the conflict"). `verb_triggers` are the token indices of the document's verb triggers."""
    if trigger.pos_ not in ("VERB", "AUX"):
        gov = _governing_verb(trigger)
        return (gov is not None and _lemma(gov) in _STOP_VERBS) or any(
            c.dep_ in ("amod", "compound") and _lemma(c) in _STOP_VERBS for c in trigger.children
        )
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in trigger.children):
        return True
    if trigger.dep_ == "xcomp" and trigger.head.i in verb_triggers and _lemma(trigger.head) in _NEGATING_GOVERNORS:
        return True
    gerund = trigger
    while gerund.dep_ == "conj" and gerund.head.tag_ == "VBG" and gerund.head is not gerund:
        gerund = gerund.head  # "in achieving a ceasefire and resolving the conflict"
    if trigger.tag_ == "VBG" and gerund.dep_ == "pcomp" and gerund.head.lower_ in _TOPIC_PREPS:
        return True
    if trigger.tag_ == "VBG" and trigger.dep_ in ("xcomp", "ccomp") and _lemma(trigger.head) in {"discuss", "debate"}:
        return True
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    return trigger.tag_ == "VB" and has_to and trigger.dep_ in ("advcl", "acl", "relcl")


_HYPOTHETICAL_GOVERNORS = {"consider", "want", "hope", "seek", "mull", "weigh", "propose", "suggest", "offer", "wish", "try", "attempt", "threaten"}
_HYPOTHETICAL_MODALS = {"could", "might", "may", "can", "should", "must", "would", "'d"}
_FUTURE_MODALS = {"will", "shall", "'ll", "wo"}
_FUTURE_ADJ = {"planned", "scheduled", "upcoming", "future", "forthcoming", "next", "expected"}
_HYPOTHETICAL_ADJ = {"potential", "possible", "proposed", "hypothetical", "eventual", "prospective"}
_GROUP_DETS = {"both", "two", "the", "their"}
_STATE_AGENTS = {
    "force", "troop", "military", "army", "navy", "government", "official", "authority", "ministry",
    "soldier", "diplomat", "delegation", "administration", "side", "unit", "police", "intelligence",
    "leadership", "negotiator", "team", "air", "border", "guard", "state", "regime", "militia",
    "service", "agency", "embassy", "parliament", "court", "prosecutor", "paramilitary", "rebel",
    "militant", "insurgent", "fighter", "gunman", "protester", "protestor", "demonstrator", "worker",
    "student", "activist", "separatist", "jihadist", "settler", "forces", "coalition", "authorities",
    # organisations and bodies named by their members' state or group ("Mali's junta", "the M23 group")
    "group", "party", "movement", "council", "commission", "junta", "cabinet", "union", "association",
    "ruler", "lawmaker", "legislator", "senator", "mediator", "hacker", "bomber", "attacker", "assailant",
    "observer", "monitor", "commander",
    # military hardware standing for its operator ("Israeli aircraft struck ...")
    "aircraft", "warship", "warplane", "jet", "plane", "vessel", "ship", "drone", "tank", "artillery",
    "coastguard",
}
_TARGET_PREPS = {"with", "to", "against", "on", "at", "into", "toward", "towards", "upon", "from"}
_NOUN_TARGET_PREPS = {"with", "to", "against", "on", "into", "toward", "towards", "upon", "for"}
_LIGHT_VERBS = {
    "have", "hold", "conduct", "make", "take", "carry", "stage", "launch", "begin", "start",
    "continue", "resume", "join", "attend", "host", "organize", "organise", "sign", "reach",
    "complete", "finish", "give", "issue", "pose", "wage", "mount", "engage", "participate",
    "undertake", "perform", "do", "announce", "declare", "order", "approve", "initiate",
    "agree", "plan", "schedule", "arrange", "seek", "offer", "propose", "implement", "deliver",
    "provide", "send", "deploy", "impose", "enter", "open", "conclude", "extend",
    # motion ("arrived for a visit", "went on strike"), placing ("put the army on alert"), and
    # verbs of degree that keep the noun's event ("expanded cooperation", "stepped up attacks")
    "arrive", "go", "come", "put", "place", "raise", "expand", "deepen", "strengthen", "boost",
    "intensify", "step", "escalate", "broaden", "renew",
    # filing ("lodged a complaint", "filed a lawsuit", "voiced opposition")
    "lodge", "file", "submit", "voice",
}
_SETTING_PREPS = {"during", "after", "before", "since", "amid", "amidst", "despite", "following", "ahead", "until", "throughout", "in", "at"}
_ANAPHORIC_PREPS = {"during", "throughout", "amid", "in"}
_PERSON_GROUP_NOUNS = {"leader", "president", "counterpart", "head", "minister", "premier", "chancellor", "official", "envoy"}
_PLURAL_AGENTS = {"representative", "negotiator", "envoy", "member", "commander", "spokesperson"}
_STATE_GROUP_NOUNS = {"country", "nation", "government", "state", "capital", "power"}
_ANAPHORIC_DETS = {"the", "this", "that", "his", "her", "their", "its"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "ROOT", "parataxis", "csubj", "pcomp"}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class LexiconRow:
    lemma: str
    pos: str
    category: str
    mode: str | None
    condition: tuple[tuple[str, frozenset[str]], ...]


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def load_categories() -> dict[str, tuple[str, ...]]:
    """PLOVER category -> its allowed event_mode values (pipeline/data/event_categories.tsv)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in _read_tsv(CATEGORIES_PATH):
        modes = tuple(m.strip() for m in (row[1] if len(row) > 1 else "").split(",") if m.strip())
        out[row[0].strip()] = modes
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> dict[tuple[str, str], tuple[LexiconRow, ...]]:
    """(lemma, pos) -> lexicon rows in file order (pipeline/data/plover_lexicon.tsv)."""
    categories = load_categories()
    table: dict[tuple[str, str], list[LexiconRow]] = {}
    for row in _read_tsv(LEXICON_PATH):
        row = row + [""] * (5 - len(row))
        lemma, pos, category, mode, condition = (c.strip() for c in row[:5])
        if category != "-" and category not in categories:
            raise ValueError(f"{LEXICON_PATH.name}: unknown PLOVER category {category!r} for {lemma!r}")
        if mode and mode not in categories.get(category, ()):
            raise ValueError(f"{LEXICON_PATH.name}: mode {mode!r} is not a mode of {category} ({lemma!r})")
        atoms = []
        for atom in filter(None, (a.strip() for a in condition.split(";"))):
            kind, _, values = atom.partition("=")
            atoms.append((kind, frozenset(v for v in values.split("|") if v)))
        table.setdefault((lemma.lower(), pos), []).append(
            LexiconRow(lemma.lower(), pos, category, mode or None, tuple(atoms))
        )
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def load_demonyms() -> dict[str, str]:
    return {row[0].strip().lower(): row[1].strip() for row in _read_tsv(DEMONYMS_PATH) if len(row) > 1}


# --------------------------------------------------------------------------- parse helpers


# Forms the model's lemmatiser gets wrong ("staged" -> "stag").
_LEMMA_FIXES = {"staged": "stage", "staging": "stage"}


def _lemma(tok: Token) -> str:
    return _LEMMA_FIXES.get(tok.lower_) or tok.lemma_.lower()


def _objects(tok: Token) -> list[Token]:
    """Direct objects of a verb; for a noun its 'of' complement and compounds."""
    if tok.pos_ in ("VERB", "AUX"):
        objs = [c for c in tok.children if c.dep_ in ("dobj", "obj", "attr", "oprd")]
        objs += [c for c in tok.children if c.dep_ == "nsubjpass"]
        for prt in (c for c in tok.children if c.dep_ == "prt"):
            objs += [c for c in prt.children if c.dep_ in ("dobj", "pobj")]
        if tok.dep_ == "amod" or tok.dep_ == "acl":  # "suspended deliveries", "the aid resumed"
            objs.append(tok.head)
        # "sent 2,000 tonnes of aid", "a package of sanctions": the measured thing is the object
        objs += [p for o in list(objs) if _is_measure(o) for prep in o.children if prep.dep_ == "prep" and prep.lower_ == "of"
                 for p in prep.children if p.dep_ == "pobj"]
    else:
        objs = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "on")):
            objs += [c for c in prep.children if c.dep_ == "pobj"]
    return [o2 for o in objs for o2 in [o, *o.conjuncts]] + [
        gc for o in objs for gc in o.children if gc.dep_ == "compound"
    ]


_MEASURE_NOUNS = {
    "tonne", "ton", "tons", "batch", "shipment", "package", "consignment", "number", "dozen", "hundred",
    "thousand", "million", "billion", "load", "convoy", "lot", "amount", "set", "round", "supply", "wave",
    "series", "barrage", "volley", "group", "pair", "couple", "kind", "type", "range", "state",
}


def _is_measure(tok: Token) -> bool:
    return tok.pos_ == "NUM" or _lemma(tok) in _MEASURE_NOUNS or any(c.dep_ == "nummod" for c in tok.children)


def _related_lemmas(tok: Token) -> set[str]:
    out = set()
    for c in tok.children:
        out.add(_lemma(c))
        out.add(c.lower_)
        if c.dep_ in ("prep", "agent", "prt", "compound", "amod", "nmod", "advmod", "npadvmod", "dobj"):
            for gc in c.children:
                if gc.dep_ in ("pobj", "compound", "amod", "det"):
                    out.add(_lemma(gc))
                    out.add(gc.lower_)
    if tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "compound"):
        out.add(_lemma(tok.head))
        if tok.head.dep_ == "prep":
            out.add(tok.head.lower_)
    return out


def _subject_heads(tok: Token) -> list[Token]:
    """Subject nouns of a verb, also for a mis-parsed 'Thousands of workers [protested]' (acl)."""
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "NUM", "PROPN"):
        subjects = [tok.head]
    return subjects + [p for s in subjects for prep in s.children if prep.lower_ == "of" for p in prep.children if p.dep_ == "pobj"]


def _condition_holds(row: LexiconRow, tok: Token) -> bool:
    for kind, values in row.condition:
        if kind == "obj":
            objs = _objects(tok)
            if "*" in values:
                if not objs:
                    return False
            elif not any(_lemma(o) in values or o.lower_ in values for o in objs):
                return False
        elif kind == "child":
            if not (_related_lemmas(tok) & values):
                return False
        elif kind == "prep":
            preps = {c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "agent")}
            if not preps & values:
                return False
        elif kind == "subj":
            subjects = _subject_heads(tok)
            # "hundreds of taxi drivers": the counted noun is the subject that matters
            subjects += [p for s in subjects if _is_measure(s) for p in _prep_objects(s, {"of"})]
            if not any(_lemma(s) in values or s.lower_ in values for s in subjects):
                return False
        elif kind == "xcomp":
            if not any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
                return False
        elif kind == "head":
            heads = {_lemma(tok.head), tok.head.lower_} if tok.head is not tok else set()
            if not heads & values:
                return False
        elif kind == "dep":
            if not any(c.dep_ in values for c in tok.children):
                return False
        elif kind == "actor":
            pass  # checked after actor extraction (an event needs an actor anyway)
    return True


def match_trigger(tok: Token) -> LexiconRow | None:
    """The lexicon row a token triggers, or None (also None for an explicit '-' row)."""
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
        pos = "VERB"
    elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("PERSON", "GPE", "ORG", "NORP"):
        pos = "NOUN"
    else:
        return None
    lexicon = load_lexicon()
    for key in dict.fromkeys((_lemma(tok), tok.lower_)):
        rows = lexicon.get((key, pos))
        if not rows:
            continue
        for row in rows:
            if _condition_holds(row, tok):
                return None if row.category == "-" else row
        return None
    return None


# --------------------------------------------------------------------------- actors


class _Actors:
    """Resolves tokens to entity mentions for one document."""

    def __init__(self, doc: Doc, mentions: Sequence[Mapping]):
        self.doc = doc
        self.all_mentions = [m for m in mentions if not _in_dateline(doc_text(doc), m)]
        self.mentions = [m for m in self.all_mentions if str(m.get("type", "")) in ACTOR_TYPES]
        self.by_name: dict[str, Mapping] = {}
        for m in self.mentions:
            self.by_name.setdefault(str(m["name"]), m)
        self.history: list[tuple[int, Mapping]] = []  # (offset, mention) of actors of events so far
        # the countries a person's title names ("Russian President X", "US President Y")
        self.person_countries: dict[str, set[str]] = {}
        for m in self.mentions:
            if m.get("type") == "PERSON" and m.get("role"):
                lo = max(0, int(m["start"]) - len(str(m["role"])) - 2)
                for c in self._overlapping(lo, int(m["start"])):
                    if c.get("type") in ("GPE", "NORP"):
                        self.person_countries.setdefault(str(m["entity_id"]), set()).add(str(self._country(c)["name"]))

    def remember(self, offset: int, mentions: Sequence[Mapping]) -> None:
        self.history += [(offset, m) for m in mentions]

    def _overlapping(self, start: int, end: int) -> list[Mapping]:
        return [m for m in self.mentions if int(m["start"]) < end and start < int(m["end"])]

    def _country(self, mention: Mapping) -> Mapping:
        """A NORP mention stands for its country when the document names the country; a country's
        institution written in lower case ("Norway's trade ministry", the entity stage nests the
        country's mention at its start) stands for the country, as event coders code it."""
        if mention.get("type") == "ORG":
            s, e = int(mention["start"]), int(mention["end"])
            for inner in self.mentions:
                if int(inner["start"]) == s and int(inner["end"]) < e and inner.get("type") in ("GPE", "NORP"):
                    return self._country(inner)
            return mention
        if mention.get("type") != "NORP":
            return mention
        for key in (str(mention.get("text", "")).lower(), str(mention.get("name", "")).lower()):
            country = load_demonyms().get(key) or load_demonyms().get(key.rstrip("s"))
            if country and country in self.by_name:
                return self.by_name[country]
        return mention

    def in_span(self, start: int, end: int, *, places: bool = False) -> list[Mapping]:
        found = sorted(self._overlapping(start, end), key=lambda m: int(m["start"]))
        if not places:
            found = [m for m in found if m.get("type") not in ("LOC", "FAC")]
        return [self._country(m) for m in found]

    def of_token(self, tok: Token) -> list[Mapping]:
        """Entities a noun-phrase head stands for (coordination not expanded)."""
        start, end = tok.idx, tok.idx + len(tok.text)
        inside = self._overlapping(start, end)
        if len(inside) > 1:  # "U.S.-Israeli", "Modi-Sharif": several mentions inside one token
            return [self._country(m) for m in sorted(inside, key=lambda m: int(m["start"]))]
        if tok.lower_ in ("who", "which", "that") and tok.head.dep_ in ("relcl", "acl"):
            return self.of_phrase(tok.head.head)
        if tok.pos_ == "PRON":
            if tok.lower_ in ("each", "other", "it", "this", "that", "which", "what"):
                if tok.lower_ != "it":
                    return []
            m = resolve_reference(self.doc, start, end, self.all_mentions)
            return [self._country(m)] if m is not None and m.get("type") in ACTOR_TYPES else []
        if inside:
            return [self._country(inside[0])]
        lemma = _lemma(tok)
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "predet", "poss", "amod")}
        if tok.tag_ in ("NNS", "NNPS") and dets & _GROUP_DETS and (lemma in _PERSON_GROUP_NOUNS or lemma in _STATE_GROUP_NOUNS):
            mods = self._modifier_entities(tok)
            if mods and lemma in _PERSON_GROUP_NOUNS:
                people = self._leaders_of(mods, tok.idx)
                if people:  # "the leaders of Russia and the US" after "Russian President X ... US President Y"
                    return people
            if mods:
                return mods
            return self._recent_pair(tok.idx, "PERSON" if lemma in _PERSON_GROUP_NOUNS else "GPE")
        for c in tok.children:  # "his Kenyan counterpart William Ruto", "NAIROBI (Reuters) - X and Y"
            if c.dep_ == "appos":
                found = self.of_phrase(c)
                if found:
                    return found
        mods = self._modifier_entities(tok)
        if mods and _is_agent_noun(tok):
            return mods
        # a nominal reference ("the Kremlin aide", "the Russian president"): ask the resolver
        m = resolve_reference(self.doc, tok.left_edge.idx, end, self.all_mentions)
        if m is not None and m.get("type") in ACTOR_TYPES and m.get("type") not in ("LOC", "FAC"):
            return [self._country(m)]
        if mods and lemma in _PERSON_GROUP_NOUNS:  # an unnamed official: "Bolivia's interior minister"
            return mods
        return []

    def _modifier_entities(self, tok: Token) -> list[Mapping]:
        out: list[Mapping] = []
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                out += self.in_span(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            elif c.dep_ == "prep" and (c.lower_ == "of" or (c.lower_ in ("in", "from") and _is_agent_noun(tok))):
                for p in c.children:
                    if p.dep_ == "pobj":  # "the leaders of X and Y", "police in Hong Kong"
                        out += [m for m in self.of_phrase(p) if m.get("type") != "FAC"]
        return _dedupe(out)

    def _leaders_of(self, countries: Sequence[Mapping], before: int) -> list[Mapping]:
        """For each country, the latest person named before `before` whose title names it; [] unless
        every country has one ("the leaders of X and Y" are the people introduced as X's and Y's)."""
        people: list[Mapping] = []
        for country in countries:
            name = str(country["name"])
            found = [m for m in self.mentions if m.get("type") == "PERSON" and int(m["end"]) <= before
                     and name in self.person_countries.get(str(m["entity_id"]), ())]
            if not found:
                return []
            people.append(max(found, key=lambda m: int(m["end"])))
        people = _dedupe(people)
        return people if len(people) == len(countries) else []

    def _recent_pair(self, before: int, typ: str) -> list[Mapping]:
        """The two most recent distinct actors of that type (of earlier events, else mentions)."""
        for pool in (
            [m for off, m in self.history if off < before],
            [m for m in self.mentions if int(m["end"]) <= before],
        ):
            seen: dict[str, Mapping] = {}
            for m in reversed(pool if pool is not self.mentions else sorted(pool, key=lambda m: int(m["end"]))):
                if m.get("type") == typ and str(m["entity_id"]) not in seen:
                    seen[str(m["entity_id"])] = m
                    if len(seen) == 2:
                        return list(seen.values())
        return []

    def of_phrase(self, tok: Token) -> list[Mapping]:
        """Entities of a noun phrase head and its coordinated heads ("Ruto and Museveni")."""
        out: list[Mapping] = []
        for t in [tok, *tok.conjuncts]:
            out += self.of_token(t)
        out = _dedupe(out)
        if len(out) == 1 and out[0].get("type") == "PERSON":
            out = _dedupe(out + self._hidden_coordination(tok))
        return out

    def _hidden_coordination(self, tok: Token) -> list[Mapping]:
        """People coordinated inside one mis-parsed noun phrase.

        "Kenyan President William Ruto and Ugandan President Yoweri Museveni held ..." is often parsed
        as one phrase headed by the last name, the first person hanging off the second's title
        (compound -> appos -> cc/conj). When the title chain of the head holds an 'and', every
        person named in it is an actor. Prepositional and clausal modifiers are not followed.
        """
        chain: list[Token] = []
        stack = [tok]
        while stack:
            for c in stack.pop().children:
                if c.dep_ in ("compound", "appos", "conj", "cc", "amod", "flat", "nmod", "punct"):
                    chain.append(c)
                    stack.append(c)
        if not any(c.dep_ == "cc" and c.lower_ in ("and", "&") for c in chain):
            return []
        found = [m for c in sorted(chain, key=lambda t: t.i) for m in self._overlapping(c.idx, c.idx + len(c.text))]
        return [m for m in found if m.get("type") == "PERSON"]


_DATELINE = re.compile(r"[A-Z][A-Z .'\-]{2,40}(?:,\s*[A-Za-z .]+)?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]\s")


_UNNAMED_MODIFIERS = {"armed", "masked", "unidentified", "unknown", "suspected", "hooded", "heavily"}


def _unnamed_assailant(tok: Token) -> bool:
    """An actor the text leaves unnamed but marks as an agent of force ("armed men", "unidentified
    attackers", "suspected militants")."""
    return any(c.dep_ in ("amod", "compound", "advmod") and c.lower_ in _UNNAMED_MODIFIERS for c in tok.children)


def _is_agent_noun(tok: Token) -> bool:
    """A noun whose entity modifier names who acts: "Russian forces", "Mali's junta", and in the
    plural a group of people ("Houthi leaders", "EU ministers"; "the Russian leader" is a person)."""
    lemma = _lemma(tok)
    if tok.tag_ in ("NNS", "NNPS") and (lemma in _PERSON_GROUP_NOUNS or lemma in _PLURAL_AGENTS):
        return True
    return lemma in _STATE_AGENTS or lemma.rstrip("s") in _STATE_AGENTS or tok.lower_ in _STATE_AGENTS


def _in_dateline(text: str, mention: Mapping) -> bool:
    """'NAIROBI (Reuters) - ...': the place and agency that open a paragraph are not actors."""
    start = int(mention["start"])
    para_start = text.rfind("\n", 0, start) + 1
    m = _DATELINE.match(text, para_start)
    return bool(m) and start < m.end()


def _dedupe(mentions: Sequence[Mapping]) -> list[Mapping]:
    seen: dict[str, Mapping] = {}
    for m in mentions:
        seen.setdefault(str(m["entity_id"]), m)
    return list(seen.values())


def _subjects(verb: Token) -> tuple[list[Token], list[Token]]:
    """(active subjects, passive subjects) of a verb, inherited through conj/xcomp/relcl."""
    tok = verb
    for _ in range(4):
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "csubj", "expl")]
        passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if subj or passive:
            return subj, passive
        if tok.dep_ == "xcomp" and _lemma(tok.head) in _OBJECT_CONTROL:
            objs = [c for c in tok.head.children if c.dep_ in ("dobj", "obj")]
            if objs:  # "pushed Kenya to make concessions": Kenya is who would make them
                return objs, []
        if tok.dep_ in ("conj", "xcomp", "advcl", "acomp") and tok.head != tok:
            tok = tok.head
            continue
        if tok.dep_ == "pcomp" and tok.head.head != tok.head:  # "after meeting X"
            tok = tok.head.head
            continue
        if tok.dep_ in ("relcl", "acl") and tok.tag_ != "VBN":
            return [tok.head], []
        if tok.dep_ == "acl" and tok.tag_ == "VBN":  # "the region invaded by Ukraine"
            return [], [tok.head]
        break
    return [], []


def _prep_objects(tok: Token, preps: set[str]) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            out += [p for p in c.children if p.dep_ == "pobj"]
    return out


# --------------------------------------------------------------------------- modality, tense


def _verb_chain(pred: Token) -> list[Token]:
    """The predicate and the verbs that govern it through xcomp ("agreed to start talks")."""
    chain = [pred]
    tok = pred
    for _ in range(3):
        if tok.dep_ in ("xcomp",) and tok.head != tok:
            tok = tok.head
            chain.append(tok)
        else:
            break
    return chain


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun trigger hangs on: 'held [a call]', '[an exchange] will take place'."""
    tok = noun
    if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "obj", "oprd"):
        return tok.head if tok.head.pos_ in ("VERB", "AUX") else None
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent") and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head
    if tok.dep_ == "conj":
        return _governing_verb(tok.head)
    return None


def _aux_words(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _speech_governor(tok: Token) -> Token | None:
    """A speech verb the clause of `tok` is reported by ("X said [that ...]", "..., X added")."""
    cur = tok
    for _ in range(6):
        if cur.dep_ in ("ccomp", "parataxis", "conj") and cur.head != cur:
            head = cur.head
            if _lemma(head) in _SPEECH_VERBS:
                return head
            cur = head
            continue
        if cur.dep_ == "ROOT":
            for c in cur.children:
                if c.dep_ in ("parataxis", "ccomp") and _lemma(c) in _SPEECH_VERBS and c.i > tok.i:
                    return c
            return None
        if cur.head == cur:
            return None
        cur = cur.head
    return None


def _modality(pred: Token, trigger: Token) -> str:
    chain = _verb_chain(pred)
    toks = list(dict.fromkeys(chain + [trigger]))
    for t in toks:
        if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in t.children):
            return "negated"
    if trigger is not pred and any(c.lower_ == "no" and c.dep_ == "det" for c in trigger.children):
        return "negated"
    if any(_lemma(t) in _NEGATING_GOVERNORS for t in chain[1:]):
        return "negated"  # "refuses to cede", "failed to deliver"
    # if-clauses: the predicate or a governing verb in an advcl marked by 'if'/'unless'
    for t in toks:
        cur = t
        for _ in range(3):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in cur.children):
                return "hypothetical"
            if cur.dep_ in ("conj", "xcomp", "ccomp") and cur.head != cur:
                cur = cur.head
            else:
                break
    auxes = set().union(*(_aux_words(t) for t in toks))
    if auxes & _FUTURE_MODALS or ("going" in auxes and any(c.lower_ == "to" for c in pred.children)):
        return "future"
    if "going" in {t.lower_ for t in chain[1:]}:
        return "future"
    if auxes & _HYPOTHETICAL_MODALS:
        if auxes & {"would", "'d"} and _speech_governor(pred) is not None:
            return "future"  # reported speech: "would" is a backshifted "will"
        return "hypothetical"
    # "has begun sharing", "began talks": the event is under way; "to begin", "will begin" are not
    governors = [_lemma(t) for t in chain[1:] if not (_lemma(t) in _ONSET_VERBS and t.tag_ in ("VBD", "VBN", "VBZ", "VBG"))]
    if pred is not trigger and _lemma(pred) in {"schedule", "plan", "expect", "set"}:
        return "future"
    if any(g in _HYPOTHETICAL_GOVERNORS or g in _REQUEST_GOVERNORS for g in governors):
        return "hypothetical"
    if any(g in _FUTURE_GOVERNORS for g in governors):
        return "future"
    if trigger.pos_ == "NOUN":
        mods = {c.lower_ for c in trigger.children if c.dep_ in ("amod", "compound", "det")}
        if mods & _HYPOTHETICAL_ADJ:
            return "hypothetical"
        if mods & _FUTURE_ADJ and trigger is pred:
            return "future"
    return "asserted"


def _tense(pred: Token, modality: str) -> str:
    if modality == "future":
        return "future"
    for t in _verb_chain(pred):
        auxes = _aux_words(t)
        if t.tag_ in ("VBD",) or auxes & {"did", "was", "were", "had", "has", "have"}:
            return "past"
        if t.tag_ == "VBN" and not auxes & {"will", "be", "is", "are"}:
            return "past"
    return "present"


# --------------------------------------------------------------------------- dates, places


def _date_expressions(sent: Span) -> list[Span]:
    out = [e for e in sent.ents if e.label_ in ("DATE", "TIME") and is_temporal(e.text)]
    # spaCy sometimes misses bare weekdays and "this evening"
    covered = {t.i for e in out for t in e}
    for t in sent:
        if t.i not in covered and re.fullmatch(r"(?i)(mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|tonight", t.text):
            out.append(sent.doc[t.i : t.i + 1])
    return out


def _attached(expr: Span, targets: set[int], stop_at: set[int]) -> bool:
    tok = expr.root
    for _ in range(8):
        if tok.i in targets:
            return True
        if tok.i in stop_at:
            return False
        if tok.head == tok:
            return False
        tok = tok.head
    return False


_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "through", "across", "throughout"}
# where an unnamed crowd or force went: "took to the streets of X", "marched on X", "stormed into X"
_REACH_PREPS = _PLACE_PREPS | {"to", "of", "into", "on"}


def _location(
    tokens: Sequence[Token], actors: _Actors, exclude: set[str], preps: set[str] = _PLACE_PREPS, *, through_object: bool = False
) -> Mapping | None:
    """The first place entity reached from `tokens` through at most two prepositional phrases (and,
    with `through_object`, from their direct objects: "blocked the main bridge in X")."""
    for tok in tokens:
        frontier = [tok, *(c for c in tok.children if c.dep_ in ("dobj", "obj"))] if through_object else [tok]
        for _depth in range(2):
            nxt = []
            for t in frontier:
                for p in _prep_objects(t, preps):
                    for m in actors._overlapping(p.idx, p.idx + len(p.text)):
                        if m.get("type") in PLACE_TYPES and str(m["entity_id"]) not in exclude:
                            return m
                    nxt.append(p)
            frontier = nxt
    return None


# --------------------------------------------------------------------------- extraction


def _stable_id(*parts: object, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:n]


def _entry_for(offset: int, entries: Sequence[tuple[date, int, int]]) -> tuple[date, int, int] | None:
    for entry in entries:
        if entry[1] <= offset < entry[2]:
            return entry
    return None


def _is_argument_of_trigger(noun: Token, triggers: set[int]) -> bool:
    """True when a noun trigger sits inside a verb trigger's argument (not across a clause)."""
    tok = noun
    for _ in range(6):
        if tok.dep_ in _CLAUSE_DEPS or tok.head == tok:
            return False
        if tok.dep_ == "prep" and tok.lower_ in _SETTING_PREPS:
            return False
        tok = tok.head
        if tok.i in triggers and tok.pos_ in ("VERB", "AUX"):
            return True
        if tok.pos_ in ("VERB", "AUX"):
            return False
    return False


def extract_events(
    doc_id: str,
    doc: Doc,
    mentions: Sequence[Mapping],
    *,
    reference_date: date | None,
    live_blog_entries: Sequence[tuple[date, int, int]] = (),
    quotes: Sequence[Mapping] = (),
) -> list[dict]:
    """Events of one document: rows of `events` without `cluster_id` (see the module docstring)."""
    actors = _Actors(doc, mentions)
    entries = sorted(live_blog_entries, key=lambda e: e[1])
    preamble_reference = max((e[0] for e in entries), default=None)
    categories = load_categories()

    candidates: list[tuple[Token, LexiconRow]] = []
    for tok in doc:
        row = match_trigger(tok)
        if row is not None:
            candidates.append((tok, row))
    verb_triggers = {t.i for t, _ in candidates if t.pos_ in ("VERB", "AUX")}

    events: list[dict] = []
    for trigger, row in candidates:
        if trigger.pos_ not in ("VERB", "AUX") and _is_argument_of_trigger(trigger, verb_triggers):
            continue
        if _is_heading(doc_text(doc), trigger.idx):
            continue
        if _not_a_report(trigger, verb_triggers):
            continue
        if trigger.dep_ == "amod" and trigger.tag_ == "VBN" and any(c.dep_ == "det" for c in trigger.head.children):
            continue  # "a negotiated settlement": a participle describing a thing
        if trigger.dep_ == "amod" and trigger.tag_ == "VBN" and any(c.dep_ in ("npadvmod", "compound") for c in trigger.children):
            continue  # "Iranian-backed hackers", "UN-brokered": a hyphenated description, not a report
        ev = _build_event(doc_id, doc, trigger, row, actors, quotes)
        if ev is None:
            continue
        # reference date and own date
        entry = _entry_for(ev["evidence_start"], entries)
        if entry is not None:
            reference = entry[0]
        elif entries and ev["evidence_start"] < entries[0][1]:
            reference = preamble_reference
        else:
            reference = reference_date
        ev["_reference"] = reference
        ev["_in_entry"] = entry is not None
        expr = ev.pop("_date_expr")
        if expr is not None:
            d, precision = resolve_date(expr.text, reference, tense=ev.pop("_tense"))
            ev.update(event_date=d, date_precision=precision, date_text=expr.text)
            ev["date_partial"] = partial_date(expr.text) if d is None else None
        else:
            ev.pop("_tense")
        # PLOVER: a future CONSULT/SUPPORT/COOPERATE/AID is an AGREE
        if ev["modality"] == "future" and ev["event_type"] in FUTURE_AS_AGREE:
            ev["event_type"], ev["event_mode"] = "AGREE", None
        if ev["event_mode"] and ev["event_mode"] not in categories[ev["event_type"]]:
            ev["event_mode"] = None
        events.append(ev)

    _inherit_dates(events, doc, bool(entries))
    merged = _merge_in_document(events)
    for ev in merged:
        occasion = ev.get("_occasion")
        while occasion is not None and occasion.get("_home") is not None:
            occasion = occasion["_home"]
        ev["occasion_event_id"] = occasion["event_id"] if occasion is not None and occasion is not ev else None
        for key in [k for k in ev if k.startswith("_")]:
            ev.pop(key)
    return merged


def _empty_row() -> dict:
    return {
        "event_mode": None, "event_date": None, "date_precision": None, "date_text": None,
        "date_partial": None, "location": None, "location_entity_id": None,
        "reported_by_entity_id": None, "reported_by_name": None, "n_mentions": 1,
        "occasion_event_id": None,
    }


def _paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start < 0 else start + 2), (len(text) if end < 0 else end)


def _is_heading(text: str, offset: int) -> bool:
    """A short paragraph without final punctuation (a subhead such as 'Other Topics Discussed')."""
    start, end = _paragraph_bounds(text, offset)
    para = text[start:end].strip()
    return bool(para) and len(para.split()) <= 12 and para[-1] not in ".!?\"”’'"


def _noun_modality(noun: Token) -> str | None:
    mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "det")}
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return "negated"
    if mods & _HYPOTHETICAL_ADJ:
        return "hypothetical"
    if mods & _FUTURE_ADJ:
        return "future"
    return None


def _build_event(doc_id: str, doc: Doc, trigger: Token, row: LexiconRow, actors: _Actors, quotes: Sequence[Mapping]) -> dict | None:
    sent = trigger.sent
    is_noun = trigger.pos_ not in ("VERB", "AUX")
    pred = trigger
    sources: list[Mapping] = []
    targets: list[Mapping] = []
    if is_noun:
        gov = _governing_verb(trigger)
        # "blockaded the port in protest at ...": the verb is the protest, its subject the protester
        in_protest = trigger.dep_ == "pobj" and trigger.head.lower_ == "in" and row.category == "PROTEST" and not any(
            c.dep_ in ("det", "poss") for c in trigger.children
        )
        light = gov is not None and (_lemma(gov) in _LIGHT_VERBS or in_protest)
        as_subject = gov is not None and trigger.dep_ in ("nsubj", "nsubjpass")
        if gov is not None and trigger.dep_ == "pobj" and trigger.head.lower_ in _ANAPHORIC_PREPS:
            if {c.lower_ for c in trigger.children if c.dep_ in ("det", "poss")} & _ANAPHORIC_DETS:
                return None  # "during the call": refers to an event reported elsewhere
        own_src: list[Mapping] = []
        own_tgt: list[Mapping] = []
        target_preps = {"with"} if row.category == "CONSULT" else _NOUN_TARGET_PREPS
        for c in trigger.children:
            if c.dep_ == "poss":
                if c.pos_ == "PRON" and light:
                    continue  # "held their call": the verb's subject says who
                own_src += actors.of_phrase(c)
            elif c.dep_ in ("compound", "amod", "nmod"):
                own_src += actors.in_span(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            elif c.dep_ in ("prep", "agent"):
                for p in (p for p in c.children if p.dep_ == "pobj"):
                    if c.lower_ in ("by", "between", "among"):
                        own_src += actors.of_phrase(p)
                    elif c.lower_ in target_preps:
                        own_tgt += actors.of_phrase(p)
                    elif c.lower_ == "from" and row.category == "RETREAT":  # "exchange of X from A and B"
                        own_src += actors.of_phrase(p)
                    elif c.lower_ == "of" and row.category == "RETREAT":
                        for q in _prep_objects(p, {"from", "by"}):
                            own_src += actors.of_phrase(q)
        if light:
            subj, _passive = _subjects(gov)
            verb_src = [m for t in subj for m in actors.of_phrase(t)]
            if verb_src:
                if own_src and trigger.dep_ != "pobj":
                    own_tgt = own_tgt or [m for m in own_src if m["entity_id"] not in {v["entity_id"] for v in verb_src}]
                own_src = verb_src
            own_tgt += [m for p in _prep_objects(gov, {"with", "to"} if row.category == "CONSULT" else {"with", "to", "on", "against", "into"}) for m in actors.of_phrase(p)]
        sources, targets = own_src, own_tgt
        if not sources and not (light or as_subject or gov is None):
            return None
        if gov is not None and (light or as_subject):
            pred = gov
        modality = _modality(pred, trigger) if pred is not trigger else (_noun_modality(trigger) or "asserted")
        if pred is trigger and gov is not None:
            inherited = _modality(gov, gov)
            if inherited in ("future", "hypothetical"):
                modality = inherited
        if modality in ("hypothetical", "future") and not light and not as_subject:
            return None  # "could lead to a troop withdrawal": a possibility, not a report
    else:
        subj, passive = _subjects(trigger)
        agents = [p for c in trigger.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if passive:
            sources = [m for a in agents for m in actors.of_phrase(a)]
            targets = [m for t in passive for m in actors.of_phrase(t)]
            if not sources and not targets and not agents:  # "a meeting between X and Y was postponed"
                for t in passive:
                    sources += [m for p in _prep_objects(t, {"between", "among", "of"}) for m in actors.of_phrase(p)]
                    sources += [m for c in t.children if c.dep_ == "poss" for m in actors.of_phrase(c)]
        else:
            sources = [m for t in subj for m in actors.of_phrase(t)]
        if trigger.dep_ == "amod" and not sources:  # mis-parsed "Lula suspended deliveries"
            sources = [m for c in trigger.head.children if c.dep_ in ("nmod", "compound") and c.i < trigger.i for m in actors.of_token(c)]
        object_is_target = row.category != "CONSULT" or _lemma(trigger) in {"meet", "visit", "host", "call", "phone", "telephone", "consult", "receive"}
        if object_is_target:
            for o in (c for c in trigger.children if c.dep_ in ("dobj", "obj", "dative")):
                targets += actors.of_phrase(o)
        preps = {"with", "to"} if row.category == "CONSULT" else _TARGET_PREPS
        for o in _prep_objects(trigger, preps):
            targets += actors.of_phrase(o)
        for prt in (c for c in trigger.children if c.dep_ == "prt"):
            targets += [m for p in prt.children if p.dep_ == "pobj" for m in actors.of_phrase(p)]
        if not sources and row.category == "CONSULT":  # "was not discussed during the X-Y call"
            for p in _prep_objects(trigger, {"during", "in", "at"}):
                if any(r.category == "CONSULT" for r in load_lexicon().get((_lemma(p), "NOUN"), ())):
                    sources = [m for c in p.children if c.dep_ in ("compound", "amod", "nmod", "poss")
                               for m in actors.in_span(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))]
                    sources += [m for q in _prep_objects(p, {"between", "with"}) for m in actors.of_phrase(q)]
        has_subject_dep = any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "auxpass") for c in trigger.children)
        if not sources and not has_subject_dep and trigger.dep_ in ("ROOT", "conj") and trigger.tag_ == "VBD":
            before = [m for m in actors.mentions if sent.start_char <= int(m["start"]) and int(m["end"]) <= trigger.idx]
            before = [m for m in before if m.get("type") in ("PERSON", "ORG", "GPE", "NORP")]
            if before:  # parse failed: the nearest actor before the trigger in the clause
                sources = [actors._country(max(before, key=lambda m: int(m["end"])))]
        modality = _modality(pred, trigger)
        if modality == "asserted" and any(
            d.dep_ == "det" and d.lower_ == "no" for o in trigger.children if o.dep_ in ("dobj", "obj") for d in o.children
        ):
            modality = "negated"  # "offering no concessions"
    sources = _dedupe(sources)
    src_ids = {str(m["entity_id"]) for m in sources}
    targets = [m for m in _dedupe(targets) if str(m["entity_id"]) not in src_ids]
    place_tokens = list(dict.fromkeys([trigger, pred]))
    if not sources:
        # an unnamed actor ("thousands of workers", "police") still makes an event of force,
        # protest or repression when the text names its target or place ("nurses in X"), or when
        # the active subject is an agent of force or protest ("a suicide bomber killed ...", not
        # "soldiers are being killed"; but "police were deployed": the force that moves)
        generic = [t for t in _subject_heads(pred) if t.pos_ in ("NOUN", "NUM")]
        active_agent = any(
            (_is_agent_noun(t) or _unnamed_assailant(t)) and (t.dep_ == "nsubj" or row.category == "MOBILIZE") for t in generic
        )
        if not (generic and row.category in GENERIC_ACTOR_CATEGORIES and (
            targets or _location(place_tokens + generic, actors, set(), _REACH_PREPS, through_object=True) or active_agent
        )):
            return None
    tense = _tense(pred, modality)

    # own temporal expression: attached to the predicate, else to the reporting verb
    exprs = _date_expressions(sent)
    own_ids = {t.i for t in _verb_chain(pred)} | {trigger.i}
    other_verbs = {t.i for t in sent if t.pos_ in ("VERB", "AUX") and t.i not in own_ids and t.dep_ not in ("aux", "auxpass", "amod")}
    date_expr = next((e for e in exprs if _attached(e, own_ids, other_verbs)), None)
    speech = _speech_governor(pred)
    if date_expr is None and speech is not None and modality == "asserted":
        date_expr = next((e for e in exprs if _attached(e, {speech.i}, other_verbs - {speech.i})), None)

    row_out = _empty_row()
    reporter = _reporter(doc, sent, pred, actors, speech, quotes)
    if reporter is not None and str(reporter["entity_id"]) not in src_ids:
        row_out["reported_by_entity_id"] = str(reporter["entity_id"])
        row_out["reported_by_name"] = str(reporter["name"])
    place = _location(place_tokens, actors, src_ids | {str(m["entity_id"]) for m in targets})
    if place is not None:
        row_out["location"] = str(place["name"])
        row_out["location_entity_id"] = str(place["entity_id"])
        if not targets and row.category in ("ASSAULT", "COERCE") and place.get("type") == "GPE":
            targets = [place]  # force used in a country, nobody else named: the country is hit
    p_start, p_end = _paragraph_bounds(doc_text(doc), trigger.idx)
    ev_start, ev_end = max(sent.start_char, p_start), min(sent.end_char, p_end)
    evidence = doc_text(doc)[ev_start:ev_end]
    ev_start += len(evidence) - len(evidence.lstrip())
    ev_end -= len(evidence) - len(evidence.rstrip())
    actors.remember(trigger.idx, sources + targets)
    row_out.update(
        event_id=_stable_id(doc_id, trigger.idx, row.category),
        doc_id=doc_id,
        event_type=row.category,
        event_mode=row.mode,
        modality=modality,
        source_entity_ids=[str(m["entity_id"]) for m in sources],
        source_names=[str(m["name"]) for m in sources],
        target_entity_ids=[str(m["entity_id"]) for m in targets],
        target_names=[str(m["name"]) for m in targets],
        evidence_start=ev_start,
        evidence_end=ev_end,
        evidence_text=doc_text(doc)[ev_start:ev_end],
        trigger=trigger.text,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger.text),
        _date_expr=date_expr,
        _tense=tense,
        _anaphoric=_anaphoric_date_ref(trigger, pred),
        _lemma=_lemma(trigger),
        _noun=is_noun,
        _reportable=_reportable(pred, sent),
    )
    return row_out


def _reportable(pred: Token, sent: Span) -> bool:
    """A statement reported as news of the day: not past perfect, not habitual, not 'earlier'.

    The present perfect ("X has welcomed ...") is how a live-blog post opens with its news, and
    how it recalls background further on ("... X has criticized him for ..."). So an undated
    statement in the present perfect is news of the entry only when its sentence leads its
    paragraph; inside a paragraph it is background and stays undated.
    """
    words = {t.lower_ for t in sent}
    if words & {"earlier", "previously", "since", "already", "repeatedly", "consistently", "long"}:
        return False
    auxes = _aux_words(pred)
    if "had" in auxes:
        return False
    if auxes & {"has", "have", "'s", "'ve"} and pred.tag_ == "VBN":
        text = doc_text(sent.doc)
        p_start, _ = _paragraph_bounds(text, sent.start_char)
        return not text[p_start : sent.start_char].strip()
    return not (pred.tag_ in ("VBZ", "VBP") and not auxes)


def _reporter(doc: Doc, sent: Span, pred: Token, actors: _Actors, speech: Token | None, quotes: Sequence[Mapping]) -> Mapping | None:
    for q in quotes:
        if int(q.get("start", -1)) <= pred.idx < int(q.get("end", -1)) and q.get("speaker_entity_id"):
            return {"entity_id": q["speaker_entity_id"], "name": q.get("speaker_name") or ""}
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            for p in doc[t.i + 1].children:
                if p.dep_ == "pobj":
                    found = actors.of_phrase(p)
                    if found:
                        return found[0]
    if speech is not None:
        subj, _ = _subjects(speech)
        for s in subj:
            found = actors.of_phrase(s)
            if found:
                return found[0]
    return None


def _anaphoric_date_ref(trigger: Token, pred: Token) -> bool:
    """'during the call', 'during his conversation with Ruto': the event refers to a known one."""
    lex = load_lexicon()
    for tok in {trigger, pred}:
        for p in _prep_objects(tok, {"during", "in", "after", "at"}):
            rows = lex.get((_lemma(p), "NOUN")) or lex.get((p.lower_, "NOUN")) or ()
            if any(r.category == "CONSULT" for r in rows):
                if {c.lower_ for c in p.children if c.dep_ in ("det", "poss", "amod")} & (_ANAPHORIC_DETS | {"same", "recent"}):
                    return True
    return False


def _inherit_dates(events: list[dict], doc: Doc, is_live_blog: bool) -> None:
    """Dates (and the `_occasion` event) of events that state no date of their own.

    The occasion is the call or meeting the event took place in: the CONSULT that "during the
    call" refers to, or for a statement by a participant the document's main CONSULT (its first
    asserted one with a date, else its first asserted one). Clustering uses it: statements made in
    two reports are one event only if the calls they were made in are one event.
    """
    consults = [e for e in events if e["event_type"] == "CONSULT" and e["modality"] == "asserted"]
    main = next((e for e in consults if e["event_date"] is not None), None) or next(iter(consults), None)
    for i, ev in enumerate(events):
        if ev["event_date"] is not None:
            continue
        if ev.get("_anaphoric"):
            prior = [e for e in events[:i] if e in consults]
            dated = [e for e in prior if e["event_date"] is not None]
            if prior:
                ev["_occasion"] = (dated or prior)[-1]
            if dated:
                ev.update(event_date=dated[-1]["event_date"], date_precision=dated[-1]["date_precision"])
            continue
        if ev["event_type"] not in STATEMENT_CATEGORIES or ev["modality"] != "asserted" or ev["date_text"]:
            continue
        if is_live_blog and ev["_in_entry"]:
            if ev["_reference"] is not None and ev.get("_reportable") and not ev["_noun"]:
                ev.update(event_date=ev["_reference"], date_precision="day")
            continue
        if main is not None and set(ev["source_entity_ids"]) & (set(main["source_entity_ids"]) | set(main["target_entity_ids"])):
            ev["_occasion"] = main
            if main["event_date"] is not None:
                ev.update(event_date=main["event_date"], date_precision=main["date_precision"])


def _dates_compatible(a: date | None, b: date | None, days: int = 0) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


@lru_cache(maxsize=1)
def load_capitals() -> dict[str, str]:
    return {row[0].strip(): row[1].strip() for row in _read_tsv(CAPITALS_PATH) if len(row) > 1}


def _actor_key(name: str) -> str:
    """A capital or seat of government counts as its state when comparing actors."""
    return load_capitals().get(name, name)


def _actor_set(ev: Mapping) -> set[str]:
    return {_actor_key(n) for n in [*ev["source_names"], *ev["target_names"]]}


def _merge_in_document(events: list[dict]) -> list[dict]:
    kept: list[dict] = []
    for ev in sorted(events, key=lambda e: (e["evidence_start"], e["trigger_start"])):
        home = None
        for k in kept:
            if k["event_type"] != ev["event_type"] or k["modality"] != ev["modality"]:
                continue
            if not _dates_compatible(k["event_date"], ev["event_date"]):
                continue
            a, b = _actor_set(k), _actor_set(ev)
            if not (a & b):
                continue
            if (k["event_date"] is None or ev["event_date"] is None) and not (a <= b or b <= a):
                continue
            same_sources = {_actor_key(n) for n in k["source_names"]} == {_actor_key(n) for n in ev["source_names"]}
            same_targets = {_actor_key(n) for n in k["target_names"]} == {_actor_key(n) for n in ev["target_names"]}
            same_lemma = k["_lemma"] == ev["_lemma"]
            if ev["event_type"] in STATEMENT_CATEGORIES and not (same_sources and same_lemma):
                continue  # different speakers, or different words: different statements
            if ev["event_type"] != "CONSULT" and not (same_lemma or (same_sources and same_targets)):
                continue
            if k["event_date"] is None and ev["event_date"] is None and k["date_text"] != ev["date_text"] and k["date_text"] and ev["date_text"]:
                continue
            home = k
            break
        if home is None:
            kept.append(ev)
            continue
        ev["_home"] = home
        if home.get("_occasion") is None and ev.get("_occasion") is not None:
            home["_occasion"] = ev["_occasion"]
        home["n_mentions"] += 1
        for key in ("event_date", "date_precision", "date_text", "date_partial", "event_mode", "location", "location_entity_id", "reported_by_entity_id", "reported_by_name"):
            if home[key] is None and ev[key] is not None:
                if key in ("event_date",) or key not in ("date_precision", "date_text", "date_partial"):
                    home[key] = ev[key]
                if key == "event_date":
                    home["date_precision"], home["date_text"] = ev["date_precision"], ev["date_text"]
    return kept


# --------------------------------------------------------------------------- clustering


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _stated_weekday(ev: Mapping) -> int | None:
    """The weekday an unresolved date expression names ('on Thursday' in an undated document)."""
    text = str(ev.get("date_text") or "").lower()
    found = {i for i, name in enumerate(_WEEKDAY_NAMES) if re.search(rf"\b{name}\b", text)}
    if len(found) != 1 or re.search(r"\b(last|next|past|coming|this)\b", text):
        return None
    return found.pop()


def _partial_fits(ev: Mapping, day: date, slack: int = 1) -> bool:
    """Whether a known date fits what an undated event does state: a weekday, a day and month."""
    if ev["event_date"] is not None:
        return True
    weekday = _stated_weekday(ev)
    if weekday is not None and day.weekday() != weekday:  # a weekday is stated exactly
        return False
    partial = str(ev.get("date_partial") or "")
    m = re.fullmatch(r"XXXX-(\d\d)(?:-(\d\d))?", partial)
    if m:
        month, dom = int(m[1]), m[2]
        if dom is None:
            return day.month == month
        near = [day + timedelta(days=k) for k in range(-slack, slack + 1)]
        return any(d.month == month and d.day == int(dom) for d in near)
    return True


def _partials_agree(a: Mapping, b: Mapping) -> bool:
    """Two undated events that state different weekdays or days of the year are different events."""
    wa, wb = _stated_weekday(a), _stated_weekday(b)
    if wa is not None and wb is not None and wa != wb:
        return False
    pa_, pb_ = a.get("date_partial"), b.get("date_partial")
    return not (pa_ and pb_ and not (pa_.startswith(pb_) or pb_.startswith(pa_)))


def _nested(a: set[str], b: set[str]) -> bool:
    """Two actor sets that share an actor and one of which contains the other."""
    return bool(a & b) and (a <= b or b <= a)


def _pair_compatible(m: Mapping, ev: Mapping) -> bool:
    """Whether two reports (from different documents) can be the same real-world event."""
    if m["event_type"] != ev["event_type"] or m["modality"] != ev["modality"]:
        return False
    if not _dates_compatible(m["event_date"], ev["event_date"], days=1):
        return False
    if m["event_date"] is not None and not _partial_fits(ev, m["event_date"]):
        return False
    if ev["event_date"] is not None and not _partial_fits(m, ev["event_date"]):
        return False
    if m["event_date"] is None and ev["event_date"] is None and not _partials_agree(m, ev):
        return False
    if m["location"] and ev["location"] and m["location"] != ev["location"]:
        return False
    if ev["event_type"] in STATEMENT_CATEGORIES:  # a statement: the same speakers
        return {_actor_key(n) for n in ev["source_names"]} == {_actor_key(n) for n in m["source_names"]}
    return _nested(_actor_set(m), _actor_set(ev))


def _cluster_compatible(cluster: Sequence[Mapping], ev: Mapping) -> bool:
    return all(_pair_compatible(m, ev) for m in cluster)


def cluster_events(events: pl.DataFrame, documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give each event a cluster_id; build one `event_clusters` row per real-world event.

    Two reports (of different documents) can be the same event when they have the same category
    and modality, their dates are within one day (an undated report's stated weekday or day and
    month must fit the other's date), their locations do not differ and their actors nest (one
    report's actors contain the other's; a statement needs the same speakers). Statements made in a
    call or meeting (`occasion_event_id`) are the same only if their occasions are.

    Clusters are built in two rounds, occasions first: events that are nobody's dependants, then
    the events that took place in one of them. In each round the dated events go first, in date
    order, each joining the compatible cluster it fits best. Then the undated ones join clusters
    (or pair with each other) best pair first, whatever the order of the input: an undated report
    joins when its document and the cluster's documents share enough entities (Jaccard >= 0.25)
    and the cluster's date is plausible for its document (not before the latest asserted date the
    document states; not after its publication date). An event joins a cluster only if it is
    compatible with every member, so one undated report cannot chain two different days together.

    Afterwards, a document without a publication date whose lead event joined a dated cluster
    reported by other documents takes that date as its reference for dates stated without a year
    ("on March 7" -> the March 7 before it).

    Cluster ids derive from the sorted event ids of the members (stable, order-free).
    """
    rows = events.to_dicts()
    for r in rows:
        r.setdefault("occasion_event_id", None)
    docs = {r["doc_id"]: r for r in documents.to_dicts()} if documents.height else {}
    doc_entities: dict[str, set[str]] = {}
    doc_floor: dict[str, date] = {}
    for r in rows:
        doc_entities.setdefault(r["doc_id"], set()).update(r["source_names"], r["target_names"])
        if r["event_date"] is not None and r["modality"] == "asserted":
            floor = doc_floor.get(r["doc_id"])
            doc_floor[r["doc_id"]] = max(floor, r["event_date"]) if floor else r["event_date"]

    def plausible(cluster_date: date | None, doc_id: str) -> bool:
        if cluster_date is None:
            return True
        floor = doc_floor.get(doc_id)
        if floor is not None and cluster_date < floor - timedelta(days=1):
            return False
        published = (docs.get(doc_id) or {}).get("published_date")
        return not (published is not None and cluster_date > published + timedelta(days=1))

    clusters: dict[int, list[dict]] = {}
    cluster_of: dict[str, int] = {}
    next_id = 0

    def new_cluster(members: list[dict]) -> None:
        nonlocal next_id
        clusters[next_id] = members
        for m in members:
            cluster_of[m["event_id"]] = next_id
        next_id += 1

    def occasion(e: Mapping) -> int | None:
        return cluster_of.get(e["occasion_event_id"]) if e["occasion_event_id"] else None

    def occasions_agree(c: list[dict], ev: Mapping) -> bool:
        """Statements made in a call are the same only if the calls are: a report with an occasion
        joins only reports made in the same occasion, or from documents that report that occasion."""
        mine = occasion(ev)
        for m in c:
            theirs = occasion(m)
            if mine is not None and theirs is not None and mine != theirs:
                return False
            if mine is not None and theirs is None and all(o["doc_id"] != m["doc_id"] for o in clusters[mine]):
                return False
            if theirs is not None and mine is None and all(o["doc_id"] != ev["doc_id"] for o in clusters[theirs]):
                return False
        return True

    def cluster_date(c: list[dict]) -> date | None:
        return next((m["event_date"] for m in c if m["event_date"] is not None), None)

    def similarity(c: list[dict], ev: Mapping) -> float:
        """How alike the reporting documents are: the best Jaccard of actors between `ev`'s document
        and one member's (every member must be compatible anyway; a union of the members' documents
        would make a cluster harder to join the more reports it has)."""
        mine = doc_entities.get(ev["doc_id"], set())

        def jaccard(other: set[str]) -> float:
            return len(mine & other) / max(1, len(mine | other))

        return max((jaccard(doc_entities.get(m["doc_id"], set())) for m in c), default=0.0)

    def fits(c: list[dict], ev: Mapping) -> bool:
        if any(m["doc_id"] == ev["doc_id"] for m in c):
            return False  # one event per real-world event per document already holds
        if not _cluster_compatible(c, ev) or not occasions_agree(c, ev):
            return False
        return ev["event_date"] is not None or plausible(cluster_date(c), ev["doc_id"])

    by_type: dict[str, list[int]] = {}
    dependants = {r["event_id"] for r in rows if r["occasion_event_id"]}
    for round_ in (False, True):
        batch = [r for r in rows if (r["event_id"] in dependants) == round_]
        dated = sorted((r for r in batch if r["event_date"] is not None), key=lambda r: (r["event_date"], r["doc_id"], r["evidence_start"], r["event_id"]))
        for ev in dated:
            best, best_score = None, -1.0
            for cid in by_type.get(ev["event_type"], []):
                c = clusters[cid]
                if fits(c, ev):
                    score = similarity(c, ev)
                    if score > best_score:
                        best, best_score = cid, score
            if best is None:
                new_cluster([ev])
                by_type.setdefault(ev["event_type"], []).append(next_id - 1)
            else:
                clusters[best].append(ev)
                cluster_of[ev["event_id"]] = best
        # undated: best pair first (existing cluster or another undated event), order-free
        pending = {r["event_id"]: r for r in batch if r["event_date"] is None}
        heap: list[tuple[float, str, str, str]] = []  # (-score, event id, 'c'|'e', cluster or event id)
        buckets: dict[tuple[str, str], list[str]] = {}
        for eid in sorted(pending):
            ev = pending[eid]
            for cid in by_type.get(ev["event_type"], []):
                if fits(clusters[cid], ev):
                    heapq.heappush(heap, (-similarity(clusters[cid], ev), eid, "c", str(cid)))
            others: set[str] = set()
            for key in _actor_set(ev):
                others.update(buckets.get((ev["event_type"], key), []))
                buckets.setdefault((ev["event_type"], key), []).append(eid)
            for oid in sorted(others):
                other = pending[oid]
                if other["doc_id"] != ev["doc_id"] and _pair_compatible(other, ev) and occasions_agree([other], ev):
                    heapq.heappush(heap, (-similarity([other], ev), oid, "e", eid))
        while heap:
            neg, eid, kind, target = heapq.heappop(heap)
            if kind == "e" and eid not in pending:  # the other end already joined: the other way round
                eid, target, kind = target, str(cluster_of[eid]), "c"
            elif kind == "e" and target not in pending:
                kind, target = "c", str(cluster_of[target])
            if eid not in pending:
                continue
            ev = pending[eid]
            if kind == "e":
                members = [pending[target]]
                score = -neg
            else:
                members = clusters[int(target)]
                if not fits(members, ev):
                    continue
                score = similarity(members, ev)
            if score < CLUSTER_MIN_SIMILARITY:
                continue
            if score < -neg - 1e-9:  # the cluster changed since the pair was scored: score it again
                heapq.heappush(heap, (-score, eid, kind, target))
                continue
            del pending[eid]
            if kind == "e":
                new_cluster([ev, pending.pop(target)])
                by_type.setdefault(ev["event_type"], []).append(next_id - 1)
            else:
                members.append(ev)
                cluster_of[eid] = int(target)
        for eid in sorted(pending):
            new_cluster([pending[eid]])
            by_type.setdefault(pending[eid]["event_type"], []).append(next_id - 1)

    _year_from_cluster(rows, clusters, cluster_of, docs)

    cluster_rows = []
    assignment: dict[str, str] = {}
    for c in clusters.values():
        ids = sorted(m["event_id"] for m in c)
        cid = _stable_id("cluster", *ids)
        for e in ids:
            assignment[e] = cid
        dated = sorted((m for m in c if m["event_date"] is not None), key=lambda m: m["event_date"])
        first_dated = dated[0] if dated else None
        published = [docs.get(m["doc_id"], {}).get("published_date") for m in c]
        published = [p for p in published if p is not None]
        outlets = {docs.get(m["doc_id"], {}).get("outlet") for m in c} - {None}
        cluster_rows.append({
            "cluster_id": cid,
            "event_type": c[0]["event_type"],
            "event_mode": next((m["event_mode"] for m in c if m["event_mode"]), None),
            "event_date": first_dated["event_date"] if first_dated else None,
            "date_precision": first_dated["date_precision"] if first_dated else None,
            "actor_names": sorted(set().union(*(m["source_names"] for m in c))),
            "recipient_names": sorted(set().union(*(m["target_names"] for m in c))),
            "n_events": len(c),
            "n_articles": len({m["doc_id"] for m in c}),
            "n_outlets": len(outlets),
            "first_reported": min(published) if published else None,
            "last_reported": max(published) if published else None,
            "event_ids": ids,
        })
    out_events = pl.DataFrame(rows, schema=events.schema).with_columns(
        pl.col("event_id").replace_strict(assignment, return_dtype=pl.Utf8).alias("cluster_id")
    )
    clusters_df = pl.DataFrame(cluster_rows, schema=EVENT_CLUSTER_SCHEMA).sort("cluster_id")
    return out_events, clusters_df


def _year_from_cluster(rows: list[dict], clusters: Mapping[int, list[dict]], cluster_of: Mapping[str, int], docs: Mapping[str, Mapping]) -> None:
    """Dates stated without a year in a document without a publication date, read against the date
    of the real-world event its lead (first) event was clustered with, when other documents date it.

    "Earlier, on March 7, ..." in an undated report of a call that two dated reports put on
    2026-03-09 is 2026-03-07. Only expressions that stated a day or month (`date_partial`) are
    resolved this way; nothing the text leaves entirely undated gets a date from other documents.
    """
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    for doc_id, evs in by_doc.items():
        if (docs.get(doc_id) or {}).get("published_date") is not None or not any(e["date_partial"] for e in evs):
            continue
        lead = min(evs, key=lambda e: (e["evidence_start"], e["trigger_start"]))
        others = [m for m in clusters[cluster_of[lead["event_id"]]] if m["doc_id"] != doc_id and m["event_date"] is not None]
        if not others:
            continue
        reference = min(m["event_date"] for m in others)
        for e in evs:
            if e["event_date"] is None and e["date_partial"] and e["date_text"]:
                tense = "future" if e["modality"] == "future" else "past"
                d, precision = resolve_date(e["date_text"], reference, tense=tense)
                if d is not None:
                    e.update(event_date=d, date_precision=precision, date_partial=None)


EVENT_SCHEMA = {
    "event_id": pl.Utf8, "doc_id": pl.Utf8, "event_type": pl.Utf8, "event_mode": pl.Utf8,
    "modality": pl.Utf8, "source_entity_ids": pl.List(pl.Utf8), "source_names": pl.List(pl.Utf8),
    "target_entity_ids": pl.List(pl.Utf8), "target_names": pl.List(pl.Utf8), "event_date": pl.Date,
    "date_precision": pl.Utf8, "date_text": pl.Utf8, "date_partial": pl.Utf8, "location": pl.Utf8,
    "location_entity_id": pl.Utf8, "reported_by_entity_id": pl.Utf8, "reported_by_name": pl.Utf8,
    "evidence_start": pl.Int64, "evidence_end": pl.Int64, "evidence_text": pl.Utf8, "trigger": pl.Utf8,
    "trigger_start": pl.Int64, "trigger_end": pl.Int64, "n_mentions": pl.Int64, "occasion_event_id": pl.Utf8,
}
EVENT_CLUSTER_SCHEMA = {
    "cluster_id": pl.Utf8, "event_type": pl.Utf8, "event_mode": pl.Utf8, "event_date": pl.Date,
    "date_precision": pl.Utf8, "actor_names": pl.List(pl.Utf8), "recipient_names": pl.List(pl.Utf8),
    "n_events": pl.Int64, "n_articles": pl.Int64, "n_outlets": pl.Int64, "first_reported": pl.Date,
    "last_reported": pl.Date, "event_ids": pl.List(pl.Utf8),
}


def events_frame(rows: Sequence[Mapping]) -> pl.DataFrame:
    """Rows from `extract_events` as a DataFrame with the events columns (without cluster_id)."""
    return pl.DataFrame([{k: r.get(k) for k in EVENT_SCHEMA} for r in rows], schema=EVENT_SCHEMA)
