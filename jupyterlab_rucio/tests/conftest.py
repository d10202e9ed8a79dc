"""Shared pytest fixtures: the local Rucio instance the tests run against."""

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RUCIO_ENV_FILE = REPO_ROOT / "dev" / ".state" / "rucio.env"


def _parse_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key] = value.strip().strip("'\"")
    return values


@pytest.fixture(scope="session")
def rucio_env() -> dict[str, str]:
    """Start (or reuse) the local Rucio with `dev/rucio.sh up` and return its rucio.env values.

    RUCIO_CONFIG is pointed at jdoe's client config so that rucio-clients, which reads
    its configuration once at first use, talks to the local server.
    """
    subprocess.run(["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "up"], check=True, timeout=600)
    env = _parse_env_file(RUCIO_ENV_FILE)
    os.environ["RUCIO_CONFIG"] = env["RUCIO_USER_CONFIG"]
    return env
