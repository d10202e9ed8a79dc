"""Property-based fuzzing of every operation in jupyterlab_rucio/openapi.yaml with schemathesis.

Starts a Jupyter server with the extension against the local Rucio (like `make demo`, signed in
as jdoe through the credentials API, as a user would), lets schemathesis generate valid and
invalid requests for every operation, and checks every answer against the description: no
server error, only documented statuses, content types and body schemas.

Prints the number of generated cases and failures, writes them to --summary as JSON, and
exits non-zero when a check failed or fewer cases than --min-cases were generated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jupyterlab_rucio.tests.conftest import _parse_env_file, local_instance  # noqa: E402
from jupyterlab_rucio.tests.servers import JupyterServerProcess  # noqa: E402

SPEC = REPO / "jupyterlab_rucio" / "openapi.yaml"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)
# Forgetting the credential would sign the fuzzer out for the rest of the run; the route is
# covered by the API tests instead.
EXCLUDED_OPERATIONS = ["deleteCredentials"]


def save_credentials(server: JupyterServerProcess, env: dict[str, str]) -> None:
    body = {
        "method": "userpass",
        "username": env["RUCIO_USER_USERNAME"],
        "password": env["RUCIO_USER_PASSWORD"],
    }
    answer = server.request("PUT", "jupyterlab-rucio/credentials", body)
    assert answer.status_code == 200, answer.text


def run_schemathesis(
    server: JupyterServerProcess, examples: int, report: Path
) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        str(SPEC),
        "--url",
        server.url + "jupyterlab-rucio",
        "--header",
        f"Authorization: token {server.TOKEN}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--request-timeout",
        "120",
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        "--no-color",
        "--seed",
        "20261201",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    for operation in EXCLUDED_OPERATIONS:
        command += ["--exclude-operation-id", operation]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800)


def count(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1).replace(",", "")) if match else 0


def failures(output: str, limit: int = 8000) -> str:
    """The failing cases of schemathesis' report (with how to reproduce them), else its tail."""
    section = r"^=+ (FAILURES|ERRORS) =+$.*?(?=^=+ (WARNINGS|SUMMARY) =+$)"
    match = re.search(section, output, re.M | re.S)
    return (match.group(0) if match else output)[-limit:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100, help="examples per operation")
    parser.add_argument("--min-cases", type=int, default=1000)
    parser.add_argument("--summary", type=Path, default=None)
    parser.add_argument("--log", type=Path, default=None)
    args = parser.parse_args()

    env = _parse_env_file(REPO / "dev" / ".state" / "rucio.env")
    with tempfile.TemporaryDirectory(prefix="rucio-fuzz-") as home:
        config = {"RucioConfig": {"instances": [local_instance(env)], "rucio_timeout": 30.0}}
        with JupyterServerProcess(Path(home), config, [], {}) as server:
            save_credentials(server, env)
            result = run_schemathesis(server, args.examples, Path(home) / "junit.xml")
            server_log = server.log_text()
    output = result.stdout + result.stderr
    if args.log:
        args.log.write_text(output + "\n==== the Jupyter server's log ====\n" + server_log)
    cases = count(r"(\d[\d,]*) generated", output)
    passed = count(r"generated, (\d[\d,]*) passed", output)
    # schemathesis exits non-zero when any check failed or a request errored.
    ok = result.returncode == 0 and cases >= args.min_cases and passed == cases
    summary = {"cases": cases, "passed": passed, "exit_code": result.returncode, "ok": ok}
    print(json.dumps(summary))
    if args.summary:
        args.summary.write_text(json.dumps(summary))
    if not ok:
        print(failures(output), file=sys.stderr)
        error = re.compile(r"\b(E|ERROR|5\d\d)\b")
        errors = [line for line in server_log.splitlines() if error.search(line)]
        print("\n".join(["server errors:", *errors[-40:]]), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
