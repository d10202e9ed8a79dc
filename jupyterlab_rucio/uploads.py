"""Upload jobs: files under the Jupyter root to an RSE, in the background, kept across reloads.

Jobs are persisted to a 0600 JSON file after every change. A job that was queued or running when
the server stopped is reported as INTERRUPTED on the next start instead of vanishing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .client import RucioClientLogger, RucioGateway, rucio_reason
from .credentials import read_json, write_private_json

log = logging.getLogger(__name__)
MAX_KEPT_JOBS = 200
_FINAL = {"DONE", "FAILED", "CANCELLED", "INTERRUPTED"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def public_job(job: dict[str, Any]) -> dict[str, Any]:
    """The Job shape of the API: no server-side absolute paths, no internal fields."""
    view = {k: v for k, v in job.items() if k not in ("instance", "lifetime_days")}
    view["files"] = [{k: v for k, v in f.items() if k != "_abs"} for f in job["files"]]
    return view


class UploadJobs:
    def __init__(self, store_path: Path, gateway: RucioGateway) -> None:
        self._path = store_path
        self._gateway = gateway
        self._lock = threading.RLock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._tasks: dict[str, asyncio.Task] = {}
        self._load()

    def _load(self) -> None:
        stored = read_json(self._path, {"jobs": []})
        for job in stored.get("jobs", []) if isinstance(stored, dict) else []:
            if job.get("state") not in _FINAL:
                job["state"] = "INTERRUPTED"
                job["message"] = "The Jupyter server stopped before this upload finished"
                for item in job.get("files", []):
                    if item.get("state") in ("QUEUED", "UPLOADING"):
                        item["state"] = "FAILED"
                        item["message"] = "Interrupted by a server restart"
            self._jobs[job["id"]] = job
        if self._jobs:
            self._save()

    def _save(self) -> None:
        with self._lock:
            jobs = sorted(self._jobs.values(), key=lambda j: j["created_at"], reverse=True)
            for old in jobs[MAX_KEPT_JOBS:]:
                self._jobs.pop(old["id"], None)
            write_private_json(self._path, {"jobs": jobs[:MAX_KEPT_JOBS]})

    def list(self, instance: str) -> list[dict[str, Any]]:
        with self._lock:
            jobs = [public_job(j) for j in self._jobs.values() if j["instance"] == instance]
        return sorted(jobs, key=lambda j: j["created_at"], reverse=True)

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return public_job(job) if job else None

    def start(
        self,
        instance: str,
        client: Any,
        files: list[tuple[str, str, str, int]],
        rse: str,
        scope: str,
        lifetime_days: float | None,
        dataset: tuple[str, str] | None,
    ) -> dict[str, Any]:
        """`files` holds (relative path, absolute path, DID name, size) tuples, already checked."""
        job = {
            "id": uuid.uuid4().hex,
            "instance": instance,
            "state": "QUEUED",
            "rse": rse,
            "scope": scope,
            "dataset": f"{dataset[0]}:{dataset[1]}" if dataset else None,
            "lifetime_days": lifetime_days,
            "created_at": _now(),
            "message": None,
            "files": [
                {
                    "path": rel,
                    "did": f"{scope}:{name}",
                    "bytes": size,
                    "bytes_done": 0,
                    "state": "QUEUED",
                    "message": None,
                    "_abs": absolute,
                }
                for rel, absolute, name, size in files
            ],
        }
        with self._lock:
            self._jobs[job["id"]] = job
        self._save()
        self._tasks[job["id"]] = asyncio.ensure_future(self._run(job, client, dataset))
        return public_job(job)

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Files not started yet are cancelled; a file being copied finishes first."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job["state"] in ("QUEUED", "RUNNING"):
                for item in job["files"]:
                    if item["state"] == "QUEUED":
                        item["state"] = "CANCELLED"
                job["state"] = "CANCELLED"
                job["message"] = "Cancelled"
        self._save()
        return public_job(job)

    async def _run(self, job: dict[str, Any], client: Any, dataset: tuple | None) -> None:
        try:
            if dataset:
                await self._gateway.run(_ensure_dataset, client, dataset, job["lifetime_days"])
            await asyncio.gather(*(self._upload(job, client, f, dataset) for f in job["files"]))
        except Exception as error:  # noqa: BLE001 - recorded on the job
            message = getattr(error, "log_message", None) or rucio_reason(error)
            with self._lock:
                for item in job["files"]:
                    if item["state"] == "QUEUED":
                        item["state"] = "FAILED"
                        item["message"] = message
                job["message"] = message
        with self._lock:
            states = {f["state"] for f in job["files"]}
            if job["state"] != "CANCELLED":
                job["state"] = "FAILED" if "FAILED" in states else "DONE"
                failed = sum(1 for f in job["files"] if f["state"] == "FAILED")
                if failed and not job["message"]:
                    job["message"] = f"{failed} of {len(job['files'])} files failed"
        self._save()

    async def _upload(self, job: dict, client: Any, item: dict, dataset: tuple | None) -> None:
        def claim() -> bool:
            with self._lock:
                if item["state"] != "QUEUED" or job["state"] == "CANCELLED":
                    return False
                item["state"] = "UPLOADING"
                job["state"] = "RUNNING"
            self._save()
            return True

        def upload() -> None:
            if not claim():
                return
            _upload_file(client, item, job, dataset)

        try:
            await self._gateway.run_transfer(upload)
            with self._lock:
                if item["state"] == "UPLOADING":
                    item["state"] = "DONE"
                    item["bytes_done"] = item["bytes"]
        except Exception as error:  # noqa: BLE001 - recorded on the file
            with self._lock:
                item["state"] = "FAILED"
                item["message"] = rucio_reason(error)
        self._save()


def _ensure_dataset(client: Any, dataset: tuple[str, str], lifetime_days: float | None) -> None:
    from rucio.common.exception import DataIdentifierAlreadyExists

    lifetime = int(lifetime_days * 86400) if lifetime_days else None
    try:
        client.add_dataset(scope=dataset[0], name=dataset[1], lifetime=lifetime)
    except DataIdentifierAlreadyExists:
        pass  # adding files to an existing dataset is allowed


def _upload_file(client: Any, item: dict, job: dict, dataset: tuple | None) -> None:
    from rucio.client.uploadclient import UploadClient

    scope, _, name = item["did"].partition(":")
    spec: dict[str, Any] = {
        "path": item["_abs"],
        "rse": job["rse"],
        "did_scope": scope,
        "did_name": name,
        "register_after_upload": True,
    }
    if job.get("lifetime_days"):
        spec["lifetime"] = int(job["lifetime_days"] * 86400)
    if not os.path.isfile(spec["path"]):
        raise FileNotFoundError(f"{item['path']} no longer exists")
    UploadClient(_client=client, logger=RucioClientLogger(log), tracing=False).upload([spec])
    if dataset:
        # Attached after the upload: the upload helper refuses a lifetime for existing datasets.
        client.attach_dids(dataset[0], dataset[1], [{"scope": scope, "name": name}])
