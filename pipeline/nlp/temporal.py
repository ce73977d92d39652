"""Resolve temporal expressions of news text to calendar dates.

`resolve_date(expression, reference, tense=...)` turns one expression ("on Tuesday", "last week",
"in early March", "March 19", "at the end of December 2025") into `(date, precision)` with precision
'day', 'month' or 'year', or `(None, None)` when it cannot be resolved without guessing.

The reference is the date the words were written: the document's published_date, or for a statement
inside a live-blog entry, the entry's date. The tense ('past', 'present' or 'future') is the tense of
the clause the expression modifies; it decides which way a bare weekday or month points.

Conventions (news usage, documented here once):

* today / tonight / this morning / this evening / earlier today -> the reference day.
  yesterday -> reference - 1; tomorrow -> reference + 1; the day before yesterday -> - 2.
* A bare weekday ("on Tuesday", "Tuesday morning"):
    - past or present tense: the latest such weekday on or before the reference day (a report
      written on a Monday that says "on Monday" means that day);
    - future tense: the next such weekday strictly after the reference day (a Monday report about
      something that "will happen today" says "today", not "on Monday").
  "last Tuesday" is the latest strictly before the reference; "next Tuesday" the first strictly after.
* "last week" -> reference - 7 days, precision 'day' (the same weekday one week earlier: the
  conventional anchor of event coders for an event of the previous week; it is a convention, not a
  certainty). "next week" -> reference + 7 days. "this week", "recently", "earlier" -> unresolved.
* "last month" / "this month" / "next month" -> the first day of that month, precision 'month'.
  "last year" / "this year" / "next year" -> 1 January, precision 'year'.
* A month with or without "early", "mid", "late", "the end of", "the beginning of" -> the first of
  the month, precision 'month'. Without a year the year is inferred from the reference and tense
  (below).
* An explicit day ("March 19", "19 March", "Aug. 15, 2025", "2025-03-19", "19.03.2025") -> that day.
* A year alone ("in 2022") -> 1 January, precision 'year'.
* Year inference when the expression states no year: the reference's year, then
    - past tense: if the result is more than 2 days after the reference, the previous year;
    - future tense: if the result is more than 2 days before the reference, the next year;
    - present/unknown tense: the candidate of the previous, same or next year nearest to the
      reference (so a date about six months away or more flips to the adjacent year).
* No reference and no year stated -> (None, None). `partial_date` gives the 'XXXX-MM-DD' form.

dateparser is used only as a last resort for explicit dates the rules above do not read, with
RELATIVE_BASE set to the reference and PREFER_DATES_FROM derived from the tense.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"

_TODAY = re.compile(r"\b(today|tonight|this (?:morning|afternoon|evening)|earlier today|later today|now)\b")
_YESTERDAY = re.compile(r"\b(?:the day before yesterday|yesterday)\b")
_TOMORROW = re.compile(r"\b(?:the day after tomorrow|tomorrow)\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")s?\b"
)
_REL_PERIOD = re.compile(r"\b(?P<rel>last|past|previous|next|coming|this)\s+(?P<unit>week|month|year)\b")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_DOTTED = re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH_RE + r"\s+" + _DAY_RE + r"\b(?:,?\s+" + _YEAR_RE + r")?")
_DAY_MONTH = re.compile(r"\b" + _DAY_RE + r"\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+" + _YEAR_RE + r")?")
_MONTH_ONLY = re.compile(r"\b" + _MONTH_RE + r"(?:\s+(?:of\s+)?" + _YEAR_RE + r")?\b")
_YEAR_ONLY = re.compile(r"(?<![\d-])" + _YEAR_RE + r"(?!s|\d|-)")

_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d\d){1,2}\b")

TENSES = ("past", "present", "future")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_year(candidate: date, years: int) -> date | None:
    return _safe_date(candidate.year + years, candidate.month, candidate.day)


def _infer_year(month: int, day: int, reference: date, tense: str, slack: int = 2) -> date | None:
    """The date (month, day) in the year the reference and tense point to."""
    candidate = _safe_date(reference.year, month, day)
    if candidate is None:  # 29 February in a non-leap year: look at the neighbours
        for delta in (-1, 1, -2, 2, -3, 3):
            candidate = _safe_date(reference.year + delta, month, day)
            if candidate is not None:
                return candidate
        return None
    if tense == "past":
        if candidate > reference + timedelta(days=slack):
            return _shift_year(candidate, -1)
        return candidate
    if tense == "future":
        if candidate < reference - timedelta(days=slack):
            return _shift_year(candidate, 1)
        return candidate
    options = [c for c in (_shift_year(candidate, -1), candidate, _shift_year(candidate, 1)) if c]
    return min(options, key=lambda c: abs((c - reference).days))


def _infer_month_year(month: int, reference: date, tense: str) -> date:
    """The first of `month` in the year the reference and tense point to."""
    if tense == "past":
        year = reference.year - 1 if month > reference.month else reference.year
    elif tense == "future":
        year = reference.year + 1 if month < reference.month else reference.year
    else:
        diff = month - reference.month
        year = reference.year + (1 if diff < -6 else -1 if diff > 6 else 0)
    return date(year, month, 1)


def _weekday(wd: int, rel: str | None, reference: date, tense: str) -> date:
    back = (reference.weekday() - wd) % 7  # days back to the latest such weekday (0 = today)
    ahead = (wd - reference.weekday()) % 7 or 7  # days ahead to the next one (never today)
    if rel in ("last", "past"):
        return reference - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return reference + timedelta(days=ahead)
    if rel == "this":
        return reference + timedelta(days=ahead) if tense == "future" else reference - timedelta(days=back)
    if tense == "future":
        return reference + timedelta(days=ahead)
    return reference - timedelta(days=back)


def _month_delta(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def normalise_tense(tense: str | None) -> str:
    tense = (tense or "present").lower()
    return tense if tense in TENSES else "present"


def resolve_date(expression: str, reference: date | None, *, tense: str) -> tuple[date | None, str | None]:
    """Resolve one temporal expression against `reference`; see the module docstring for the rules.

    Returns (date, precision) with precision 'day', 'month' or 'year', or (None, None).
    """
    if not expression:
        return None, None
    tense = normalise_tense(tense)
    text = " ".join(expression.lower().replace("’", "'").split())

    # Absolute forms first: they carry their own year.
    for pattern in (_ISO, _DOTTED):
        m = pattern.search(text)
        if m:
            d = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
            if d:
                return d, "day"
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if m:
            month, day = MONTHS[m["month"]], int(m["day"])
            if not 1 <= day <= 31:
                continue
            if m["year"]:
                d = _safe_date(int(m["year"]), month, day)
                return (d, "day") if d else (None, None)
            if reference is None:
                return None, None
            d = _infer_year(month, day, reference, tense)
            return (d, "day") if d else (None, None)
    m = _MONTH_ONLY.search(text)
    if m and not (m["month"] in ("may", "march") and not _looks_like_month(text, m)):
        month = MONTHS[m["month"]]
        if m["year"]:
            return date(int(m["year"]), month, 1), "month"
        if reference is None:
            return None, None
        return _infer_month_year(month, reference, tense), "month"

    m = _NUMERIC.search(text)
    if m and reference is not None:
        return _dateparser_fallback(m.group(0), reference, tense)
    # Relative forms need a reference.
    if reference is None:
        m = _YEAR_ONLY.search(text)
        return (date(int(m["year"]), 1, 1), "year") if m else (None, None)
    m = _YESTERDAY.search(text)
    if m:
        return reference - timedelta(days=2 if "before" in m.group(0) else 1), "day"
    m = _TOMORROW.search(text)
    if m:
        return reference + timedelta(days=2 if "after" in m.group(0) else 1), "day"
    m = _WEEKDAY.search(text)
    if m:
        return _weekday(WEEKDAYS[m["wd"]], m["rel"], reference, tense), "day"
    if _TODAY.search(text):
        return reference, "day"
    m = _REL_PERIOD.search(text)
    if m:
        rel, unit = m["rel"], m["unit"]
        step = -1 if rel in ("last", "past", "previous") else 1 if rel in ("next", "coming") else 0
        if unit == "week":
            return (reference + timedelta(days=7 * step), "day") if step else (None, None)
        if unit == "month":
            return _month_delta(reference, step), "month"
        return date(reference.year + step, 1, 1), "year"
    m = _YEAR_ONLY.search(text)
    if m:
        return date(int(m["year"]), 1, 1), "year"
    return None, None


def _looks_like_month(text: str, m: re.Match) -> bool:
    """'may' and 'march' are also a verb and a noun: accept them as months only in date context."""
    if m["year"]:
        return True
    before = text[: m.start()].split()[-1:] or [""]
    return before[0] in ("in", "early", "mid", "late", "of", "since", "until", "by", "from", "last", "next", "this", "mid-")


def _dateparser_fallback(text: str, reference: date, tense: str) -> tuple[date | None, str | None]:
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None, None
    settings = {
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day),
        "PREFER_DATES_FROM": {"past": "past", "future": "future"}.get(tense, "current_period"),
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None, None
    return (parsed.date(), "day") if parsed else (None, None)


def partial_date(expression: str) -> str | None:
    """'XXXX-MM-DD' (or 'XXXX-MM') for a day/month stated without a year, else None."""
    text = " ".join(expression.lower().split())
    if _YEAR_ONLY.search(text):
        return None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if m and 1 <= int(m["day"]) <= 31:
            return f"XXXX-{MONTHS[m['month']]:02d}-{int(m['day']):02d}"
    m = _MONTH_ONLY.search(text)
    if m and _month_ok(text):
        return f"XXXX-{MONTHS[m['month']]:02d}"
    return None


def _month_ok(text: str) -> bool:
    m = _MONTH_ONLY.search(text)
    return bool(m) and (m["month"] not in ("may", "march") or _looks_like_month(text, m))


def is_temporal(expression: str) -> bool:
    """Whether the text contains something `resolve_date` can read (with some reference)."""
    text = " ".join(expression.lower().split())
    return bool(
        _ISO.search(text) or _DOTTED.search(text) or _MONTH_DAY.search(text) or _DAY_MONTH.search(text)
        or _month_ok(text)
        or _YEAR_ONLY.search(text) or _TODAY.search(text) or _YESTERDAY.search(text)
        or _TOMORROW.search(text) or _WEEKDAY.search(text) or _REL_PERIOD.search(text)
    )
