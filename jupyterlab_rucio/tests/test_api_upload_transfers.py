"""Large uploads while they run: byte progress, cancel of the file being copied, a file that
changes under the upload.

The server runs with the admin option `transfer_rate_limit` (bytes per second per file), as a
shared hub might: on a local disk a large file would otherwise be copied before anyone could
watch it. The bytes are really copied, at that pace.
"""

import asyncio
import os
import time
import uuid

import pytest

from jupyterlab_rucio.tests.upload_checks import in_rucio, leftovers, rse_path, sparse_file

pytestmark = pytest.mark.usefixtures("logged_in")
RATE = 8 * 1024 * 1024
MB = 1024 * 1024


@pytest.fixture
def rucio_options() -> dict:
    return {"transfer_rate_limit": RATE}


async def start(api, rucio_env, path: str) -> dict:
    body = {"paths": [path], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"}
    return await api.post("uploads", body, expect=202)


async def poll_until(api, job_id: str, done, timeout: float, every: float = 0.25) -> list[dict]:
    seen, deadline = [], time.monotonic() + timeout
    while True:
        seen.append(await api.get(f"uploads/{job_id}"))
        if done(seen[-1]):
            return seen
        assert time.monotonic() < deadline, f"not reached in {timeout} s: {seen[-1]}"
        await asyncio.sleep(every)


async def test_progress_is_reported_during_one_large_file(api, jp_root_dir, rucio_env):
    name = f"progress.{uuid.uuid4().hex[:12]}.dat"
    (jp_root_dir / name).write_bytes(os.urandom(40 * MB))  # 5 s at the rate limit
    job = await start(api, rucio_env, name)
    seen = await poll_until(api, job["id"], lambda j: j["state"] == "DONE", timeout=120)
    total = 40 * MB
    between = sorted({j["files"][0]["bytes_done"] for j in seen} - {0, total})
    assert len(between) >= 3, [j["files"][0]["bytes_done"] for j in seen]
    assert all(0 < b < total for b in between)
    assert any(j["speed"] for j in seen if j["state"] == "UPLOADING")
    assert seen[-1]["files"][0]["bytes_done"] == total


async def test_cancel_stops_the_file_being_copied_and_keeps_nothing(
    api, jp_root_dir, rucio_env, jdoe_rucio
):
    name = f"cancel.{uuid.uuid4().hex[:12]}.dat"
    sparse_file(jp_root_dir / name, 400 * MB)  # 50 s at the rate limit
    target = rse_path(jdoe_rucio, rucio_env["REMOTE_RSE"], "user.jdoe", name)
    job = await start(api, rucio_env, name)
    await poll_until(api, job["id"], lambda j: j["files"][0]["bytes_done"] > 0, timeout=60)
    assert leftovers(target), "the copy should be under way"
    asked = time.monotonic()
    await api.post(f"uploads/{job['id']}/cancel", {})
    seen = await poll_until(api, job["id"], lambda j: j["state"] == "CANCELLED", timeout=10)
    assert time.monotonic() - asked < 5
    assert 0 < seen[-1]["files"][0]["bytes_done"] < 400 * MB
    assert seen[-1]["files"][0]["state"] == "CANCELLED"
    assert leftovers(target) == []
    assert not in_rucio(jdoe_rucio, "user.jdoe", name)
    assert (jp_root_dir / name).stat().st_size == 400 * MB  # the user's file is untouched


async def test_a_file_that_changes_during_the_upload_fails_and_keeps_nothing(
    api, jp_root_dir, rucio_env, jdoe_rucio
):
    name = f"changing.{uuid.uuid4().hex[:12]}.dat"
    path = jp_root_dir / name
    path.write_bytes(os.urandom(24 * MB))
    target = rse_path(jdoe_rucio, rucio_env["REMOTE_RSE"], "user.jdoe", name)
    job = await start(api, rucio_env, name)
    await poll_until(api, job["id"], lambda j: j["files"][0]["bytes_done"] > 0, timeout=60)
    with path.open("ab") as handle:
        handle.write(b"appended while uploading")
    seen = await poll_until(api, job["id"], lambda j: j["state"] == "FAILED", timeout=60)
    assert "changed during the upload" in seen[-1]["files"][0]["message"]
    assert leftovers(target) == []
    assert not in_rucio(jdoe_rucio, "user.jdoe", name)
