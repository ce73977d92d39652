"""Release: freeze the built tables into an immutable, versioned release (`readout release`).

The `release` asset is what `readout release --output DIR` does, visible in the Dagster UI: it
depends on every published table, calls `pipeline.release.make_release` on the output folder of
the `readout` resource with the next semver version (the schema diff against the previous release
decides the bump), and reports the release in the asset's metadata.

It is not part of the `build` job: a build must not cut a release each time. Materialise it from
the UI (the `release` job, or the asset on its own) once a build is worth publishing. Like every
release it refuses nothing silently: invalid tables raise `ReleaseError`, and an existing version
is never overwritten.

Gold scores (the card's accuracy table) are computed only when they mean something: the input
folder is the repository's own `seeds/` and `tests/fixtures/seeds_gold.json` exists. The gold
annotates those five files; for any other input the card says "Not measured" (score a build of
other input with `readout evaluate --gold FILE`, and release it with `readout release --gold FILE`).
"""

import json

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from pipeline.evaluate import SEEDS_DIR, seeds_gold
from pipeline.release import INTERNAL_TABLES, make_release
from pipeline.settings import ReadoutSettings
from schemas import TABLES

PUBLISHED_TABLES = [name for name in TABLES if name not in INTERNAL_TABLES]


@asset(
    name="release",
    group_name="release",
    deps=[AssetKey(name) for name in PUBLISHED_TABLES],
    description="An immutable, versioned release of the published tables under "
    "<output>/releases/<version>/: Parquet, datapackage.json, croissant.json, readout.duckdb, "
    "dataset card, charts and SHA256SUMS (same as `readout release`).",
)
def release(context: AssetExecutionContext, readout: ReadoutSettings) -> MaterializeResult:
    """Publish the output folder's tables as the next semver release and verify it."""
    from pipeline.evaluate import evaluate

    output = readout.output_path
    gold = seeds_gold(readout.input_path)
    gold_scores = evaluate(output, gold) if gold is not None else None
    if gold_scores is None:
        context.log.info(
            f"no gold scores: input {readout.input_path} is not {SEEDS_DIR} (or its gold is missing)"
        )
    path = make_release(output, gold_scores=gold_scores)
    files = sorted(p for p in path.rglob("*") if p.is_file())
    datapackage = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    rows = {r["name"]: r["rows"] for r in datapackage["resources"]}
    context.log.info(f"released {path}")
    return MaterializeResult(
        metadata={
            "version": MetadataValue.text(datapackage["version"]),
            "path": MetadataValue.path(str(path)),
            "n_files": MetadataValue.int(len(files)),
            "total_bytes": MetadataValue.int(sum(p.stat().st_size for p in files)),
            "table_rows": MetadataValue.json(rows),
            "gold_scored": MetadataValue.bool(gold_scores is not None),
            "card": MetadataValue.path(str(path / "README.md")),
        }
    )
