"""Availability at the hub, make-available, rules and resolve, against the real transfer loop."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("logged_in")


def file_bytes(path: str) -> bytes:
    """What a notebook would read at a resolved path."""
    return Path(path).read_bytes()


def is_file(path: str) -> bool:
    return Path(path).is_file()


def is_dir(path: str) -> bool:
    return Path(path).is_dir()


async def availability(api, did):
    return await api.get("dids/availability", did=did)


async def test_dataset_with_every_file_at_the_hub_is_available(api, rucio_env):
    data = await availability(api, "physics:run2024.raw")
    assert data["state"] == "AVAILABLE"
    assert data["files_total"] == data["files_available"] == 3
    assert data["bytes_total"] > 0
    assert data["webui_url"].startswith("https://rucio-ui.example.org/did?scope=physics")
    # Where the files are on the hub: the directory holding them, which exists, and each path.
    location = data["location"]
    assert location["count"] == 3
    assert location["directory"] == rucio_env["HUB_RSE_DIR"] + "/physics/run2024/raw"
    assert is_dir(location["directory"])
    assert [Path(p).name for p in location["paths"]] == [
        "events.0001.dat",
        "events.0002.dat",
        "events.0003.dat",
    ]
    assert all(is_file(p) for p in location["paths"])
    # The rule that keeps the data there, with its state and expiry.
    assert data["rule"]["state"] == "OK"
    assert data["rule"]["webui_url"].startswith("https://rucio-ui.example.org/rule?rule_id=")


async def test_remote_only_dataset_is_not_available(api):
    data = await availability(api, "physics:run2024.calib")
    assert data["state"] == "NOT_AVAILABLE"
    assert (data["files_total"], data["files_available"]) == (2, 0)
    assert data["location"] is None


async def test_empty_dataset(api):
    data = await availability(api, "physics:empty.dataset")
    assert data["state"] == "EMPTY"
    assert data["files_total"] == 0


async def test_half_present_dataset_is_partially_available(api):
    data = await availability(api, "physics:mixed.dataset")
    assert data["state"] == "PARTIALLY_AVAILABLE"
    assert (data["files_total"], data["files_available"]) == (4, 2)
    # Only the files at the hub are located.
    assert data["location"]["count"] == 2
    assert [Path(p).name for p in data["location"]["paths"]] == ["part.0001.dat", "part.0002.dat"]


async def test_container_counts_files_of_all_its_datasets(api):
    data = await availability(api, "physics:run2024")
    assert data["state"] == "PARTIALLY_AVAILABLE"
    assert (data["files_total"], data["files_available"]) == (5, 3)


async def test_single_file(api):
    data = await availability(api, "physics:run2024/raw/events.0001.dat")
    assert data["state"] == "AVAILABLE" and data["files_total"] == 1
    [path] = data["location"]["paths"]
    assert path.endswith("/physics/run2024/raw/events.0001.dat") and is_file(path)
    assert data["location"]["directory"] == str(Path(path).parent)


async def test_unknown_did_is_404(api):
    status, data = await api.request("GET", "dids/availability", did="physics:missing.ds")
    assert status == 404
    assert "missing.ds" in data["message"]


async def test_make_available_replicates_then_is_ok_and_is_idempotent(
    api, remote_dataset, jdoe_rucio, rucio_env
):
    fresh = remote_dataset(files=3)
    did = fresh["did"]
    before = await availability(api, did)
    assert before["state"] == "NOT_AVAILABLE" and before["rule"] is None

    first = await api.post("dids/make-available", {"did": did, "lifetime_days": 2})
    assert first["created"] is True
    assert first["rule"]["rse_expression"] == rucio_env["HUB_RSE"]
    assert first["rule"]["account"] == "jdoe"
    assert first["rule"]["expires_at"] is not None
    # Rule creation is synchronous and the answer reads the replicas right after it; the copies
    # are made later by the transfer loop (which takes seconds per round).
    assert first["state"] == "REPLICATING", first
    assert (first["files_available"], first["files_replicating"]) == (0, 3)

    again = await api.post("dids/make-available", {"did": did})
    assert again["created"] is False
    assert again["rule"]["id"] == first["rule"]["id"]
    own_rules = [
        r
        for r in jdoe_rucio.list_did_rules(fresh["scope"], fresh["name"])
        if r["rse_expression"] == rucio_env["HUB_RSE"]
    ]
    assert len(own_rules) == 1

    seen = await api.wait_for(
        "dids/availability", lambda a: a["state"] == "AVAILABLE", timeout=120, did=did
    )
    for answer in seen[:-1]:
        assert answer["state"] == "REPLICATING"
        assert answer["files_replicating"] + answer["files_available"] == 3
    done = seen[-1]
    assert done["files_available"] == 3
    assert done["rule"]["state"] == "OK" and done["rule"]["locks_ok"] == 3

    rules = (await api.get("dids/rules", did=did))["rules"]
    assert [r["id"] for r in rules if r["rse_expression"] == rucio_env["HUB_RSE"]] == [
        first["rule"]["id"]
    ]
    assert rules[0]["webui_url"].startswith("https://rucio-ui.example.org/rule?rule_id=")

    # The bytes are on the hub's mount, at the paths resolve hands to notebooks.
    [result] = (await api.post("resolve", {"dids": [did]}))["results"]
    assert result["status"] == "OK"
    assert len(result["paths"]) == 3
    for name, data in fresh["files"].items():
        [path] = [p for p in result["paths"] if p.endswith("/" + name)]
        assert path.startswith(rucio_env["HUB_RSE_DIR"] + "/")
        assert file_bytes(path) == data


async def test_resolve_reports_each_did(api, rucio_env):
    data = await api.post(
        "resolve",
        {
            "dids": [
                "physics:run2024.raw",
                "physics:run2024.calib",
                "physics:mixed.dataset",
                "physics:no.such.ds",
            ]
        },
    )
    raw, calib, mixed, missing = data["results"]
    assert raw["status"] == "OK" and len(raw["paths"]) == 3
    for path in raw["paths"]:
        assert path.startswith(rucio_env["HUB_RSE_DIR"])
        assert len(file_bytes(path)) > 0
    assert calib["status"] == "NOT_AVAILABLE" and calib["paths"] == []
    assert mixed["status"] == "PARTIAL" and len(mixed["paths"]) == 2
    assert "2 of 4" in mixed["message"]
    assert missing["status"] == "ERROR" and "no.such.ds" in missing["message"]


async def test_rules_of_a_did_without_own_rules_is_empty(api):
    assert (await api.get("dids/rules", did="physics:run2024.calib"))["rules"] == []
