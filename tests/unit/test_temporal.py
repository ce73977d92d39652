"""Date rules of pipeline.nlp.temporal (pure functions, no model)."""

from datetime import date

import pytest

from pipeline.nlp.temporal import is_temporal, partial_date, resolve_date

TUE = date(2025, 3, 18)  # a Tuesday
MON = date(2026, 3, 9)  # a Monday


@pytest.mark.parametrize(
    ("expression", "reference", "tense", "expected"),
    [
        # same weekday, past tense: that very day
        ("on Tuesday", TUE, "past", (date(2025, 3, 18), "day")),
        ("on Monday", MON, "past", (date(2026, 3, 9), "day")),
        ("Tuesday evening", TUE, "past", (date(2025, 3, 18), "day")),
        # earlier weekday, past tense: the latest one before
        ("on Sunday", TUE, "past", (date(2025, 3, 16), "day")),
        ("on Monday", TUE, "present", (date(2025, 3, 17), "day")),
        # future tense: strictly after the reference
        ("on Wednesday", TUE, "future", (date(2025, 3, 19), "day")),
        ("on Tuesday", TUE, "future", (date(2025, 3, 25), "day")),
        ("next Tuesday", TUE, "past", (date(2025, 3, 25), "day")),
        ("last Tuesday", TUE, "past", (date(2025, 3, 11), "day")),
        # relative periods
        ("last week", TUE, "past", (date(2025, 3, 11), "day")),
        ("last month", TUE, "past", (date(2025, 2, 1), "month")),
        ("last year", TUE, "past", (date(2024, 1, 1), "year")),
        ("today", TUE, "present", (TUE, "day")),
        ("this evening", MON, "past", (MON, "day")),
        ("yesterday", TUE, "past", (date(2025, 3, 17), "day")),
        ("tomorrow", TUE, "future", (date(2025, 3, 19), "day")),
        # months
        ("in early March", TUE, "past", (date(2025, 3, 1), "month")),
        ("in early August", TUE, "past", (date(2024, 8, 1), "month")),
        ("in late August", TUE, "future", (date(2025, 8, 1), "month")),
        ("since March 2022", TUE, "past", (date(2022, 3, 1), "month")),
        ("at the end of December 2025", MON, "past", (date(2025, 12, 1), "month")),
        # explicit dates with and without a year
        ("on March 19", TUE, "future", (date(2025, 3, 19), "day")),
        ("on February 28", TUE, "past", (date(2025, 2, 28), "day")),
        ("19 March", TUE, "future", (date(2025, 3, 19), "day")),
        ("on December 20", date(2025, 1, 5), "past", (date(2024, 12, 20), "day")),
        ("on January 3", date(2025, 12, 20), "future", (date(2026, 1, 3), "day")),
        ("Aug. 15, 2025", TUE, "past", (date(2025, 8, 15), "day")),
        ("July 16, 2018", None, "past", (date(2018, 7, 16), "day")),
        ("2025-03-19", None, "past", (date(2025, 3, 19), "day")),
        ("in 2022", TUE, "past", (date(2022, 1, 1), "year")),
        # no reference and no year: unknown, never a guess
        ("on Thursday", None, "past", (None, None)),
        ("on June 14", None, "past", (None, None)),
        ("last week", None, "past", (None, None)),
        # not resolvable
        ("this week", TUE, "past", (None, None)),
        ("the 1970s", TUE, "past", (None, None)),
        ("", TUE, "past", (None, None)),
    ],
)
def test_resolve_date(expression, reference, tense, expected):
    assert resolve_date(expression, reference, tense=tense) == expected


def test_partial_date_keeps_day_and_month():
    assert partial_date("on June 14") == "XXXX-06-14"
    assert partial_date("in June") == "XXXX-06"
    assert partial_date("June 14, 2025") is None


@pytest.mark.parametrize("text", ["on Tuesday", "February", "early March", "last week", "today", "2022"])
def test_is_temporal(text):
    assert is_temporal(text)


@pytest.mark.parametrize("text", ["may", "the march", "several months"])
def test_not_temporal(text):
    assert not is_temporal(text)
