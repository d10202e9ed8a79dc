"""Property-based fuzzing of every operation in jupyterlab_rucio/openapi.yaml with schemathesis.

Starts a Jupyter server with the extension against the local Rucio (like `make demo`, signed in
as jdoe through the credentials API, as a user would), lets schemathesis generate valid and
invalid requests for every operation, and checks every answer against the description: no
server error, only documented statuses, content types and body schemas, and no traceback in the
server's log.

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

import yaml

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
    server: JupyterServerProcess,
    examples: int,
    report: Path,
    only: list[str] | None = None,
    seed: int = 20261201,
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
        str(seed),
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    for operation in EXCLUDED_OPERATIONS:
        command += ["--exclude-operation-id", operation]
    for operation in only or []:
        command += ["--include-operation-id", operation]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800)


def count(pattern: str, text: str) -> int:
    """The sum of the numbers `pattern` finds (a second run adds its own report)."""
    return sum(int(n.replace(",", "")) for n in re.findall(pattern, text))


def failures(output: str, limit: int = 8000) -> str:
    """The failing cases of schemathesis' report (with how to reproduce them), else its tail."""
    section = r"^=+ (FAILURES|ERRORS) =+$.*?(?=^=+ (WARNINGS|SUMMARY) =+$)"
    match = re.search(section, output, re.M | re.S)
    return (match.group(0) if match else output)[-limit:]


def generator_crashes(output: str) -> list[str] | None:
    """The operations whose only problem was a crash inside schemathesis' own case generation.

    Python 3.11's parser can raise "SystemError: AST constructor recursion depth mismatch" when
    Hypothesis describes a strategy deep in its stack; schemathesis reports that as a "Runtime
    Error" of the operation although no request was involved. Such operations are fuzzed again;
    any other problem (a failed check, a request error) is None: a real failure.
    """
    if re.search(r"^=+ FAILURES =+$", output, re.M):
        return None
    section = re.search(r"^=+ ERRORS =+$(.*?)(?=^=+ (WARNINGS|SUMMARY) =+$)", output, re.M | re.S)
    if not section:
        return None
    blocks = re.split(r"^_+ ([A-Z]+ \S+) _+$", section.group(1), flags=re.M)[1:]
    crashed = []
    for title, text in zip(blocks[::2], blocks[1::2], strict=True):
        in_generation = (
            "Runtime Error" in text and "/hypothesis/" in text and "requests" not in text
        )
        if not in_generation:
            return None
        crashed.append(title)
    spec = yaml.safe_load(SPEC.read_text())
    ids = {
        f"{verb.upper()} {path}": operation["operationId"]
        for path, item in spec["paths"].items()
        for verb, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    return [ids[title] for title in crashed if title in ids] if crashed else None


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
            output = result.stdout + result.stderr
            crashed = generator_crashes(output) if result.returncode else None
            if crashed:
                print(f"schemathesis crashed generating cases for {crashed}; fuzzing them again")
                again = run_schemathesis(
                    server, args.examples, Path(home) / "again.xml", crashed, seed=20261202
                )
                result = again
                output += "\n==== fuzzed again: " + " ".join(crashed) + " ====\n"
                output += again.stdout + again.stderr
            server_log = server.log_text()
    if args.log:
        args.log.write_text(output + "\n==== the Jupyter server's log ====\n" + server_log)
    cases = count(r"(\d[\d,]*) generated", output)
    passed = count(r"generated, (\d[\d,]*) passed", output)
    # schemathesis exits non-zero when any check failed or a request errored.
    # Bad input is refused with a message, never with a traceback in the server's log.
    tracebacks = server_log.count("Traceback (most recent call last)")
    ok = (
        result.returncode == 0
        and cases >= args.min_cases
        and (passed == cases or bool(crashed))
        and tracebacks == 0
    )
    summary = {
        "cases": cases,
        "passed": passed,
        "exit_code": result.returncode,
        "server_tracebacks": tracebacks,
        "ok": ok,
    }
    print(json.dumps(summary))
    if args.summary:
        args.summary.write_text(json.dumps(summary))
    if not ok:
        print(failures(output), file=sys.stderr)
        if tracebacks:
            first = server_log.index("Traceback (most recent call last)")
            print("first traceback in the server log:\n" + server_log[first - 300 : first + 3000])
        error = re.compile(r"\b(E|ERROR|5\d\d)\b")
        errors = [line for line in server_log.splitlines() if error.search(line)]
        print("\n".join(["server errors:", *errors[-40:]]), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
