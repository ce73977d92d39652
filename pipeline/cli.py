"""The `readout` command: build the dataset, release it, verify a release, score a build.

    readout build   --input seeds/ --output output/    run every asset in-process
    readout release --output output/ [--version X.Y.Z]  freeze output/tables into releases/<version>/
    readout verify  output/releases/<version>          check checksums and schemas of a release
    readout evaluate --output output/                   score a build against gold annotations
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from pathlib import Path

from pipeline import __version__
from pipeline.settings import DEFAULT_MAX_FILE_BYTES, DEFAULT_SPACY_MODEL, ENV_MODEL

EXIT_OK, EXIT_BUILD_FAILED, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_BUILD_FAILED) -> int:
    print(f"readout: {message}", file=sys.stderr)
    return code


def cmd_build(args: argparse.Namespace) -> int:
    """Run the whole asset graph (and its checks) in-process; print a summary."""
    input_dir, output_dir = Path(args.input), Path(args.output)
    if not input_dir.is_dir():
        return _fail(f"input folder {input_dir} does not exist or is not a folder; pass --input DIR with your articles", EXIT_USAGE)
    warnings.filterwarnings("ignore")  # Dagster's preview/beta warnings are noise on a terminal
    logging.getLogger("dagster").setLevel(logging.ERROR)
    from dagster import DagsterInstance

    from pipeline.definitions import build_definitions
    from pipeline.io import read_table
    from pipeline.progress import attach_terminal
    from pipeline.settings import ReadoutSettings

    settings = ReadoutSettings(
        input_dir=str(input_dir.resolve()),
        output_dir=str(output_dir.resolve()),
        spacy_model=args.model,
        max_file_bytes=args.max_file_bytes,
        progress=not args.quiet and attach_terminal(),
    )
    started = time.monotonic()
    job = build_definitions(settings).resolve_job_def("build")
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
    elapsed = time.monotonic() - started
    evaluations = [e.asset_check_evaluation_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed_checks = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in evaluations if not c.passed]
    if not result.success:
        errors = [e.event_specific_data.error.message.strip().splitlines()[-1] for e in result.all_events if e.is_step_failure]
        detail = errors[0] if errors else "see the Dagster log above"
        extra = f"; failed checks: {', '.join(failed_checks)}" if failed_checks else ""
        return _fail(f"build failed: {detail}{extra}")
    files = read_table("input_files", settings.output_path)
    docs = read_table("documents", settings.output_path)
    rejected = read_table("rejected_documents", settings.output_path)
    if not args.quiet:
        print(f"readout {__version__}: built {settings.output_path / 'tables'} in {elapsed:.1f} s")
        print(f"  {'files read:':<18}{files.height}")
        print(f"  {'documents:':<18}{docs.height}")
        print(f"  {'rejected:':<18}{rejected.height}")
        for reason, n in sorted(rejected.group_by("reason").len().iter_rows()):
            print(f"    {reason + ':':<16}{n}")
        for name in _extra_counts(settings.output_path):
            print(name)
        print(f"  {'checks:':<18}{len(evaluations) - len(failed_checks)} of {len(evaluations)} passed" + (f"; FAILED: {', '.join(failed_checks)}" if failed_checks else ""))
    return EXIT_OK if not failed_checks else EXIT_BUILD_FAILED


def _extra_counts(output_path: Path) -> list[str]:
    """Row counts of the extraction tables that exist in this build (entities, quotes, events...)."""
    from pipeline.io import table_path
    from schemas import TABLES

    lines = []
    for name, spec in TABLES.items():
        if spec.stage in {"ingestion", "cleaning", "parsing", "build"}:
            continue
        path = table_path(output_path, name)
        if path.exists():
            import pyarrow.parquet as pq

            lines.append(f"  {name + ':':<18}{pq.ParquetFile(path).metadata.num_rows}")
    return lines


def cmd_release(args: argparse.Namespace) -> int:
    """Freeze the built tables into an immutable, verified release; print its path last."""
    import json

    from pipeline.evaluate import evaluate, gold_of_last_build
    from pipeline.release import ReleaseError, make_release

    # without --gold, the seeds' gold when the last build read the repository's seeds/ (as the
    # Dagster release asset does); for other input the card says "Not measured"
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8")) if args.gold else gold_of_last_build(Path(args.output))
    gold_scores = evaluate(Path(args.output), gold) if gold is not None else None
    try:
        path = make_release(Path(args.output), version=args.version, gold_scores=gold_scores)
    except (ReleaseError, FileNotFoundError) as err:
        return _fail(str(err))
    print(path)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from pipeline.release import verify_release

    problems = verify_release(Path(args.path))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return _fail(f"{len(problems)} problem(s) in {args.path}")
    print(f"{args.path}: every checksum and schema verified")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluate import main as evaluate_main

    return evaluate_main(["--output", args.output, "--gold", args.gold] + (["--json"] if args.json else []))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readout",
        description="Turn a folder of plain-text news articles into validated tables of documents, "
        "entities, quotes and events (Parquet), and release them as versioned datasets.",
        epilog="examples:\n"
        "  readout build --input seeds --output output      build every table\n"
        "  readout release --output output                  freeze them into output/releases/<version>/\n"
        "  readout verify output/releases/1.0.0             check checksums and schemas\n"
        "  readout evaluate --output output                 score the build against the seeds' gold\n"
        "the same assets in the Dagster UI: DAGSTER_HOME=.dagster_home dagster dev -w workspace.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"readout {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build every table from a folder of articles", description=cmd_build.__doc__)
    b.add_argument("--input", default="seeds", metavar="DIR", help="folder of .txt articles, walked recursively (default: seeds)")
    b.add_argument("--output", default="output", metavar="DIR", help="folder for tables/ and cache/ (default: output)")
    b.add_argument("--model", default=os.environ.get(ENV_MODEL, DEFAULT_SPACY_MODEL), help=f"installed spaCy pipeline (default: {DEFAULT_SPACY_MODEL})")
    b.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, metavar="N", help=f"reject files larger than N bytes (default: {DEFAULT_MAX_FILE_BYTES})")
    b.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("release", help="write an immutable versioned release of the built tables")
    r.add_argument("--output", default="output", metavar="DIR", help="build output folder (default: output)")
    r.add_argument("--version", dest="version", default=None, metavar="X.Y.Z", help="release version (default: next by semver from the schema diff)")
    r.add_argument("--gold", default=None, metavar="FILE", help="gold annotations to score the build against; the scores go into the dataset card (default: the seeds' gold when the last build read seeds/)")
    r.set_defaults(func=cmd_release)

    v = sub.add_parser("verify", help="check a release's checksums and table schemas")
    v.add_argument("path", metavar="PATH", help="a release folder, e.g. output/releases/1.0.0")
    v.set_defaults(func=cmd_verify)

    e = sub.add_parser("evaluate", help="score a build against gold annotations")
    e.add_argument("--output", default="output", metavar="DIR")
    e.add_argument("--gold", default="tests/fixtures/seeds_gold.json", metavar="FILE")
    e.add_argument("--json", action="store_true", help="print scores as JSON")
    e.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
