"""Immutable, versioned releases of readout's tables: `<output>/releases/<version>/`.

A release is what readout publishes. It is made from the tables a build wrote to
`<output>/tables/` and holds:

    releases/<version>/
      tables/<name>.parquet   one file per published table, re-written with its schema
                              (zstd, statistics, rows sorted by primary key)
      datapackage.json        Frictionless Data Package v1: licences, sources (input files and
                              their sha256), one resource per table with bytes, sha256, rows and
                              a schema derived from the pandera models; readout's build provenance
      croissant.json          ML Commons Croissant 1.0 (minimal): files with sha256, a record
                              set per table
      readout.duckdb          the tables (with column comments) and convenience views
      CHANGELOG.md            this version's schema diff against the previous release, newest first
      README.md               the dataset card
      charts/*.png            charts the card shows (only for tables that exist and have rows)
      SHA256SUMS              `sha256sum -c SHA256SUMS` checks every other file

Rules, all enforced here:

- **Versions are semver** (`MAJOR.MINOR.PATCH`). The first release is **1.0.0**: the data contract
  (`DATA_CONTRACT.md`) already promises consumers stable columns, which is what semver's 1.0.0 means.
  Without an explicit version the next one follows the previous release (the highest existing
  version): a removed table, removed or retyped column or changed primary key is a **major** bump,
  an added table or column (or a column that became nullable) is **minor**, data only is **patch**.
- **Immutable.** An existing version is never overwritten (`ReleaseExistsError`, nothing changed).
  The release is written into a hidden temporary folder inside `releases/`, verified, made
  read-only (files 0444) and renamed into place, so no half-written release is ever visible.
- **Reproducible.** Two releases of the same tables have byte-identical Parquet files and charts;
  `datapackage.json`, `croissant.json`, `README.md` and `CHANGELOG.md` differ only in version and
  date; `readout.duckdb` is not byte-reproducible (DuckDB's file format) and is excluded from that
  promise (its sha256 is still listed, so a release's own copy can be verified).
- **Licences.** Data CC-BY-4.0 (the tables are derived from news text: attribution is what the
  dataset needs and CC-BY is what Zenodo, PUDL and most open datasets use); code MIT (pyproject).

Pure Python, no Dagster: `pipeline/cli.py` and an asset call `make_release` and `verify_release`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa_arrow
import pyarrow.parquet as pq

from pipeline.io import table_path, write_parquet
from schemas import TABLES, TableSpec

__all__ = [
    "FIRST_VERSION",
    "INTERNAL_TABLES",
    "MissingTablesError",
    "ReleaseError",
    "ReleaseExistsError",
    "SchemaDiff",
    "latest_release",
    "list_releases",
    "make_release",
    "next_version",
    "schema_diff",
    "verify_release",
]

RELEASES_DIRNAME = "releases"
FIRST_VERSION = "1.0.0"
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CODE_LICENSE = {
    "name": "MIT",
    "path": "https://opensource.org/licenses/MIT",
    "title": "MIT License",
}
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
SUMS_FILE = "SHA256SUMS"
DUCKDB_FILE = "readout.duckdb"
DATAPACKAGE_FILE = "datapackage.json"
CROISSANT_FILE = "croissant.json"
DESCRIPTION = (
    "readout turns news articles into tables of who said what and who did what to whom: cleaned "
    "documents, canonical entities and their mentions, attributed quotes, PLOVER-coded events and "
    "cross-document clusters, with the provenance of every build."
)
INTERNAL_TABLES = frozenset({"parsed_documents"})
"""Registered tables not published by default: build internals (parsed_documents indexes the
local spaCy parse cache and says whether *this* build parsed a text, so it is neither useful
outside the build nor reproducible). Pass `tables=[...]` to publish one anyway."""
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$")
_LEVELS = ("patch", "minor", "major")


class ReleaseError(RuntimeError):
    """A release could not be made (bad version, missing or invalid tables, failed self-check)."""


class ReleaseExistsError(ReleaseError, FileExistsError):
    """The requested release version already exists; releases are never overwritten."""


class MissingTablesError(ReleaseError, FileNotFoundError):
    """A table to publish was not built (no `<output>/tables/<name>.parquet`)."""


# --------------------------------------------------------------------------------------------
# Versions


def _parse_version(version: str) -> tuple[int, int, int, str | None]:
    m = _SEMVER.match(version)
    if not m:
        raise ReleaseError(
            f"release version {version!r} is not semver MAJOR.MINOR.PATCH (e.g. '1.2.0' or '1.2.0-rc.1')"
        )
    return int(m[1]), int(m[2]), int(m[3]), m[4]


def _version_key(version: str) -> tuple:
    major, minor, patch, pre = _parse_version(version)
    # A pre-release sorts before its release (1.0.0-rc.1 < 1.0.0).
    return (major, minor, patch, pre is None, pre or "")


def list_releases(output_dir: Path | str) -> list[str]:
    """Versions released under `<output_dir>/releases/`, lowest first (temporary folders ignored)."""
    root = Path(output_dir) / RELEASES_DIRNAME
    if not root.is_dir():
        return []
    found = [
        p.name
        for p in root.iterdir()
        if p.is_dir() and _SEMVER.match(p.name) and (p / DATAPACKAGE_FILE).is_file()
    ]
    return sorted(found, key=_version_key)


def latest_release(output_dir: Path | str, *, below: str | None = None) -> str | None:
    """The highest released version (strictly below `below` when given), or None."""
    versions = list_releases(output_dir)
    if below is not None:
        versions = [v for v in versions if _version_key(v) < _version_key(below)]
    return versions[-1] if versions else None


def _bump(version: str, level: str) -> str:
    major, minor, patch, pre = _parse_version(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        # 1.1.0-rc.1 + patch -> 1.1.0 (the pre-release's own release), as semver orders them.
        return f"{major}.{minor}.{patch}" if pre else f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"semver level must be one of {_LEVELS}, not {level!r}")


def next_version(output_dir: Path | str, schema_diff: SchemaDiff | str) -> str:
    """The version after the latest release of `output_dir`, bumped by the diff's semver level.

    `schema_diff` is a `SchemaDiff` (its `level`) or a level string ('major', 'minor', 'patch').
    With no release yet the answer is FIRST_VERSION (1.0.0) whatever the level.
    """
    level = schema_diff if isinstance(schema_diff, str) else schema_diff.level
    if level not in _LEVELS:
        raise ValueError(f"semver level must be one of {_LEVELS}, not {level!r}")
    latest = latest_release(output_dir)
    if latest is None:
        return FIRST_VERSION
    return _bump(latest, level)


# --------------------------------------------------------------------------------------------
# Schema diff


@dataclass
class SchemaDiff:
    """What changed between two releases' datapackages, and the semver level that implies.

    `row_counts` maps every table of either release to (rows before, rows after); None where the
    table is absent. `level` is 'major', 'minor' or 'patch'; `reasons` says why in words.
    """

    old_version: str | None
    added_tables: list[str] = field(default_factory=list)
    removed_tables: list[str] = field(default_factory=list)
    added_columns: dict[str, list[str]] = field(default_factory=dict)
    removed_columns: dict[str, list[str]] = field(default_factory=dict)
    retyped_columns: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """table -> [(column, old type, new type)], types as Arrow type strings."""
    nullability_changed: dict[str, list[tuple[str, bool, bool]]] = field(default_factory=dict)
    """table -> [(column, was required, is required)]."""
    primary_key_changed: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    row_counts: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    data_changed: list[str] = field(default_factory=list)
    """Tables present in both whose file hash differs."""
    level: str = "patch"
    reasons: list[str] = field(default_factory=list)

    @property
    def schema_changed(self) -> bool:
        return bool(
            self.added_tables
            or self.removed_tables
            or self.added_columns
            or self.removed_columns
            or self.retyped_columns
            or self.nullability_changed
            or self.primary_key_changed
        )


def _field_type(f: Mapping) -> str:
    return str(f.get("arrowType") or f.get("type") or "any")


def schema_diff(old_datapackage: Mapping | None, new_datapackage: Mapping) -> SchemaDiff:
    """Compare two `datapackage.json` dicts table by table, column by column.

    No old datapackage (first release): every table is added and the level is 'major' (0.0.0 ->
    1.0.0). Otherwise removed tables, removed or retyped columns and changed primary keys are
    'major'; added tables or columns and columns that became nullable are 'minor'; a column that
    became required is 'major' (rows that were valid before may no longer be); else 'patch'.
    """
    new_res = {r["name"]: r for r in new_datapackage.get("resources", [])}
    if old_datapackage is None:
        diff = SchemaDiff(old_version=None, added_tables=sorted(new_res))
        diff.row_counts = {t: (None, r.get("rows")) for t, r in sorted(new_res.items())}
        diff.level = "major"
        diff.reasons = ["first release"]
        return diff

    old_res = {r["name"]: r for r in old_datapackage.get("resources", [])}
    diff = SchemaDiff(old_version=old_datapackage.get("version"))
    diff.added_tables = sorted(set(new_res) - set(old_res))
    diff.removed_tables = sorted(set(old_res) - set(new_res))
    for table in sorted(set(old_res) | set(new_res)):
        old_r, new_r = old_res.get(table), new_res.get(table)
        diff.row_counts[table] = (
            old_r.get("rows") if old_r else None,
            new_r.get("rows") if new_r else None,
        )
        if not (old_r and new_r):
            continue
        if old_r.get("hash") != new_r.get("hash"):
            diff.data_changed.append(table)
        old_schema, new_schema = old_r.get("schema", {}), new_r.get("schema", {})
        old_f = {f["name"]: f for f in old_schema.get("fields", [])}
        new_f = {f["name"]: f for f in new_schema.get("fields", [])}
        added = [c for c in new_f if c not in old_f]
        removed = [c for c in old_f if c not in new_f]
        retyped = [
            (c, _field_type(old_f[c]), _field_type(new_f[c]))
            for c in new_f
            if c in old_f and _field_type(old_f[c]) != _field_type(new_f[c])
        ]
        nullability = []
        for c in new_f:
            if c in old_f:
                was = bool(old_f[c].get("constraints", {}).get("required", False))
                now = bool(new_f[c].get("constraints", {}).get("required", False))
                if was != now:
                    nullability.append((c, was, now))
        if added:
            diff.added_columns[table] = added
        if removed:
            diff.removed_columns[table] = removed
        if retyped:
            diff.retyped_columns[table] = retyped
        if nullability:
            diff.nullability_changed[table] = nullability
        old_pk, new_pk = (
            _as_list(old_schema.get("primaryKey")),
            _as_list(new_schema.get("primaryKey")),
        )
        if old_pk != new_pk:
            diff.primary_key_changed[table] = (old_pk, new_pk)

    major, minor = [], []
    if diff.removed_tables:
        major.append(f"removed tables: {', '.join(diff.removed_tables)}")
    for t, cols in diff.removed_columns.items():
        major.append(f"{t}: removed columns {', '.join(cols)}")
    for t, cols in diff.retyped_columns.items():
        major.append(f"{t}: retyped columns " + ", ".join(f"{c} ({a} -> {b})" for c, a, b in cols))
    for t, (a, b) in diff.primary_key_changed.items():
        major.append(f"{t}: primary key {a} -> {b}")
    for t, cols in diff.nullability_changed.items():
        for c, was, now in cols:
            (major if now and not was else minor).append(
                f"{t}.{c}: {'now required (non-null)' if now else 'now nullable'}"
            )
    if diff.added_tables:
        minor.append(f"added tables: {', '.join(diff.added_tables)}")
    for t, cols in diff.added_columns.items():
        minor.append(f"{t}: added columns {', '.join(cols)}")
    if major:
        diff.level, diff.reasons = "major", major + minor
    elif minor:
        diff.level, diff.reasons = "minor", minor
    else:
        diff.level = "patch"
        diff.reasons = [
            "data changed in: " + ", ".join(diff.data_changed)
            if diff.data_changed
            else "no schema or data change"
        ]
    return diff


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------------------------
# Schema -> Frictionless / Croissant / SQL


def _frictionless_type(dtype: pl.DataType) -> str:
    if dtype == pl.Utf8:
        return "string"
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if isinstance(dtype, pl.List | pl.Array):
        return "array"
    if isinstance(dtype, pl.Struct):
        return "object"
    return "any"


_CROISSANT_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "datetime": "sc:DateTime",
}


def _table_schema(spec: TableSpec, published: set[str]) -> dict:
    """The Frictionless Table Schema of a table, derived from its pandera model and TableSpec."""
    arrow = spec.arrow_schema()
    fields = []
    for name, col in spec.columns().items():
        dtype = col.dtype.type
        f: dict[str, Any] = {
            "name": name,
            "type": _frictionless_type(dtype),
            "description": col.description or "",
            "arrowType": _arrow_type_str(arrow.field(name).type),
        }
        if isinstance(dtype, pl.List):
            f["arrayItem"] = {"type": _frictionless_type(dtype.inner)}
        if isinstance(dtype, pl.Datetime) and dtype.time_zone:
            f["format"] = "default"
            f["timezone"] = dtype.time_zone
        constraints: dict[str, Any] = {"required": not col.nullable}
        if col.unique:
            constraints["unique"] = True
        for check in col.checks or []:
            stats = getattr(check, "statistics", None) or {}
            if check.name == "isin" and "allowed_values" in stats:
                constraints["enum"] = list(stats["allowed_values"])
            elif check.name == "str_matches" and "pattern" in stats:
                constraints["pattern"] = str(stats["pattern"])
            elif check.name == "greater_than_or_equal_to" and "min_value" in stats:
                constraints["minimum"] = stats["min_value"]
            elif check.name == "less_than_or_equal_to" and "max_value" in stats:
                constraints["maximum"] = stats["max_value"]
        f["constraints"] = constraints
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": list(spec.primary_key)}
    fks = [
        {"fields": col, "reference": {"resource": ref_table, "fields": ref_col}}
        for col, ref_table, ref_col in spec.foreign_keys
        if ref_table in published
    ]
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _arrow_type_str(t: pa_arrow.DataType) -> str:
    """Arrow type as text, without list item field names (Parquet round trips rename them)."""
    if pa_arrow.types.is_list(t) or pa_arrow.types.is_large_list(t):
        return f"list<{_arrow_type_str(t.value_type)}>"
    return str(t)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --------------------------------------------------------------------------------------------
# Helpers


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _dump_json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def _iso_utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _release_files(root: Path) -> list[str]:
    """Every file under `root` as a relative POSIX path, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _validate_frame(df: pl.DataFrame, spec: TableSpec, label: str) -> list[str]:
    """Problems pandera finds in `df` (lazy, every check), one line per column and check."""
    import pandera.errors as pa_errors

    try:
        spec.model.validate(df, lazy=True)
    except pa_errors.SchemaErrors as err:
        problems = []
        fc = err.failure_cases
        if isinstance(fc, pl.DataFrame) and fc.height:
            for (column, check), grp in fc.group_by(["column", "check"], maintain_order=True):
                examples = grp["failure_case"].head(3).to_list()
                problems.append(
                    f"{label}: column {column!r} fails {check} ({grp.height} rows, e.g. {examples})"
                )
        return problems or [f"{label}: does not match its pandera schema: {err}"]
    except pa_errors.SchemaError as err:
        return [f"{label}: does not match its pandera schema: {err}"]
    return []


def _foreign_key_problems(
    frames: Mapping[str, pl.DataFrame], specs: Mapping[str, TableSpec]
) -> list[str]:
    problems = []
    for name, spec in specs.items():
        for col, ref_table, ref_col in spec.foreign_keys:
            if ref_table not in frames or col not in frames[name].columns:
                continue
            values = frames[name].get_column(col)
            if isinstance(values.dtype, pl.List):
                values = values.explode()
            values = values.drop_nulls().unique()
            ref = frames[ref_table].get_column(ref_col)
            missing = values.filter(~values.is_in(ref.implode()))
            if missing.len():
                problems.append(
                    f"tables/{name}.parquet: {missing.len()} values of {col} not in "
                    f"{ref_table}.{ref_col} (e.g. {missing.sort().head(3).to_list()})"
                )
    return problems


def _last_build(provenance: pl.DataFrame | None) -> dict[str, Any]:
    """The latest build's provenance row (by finished_at), as a JSON-ready dict; {} when none."""
    if provenance is None or provenance.height == 0:
        return {}
    df = provenance
    if "finished_at" in df.columns:
        df = df.sort(["finished_at", "build_id"] if "build_id" in df.columns else ["finished_at"])
    row = df.row(-1, named=True)
    return {k: (_iso_utc(v) if isinstance(v, datetime) else v) for k, v in row.items()}


def _flatten(mapping: Mapping, prefix: str = "") -> list[tuple[str, Any]]:
    rows = []
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flatten(value, name + "."))
        else:
            rows.append((name, value))
    return rows


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list | tuple):  # e.g. a scorer's list of misses: too long for a table
        return "none" if not value else f"{len(value)} items (see datapackage.json)"
    return str(value).replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------------------------
# make_release


def _select_specs(output_dir: Path, tables: Sequence[str] | None) -> dict[str, TableSpec]:
    if tables is None:
        names = [t for t in TABLES if t not in INTERNAL_TABLES]
    else:
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise ReleaseError(f"unknown tables {unknown}; registered tables: {sorted(TABLES)}")
        names = [t for t in TABLES if t in set(tables)]  # registry order, no duplicates
    missing = [
        str(table_path(output_dir, n)) for n in names if not table_path(output_dir, n).exists()
    ]
    if missing:
        raise MissingTablesError(
            f"cannot release: tables not built: {', '.join(missing)}. Run `readout build --output "
            f"{output_dir}` first, or pass tables=[...] to release a subset."
        )
    if not names:
        raise ReleaseError("cannot release: no tables selected")
    return {n: TABLES[n] for n in names}


def make_release(
    output_dir: Path | str,
    *,
    version: str | None = None,
    tables: Sequence[str] | None = None,
    gold_scores: Mapping | None = None,
    now: datetime | None = None,
) -> Path:
    """Publish the built tables of `output_dir` as `<output_dir>/releases/<version>/`; return it.

    `version` defaults to the next semver version after the latest release (see `next_version`);
    `tables` defaults to every registered table except INTERNAL_TABLES (all must have been built); `gold_scores` are
    accuracy figures measured on the seeds' gold, shown in the card (nested mappings are flattened
    to dotted metric names); `now` fixes the release date (default: the current UTC time).

    Raises `ReleaseExistsError` (nothing written) when the version exists, `ReleaseError` when a
    table is missing or fails its pandera schema or foreign keys.
    """
    output_dir = Path(output_dir)
    now = now or datetime.now(UTC)
    now = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC)  # naive = UTC
    releases = output_dir / RELEASES_DIRNAME
    if version is not None:
        _parse_version(version)
        if (releases / version).exists():
            raise ReleaseExistsError(
                f"release {releases / version} already exists; releases are never overwritten"
            )

    specs = _select_specs(output_dir, tables)
    frames: dict[str, pl.DataFrame] = {}
    problems: list[str] = []
    for name, spec in specs.items():
        path = table_path(output_dir, name)
        try:
            df = pl.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is reported the same way
            problems.append(f"{path}: cannot read Parquet: {exc}")
            continue
        wanted = spec.polars_schema()
        missing = [c for c in wanted if c not in df.columns]
        extra = [c for c in df.columns if c not in wanted]
        if missing or extra:
            problems.append(f"{path}: missing columns {missing}, unexpected columns {extra}")
            continue
        df = df.select([pl.col(c).cast(t) for c, t in wanted.items()])
        problems += _validate_frame(df, spec, str(path))
        frames[name] = df
    problems += _foreign_key_problems(frames, specs)
    if problems:
        raise ReleaseError("cannot release invalid tables:\n  " + "\n  ".join(problems))

    releases.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-release-", dir=releases))
    try:
        resources = []
        for name, spec in specs.items():
            rel = f"tables/{name}.parquet"
            write_parquet(frames[name], spec, tmp / rel)
            resources.append(_resource(tmp, rel, spec, frames[name].height, set(specs)))

        previous = (
            latest_release(output_dir, below=version) if version else latest_release(output_dir)
        )
        old_dp = (
            json.loads((releases / previous / DATAPACKAGE_FILE).read_text()) if previous else None
        )
        diff = schema_diff(old_dp, {"resources": resources})
        rule_version = _bump(previous, diff.level) if previous else FIRST_VERSION
        if version is None:
            version = rule_version
        if (releases / version).exists():
            raise ReleaseExistsError(
                f"release {releases / version} already exists; releases are never overwritten"
            )

        build = _last_build(frames.get("provenance"))
        charts = _draw_charts(tmp, frames)
        _write_duckdb(tmp / DUCKDB_FILE, specs, frames)
        datapackage = _datapackage(version, now, resources, frames, build, gold_scores)
        (tmp / DATAPACKAGE_FILE).write_text(_dump_json(datapackage), encoding="utf-8")
        (tmp / CROISSANT_FILE).write_text(
            _dump_json(_croissant(version, now, specs, resources)), encoding="utf-8"
        )
        old_changelog = (releases / previous / "CHANGELOG.md") if previous else None
        (tmp / "CHANGELOG.md").write_text(
            _changelog(version, now, diff, rule_version, old_changelog), encoding="utf-8"
        )
        (tmp / "README.md").write_text(
            _card(version, now, specs, frames, build, gold_scores, charts, diff), encoding="utf-8"
        )
        _write_sums(tmp)

        problems = verify_release(tmp)
        if problems:
            raise ReleaseError(
                "the release failed its own verification:\n  " + "\n  ".join(problems)
            )
        _make_read_only(tmp)
        target = releases / version
        try:
            os.rename(tmp, target)
        except OSError as exc:
            if target.exists():
                raise ReleaseExistsError(
                    f"release {target} was created concurrently; releases are never overwritten"
                ) from exc
            raise
    except BaseException:
        _rmtree(tmp)
        raise
    return target


def _rmtree(path: Path) -> None:
    if not path.exists():
        return

    def _onerror(func, p, _exc):  # files are read-only once finished
        os.chmod(os.path.dirname(p), stat.S_IRWXU)
        os.chmod(p, stat.S_IRWXU)
        func(p)

    shutil.rmtree(path, onerror=_onerror)


def _make_read_only(root: Path) -> None:
    for p in root.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o444)
    root.chmod(0o755)


def _resource(root: Path, rel: str, spec: TableSpec, rows: int, published: set[str]) -> dict:
    path = root / rel
    return {
        "name": spec.name,
        "path": rel,
        "profile": "tabular-data-resource",
        "title": spec.name,
        "description": spec.description,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "encoding": "binary",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "rows": rows,
        "stage": spec.stage,
        "schema": _table_schema(spec, published),
    }


def _sources(frames: Mapping[str, pl.DataFrame]) -> list[dict]:
    sources = []
    raw = frames.get("raw_documents")
    if raw is not None:
        for r in raw.select("source_path", "sha256", "n_bytes").iter_rows(named=True):
            sources.append(
                {
                    "title": r["source_path"],
                    "path": r["source_path"],
                    "hash": f"sha256:{r['sha256']}",
                    "bytes": r["n_bytes"],
                    "outcome": "document",
                }
            )
    rej = frames.get("rejected_documents")
    if rej is not None:
        for r in rej.select("source_path", "sha256", "n_bytes", "reason").iter_rows(named=True):
            src = {
                "title": r["source_path"],
                "path": r["source_path"],
                "outcome": f"rejected: {r['reason']}",
            }
            if r["sha256"]:
                src["hash"] = f"sha256:{r['sha256']}"
            if r["n_bytes"] is not None:
                src["bytes"] = r["n_bytes"]
            sources.append(src)
    return sorted(sources, key=lambda s: s["path"])


def _datapackage(version, now, resources, frames, build, gold_scores) -> dict:
    dp: dict[str, Any] = {
        "profile": "data-package",
        "name": "readout",
        "id": f"readout-{version}",
        "title": "readout: who said what and who did what to whom in the news",
        "description": DESCRIPTION,
        "version": version,
        "created": _iso_utc(now),
        "licenses": [DATA_LICENSE],
        "contributors": [{"title": "readout contributors", "role": "author"}],
        "keywords": ["news", "quotes", "events", "PLOVER", "entities", "NLP"],
        "sources": _sources(frames),
        "resources": resources,
        "readout": {
            "code_license": CODE_LICENSE,
            "build": build,
            "accuracy_on_seed_gold": dict(_flatten(gold_scores)) if gold_scores else None,
            "reproducibility": "Parquet files and charts are byte-identical across releases of the "
            "same tables; readout.duckdb is not.",
        },
    }
    return dp


def _croissant(version, now, specs, resources) -> dict:
    context = {
        "@language": "en",
        "@vocab": "https://schema.org/",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
    }
    distribution, record_sets = [], []
    for res in resources:
        spec = specs[res["name"]]
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": res["path"],
                "name": res["path"],
                "description": f"Parquet file of table {res['name']}.",
                "contentUrl": res["path"],
                "contentSize": f"{res['bytes']} B",
                "encodingFormat": "application/x-parquet",
                "sha256": res["hash"].removeprefix("sha256:"),
            }
        )
        fks = {col: (t, c) for col, t, c in spec.foreign_keys if t in specs}
        fields = []
        for f in res["schema"]["fields"]:
            item_type = f.get("arrayItem", {}).get("type") if f["type"] == "array" else f["type"]
            cf: dict[str, Any] = {
                "@type": "cr:Field",
                "@id": f"{res['name']}/{f['name']}",
                "name": f["name"],
                "description": f["description"],
                "dataType": _CROISSANT_TYPES.get(item_type, "sc:Text"),
                "source": {"fileObject": {"@id": res["path"]}, "extract": {"column": f["name"]}},
            }
            if f["type"] == "array":
                cf["repeated"] = True
            if f["name"] in fks:
                t, c = fks[f["name"]]
                cf["references"] = {"field": {"@id": f"{t}/{c}"}}
            fields.append(cf)
        pk = [{"@id": f"{res['name']}/{c}"} for c in spec.primary_key]
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": res["name"],
                "name": res["name"],
                "description": res["description"],
                "key": pk[0] if len(pk) == 1 else pk,
                "field": fields,
            }
        )
    return {
        "@context": context,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": "readout",
        "description": DESCRIPTION,
        "license": DATA_LICENSE["path"],
        "version": version,
        "datePublished": _iso_utc(now),
        "citeAs": _bibtex(version, now),
        "distribution": distribution,
        "recordSet": record_sets,
    }


def _write_sums(root: Path) -> None:
    lines = [f"{_sha256(root / rel)}  {rel}\n" for rel in _release_files(root) if rel != SUMS_FILE]
    (root / SUMS_FILE).write_text("".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# DuckDB


def _write_duckdb(
    path: Path, specs: Mapping[str, TableSpec], frames: Mapping[str, pl.DataFrame]
) -> None:
    """The tables (ordered by primary key, commented from the schema) plus convenience views."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for name, spec in specs.items():
            parquet = (path.parent / "tables" / f"{name}.parquet").as_posix()
            order = ", ".join(_quote_ident(c) for c in spec.primary_key)
            con.execute(
                f"CREATE TABLE {_quote_ident(name)} AS SELECT * FROM read_parquet({_sql_str(parquet)})"
                + (f" ORDER BY {order}" if order else "")
            )
            con.execute(f"COMMENT ON TABLE {_quote_ident(name)} IS {_sql_str(spec.description)}")
            for col_name, col in spec.columns().items():
                if col.description:
                    con.execute(
                        f"COMMENT ON COLUMN {_quote_ident(name)}.{_quote_ident(col_name)} "
                        f"IS {_sql_str(col.description)}"
                    )
        for sql in _view_sql(_duckdb_columns(con)):
            con.execute(sql)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():  # never expected after CHECKPOINT + close; a stray WAL must not ship
        wal.unlink()


def _duckdb_columns(con) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def _view_sql(cols: Mapping[str, set[str]]) -> list[str]:
    """CREATE VIEW statements for the views whose tables and columns are present.

    quotes_with_speakers: quotes + the document (title, outlet, date) + the speaker entity's type.
    events_with_actors: one row per event and actor (role 'source' or 'target'), with the
    document's outlet and date and the actor entity's type.
    """
    views = []

    def has(table: str, *columns: str) -> bool:
        return table in cols and all(c in cols[table] for c in columns)

    if has("quotes", "doc_id", "speaker_entity_id"):
        select = ["q.*"]
        joins = []
        if has("documents", "doc_id", "title", "outlet", "published_date"):
            select += [
                "d.title AS doc_title",
                "d.outlet AS doc_outlet",
                "d.published_date AS doc_published_date",
            ]
            joins.append("LEFT JOIN documents d ON d.doc_id = q.doc_id")
        if has("entities", "entity_id", "name", "type"):
            select += ["se.name AS speaker_entity_name", "se.type AS speaker_entity_type"]
            joins.append("LEFT JOIN entities se ON se.entity_id = q.speaker_entity_id")
        views.append(
            "CREATE VIEW quotes_with_speakers AS SELECT "
            + ", ".join(select)
            + " FROM quotes q "
            + " ".join(joins)
        )

    roles = [r for r in ("source", "target") if has("events", f"{r}_entity_ids", f"{r}_names")]
    if has("events", "event_id", "doc_id") and roles:
        base = [
            c
            for c in (
                "event_id",
                "doc_id",
                "event_type",
                "event_mode",
                "modality",
                "event_date",
                "location",
                "cluster_id",
            )
            if c in cols["events"]
        ]
        parts = []
        for role in roles:
            parts.append(
                "SELECT "
                + ", ".join(f"ev.{_quote_ident(c)}" for c in base)
                + f", '{role}' AS role, a.entity_id, a.name FROM events ev, "
                f"UNNEST(list_zip(ev.{role}_entity_ids, ev.{role}_names)) AS u(pair), "
                "LATERAL (SELECT pair[1] AS entity_id, pair[2] AS name) a"
            )
        select, joins = ["x.*"], []
        if has("documents", "doc_id", "outlet", "published_date"):
            select += ["d.outlet AS doc_outlet", "d.published_date AS doc_published_date"]
            joins.append("LEFT JOIN documents d ON d.doc_id = x.doc_id")
        if has("entities", "entity_id", "type"):
            select.append("en.type AS entity_type")
            joins.append("LEFT JOIN entities en ON en.entity_id = x.entity_id")
        views.append(
            "CREATE VIEW events_with_actors AS SELECT "
            + ", ".join(select)
            + " FROM ("
            + " UNION ALL ".join(parts)
            + ") x "
            + " ".join(joins)
        )
    return views


# --------------------------------------------------------------------------------------------
# Charts


def _new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _save_png(fig, path: Path) -> None:
    """Save deterministically: no Software/creation metadata, fixed dpi, Agg."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100, metadata={"Software": None})


def _draw_charts(root: Path, frames: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    """Draw the card's charts; returns chart key -> relative PNG path, or -> reason not drawn."""
    out: dict[str, str] = {}
    out["events_per_day"] = _chart_events(root, frames.get("events"))
    out["top_speakers"] = _chart_speakers(root, frames.get("quotes"))
    out["entity_cooccurrence"] = _chart_cooccurrence(
        root, frames.get("entity_mentions"), frames.get("entities")
    )
    return out


def _not_drawn(table: str, df: pl.DataFrame | None, columns: Sequence[str]) -> str | None:
    if df is None:
        return f"not drawn: this release has no `{table}` table"
    missing = [c for c in columns if c not in df.columns]
    if missing:
        return f"not drawn: `{table}` has no column(s) {', '.join(missing)}"
    if df.height == 0:
        return f"not drawn: `{table}` has no rows"
    return None


def _chart_events(root: Path, events: pl.DataFrame | None) -> str:
    reason = _not_drawn("events", events, ["event_date", "event_type"])
    if reason:
        return reason
    counts = (
        events.filter(pl.col("event_date").is_not_null())
        .group_by("event_date", "event_type")
        .len()
        .sort("event_date", "event_type")
    )
    if counts.height == 0:
        return "not drawn: no event in `events` has an event_date"
    days = counts["event_date"].unique().sort().to_list()
    types = counts["event_type"].unique().sort().to_list()
    fig = _new_figure(max(6.0, 0.5 * len(days) + 3), 4.5)
    ax = fig.add_subplot()
    bottom = [0] * len(days)
    index = {d: i for i, d in enumerate(days)}
    for t in types:
        sub = counts.filter(pl.col("event_type") == t)
        heights = [0] * len(days)
        for d, n in zip(sub["event_date"].to_list(), sub["len"].to_list(), strict=True):
            heights[index[d]] = n
        ax.bar(range(len(days)), heights, bottom=bottom, label=t)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xticks(
        range(len(days)), [d.isoformat() for d in days], rotation=60, ha="right", fontsize=8
    )
    ax.set_ylabel("event reports")
    ax.set_title("Events per day by PLOVER category")
    ax.legend(fontsize=7, ncols=2)
    rel = "charts/events_per_day.png"
    _save_png(fig, root / rel)
    return rel


def _chart_speakers(root: Path, quotes: pl.DataFrame | None, top: int = 15) -> str:
    reason = _not_drawn("quotes", quotes, ["speaker_name"])
    if reason:
        return reason
    counts = (
        quotes.filter(pl.col("speaker_name").is_not_null())
        .group_by("speaker_name")
        .len()
        .sort(["len", "speaker_name"], descending=[True, False])
        .head(top)
    )
    if counts.height == 0:
        return "not drawn: no quote in `quotes` has a speaker"
    names, ns = counts["speaker_name"].to_list()[::-1], counts["len"].to_list()[::-1]
    fig = _new_figure(7.0, max(2.5, 0.35 * len(names) + 1.2))
    ax = fig.add_subplot()
    ax.barh(range(len(names)), ns)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlabel("quotes")
    ax.set_title(f"Most quoted speakers (top {len(names)})")
    rel = "charts/top_speakers.png"
    _save_png(fig, root / rel)
    return rel


def _chart_cooccurrence(
    root: Path, mentions: pl.DataFrame | None, entities: pl.DataFrame | None, top: int = 15
) -> str:
    reason = _not_drawn("entity_mentions", mentions, ["doc_id", "entity_id"])
    if reason:
        return reason
    pairs = mentions.select("doc_id", "entity_id").drop_nulls().unique()
    freq = (
        pairs.group_by("entity_id")
        .len()
        .sort(["len", "entity_id"], descending=[True, False])
        .head(top)
    )
    ids = freq["entity_id"].to_list()
    names = dict.fromkeys(ids)
    if entities is not None and {"entity_id", "name"} <= set(entities.columns):
        names.update(
            dict(
                entities.filter(pl.col("entity_id").is_in(ids))
                .select("entity_id", "name")
                .iter_rows()
            )
        )
    labels = [names[i] or i for i in ids]
    docs = {
        e: set(g["doc_id"].to_list())
        for (e,), g in pairs.filter(pl.col("entity_id").is_in(ids)).group_by("entity_id")
    }
    matrix = [[len(docs[a] & docs[b]) for b in ids] for a in ids]
    n = len(ids)
    fig = _new_figure(max(5.0, 0.45 * n + 2.5), max(4.0, 0.45 * n + 1.5))
    ax = fig.add_subplot()
    im = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(n), labels, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), labels, fontsize=7)
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(matrix[i][j]), ha="center", va="center", fontsize=6)
    fig.colorbar(im, ax=ax, label="documents mentioning both")
    ax.set_title(f"Entity co-occurrence (top {n} entities by documents)")
    rel = "charts/entity_cooccurrence.png"
    _save_png(fig, root / rel)
    return rel


# --------------------------------------------------------------------------------------------
# CHANGELOG and dataset card


def _changelog(
    version: str, now: datetime, diff: SchemaDiff, rule_version: str, old: Path | None
) -> str:
    lines = [f"## {version} ({now.astimezone(UTC).date().isoformat()})", ""]
    if diff.old_version is None:
        lines.append(f"First release. Semver rule: the first release is {FIRST_VERSION}.")
    else:
        lines.append(
            f"Compared with {diff.old_version}. Semver level by the rule: **{diff.level}** "
            f"({'; '.join(diff.reasons)})."
        )
        lines.append("")
        lines.append(
            "Rule: removed table, removed or retyped column, changed primary key or a column "
            "made required -> major; added table or column, column made nullable -> minor; "
            "data only -> patch."
        )
        if version != rule_version:
            lines += [
                "",
                f"Note: the version {version} was chosen explicitly; the rule gives {rule_version}.",
            ]
    lines.append("")

    def section(title: str, items: list[str]) -> None:
        lines.append(f"### {title}")
        lines.extend([f"- {i}" for i in items] or ["- none"])
        lines.append("")

    section("Added tables", [f"`{t}`" for t in diff.added_tables])
    section("Removed tables", [f"`{t}`" for t in diff.removed_tables])
    section("Added columns", [f"`{t}.{c}`" for t, cs in diff.added_columns.items() for c in cs])
    section("Removed columns", [f"`{t}.{c}`" for t, cs in diff.removed_columns.items() for c in cs])
    section(
        "Retyped columns",
        [f"`{t}.{c}`: {a} -> {b}" for t, cs in diff.retyped_columns.items() for c, a, b in cs],
    )
    if diff.nullability_changed or diff.primary_key_changed:
        section(
            "Other schema changes",
            [
                f"`{t}.{c}`: {'required' if now_ else 'nullable'}"
                for t, cs in diff.nullability_changed.items()
                for c, _, now_ in cs
            ]
            + [f"`{t}` primary key: {a} -> {b}" for t, (a, b) in diff.primary_key_changed.items()],
        )
    lines += ["### Row counts", "", "| table | before | after | change |", "|---|---:|---:|---:|"]
    for t, (a, b) in diff.row_counts.items():
        change = "" if a is None or b is None else f"{b - a:+d}"
        lines.append(f"| {t} | {'' if a is None else a} | {'' if b is None else b} | {change} |")
    lines.append("")
    body = "\n".join(lines)
    header = "# Changelog of the readout dataset\n\nNewest release first.\n\n"
    previous = ""
    if old is not None and old.is_file():
        previous = old.read_text(encoding="utf-8")
        previous = previous[len(header) :] if previous.startswith(header) else previous
    return header + body + ("\n" + previous if previous else "")


def _bibtex(version: str, now: datetime) -> str:
    year = now.astimezone(UTC).year
    key = "readout_" + version.replace(".", "_").replace("-", "_")
    return (
        f"@misc{{{key},\n"
        f"  title   = {{readout: who said what and who did what to whom in the news}},\n"
        f"  author  = {{{{readout contributors}}}},\n"
        f"  year    = {{{year}}},\n"
        f"  version = {{{version}}},\n"
        f"  note    = {{Dataset, licensed CC-BY-4.0}}\n"
        f"}}"
    )


def _coverage(frames: Mapping[str, pl.DataFrame]) -> list[str]:
    lines = []
    docs = frames.get("documents")
    if docs is not None:
        lines.append(f"- Documents: {docs.height}")
        if "outlet" in docs.columns:
            outlets = (
                docs.filter(pl.col("outlet").is_not_null())
                .group_by("outlet")
                .len()
                .sort(["len", "outlet"], descending=[True, False])
            )
            listed = ", ".join(f"{o} ({n})" for o, n in outlets.iter_rows())
            n_unknown = docs["outlet"].null_count()
            lines.append(
                f"- Outlets: {outlets.height}"
                + (f" — {listed}" if listed else "")
                + f"; {n_unknown} documents with no outlet inferred"
            )
        if "published_date" in docs.columns:
            dates = docs["published_date"].drop_nulls()
            if dates.len():
                lines.append(
                    f"- Publication dates: {dates.min()} to {dates.max()} "
                    f"({docs['published_date'].null_count()} documents undated)"
                )
            else:
                lines.append("- Publication dates: none stated")
        if "kind" in docs.columns and docs.height:
            kinds = docs.group_by("kind").len().sort("kind")
            lines.append("- Kinds: " + ", ".join(f"{k} ({n})" for k, n in kinds.iter_rows()))
    inputs = frames.get("input_files")
    if inputs is not None:
        lines.append(f"- Input files: {inputs.height}")
    rej = frames.get("rejected_documents")
    if rej is not None:
        reasons = rej.group_by("reason").len().sort("reason")
        lines.append(
            f"- Rejected input files: {rej.height}"
            + (
                " — " + ", ".join(f"{r} ({n})" for r, n in reasons.iter_rows())
                if rej.height
                else ""
            )
        )
    return lines or ["- No document tables in this release."]


def _example_table(specs: Mapping[str, TableSpec]) -> str:
    return "documents" if "documents" in specs else next(iter(specs))


def _snippets(specs: Mapping[str, TableSpec]) -> dict[str, tuple[str, str]]:
    """Loading snippets: key -> (language, code). All paths are relative to the release folder."""
    t = _example_table(specs)
    return {
        "duckdb-sql": (
            "sql",
            (
                f"-- duckdb -readonly readout.duckdb\n"
                f"SELECT count(*) AS n_rows FROM {t};\n"
                f"SELECT * FROM read_parquet('tables/{t}.parquet') LIMIT 5;"
            ),
        ),
        "duckdb-python": (
            "python",
            (
                "import duckdb\n\n"
                'con = duckdb.connect("readout.duckdb", read_only=True)\n'
                'print(con.sql("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY 1"))\n'
                f'print(con.sql("SELECT * FROM {t} LIMIT 5"))\n'
                "# or straight from the Parquet files, without the database file:\n"
                f"print(duckdb.sql(\"SELECT count(*) FROM 'tables/{t}.parquet'\").fetchall())\n"
                "con.close()"
            ),
        ),
        "polars": (
            "python",
            (
                "from pathlib import Path\n\n"
                "import polars as pl\n\n"
                'tables = {p.stem: pl.read_parquet(p) for p in sorted(Path("tables").glob("*.parquet"))}\n'
                f'{t} = tables["{t}"]\n'
                f"print({t}.head())"
            ),
        ),
        "pandas": (
            "python",
            (
                "import pandas as pd  # needs pyarrow\n\n"
                f'{t} = pd.read_parquet("tables/{t}.parquet", dtype_backend="pyarrow")\n'
                f"print({t}.head())"
            ),
        ),
        "spark": (
            "python",
            (
                "from pyspark.sql import SparkSession\n\n"
                'spark = SparkSession.builder.appName("readout").getOrCreate()\n'
                f'{t} = spark.read.parquet("tables/{t}.parquet")\n'
                f"{t}.printSchema()\n"
                f"{t}.show(5)"
            ),
        ),
    }


def _card(version, now, specs, frames, build, gold_scores, charts, diff) -> str:
    day = now.astimezone(UTC).date().isoformat()
    L: list[str] = []
    add = L.append
    add(f"# readout {version}\n")
    add(f"Released {day}. {DESCRIPTION}\n")
    add(
        "Each input news article is decoded, cleaned (page furniture, captions, bios and repeated "
        "paragraphs removed), and annotated with spaCy and readout's own components. Every table is "
        "declared once as a pandera model; the Parquet files, `datapackage.json`, `croissant.json` and "
        "`readout.duckdb` are all derived from those declarations.\n"
    )

    add("## How it was built\n")
    if build:
        spacy_model = build.get("spacy_model") or "(no NLP stage)"
        add(
            f"- Code: readout {build.get('readout_version', '?')}, git commit `{build.get('git_commit', '?')}`"
        )
        add(
            f"- Language model: {spacy_model} {build.get('spacy_model_version', '')} "
            f"(spaCy {build.get('spacy_version', '?')})"
        )
        add(
            f"- Build: `{build.get('build_id', '?')}`, {build.get('started_at', '?')} to "
            f"{build.get('finished_at', '?')} (UTC), input folder `{build.get('input_dir', '?')}`"
        )
    else:
        add("- No provenance row: the code commit and language model of this build are unknown.")
    add("- Release: `make_release` in `pipeline/release.py` (semver; see CHANGELOG.md)\n")

    add("## Tables\n")
    add("| table | rows | stage | description |")
    add("|---|---:|---|---|")
    for name, spec in specs.items():
        add(
            f"| [`{name}`](tables/{name}.parquet) | {frames[name].height} | {spec.stage} | {spec.description} |"
        )
    add("")
    add(
        "Column names, types and descriptions: `datapackage.json` (Frictionless) or `croissant.json`; "
        "in DuckDB: `SELECT * FROM duckdb_columns() WHERE table_name = '...'` (comments hold the "
        "descriptions). Rows of every file are sorted by the table's primary key.\n"
    )

    add("## Coverage\n")
    L.extend(_coverage(frames))
    add("")

    add("## Accuracy on the seed gold\n")
    if gold_scores:
        add(
            "Measured against hand-made gold annotations of the seed articles (`tests/fixtures/seeds_gold.json` in the code repository):\n"
        )
        add("| metric | value |")
        add("|---|---:|")
        for k, v in _flatten(gold_scores):
            add(f"| {k} | {_fmt(v)} |")
        add("")
        add(
            "The seeds are a handful of articles: read these as a smoke test, not as a benchmark.\n"
        )
    else:
        add("Not measured for this release.\n")

    add("## Known limitations\n")
    add(
        "- Small, hand-picked input: coverage is whatever articles were fed in, not a sample of the news."
    )
    add(
        "- Outlets and publication dates are inferred from the text only; they are null when the text "
        "does not state them (see `outlet_evidence` / `published_evidence`)."
    )
    add(
        "- Quotes, speakers, entities and events come from automatic extraction (spaCy plus rules) and "
        "contain errors; cross-document clusters can merge or split real-world events."
    )
    add(
        "- Event categories follow PLOVER; a report's date is resolved from the text and may be "
        "month- or year-precise (`date_precision`)."
    )
    add("- English only; other languages are rejected (`rejected_documents`).")
    add(
        "- `readout.duckdb` is not byte-reproducible across releases (the Parquet files are, and so "
        "are the charts with the same matplotlib version and fonts); "
        "open it read-only, since a read-write open can rewrite the file and break its checksum.\n"
    )

    add("## Charts\n")
    titles = {
        "events_per_day": "Events per day by category (rows of `events`)",
        "top_speakers": "Most quoted speakers (rows of `quotes`)",
        "entity_cooccurrence": "Entity co-occurrence (documents mentioning both, from `entity_mentions`)",
    }
    for key, title in titles.items():
        value = charts[key]
        add(f"### {title}\n")
        add(
            f"![{title}]({value})\n"
            if value.endswith(".png")
            else f"{value[0].upper()}{value[1:]}.\n"
        )

    add("## How to load it\n")
    add("All paths are relative to this folder.\n")
    headings = {
        "duckdb-sql": "DuckDB (SQL)",
        "duckdb-python": "DuckDB (Python)",
        "polars": "polars",
        "pandas": "pandas",
        "spark": "Spark (PySpark)",
    }
    views = [v for v in ("quotes_with_speakers", "events_with_actors") if _view_present(v, specs)]
    for key, (lang, code) in _snippets(specs).items():
        add(f"### {headings[key]}\n")
        add(f"<!-- snippet: {key} -->")
        add(f"```{lang}\n{code}\n```\n")
        if key == "duckdb-sql" and views:
            add("Views in `readout.duckdb`: " + ", ".join(f"`{v}`" for v in views) + ".\n")
    add("Dates are Parquet `DATE`, timestamps are UTC; list columns are Parquet lists.\n")

    add("## Verify\n")
    add("```sh\nsha256sum -c SHA256SUMS\n```\n")
    add(
        "or `python -c \"from pipeline.release import verify_release; print(verify_release('.'))\"` "
        "from a readout checkout (checks hashes, schemas and row counts).\n"
    )

    add("## Licence\n")
    add(
        f"Data: [{DATA_LICENSE['title']}]({DATA_LICENSE['path']}) (CC-BY-4.0). The articles quoted "
        "remain their publishers' work; short excerpts are included for research. Code: MIT.\n"
    )

    add("## Citation\n")
    add(
        f"readout contributors ({now.astimezone(UTC).year}). *readout: who said what and who did what "
        f"to whom in the news* (Version {version}) [Data set]. CC-BY-4.0.\n"
    )
    add(f"```bibtex\n{_bibtex(version, now)}\n```\n")

    add("## Files\n")
    add("- `tables/*.parquet`: the tables (zstd, statistics, sorted by primary key)")
    add(
        "- `datapackage.json`: Frictionless Data Package; `croissant.json`: ML Commons Croissant 1.0"
    )
    add("- `readout.duckdb`: the tables and views in one DuckDB database")
    add(
        "- `CHANGELOG.md`: schema and row-count changes since the previous release "
        f"({diff.old_version or 'none: first release'})"
    )
    add("- `charts/*.png`, `SHA256SUMS`")
    return "\n".join(L) + "\n"


def _view_present(view: str, specs: Mapping[str, TableSpec]) -> bool:
    cols = {n: set(s.columns()) for n, s in specs.items()}
    return any(f"CREATE VIEW {view} " in sql for sql in _view_sql(cols))


# --------------------------------------------------------------------------------------------
# verify_release


def verify_release(path: Path | str) -> list[str]:
    """Check a release folder; return human-readable problems ([] when it is sound).

    Checks: every file listed in SHA256SUMS exists and matches, and no file is unlisted; every
    datapackage resource exists with the stated bytes, sha256 and row count; each Parquet file's
    columns and Arrow types match its datapackage schema; tables registered in `schemas.TABLES`
    pass their pandera model (the current code's: an old release may predate a schema change);
    foreign keys resolve; croissant.json's sha256 values match.
    """
    root = Path(path)
    problems: list[str] = []
    if not root.is_dir():
        return [f"{root}: not a directory"]

    sums_path = root / SUMS_FILE
    listed: dict[str, str] = {}
    if not sums_path.is_file():
        problems.append(f"{SUMS_FILE}: missing")
    else:
        for lineno, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
            if not m:
                problems.append(f"{SUMS_FILE}: line {lineno} is not '<sha256>  <path>': {line!r}")
                continue
            listed[m[2]] = m[1]
        for rel, expected in listed.items():
            f = root / rel
            if not f.is_file():
                problems.append(f"{rel}: listed in {SUMS_FILE} but missing")
                continue
            got = _sha256(f)
            if got != expected:
                problems.append(f"{rel}: sha256 mismatch (expected {expected}, got {got})")
        for rel in _release_files(root):
            if rel != SUMS_FILE and rel not in listed:
                problems.append(f"{rel}: not listed in {SUMS_FILE}")

    dp_path = root / DATAPACKAGE_FILE
    try:
        dp = json.loads(dp_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return problems + [f"{DATAPACKAGE_FILE}: missing"]
    except json.JSONDecodeError as exc:
        return problems + [f"{DATAPACKAGE_FILE}: not valid JSON ({exc})"]

    frames: dict[str, pl.DataFrame] = {}
    specs: dict[str, TableSpec] = {}
    for res in dp.get("resources", []):
        rel = res.get("path", "")
        f = root / rel
        if not f.is_file():
            problems.append(
                f"{rel}: resource {res.get('name')!r} in {DATAPACKAGE_FILE} but file missing"
            )
            continue
        size = f.stat().st_size
        if res.get("bytes") != size:
            problems.append(
                f"{rel}: size mismatch (datapackage says {res.get('bytes')} bytes, file has {size})"
            )
        expected = str(res.get("hash", "")).removeprefix("sha256:")
        got = _sha256(f)
        if expected != got:
            problems.append(
                f"{rel}: sha256 mismatch with {DATAPACKAGE_FILE} (expected {expected}, got {got})"
            )
        try:
            arrow_schema = pq.read_schema(f)
            table = pq.read_table(f)
        except Exception as exc:  # noqa: BLE001 - corrupt files of any kind are one problem
            problems.append(f"{rel}: cannot read Parquet ({exc.__class__.__name__}: {exc})")
            continue
        problems += _check_columns(rel, arrow_schema, res.get("schema", {}))
        if res.get("rows") != table.num_rows:
            problems.append(
                f"{rel}: row count mismatch (datapackage says {res.get('rows')}, file has {table.num_rows})"
            )
        name = res.get("name")
        spec = TABLES.get(name)
        if spec is not None:
            try:
                df = pl.from_arrow(table)
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{rel}: cannot load into polars ({exc})")
                continue
            wanted = spec.polars_schema()
            if list(df.columns) != list(wanted):
                problems.append(
                    f"{rel}: columns {df.columns} differ from schemas' {list(wanted)} "
                    "(the release may predate a schema change)"
                )
                continue
            problems += _validate_frame(df, spec, rel)
            frames[name], specs[name] = df, spec
    problems += _foreign_key_problems(frames, specs)

    cr_path = root / CROISSANT_FILE
    if cr_path.is_file():
        try:
            cr = json.loads(cr_path.read_text(encoding="utf-8"))
            for fo in cr.get("distribution", []):
                f = root / fo.get("contentUrl", "")
                if not f.is_file():
                    problems.append(f"{CROISSANT_FILE}: {fo.get('contentUrl')} missing")
                elif fo.get("sha256") != _sha256(f):
                    problems.append(
                        f"{fo.get('contentUrl')}: sha256 mismatch with {CROISSANT_FILE}"
                    )
        except json.JSONDecodeError as exc:
            problems.append(f"{CROISSANT_FILE}: not valid JSON ({exc})")
    return problems


def _check_columns(rel: str, arrow_schema: pa_arrow.Schema, schema: Mapping) -> list[str]:
    problems = []
    fields = schema.get("fields", [])
    declared = [f["name"] for f in fields]
    actual = list(arrow_schema.names)
    if declared != actual:
        missing = [c for c in declared if c not in actual]
        extra = [c for c in actual if c not in declared]
        problems.append(
            f"{rel}: columns differ from {DATAPACKAGE_FILE} (missing {missing}, unexpected "
            f"{extra}{', order differs' if not missing and not extra else ''})"
        )
    for f in fields:
        if f["name"] not in actual:
            continue
        arrow_type = arrow_schema.field(f["name"]).type
        if f.get("arrowType") and _arrow_type_str(arrow_type) != f["arrowType"]:
            problems.append(
                f"{rel}: column {f['name']} has Arrow type {arrow_type}, "
                f"{DATAPACKAGE_FILE} says {f['arrowType']}"
            )
        ftype = _frictionless_type(
            pl.from_arrow(pa_arrow.table({"x": pa_arrow.array([], arrow_type)}))["x"].dtype
        )
        if ftype != f.get("type"):
            problems.append(
                f"{rel}: column {f['name']} is {ftype}, {DATAPACKAGE_FILE} says {f.get('type')}"
            )
    return problems
