"""Resolve a reference (name, pronoun, title, nominal such as 'the palace aide') to an entity mention.

Shared by the quotes stage (speakers) and the events stage (actors). A *mention* here is a mapping
with at least the keys `entity_id`, `name`, `type`, `start`, `end`, `text`, where `start`/`end` are
character offsets into `doc.text` (rows of `entity_mentions` joined with `entities`). A mention may
carry a `role` key ("palace aide"); when it does not, the role is read from the words around the
mention in the parse ("palace aide Ilse Varga", "Ilse Varga, aide to the President").

Resolution, in order:
1. the span's head word lies in a mention -> that mention ("defense analyst Paul Brennick");
2. the head is a role noun with a name attached (appos/compound) -> the name's mention; after a
   person role noun an appositive name counts whatever type the entity stage gave it;
3. a person role noun with a complement: "a spokesman for Dana Holm, Eli Varga," -> the appositive
   name (the parser hangs it on the complement); "a spokeswoman for the Harbour Authority" -> the
   organisation, for roles marked `speaks_for` in `quote_roles.tsv`, and "a spokesperson for
   Minister Ada Roe" -> the minister; a plural staff noun "at"/"from" an organisation speaks for it
   ("Economists at Harbour Analytics said" -> Harbour Analytics; "Negotiators for the union", "Vela
   officials"); "the statement" (letter, note, notice, ...) -> whoever the nearest earlier sentence
   with that noun says issued it ("X said in a statement", "a statement from X"); a bare "A
   spokesperson said" -> the organisation the sentence before is about; "the bench, led by Justice
   X" -> X; a party's unit or wing -> the party;
   an organisation, role words, then a person ("State Roads and Buildings Minister X", "Vela Party
   organising secretary X") -> the person; a subject whose relative clause says it is anonymous
   ("who spoke on condition of anonymity") -> None;
4. "the 43-year-old", "the mum-of-two" -> like a personal pronoun (rule 7), else the last person
   named in the sentence before;
5. a capitalised name no mention covers ("Okoye said") -> the one earlier multi-word mention ending
   in it, when exactly one entity does (else a three-word name with it in the middle: the first of
   two surnames, "Valdés" for "Rodrigo Valdés Ortega");
6. a relative pronoun (who/which/that) -> its antecedent;
7. a personal pronoun -> the most salient earlier compatible mention: the subject of the nearest
   earlier clause that has one, main clause first ("Moreau told X that he ..." -> Moreau; a name
   with its appositive before a subject-less verb counts: "X, a 34-year-old mother, told ...", and
   so do a name the parser made a sentence's root and a name hung on the complement of a subject
   role noun: "The leader of the Independent group, X, said").
   When that nearest subject is a name no mention covers, or an unnamed person introduced with
   "a"/"one" ("One resident ... said", "One of its organisers ... said"), None: the pronoun does not skip past it (subjects inside
   quotation marks, single marks included, do not count; an unnamed person who says nothing does
   not stop the search). A clause whose main subject is the same personal pronoun passes on that
   pronoun's referent ("He said Vela Corp had ..."). "they" never stands for a country (news
   English says "it");
8. a definite nominal ("the palace aide", "the ministry", "the newspaper") -> the nearest earlier
   mention of a compatible type whose role or name shares the role noun (or its group, see
   `pipeline/data/quote_roles.tsv`), modifiers ("palace", "Norvic") breaking ties; None when an
   unnamed holder of that role ("A senior official ... told") spoke in between. Generic names of
   an organisation ("the bloc", "the alliance", kind_of `any`) -> the organisation whose name has
   the noun, else the organisation subject of a recent clause; "a FEMA spokesperson" -> FEMA, and a
   later "the spokesperson" -> FEMA too; "the company" / "the club" / "the insurer" (group
   `company`) with no organisation introduced by that noun -> as a generic name ("the bloc"), else
   the one organisation named in the sentence before ("Shares of X fell."); a definite person
   nominal with no holder near enough -> the person the sentence before is about, when the text gave
   them that role earlier.
Anything else resolves to None: never a guess.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.nlp import doc_text
from pipeline.nlp.entities import POSTNOMINALS

Mention = Mapping[str, object]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "itself", "themselves"}
_RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
_PERSON_TYPES = frozenset({"PERSON"})
_GROUP_TYPES = frozenset({"ORG", "GPE", "NORP"})
_PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
_PLURAL_TYPES = frozenset({"ORG", "NORP"})
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_NAME_ATTACH_DEPS = {"appos", "compound", "flat", "nmod", "npadvmod"}
_MAX_SENTENCES_BACK = 6
_NOMINAL_WINDOW = 2500
"""How far back (characters) a definite nominal ("the newspaper") looks for its referent."""


@dataclass(frozen=True)
class Role:
    noun: str
    type: str
    group: str
    kind_of: str
    speaks_for: bool = False


@lru_cache(maxsize=1)
def role_lexicon() -> dict[str, Role]:
    """Role and title nouns (`quote_roles.tsv`), keyed by lower-case noun."""
    out: dict[str, Role] = {}
    with open(DATA_DIR / "quote_roles.tsv", encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter="\t"):
        noun = row["noun"].strip().lower()
        out[noun] = Role(noun, row["type"].strip(), row["group"].strip(), (row.get("kind_of") or "").strip(), (row.get("speaks_for") or "").strip() == "yes")
    return out


def _role_keys(word: str) -> set[str]:
    """The group names a word answers to (its own group and the broader kind)."""
    role = role_lexicon().get(word.lower())
    if role is None:
        return set()
    return {role.group} | ({role.kind_of} if role.kind_of else set())


def mention_at(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """The mention overlapping the character span [start, end), if any (longest first)."""
    hits = [m for m in mentions if int(m["start"]) < end and start < int(m["end"])]
    return max(hits, key=lambda m: int(m["end"]) - int(m["start"])) if hits else None


def _tok_mention(mentions: Sequence[Mention], tok: Token) -> Mention | None:
    hit = mention_at(mentions, tok.idx, tok.idx + len(tok.text))
    if hit is None and tok.text in POSTNOMINALS and tok.i > 0:
        # "Ada Roe TD": the parser heads the name phrase with the post-nominal title
        prev = tok.doc[tok.i - 1]
        if prev.head.i == tok.i:
            hit = mention_at(mentions, prev.idx, prev.idx + len(prev.text))
    return hit


def _span(doc: Doc, start: int, end: int) -> Span | None:
    if start >= end:
        return None
    return doc.char_span(start, end, alignment_mode="expand")


def _mention_root(doc: Doc, m: Mention) -> Token | None:
    span = _span(doc, int(m["start"]), int(m["end"]))
    return span.root if span is not None and len(span) else None


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _subject_rank(doc: Doc, m: Mention) -> int | None:
    """Smaller = more salient. None when the mention is not a subject-like argument."""
    root = _mention_root(doc, m)
    if root is None:
        return None
    tok = root
    # a name attached to a role noun ("aide Ilse Varga") stands for the whole noun phrase
    for _ in range(2):
        # "One of them, Rosa Delgado, ... said": the name stands for its head, a noun or "one"
        if tok.dep_ in _NAME_ATTACH_DEPS and tok.head.i != tok.i and (
            tok.head.pos_ in {"NOUN", "PROPN"} or (tok.dep_ == "appos" and tok.head.lower_ in {"one", "another"})
        ):
            tok = tok.head
    if tok.dep_ in _SUBJECT_DEPS:
        return _depth(tok)
    # "NAWU industrial relations officer Ada Roe said": the parser read the acronym as a verb
    # whose object is the role noun; the phrase is still the sentence's subject
    t = root
    for _ in range(4):
        if t.dep_ not in ("appos", "compound", "flat", "dobj") or t.head.i == t.i:
            break
        t = t.head
        if t.dep_ == "csubj" and t.pos_ == "VERB" and t.text.isupper():
            return _depth(t)
    if tok.dep_ == "ROOT" and root.pos_ == "PROPN" and str(m.get("type")) == "PERSON" and root.left_edge.is_sent_start:
        return 0  # "Somchai, 52, a former entrepreneur who ..., addressed ...": the parser made the name the root
    # "The leader of the Independent group, X, said": X hung on the complement of a subject role
    if root.dep_ == "appos" and tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.dep_ in _SUBJECT_DEPS:
        role = role_lexicon().get(tok.head.head.lower_)
        if role is not None and role.type == "PERSON" and str(m.get("type")) == "PERSON":
            return _depth(tok.head.head)
    # the parser may miss a subject when a heading runs into the paragraph: "Mr. X also reported"
    nxt = root.i + 1
    while nxt < len(doc) and doc[nxt].pos_ in {"ADV", "AUX"}:
        nxt += 1
    if nxt < len(doc) and doc[nxt].pos_ == "VERB" and doc[nxt].tag_ in {"VBD", "VBZ", "VBP"} and not any(c.dep_ in _SUBJECT_DEPS for c in doc[nxt].children):
        return _depth(doc[nxt]) + 1
    # "..., Fatima Idris, a 34-year-old mother of five who fled X, told ...": a name, its
    # appositive between commas, then a verb the parser left without a subject
    if nxt < len(doc) and doc[nxt].text == "," and str(m.get("type")) == "PERSON":
        for j in range(nxt + 1, min(len(doc), nxt + 25)):
            t = doc[j]
            if t.is_sent_start or t.text in {".", ";", "\u201c", '"'}:
                break
            if t.pos_ == "VERB" and doc[j - 1].text == "," and t.tag_ in {"VBD", "VBZ", "VBP"} and not any(c.dep_ in _SUBJECT_DEPS for c in t.children):
                return _depth(t) + 1
            # "..., X, a 61-year-old pensioner who ..., has been carrying": the finite auxiliary
            if t.pos_ == "AUX" and t.dep_ in {"aux", "auxpass"} and doc[j - 1].text == "," and t.tag_ in {"VBD", "VBZ", "VBP", "MD"} and not any(
                c.dep_ in _SUBJECT_DEPS for c in t.head.children
            ):
                return _depth(t.head) + 1
    # "For Roe, who ..., the debate felt abstract.", "For patients like Ada Roe, ...": a
    # fronted "for" phrase names who the sentence is about
    t = root
    for _ in range(3):
        if t.dep_ != "pobj" or t.head.dep_ != "prep":
            break
        prep = t.head
        if prep.lower_ == "for" and prep.is_sent_start and str(m.get("type")) == "PERSON":
            return _depth(prep) + 2
        t = prep.head
    if tok.dep_ == "pobj" and tok.head.lower_ in {"to", "by"}:
        head = tok.head.head
        if tok.head.lower_ == "to" and head.lower_ == "according":
            return _depth(tok) + 1
        if tok.head.dep_ == "agent":
            return _depth(tok) + 1
    return None


_LAST_SENTS: list = [None, None]  # (doc, its sentences) of the last document seen


def _sentences(doc: Doc) -> list[Span]:
    """The document's sentences, computed once for consecutive calls on the same Doc."""
    if _LAST_SENTS[0] is not doc:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]
        _LAST_SENTS[0], _LAST_SENTS[1] = doc, sents
    return _LAST_SENTS[1]


def _compatible(m: Mention, types: frozenset[str]) -> bool:
    return str(m.get("type", "")) in types


_MASCULINE = {"he", "him", "his", "himself"}
_FEMININE = {"she", "her", "hers", "herself"}


def _attached(doc: Doc, m: Mention) -> bool:
    """The mention's head word modifies another noun ("a Dunmore Democrat"); an appositive name
    ("the party's spokesperson, X") is not a modifier."""
    root = _mention_root(doc, m)
    return root is not None and root.dep_ in ("compound", "nmod", "amod")


def _same_pronoun(a: str, b: str) -> bool:
    return (a in _MASCULINE and b in _MASCULINE) or (a in _FEMININE and b in _FEMININE)


def _salient_before(doc: Doc, pos: int, mentions: Sequence[Mention], types: frozenset[str], pronoun: str | None = None, _depth_left: int = 3) -> Mention | None:
    """The most salient compatible mention before `pos`: subject of the nearest clause that has one.

    For a personal `pronoun`, a clause whose main subject is the same pronoun ("He said Vela Corp
    had ...") passes on that pronoun's referent: the name in its complement is not the topic."""
    before = [m for m in mentions if int(m["end"]) <= pos and _compatible(m, types)]
    if not before:
        return None
    sents = _sentences(doc)
    cur = next((k for k, s in enumerate(sents) if s.start_char <= pos < max(s.end_char, s.start_char + 1)), len(sents) - 1)
    for k in range(cur, max(-1, cur - _MAX_SENTENCES_BACK), -1):
        s = sents[k]
        here = [m for m in before if s.start_char <= int(m["start"]) < s.end_char]
        ranked = [(r, -int(m["start"]), m) for m in here if (r := _subject_rank(doc, m)) is not None]
        if pronoun is not None and _depth_left > 0:
            subj = next((c for c in s.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if (
                subj is not None and subj.idx < pos and _same_pronoun(subj.lower_, pronoun)
                and not _inside_quotation(doc, subj.idx)
                and all(r > _depth(subj) for r, _, _ in ranked)
            ):
                return _salient_before(doc, subj.idx, mentions, types, pronoun, _depth_left - 1)
            if (
                subj is not None and subj.idx < pos and not ranked and types == _PERSON_TYPES
                and _AGE_NOMINAL.match(doc_text(doc)[subj.left_edge.idx : subj.idx + len(subj.text)].strip())
            ):
                # "... like Ada Roe, of Tarrow ... The 67-year-old has waited ... 'X,' she said"
                return _age_referent(doc, subj.left_edge.idx, mentions)
        if ranked:
            # a name inside the subject's appositive ("X, a Dunmore Democrat,") loses to the subject
            # itself, and a nested name to the name around it
            ranked.sort(key=lambda x: (x[0], _attached(doc, x[2]), x[1], -int(x[2]["end"])))
            return ranked[0][2]
        if types == _PERSON_TYPES and _unknown_name_subject(s, pos, mentions):
            return None  # the nearest subject is a name the entity stage missed: do not skip past it
        if types == _PERSON_TYPES and (anon := _unnamed_person_subject(s, pos)) is not None and (
            _anonymous(anon) or _speaks(next((a for a in anon.ancestors if a.pos_ in ("VERB", "AUX")), anon))
        ):
            # "One resident, who asked not to be named, said ... 'X,' she said": nobody named ("An
            # inspector is due next month." says nothing, and does not stop the search)
            return None
    return None


def _age_referent(doc: Doc, pos: int, mentions: Sequence[Mention]) -> Mention | None:
    """Who "the 67-year-old" at `pos` is: the salient person before it, else the last person named
    in the sentence before it (news introduces someone, then gives their age as a reference)."""
    hit = _salient_before(doc, pos, mentions, _PERSON_TYPES)
    if hit is not None:
        return hit
    sents = _sentences(doc)
    cur = next((k for k, s in enumerate(sents) if s.start_char <= pos < max(s.end_char, s.start_char + 1)), 0)
    lo = sents[cur - 1].start_char if cur > 0 else 0
    named = [m for m in mentions if lo <= int(m["start"]) and int(m["end"]) <= pos and str(m.get("type")) == "PERSON"
             and not _inside_quotation(doc, int(m["start"]))]
    return max(named, key=lambda m: int(m["start"])) if named else None


_LAST_QUOTES: list = [None, None]  # (doc, outermost quotation regions) of the last document seen


def _inside_quotation(doc: Doc, pos: int) -> bool:
    """`pos` lies inside a quotation (between its marks; single-mark quotes and paragraphs of a
    quotation that runs on included), found once per document by `quotes.find_quote_spans`."""
    if _LAST_QUOTES[0] is not doc:
        from pipeline.nlp.quotes import find_quote_spans  # (quotes imports this module)

        spans = find_quote_spans(doc_text(doc))
        _LAST_QUOTES[0], _LAST_QUOTES[1] = doc, [(q.outer_start, q.outer_end) for q in spans if q.parent is None]
    return any(a <= pos < b for a, b in _LAST_QUOTES[1])


_INDEFINITE = {"a", "an", "one", "another"}
_UNNAMED_PEOPLE = {
    "resident", "woman", "man", "witness", "source", "person", "villager", "voter", "worker", "student",
    "farmer", "mother", "father", "survivor", "relative", "neighbour", "neighbor", "passenger", "driver",
    "shopkeeper", "teacher", "doctor", "nurse", "protester", "soldier", "fighter", "refugee", "member",
    "organiser", "organizer", "participant", "attendee", "employee", "insider", "lawmaker", "delegate",
}


def _speaks(verb: Token) -> bool:
    """`verb` is a speech cue ("said", "told", "warned")."""
    from pipeline.nlp.quotes import cue_lexicon  # (quotes imports this module)

    return cue_lexicon().is_cue(verb)


def _unnamed_person_subject(sent: Span, pos: int) -> Token | None:
    """The subject of the sentence's speech, before `pos`, when it is an unnamed person introduced
    with an indefinite article ("A senior Gulf official familiar with the talks told ...", "One
    resident ... said"), with no name attached; else None."""
    for verb in (t for t in sent if t.pos_ in ("VERB", "AUX") and t.idx < pos):
        for subj in (c for c in verb.children if c.dep_ == "nsubj" and c.idx < pos and c.pos_ in ("NOUN", "NUM", "PRON")):
            if _inside_quotation(sent.doc, subj.idx):
                continue  # "'When a premier breaks his own rules ...,' she said": quoted words
            if subj.lower_ in ("one", "another"):
                # "One of its organisers, who asked not to be named, said": the noun after "of"
                of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
                if obj is None or any(c.dep_ == "appos" for c in subj.children):
                    continue
                subj = obj
            elif subj.pos_ != "NOUN":
                continue
            else:
                det = {c.lower_ for c in subj.children if c.dep_ in ("det", "nummod")}
                if not det & _INDEFINITE:
                    continue
            noun = subj.lemma_.lower()
            role = role_lexicon().get(noun)
            if not ((role is not None and role.type == "PERSON") or noun in _UNNAMED_PEOPLE):
                continue
            if any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in subj.children):
                continue
            return subj
    return None


def _unknown_name_subject(sent: Span, pos: int, mentions: Sequence[Mention]) -> bool:
    """The sentence's main subject, before `pos`, is a capitalised name that no mention covers."""
    subj = next((c for c in sent.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or subj.idx + len(subj.text) > pos or subj.pos_ != "PROPN" or not subj.is_title:
        return False
    if _inside_quotation(sent.doc, subj.idx):
        return False  # a name in someone's quoted words is not a subject of the narrative
    lo, hi = subj.left_edge.idx, subj.idx + len(subj.text)
    return not any(int(m["start"]) < hi and lo < int(m["end"]) for m in mentions)


def _context_roles(doc: Doc, m: Mention) -> set[str]:
    """Role words of a mention: its `role` key, the role nouns and modifiers around it in the parse."""
    words: set[str] = set()
    role = m.get("role")
    if isinstance(role, str):
        words |= {w.lower().strip(",.") for w in role.split()}
    if str(m.get("type")) in _GROUP_TYPES:
        words |= {w.lower() for w in str(m.get("name", "")).split()}
        words |= {w.lower() for w in str(m.get("text", "")).split()}
        # "the Vela Regulatory Authority" is "the regulator"; "Supervisory Board", "the supervisor"
        words |= {w[:-1] for w in words if len(w) > 7 and w.endswith("ory")}
    root = _mention_root(doc, m)
    if root is None:
        return words
    start, end = int(m["start"]), int(m["end"])

    def outside(t: Token) -> bool:
        return not (start <= t.idx < end)

    # modifiers of the name's head ("palace aide Ilse Varga", "Norvic tabloid Dagposten")
    for child in root.children:
        if child.dep_ in {"compound", "amod", "nmod", "appos"} and outside(child):
            words |= {t.lower_ for t in child.subtree if t.pos_ in {"NOUN", "PROPN", "ADJ"} and outside(t)}
    # the name is attached to a role noun ("aide to the President, Ilse Varga" / "aide Ilse Varga")
    head = root.head
    if root.dep_ in _NAME_ATTACH_DEPS and head.i != root.i and head.pos_ in {"NOUN", "PROPN"} and outside(head):
        words.add(head.lower_)
        words |= {t.lower_ for t in head.children if t.dep_ in {"compound", "amod"} and outside(t)}
    # the name is the appositive of a phrase inside a role noun's complement: "the senator
    # representing Kano South, Aminu Sule Danlami" (the parser hangs the name on "South")
    if root.dep_ == "appos" or (root.dep_ == "conj" and root.left_edge.i > 0 and doc[root.left_edge.i - 1].text == ","):
        t = root.head
        for _ in range(4):
            if t.head.i == t.i or t.dep_ not in {"pobj", "dobj", "acl", "prep", "compound", "appos"}:
                break
            t = t.head
            if t.pos_ in {"NOUN", "PROPN"} and t.lower_ in role_lexicon() and outside(t):  # "the Minister for Housing, X"
                words.add(t.lower_)
                break
    # left neighbours inside the same noun phrase ("Norvic President Anton Kessel")
    i = root.left_edge.i
    while i < doc[root.i].i and i < len(doc):
        t = doc[i]
        if outside(t) and t.pos_ in {"NOUN", "PROPN", "ADJ"}:
            words.add(t.lower_)
        i += 1
    return {w.strip(".,") for w in words} - {""}  # "Gov." answers to "gov"


def _nominal_by_name(doc: Doc, noun: str, pos: int, mentions: Sequence[Mention]) -> Mention | None:
    """The latest organisation before `pos` whose name has the noun ("the group" -> "Wagner Group")."""
    hits = [m for m in mentions if int(m["end"]) <= pos and str(m.get("type")) == "ORG" and pos - int(m["end"]) <= _NOMINAL_WINDOW
            and noun in {w.lower() for w in str(m.get("name", "")).split()}]
    return max(hits, key=lambda m: int(m["start"])) if hits else None


def _nominal(doc: Doc, root: Token, pos: int, mentions: Sequence[Mention]) -> Mention | None:
    roles = role_lexicon()
    noun = root.lower_ if root.lower_ in roles else root.lemma_.lower()
    role = roles.get(noun)
    if role is None:
        return None
    keys = _role_keys(noun)
    if role.kind_of == "any":
        # "the bloc said", "the group said": the organisation the text has been talking about,
        # a subject of a recent clause, when no organisation's own name answers to the noun
        named = _nominal_by_name(doc, noun, pos, mentions)
        return named or _salient_before(doc, pos, mentions, frozenset({"ORG"}))
    types = _PERSON_TYPES if role.type == "PERSON" else (_GROUP_TYPES if role.type in {"ORG", "GPE"} else frozenset({role.type}))
    mods = {t.lower_ for t in root.children if t.dep_ in {"compound", "amod", "nmod"} and t.pos_ in {"PROPN", "ADJ", "NOUN"}}
    best: tuple[int, int, Mention] | None = None
    for m in mentions:
        if int(m["end"]) > pos or not _compatible(m, types):
            continue
        ctx = _context_roles(doc, m)
        ctx_keys: set[str] = set()
        for w in ctx:
            ctx_keys |= _role_keys(w)
        if not (noun in ctx or role.group in ctx_keys or (keys & ctx_keys and role.group == role.kind_of)):
            # a broad noun ("the official", "the leader") answers to any narrower role of its kind
            continue
        if pos - int(m["end"]) > _NOMINAL_WINDOW:
            continue
        score = len(mods & ctx)
        cand = (score, int(m["start"]), m)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is not None and role.type == "PERSON" and _unnamed_holder_between(doc, int(best[2]["end"]), pos, noun):
        return None  # "A senior official ... told X ... 'Y,' the official said": the unnamed one spoke
    if best is None and role.speaks_for:
        # "A Scottish government spokesman said ... 'X,' the spokesman added": the organisation
        # (or person) the earlier, unnamed spokesman was introduced as speaking for
        for tok in reversed([t for t in doc if t.idx < pos - 1 and t.i != root.i and pos - t.idx <= _NOMINAL_WINDOW]):
            if tok.lemma_.lower() in ("spokesman", "spokeswoman", "spokesperson") and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
                held = _role_holder(tok, tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text), mentions, role)
                return held
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in root.children) and not any(
        c.dep_ == "nummod" or (c.dep_ == "det" and c.lower_ not in ("the", "this", "that")) for c in root.children
    )
    if best is None and role.type == "PERSON" and definite:
        # "Ada Roe struck a conciliatory tone. ..., the finance minister said": no one was
        # introduced with the role (near enough); the person the sentence before is about
        prev = _previous_subject(root, mentions, _PERSON_TYPES)
        if prev is not None:
            # ... provided the text gave that person the role somewhere before (however far back)
            for m in mentions:
                if m.get("entity_id") != prev.get("entity_id") or int(m["end"]) > pos:
                    continue
                ctx_keys: set[str] = set()
                ctx = _context_roles(doc, m)
                for w in ctx:
                    ctx_keys |= _role_keys(w)
                if noun in ctx or role.group in ctx_keys or (keys & ctx_keys and role.group == role.kind_of):
                    return prev
    if best is None and role.group == "company":
        # "the company said", "the club said" when no organisation was introduced with that noun:
        # the organisation the text has been talking about (a subject of a recent clause)
        return _nominal_by_name(doc, noun, pos, mentions) or _salient_before(doc, pos, mentions, frozenset({"ORG"})) or _only_org_before(doc, pos, mentions)
    return best[2] if best else None


def _only_org_before(doc: Doc, pos: int, mentions: Sequence[Mention]) -> Mention | None:
    """"Shares of Vela Plc fell 3%. The company said ...": the one organisation named in the
    sentence before, when it is named in no subject position."""
    sents = _sentences(doc)
    cur = next((k for k, s in enumerate(sents) if s.start_char <= pos < max(s.end_char, s.start_char + 1)), 0)
    lo = sents[cur - 1].start_char if cur > 0 else 0
    orgs = [m for m in mentions if lo <= int(m["start"]) and int(m["end"]) <= pos and str(m.get("type")) == "ORG"
            and not _inside_quotation(doc, int(m["start"]))]
    return orgs[-1] if len({m.get("entity_id") for m in orgs}) == 1 else None


def _unnamed_holder_between(doc: Doc, lo: int, hi: int, noun: str) -> bool:
    """An unnamed person with this role ("a senior Gulf official") is a subject between lo and hi."""
    for s in _sentences(doc):
        if s.end_char <= lo or s.start_char >= hi:
            continue
        subj = _unnamed_person_subject(s, hi)
        # the same role, not just the same broad kind: "one of the officials said" does not make
        # "the finance minister" unnamed
        if subj is not None and subj.idx >= lo and (subj.lemma_.lower() == noun or _same_group(subj.lemma_.lower(), noun)):
            return True
    return False


def _same_group(a: str, b: str) -> bool:
    roles = role_lexicon()
    ra, rb = roles.get(a), roles.get(b)
    return ra is not None and rb is not None and ra.group == rb.group


_SUBUNIT_NOUNS = {"unit", "wing", "branch", "chapter", "arm", "division", "cell", "affiliate", "subsidiary"}
# "the 43-year-old", and the tabloid "the mum-of-two", "the father-of-three"
_AGE_NOMINAL = re.compile(
    r"^(?:the\s+)?(?:\d{1,3}\s*-\s*year\s*-\s*old"
    r"|(?:mum|mom|mother|dad|father|grandmother|grandfather|gran|grandad|nan)\s*-\s*of\s*-\s*(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}))$",
    re.IGNORECASE,
)
_ROLE_PREPS = {"for", "of", "to", "at"}


def _role_holder(root: Token, start: int, end: int, mentions: Sequence[Mention], role: Role) -> Mention | None:
    """Who a person role noun with a prepositional complement stands for.

    "a spokesman for Dana Holm, Eli Varga," (the parser hangs the name on "Holm"): the appositive
    name of the complement, when it is another entity's mention. "a spokeswoman for the Harbour
    Authority" (a role that speaks for its organisation, `speaks_for` in `quote_roles.tsv`): the
    organisation.
    """
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in root.children) or (
        root.left_edge.lower_ in ("a", "an") and root.left_edge.i < root.i  # "A Department for X spokesperson"
    )
    if role.speaks_for and indefinite:
        for mod in root.children:  # "a FEMA spokesperson", "a Pentagon spokesman"
            if mod.dep_ in ("compound", "nmod") and start <= mod.idx < end:
                owner = _tok_mention(mentions, mod)
                kind = role_lexicon().get(mod.lemma_.lower()) if owner is None and mod.pos_ == "NOUN" else None
                if kind is not None and kind.type == "ORG":
                    owner = _nominal(root.doc, mod, mod.idx, mentions)  # "a council spokeswoman": the council named before
                # the entity stage may type a club or a railway as a place ("a Port Alden spokesman")
                if owner is not None and str(owner.get("type")) in ("ORG", "GPE", "LOC", "FAC"):
                    return owner
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ not in _ROLE_PREPS:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj" or not (start <= pobj.idx < end):
                continue
            owner = _tok_mention(mentions, pobj)
            if owner is None:
                # "The leader of the Independent group, Ieuan Roberts, said": the name hung on the
                # complement, which is no entity
                for app in pobj.children:
                    if app.dep_ == "appos" and app.i > pobj.i and start <= app.idx < end:
                        hit = _tok_mention(mentions, app)
                        if hit is not None and str(hit.get("type")) == "PERSON":
                            return hit
                if role.speaks_for and prep.lower_ in {"for", "of"}:
                    # "a spokesman for the Vela teaching union": the organisation named in the phrase
                    for mod in pobj.children:
                        named = _tok_mention(mentions, mod) if mod.dep_ in ("compound", "nmod") and mod.i < pobj.i else None
                        if named is not None and str(named.get("type")) == "ORG":
                            return named
                if role.speaks_for and prep.lower_ in {"for", "of"} and pobj.pos_ == "NOUN" and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in pobj.children
                ):
                    # "a spokesperson for the company said": the organisation "the company" is
                    owner = _nominal(root.doc, pobj, pobj.left_edge.idx, mentions)
                    if owner is not None and str(owner.get("type")) == "ORG":
                        return owner
                continue
            for app in pobj.children:
                if app.dep_ == "appos" and app.i > pobj.i and start <= app.idx < end:
                    hit = _tok_mention(mentions, app)
                    if hit is not None and hit.get("entity_id") != owner.get("entity_id"):
                        return hit
            if role.speaks_for and prep.lower_ in {"for", "of"} and str(owner.get("type")) == "ORG":
                return owner
            if role.speaks_for and prep.lower_ == "for" and str(owner.get("type")) == "PERSON":
                return owner  # "a spokesperson for Minister Ada Roe said": the minister's words
            # "Minister for Trade and Industry Ada Roe": the parser hangs the holder's name inside
            # the office's complement; the name follows the office's capitalised words directly
            if str(owner.get("type")) == "PERSON" and not role.speaks_for:
                name = _span(root.doc, int(owner["start"]), int(owner["end"]))
                prev = root.doc[name.start - 1] if name is not None and name.start > 0 else None
                if prev is not None and prev.i > prep.i and (
                    prev.is_title
                    # "Leader of opposition Ada Roe": a capitalised title without a determiner, its
                    # portfolio written in lower case
                    or (root.is_title and prev.pos_ == "NOUN" and not any(c.dep_ == "det" for c in root.children))
                ):
                    return owner  # not "an adviser to Ada Roe": there "to" stands right before the name
    if role.speaks_for and indefinite and not any(c.dep_ in ("prep", "compound", "nmod", "amod", "poss") for c in root.children):
        return _previous_subject(root, mentions, frozenset({"ORG", "GPE"}))
    return None


def _previous_subject(tok: Token, mentions: Sequence[Mention], types: frozenset[str]) -> Mention | None:
    """The mention of one of `types` that is the main subject of the sentence right before `tok`'s,
    in the same paragraph and outside quotation marks; else None.

    "Vela Transit said no decision had been made. A spokesperson said: ..." (ORG/GPE: an
    organisation's unnamed spokesperson), "Ada Roe struck a softer tone. ..., the finance minister
    said" (PERSON). A bare spokesperson does not look for a person: after "Ada Roe was charged."
    "a spokesman" may speak for the police as well as for her."""
    doc = tok.doc
    sents = _sentences(doc)
    k = next((k for k, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    if k == 0 or "\n" in doc_text(doc)[sents[k - 1].end_char : sents[k].start_char + 1]:
        return None
    prev = sents[k - 1]
    subj = next((c for c in prev.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or subj.pos_ != "PROPN" or _inside_quotation(doc, subj.idx):
        return None
    hit = _tok_mention(mentions, subj)
    return hit if hit is not None and str(hit.get("type")) in types else None


def _surname(root: Token, start: int, mentions: Sequence[Mention]) -> Mention | None:
    """The one earlier multi-word mention whose last word is `root` (a bare surname), else None."""
    hits = [m for m in mentions if int(m["end"]) <= start and len(str(m.get("text", "")).split()) > 1 and str(m.get("text", "")).split()[-1] == root.text]
    if not hits:  # the first of two surnames: 'Valdés' for 'Rodrigo Valdés Ortega'
        hits = [m for m in mentions if int(m["end"]) <= start and str(m.get("type")) == "PERSON"
                and len(str(m.get("text", "")).split()) >= 3 and root.text in str(m.get("text", "")).split()[1:-1]]
    if len({m.get("entity_id") for m in hits}) != 1:
        return None
    return hits[-1]


_STAFF_PREPS = {"at", "from", "with"}
_DOCUMENT_NOUNS = {"statement", "communique", "communiqué", "release", "readout", "letter", "post", "note", "notice", "report"}
# nouns that speak without being a role or an organisation: documents, findings, unnamed people
SPEAKING_NOUNS = frozenset(_DOCUMENT_NOUNS | _UNNAMED_PEOPLE | {
    "source", "study", "survey", "poll", "analysis", "review", "audit", "inquiry", "probe", "investigation",
    "decree", "order", "ruling", "verdict", "judgment", "judgement", "law", "bill", "document", "memo",
    "email", "message", "tweet", "video", "notice", "filing", "complaint", "lawsuit", "petition", "plan",
    "proposal", "draft", "resolution", "declaration", "agreement", "deal", "text", "book", "article", "speech",
})


def _issuer(doc: Doc, root: Token, start: int, mentions: Sequence[Mention]) -> Mention | None:
    """Who issued the statement (letter, note, ...) a reference like "the statement" points back
    to: in the nearest earlier sentence that has the same noun, the subject of the clause it hangs
    on ("X said in a statement", "X, in an end-of-mission statement, said", "X issued a statement")
    or the object of "from"/"by" ("a statement from X")."""
    lemma = root.lemma_.lower()
    for prep in root.children:  # "a statement from the Ministry of X, which said ..."
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and (hit := _tok_mention(mentions, obj)) is not None:
                return hit
    sents = _sentences(doc)
    cur = next((k for k, s in enumerate(sents) if s.start_char <= start < s.end_char), len(sents) - 1)
    for k in range(cur, max(-1, cur - _MAX_SENTENCES_BACK), -1):
        named = False
        for tok in sents[k]:
            if tok.idx >= start or tok.lemma_.lower() != lemma or tok.i == root.i:
                continue
            named = True
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None and (hit := _tok_mention(mentions, obj)) is not None:
                        return hit
            verb = tok.head
            for _ in range(3):
                if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                    break
                verb = verb.head
            subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None and subj.i != root.i:
                return resolve_reference(doc, subj.left_edge.idx, subj.idx + len(subj.text), mentions)
        if named and k < cur:
            break  # only the nearest earlier sentence that mentions it counts
    return None


def _holder_after(doc: Doc, org: Mention, mentions: Sequence[Mention], roles: dict[str, Role]) -> Mention | None:
    """A person mention right after `org` with only role words between, the last a
    person role ("Minister", "organising secretary"); else None."""
    o_end = int(org["end"])
    after = [m for m in mentions if str(m.get("type")) == "PERSON" and int(m["start"]) >= o_end]
    if not after:
        return None
    named = min(after, key=lambda m: int(m["start"]))
    org_span = _span(doc, int(org["start"]), o_end)
    name_span = _span(doc, int(named["start"]), int(named["end"]))
    if org_span is None or name_span is None:
        return None
    # (the parser may hang the role words on the organisation as a clause, "organising
    # secretary", which leaves them outside the subject's noun phrase)
    between = [t for t in doc[org_span.end : name_span.start] if not t.is_space]
    # "Agriculture, Forestry and Fisheries Minister Ada Roe": a capitalised portfolio list
    portfolio = all(t.text in (",", "and", "&") or t.is_title for t in between) and len(between) <= 8
    if not 1 <= len(between) <= (8 if portfolio else 4) or (not portfolio and any(
        t.is_punct or t.pos_ in ("DET", "ADP", "CCONJ", "PRON", "AUX") or (t.pos_ == "VERB" and t.tag_ != "VBG") for t in between
    )):
        return None
    last = between[-1]
    role = roles.get(last.lower_) or roles.get(last.lemma_.lower())
    return named if role is not None and role.type == "PERSON" else None


_ANONYMITY = re.compile(
    r"\b(?:anonymity|(?:not|declined|declining|refused|refusing) (?:to )?be (?:named|identified)"
    r"|not authori[sz]ed to (?:speak|talk|comment)|without being (?:named|identified))\b",
    re.IGNORECASE,
)


def _anonymous(root: Token) -> bool:
    """A common noun whose relative clause says it is unnamed: "who spoke on condition of
    anonymity", "who asked not to be named"."""
    if root.pos_ != "NOUN":
        return False
    for rel in root.subtree:  # (the parser may hang the clause on a noun of the complement)
        if rel.dep_ in {"relcl", "acl"} and rel.i > root.i:
            words = rel.doc[rel.left_edge.i : rel.right_edge.i + 1].text
            if _ANONYMITY.search(words):
                return True
    return False


def resolve_reference(doc: Doc, start: int, end: int, mentions: Sequence[Mention]) -> Mention | None:
    """The entity mention that the text span [start, end) of `doc.text` refers to, or None.

    See the module docstring for the order of the rules. Unresolvable references return None.
    """
    span = _span(doc, start, end)
    if span is None or not len(span):
        return mention_at(mentions, start, end)
    root = span.root
    if _anonymous(root):
        return None  # "A Vela Water technician, who spoke on condition of anonymity, said": nobody named
    hit = _tok_mention(mentions, root)
    roles = role_lexicon()
    if hit is not None and str(hit.get("type")) != "PERSON":
        # "State Roads and Buildings Minister Ada Roe, who ..., said" (the office's "and" read as a
        # coordination), "Vela Party organising secretary Ada Roe accused": an organisation, role
        # words, then a person; the person is the one named
        held = _holder_after(doc, hit, mentions, roles)
        if held is not None:
            return held
    if hit is not None:
        return hit
    role = roles.get(root.lower_) or roles.get(root.lemma_.lower())
    person_role = role is not None and role.type == "PERSON"
    # a role noun with a name attached: "aide Anna Vell", "Anna Vell's adviser" is not one. After a
    # person role noun an appositive name is the person whatever type the entity stage gave it.
    for child in sorted(root.children, key=lambda t: abs(t.i - root.i)):
        if child.dep_ in _NAME_ATTACH_DEPS and start <= child.idx < end:
            hit = _tok_mention(mentions, child)
            if hit is not None and (str(hit.get("type")) == "PERSON" or (person_role and child.dep_ == "appos")):
                return hit
            if hit is not None and role is not None and role.type == "ORG" and child.dep_ in ("compound", "appos", "npadvmod") and str(hit.get("type")) == "ORG":
                # "the Vela labour federation", "the Likud party", "The main business federation,
                # Vela," : the organisation named
                return hit
    if root.pos_ == "NOUN":
        # "the bench, led by Justice Ada Roe, said", "the delegation, headed by X,": its leader speaks
        for acl in root.children:
            if acl.dep_ == "acl" and acl.lemma_.lower() in ("lead", "head", "chair") and acl.i > root.i:
                for agent in acl.children:
                    obj = next((o for o in agent.children if o.dep_ == "pobj"), None) if agent.dep_ == "agent" else None
                    hit = _tok_mention(mentions, obj) if obj is not None else None
                    if hit is not None and str(hit.get("type")) == "PERSON":
                        return hit
    if root.lemma_.lower() in _SUBUNIT_NOUNS:
        # "the Vela party's Delhi unit said", "its youth wing said": the organisation speaks
        for poss in root.children:
            if poss.dep_ == "poss" and start <= poss.idx < end:
                owner = resolve_reference(doc, poss.left_edge.idx, poss.idx + len(poss.text), mentions)
                if owner is not None and str(owner.get("type")) == "ORG":
                    return owner
    if person_role:
        hit = _role_holder(root, start, end, mentions, role)
        if hit is not None:
            return hit
        # "The head of the Vela Union's observer mission, Ada Roe, said": the possessive misparsed,
        # the name hangs on an appositive of the role noun
        for app in root.children:
            if app.dep_ == "appos" and app.i > root.i and _tok_mention(mentions, app) is None:
                for name in app.children:
                    if name.dep_ == "appos" and name.i > app.i and start <= name.idx < end:
                        hit = _tok_mention(mentions, name)
                        if hit is not None and str(hit.get("type")) == "PERSON":
                            return hit
    if root.pos_ in ("NOUN", "PROPN") and not person_role:
        # "The Oba of Tarrow, Chief Ada Roe, appealed": a title the lexicon does not know, the
        # holder's name hung on its complement
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ in _ROLE_PREPS:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    for app in pobj.children:
                        if app.dep_ == "appos" and app.i > pobj.i and start <= app.idx < end:
                            hit = _tok_mention(mentions, app)
                            if hit is not None and str(hit.get("type")) == "PERSON":
                                return hit
    if _AGE_NOMINAL.match(doc_text(doc)[start:end].strip().rstrip(",;:").strip()):
        # "the 43-year-old" refers back like a personal pronoun
        return _age_referent(doc, start, mentions)
    if root.pos_ == "PROPN" and root.is_title and role is not None and role.type == "PERSON" and any(
        t.lower_ == "the" for t in root.children if t.dep_ == "det"
    ) and not any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" for c in root.children):
        return _nominal(doc, root, start, mentions)  # "the Minister said": a capitalised title as a noun
    if root.pos_ == "PROPN" and root.is_title:
        # a surname the entity stage did not mark, "Okoye said" after "Ada Okoye": one earlier full name
        return _surname(root, start, mentions)
    word = root.lower_
    if word in _RELATIVE_PRONOUNS and root.head.dep_ == "relcl":
        ante = root.head.head
        return resolve_reference(doc, ante.idx, ante.idx + len(ante.text), mentions) if ante.i != root.i else None
    if word in _PERSON_PRONOUNS:
        return _salient_before(doc, start, mentions, _PERSON_TYPES, pronoun=word)
    if word in _PLURAL_PRONOUNS:
        # news English calls a country "it": "they" is a group of people or an organisation
        return _salient_before(doc, start, mentions, _PLURAL_TYPES)
    if word in _GROUP_PRONOUNS:
        return _salient_before(doc, start, mentions, _GROUP_TYPES)
    if root.tag_ in {"NNS", "NNPS"}:
        # "Economists at Harbour Analytics said": a firm's or an institution's staff speak for it
        if person_role and role.group in ("official", "spokesperson", "chief") or root.lemma_.lower() in ("official", "executive", "spokesperson", "spokesman", "spokeswoman"):
            # "which Vela Transit officials have called ...": the organisation's officials speak for it
            for mod in root.children:
                if mod.dep_ == "compound" and start <= mod.idx < end and (owner := _tok_mention(mentions, mod)) is not None:
                    if str(owner.get("type")) == "ORG":
                        return owner
        if person_role or root.lemma_.lower() in _UNNAMED_PEOPLE:
            for prep in root.children:
                # "Negotiators for the union said": people acting for an organisation speak for it
                if prep.dep_ == "prep" and (prep.lower_ in _STAFF_PREPS or (person_role and prep.lower_ == "for")):
                    for pobj in prep.children:
                        if pobj.dep_ != "pobj":
                            continue
                        owner = _tok_mention(mentions, pobj)
                        if owner is None and pobj.pos_ == "NOUN":
                            owner = resolve_reference(doc, pobj.left_edge.idx, pobj.idx + len(pobj.text), mentions)
                        if owner is not None and str(owner.get("type")) == "ORG":
                            return owner
        return None  # "the leaders", "EU leaders": a group, not one actor
    if root.lemma_.lower() in _DOCUMENT_NOUNS and any(t.dep_ in {"det", "poss"} for t in root.children):
        # "the statement said": whoever the text said issued the statement
        return _issuer(doc, root, start, mentions)
    common = root.pos_ == "NOUN" or (root.pos_ == "PROPN" and root.text.islower())  # "the minister" tagged PROPN
    if common and any(t.lower_ in {"the", "this", "that"} for t in root.children if t.dep_ == "det"):
        return _nominal(doc, root, start, mentions)
    if common and not any(t.dep_ in ("det", "nummod") for t in root.children):
        # bare title ("palace aide said") refers like a definite one; "one senior executive said"
        # introduces someone new
        if any(t.dep_ in {"compound", "amod"} for t in root.children):
            return _nominal(doc, root, start, mentions)
    return None
