"""Load per action on Rucio: a fixed number of requests whatever the size of the data, counted in
Rucio's own access log."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid

import pytest

from jupyterlab_rucio.tests.conftest import REPO_ROOT
from jupyterlab_rucio.tests.test_shared_rucio import ACCESS_LOG, access_log_since

pytestmark = pytest.mark.usefixtures("logged_in")

# The actions of the table in docs/rucio-load.md, each for a small and a large DID.
SIZES = {"small": 100, "large": 10_000}
UPLOAD_FILES = {"small": 3, "large": 30}


@pytest.fixture(scope="module")
def large_seed(rucio_env):
    subprocess.run(
        ["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "seed-large"], check=True, timeout=1800
    )
    return rucio_env


async def rucio_requests(action, pager) -> list[str]:
    """The requests Rucio received while `action` ran."""
    await log_settled(pager)  # the lines of earlier requests (the test's own, too) are written
    start = ACCESS_LOG.stat().st_size
    await action()
    await log_settled(pager)
    return access_log_since(start)


async def log_settled(pager, longest: float = 120.0) -> None:
    """Wait until Rucio has ended every request of the action: a listing read to its end for
    later pages may still be streaming, and gunicorn writes a line as a response ends."""
    deadline = time.monotonic() + longest
    while pager.reading and time.monotonic() < deadline:  # noqa: ASYNC110 - a thread's state
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)


def dataset(size: int) -> str:
    return f"big:files.{size}"


def search_pattern(size: int) -> str:
    # big:file.000* matches 1,000 files, big:file.0* 100,000.
    return "big:file.000*" if size == 100 else "big:file.0*"


@pytest.fixture
def rucio_options() -> dict:
    # Rucio itself takes about 13 s to list the replicas of 10,000 files on a small machine (more
    # under load); the default timeout of a hub's server is 60 s.
    return {"rucio_timeout": 180.0}


@pytest.fixture
def root_rucio(rucio_env):
    from rucio.client import Client

    return Client(
        rucio_host=rucio_env["RUCIO_URL"],
        auth_host=rucio_env["RUCIO_URL"],
        account="root",
        auth_type="userpass",
        creds={
            "username": rucio_env["RUCIO_ROOT_USERNAME"],
            "password": rucio_env["RUCIO_ROOT_PASSWORD"],
        },
    )


async def test_each_action_costs_the_same_rucio_requests_at_any_size(
    api, jp_serverapp, jp_root_dir, large_seed, root_rucio
):
    pager = jp_serverapp.web_app.settings["jupyterlab_rucio"].pager
    await api.get("whoami")  # signed in: the counts below hold no login
    await log_settled(pager)
    counts: dict[str, dict[str, int]] = {}
    lines: dict[str, dict[str, list[str]]] = {}
    for label, size in SIZES.items():
        did, did_pattern = dataset(size), search_pattern(size)

        async def search_pages(did_pattern=did_pattern):
            first = await api.get("dids/search", did=did_pattern, type="file")
            assert first["has_more"]
            await api.get("dids/search", did=did_pattern, type="file", cursor=first["next_cursor"])

        async def contents(did=did):
            page = await api.get("dids/contents", did=did)
            assert len(page["items"]) == 100

        async def availability(did=did, size=size):
            answer = await api.get("dids/availability", did=did)
            assert answer["state"] == "AVAILABLE" and answer["files_total"] == size, answer

        async def resolve(did=did, size=size):
            answer = await api.post("resolve", {"dids": [did]})
            assert len(answer["results"][0]["paths"]) == size

        async def make_available(did=did):
            await api.post("dids/make-available", {"did": did, "lifetime_days": 1})

        async def upload(files=UPLOAD_FILES[label]):
            tag = uuid.uuid4().hex[:12]
            folder = jp_root_dir / f"load.{tag}"
            folder.mkdir()
            for index in range(files):
                (folder / f"f{index}.dat").write_bytes(os.urandom(1000 + index))
            body = {
                "files": [
                    {"path": f"load.{tag}/f{i}.dat", "name": f"load/{tag}/f{i}.dat"}
                    for i in range(files)
                ],
                "rse": large_seed["REMOTE_RSE"],
                "scope": large_seed["RUCIO_USER_SCOPE"],
                "dataset": f"load.{tag}",
                "lifetime_days": 1,
            }
            job = await api.post("uploads", body, expect=202)
            done = await api.wait_for(
                f"uploads/{job['id']}", lambda j: j["state"] in ("DONE", "FAILED"), 120
            )
            assert done[-1]["state"] == "DONE", done[-1]

        actions = {
            "search: first and next page": search_pages,
            "contents: first page": contents,
            "availability": availability,
            "resolve": resolve,
            "make available": make_available,
            "upload into a new dataset": upload,
        }
        try:
            for name, action in actions.items():
                requests = await rucio_requests(action, pager)
                counts.setdefault(name, {})[label] = len(requests)
                lines.setdefault(name, {})[label] = requests
        finally:
            # The rule made by "make available" is the test's own: leave Rucio as it was (the
            # policy lets only an admin remove a rule on a scope the user does not own).
            for rule in root_rucio.list_did_rules("big", f"files.{size}"):
                if rule["account"] == large_seed["RUCIO_USER_ACCOUNT"]:
                    root_rucio.delete_replication_rule(rule["id"], purge_replicas=False)
    print(counts)  # the table of docs/rucio-load.md
    for name, by_size in counts.items():
        assert by_size["small"] == by_size["large"], (name, by_size, lines[name])
        # A fixed, small number: the table of docs/rucio-load.md (an upload is the costliest).
        assert by_size["large"] <= 12, (name, by_size)
