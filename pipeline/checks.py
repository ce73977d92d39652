"""Asset checks: one blocking schema check per table, made by one factory, plus invariants.

The schema check reads the table's Parquet file back and validates it against its pandera model
(lazily, so every failure is reported at once); the failure cases go into the check's metadata.
Invariant checks cover what one table's schema cannot see: relations between tables.
"""


from collections.abc import Callable, Iterable

import pandera.polars as pa
import polars as pl
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    MetadataValue,
    asset_check,
)

from pipeline.io import read_table
from pipeline.io_manager import preview_markdown
from pipeline.settings import ReadoutSettings
from schemas import TABLES, TableSpec

MAX_FAILURES_SHOWN = 20


def validate_table(df: pl.DataFrame, spec: TableSpec) -> tuple[bool, pl.DataFrame]:
    """Validate a frame against its pandera model; returns (passed, failure cases)."""
    try:
        spec.model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return False, err.failure_cases
    except pa.errors.SchemaError as err:  # raised instead of SchemaErrors for some frame-level errors
        return False, pl.DataFrame({"failure_case": [str(err)]})
    return True, pl.DataFrame()


def schema_check(spec: TableSpec) -> AssetChecksDefinition:
    """A blocking check that `tables/<name>.parquet` conforms to its pandera model."""

    @asset_check(
        asset=spec.name,
        name=f"{spec.name}_matches_schema",
        blocking=True,
        description=f"tables/{spec.name}.parquet validates against the pandera model {spec.model.__name__} (types, nulls, ranges, uniqueness).",
    )
    def _check(context: AssetCheckExecutionContext, readout: ReadoutSettings) -> AssetCheckResult:
        df = read_table(spec.name, readout.output_path)
        passed, failures = validate_table(df, spec)
        metadata = {"num_rows": MetadataValue.int(df.height), "num_failures": MetadataValue.int(failures.height)}
        if not passed:
            metadata["failures"] = MetadataValue.md(preview_markdown(failures, MAX_FAILURES_SHOWN))
        return AssetCheckResult(passed=passed, metadata=metadata)

    return _check


def invariant_check(
    asset: str, name: str, description: str, reads: Iterable[str], rule: Callable[..., list[str]]
) -> AssetChecksDefinition:
    """A blocking check on `asset` that reads the tables `reads` and applies `rule` to them.

    `rule(*frames)` returns a list of problems (empty when the invariant holds).
    """
    reads = tuple(reads)

    @asset_check(asset=asset, name=name, blocking=True, description=description)
    def _check(context: AssetCheckExecutionContext, readout: ReadoutSettings) -> AssetCheckResult:
        frames = [read_table(t, readout.output_path) for t in reads]
        problems = rule(*frames)
        metadata = {"num_problems": MetadataValue.int(len(problems))}
        if problems:
            metadata["problems"] = MetadataValue.md("\n".join(f"- {p}" for p in problems[:MAX_FAILURES_SHOWN]))
        return AssetCheckResult(passed=not problems, metadata=metadata)

    return _check


# --- invariants ---------------------------------------------------------------------------------

def every_input_accounted_for(input_files: pl.DataFrame, raw: pl.DataFrame, rejected: pl.DataFrame, documents: pl.DataFrame) -> list[str]:
    """Every input file is in exactly one of documents / rejected_documents."""
    problems = []
    seen = set(input_files["source_path"])
    kept = set(documents["source_path"])
    dropped = set(rejected["source_path"])
    for path in sorted(seen - kept - dropped):
        problems.append(f"{path} is in neither documents nor rejected_documents")
    for path in sorted(kept & dropped):
        problems.append(f"{path} is in both documents and rejected_documents")
    for path in sorted((kept | dropped) - seen):
        problems.append(f"{path} is not in input_files")
    if set(raw["doc_id"]) != set(documents["doc_id"]):
        problems.append("raw_documents and documents have different doc_ids")
    return problems


def spans_within_text(spans: pl.DataFrame, documents: pl.DataFrame, start: str = "start", end: str = "end") -> list[str]:
    """Every [start, end) span lies inside its document's text."""
    if spans.height == 0:
        return []
    lengths = documents.select("doc_id", pl.col("text").str.len_chars().alias("_len"))
    joined = spans.join(lengths, on="doc_id", how="left")
    bad = joined.filter(
        pl.col("_len").is_null() | (pl.col(start) < 0) | (pl.col(end) > pl.col("_len")) | (pl.col(start) > pl.col(end))
    )
    return [f"{r['doc_id']}: span [{r[start]}, {r[end]}) outside text of length {r['_len']}" for r in bad.iter_rows(named=True)]


def spans_slice_exactly(spans: pl.DataFrame, documents: pl.DataFrame, start: str = "start", end: str = "end", text: str = "text") -> list[str]:
    """`documents.text[start:end] == spans.text` for every row."""
    if spans.height == 0:
        return []
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    problems = []
    for r in spans.select("doc_id", start, end, text).iter_rows(named=True):
        body = texts.get(r["doc_id"])
        if body is None:
            problems.append(f"{r['doc_id']}: no such document")
        elif body[r[start]:r[end]] != r[text]:
            problems.append(f"{r['doc_id']} [{r[start]}, {r[end]}): text {r[text]!r} != {body[r[start]:r[end]]!r}")
    return problems


def every_entity_mentioned(entities: pl.DataFrame, mentions: pl.DataFrame) -> list[str]:
    """Every entity has at least one mention and its n_mentions equals its mention count."""
    counts = mentions.group_by("entity_id").len()
    joined = entities.join(counts, on="entity_id", how="left").with_columns(pl.col("len").fill_null(0))
    bad = joined.filter(pl.col("len") != pl.col("n_mentions"))
    return [f"{r['name']} ({r['entity_id']}): n_mentions={r['n_mentions']} but {r['len']} mentions" for r in bad.iter_rows(named=True)]


QUOTE_MARKS = "\"'“”‘’„‟«»‹›"


def quotes_between_marks(quotes: pl.DataFrame, documents: pl.DataFrame) -> list[str]:
    """Every quote with marks (all kinds but indirect) has a quotation mark just outside its span
    on each side (spaces and punctuation between mark and words allowed)."""
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    problems = []
    for q in quotes.filter(pl.col("kind") != "indirect").iter_rows(named=True):
        body = texts.get(q["doc_id"], "")
        before = body[max(0, q["start"] - 3) : q["start"]]
        after = body[q["end"] : q["end"] + 3]
        continues = body[q["end"] : q["end"] + 2] == "\n\n"  # a quote continued in the next paragraph
        if not any(c in QUOTE_MARKS for c in before) or not (continues or any(c in QUOTE_MARKS for c in after)):
            problems.append(f"{q['doc_id']} [{q['start']}, {q['end']}) {q['kind']} quote not between marks: {before!r}…{after!r}")
    return problems


def event_actors_exist(events: pl.DataFrame, entities: pl.DataFrame) -> list[str]:
    """Every entity id an event names exists in entities."""
    known = set(entities["entity_id"])
    used: set[str] = set()
    for col in ("source_entity_ids", "target_entity_ids"):
        used |= set(events[col].explode().drop_nulls())
    for col in ("location_entity_id", "reported_by_entity_id"):
        if col in events.columns:
            used |= set(events[col].drop_nulls())
    return [f"entity_id {e!r} used by an event is not in entities" for e in sorted(used - known)]


def cluster_members_agree(
    members: pl.DataFrame, clusters: pl.DataFrame, member_id: str, cluster_id: str, count: str, id_list: str | None = None
) -> list[str]:
    """Every member row is in exactly one cluster, every cluster has members, and the cluster's
    count (and, when given, its list of member ids) equals the members that point at it."""
    problems = []
    actual = members.group_by(cluster_id).agg(pl.col(member_id).sort().alias("_members"))
    have = dict(zip(actual[cluster_id], actual["_members"].to_list(), strict=True))
    for r in clusters.iter_rows(named=True):
        got = have.pop(r[cluster_id], [])
        if not got:
            problems.append(f"cluster {r[cluster_id]} has no member rows")
        elif r[count] != len(got):
            problems.append(f"cluster {r[cluster_id]}: {count}={r[count]} but {len(got)} member rows")
        if id_list is not None and sorted(r[id_list]) != got:
            problems.append(f"cluster {r[cluster_id]}: {id_list} differs from the member rows that point at it")
    problems += [f"{cluster_id}={c!r} of {len(m)} member row(s) is not a cluster" for c, m in sorted(have.items(), key=lambda x: str(x[0]))]
    return problems


def foreign_key_holds(child: pl.DataFrame, parent: pl.DataFrame, column: str, parent_column: str) -> list[str]:
    """Every non-null `child[column]` exists in `parent[parent_column]`."""
    missing = set(child[column].drop_nulls()) - set(parent[parent_column])
    return [f"{column}={v!r} has no row in the referenced table" for v in sorted(missing)]


def foreign_key_checks() -> list[AssetChecksDefinition]:
    """One check per table with foreign keys: every reference resolves (declared in schemas/)."""
    out = []
    for spec in TABLES.values():
        if not spec.foreign_keys:
            continue
        fks = spec.foreign_keys
        parents = tuple(dict.fromkeys(parent for _, parent, _ in fks))

        def rule(child: pl.DataFrame, *parent_frames: pl.DataFrame, fks=fks, parents=parents) -> list[str]:
            frames = dict(zip(parents, parent_frames, strict=True))
            problems = []
            for column, parent, parent_column in fks:
                problems += [f"{column} -> {parent}.{parent_column}: {p}" for p in foreign_key_holds(child, frames[parent], column, parent_column)]
            return problems

        out.append(
            invariant_check(
                spec.name,
                f"{spec.name}_foreign_keys",
                "Every " + ", ".join(f"{c} exists in {p}.{pc}" for c, p, pc in fks) + ".",
                (spec.name, *parents),
                rule,
            )
        )
    return out


def schema_checks(names: Iterable[str] | None = None) -> list[AssetChecksDefinition]:
    """One schema check for each registered table (or those named)."""
    return [schema_check(TABLES[n]) for n in (names or TABLES)]
