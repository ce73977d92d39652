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
            if name not in frames or ref_table not in frames or col not in frames[name].columns:
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


def _jsonable(value: Any) -> Any:
    """Scores as plain JSON: mappings with string keys, lists, numbers, strings (others as text)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return _json_default(value)
    return str(value)


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
            "accuracy_on_seed_gold": _jsonable(gold_scores) if gold_scores else None,
            "duckdb_views": {
                v.name: {
                    "description": v.description,
                    "columns": {c.name: c.description for c in v.columns},
                }
                for v in _views_for(
                    {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in resources}
                )
            },
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


@dataclass(frozen=True)
class _ViewColumn:
    name: str
    expr: str
    """SQL expression (aliases: see _VIEWS' `joins`)."""
    needs: tuple[str, ...]
    """Tables the expression reads besides the view's base table; NULL when one is missing."""
    sql_type: str
    description: str


@dataclass(frozen=True)
class _View:
    name: str
    base: str
    description: str
    from_sql: str
    joins: dict[str, str]
    """table -> LEFT JOIN clause, added when the table is in the release."""
    aliases: dict[str, str]
    """SQL alias -> table, for every alias the columns use (`a`, the actors subquery, excluded)."""
    requires: tuple[str, ...]
    """Columns of the base table without which the view is not made."""
    order_by: str
    columns: tuple[_ViewColumn, ...]


_DOC_COLUMNS = (
    ("doc_title", "d.title", "VARCHAR", "documents.title: the article's headline."),
    (
        "doc_outlet",
        "d.outlet",
        "VARCHAR",
        "documents.outlet: the publisher, when the text names it.",
    ),
    (
        "doc_published_date",
        "d.published_date",
        "DATE",
        "documents.published_date: publication date stated in the text.",
    ),
)


def _doc_columns() -> tuple[_ViewColumn, ...]:
    return tuple(_ViewColumn(n, e, ("documents",), t, d) for n, e, t, d in _DOC_COLUMNS)


_REPORTED_DATE_DESCRIPTION = (
    "Date the words were reported: the date heading the live-blog entry they are in, else the "
    "document's published_date; null when neither is known."
)

_VIEWS: tuple[_View, ...] = (
    _View(
        name="quotes_with_speakers",
        base="quotes",
        description="Who said what, where and when: one row per quotes row, with the speaker's "
        "entity type and country and the document's title, outlet and date.",
        from_sql="quotes q",
        joins={
            "documents": "LEFT JOIN documents d ON d.doc_id = q.doc_id",
            "entities": "LEFT JOIN entities se ON se.entity_id = q.speaker_entity_id",
            "quote_clusters": "LEFT JOIN quote_clusters qc ON qc.quote_cluster_id = q.quote_cluster_id",
        },
        aliases={"q": "quotes", "d": "documents", "se": "entities", "qc": "quote_clusters"},
        requires=("quote_id", "doc_id"),
        order_by="q.quote_id",
        columns=(
            _ViewColumn("quote_id", "q.quote_id", (), "VARCHAR", "quotes.quote_id."),
            _ViewColumn("doc_id", "q.doc_id", (), "VARCHAR", "quotes.doc_id."),
            *_doc_columns(),
            _ViewColumn("reported_date", "", ("documents",), "DATE", _REPORTED_DATE_DESCRIPTION),
            _ViewColumn("kind", "q.kind", (), "VARCHAR", "direct, partial, indirect or scare."),
            _ViewColumn("text", "q.text", (), "VARCHAR", "The quoted words."),
            _ViewColumn(
                "speaker_entity_id",
                "q.speaker_entity_id",
                (),
                "VARCHAR",
                "entities.entity_id of the speaker.",
            ),
            _ViewColumn(
                "speaker_name", "q.speaker_name", (), "VARCHAR", "Canonical name of the speaker."
            ),
            _ViewColumn(
                "speaker_type",
                "se.type",
                ("entities",),
                "VARCHAR",
                "entities.type of the speaker: PERSON, ORG, GPE, NORP, ...",
            ),
            _ViewColumn(
                "speaker_country_code",
                "se.country_code",
                ("entities",),
                "VARCHAR",
                "entities.country_code of the speaker (ISO 3166-1 alpha-3).",
            ),
            _ViewColumn(
                "cue", "q.cue", (), "VARCHAR", "The attribution words ('said', 'according to')."
            ),
            _ViewColumn(
                "relayed_by_entity_id",
                "q.relayed_by_entity_id",
                (),
                "VARCHAR",
                "entities.entity_id of who passed the words on.",
            ),
            _ViewColumn(
                "relayed_by_name",
                "q.relayed_by_name",
                (),
                "VARCHAR",
                "Canonical name of who passed the words on.",
            ),
            _ViewColumn(
                "parent_quote_id",
                "q.parent_quote_id",
                (),
                "VARCHAR",
                "quote_id of the enclosing quote of a nested one.",
            ),
            _ViewColumn(
                "quote_cluster_id",
                "q.quote_cluster_id",
                (),
                "VARCHAR",
                "quote_clusters row: the same words across articles.",
            ),
            _ViewColumn(
                "cluster_n_articles",
                "qc.n_articles",
                ("quote_clusters",),
                "BIGINT",
                "quote_clusters.n_articles: how many documents report these words.",
            ),
            _ViewColumn("start", "q.start", (), "BIGINT", "Offset of the quote in documents.text."),
            _ViewColumn(
                "end", 'q."end"', (), "BIGINT", "End offset (exclusive) in documents.text."
            ),
        ),
    ),
    _View(
        name="events_with_actors",
        base="events",
        description="Who did what to whom: one row per event and actor, role 'source' (who acts) "
        "or 'target' (who is acted on), with the actor's entity type and country and the "
        "document's title, outlet and date. An event with two sources and one target has three rows.",
        from_sql=(
            "(SELECT ev.event_id, 'source' AS role, g.i AS actor_index, "
            "ev.source_entity_ids[g.i] AS entity_id, ev.source_names[g.i] AS entity_name "
            "FROM events ev, generate_series(1, len(ev.source_entity_ids)) g(i) "
            "UNION ALL "
            "SELECT ev.event_id, 'target', g.i, ev.target_entity_ids[g.i], ev.target_names[g.i] "
            "FROM events ev, generate_series(1, len(ev.target_entity_ids)) g(i)) a "
            "JOIN events ev ON ev.event_id = a.event_id"
        ),
        joins={
            "documents": "LEFT JOIN documents d ON d.doc_id = ev.doc_id",
            "entities": "LEFT JOIN entities en ON en.entity_id = a.entity_id",
            "event_clusters": "LEFT JOIN event_clusters ec ON ec.cluster_id = ev.cluster_id",
        },
        aliases={"ev": "events", "d": "documents", "en": "entities", "ec": "event_clusters"},
        requires=(
            "event_id",
            "doc_id",
            "source_entity_ids",
            "source_names",
            "target_entity_ids",
            "target_names",
        ),
        order_by="ev.event_id, a.role, a.actor_index",
        columns=(
            _ViewColumn("event_id", "ev.event_id", (), "VARCHAR", "events.event_id."),
            _ViewColumn(
                "doc_id", "ev.doc_id", (), "VARCHAR", "events.doc_id: the reporting document."
            ),
            *_doc_columns(),
            _ViewColumn("event_type", "ev.event_type", (), "VARCHAR", "PLOVER category."),
            _ViewColumn(
                "event_mode",
                "ev.event_mode",
                (),
                "VARCHAR",
                "PLOVER event mode, when the text says.",
            ),
            _ViewColumn(
                "modality",
                "ev.modality",
                (),
                "VARCHAR",
                "asserted, future, hypothetical or negated.",
            ),
            _ViewColumn(
                "event_date", "ev.event_date", (), "DATE", "When it happened; null when unknown."
            ),
            _ViewColumn(
                "date_precision", "ev.date_precision", (), "VARCHAR", "day, month or year."
            ),
            _ViewColumn(
                "role", "a.role", (), "VARCHAR", "'source' (PLOVER actor) or 'target' (recipient)."
            ),
            _ViewColumn(
                "actor_index",
                "a.actor_index",
                (),
                "BIGINT",
                "1-based position of the actor in events.source_entity_ids or target_entity_ids.",
            ),
            _ViewColumn(
                "entity_id", "a.entity_id", (), "VARCHAR", "entities.entity_id of the actor."
            ),
            _ViewColumn(
                "entity_name", "a.entity_name", (), "VARCHAR", "Canonical name of the actor."
            ),
            _ViewColumn(
                "entity_type", "en.type", ("entities",), "VARCHAR", "entities.type of the actor."
            ),
            _ViewColumn(
                "entity_country_code",
                "en.country_code",
                ("entities",),
                "VARCHAR",
                "entities.country_code of the actor (ISO 3166-1 alpha-3).",
            ),
            _ViewColumn(
                "location",
                "ev.location",
                (),
                "VARCHAR",
                "Where it happened, when the sentence says.",
            ),
            _ViewColumn(
                "reported_by_name",
                "ev.reported_by_name",
                (),
                "VARCHAR",
                "Who the text says reported the event.",
            ),
            _ViewColumn(
                "trigger", "ev.trigger", (), "VARCHAR", "The verb or noun expressing the event."
            ),
            _ViewColumn(
                "evidence_text",
                "ev.evidence_text",
                (),
                "VARCHAR",
                "The sentence the event rests on.",
            ),
            _ViewColumn(
                "cluster_id",
                "ev.cluster_id",
                (),
                "VARCHAR",
                "event_clusters row: the same real-world event across documents.",
            ),
            _ViewColumn(
                "cluster_n_articles",
                "ec.n_articles",
                ("event_clusters",),
                "BIGINT",
                "event_clusters.n_articles: how many documents report the event.",
            ),
        ),
    ),
)


def _spec_columns(specs: Mapping[str, TableSpec]) -> dict[str, set[str]]:
    return {n: set(spec.columns()) for n, spec in specs.items()}


def _views_for(tables: Mapping[str, Any] | set[str]) -> list[_View]:
    """The views a release with these tables has: those whose base table has its key columns.

    `tables` maps table names to their columns (a set of names only checks the base table).
    """
    out = []
    for v in _VIEWS:
        if v.base not in tables:
            continue
        if isinstance(tables, Mapping) and not set(v.requires) <= set(tables[v.base] or ()):
            continue
        out.append(v)
    return out


_COLUMN_REF = re.compile(r'\b([a-z]+)\.("?)([A-Za-z_][A-Za-z0-9_]*)\2')


def _view_sql(tables: Mapping[str, Any]) -> list[str]:
    """CREATE VIEW statements of the views of a release whose tables have these columns.

    `tables` maps table name -> its column names. A view column whose table or column is absent
    (a release of a subset, a column renamed in a later schema) is a typed NULL, so a view keeps
    its columns in every release.
    """
    cols = {t: set(c or ()) for t, c in tables.items()}
    statements = []
    for view in _views_for(cols):
        aliases = {**view.aliases, "lbe": "live_blog_entries"}
        select = []
        for col in view.columns:
            expr = col.expr
            if col.name == "reported_date":
                entry = (
                    "(SELECT max(lbe.entry_date) FROM live_blog_entries lbe WHERE "
                    'lbe.doc_id = q.doc_id AND q.start >= lbe.start AND q.start < lbe."end")'
                )
                with_entries = f"coalesce({entry}, d.published_date)"
                ok = all(
                    c in cols.get(aliases[al], ()) for al, _, c in _COLUMN_REF.findall(with_entries)
                )
                expr = with_entries if ok else "d.published_date"
            refs = [(al, c) for al, _, c in _COLUMN_REF.findall(expr) if al in aliases]
            if all(c in cols.get(aliases[al], ()) for al, c in refs):
                select.append(f"{expr} AS {_quote_ident(col.name)}")
            else:
                select.append(f"CAST(NULL AS {col.sql_type}) AS {_quote_ident(col.name)}")
        joins = [sql for table, sql in view.joins.items() if table in cols]
        statements.append(
            f"CREATE VIEW {view.name} AS SELECT "
            + ", ".join(select)
            + f" FROM {view.from_sql} "
            + " ".join(joins)
            + f" ORDER BY {view.order_by}"
        )
    return statements


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
        columns = _spec_columns(specs)
        for sql, view in zip(_view_sql(columns), _views_for(columns), strict=True):
            con.execute(sql)
            con.execute(f"COMMENT ON VIEW {view.name} IS {_sql_str(view.description)}")
            for col in view.columns:
                con.execute(
                    f"COMMENT ON COLUMN {view.name}.{_quote_ident(col.name)} "
                    f"IS {_sql_str(col.description)}"
                )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():  # never expected after CHECKPOINT + close; a stray WAL must not ship
        wal.unlink()


# --------------------------------------------------------------------------------------------
# Charts

_CHART_DPI = 110


def _new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=_CHART_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save_png(fig, path: Path) -> None:
    """Save deterministically: no Software/creation metadata, fixed dpi, Agg."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        path,
        format="png",
        dpi=_CHART_DPI,
        metadata={"Software": None},
        bbox_inches="tight",
        pad_inches=0.15,
    )


def _titles(fig, ax, title: str, subtitle: str | None) -> None:
    """A bold figure title and a smaller grey line under it saying what is (not) counted."""
    fig.suptitle(title, fontsize=13, fontweight="bold")
    if subtitle:
        ax.set_title(subtitle, fontsize=9, color="#444444")


def _draw_charts(root: Path, frames: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    """Draw the card's charts; returns chart key -> relative PNG path, or -> reason not drawn."""
    out: dict[str, str] = {}
    out["events_per_day"] = _chart_events(root, frames.get("events"))
    out["top_speakers"] = _chart_speakers(root, frames.get("quotes"), frames.get("entities"))
    out["entity_cooccurrence"] = _chart_cooccurrence(
        root, frames.get("entity_mentions"), frames.get("entities"), frames.get("documents")
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


def _category_colours(categories: Sequence[str]) -> dict[str, Any]:
    """One distinct colour per PLOVER category, fixed by the category's place in the registry."""
    from matplotlib import colormaps

    try:
        from schemas.events import EVENT_TYPES
    except ImportError:  # pragma: no cover - the registry always has events
        EVENT_TYPES = ()
    order = list(EVENT_TYPES) + sorted(c for c in categories if c not in EVENT_TYPES)
    palette = colormaps["tab20"].colors
    # tab20 pairs a dark and a light shade; dark ones first keeps neighbours distinct
    ordered = palette[0::2] + palette[1::2]
    return {c: ordered[i % len(ordered)] for i, c in enumerate(order)}


def _chart_events(root: Path, events: pl.DataFrame | None) -> str:
    reason = _not_drawn("events", events, ["event_date", "event_type"])
    if reason:
        return reason
    n_all = events.height
    dated = events.filter(pl.col("event_date").is_not_null())
    if "date_precision" in events.columns:
        day = dated.filter(pl.col("date_precision") == "day")
    else:
        day = dated
    if day.height == 0:
        return "not drawn: no event in `events` is dated to the day"
    counts = day.group_by("event_date", "event_type").len().sort("event_date", "event_type")
    days = counts["event_date"].unique().sort().to_list()
    totals = day.group_by("event_type").len().sort(["len", "event_type"], descending=[True, False])
    types = totals["event_type"].to_list()
    colours = _category_colours(types)
    width = min(16.0, max(8.0, 0.45 * len(days) + 4.5))
    fig = _new_figure(width, 5.2)
    ax = fig.add_subplot()
    bottom = [0] * len(days)
    index = {d: i for i, d in enumerate(days)}
    for t, n in totals.iter_rows():
        sub = counts.filter(pl.col("event_type") == t)
        heights = [0] * len(days)
        for d, k in zip(sub["event_date"].to_list(), sub["len"].to_list(), strict=True):
            heights[index[d]] = k
        ax.bar(
            range(len(days)),
            heights,
            bottom=bottom,
            label=f"{t} ({n})",
            color=colours[t],
            edgecolor="white",
            linewidth=0.5,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    for i, total in enumerate(bottom):
        ax.annotate(
            str(total),
            (i, total),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    step = max(1, -(-len(days) // 30))  # at most ~30 date labels
    ticks = list(range(0, len(days), step))
    ax.set_xticks(
        ticks,
        [days[i].isoformat() for i in ticks],
        rotation=45,
        ha="right",
        rotation_mode="anchor",
        fontsize=8,
    )
    ax.set_xlim(-0.6, len(days) - 0.4)
    ax.set_ylim(0, max(bottom) * 1.12 + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("event date (only days with at least one event are shown)")
    ax.set_ylabel("events (one per reporting document)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        title="PLOVER category",
        fontsize=8,
        title_fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    n_coarse = dated.height - day.height
    n_undated = n_all - dated.height
    _titles(
        fig,
        ax,
        "Events per day by PLOVER category",
        f"{day.height} of {n_all} events are dated to the day and shown; "
        f"{n_coarse} dated only to the month or year and {n_undated} undated are not.",
    )
    rel = "charts/events_per_day.png"
    _save_png(fig, root / rel)
    return rel


_KIND_COLOURS = {
    "direct": "#1f77b4",
    "partial": "#6baed6",
    "indirect": "#fd8d3c",
    "scare": "#bdbdbd",
}
_KIND_LABELS = {
    "direct": "direct quote",
    "partial": "partial quote",
    "indirect": "reported speech (indirect)",
    "scare": "scare quote",
}


def _chart_speakers(
    root: Path, quotes: pl.DataFrame | None, entities: pl.DataFrame | None = None, top: int = 15
) -> str:
    reason = _not_drawn("quotes", quotes, ["speaker_name"])
    if reason:
        return reason
    key = "speaker_entity_id" if "speaker_entity_id" in quotes.columns else "speaker_name"
    attributed = quotes.filter(pl.col(key).is_not_null())
    if attributed.height == 0:
        return "not drawn: no quote in `quotes` has a speaker"
    per_speaker = (
        attributed.group_by(key)
        .agg(pl.len(), pl.col("speaker_name").first())
        .sort(["len", "speaker_name"], descending=[True, False])
    )
    n_speakers = per_speaker.height
    best = per_speaker.head(top)
    types: dict[str, str] = {}
    if (
        key == "speaker_entity_id"
        and entities is not None
        and {"entity_id", "type"} <= set(entities.columns)
    ):
        types = dict(entities.select("entity_id", "type").iter_rows())
    ids = best[key].to_list()[::-1]
    labels = [
        f"{name} ({types[i]})" if i in types else str(name)
        for i, name in zip(ids, best["speaker_name"].to_list()[::-1], strict=True)
    ]
    kinds_present = attributed["kind"].unique().to_list() if "kind" in attributed.columns else []
    kinds = [k for k in _KIND_COLOURS if k in kinds_present] + sorted(
        k for k in kinds_present if k not in _KIND_COLOURS
    )
    fig = _new_figure(9.0, max(3.2, 0.34 * len(ids) + 1.8))
    ax = fig.add_subplot()
    left = [0] * len(ids)
    if kinds:
        by_kind = attributed.group_by(key, "kind").len()
        for k in kinds:
            sub = dict(by_kind.filter(pl.col("kind") == k).select(key, "len").iter_rows())
            widths = [sub.get(i, 0) for i in ids]
            ax.barh(
                range(len(ids)),
                widths,
                left=left,
                color=_KIND_COLOURS.get(k, "#999999"),
                label=_KIND_LABELS.get(k, k),
                edgecolor="white",
                linewidth=0.5,
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.legend(fontsize=8, loc="lower right", frameon=False)
    else:
        left = best["len"].to_list()[::-1]
        ax.barh(range(len(ids)), left)
    for i, total in enumerate(left):
        ax.annotate(
            str(total),
            (total, i),
            va="center",
            ha="left",
            fontsize=8,
            xytext=(3, 0),
            textcoords="offset points",
        )
    ax.set_yticks(range(len(ids)), labels, fontsize=9)
    ax.set_xlim(0, max(left) * 1.1 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("quotes attributed to the speaker")
    ax.set_ylabel("speaker (entity type)")
    ax.spines[["top", "right"]].set_visible(False)
    _titles(
        fig,
        ax,
        f"Most quoted speakers (top {len(ids)} of {n_speakers})",
        f"{attributed.height} of {quotes.height} quotes have a resolved speaker; "
        f"{quotes.height - attributed.height} have none and are not counted.",
    )
    rel = "charts/top_speakers.png"
    _save_png(fig, root / rel)
    return rel


_ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")


def _mention_units(
    mentions: pl.DataFrame, documents: pl.DataFrame | None
) -> tuple[pl.DataFrame, str, int]:
    """(entity_id, unit) pairs, the unit's name and the number of units.

    The unit is a paragraph of documents.text (paragraphs are separated by a blank line) when
    the documents are in the release, else a whole document.
    """
    import bisect

    pairs = mentions.select("doc_id", "entity_id", "start").drop_nulls()
    if documents is None or not {"doc_id", "text"} <= set(documents.columns):
        units = pairs.select("entity_id", unit=pl.col("doc_id")).unique()
        return units, "documents", mentions["doc_id"].n_unique()
    breaks: dict[str, list[int]] = {}
    n_units = 0
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        found = [m.end() for m in re.finditer(r"\n\s*\n", text)]
        breaks[doc_id] = found
        n_units += len(found) + 1
    unit_ids = [
        f"{d}:{bisect.bisect_right(breaks.get(d, []), s)}"
        for d, s in pairs.select("doc_id", "start").iter_rows()
    ]
    units = pairs.select("entity_id").with_columns(unit=pl.Series(unit_ids, dtype=pl.Utf8)).unique()
    return units, "paragraphs", n_units


def _chart_cooccurrence(
    root: Path,
    mentions: pl.DataFrame | None,
    entities: pl.DataFrame | None,
    documents: pl.DataFrame | None = None,
    top: int = 15,
) -> str:
    reason = _not_drawn("entity_mentions", mentions, ["doc_id", "entity_id", "start"])
    if reason:
        return reason
    types: dict[str, str] = {}
    names: dict[str, str] = {}
    if entities is not None and {"entity_id", "name", "type"} <= set(entities.columns):
        for eid, name, etype in entities.select("entity_id", "name", "type").iter_rows():
            names[eid], types[eid] = name, etype
        mentions = mentions.filter(
            pl.col("entity_id").is_in([e for e, t in types.items() if t in _ACTOR_TYPES])
        )
        if mentions.height == 0:
            return "not drawn: no mention of a person, organisation, place or group"
    units, unit_name, n_units = _mention_units(mentions, documents)
    freq = (
        units.group_by("entity_id")
        .len()
        .sort(["len", "entity_id"], descending=[True, False])
        .head(top)
    )
    if freq.height < 2:
        return "not drawn: fewer than two entities are mentioned"
    ids = freq["entity_id"].to_list()
    own = dict(freq.iter_rows())
    members = {
        e: set(g["unit"].to_list())
        for (e,), g in units.filter(pl.col("entity_id").is_in(ids)).group_by("entity_id")
    }
    n = len(ids)
    matrix = [[float("nan") if a == b else len(members[a] & members[b]) for b in ids] for a in ids]
    peak = max((v for row in matrix for v in row if v == v), default=0) or 1
    labels = [f"{names.get(i, i)} ({own[i]})" for i in ids]

    from matplotlib import colormaps
    from matplotlib.ticker import MaxNLocator

    cmap = colormaps["Blues"].with_extremes(bad="#eeeeee")
    side = max(6.0, 0.4 * n + 3.2)
    fig = _new_figure(side + 1.6, side)
    ax = fig.add_subplot()
    im = ax.imshow(matrix, cmap=cmap, vmin=0, vmax=peak)
    ax.set_xticks(range(n), labels, rotation=45, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    for i in range(n):
        for j in range(n):
            v = matrix[i][j]
            if v == v:
                ax.text(
                    j,
                    i,
                    str(v),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 * peak else "black",
                )
    bar = fig.colorbar(im, ax=ax, shrink=0.8, label=f"{unit_name} mentioning both")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    noun = "paragraphs" if unit_name == "paragraphs" else "documents"
    _titles(
        fig,
        ax,
        f"Entity co-occurrence: {noun} mentioning both",
        f"Top {n} people, organisations, places and groups by {noun} mentioning them "
        f"(in brackets), of {n_units} {noun}.",
    )
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
        if items:  # empty sections are left out
            lines.extend([f"### {title}", *[f"- {i}" for i in items], ""])

    if diff.old_version is not None and not diff.schema_changed:
        lines += ["No schema change.", ""]

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


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _counts(df: pl.DataFrame, column: str) -> list[tuple[Any, int]]:
    """(value, rows) of a column, most frequent first, ties by value."""
    return list(
        df.group_by(column).len().sort(["len", column], descending=[True, False]).iter_rows()
    )


def _coverage(frames: Mapping[str, pl.DataFrame]) -> list[str]:
    lines = []
    docs = frames.get("documents")
    if docs is not None:
        kinds = ", ".join(
            f"{n} {k.replace('_', ' ')}{'s' if n != 1 else ''}" for k, n in _counts(docs, "kind")
        )
        lines.append(
            f"- **Documents:** {docs.height}"
            + (f" ({kinds})" if docs.height else "")
            + (f", {docs['n_chars'].sum():,} characters of cleaned text" if docs.height else "")
        )
        outlets = [(o, n) for o, n in _counts(docs, "outlet") if o is not None]
        n_unknown = docs["outlet"].null_count()
        lines.append(
            f"- **Outlets** named in the text: {len(outlets)}"
            + (" (" + ", ".join(f"{o} {n}" for o, n in outlets) + ")" if outlets else "")
            + (f"; {n_unknown} of {docs.height} documents name none" if n_unknown else "")
        )
        dates = docs["published_date"].drop_nulls()
        entries = frames.get("live_blog_entries")
        if dates.len():
            span = (
                str(dates.min())
                if dates.min() == dates.max()
                else f"{dates.min()} to {dates.max()}"
            )
            text = (
                f"- **Publication dates** stated: {span} ({dates.len()} of {docs.height} documents)"
            )
        else:
            text = "- **Publication dates:** no document states one"
        if entries is not None and entries.height:
            e = entries["entry_date"]
            span = str(e.min()) if e.min() == e.max() else f"{e.min()} to {e.max()}"
            text += f"; live-blog entries dated {span}"
        lines.append(text)
    inputs, rej = frames.get("input_files"), frames.get("rejected_documents")
    if inputs is not None:
        text = f"- **Input files:** {inputs.height}"
        if rej is not None:
            reasons = ", ".join(f"{r} {n}" for r, n in _counts(rej, "reason"))
            text += f", {rej.height} rejected" + (f" ({reasons})" if rej.height else "")
        lines.append(text)
    ents, mentions = frames.get("entities"), frames.get("entity_mentions")
    if ents is not None:
        types = ", ".join(f"{n} {t}" for t, n in _counts(ents, "type"))
        lines.append(
            f"- **Entities:** {ents.height} canonical actors"
            + (f" ({types})" if types else "")
            + (f", {mentions.height} mentions" if mentions is not None else "")
        )
    quotes = frames.get("quotes")
    if quotes is not None:
        kinds = ", ".join(f"{n} {k}" for k, n in _counts(quotes, "kind"))
        n_spk = quotes["speaker_entity_id"].is_not_null().sum()
        text = (
            f"- **Quotes:** {quotes.height}"
            + (f" ({kinds})" if kinds else "")
            + f"; {n_spk} ({_pct(n_spk, quotes.height)}) with a resolved speaker, "
            f"{quotes['speaker_entity_id'].drop_nulls().n_unique()} distinct speakers"
        )
        qc = frames.get("quote_clusters")
        if qc is not None:
            multi = qc.filter(pl.col("n_articles") > 1).height
            text += f"; {qc.height} quote clusters, {multi} reported by more than one document"
        lines.append(text)
    events = frames.get("events")
    if events is not None:
        cats = _counts(events, "event_type")
        top = ", ".join(f"{c} {n}" for c, n in cats[:5])
        dated = events.filter(pl.col("event_date").is_not_null())
        day = dated.filter(pl.col("date_precision") == "day").height
        text = (
            f"- **Events:** {events.height} reports in {len(cats)} PLOVER categories"
            + (f" (most: {top})" if top else "")
            + f"; {dated.height} dated ({day} to the day)"
        )
        if dated.height:
            text += f", {dated['event_date'].min()} to {dated['event_date'].max()}"
        ec = frames.get("event_clusters")
        if ec is not None:
            multi = ec.filter(pl.col("n_articles") > 1).height
            text += f"; {ec.height} event clusters, {multi} reported by more than one document"
        lines.append(text)
    return lines or ["- No document tables in this release."]


# Gold scores: compact rendering --------------------------------------------------------------

_PRF = ("precision", "recall", "f1")
_COUNT_KEYS = {"tp", "n_pred", "n_gold", "n_matched", "speaker_correct"}
_SCORED = {
    ("entities", ""): "actors named per document (name + type)",
    ("quotes", "quotes"): "quotes (direct, partial, scare)",
    ("quotes", "indirect"): "reported speech",
    ("quotes", "indirect_all"): "reported speech incl. unmarked continuations",
    ("events", ""): "events (same document, category and an actor)",
}
_MEASURES = {
    "macro_f1": "macro F1",
    "ids_per_gold_actor": "ids per gold actor (1 = never split)",
    "ids_per_gold_actor_corpus": "across documents",
    "date_accuracy": "date accuracy",
    "date_accuracy_known": "where the gold date is known",
    "duplicates_once": "duplicates kept once",
    "speaker_accuracy": "speaker accuracy",
}


def _is_prf(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(value.get(k), int | float) for k in ("precision", "recall")
    )


def _num(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _measures(scores: Mapping, skip: set[str]) -> list[str]:
    """Scalar measures (and counts of listed misses) of one score dict, as 'label value'."""
    out = []
    keys = [k for k in scores if k not in skip and k not in _PRF and k not in _COUNT_KEYS]
    if "clusters_whole" in keys and "n_clusters" in keys:
        out.append(f"gold clusters kept whole {scores['clusters_whole']}/{scores['n_clusters']}")
        keys = [k for k in keys if k not in ("clusters_whole", "n_clusters")]
    for k in keys:
        v = scores[k]
        if isinstance(v, Mapping):
            continue  # per-document detail: datapackage.json
        if isinstance(v, list | tuple):
            if v:
                out.append(f"{len(v)} {k.replace('_', ' ')}")
            continue
        out.append(f"{_MEASURES.get(k, k.replace('_', ' '))} {_num(v)}")
    return out


def _prf_cells(scores: Mapping, counts: Mapping) -> list[str]:
    p, r = scores["precision"], scores["recall"]
    f = scores.get("f1")
    if not isinstance(f, int | float):
        f = 2 * p * r / (p + r) if p + r else 0.0
    return [
        _num(float(p)),
        _num(float(r)),
        _num(float(f)),
        _num(counts.get("n_gold", "")),
        _num(counts.get("n_pred", "")),
    ]


def _accuracy_table(gold_scores: Mapping) -> list[str]:
    """One row per scored thing: precision, recall, F1, gold and predicted counts, other measures."""
    rows = [
        "| stage | scored | precision | recall | F1 | gold | predicted | other measures |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for stage, scores in gold_scores.items():
        if not isinstance(scores, Mapping):
            rows.append(f"| {stage} | | | | | | | {_num(scores)} |")
            continue
        if "skipped" in scores:
            rows.append(f"| {stage} | | | | | | | skipped: {_num(scores['skipped'])} |")
            continue
        stage_rows: list[tuple[str, list[str], list[str]]] = []
        skip: set[str] = set()
        if _is_prf(scores):
            counts: Mapping = scores
            if "n_gold" not in scores:  # e.g. entities: the counts are in a 'micro' sub-dict
                for k, v in scores.items():
                    if _is_prf(v) and all(
                        abs(float(v[m]) - float(scores[m])) < 5e-4 for m in ("precision", "recall")
                    ):
                        counts, skip = v, {k}
                        break
            label = _SCORED.get((stage, ""), stage)
            stage_rows.append((label, _prf_cells(scores, counts), []))
        for k, v in scores.items():
            if k in skip or not _is_prf(v):
                continue
            skip.add(k)
            label = _SCORED.get((stage, k), k.replace("_", " "))
            stage_rows.append((label, _prf_cells(v, v), _measures(v, set())))
        others = _measures(scores, skip)
        if not stage_rows:
            stage_rows.append(("", [""] * 5, []))
        first = True
        for label, cells, extra in stage_rows:
            measures = (others if first else []) + extra
            rows.append(
                f"| {stage if first else ''} | {label} | "
                + " | ".join(cells)
                + f" | {'; '.join(measures)} |"
            )
            first = False
    return rows


def _gold_value(gold_scores: Mapping | None, *path: str) -> Any:
    value: Any = gold_scores
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


# Limitations ----------------------------------------------------------------------------------


def _limitations(frames: Mapping[str, pl.DataFrame], gold_scores: Mapping | None) -> list[str]:
    lines = []
    docs = frames.get("documents")
    n_docs = docs.height if docs is not None else 0
    text = (
        f"- **Not a sample of the news.** The tables cover only the {n_docs} documents fed in. "
        "Counts of quotes, speakers and events measure how much these articles report, not how "
        "often anything happened or who matters."
    )
    if docs is not None and n_docs > 1:
        shares = []
        for table, noun in (("quotes", "quotes"), ("events", "events")):
            df = frames.get(table)
            if df is not None and df.height:
                doc, n = _counts(df, "doc_id")[0]
                shares.append((doc, noun, n, df.height))
        big = [s for s in shares if s[2] / s[3] >= 0.4]
        if big:
            paths = dict(docs.select("doc_id", "source_path").iter_rows())
            kinds = dict(docs.select("doc_id", "kind").iter_rows())
            parts = ", ".join(f"{n} of {total} {noun}" for _, noun, n, total in big)
            doc = big[0][0]
            if all(b[0] == doc for b in big):
                text += (
                    f" One document dominates: `{paths.get(doc, doc)}` "
                    f"({kinds.get(doc, '').replace('_', ' ')}) holds {parts}."
                )
        lines.append(text)
    else:
        lines.append(text)
    lines.append(
        "- **Automatic extraction.** Entities, quotes, speakers and events come from spaCy plus "
        "rules and contain errors; see the accuracy table (measured on the seed articles only)."
    )
    lines.append(
        "- **Outlets and publication dates are read from the text**, not from a feed or URL; they "
        "are null when the text does not state them (`outlet_evidence` / `published_evidence` "
        "hold the words they were read from)."
    )
    events = frames.get("events")
    if events is not None and events.height:
        undated = events["event_date"].null_count()
        coarse = events.filter(pl.col("date_precision").is_in(["month", "year"])).height
        lines.append(
            f"- **Event dates.** {undated} of {events.height} events have no `event_date` and "
            f"{coarse} are dated only to the month or year (the date is then the 1st of the month "
            "or 1 January: filter on `date_precision`)."
        )
    lines.append(
        "- **Actors are canonical within this release only.** `entity_id` is a hash of type and "
        "name, not a link to Wikidata or another knowledge base; an actor under two types or an "
        "unresolved spelling gets two ids. Organisations and places are kept as written when "
        "they speak or act ('the Kremlin said'), not resolved to a person."
    )
    text = (
        "- **Cross-document clusters are rule-based** (`quote_clusters`, `event_clusters`) and "
        "can split one real-world event or merge two"
    )
    whole, n_cl = (
        _gold_value(gold_scores, "events", "clusters_whole"),
        _gold_value(gold_scores, "events", "n_clusters"),
    )
    if isinstance(whole, int) and isinstance(n_cl, int) and n_cl:
        text += f" (on the seed gold, {whole} of {n_cl} multi-document events are kept whole)"
    lines.append(text + ".")
    lines.append(
        "- **English only.** Files detected as another language are rejected "
        "(`rejected_documents`, reason `not_english`)."
    )
    lines.append(
        "- **Full article texts are included** (`documents.text`, `raw_documents.raw_text`). "
        "They remain their publishers' work; see the licence below."
    )
    lines.append(
        "- `readout.duckdb` is not byte-reproducible across releases (the Parquet files are, and "
        "so are the charts with the same matplotlib version and fonts); open it read-only, since "
        "a read-write open can rewrite the file and break its checksum."
    )
    return lines


# Snippets -------------------------------------------------------------------------------------


def _example_table(specs: Mapping[str, TableSpec]) -> str:
    return "documents" if "documents" in specs else next(iter(specs))


def _snippets(specs: Mapping[str, TableSpec]) -> dict[str, tuple[str, str]]:
    """Loading snippets: key -> (language, code). All paths are relative to the release folder."""
    t = _example_table(specs)
    views = {v.name for v in _views_for(_spec_columns(specs))}
    sql = [f"-- duckdb -readonly readout.duckdb\nSELECT count(*) AS n_rows FROM {t};"]
    if "quotes_with_speakers" in views:
        sql.append(
            "-- who is quoted most\n"
            "SELECT speaker_name, speaker_type, count(*) AS n_quotes,\n"
            "       count(DISTINCT doc_id) AS n_documents\n"
            "FROM quotes_with_speakers\n"
            "WHERE speaker_name IS NOT NULL\n"
            "GROUP BY ALL ORDER BY n_quotes DESC, speaker_name LIMIT 10;"
        )
    if "events_with_actors" in views:
        sql.append(
            "-- who did what to whom: source -> target pairs\n"
            "SELECT s.entity_name AS source, s.event_type, t.entity_name AS target,\n"
            "       count(*) AS n_events\n"
            "FROM events_with_actors s\n"
            "JOIN events_with_actors t ON t.event_id = s.event_id AND t.role = 'target'\n"
            "WHERE s.role = 'source'\n"
            "GROUP BY ALL ORDER BY n_events DESC, source, target LIMIT 10;"
        )
    sql.append(f"SELECT * FROM read_parquet('tables/{t}.parquet') LIMIT 5;")

    py_duck = [
        "import duckdb\n",
        'con = duckdb.connect("readout.duckdb", read_only=True)',
        'print(con.sql("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY 1"))',
    ]
    if "quotes_with_speakers" in views:
        py_duck.append(
            'print(con.sql("SELECT reported_date, doc_outlet, speaker_name, kind, text '
            'FROM quotes_with_speakers LIMIT 5"))'
        )
    else:
        py_duck.append(f'print(con.sql("SELECT * FROM {t} LIMIT 5"))')
    py_duck += [
        "# or straight from the Parquet files, without the database file:",
        f"print(duckdb.sql(\"SELECT count(*) FROM 'tables/{t}.parquet'\").fetchall())",
        "con.close()",
    ]

    polars = [
        "from pathlib import Path\n",
        "import polars as pl\n",
        'tables = {p.stem: pl.read_parquet(p) for p in sorted(Path("tables").glob("*.parquet"))}',
    ]
    if {"quotes", "entities"} <= set(specs):
        polars += [
            "speakers = (",
            '    tables["quotes"]',
            '    .join(tables["entities"], left_on="speaker_entity_id", right_on="entity_id")',
            '    .group_by("speaker_name", "type")',
            "    .len()",
            '    .sort(["len", "speaker_name"], descending=[True, False])',
            ")",
            "print(speakers.head(10))",
        ]
    else:
        polars += [f'{t} = tables["{t}"]', f"print({t}.head())"]

    if "events" in specs:
        pandas = [
            "import pandas as pd  # needs pyarrow\n",
            'events = pd.read_parquet("tables/events.parquet", dtype_backend="pyarrow")',
            'print(events["event_type"].value_counts())',
            "# one row per event and source actor:",
            'print(events.explode("source_names")[["event_id", "event_type", "source_names"]].head())',
        ]
    else:
        pandas = [
            "import pandas as pd  # needs pyarrow\n",
            f'{t} = pd.read_parquet("tables/{t}.parquet", dtype_backend="pyarrow")',
            f"print({t}.head())",
        ]
    r_table = "quotes" if "quotes" in specs else t
    r_view = "quotes_with_speakers" if "quotes_with_speakers" in views else t
    r = [
        'library(arrow)  # install.packages(c("arrow", "duckdb"))',
        f'{r_table} <- read_parquet("tables/{r_table}.parquet")',
        f"head({r_table})",
        "",
        "library(DBI)",
        'con <- dbConnect(duckdb::duckdb(), dbdir = "readout.duckdb", read_only = TRUE)',
        f'dbGetQuery(con, "SELECT * FROM {r_view} LIMIT 5")',
        "dbDisconnect(con, shutdown = TRUE)",
    ]
    spark = [
        "from pyspark.sql import SparkSession\n",
        'spark = SparkSession.builder.appName("readout").getOrCreate()',
        f'{t} = spark.read.parquet("tables/{t}.parquet")',
        f"{t}.printSchema()",
        f"{t}.show(5)",
    ]
    return {
        "duckdb-sql": ("sql", "\n".join(sql)),
        "duckdb-python": ("python", "\n".join(py_duck)),
        "polars": ("python", "\n".join(polars)),
        "pandas": ("python", "\n".join(pandas)),
        "r": ("r", "\n".join(r)),
        "spark": ("python", "\n".join(spark)),
    }


_UNTESTED_SNIPPETS = {"r", "spark"}


def _card(version, now, specs, frames, build, gold_scores, charts, diff) -> str:
    day = now.astimezone(UTC).date().isoformat()
    L: list[str] = []
    add = L.append
    add(f"# readout {version}\n")
    add(f"Released {day}. {DESCRIPTION}\n")
    glance = []
    if "documents" in frames:
        docs = frames["documents"]
        glance.append(
            f"{docs.height} documents from {docs['outlet'].drop_nulls().n_unique()} named outlets"
        )
    if "entities" in frames:
        glance.append(f"{frames['entities'].height} actors")
    if "quotes" in frames:
        q = frames["quotes"]
        n_spk = q["speaker_entity_id"].is_not_null().sum()
        glance.append(f"{q.height} quotes ({_pct(n_spk, q.height)} with a speaker)")
    if "events" in frames:
        glance.append(f"{frames['events'].height} PLOVER events")
    if glance:
        add("**At a glance:** " + ", ".join(glance) + ".\n")
    add(
        "Each input news article is decoded, cleaned (page furniture, captions, bios and repeated "
        "paragraphs removed), and annotated with spaCy and readout's own components. Every table is "
        "declared once as a pandera model; the Parquet files, `datapackage.json`, `croissant.json` and "
        "`readout.duckdb` are all derived from those declarations.\n"
    )

    views = _views_for(_spec_columns(specs))
    add("## Start here\n")
    starts = []
    if "quotes" in specs:
        starts.append(
            "- **Who said what:** "
            + ("the `quotes_with_speakers` view of `readout.duckdb`, or " if views else "")
            + "`tables/quotes.parquet` (one row per quotation or piece of reported speech)."
        )
    if "events" in specs:
        starts.append(
            "- **Who did what to whom:** "
            + (
                "the `events_with_actors` view (one row per event and actor), or "
                if any(v.name == "events_with_actors" for v in views)
                else ""
            )
            + "`tables/events.parquet` (one row per event per reporting document); "
            "`event_clusters` groups the reports of one real-world event."
        )
    if "entities" in specs:
        starts.append(
            "- **Who is who:** `entities` (one row per canonical actor) and `entity_mentions` "
            "(where each is named, with character offsets)."
        )
    if "documents" in specs:
        starts.append(
            "- **The articles:** `documents` (cleaned text with headline, outlet and date)."
        )
    L.extend(starts or ["- The tables below."])
    add("")

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
    if views:
        add("### Views in `readout.duckdb`\n")
        for v in views:
            add(
                f"- `{v.name}`: {v.description} Columns: "
                + ", ".join(f"`{c.name}`" for c in v.columns)
                + "."
            )
        add("")

    add("## Coverage\n")
    L.extend(_coverage(frames))
    add("")

    add("## Accuracy on the seed gold\n")
    if gold_scores:
        add(
            "Measured by `readout evaluate` against hand-made gold annotations of the seed articles "
            "(`tests/fixtures/seeds_gold.json` in the code repository). Precision: share of "
            "predicted rows that match the gold; recall: share of gold items found.\n"
        )
        L.extend(_accuracy_table(gold_scores))
        add("")
        add(
            "Per-document scores and the listed misses are in `datapackage.json` under "
            "`readout.accuracy_on_seed_gold`. The seeds are a handful of articles: read these as a "
            "smoke test, not as a benchmark.\n"
        )
    else:
        add("Not measured for this release.\n")

    add("## Known limitations\n")
    L.extend(_limitations(frames, gold_scores))
    add("")

    add("## Charts\n")
    titles = {
        "events_per_day": "Events per day by PLOVER category (rows of `events` dated to the day)",
        "top_speakers": "Most quoted speakers (rows of `quotes` with a resolved speaker)",
        "entity_cooccurrence": "Entity co-occurrence (paragraphs of `documents` mentioning both, "
        "from `entity_mentions`)",
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
        "r": "R (arrow, duckdb)",
        "spark": "Spark (PySpark)",
    }
    for key, (lang, code) in _snippets(specs).items():
        add(f"### {headings[key]}\n")
        if key in _UNTESTED_SNIPPETS:
            add("_Not run by readout's tests._\n")
        add(f"<!-- snippet: {key} -->")
        add(f"```{lang}\n{code}\n```\n")
        if key == "duckdb-sql" and views:
            add("Views in `readout.duckdb`: " + ", ".join(f"`{v.name}`" for v in views) + ".\n")
    add("Dates are Parquet `DATE`, timestamps are UTC; list columns are Parquet lists.\n")

    add("## Verify\n")
    add("```sh\nsha256sum -c SHA256SUMS\n```\n")
    add(
        "or `readout verify .` from a readout checkout (checks hashes, schemas, row counts and "
        "foreign keys).\n"
    )

    add("## Licence\n")
    add(
        f"Data: [{DATA_LICENSE['title']}]({DATA_LICENSE['path']}) (CC-BY-4.0) for readout's "
        "annotations (entities, quotes, events, clusters and the structure of every table). The "
        "article texts in `documents` and `raw_documents`, and the quotations and evidence "
        "sentences taken from them, remain their publishers' work: they are included so every "
        "annotation can be checked against its source; check your use against the publishers' "
        "terms, or drop those columns before redistributing. Code: MIT.\n"
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
    return any(v.name == view for v in _views_for(_spec_columns(specs)))


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
