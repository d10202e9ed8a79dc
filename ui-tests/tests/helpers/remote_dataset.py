"""Create a fresh dataset whose files live only on the remote RSE, for one UI test run.

Usage: python remote_dataset.py <rucio.env> <dataset name>
Prints the DID of the new dataset. Runs as jdoe, the data manager of the test data.
"""

import os
import sys
import tempfile
from pathlib import Path


def read_env(path: str) -> dict:
    values = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def jdoe_client(env: dict):
    """A rucio-clients Client for jdoe, given everything explicitly (no rucio.cfg)."""
    from rucio.client import Client

    return Client(
        rucio_host=env["RUCIO_URL"],
        auth_host=env["RUCIO_URL"],
        account=env["RUCIO_USER_ACCOUNT"],
        auth_type="userpass",
        creds={"username": env["RUCIO_USER_USERNAME"], "password": env["RUCIO_USER_PASSWORD"]},
    )


def main() -> None:
    env = read_env(sys.argv[1])
    dataset = sys.argv[2]
    # rucio-clients' UploadClient reads a rucio.cfg whatever client it is given: this process
    # plays the data manager, whose machine has one (jdoe's, written by dev/rucio.sh).
    os.environ["RUCIO_CONFIG"] = env["RUCIO_USER_CONFIG"]
    from rucio.client.uploadclient import UploadClient

    scope = env["RUCIO_USER_SCOPE"]
    with tempfile.TemporaryDirectory() as workdir:
        items = []
        for index in (1, 2):
            path = Path(workdir) / f"{dataset}.part{index}.dat"
            path.write_bytes(os.urandom(2048 * index))
            items.append(
                {
                    "path": str(path),
                    "rse": env["REMOTE_RSE"],
                    "did_scope": scope,
                    "did_name": path.name,
                    "dataset_scope": scope,
                    "dataset_name": dataset,
                }
            )
        UploadClient(_client=jdoe_client(env)).upload(items)
    print(f"{scope}:{dataset}")


if __name__ == "__main__":
    main()
