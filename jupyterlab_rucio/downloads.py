"""Download mode: files are fetched into the user's download directory in the background.

Layout: <download_dir>/<scope>/<name> for every file, so a DID's paths are known without asking
where a previous download put them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from tornado.web import HTTPError

from .client import REPLICA_SORT, RucioGateway, http_error_message, rucio_reason
from .config import InstanceConfig
from .dids import Did
from .paths import PathError
from .transfers import TransferError, copy_file, local_path_of_pfn

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

    def __init__(self, gateway: RucioGateway, rate_limit: int | None = None) -> None:
        self._gateway = gateway
        self._rate_limit = rate_limit
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
            await self._gateway.run_transfer(
                _download_sync, instance, client, did, self._rate_limit
            )
        except Exception as error:  # noqa: BLE001 - reported through availability
            message = (
                http_error_message(error) if isinstance(error, HTTPError) else rucio_reason(error)
            )
            self._errors[key] = message
            log.warning("Download of %s failed: %s", did, message)


def _download_sync(
    instance: InstanceConfig, client: Any, did: Did, rate_limit: int | None = None
) -> None:
    """Copy the DID's missing files into the download directory, checked against Rucio's
    adler32; one bulk replica listing for all files, the bytes copied by us in chunks."""
    replicas = client.list_replicas(
        [did.as_dict()], schemes=None, ignore_availability=False, sort=REPLICA_SORT
    )
    failures = []
    for replica in replicas:
        target = local_file_path(instance, replica["scope"], replica["name"])
        if os.path.isfile(target):
            continue
        try:
            source = _readable_source(replica)
            copy_file(
                source, target, expected_adler32=replica.get("adler32"), rate_limit=rate_limit
            )
        except (TransferError, OSError) as error:
            failures.append(f"{replica['scope']}:{replica['name']}: {error}")
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise TransferError(f"{failures[0]}{more}")


def _readable_source(replica: dict[str, Any]) -> str:
    """A replica's bytes as a local file: its file:// PFNs whose path this server can read."""
    pfns = replica.get("pfns") or {}
    if not pfns:
        raise TransferError("no replica of it is available on any RSE")
    errors = []
    for pfn in sorted(pfns, key=lambda p: pfns[p].get("priority") or 0):
        try:
            path = local_path_of_pfn(pfn, "downloads")
        except TransferError as error:
            errors.append(str(error))
            continue
        if os.access(path, os.R_OK):
            return path
        errors.append(f"{path} is not readable from this server")
    raise TransferError(errors[0])


def download_availability(client: Any, instance: InstanceConfig, did: Did) -> dict[str, Any]:
    """File and byte counts of the DID, and the paths of its files already downloaded."""
    files = list_file_dids(client, did)
    present = [
        path
        for path in (local_file_path(instance, f["scope"], f["name"]) for f in files)
        if os.path.isfile(path)
    ]
    return {
        "files_total": len(files),
        "files_available": len(present),
        "bytes_total": sum(int(f.get("bytes") or 0) for f in files),
        "paths": present,
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
