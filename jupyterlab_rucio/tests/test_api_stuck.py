"""A replication that cannot finish shows as STUCK, against the real transfer loop.

The fault is real, not mocked: the bytes of one file are deleted from the remote RSE's
directory while Rucio still lists the replica there (a lost file). The dev transfer loop
then fails that copy, the finisher gives up after Rucio's retries and marks the lock STUCK.
"""

from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.usefixtures("logged_in")


def file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def exists(path: str) -> bool:
    return Path(path).exists()


def remote_path(jdoe_rucio, rucio_env, scope: str, name: str) -> Path:
    [replica] = jdoe_rucio.list_replicas(
        [{"scope": scope, "name": name}],
        schemes=["file"],
        rse_expression=rucio_env["REMOTE_RSE"],
    )
    [pfn] = replica["rses"][rucio_env["REMOTE_RSE"]]
    return Path(urlparse(pfn).path)  # file://localhost/<dir>/...


async def test_dataset_with_a_lost_remote_file_goes_stuck_and_the_other_file_arrives(
    api, remote_dataset, jdoe_rucio, rucio_env
):
    fresh = remote_dataset(files=2)
    did = fresh["did"]
    lost_name, kept_name = sorted(fresh["files"])
    lost = remote_path(jdoe_rucio, rucio_env, fresh["scope"], lost_name)
    assert lost.read_bytes() == fresh["files"][lost_name]
    lost.unlink()

    made = await api.post("dids/make-available", {"did": did})
    assert made["created"] is True
    assert made["state"] == "REPLICATING", made

    seen = await api.wait_for(
        "dids/availability", lambda a: a["state"] == "STUCK", timeout=90, did=did
    )
    assert all(a["state"] in ("REPLICATING", "STUCK") for a in seen), [a["state"] for a in seen]
    stuck = seen[-1]
    assert stuck["files_total"] == 2
    assert stuck["rule"]["id"] == made["rule"]["id"]
    assert stuck["rule"]["state"] == "STUCK"
    assert stuck["rule"]["locks_stuck"] == 1
    # The user is told why, in Rucio's words when it gave them.
    assert stuck["message"], stuck

    # The healthy file is copied all the same.
    settled = (
        await api.wait_for(
            "dids/availability", lambda a: a["files_available"] == 1, timeout=30, did=did
        )
    )[-1]
    assert settled["state"] == "STUCK"
    assert settled["rule"]["locks_ok"] == 1 and settled["rule"]["locks_stuck"] == 1

    # Resolve hands a notebook the copied file only, with its bytes; the lost one is not at the hub.
    [result] = (await api.post("resolve", {"dids": [did]}))["results"]
    assert result["status"] == "PARTIAL"
    [kept_path] = result["paths"]
    assert kept_path.startswith(rucio_env["HUB_RSE_DIR"] + "/")
    assert kept_path.endswith("/" + kept_name)
    assert file_bytes(kept_path) == fresh["files"][kept_name]
    lost_at_hub = str(lost).replace(rucio_env["REMOTE_RSE_DIR"], rucio_env["HUB_RSE_DIR"], 1)
    assert not exists(lost_at_hub)
