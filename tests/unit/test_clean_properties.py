"""Property tests of the cleaning stage's invariants over random documents."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_document

SENTENCES = st.sampled_from(
    [
        "The minister said the talks would continue next week.",
        "Officials confirmed that 40 people had been evacuated from the area.",
        "“We are ready to negotiate,” the spokeswoman told reporters.",
        "Protesters gathered outside parliament on Tuesday.",
        "by Jane Example",
        "Photo: Agency / Someone",
        "READ MORE about the talks.",
        "economy, trade-talks, tariffs",
        "This live stream has ended.",
        "",
        "   ",
        "Café owners in Zürich — and elsewhere — closed early.",
    ]
)
HEADINGS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)).map(
    lambda d: f"{d.day} {d:%B %Y}"
)
LINES = st.lists(st.one_of(SENTENCES, SENTENCES, HEADINGS), min_size=1, max_size=30)
ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=200, deadline=None)
@given(lines=LINES, ending=ENDINGS)
def test_clean_properties_text_never_empty_and_entries_in_range(lines, ending):
    raw = ending.join(lines)
    if not raw.strip():
        return  # blank input is rejected at ingestion, never cleaned
    doc = clean_document(raw)
    assert doc.text.strip(), "a cleaned document must never be empty"
    assert "\r" not in doc.text
    previous_end = 0
    for entry in doc.live_blog_entries:
        assert 0 <= entry.start <= entry.end <= len(doc.text)
        assert entry.start >= previous_end, "entries must not overlap"
        previous_end = entry.end
    assert (doc.kind == "live_blog") == bool(doc.live_blog_entries)


@settings(max_examples=100, deadline=None)
@given(lines=LINES)
def test_clean_properties_recleaning_own_output_keeps_text(lines):
    raw = "\n".join(lines)
    if not raw.strip():
        return
    once = clean_document(raw).text
    assert clean_document(once).text.strip()
