"""Download mode: make-available downloads into the user's directory; resolve and notebook/code
give the downloaded paths."""

from pathlib import Path

import pytest

from jupyterlab_rucio.tests.conftest import local_instance
from jupyterlab_rucio.tests.test_api_notebook import run_python

pytestmark = pytest.mark.usefixtures("logged_in")


@pytest.fixture
def download_dir(tmp_path):
    return tmp_path / "downloads"


@pytest.fixture
def rucio_instances(rucio_env, download_dir):
    instance = local_instance(rucio_env, mode="download", download_dir=str(download_dir))
    for key in ("destination_rse", "mount_path", "pfn_path_prefix"):
        instance.pop(key)
    return [instance]


def file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def is_file(path: str) -> bool:
    return Path(path).is_file()


async def test_download_makes_a_dataset_available_locally(api, remote_dataset, download_dir):
    fresh = remote_dataset(files=2)
    did = fresh["did"]
    assert (await api.get("dids/availability", did=did))["state"] == "NOT_AVAILABLE"
    [before] = (await api.post("resolve", {"dids": [did]}))["results"]
    assert before["status"] == "NOT_AVAILABLE"

    started = await api.post("dids/make-available", {"did": did})
    assert started["created"] is True
    assert started["state"] in ("REPLICATING", "AVAILABLE")
    seen = await api.wait_for(
        "dids/availability", lambda a: a["state"] == "AVAILABLE", timeout=120, did=did
    )
    location = seen[-1]["location"]
    assert location["count"] == 2 and location["directory"].startswith(str(download_dir))
    assert all(is_file(p) for p in location["paths"])
    again = await api.post("dids/make-available", {"did": did})
    assert again["created"] is False and again["state"] == "AVAILABLE"
    [result] = (await api.post("resolve", {"dids": [did]}))["results"]
    assert result["status"] == "OK"
    for path in result["paths"]:
        assert path.startswith(str(download_dir))
    contents = sorted(file_bytes(p) for p in result["paths"])
    assert contents == sorted(fresh["files"].values())


async def test_downloaded_files_are_the_values(api, remote_dataset, download_dir):
    fresh = remote_dataset(files=2)
    body = {"language": "python", "attachments": [{"variable": "data", "did": fresh["did"]}]}
    before = await api.post("notebook/code", body)
    assert before["results"][0]["status"] == "NOT_AVAILABLE" and before["code"] == ""

    await api.post("dids/make-available", {"did": fresh["did"]})
    await api.wait_for(
        "dids/availability", lambda a: a["state"] == "AVAILABLE", timeout=120, did=fresh["did"]
    )
    after = await api.post("notebook/code", body)
    assert (after["results"][0]["status"], after["results"][0]["count"]) == ("OK", 2)
    paths = run_python(after["code"])["data"]
    assert paths == sorted(paths)
    assert all(p.startswith(str(download_dir) + "/") for p in paths)
    assert sorted(file_bytes(p) for p in paths) == sorted(fresh["files"].values())
