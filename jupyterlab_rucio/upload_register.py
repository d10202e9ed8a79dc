"""Registering the verified files of an upload job in batches, and tidying up before a retry or
after a removal. Bytes that Rucio does not know about are deleted; bytes Rucio knows are kept.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import TYPE_CHECKING, Any

from .transfers import PART_SUFFIX, FileStamp, remove_quietly
from .upload_rucio import (
    REGISTER_BATCH,
    add_available_replicas,
    existing_files,
    link_files,
    registered_on,
    user_reason,
)

if TYPE_CHECKING:
    from .uploads import UploadJobs


def _name(item: dict[str, Any]) -> str:
    return item["did"].partition(":")[2]


def _cause(error: BaseException) -> BaseException:
    """The Rucio error behind the gateway's HTTPError."""
    return error.__cause__ or error


class Registrar:
    """Collects the verified files of a running job and registers them REGISTER_BATCH at a time."""

    def __init__(
        self, jobs: UploadJobs, job: dict[str, Any], client: Any, stop: threading.Event
    ) -> None:
        self._jobs = jobs
        self._job = job
        self._client = client
        self._stop = stop
        self._pending: list[tuple[dict[str, Any], bool]] = []
        self._busy = asyncio.Lock()

    async def add(self, item: dict[str, Any], *, copied: bool) -> None:
        self._pending.append((item, copied))
        if len(self._pending) >= REGISTER_BATCH:
            await self.flush()

    async def flush(self) -> None:
        async with self._busy:
            while self._pending:
                batch = self._pending[:REGISTER_BATCH]
                del self._pending[:REGISTER_BATCH]
                await self._register(batch)

    def _mark(self, items: list[dict[str, Any]], state: str, message: str | None) -> None:
        with self._jobs._lock:
            for item in items:
                item["state"], item["message"] = state, message
                if state == "DONE":
                    item["bytes_done"] = item["bytes"]
            self._jobs._refresh_state(self._job)
            self._jobs._save()

    async def _register(self, batch: list[tuple[dict[str, Any], bool]]) -> None:
        job, gateway = self._job, self._jobs._gateway
        assert gateway is not None
        copied = [item for item, was_copied in batch if was_copied]
        known = [item for item, was_copied in batch if not was_copied]
        if self._stop.is_set():
            for item in copied:
                remove_quietly(item["_target"])
            self._mark([i for i, _ in batch], "CANCELLED", "Cancelled; nothing of it was kept")
            return
        self._mark([i for i, _ in batch], "REGISTERING", None)
        rse, scope = job["rse"], job["scope"]
        if copied:
            entries = [
                {"name": _name(i), "bytes": i["bytes"], "adler32": i["_adler32"]} for i in copied
            ]
            try:
                await gateway.run(add_available_replicas, self._client, rse, scope, entries)
                known += copied
            except Exception as error:  # noqa: BLE001 - recorded on the files
                known += await self._after_failed_add(copied, user_reason(_cause(error)))
        if not known:
            return
        lifetime = int(job["lifetime_days"] * 86400) if job.get("lifetime_days") else None
        dataset = tuple(job["dataset"].split(":", 1)) if job.get("dataset") else None
        try:
            await gateway.run(
                link_files,
                self._client,
                rse,
                scope,
                [_name(i) for i in known],
                lifetime,
                dataset,
                bool(job.get("dataset_new")),
            )
        except Exception as error:  # noqa: BLE001 - recorded on the files
            reason = user_reason(_cause(error))
            self._mark(known, "FAILED", f"{reason} (the file is in Rucio; retry to finish)")
            return
        job["dataset_new"] = False
        fresh = [i for i in known if not i.get("existed")]
        self._mark(fresh, "DONE", None)
        self._mark([i for i in known if i.get("existed")], "DONE", "Already in Rucio")

    async def _after_failed_add(self, items: list[dict[str, Any]], reason: str) -> list[dict]:
        """add_replicas failed: delete the bytes Rucio did not register (it may have registered
        some after all, e.g. when the answer timed out). Returns the registered ones."""
        names = [_name(i) for i in items]
        gateway = self._jobs._gateway
        assert gateway is not None
        try:
            registered = await gateway.run(
                registered_on, self._client, self._job["rse"], self._job["scope"], names
            )
        except Exception:  # noqa: BLE001 - Rucio cannot say: keep the bytes for a retry
            self._mark(items, "FAILED", f"{reason} (retry to finish)")
            return []
        kept = [i for i in items if _name(i) in registered]
        lost = [i for i in items if _name(i) not in registered]
        for item in lost:
            remove_quietly(item["_target"])
        self._mark(lost, "FAILED", f"{reason}; nothing of this file was kept")
        return kept


def reconcile_for_retry(
    client: Any, job: dict[str, Any], items: list[dict[str, Any]], lock: threading.RLock
) -> None:
    """Before a retry: see what Rucio has now, drop bytes it does not know, re-read the files.

    Marks the items that may run again with `_retry_ready`; the others get a reason."""
    existing = existing_files(client, job["scope"], [_name(i) for i in items])
    for item in items:
        with lock:
            if item.get("_target"):
                remove_quietly(item["_target"] + PART_SUFFIX)
            try:
                stamp = FileStamp.of(item["_abs"])
            except FileNotFoundError:
                item["state"], item["message"] = "FAILED", f"{item['path']} no longer exists"
                continue
            item["_stamp"], item["bytes"] = [stamp.size, stamp.mtime_ns], stamp.size
            meta = existing.get(_name(item))
            if meta and (meta["type"] != "FILE" or meta["bytes"] != stamp.size):
                item["state"] = "FAILED"
                item["message"] = (
                    f"{item['did']} already exists in Rucio with different content; "
                    "nothing was changed: choose another name"
                )
                continue
            item["_existing"] = meta
            item["existed"] = False
            if not meta and item.get("_target"):
                remove_quietly(item["_target"])  # bytes Rucio never registered
            item["_retry_ready"] = True


def leftover_cleanup(client: Any, job: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """Delete the bytes of files of a removed job that Rucio never registered."""
    names = [_name(i) for i in items]
    registered = registered_on(client, job["rse"], job["scope"], names)
    for item in items:
        remove_quietly(item["_target"] + PART_SUFFIX)
        if _name(item) not in registered and os.path.exists(item["_target"]):
            remove_quietly(item["_target"])
