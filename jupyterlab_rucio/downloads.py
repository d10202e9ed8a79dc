"""Download mode: files are fetched into the user's download directory in the background.

Layout: <download_dir>/<scope>/<name> for every file, so a DID's paths are known without asking
where a previous download put them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from .client import RucioClientLogger, RucioGateway, rucio_reason
from .config import InstanceConfig
from .dids import Did
from .paths import PathError

log = logging.getLogger(__name__)


def local_file_path(instance: InstanceConfig, scope: str, name: str) -> str:
    base = os.path.realpath(instance.download_dir or "")
    target = os.path.realpath(os.path.join(base, scope, name.lstrip("/")))
    if os.path.commonpath([base, target]) != base:
        raise PathError(f"{scope}:{name} would be written outside the download directory")
    return target


def list_file_dids(client: Any, did: Did) -> list[dict[str, Any]]:
    return list(client.list_files(did.scope, did.name))


class Downloads:
    """Background downloads, at most one per (instance, DID) at a time."""

    def __init__(self, gateway: RucioGateway) -> None:
        self._gateway = gateway
        self._running: dict[tuple[str, str], asyncio.Task] = {}
        self._errors: dict[tuple[str, str], str] = {}

    def is_running(self, instance: InstanceConfig, did: Did) -> bool:
        task = self._running.get((instance.name, str(did)))
        return task is not None and not task.done()

    def last_error(self, instance: InstanceConfig, did: Did) -> str | None:
        return self._errors.get((instance.name, str(did)))

    def start(self, instance: InstanceConfig, client: Any, did: Did) -> bool:
        """Start a download unless one runs already; True when a new one started."""
        key = (instance.name, str(did))
        if self.is_running(instance, did):
            return False
        self._errors.pop(key, None)
        self._running[key] = asyncio.ensure_future(self._download(instance, client, did, key))
        return True

    async def _download(self, instance: InstanceConfig, client: Any, did: Did, key: tuple) -> None:
        try:
            await self._gateway.run_transfer(_download_sync, instance, client, did)
        except Exception as error:  # noqa: BLE001 - reported through availability
            message = getattr(error, "log_message", None) or rucio_reason(error)
            self._errors[key] = message
            log.warning("Download of %s failed: %s", did, message)


def _download_sync(instance: InstanceConfig, client: Any, did: Did) -> None:
    from rucio.client.downloadclient import DownloadClient

    downloader = DownloadClient(client=client, logger=RucioClientLogger(log), tracing=False)
    missing = [
        f
        for f in list_file_dids(client, did)
        if not os.path.isfile(local_file_path(instance, f["scope"], f["name"]))
    ]
    for f in missing:
        # Names may contain '/'; the download helper does not create those directories itself.
        os.makedirs(
            os.path.dirname(local_file_path(instance, f["scope"], f["name"])), exist_ok=True
        )
    if missing:
        items = [
            {"did": f"{f['scope']}:{f['name']}", "base_dir": instance.download_dir} for f in missing
        ]
        downloader.download_dids(items)


def download_availability(client: Any, instance: InstanceConfig, did: Did) -> dict[str, int]:
    files = list_file_dids(client, did)
    present = sum(
        1 for f in files if os.path.isfile(local_file_path(instance, f["scope"], f["name"]))
    )
    return {
        "files_total": len(files),
        "files_available": present,
        "bytes_total": sum(int(f.get("bytes") or 0) for f in files),
    }


def download_paths(client: Any, instance: InstanceConfig, did: Did) -> dict[str, Any]:
    files = list_file_dids(client, did)
    paths = sorted(local_file_path(instance, f["scope"], f["name"]) for f in files)
    present = [p for p in paths if os.path.isfile(p)]
    if not files:
        return {"did": str(did), "status": "NOT_AVAILABLE", "paths": [], "message": "no files"}
    if len(present) == len(paths):
        return {"did": str(did), "status": "OK", "paths": present, "message": None}
    status = "PARTIAL" if present else "NOT_AVAILABLE"
    message = f"{len(present)} of {len(paths)} files are downloaded"
    return {"did": str(did), "status": status, "paths": present, "message": message}
