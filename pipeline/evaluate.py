"""Score a build against gold annotations and print precision/recall per table.

    python -m pipeline.evaluate --output output --gold tests/fixtures/seeds_gold.json [--json]

Scorers live in `pipeline/evaluation/<table>.py`; a stage whose tables were not built is skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

import polars as pl

from pipeline.io import table_path
from schemas import TABLES

SCORERS = ("documents", "entities", "quotes", "events")
REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"
SEEDS_GOLD = REPO_ROOT / "tests" / "fixtures" / "seeds_gold.json"


def seeds_gold(input_path: Path) -> dict | None:
    """The parsed seeds gold when `input_path` is the repository's seeds/ and the gold exists: the
    gold annotates those five files, so scores of any other input would mean nothing."""
    try:
        same = Path(input_path).resolve() == SEEDS_DIR.resolve()
    except OSError:
        return None
    if not same or not SEEDS_GOLD.is_file():
        return None
    return json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))


def gold_of_last_build(output_dir: Path) -> dict | None:
    """`seeds_gold` of the input folder of the latest build in `output_dir` (from `provenance`)."""
    path = table_path(output_dir, "provenance")
    if not path.exists():
        return None
    prov = pl.read_parquet(path).sort("finished_at")
    return seeds_gold(Path(prov["input_dir"][-1])) if prov.height else None


def load_tables(output_dir: Path) -> dict[str, pl.DataFrame]:
    """Every registered table that exists in the build."""
    return {n: pl.read_parquet(table_path(output_dir, n)) for n in TABLES if table_path(output_dir, n).exists()}


def evaluate(output_dir: Path, gold: dict) -> dict[str, dict]:
    """{scorer name: scores} for every scorer whose module exists and whose tables were built."""
    tables = load_tables(output_dir)
    results: dict[str, dict] = {}
    for name in SCORERS:
        try:
            module = importlib.import_module(f"pipeline.evaluation.{name}")
        except ModuleNotFoundError:
            continue
        try:
            results[name] = module.score(tables, gold)
        except KeyError as missing:  # the stage's tables are not in this build
            results[name] = {"skipped": f"table {missing} not built"}
    return results


def _print(results: dict[str, dict]) -> None:
    for stage, scores in results.items():
        print(f"== {stage}")
        for key, value in scores.items():
            if isinstance(value, list):
                if value:
                    print(f"  {key}: {len(value)}")
                    for item in value[:15]:
                        print(f"    - {item}")
            elif isinstance(value, dict):
                print(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
            else:
                print(f"  {key}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="output", help="build output folder (default: output)")
    parser.add_argument("--gold", default="tests/fixtures/seeds_gold.json", help="gold JSON")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    results = evaluate(Path(args.output), gold)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    else:
        _print(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
