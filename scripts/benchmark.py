"""Measure build speed and memory: cold and warm builds of the seeds, and a scaled corpus.

    .venv/bin/python scripts/benchmark.py [--copies 40] [--json]

Each build runs `readout build` in a subprocess; wall time and the child's peak resident memory
(ru_maxrss) are reported. The scaled corpus is made of the seed articles with a distinct final
paragraph per copy (so none is rejected as a duplicate and every copy is parsed). Numbers are
measurements to report, not assertions: no test depends on them.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
READOUT = Path(sys.executable).with_name("readout")


def run_build(input_dir: Path, output_dir: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(READOUT), "build", "--input", str(input_dir), "--output", str(output_dir), "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {proc.stderr.strip()}")
    n_files = sum(1 for p in input_dir.rglob("*") if p.is_file())
    return {
        "files": n_files,
        "bytes": sum(p.stat().st_size for p in input_dir.rglob("*") if p.is_file()),
        "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "files_per_s": round(n_files / wall, 2),
    }


def scaled_corpus(dest: Path, copies: int) -> Path:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for s in seeds:
            text = s.read_text(encoding="utf-8")
            (dest / f"{s.stem}_copy{i:03d}.txt").write_text(text + f"\nBenchmark copy {i} of this article.\n", encoding="utf-8")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="copies of each seed in the scaled corpus (default 40 → 200 files)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results["seeds_cold"] = run_build(REPO / "seeds", tmp / "out_seeds")
        results["seeds_warm"] = run_build(REPO / "seeds", tmp / "out_seeds")
        corpus = scaled_corpus(tmp / "corpus", args.copies)
        shutil.rmtree(tmp / "out_scaled", ignore_errors=True)
        results[f"scaled_{args.copies}x_cold"] = run_build(corpus, tmp / "out_scaled")
        results[f"scaled_{args.copies}x_warm"] = run_build(corpus, tmp / "out_scaled")
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, r in results.items():
            print(f"{name:<22} " + "  ".join(f"{k}={v}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
