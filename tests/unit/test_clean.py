"""Unit tests of pipeline.clean on short invented texts (never the seeds), one group per rule.

Each removal rule has positive cases (the line is dropped with its reason code) and negative cases
(a real news paragraph that looks a bit like furniture stays in the body).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from pipeline.clean import clean_document, find_dates, normalise_text

TITLE = "Regional Council Approves New Water Plan"
LEAD = "The regional council approved a new water plan on Thursday after a long debate."
MORE = "Officials said the plan would cost about 40 million euros over five years."
LAST = "Opposition members said they would challenge the decision in court."


def article(*middle: str, title: str = TITLE) -> str:
    """An invented article: title, lead, the given lines, two more body paragraphs."""
    return "\n".join([title, LEAD, *middle, MORE, LAST])


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# ------------------------------------------------------------------ normalisation


def test_crlf_and_single_newlines_become_blank_line_paragraphs() -> None:
    result = clean_document("First paragraph here.\r\nSecond paragraph here.\r\n\r\nThird one.\r")
    assert result.text == "First paragraph here.\n\nSecond paragraph here.\n\nThird one."


def test_mojibake_repaired_and_curly_quotes_kept() -> None:
    raw = "Mayor Says He Won't Resign\nThe mayor said he donâ€™t plan to quit.\nHe called it “a witch hunt” and ‘unfair’."
    result = clean_document(raw)
    assert "don’t" in result.text
    assert "“a witch hunt”" in result.text and "‘unfair’" in result.text
    assert '"' not in result.text and "â€" not in result.text


def test_nfc_nbsp_tabs_and_spaces() -> None:
    raw = "Cafe\u0301 owners\u00a0protest\t\ttax   rise\n  The owners of the cafe\u0301 marched on Monday.  "
    lines = normalise_text(raw)
    assert lines == ["Café owners protest tax rise", "The owners of the café marched on Monday."]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_blank_lines_do_not_make_empty_paragraphs() -> None:
    result = clean_document("One paragraph here.\n\n\n\nAnother paragraph here.\n\n")
    assert paragraphs(result.text) == ["One paragraph here.", "Another paragraph here."]


def test_empty_input_raises() -> None:
    with pytest.raises(ValueError):
        clean_document(" \n\t\r\n")


# ------------------------------------------------------------------ title


@pytest.mark.parametrize(
    "first, expected",
    [
        ("Regional Council Approves New Water Plan", "Regional Council Approves New Water Plan"),
        (
            "Council approves water plan after long debate",
            "Council approves water plan after long debate",
        ),
        ("Is the Water Plan Worth It?", "Is the Water Plan Worth It?"),
        (
            "Council, Mayor Clash Over Water Plan - Local Paper",
            "Council, Mayor Clash Over Water Plan - Local Paper",
        ),
        # a long first sentence with a final period is the lead, not a headline
        (
            "The regional council approved a new water plan on Thursday after a long and heated debate that lasted all night.",
            None,
        ),
        ("Council approves plan. Mayor objects", None),
    ],
)
def test_title_detection(first: str, expected: str | None) -> None:
    result = clean_document("\n".join([first, MORE, LAST]))
    assert result.title == expected
    if expected is None:
        assert paragraphs(result.text)[0] == first
    else:
        assert first not in result.text
        assert ("title", first) in result.removed


@pytest.mark.parametrize(
    "raw",
    ["The minister resigned on Monday.", "Minister resigns over energy deal", "Short note"],
)
def test_one_line_document_keeps_its_line_as_body(raw: str) -> None:
    result = clean_document(raw)
    assert result.text == raw
    assert result.title is None


def test_headline_only_document_keeps_it_as_body() -> None:
    result = clean_document("date 2024-05-01 World\nMinister Resigns Over Energy Deal")
    assert result.text == "Minister Resigns Over Energy Deal"
    assert result.title is None


def test_everything_furniture_falls_back_to_normalised_text() -> None:
    raw = "Photo: example.org by Jane Roe\nTuesday, March 10"
    result = clean_document(raw)
    assert result.text == "Photo: example.org by Jane Roe\n\nTuesday, March 10"
    assert result.removed == []


# ------------------------------------------------------------------ bylines


@pytest.mark.parametrize(
    "line, names",
    [
        ("by Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Maria de la Cruz, Reuters", ["Maria de la Cruz"]),
        ("Written by: Anna-Lena Müller & Tom O’Brien", ["Anna-Lena Müller", "Tom O’Brien"]),
        ("(Reporting by Jane Doe and John Roe; Editing by Ann Lee)", ["Jane Doe", "John Roe"]),
    ],
)
def test_byline_extracted_and_removed(line: str, names: list[str]) -> None:
    result = clean_document(article(line))
    assert result.byline == names
    assert line not in result.text
    assert ("byline", line) in result.removed


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the troops had withdrawn from the town.",
        "By contrast, the neighbouring region spent nothing on its pipes",
        "By Train And Bus, Thousands Travel To The Capital For The Rally Every Year Since 2019",
        "By The Sea",
    ],
)
def test_byline_negative(line: str) -> None:
    result = clean_document(article(line))
    assert result.byline == []
    assert line in paragraphs(result.text)


# ------------------------------------------------------------------ captions and credits


@pytest.mark.parametrize(
    "line",
    [
        "Residents queue for water in the old town on May 2, 2024. (Photo by Jane Roe / AFP via Getty Images)",
        "Photo: example.org by John Smith, https://creativecommons.org/licenses/by/4.0/",
        "Image: Jane Roe/Reuters",
        "Firefighters at the scene of the blaze (Photo: city fire service)",
        "A farmer inspects a dry field near Lyon / Wire Service",
        "Flooded streets in the old town (Jane Roe / Picture Agency via Photo Desk)",
        # a caption run together with itself
        "A farmer inspects a dry field near LyonA farmer inspects a dry field near Lyon",
        "Flooded streets in the old town Flooded streets in the old town",
        # a present-tense picture description ending in a date
        "Mayor Ana Lopez, left, and Governor Tim Berg shake hands at the start of a meeting in Lyon, France, June 3, 2021.",
        "The mayor speaks to residents at a town hall in Leeds, 4 June 2022.",
        "Workers repair a water main in the city centre on Aug. 15, 2023.",
    ],
)
def test_caption_removed(line: str) -> None:
    result = clean_document(article(line))
    assert line not in result.text
    assert ("caption", line) in result.removed


@pytest.mark.parametrize(
    "line",
    [
        "The photo by the agency, published on Monday, showed the damage, officials said.",
        "The two leaders met in Geneva on June 16, 2021.",
        "The ministers will meet in Oslo on March 3, 2027.",
        "Investigators said a photo of the scene was taken on May 3, 2021.",
        "Photographers gathered outside the court as the verdict was read.",
        "The mayor speaks to residents every week, she said on June 4, 2022.",
        "He holds talks in Paris on Monday. She arrives on Tuesday, June 4, 2024.",
        "Rain fell again",
        "Tensions rose again along the border (Ukraine/Russia).",
        "The vote was 30 / 12 in favour of the plan, the council said.",
        "Rain fell again Rain fell again but then it stopped",
    ],
)
def test_caption_negative(line: str) -> None:
    result = clean_document(article(line))
    assert line in paragraphs(result.text)
    assert all(reason != "caption" for reason, _ in result.removed)


# ------------------------------------------------------------------ author bios


def test_bio_with_name_and_role_lines_removed_and_outlet_inferred() -> None:
    bio = (
        "Jane Doe is a Berlin-based staff reporter at the Daily Courier. She previously covered "
        "energy markets for a trade magazine."
    )
    raw = article("by Jane Doe") + "\nJane Doe\nStaff Reporter\n" + bio
    result = clean_document(raw)
    assert result.byline == ["Jane Doe"]
    for line in ("Jane Doe", "Staff Reporter", bio):
        assert ("bio", line) in result.removed
    assert bio not in result.text and "Staff Reporter" not in result.text
    assert result.outlet == "Daily Courier"
    assert result.outlet_evidence == "staff reporter at the Daily Courier"
    assert paragraphs(result.text)[-1] == LAST


def test_bio_without_byline_at_end_with_career_sentence() -> None:
    bio = "John Roe is a correspondent for the Evening Ledger. He joined the paper in 2015."
    result = clean_document(article() + "\n" + bio)
    assert ("bio", bio) in result.removed
    assert result.outlet == "Evening Ledger"


@pytest.mark.parametrize(
    "line",
    [
        "Jane Roe is a reporter at the Daily Planet who was detained in the capital on Monday, her lawyer said.",
        "John Roe is a correspondent for the Evening Ledger. He was arrested at the border on Friday.",
    ],
)
def test_bio_negative_news_paragraph_kept(line: str) -> None:
    raw = "\n".join([TITLE, LEAD, line, MORE, LAST, "The council meets again next month."])
    result = clean_document(raw)
    assert line in paragraphs(result.text)
    assert result.outlet is None


# ------------------------------------------------------------------ tag lines


@pytest.mark.parametrize(
    "line",
    [
        "water-plan vote, council-budget row, regional elections",
        "water plan, council budget, regional elections, flooding",
        "water plan vote, water plan debate",
        "Tags: Water, Council, Budget",
        "#waterplan #council #budget",
    ],
)
def test_tag_line_removed(line: str) -> None:
    result = clean_document(article(line))
    assert line not in result.text
    assert ("tags", line) in result.removed


@pytest.mark.parametrize(
    "line",
    [
        "Troops, tanks, and artillery were moved to the border, officials said.",
        "apples, pears and plums were on sale at the market.",
        "and the minister, who resigned, said nothing",
        "meanwhile, prices rose, wages fell",
        "Water, Power and Roads: What the Plan Covers",
    ],
)
def test_tag_line_negative(line: str) -> None:
    result = clean_document(article(line))
    assert line in paragraphs(result.text)


# ------------------------------------------------------------------ timestamps and dates


@pytest.mark.parametrize(
    "line, date, evidence",
    [
        (
            "14:05 GMT 03.04.2025 (Updated: 09:00 GMT 04.04.2025)",
            dt.date(2025, 4, 3),
            "14:05 GMT 03.04.2025",
        ),
        (
            "Published 10:30 am EST 04/03/2025",
            dt.date(2025, 4, 3),
            "Published 10:30 am EST 04/03/2025",
        ),
        ("18:40 UTC 04/03/2025", dt.date(2025, 3, 4), "18:40 UTC 04/03/2025"),
        ("Published: 25/12/2024", dt.date(2024, 12, 25), "Published: 25/12/2024"),
        ("April 3, 2025", dt.date(2025, 4, 3), "April 3, 2025"),
        ("3 April 2025", dt.date(2025, 4, 3), "3 April 2025"),
        (
            "Thursday, 3rd April 2025 | 16:20",
            dt.date(2025, 4, 3),
            "Thursday, 3rd April 2025 | 16:20",
        ),
        ("2025-04-03", dt.date(2025, 4, 3), "2025-04-03"),
    ],
)
def test_timestamp_and_date_lines(line: str, date: dt.date, evidence: str) -> None:
    result = clean_document(article(line))
    assert line not in result.text
    assert ("furniture", line) in result.removed
    assert result.published_date == date
    assert result.published_evidence == evidence


@pytest.mark.parametrize(
    "line",
    ["Tuesday, March 10", "Updated: 09:00 GMT 04.04.2025", "04/03/2025", "Wed 12 Jun"],
)
def test_date_lines_removed_without_publication_date(line: str) -> None:
    """No year, an 'Updated' stamp or an ambiguous day-month order: removed, not a publication date."""
    result = clean_document(article(line))
    assert ("furniture", line) in result.removed
    assert result.published_date is None
    assert result.published_evidence is None


def test_header_junk_line_gives_date() -> None:
    raw = " date 2025-04-03 Tech logo\n" + article()
    result = clean_document(raw)
    assert ("furniture", "date 2025-04-03 Tech logo") in result.removed
    assert result.published_date == dt.date(2025, 4, 3)
    assert result.published_evidence == "date 2025-04-03"
    assert result.title == TITLE


def test_timestamp_preferred_over_header_and_body_dates() -> None:
    raw = "\n".join(
        [
            "date 2025-04-02 World",
            TITLE,
            "The vote was first planned for March 1, 2025, officials said.",
            "09:15 GMT 03.04.2025",
            LEAD,
        ]
    )
    result = clean_document(raw)
    assert result.published_date == dt.date(2025, 4, 3)


@pytest.mark.parametrize(
    "line",
    [
        "The strike hit at 14:05 on 3 April 2025, the ministry said.",
        "On 2025-04-03 the court ruled against the council.",
        "March 3, 2025 was the wettest day on record, forecasters said.",
    ],
)
def test_body_dates_are_not_publication_dates_nor_removed(line: str) -> None:
    result = clean_document(article(line))
    assert line in paragraphs(result.text)
    assert result.published_date is None


def test_caption_date_is_not_publication_date() -> None:
    line = "The mayor speaks to residents at a town hall in Leeds, 4 June 2022."
    result = clean_document(article(line))
    assert result.published_date is None


def test_header_junk_negative_first_line_sentence() -> None:
    raw = "On 2025-04-03 the court ruled against him.\n" + MORE
    result = clean_document(raw)
    assert paragraphs(result.text)[0] == "On 2025-04-03 the court ruled against him."
    assert result.published_date is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on 2026-03-09 and", [dt.date(2026, 3, 9)]),
        ("on 9 March 2026", [dt.date(2026, 3, 9)]),
        ("on March 9, 2026", [dt.date(2026, 3, 9)]),
        ("on Sept. 30, 2024", [dt.date(2024, 9, 30)]),
        ("on the 1st of May 2024", [dt.date(2024, 5, 1)]),
        ("09.03.2026", [dt.date(2026, 3, 9)]),
        ("21:02 GMT 09/03/2026", [dt.date(2026, 3, 9)]),
        ("9:02 pm 09/03/2026", [dt.date(2026, 9, 3)]),
        ("13/03/2026", [dt.date(2026, 3, 13)]),
        ("03/13/2026", [dt.date(2026, 3, 13)]),
        ("09/03/2026", [None]),
        ("31.02.2026", [None]),
        ("on March 9 and in 2026", []),
    ],
)
def test_find_dates_formats_and_day_month_order(text: str, expected: list[dt.date | None]) -> None:
    assert [d for d, _, _ in find_dates(text)] == expected


# ------------------------------------------------------------------ furniture phrases


@pytest.mark.parametrize(
    "line",
    [
        "This live stream has ended.",
        "This live blog is no longer being updated.",
        "READ MORE about the council’s previous water plans.",
        "Read more: Council rejects budget",
        "Read the minister’s statement in full",
        "Read Smith’s full op-ed.",
        "For more on the water plan, read this related article. Explore our coverage of local politics.",
    ],
)
def test_furniture_phrase_removed(line: str) -> None:
    result = clean_document(article(line))
    assert line not in result.text
    assert ("furniture", line) in result.removed


@pytest.mark.parametrize(
    "line",
    [
        "Read the full report before voting, the chairman urged lawmakers on Tuesday.",
        "For more than a decade, residents have complained about the water supply.",
        "Readers of the local paper were asked to vote on the plan.",
        "The live stream of the council meeting ended abruptly when the power failed.",
    ],
)
def test_furniture_phrase_negative(line: str) -> None:
    result = clean_document(article(line))
    assert line in paragraphs(result.text)


# ------------------------------------------------------------------ duplicates


def test_verbatim_repeat_kept_once() -> None:
    repeat = "The plan includes new pipes for the three largest towns in the region."
    result = clean_document(article(repeat, "Critics called it too little, too late.", repeat))
    assert result.text.count(repeat) == 1
    assert ("duplicate", repeat) in result.removed


def test_dateline_copy_preferred_over_teaser_copy() -> None:
    lead = "The regional council approved a new water plan on Thursday."
    raw = "\n".join([TITLE, lead, "Some Section", f"LYON (Local Wire) - {lead}", MORE])
    result = clean_document(raw)
    assert result.text.count(lead) == 1
    assert f"LYON (Local Wire) - {lead}" in paragraphs(result.text)
    assert ("duplicate", lead) in result.removed
    assert result.outlet == "Local Wire"
    assert result.outlet_evidence == "LYON (Local Wire)"


def test_teaser_fusing_later_paragraphs_is_dropped() -> None:
    a = "The council approved the plan by 30 votes to 12 on Thursday."
    b = "“This is a historic day for the region,” the council leader said."
    teaser = f"{a} {b}"
    raw = "\n".join([TITLE, teaser, "water-plan vote, council vote, budget", a, b, MORE])
    result = clean_document(raw)
    assert ("duplicate", teaser) in result.removed
    assert paragraphs(result.text) == [a, b, MORE]


def test_teaser_fusion_negative_extra_words_kept() -> None:
    a = "The council approved the plan by 30 votes to 12 on Thursday."
    b = "“This is a historic day for the region,” the council leader said."
    longer = f"{a} {b} Opponents walked out."
    raw = "\n".join([TITLE, longer, a, b, MORE])
    result = clean_document(raw)
    assert longer in paragraphs(result.text)
    assert all(reason != "duplicate" for reason, _ in result.removed)


def test_short_repeated_lines_are_not_duplicates() -> None:
    raw = "\n".join([TITLE, LEAD, "Background", MORE, "Background", LAST])
    result = clean_document(raw)
    assert paragraphs(result.text).count("Background") == 2


# ------------------------------------------------------------------ outlet from self-references


def test_outlet_from_repeated_self_references() -> None:
    raw = "\n".join(
        [
            LEAD,
            "The deal is a turning point, argues economist Ann Lee in an op-ed for Metro Wire.",
            "A local farmer, speaking to Metro Wire, said the plan came too late.",
            MORE,
        ]
    )
    result = clean_document(raw)
    assert result.outlet == "Metro Wire"
    assert result.outlet_evidence == "in an op-ed for Metro Wire; speaking to Metro Wire"


@pytest.mark.parametrize(
    "lines",
    [
        # two interviews given to another outlet are not self-references
        [
            "The mayor told City Radio the plan was fair.",
            "A farmer told City Radio it came too late.",
        ],
        # one piece written for an outlet is not enough
        ["The deal is a turning point, argues Ann Lee in an op-ed for Metro Wire."],
        # lower-case words are not a name
        ["She wrote in a column for local readers.", "He told reporters the plan was fair."],
    ],
)
def test_outlet_self_reference_negative(lines: list[str]) -> None:
    result = clean_document("\n".join([LEAD, *lines, MORE]))
    assert result.outlet is None
    assert result.outlet_evidence is None


# ------------------------------------------------------------------ live blogs


LIVE = "\n".join(
    [
        "Storms hit the coast as officials ordered evacuations in three towns.",
        "Forecasters expect more rain later this week.",
        "20 May 2024",
        "This live stream has ended.",
        "Rescue teams reached the last cut-off village on Monday night.",
        "Power was restored to most homes.",
        "May 19, 2024",
        "The first evacuation order was issued on Sunday morning.",
        "Tuesday, 18 May 2024",
        "Forecasters issued a red warning.",
    ]
)


def test_live_blog_detected_with_entry_spans() -> None:
    result = clean_document(LIVE)
    assert result.kind == "live_blog"
    assert result.published_date is None
    assert result.title is None
    assert [e.entry_date for e in result.live_blog_entries] == [
        dt.date(2024, 5, 20),
        dt.date(2024, 5, 19),
        dt.date(2024, 5, 18),
    ]
    assert [e.heading for e in result.live_blog_entries] == [
        "20 May 2024",
        "May 19, 2024",
        "Tuesday, 18 May 2024",
    ]
    first, second, third = (result.text[e.start : e.end] for e in result.live_blog_entries)
    assert (
        first
        == "Rescue teams reached the last cut-off village on Monday night.\n\nPower was restored to most homes."
    )
    assert second == "The first evacuation order was issued on Sunday morning."
    assert third == "Forecasters issued a red warning."
    assert result.text.startswith("Storms hit the coast")
    assert result.live_blog_entries[0].start > 0
    assert ("live_blog_heading", "20 May 2024") in result.removed
    assert "20 May 2024" not in result.text
    assert ("furniture", "This live stream has ended.") in result.removed


def test_live_blog_with_stated_publication_date() -> None:
    result = clean_document("08:00 GMT 21.05.2024\n" + LIVE)
    assert result.kind == "live_blog"
    assert result.published_date == dt.date(2024, 5, 21)


@pytest.mark.parametrize(
    "raw",
    [
        # one date line is furniture (and a stated date), not a live blog
        "\n".join([TITLE, "20 May 2024", LEAD, MORE]),
        # the same date twice is not a dated structure
        "\n".join([TITLE, "20 May 2024", LEAD, "20 May 2024", MORE]),
        # dates inside sentences are not headings
        "\n".join(
            [
                TITLE,
                "On 20 May 2024 the storm hit.",
                LEAD,
                "On 19 May 2024 warnings were issued.",
                MORE,
            ]
        ),
    ],
)
def test_live_blog_negative(raw: str) -> None:
    result = clean_document(raw)
    assert result.kind == "article"
    assert result.live_blog_entries == []


# ------------------------------------------------------------------ whole-document invariants


def test_removed_lines_are_recorded_in_order_and_absent() -> None:
    raw = "\n".join(
        [
            "date 2025-04-03 Tech logo",
            TITLE,
            "by Jane Doe",
            "Residents queue for water. (Photo by Jane Roe / AFP via Getty Images)",
            LEAD,
            "water-plan vote, council-budget row",
            MORE,
            "READ MORE about the council.",
            LAST,
        ]
    )
    result = clean_document(raw)
    assert [r for r, _ in result.removed] == [
        "furniture",
        "title",
        "byline",
        "caption",
        "tags",
        "furniture",
    ]
    assert paragraphs(result.text) == [LEAD, MORE, LAST]


def test_many_paragraphs_stay_fast() -> None:
    """Duplicate and fusion checks must not be quadratic in practice (5,000 paragraphs)."""
    import time

    body = [
        f"Paragraph number {i} says the council met and voted on item {i}." for i in range(5000)
    ]
    started = time.perf_counter()
    result = clean_document("\n".join([TITLE, *body]))
    assert time.perf_counter() - started < 10
    assert len(paragraphs(result.text)) == 5000
