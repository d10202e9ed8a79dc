"""Upload jobs from the Jupyter root to a real RSE, and where the user may upload."""

import json
import os
import uuid

import pytest

from jupyterlab_rucio.tests.rucio_api import RucioApi
from jupyterlab_rucio.uploads import UploadJobs

pytestmark = pytest.mark.usefixtures("logged_in")


async def test_rses_with_quota(api, rucio_env):
    rses = {r["name"]: r for r in (await api.get("rses"))["rses"]}
    assert {rucio_env["HUB_RSE"], rucio_env["REMOTE_RSE"]} <= set(rses)
    hub = rses[rucio_env["HUB_RSE"]]
    assert hub["quota_bytes"] is None and hub["remaining_bytes"] is None  # unlimited
    assert hub["used_bytes"] >= 0


async def test_upload_job_runs_to_completion_with_progress(api, jp_root_dir, rucio_env, jdoe_rucio):
    tag = uuid.uuid4().hex[:12]
    folder = jp_root_dir / "results"
    folder.mkdir()
    payloads = {f"{tag}.{i}.dat": os.urandom(20000 + i) for i in range(3)}
    for name, data in payloads.items():
        (folder / name).write_bytes(data)
    scope = rucio_env["RUCIO_USER_SCOPE"]
    dataset = f"upload.{tag}"

    job = await api.post(
        "uploads",
        {
            "paths": [f"results/{name}" for name in payloads],
            "rse": rucio_env["REMOTE_RSE"],
            "scope": scope,
            "dataset": dataset,
            "lifetime_days": 1,
        },
        expect=202,
    )
    assert job["state"] in ("QUEUED", "RUNNING")
    assert job["dataset"] == f"{scope}:{dataset}"
    assert [f["bytes"] for f in job["files"]] == [len(d) for d in payloads.values()]
    assert all(f["bytes_done"] == 0 for f in job["files"])

    seen = await api.wait_for(
        f"uploads/{job['id']}", lambda j: j["state"] not in ("QUEUED", "RUNNING"), timeout=120
    )
    done = seen[-1]
    assert done["state"] == "DONE", json.dumps(done)
    for item in done["files"]:
        assert item["state"] == "DONE"
        assert item["bytes_done"] == item["bytes"]

    listed = (await api.get("uploads"))["jobs"]
    assert listed[0]["id"] == job["id"]

    # Really in Rucio: the dataset holds the files, with replicas on the chosen RSE.
    names = {f["name"] for f in jdoe_rucio.list_files(scope, dataset)}
    assert names == set(payloads)
    replicas = list(
        jdoe_rucio.list_replicas(
            [{"scope": scope, "name": dataset}], rse_expression=rucio_env["REMOTE_RSE"]
        )
    )
    assert {r["name"] for r in replicas} == set(payloads)


async def test_cancel_unknown_job_is_404(api):
    status, data = await api.request("DELETE", "uploads/0123abcd")
    assert status == 404
    status, data = await api.request("GET", "uploads/0123abcd")
    assert status == 404


async def test_cancel_marks_waiting_files_cancelled(api, jp_serverapp, jp_root_dir, rucio_env):
    """Cancel before any file started: jobs wait for a free upload slot, so none has started."""
    extension = jp_serverapp.web_app.settings["jupyterlab_rucio"]
    name = f"cancelled.{uuid.uuid4().hex[:12]}.dat"
    (jp_root_dir / name).write_bytes(b"x" * 100)
    # Occupy every upload slot so the job has to wait (a real wait, not a mock).
    import threading

    release = threading.Event()
    blockers = [
        extension.gateway._transfer_pool.submit(release.wait)
        for _ in range(extension.config.upload_concurrency)
    ]
    try:
        job = await api.post(
            "uploads",
            {"paths": [name], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"},
            expect=202,
        )
        status, cancelled = await api.request("DELETE", f"uploads/{job['id']}")
        assert status == 200
        assert cancelled["state"] == "CANCELLED"
        assert cancelled["files"][0]["state"] == "CANCELLED"
    finally:
        release.set()
        for blocker in blockers:
            blocker.result()
    final = (await api.wait_for(f"uploads/{job['id']}", lambda j: True))[-1]
    assert final["state"] == "CANCELLED" and final["files"][0]["state"] == "CANCELLED"


def test_jobs_running_at_shutdown_are_reported_interrupted(tmp_path):
    store = tmp_path / "uploads.json"
    store.write_text(
        json.dumps(
            {
                "jobs": [
                    {
                        "id": "abc",
                        "instance": "local",
                        "state": "RUNNING",
                        "rse": "R",
                        "scope": "s",
                        "dataset": None,
                        "created_at": "2026-01-01T00:00:00+00:00",
                        "message": None,
                        "files": [
                            {
                                "path": "a",
                                "did": "s:a",
                                "bytes": 1,
                                "bytes_done": 1,
                                "state": "DONE",
                                "message": None,
                            },
                            {
                                "path": "b",
                                "did": "s:b",
                                "bytes": 1,
                                "bytes_done": 0,
                                "state": "UPLOADING",
                                "message": None,
                            },
                        ],
                    }
                ]
            }
        )
    )
    jobs = UploadJobs(store, gateway=None)
    job = jobs.get("abc")
    assert job["state"] == "INTERRUPTED"
    assert "stopped" in job["message"]
    assert [f["state"] for f in job["files"]] == ["DONE", "FAILED"]
    assert os.stat(store).st_mode & 0o777 == 0o600


async def test_jobs_survive_a_reload_of_the_page(api, jp_fetch, jp_root_dir, rucio_env):
    name = f"keep.{uuid.uuid4().hex[:12]}.dat"
    (jp_root_dir / name).write_bytes(os.urandom(1000))
    job = await api.post(
        "uploads",
        {"paths": [name], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"},
        expect=202,
    )
    # A new browser session is just a new client: the job list lives on the server.
    fresh_client = RucioApi(jp_fetch)
    listed = (await fresh_client.get("uploads"))["jobs"]
    assert job["id"] in [j["id"] for j in listed]
    await api.wait_for(f"uploads/{job['id']}", lambda j: j["state"] == "DONE", timeout=120)
