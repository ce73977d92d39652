"""Schema validation and cross-table invariants fail on broken data and pass on good data."""

import polars as pl
import pytest

from pipeline import checks
from schemas import TABLES


def _docs(texts: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"doc_id": list(texts), "source_path": [f"{k}.txt" for k in texts], "text": list(texts.values())})


def test_checks_validate_table_reports_duplicate_ids():
    spec = TABLES["rejected_documents"]
    df = pl.DataFrame(
        {"source_path": ["a", "a"], "sha256": [None, None], "n_bytes": [0, 0], "reason": ["empty", "empty"],
         "detail": ["a is empty; add text.", "a is empty; add text."], "duplicate_of": [None, None]},
        schema=spec.polars_schema(),
    )
    passed, failures = checks.validate_table(df, spec)
    assert not passed
    assert "source_path" in failures["column"].to_list()


def test_checks_validate_table_rejects_unknown_reason():
    spec = TABLES["rejected_documents"]
    df = pl.DataFrame(
        {"source_path": ["a"], "sha256": [None], "n_bytes": [0], "reason": ["weird"], "detail": ["a is weird; fix it."], "duplicate_of": [None]},
        schema=spec.polars_schema(),
    )
    assert not checks.validate_table(df, spec)[0]


@pytest.mark.parametrize(
    ("inputs", "kept", "dropped", "expected_problem"),
    [
        (["a", "b"], ["a"], ["b"], None),
        (["a", "b"], ["a"], [], "b is in neither"),
        (["a"], ["a"], ["a"], "in both"),
        (["a"], ["a", "z"], [], "z is not in input_files"),
    ],
)
def test_checks_every_input_accounted_for(inputs, kept, dropped, expected_problem):
    files = pl.DataFrame({"source_path": inputs})
    docs = pl.DataFrame({"source_path": kept, "doc_id": [f"id{p}" for p in kept]})
    raw = docs.select("doc_id")
    rejected = pl.DataFrame({"source_path": dropped}, schema={"source_path": pl.Utf8})
    problems = checks.every_input_accounted_for(files, raw, rejected, docs)
    if expected_problem is None:
        assert problems == []
    else:
        assert any(expected_problem in p for p in problems), problems


@pytest.mark.parametrize(("start", "end", "ok"), [(0, 5, True), (2, 11, True), (0, 12, False), (-1, 2, False), (5, 3, False)])
def test_checks_spans_within_text(start, end, ok):
    docs = _docs({"d": "Hello world"})
    spans = pl.DataFrame({"doc_id": ["d"], "start": [start], "end": [end]})
    assert (checks.spans_within_text(spans, docs) == []) is ok


def test_checks_spans_slice_exactly():
    docs = _docs({"d": "Putin said hello."})
    good = pl.DataFrame({"doc_id": ["d"], "start": [0], "end": [5], "text": ["Putin"]})
    bad = pl.DataFrame({"doc_id": ["d"], "start": [0], "end": [4], "text": ["Putin"]})
    assert checks.spans_slice_exactly(good, docs) == []
    assert checks.spans_slice_exactly(bad, docs)


def test_checks_foreign_key():
    child = pl.DataFrame({"entity_id": ["a", None, "b"]})
    parent = pl.DataFrame({"entity_id": ["a"]})
    assert checks.foreign_key_holds(child, parent, "entity_id", "entity_id") == ["entity_id='b' has no row in the referenced table"]


def _clusters(rows: list[tuple[str, list[str]]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"cluster_id": [c for c, _ in rows], "event_ids": [m for _, m in rows], "n_events": [len(m) for _, m in rows]},
        schema={"cluster_id": pl.Utf8, "event_ids": pl.List(pl.Utf8), "n_events": pl.Int64},
    )


@pytest.mark.parametrize(
    ("members", "clusters", "expected_problem"),
    [
        ({"e1": "c1", "e2": "c1", "e3": "c2"}, [("c1", ["e1", "e2"]), ("c2", ["e3"])], None),
        ({"e1": "c1", "e2": "c9"}, [("c1", ["e1"])], "'c9' of 1 member row(s) is not a cluster"),
        ({"e1": "c1"}, [("c1", ["e1"]), ("c2", ["e2"])], "cluster c2 has no member rows"),
        ({"e1": "c1", "e2": "c1"}, [("c1", ["e1"])], "n_events=1 but 2 member rows"),
        ({"e1": "c1", "e2": "c2"}, [("c1", ["e2"]), ("c2", ["e1"])], "event_ids differs"),
    ],
)
def test_checks_cluster_members_agree(members, clusters, expected_problem):
    events = pl.DataFrame({"event_id": list(members), "cluster_id": list(members.values())})
    problems = checks.cluster_members_agree(events, _clusters(clusters), "event_id", "cluster_id", "n_events", "event_ids")
    if expected_problem is None:
        assert problems == []
    else:
        assert any(expected_problem in p for p in problems), problems
