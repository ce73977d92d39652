"""Cleaning stage: turn one raw plain-text news article into a cleaned body plus metadata.

Pure functions, no Dagster. :func:`clean_document` normalises the text (ftfy with curly quotes
kept, NFC, ``\\n`` line endings, spaces collapsed), drops page furniture line by line with general
rules, extracts the headline, byline, outlet and publication date the text states, detects live
blogs (a text structured by date-only heading lines) and returns the cleaned body with one blank
line between paragraphs. Every dropped line is recorded in ``removed`` with a reason code:

``title``            the headline line (kept in ``CleanedDocument.title``)
``byline``           "by Jane Doe"
``caption``          photo captions and credits, captions run together twice
``bio``              an author bio and the short name / role lines just above it
``tags``             keyword / slug lines ("a-b call, a-b phone")
``furniture``        header junk, timestamp and date lines, "READ MORE ...", "This live stream
                     has ended.", "For more on ..., read this related article." and the like
``duplicate``        a paragraph repeated verbatim, or a teaser that fuses later paragraphs
``live_blog_heading`` a live blog's date heading (its date and span live in ``live_blog_entries``)

The rules are written for the general shape of news pages, never for particular outlets or
sentences; dates are read with explicit regular expressions (no relative dates, no guessing).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import ftfy

__all__ = ["CleanedDocument", "LiveBlogEntry", "clean_document", "normalise_text", "find_dates"]


@dataclass(frozen=True)
class LiveBlogEntry:
    """One dated entry of a live blog; ``text[start:end]`` is the entry's content."""

    entry_date: dt.date
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class CleanedDocument:
    """The cleaned body of one document and what the text states about it."""

    text: str
    title: str | None
    byline: list[str]
    outlet: str | None
    outlet_evidence: str | None
    published_date: dt.date | None
    published_evidence: str | None
    kind: str  # 'article' | 'live_blog'
    live_blog_entries: list[LiveBlogEntry] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_SPACE_CHARS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DROP_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_BREAK_CHARS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TRANSLATE = {ord(c): " " for c in _SPACE_CHARS}
_TRANSLATE.update({ord(c): None for c in _DROP_CHARS})
_TRANSLATE.update({ord(c): "\n" for c in _BREAK_CHARS})


def normalise_text(raw_text: str) -> list[str]:
    """Repair and normalise ``raw_text``; return its non-empty lines.

    ftfy repairs mojibake (``fix_text(..., uncurl_quotes=False)`` keeps curly quotes), line
    endings become ``\\n``, non-breaking and other Unicode spaces become plain spaces, zero-width
    characters go, runs of spaces/tabs collapse to one space, lines are stripped, and the result
    is NFC.
    """
    text = ftfy.fix_text(raw_text, uncurl_quotes=False)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", text)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_month_words = sorted(_MONTHS, key=len, reverse=True)
_MONTH = (
    r"(?:"
    + "|".join([w.capitalize() for w in _month_words] + [w.upper() for w in _month_words])
    + r")\b\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?"

_RE_DMY = re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})(?!\d)")
_RE_MDY = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})(?!\d)")
_RE_ISO = re.compile(
    rf"(?<![\d.\-/])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d\-])"
)
_RE_YMD_SLASH = re.compile(
    rf"(?<![\d.\-/])(?P<y>{_YEAR})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?![\d/])"
)
_RE_NUMERIC = re.compile(
    rf"(?<![\d.\-/])(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{_YEAR})(?![\d.\-/]\d)"
)
# Dates without a year, only used to recognise date-only lines such as "Tuesday, March 10".
_RE_PARTIAL = re.compile(rf"\b(?:{_MONTH}\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTH})(?![\w])")
_RE_TIME = re.compile(
    r"(?<![\d:])(?:[01]?\d|2[0-3])[:.h][0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?)?(?![\d:])", re.I
)
_RE_TIME_AMPM = re.compile(r"(?<!\d)(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?(?!\w)", re.I)
_TZ = r"(?:GMT|UTC|BST|CET|CEST|EET|EEST|MSK|IST|JST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|Z)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
_RE_TZ = re.compile(rf"\b{_TZ}(?![\w])")
_RE_US_CLOCK = re.compile(r"\b(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT)\b|\d\s*[ap]\.?m\.?", re.I)
_RE_24H_CLOCK = re.compile(
    r"\b(?:GMT|UTC|BST|CET|CEST|EET|EEST|MSK)\b|(?<![\d:])(?:1[3-9]|2[0-3]|0\d)[:h][0-5]\d"
)
_RE_LABEL = re.compile(
    r"\b(?:first\s+published|last\s+updated|last\s+modified|published|posted|updated|modified|"
    r"edited|date|dated|on|at|as\s+of)\b:?",
    re.I,
)
_RE_UPDATED_TAIL = re.compile(
    r"[(\[|,;–—-]?\s*\b(?:last\s+)?(?:updated|modified|edited)\b.*$", re.I
)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the numbers do not make one (31 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_month_order(a: int, b: int, sep: str, context: str) -> str | None:
    """'dmy', 'mdy' or None for a numeric a<sep>b<sep>year date, using separators and context."""
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    if sep in ".-":  # European dotted (and dashed) forms are day first
        return "dmy"
    if _RE_24H_CLOCK.search(context):
        return "dmy"
    if _RE_US_CLOCK.search(context):
        return "mdy"
    return None  # 03/04/2026 with nothing to tell the order: unknown, never a guess


def find_dates(text: str, *, context: str | None = None) -> list[tuple[dt.date | None, int, int]]:
    """Full dates (with a year) written in ``text``: ``(date or None, start, end)``, in text order.

    Forms: ISO ``2026-03-09``, ``2026/03/09``, ``9 March 2026``, ``March 9, 2026`` (month names
    full, abbreviated or upper case; ordinal days), numeric ``09.03.2026`` / ``09-03-2026`` (day
    first) and ``09/03/2026`` (day-month order from the values, or from ``context``: a 24-hour or
    GMT/UTC clock means day first, am/pm or a US time zone month first; otherwise the date is None).
    Overlapping matches keep the first found by this order.
    """
    context = text if context is None else context
    found: list[tuple[dt.date | None, int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        """Whether [s, e) overlaps a date already found."""
        return any(s < fe and fs < e for _, fs, fe in found)

    for rx in (_RE_ISO, _RE_YMD_SLASH):
        for m in rx.finditer(text):
            if not overlaps(m.start(), m.end()):
                date = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
                found.append((date, m.start(), m.end()))
    for rx in (_RE_DMY, _RE_MDY):
        for m in rx.finditer(text):
            if not overlaps(m.start(), m.end()):
                month = _MONTHS[m["m"].rstrip(".").lower()]
                day = int(re.match(r"\d+", m["d"]).group())
                found.append((_safe_date(int(m["y"]), month, day), m.start(), m.end()))
    for m in _RE_NUMERIC.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        a, b = int(m["a"]), int(m["b"])
        order = _day_month_order(a, b, m["sep"], context)
        date = None
        if order == "dmy":
            date = _safe_date(int(m["y"]), b, a)
        elif order == "mdy":
            date = _safe_date(int(m["y"]), a, b)
        found.append((date, m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


def _strip_datetime_tokens(line: str) -> tuple[str, int, int]:
    """Remove date, time, zone, weekday and label tokens; return (rest, n_dates, n_times)."""
    rest = line
    n_dates = 0
    for _, s, e in reversed(find_dates(rest)):
        rest = rest[:s] + " " + rest[e:]
        n_dates += 1
    rest, n_partial = _RE_PARTIAL.subn(" ", rest)
    rest, n_times = _RE_TIME.subn(" ", rest)
    rest, n_ampm = _RE_TIME_AMPM.subn(" ", rest)
    rest = _RE_TZ.sub(" ", rest)
    rest = re.sub(rf"\b{_WEEKDAYS}", " ", rest)
    rest = _RE_LABEL.sub(" ", rest)
    rest = re.sub(r"[\s()\[\],.:;|/•·–—-]+", " ", rest).strip()
    return rest, n_dates + n_partial, n_times + n_ampm


def _is_datetime_line(line: str) -> bool:
    """A line made only of dates, times, zones, weekdays and labels ("Tuesday, March 10")."""
    if len(line) > 120:
        return False
    rest, n_dates, n_times = _strip_datetime_tokens(line)
    return not rest and (n_dates + n_times) > 0


_RE_HEADING_DATE = re.compile(
    rf"^(?:{_WEEKDAYS},?\s+)?(?:{_RE_DMY.pattern}|{_RE_MDY.pattern}|{_RE_ISO.pattern})$".replace(
        "(?P<d>", "(?:"
    )
    .replace("(?P<m>", "(?:")
    .replace("(?P<y>", "(?:")
)


def _heading_date(line: str) -> dt.date | None:
    """The date of a line that is just a full date ("19 March 2025", "March 18, 2025")."""
    if not _RE_HEADING_DATE.match(line):
        return None
    dates = find_dates(line)
    return dates[0][0] if len(dates) == 1 else None


# --------------------------------------------------------------------------------------------
# Line rules
# --------------------------------------------------------------------------------------------

_ROLE = (
    r"(?:editor|reporter|correspondent|writer|journalist|columnist|contributor|producer|"
    r"analyst|photographer|photojournalist|author|anchor|presenter|host|critic|researcher|"
    r"intern|fellow|chief|bureau chief)"
)
_HEADER_WORDS = {"logo", "icon", "home", "menu", "section", "news", "live", "latest", "top"}


def _words(line: str) -> list[str]:
    """Whitespace-separated tokens of a line."""
    return line.split()


def _is_header_junk(line: str) -> bool:
    """A short top-of-page line with a date token plus logo/section words (" date 2026-03-09 KI logo")."""
    if len(_words(line)) > 10 or line.endswith((".", "?", "!", ":")):
        return False
    rest, n_dates, _ = _strip_datetime_tokens(line)
    if not find_dates(line) or n_dates == 0:
        return False
    rest_words = rest.split()
    if not rest_words or len(rest_words) > 4:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _HEADER_WORDS for w in rest_words)


_RE_CREDIT_PREFIX = re.compile(
    r"^(?:photo(?:graph)?s?|image|picture|pic|illustration|file photo|photo credit|image credit|"
    r"credit|credits|video|source image)\s*:\s*\S",
    re.I,
)
_RE_FINAL_PAREN = re.compile(r"\(([^()]{1,300})\)\s*\.?$")
# Credit words inside a final parenthetical, or the "Photographer / Agency" shape; no list of
# agency names (the shape is what marks a credit).
_RE_CREDIT_WORDS = re.compile(r"\b(?:photo(?:graph)?s?|image|picture|credit|courtesy)\b", re.I)
_RE_SLASH_CREDIT = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s/\s[A-Z]")
# A caption line ending in a slash credit: "... near the river / Agency Name", "... / X via Y".
_RE_CREDIT_TAIL = re.compile(
    r"\s/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"(?:\s+via\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?$"
)
_CAPTION_VERB = (
    r"(?:speaks?|shake hands|shakes hands|greets?|attends?|arrives?|poses?|looks? on|waves?|"
    r"gestures?|walks?|listens?|meets?|delivers?|holds?|stands?|sits?|visits?|talks?|"
    r"prepares?|leaves?|signs?|addresses?|inspects?|reviews?|smiles?|embraces?|hugs?|"
    r"salutes?|lays? a wreath|repairs?|gathers?|celebrates?|carry|carries|takes? part|watch|"
    r"watches|waits?|is seen|are seen|pictured)"
)
_RE_CAPTION_VERB = re.compile(rf"(?P<pre>\b\w+\s+)?\b{_CAPTION_VERB}\b")
_MODALS = {"will", "would", "to", "could", "can", "may", "might", "should", "must", "did",
           "does", "do", "not", "never", "shall"}  # fmt: skip
_RE_POSITION = re.compile(
    r",\s*(?:left|right|center|centre|second left|second right)\s*,|\((?:L|R|C|left|right|center|centre)\)"
)
_RE_TRAILING_DATE = re.compile(
    rf"(?:,|\bon)\s+(?:{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MONTH},?\s+{_YEAR})\s*\.?$"
)
_RE_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|according to|reported|announced|stated|added)\b", re.I
)
_QUOTE_MARKS = '"“”«»„'


def _is_doubled(line: str) -> bool:
    """A caption run together with itself: the line equals s + s (or s + ' ' + s)."""
    n = len(line)
    if n < 16:
        return False
    if n % 2 == 0 and line[: n // 2] == line[n // 2 :]:
        return True
    return n % 2 == 1 and line[n // 2] == " " and line[: n // 2] == line[n // 2 + 1 :]


def _is_caption(line: str) -> bool:
    """Photo captions and credits (see module docstring); real news paragraphs are left alone."""
    if _is_doubled(line):
        return True
    if _RE_CREDIT_PREFIX.match(line):
        return True
    paren = _RE_FINAL_PAREN.search(line)
    if paren and (
        _RE_CREDIT_WORDS.search(paren.group(1)) or _RE_SLASH_CREDIT.search(paren.group(1))
    ):
        return True
    if len(_words(line)) <= 25 and _RE_CREDIT_TAIL.search(line) and not _RE_REPORTING.search(line):
        return True
    # A one-sentence picture description ending in a date: "A and B shake hands at ..., July 16, 2018."
    if not _RE_TRAILING_DATE.search(line) or len(_words(line)) > 60:
        return False
    if any(q in line for q in _QUOTE_MARKS) or _RE_REPORTING.search(line):
        return False
    body = line[:-1] if line.endswith(".") else line
    if re.search(r"[a-z]{2,}[.!?]\s+[A-Z]", body):  # more than one sentence
        return False
    if _RE_POSITION.search(line):
        return True
    for m in _RE_CAPTION_VERB.finditer(line):
        pre = (m["pre"] or "").strip().lower()
        if pre not in _MODALS:
            return True
    return False


_NAME_PARTICLES = {"de", "da", "di", "del", "van", "von", "der", "den", "la", "le", "al", "bin",
                   "ibn", "el", "du", "dos", "das", "y", "ter", "St."}  # fmt: skip
_RE_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÞĀ-Ž][\w’'.-]*|[A-Z]\.)$")


def _is_person_name(text: str) -> bool:
    """2-5 capitalised tokens (particles such as 'de la' allowed), no digits, no function words."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if not _RE_NAME_TOKEN.match(tokens[0]) or not _RE_NAME_TOKEN.match(tokens[-1]):
        return False
    for tok in tokens:
        if any(ch.isdigit() for ch in tok):
            return False
        if not (_RE_NAME_TOKEN.match(tok) or tok.lower() in _NAME_PARTICLES):
            return False
        if tok.lower() in _SMALL_WORDS or tok.lower() in _SENTENCE_WORDS:
            return False
    return True


# Agency credit lines: "(Reporting by Jane Doe; Editing by John Roe)"; the reporters and writers
# go to the byline, editors do not.
_RE_CREDIT_BYLINE = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|written)\s+by\s+([^;()]+?)(?:;[^()]*)?\)?\.?$",
    re.I,
)
_RE_BYLINE = re.compile(r"^(?:written\s+by|words\s+by|by)\s*:?\s+(?P<names>\S.*)$", re.I)


def _byline_names(line: str) -> list[str] | None:
    """Author names of a byline line ("by Jane Doe and John Roe"), or None if not a byline."""
    credit = _RE_CREDIT_BYLINE.match(line)
    if credit:
        names = []
        for part in re.split(r"\s*(?:;|,|\band\b|&|\bby\b)\s*", credit.group(1)):
            part = part.strip()
            if _is_person_name(part) and part not in names:
                names.append(part)
        return names
    m = _RE_BYLINE.match(line)
    if not m or len(_words(line)) > 16:
        return None
    if line.endswith((".", "?", "!")) and not re.search(r"\b[A-Z]\.$", line):
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:,|\||&|\band\b|/)\s*", m["names"]) if p.strip()]
    names: list[str] = []
    for part in parts:
        if _is_person_name(part):
            names.append(part)
        elif all(_RE_NAME_TOKEN.match(t) for t in part.split()) and len(part.split()) <= 3:
            continue  # an agency or outlet after the names ("by Jane Doe, Reuters")
        else:
            return None
    return names or None


_RE_TAG_PREFIX = re.compile(
    r"^(?:tags?|topics?|keywords?|related topics|filed under|categories)\s*:\s*\S", re.I
)
_SENTENCE_WORDS = {"the", "a", "an", "who", "which", "that", "was", "were", "is", "are", "said",
                   "says", "has", "have", "had", "will", "would", "he", "she", "they", "it", "we",
                   "i", "you", "not", "but"}  # fmt: skip
_RE_TAG_ITEM = re.compile(r"^[a-z0-9#][a-z0-9 #&'’._-]*$")


def _is_tag_line(line: str) -> bool:
    """A keyword line: "Tags: ..." or 2+ comma-separated lower-case slugs ("a-b call, a-b phone")."""
    if _RE_TAG_PREFIX.match(line):
        return True
    tokens = line.split()
    if len(tokens) >= 2 and all(t.startswith("#") and len(t) > 1 for t in tokens):
        return True
    if line.endswith((".", "!", "?", ":")):
        return False
    items = [i.strip() for i in line.split(",")]
    if len(items) < 2 or any(not i for i in items):
        return False
    if not all(_RE_TAG_ITEM.match(i) and len(i.split()) <= 4 for i in items):
        return False
    if any(w in _SENTENCE_WORDS for i in items for w in i.split()):
        return False
    # slug-like: a hyphenated/compound token, items sharing a word ("x call, x phone"), or 4+ items
    if any(re.search(r"\w[-_]\w", i) for i in items) or len(items) >= 4:
        return True
    words = [set(i.split()) for i in items]
    return any(a & b for n_, a in enumerate(words) for b in words[n_ + 1 :])


_FURNITURE_PATTERNS = [
    # live blog status lines
    re.compile(
        r"^this (?:live )?(?:stream|blog|live blog|page|feed|coverage|event|broadcast)\s+"
        r"(?:has\s+|is\s+)?(?:now\s+)?(?:ended|closed|over|finished|concluded|no longer (?:being )?updated)\b",
        re.I,
    ),
    re.compile(
        r"^(?:we(?:'|’)re|we are|we have) (?:now )?(?:pausing|closing|ending) (?:our|this) (?:live )?(?:coverage|blog)\b",
        re.I,
    ),
    # self-promotion links
    re.compile(r"^READ MORE\b"),
    re.compile(r"^(?:read|see|watch) (?:more|also)\s*[:|–—-]", re.I),
    re.compile(
        r"^(?:related|recommended|more on this|more from|also read|you may also like)\s*[:|–—-]",
        re.I,
    ),
    re.compile(
        r"^for more (?:on|about|information)\b.*\b(?:read|see|visit|click|explore|go to)\b", re.I
    ),
    re.compile(
        r"\bexplore our coverage\b|\bread (?:this|our|the) related (?:article|story|report)\b", re.I
    ),
    re.compile(r"^(?:click here|sign up|subscribe|follow us|share this|advertisement)\b", re.I),
]
_RE_READ_FULL = re.compile(r"^read\b.*\b(?:full|in full|whole|entire|here)\b", re.I)
_RE_READ_MORE_SHORT = re.compile(r"^read more (?:about|on|of|here|:)", re.I)


def _is_furniture_phrase(line: str) -> bool:
    """Page furniture written as a phrase: read-more links, live-stream status, related articles."""
    n = len(_words(line))
    if any(p.search(line) for p in _FURNITURE_PATTERNS[:2]) and n <= 16:
        return True
    if any(p.search(line) for p in _FURNITURE_PATTERNS[2:]) and n <= 60:
        return True
    if _RE_READ_FULL.match(line) and n <= 8:
        return True
    return bool(_RE_READ_MORE_SHORT.match(line) and n <= 16 and "," not in line)


_OUTLET_NAME = r"[A-Z][\w&’'-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&’'-]*){0,4}"
_RE_BIO = re.compile(
    rf"^(?P<name>[A-ZÀ-Þ][\w’'.-]+(?:\s+[A-ZÀ-Þ][\w’'.-]+){{1,3}})\s+(?:is|was)\s+(?:a|an|the|our)\s+"
    rf"(?P<desc>[^.]{{0,120}}?)\b{_ROLE}s?\b"
)
_RE_BIO_OUTLET = re.compile(
    rf"(?P<evidence>(?:[\w-]+\s+){{0,1}}{_ROLE}s?(?:\s+[\w-]+){{0,3}}?\s+(?:at|for|with)\s+(?:the\s+)?(?P<outlet>{_OUTLET_NAME}))"
)
_RE_BIO_FOLLOW = re.compile(
    r"[.;]\s+(?:She|He|They|Her|His|Their|Previously)\b[^.]{0,40}?\b(?:previously|joined|covers|covered|"
    r"has (?:covered|worked|written|reported)|holds|graduated|studied|is based|was based|worked|"
    r"writes|reports|specializ|specialis|focuses|experience|degree)",
)


def _bio_match(line: str) -> re.Match[str] | None:
    """Match "<Name> is a <...> editor/reporter/correspondent/..." at the start of a line."""
    return _RE_BIO.match(line)


# --------------------------------------------------------------------------------------------
# Outlet
# --------------------------------------------------------------------------------------------

_RE_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’\- ]{1,40}?)(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,2})?"
    rf"(?:,?\s*(?:{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?|{_DAY}\s+{_MONTH}(?:\s+{_YEAR})?))?"
    r"\s*\((?P<outlet>[A-Z][^()]{0,40}?)\)\s*[-–—]+\s+(?=\S)"
)
_RE_PLAIN_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’\- ]{2,40}?(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,2})?\s*[–—-]+\s+(?=[A-Z“\"])"
)
_REF_NAME = r"(?P<name>(?:the\s+|The\s+)?[A-Z][A-Za-z0-9&-]*(?:\s+[A-Z][A-Za-z0-9&-]*){0,3})"
_RE_REF_STRONG = re.compile(
    r"(?:\bin\s+an?\s+)?\b(?:analysis|op-ed|opinion piece|opinion article|column|commentary|article|essay|piece|"
    rf"editorial|interview|exclusive interview|documentary)\s+(?:written\s+|exclusively\s+)?for\s+{_REF_NAME}"
)
_RE_REF_WEAK = re.compile(
    rf"\b(?:(?:has|had)\s+)?(?:(?:speaking|spoke|talking|talked)\s+(?:exclusively\s+)?to|told)\s+{_REF_NAME}"
)


def _dateline_key(line: str) -> str:
    """The line without a leading dateline ("MOSCOW (Agency) - ", "KYIV — ")."""
    m = _RE_DATELINE.match(line) or _RE_PLAIN_DATELINE.match(line)
    return line[m.end() :] if m else line


def _self_reference_outlet(lines: list[str]) -> tuple[str, str] | None:
    """An outlet the text keeps citing as its own: pieces written "for X" plus "told X".

    Needs at least two references to the same capitalised name, at least one of which is a piece
    written for it ("in an analysis for X"); a tie between names gives None.
    """
    strong: Counter[str] = Counter()
    total: Counter[str] = Counter()
    evidence: dict[str, list[str]] = {}
    for line in lines:
        for rx, is_strong in ((_RE_REF_STRONG, True), (_RE_REF_WEAK, False)):
            for m in rx.finditer(line):
                name = re.sub(r"^(?:the|The)\s+", "", m["name"]).strip()
                if not name:
                    continue
                total[name] += 1
                strong[name] += is_strong
                evidence.setdefault(name, []).append(m.group(0))
    candidates = [n for n in total if strong[n] >= 1 and total[n] >= 2]
    if not candidates:
        return None
    candidates.sort(key=lambda n: (strong[n], total[n]), reverse=True)
    best = candidates[0]
    if len(candidates) > 1 and (strong[candidates[1]], total[candidates[1]]) == (
        strong[best],
        total[best],
    ):
        return None
    return best, "; ".join(evidence[best])


# --------------------------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for",
                "by", "with", "from", "as", "vs", "via", "into", "over", "after", "amid", "is",
                "are", "be", "up", "out", "off"}  # fmt: skip


def _is_title_line(line: str, *, max_words: int) -> bool:
    """A headline: short, no final period, no sentence break, title case or headline shape."""
    words = _words(line)
    if not words or len(words) > max_words or len(line) > 250:
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in _QUOTE_MARKS + "‘'"):
        return False
    if re.search(r"[a-z]{2,}[.!?][\"”’]?\s+[A-Z]", line):  # two sentences
        return False
    content = [w for w in words if w.lower().strip("\"“”‘’'(),") not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w.lstrip("\"“‘'(")[:1].isupper() or w[:1].isdigit())
    title_case = bool(content) and capitalised / len(content) >= 0.6
    return title_case or len(words) <= 14


# --------------------------------------------------------------------------------------------
# The stage
# --------------------------------------------------------------------------------------------


def _duplicates(lines: list[str], keep: list[bool], *, min_words: int) -> dict[int, str]:
    """Indexes of kept lines to drop as duplicates (value: why), see :func:`clean_document`."""
    drop: dict[int, str] = {}
    kept = [i for i in range(len(lines)) if keep[i]]
    keys = {i: _dateline_key(lines[i]) for i in kept}
    # 1. teaser fusion: a line equal to 2+ consecutive later paragraphs joined by a space.
    #    First parts are looked up by the line's prefixes ending before a space (dict lookups).
    position = {i: pos for pos, i in enumerate(kept)}
    by_key: dict[str, list[int]] = {}
    for i in kept:
        by_key.setdefault(keys[i], []).append(i)
    for i in kept:
        line = keys[i]
        if len(_words(line)) < 2 * min_words:
            continue
        for space in re.finditer(" ", line):
            for k in by_key.get(line[: space.start()], []):
                if k <= i:
                    continue
                rest, n_parts, nxt = line[space.start() :], 1, position[k] + 1
                while rest and nxt < len(kept) and rest.startswith(" " + keys[kept[nxt]]):
                    rest = rest[len(keys[kept[nxt]]) + 1 :]
                    n_parts, nxt = n_parts + 1, nxt + 1
                if not rest and n_parts >= 2:
                    drop[i] = "fused"
                    break
            if i in drop:
                break
    # 2. verbatim repeats (after a leading dateline is set aside): keep the copy carrying the
    #    dateline if there is one, else the first copy
    groups: dict[str, list[int]] = {}
    for i in kept:
        if i not in drop and len(_words(keys[i])) >= min_words:
            groups.setdefault(keys[i], []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        with_dateline = [i for i in members if lines[i] != keys[i]]
        keeper = with_dateline[0] if with_dateline else members[0]
        for i in members:
            if i != keeper:
                drop[i] = "repeat"
    return drop


def clean_document(
    raw_text: str,
    *,
    max_title_words: int = 20,
    min_live_blog_headings: int = 2,
    min_duplicate_words: int = 4,
) -> CleanedDocument:
    """Clean one raw article: normalised body, furniture removed, headline/byline/outlet/date.

    Each non-empty line of the normalised text is a paragraph. Lines are classified in this order:
    live-blog date headings (when the text has ``min_live_blog_headings`` or more distinct
    date-only lines, each followed by content), date/time-only lines and timestamps, header junk
    in the first three lines, bylines, captions and credits, tag lines, furniture phrases, author
    bios (with the short name/role lines above them), then duplicates among what is left. The
    first remaining line becomes the title when it is headline-like and some body remains. The
    body joins the remaining lines with one blank line; if nothing would remain the normalised
    raw text is returned as the body (and ``removed`` is empty).

    Raises ValueError when the text has no visible characters at all.
    """
    lines = normalise_text(raw_text)
    if not lines:
        raise ValueError("the document has no text")
    n = len(lines)
    reason: list[str | None] = [None] * n
    byline: list[str] = []
    date_candidates: list[tuple[int, int, dt.date, str]] = []  # (priority, line, date, evidence)

    # --- live blog headings
    heading_dates = [_heading_date(line) for line in lines]
    heading_idx = [
        i for i, d in enumerate(heading_dates)
        if d is not None and i + 1 < n and heading_dates[i + 1] is None
    ]  # fmt: skip
    is_live_blog = (
        len(heading_idx) >= min_live_blog_headings
        and len({heading_dates[i] for i in heading_idx}) >= min_live_blog_headings
    )
    if is_live_blog:
        for i in heading_idx:
            reason[i] = "live_blog_heading"

    for i, line in enumerate(lines):
        if reason[i] is not None:
            continue
        if _is_datetime_line(line):
            reason[i] = "furniture"
            head = _RE_UPDATED_TAIL.sub("", line).strip(" ([|,;–—-")
            dates = [d for d in find_dates(head, context=line) if d[0] is not None]
            if dates:
                has_clock = bool(_RE_TIME.search(head) or _RE_TIME_AMPM.search(head))
                labelled = bool(re.match(r"^(?:first\s+)?(?:published|posted)\b", head, re.I))
                priority = 0 if (has_clock or labelled) else 2
                date_candidates.append((priority, i, dates[0][0], head))
            continue
        if i < 3 and _is_header_junk(line):
            reason[i] = "furniture"
            head = _RE_UPDATED_TAIL.sub("", line)
            for date, s, e in find_dates(head, context=line):
                if date is not None:
                    label = re.search(
                        r"(?:\b(?:date|dated|published|posted)\b:?\s*)$", head[:s], re.I
                    )
                    start = label.start() if label else s
                    date_candidates.append((1, i, date, head[start:e].strip()))
                    break
            continue
        names = _byline_names(line)
        if names is not None:
            reason[i] = "byline"
            byline.extend(n_ for n_ in names if n_ not in byline)
            continue
        if _is_caption(line):
            reason[i] = "caption"
            continue
        if _is_tag_line(line):
            reason[i] = "tags"
            continue
        if _is_furniture_phrase(line):
            reason[i] = "furniture"
            continue

    # --- author bios (need the byline, so a second pass)
    outlet: str | None = None
    outlet_evidence: str | None = None
    content_idx = [i for i in range(n) if reason[i] is None]
    for i in content_idx:
        m = _bio_match(lines[i])
        if not m:
            continue
        name = m["name"]
        prev = [j for j in range(i - 1, max(-1, i - 4), -1) if reason[j] is None]
        above: list[int] = []
        for j in prev:
            short = len(_words(lines[j])) <= 5 and not lines[j].endswith(".")
            if short and (
                lines[j] == name or lines[j] in byline or re.search(rf"\b{_ROLE}\b", lines[j], re.I)
            ):
                above.append(j)
            else:
                break
        signals = sum(
            [
                name in byline,
                bool(_RE_BIO_FOLLOW.search(lines[i])),
                i in content_idx[-3:],
                bool(above),
            ]
        )
        if signals < 2:
            continue
        reason[i] = "bio"
        for j in above:
            reason[j] = "bio"
        first_end = re.search(r"[.;]\s+(?=[A-Z])|$", lines[i][m.end() :])
        om = _RE_BIO_OUTLET.search(lines[i], m.start("desc"), m.end() + first_end.start())
        if om and outlet is None:
            outlet = om["outlet"].rstrip(".’'")
            outlet = re.sub(r"^(?:the|The)\s+", "", outlet)
            outlet_evidence = om["evidence"].rstrip(".")

    # --- duplicates among what is left
    for i in _duplicates(lines, [r is None for r in reason], min_words=min_duplicate_words):
        reason[i] = "duplicate"

    # --- title: first remaining line, before any live-blog heading, if some body follows it
    remaining = [i for i in range(n) if reason[i] is None]
    title: str | None = None
    if len(remaining) >= 2:
        first = remaining[0]
        before_headings = not is_live_blog or first < min(heading_idx)
        if before_headings and _is_title_line(lines[first], max_words=max_title_words):
            title = lines[first]
            reason[first] = "title"

    # --- outlet: dateline first, then a bio (above), then repeated self-references
    for i in range(n):
        if reason[i] in (None, "duplicate"):
            m = _RE_DATELINE.match(lines[i])
            if m:
                outlet = m["outlet"].strip()
                outlet_evidence = lines[i][: m.end()].rstrip(" -–—")
                break
    if outlet is None:
        ref = _self_reference_outlet([lines[i] for i in range(n) if reason[i] is None])
        if ref:
            outlet, outlet_evidence = ref

    # --- publication date: timestamps > header line > date-only line > dateline; never body text
    for i in range(n):
        if reason[i] is None:
            m = _RE_DATELINE.match(lines[i])
            if m:
                dates = [d for d in find_dates(m.group(0)) if d[0] is not None]
                if dates:
                    date_candidates.append((3, i, dates[0][0], m.group(0).strip(" -–—")))
                break
    published_date = published_evidence = None
    if date_candidates:
        _, _, published_date, published_evidence = min(date_candidates, key=lambda c: (c[0], c[1]))

    # --- assemble the body and the live-blog spans
    pieces: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    offset = 0
    for i in range(n):
        if reason[i] is None:
            if pieces:
                offset += 2
            spans[i] = (offset, offset + len(lines[i]))
            pieces.append(lines[i])
            offset += len(lines[i])
    removed = [(reason[i], lines[i]) for i in range(n) if reason[i] is not None]
    if not pieces:  # everything looked like furniture: keep the text rather than nothing
        return CleanedDocument(
            text="\n\n".join(lines), title=None, byline=byline, outlet=outlet,
            outlet_evidence=outlet_evidence, published_date=published_date,
            published_evidence=published_evidence, kind="article", live_blog_entries=[], removed=[],
        )  # fmt: skip
    text = "\n\n".join(pieces)

    entries: list[LiveBlogEntry] = []
    if is_live_blog:
        bounds = heading_idx + [n]
        for h, nxt in zip(heading_idx, bounds[1:], strict=True):
            inside = [spans[i] for i in range(h + 1, nxt) if i in spans]
            if inside:
                start, end = inside[0][0], inside[-1][1]
            else:  # an entry with no content left: an empty span where it stood
                after = [spans[i][0] for i in range(nxt, n) if i in spans]
                start = end = after[0] if after else len(text)
            entries.append(LiveBlogEntry(heading_dates[h], lines[h], start, end))

    return CleanedDocument(
        text=text,
        title=title,
        byline=byline,
        outlet=outlet,
        outlet_evidence=outlet_evidence,
        published_date=published_date,
        published_evidence=published_evidence,
        kind="live_blog" if is_live_blog else "article",
        live_blog_entries=entries,
        removed=removed,
    )
