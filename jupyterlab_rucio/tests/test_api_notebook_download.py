"""Download mode: notebook/code defines a DID once it is downloaded, with the downloaded paths."""

from pathlib import Path

import pytest

from jupyterlab_rucio.tests.conftest import local_instance

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


def run_python(code: str) -> dict:
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the code under test
    return namespace


def file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


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
