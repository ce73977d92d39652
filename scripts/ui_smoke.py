"""Start `dagster dev` on the workspace, materialize every asset through its GraphQL API (what the
UI's "Materialize all" does), and report the run status and every asset check result.

    .venv/bin/python scripts/ui_smoke.py [--port 3333] [--output DIR]

The server runs in its own process group on 127.0.0.1 and is stopped by PID at the end (dagster dev
started with `&` from a non-interactive shell ignores SIGTERM). Exit 0 when the run succeeded and
every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

CHECKS_QUERY = """
query($runId: ID!) { runOrError(runId: $runId) { ... on Run { status } } }
"""
EVALS_QUERY = """
{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization { status } } } } } }
"""


def gql(port: int, query: str, variables: dict | None = None) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3333)
    parser.add_argument("--output", default=None, help="READOUT_OUTPUT for the server (default: a temporary folder)")
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dagster_home_"))
    env = dict(os.environ, DAGSTER_HOME=str(home), READOUT_OUTPUT=args.output or str(home / "output"))
    server = subprocess.Popen(
        [str(BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(args.port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                gql(args.port, "{ version }")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    print("dagster dev did not come up", file=sys.stderr)
                    return 1
                time.sleep(1)
        from dagster_graphql import DagsterGraphQLClient

        client = DagsterGraphQLClient("127.0.0.1", port_number=args.port)
        t0 = time.time()
        run_id = client.submit_job_execution("build", repository_location_name="readout")
        while True:
            status = gql(args.port, CHECKS_QUERY, {"runId": run_id})["data"]["runOrError"]["status"]
            if status in {"SUCCESS", "FAILURE", "CANCELED"} or time.time() - t0 > args.timeout:
                break
            time.sleep(2)
        print(f"run {run_id}: {status} in {time.time() - t0:.1f} s")
        nodes = gql(args.port, EVALS_QUERY)["data"]["assetNodes"]
        failed = 0
        for node in sorted(nodes, key=lambda n: n["assetKey"]["path"]):
            for check in node["assetChecksOrError"].get("checks", []):
                result = (check["executionForLatestMaterialization"] or {}).get("status")
                failed += result != "SUCCEEDED"
                print(f"  {'/'.join(node['assetKey']['path'])}: {check['name']}: {result}")
        return 0 if status == "SUCCESS" and not failed else 1
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
