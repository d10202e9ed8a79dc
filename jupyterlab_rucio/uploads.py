"""Upload jobs: files under the Jupyter root to an RSE, in the background, kept across restarts.

A file goes QUEUED -> UPLOADING (bytes copied by us, progress per chunk) -> VERIFYING (checksum
of what landed on the storage) -> REGISTERING (bulk: replicas, rules, dataset) -> DONE, or ends
FAILED, CANCELLED or INTERRUPTED (the server stopped). Bytes are registered only once verified;
bytes whose registration failed are deleted again, so the RSE keeps nothing Rucio does not know.

Jobs are persisted to a 0600 JSON file: at once on every state change, at most once a second for
progress. The target path of every file is recorded before its copy starts, so that partial bytes
left by a server stop can be cleaned up.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .client import RucioGateway
from .credentials import read_json, write_private_json
from .transfers import (
    PART_SUFFIX,
    FileStamp,
    SourceChanged,
    TransferCancelled,
    TransferError,
    copy_file,
    file_adler32,
    remove_quietly,
)
from .upload_plan import UploadPlan
from .upload_register import Registrar, leftover_cleanup, reconcile_for_retry
from .upload_rucio import user_reason

log = logging.getLogger(__name__)
MAX_KEPT_JOBS = 200
ACTIVE = {"QUEUED", "UPLOADING", "VERIFYING", "REGISTERING"}
RETRYABLE = {"FAILED", "CANCELLED", "INTERRUPTED"}
FINAL_JOB = {"DONE", "FAILED", "CANCELLED", "INTERRUPTED"}
SAVE_INTERVAL = 1.0
SPEED_WINDOW = 5.0


class JobConflict(Exception):
    """The job is not in a state that allows the request (e.g. removing a running job)."""


def _with_leftover_bytes(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        f
        for f in files
        if f["state"] != "DONE"
        and f.get("_target")
        and (os.path.exists(f["_target"]) or os.path.exists(f["_target"] + PART_SUFFIX))
    ]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def public_job(job: dict[str, Any], speed: float | None = None) -> dict[str, Any]:
    """The Job shape of the API: no server-side paths, no internal fields."""
    view = {k: v for k, v in job.items() if k not in ("instance", "account", "dataset_new")}
    for key in ("lifetime_days", "finished_at", "message"):
        view.setdefault(key, None)  # jobs stored by an older version lack them
    view["files"] = [
        {"existed": False, **{k: v for k, v in f.items() if not k.startswith("_")}}
        for f in job["files"]
    ]
    view["bytes"] = sum(f["bytes"] for f in job["files"])
    view["bytes_done"] = sum(f["bytes_done"] for f in job["files"])
    view["speed"] = speed
    return view


class UploadJobs:
    def __init__(
        self, store_path: Path, gateway: RucioGateway | None, rate_limit: int | None = None
    ) -> None:
        self._path = store_path
        self._gateway = gateway
        self.rate_limit = rate_limit
        self._lock = threading.RLock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._tasks: dict[str, asyncio.Task] = {}
        self._stops: dict[str, threading.Event] = {}
        self._samples: dict[str, deque] = {}
        self._last_save = 0.0
        self._load()

    # --- persistence -----------------------------------------------------------------------
    def _load(self) -> None:
        stored = read_json(self._path, {"jobs": []})
        for job in stored.get("jobs", []) if isinstance(stored, dict) else []:
            if job.get("state") not in FINAL_JOB:
                job["state"] = "INTERRUPTED"
                job["message"] = "The Jupyter server stopped before this upload finished"
            for item in job.get("files", []):
                if item.get("state") in ACTIVE:
                    item["state"] = "INTERRUPTED"
                    item["message"] = "Interrupted by a restart of the Jupyter server"
                    if item.get("_target"):
                        # Never registered: a .part is always ours to delete.
                        remove_quietly(item["_target"] + PART_SUFFIX)
            self._jobs[job["id"]] = job
        if self._jobs:
            self._save()

    def _save(self) -> None:
        with self._lock:
            jobs = sorted(self._jobs.values(), key=lambda j: j["created_at"], reverse=True)
            finished = [j for j in jobs if j["state"] in FINAL_JOB]
            for old in finished[MAX_KEPT_JOBS:]:
                self._jobs.pop(old["id"], None)
            self._last_save = time.monotonic()
            write_private_json(self._path, {"jobs": list(self._jobs.values())})

    def _save_soon(self) -> None:
        if time.monotonic() - self._last_save >= SAVE_INTERVAL:
            self._save()

    # --- reading -----------------------------------------------------------------------------
    def _speed(self, job_id: str) -> float | None:
        samples = self._samples.get(job_id)
        if not samples or len(samples) < 2 or self._jobs[job_id]["state"] in FINAL_JOB:
            return None
        (t0, b0), (t1, b1) = samples[0], samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else None

    def list(self, instance: str) -> list[dict[str, Any]]:
        with self._lock:
            jobs = [
                public_job(j, self._speed(j["id"]))
                for j in self._jobs.values()
                if j["instance"] == instance
            ]
        return sorted(jobs, key=lambda j: j["created_at"], reverse=True)

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return public_job(job, self._speed(job_id)) if job else None

    def is_running(self, job_id: str) -> bool:
        task = self._tasks.get(job_id)
        return task is not None and not task.done()

    # --- changing ----------------------------------------------------------------------------
    def start(self, instance: str, account: str, client: Any, plan: UploadPlan) -> dict[str, Any]:
        """Start a job for a plan that was checked against Rucio (see upload_plan.prepare)."""
        job = {
            "id": uuid.uuid4().hex,
            "instance": instance,
            "account": account,
            "state": "QUEUED",
            "rse": plan.rse,
            "scope": plan.scope,
            "dataset": f"{plan.dataset[0]}:{plan.dataset[1]}" if plan.dataset else None,
            "dataset_new": plan.dataset_new,
            "lifetime_days": plan.lifetime_days,
            "created_at": _now(),
            "finished_at": None,
            "message": None,
            "files": [
                {
                    "path": f.path,
                    "did": f"{plan.scope}:{f.name}",
                    "bytes": f.size,
                    "bytes_done": 0,
                    "state": "QUEUED",
                    "message": None,
                    "existed": False,
                    "_abs": f.absolute,
                    "_stamp": [f.stamp.size, f.stamp.mtime_ns],
                    "_target": f.target,
                    "_existing": f.existing,
                }
                for f in plan.files
            ],
        }
        with self._lock:
            self._jobs[job["id"]] = job
            self._save()
        self._launch(job, client, list(range(len(job["files"]))))
        return public_job(job)

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Stops the job: waiting files are cancelled, the file being copied stops within seconds
        and its partial bytes are deleted."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job["state"] not in FINAL_JOB:
                self._stops.setdefault(job_id, threading.Event()).set()
                for item in job["files"]:
                    if item["state"] == "QUEUED":
                        self._set(item, "CANCELLED", "Cancelled")
                job["message"] = "Cancelled"
                if not self.is_running(job_id):
                    job["state"] = "CANCELLED"
            self._save()
            return public_job(job)

    async def retry(self, job_id: str, client: Any) -> dict[str, Any] | None:
        """Re-run the failed, cancelled and interrupted files; files already done are skipped."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if self.is_running(job_id) or job["state"] not in FINAL_JOB:
                raise JobConflict("this upload is still running")
            indices = [i for i, f in enumerate(job["files"]) if f["state"] in RETRYABLE]
            if not indices:
                raise JobConflict("nothing to retry: every file of this upload is done")
        items = [job["files"][i] for i in indices]
        await self._gateway.run(reconcile_for_retry, client, job, items, self._lock)
        with self._lock:
            for item in items:
                if item["state"] in RETRYABLE and item.get("_retry_ready"):
                    item.pop("_retry_ready")
                    self._set(item, "QUEUED", None)
                    item["bytes_done"] = 0
            job["state"], job["message"], job["finished_at"] = "QUEUED", None, None
            self._save()
        self._launch(job, client, indices)
        return public_job(job)

    async def remove(self, job_id: str, client_factory: Any) -> bool:
        """Forget a finished job, deleting bytes of it that Rucio never registered."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return False
            if self.is_running(job_id) or job["state"] not in FINAL_JOB:
                raise JobConflict("cancel this upload before removing it")
        leftovers = await asyncio.to_thread(_with_leftover_bytes, job["files"])
        if leftovers:
            client = await client_factory()
            await self._gateway.run(leftover_cleanup, client, job, leftovers)
        with self._lock:
            self._jobs.pop(job_id, None)
            self._stops.pop(job_id, None)
            self._samples.pop(job_id, None)
            self._save()
        return True

    # --- running -----------------------------------------------------------------------------
    def _set(self, item: dict[str, Any], state: str, message: str | None) -> None:
        item["state"] = state
        item["message"] = message

    def _launch(self, job: dict[str, Any], client: Any, indices: list[int]) -> None:
        stop = threading.Event()
        self._stops[job["id"]] = stop
        self._samples[job["id"]] = deque()
        self._tasks[job["id"]] = asyncio.ensure_future(self._run(job, client, indices, stop))

    async def _run(
        self, job: dict[str, Any], client: Any, indices: list[int], stop: threading.Event
    ) -> None:
        registrar = Registrar(self, job, client, stop)
        items = [job["files"][i] for i in indices if job["files"][i]["state"] == "QUEUED"]

        async def one(item: dict[str, Any]) -> None:
            try:
                outcome = await self._gateway.run_transfer(self._transfer, job, item, stop)
            except TransferCancelled:
                with self._lock:
                    self._set(item, "CANCELLED", "Cancelled; nothing of this file was kept")
            except Exception as error:  # noqa: BLE001 - recorded on the file
                with self._lock:
                    self._set(item, "FAILED", user_reason(error))
            else:
                if outcome is not None:
                    await registrar.add(item, copied=outcome == "copied")
            with self._lock:
                self._refresh_state(job)
                self._save()

        try:
            await asyncio.gather(*(one(item) for item in items))
            await registrar.flush()
        except Exception as error:  # noqa: BLE001 - recorded on the job
            log.exception("Upload job %s failed", job["id"])
            job["message"] = user_reason(error)
        with self._lock:
            self._finish(job, stop)
            self._save()

    def _refresh_state(self, job: dict[str, Any]) -> None:
        states = {f["state"] for f in job["files"]}
        for state in ("REGISTERING", "UPLOADING", "VERIFYING"):
            if state in states:
                job["state"] = "UPLOADING" if state == "VERIFYING" else state
                return

    def _finish(self, job: dict[str, Any], stop: threading.Event) -> None:
        for item in job["files"]:
            if item["state"] in ACTIVE:  # cannot happen; never leave a file looking busy
                self._set(item, "FAILED", item["message"] or "stopped unexpectedly")
        states = [f["state"] for f in job["files"]]
        failed = states.count("FAILED")
        if all(s == "DONE" for s in states):
            job["state"] = "DONE"
        elif stop.is_set():
            job["state"], job["message"] = "CANCELLED", "Cancelled"
        elif failed:
            job["state"] = "FAILED"
            job["message"] = job["message"] or f"{failed} of {len(states)} files failed"
        else:
            job["state"] = "CANCELLED" if "CANCELLED" in states else "FAILED"
        job["finished_at"] = _now()

    def _progress(self, job: dict[str, Any], item: dict[str, Any], done: int) -> None:
        with self._lock:
            item["bytes_done"] = done
            samples = self._samples.setdefault(job["id"], deque())
            now = time.monotonic()
            total = sum(f["bytes_done"] for f in job["files"])
            samples.append((now, total))
            while len(samples) > 2 and now - samples[0][0] > SPEED_WINDOW:
                samples.popleft()
            self._save_soon()

    def _claim(self, job: dict[str, Any], item: dict[str, Any], stop: threading.Event) -> bool:
        with self._lock:
            if item["state"] != "QUEUED" or stop.is_set():
                return False
            self._set(item, "UPLOADING", None)
            job["state"] = "UPLOADING"
            self._save()
            return True

    def _transfer(self, job: dict[str, Any], item: dict[str, Any], stop: threading.Event):
        """Copy and verify one file (on a transfer thread). 'copied', 'existing' or None."""
        if not self._claim(job, item, stop):
            return None
        stamp = FileStamp(*item["_stamp"])
        try:
            now = FileStamp.of(item["_abs"])
        except FileNotFoundError as error:
            raise SourceChanged(f"{item['path']} no longer exists") from error
        if now != stamp:
            raise SourceChanged(f"{item['path']} changed after the upload was started")
        existing = item.get("_existing")
        if existing:
            with self._lock:
                self._set(item, "VERIFYING", "Comparing with the file already in Rucio")
            checksum, _ = file_adler32(item["_abs"], stop)
            if checksum != str(existing.get("adler32") or "").lower().zfill(8):
                raise TransferError(
                    f"{item['did']} already exists in Rucio with different content "
                    f"(adler32 {existing.get('adler32')}, this file {checksum}); nothing was "
                    "changed: choose another name"
                )
            with self._lock:
                item["bytes_done"], item["existed"] = item["bytes"], True
                self._set(item, "VERIFYING", "Already in Rucio with the same content")
            return "existing"

        if not item.get("_target"):
            raise TransferError(f"{item['did']} is no longer in Rucio; start a new upload")

        def verifying() -> None:
            with self._lock:
                self._set(item, "VERIFYING", None)
                self._save()

        checksum = copy_file(
            item["_abs"],
            item["_target"],
            expected=stamp,
            on_progress=lambda done: self._progress(job, item, done),
            stop=stop,
            rate_limit=self.rate_limit,
            before_rename=verifying,
        )
        # Under the lock: a new key while another transfer thread saves the jobs (iterating
        # every file's fields) would fail that other file's upload.
        with self._lock:
            item["_adler32"] = checksum
        return "copied"
