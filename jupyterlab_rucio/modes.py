"""One object per instance mode: how a DID is made available at the hub, and where its files are.

`ReplicaMode`: the hub mounts an RSE; data is made available by a replication rule to it and
files are read from the mount. `DownloadMode`: files are downloaded into the user's download
directory. Both answer `availability`, `make_available` and `resolve` for one authenticated
client; a new mode is one more class in `MODES`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from tornado.web import HTTPError

from . import downloads, replication
from .availability import availability_reply, download_state, hub_location
from .client import RucioGateway, http_error_message
from .config import InstanceConfig
from .dids import Did, did_type_name

# A resolve lists every file of a DID in one bulk call, which Rucio may take minutes to stream
# for a dataset of many thousands of files: it gets this many times the per-call timeout.
BULK_TIMEOUT_FACTOR = 5


class InstanceMode(Protocol):
    async def availability(self, did: Did) -> dict[str, Any]:
        """The `Availability` answer (openapi.yaml) of the DID at the hub."""

    async def make_available(self, did: Did, lifetime_days: float | None) -> dict[str, Any]:
        """Start making the DID available; the availability right after, plus `created`."""

    async def resolve(self, dids: Sequence[Did]) -> list[dict[str, Any]]:
        """Per DID, in order: `{did, status, paths, message}` (status OK when every file is
        available; PARTIAL, NOT_AVAILABLE or ERROR otherwise, with a message)."""


class _Mode:
    def __init__(
        self,
        instance: InstanceConfig,
        gateway: RucioGateway,
        client: Any,
        account: str,
        transfers: downloads.Downloads | None = None,
    ) -> None:
        self.instance = instance
        self.gateway = gateway
        self.client = client
        self.account = account
        self.transfers = transfers

    def _resolve_one(self, did: Did) -> dict[str, Any]:
        raise NotImplementedError

    async def resolve(self, dids: Sequence[Did]) -> list[dict[str, Any]]:
        async def one(did: Did) -> dict[str, Any]:
            try:
                return await self.gateway.run(
                    self._resolve_one, did, timeout=self.gateway.timeout * BULK_TIMEOUT_FACTOR
                )
            except HTTPError as error:
                return replication.resolve_result(did, "ERROR", [], http_error_message(error))

        return list(await asyncio.gather(*(one(did) for did in dids)))


class ReplicaMode(_Mode):
    """Data on the hub's mounted RSE: one bulk replica listing per DID."""

    async def availability(self, did: Did) -> dict[str, Any]:
        return await self.gateway.run(
            replication.availability, self.client, self.instance, did, self.account
        )

    async def make_available(self, did: Did, lifetime_days: float | None) -> dict[str, Any]:
        return await self.gateway.run(
            replication.make_available,
            self.client,
            self.instance,
            did,
            self.account,
            lifetime_days,
        )

    def _resolve_one(self, did: Did) -> dict[str, Any]:
        return replication.resolve_one(self.client, self.instance, did)


class DownloadMode(_Mode):
    """Data downloaded into the user's directory by background downloads."""

    def _downloads(self) -> downloads.Downloads:
        if self.transfers is None:
            raise HTTPError(500, "downloads are not available here")
        return self.transfers

    async def availability(self, did: Did) -> dict[str, Any]:
        counts = await self.gateway.run(
            downloads.download_availability, self.client, self.instance, did
        )
        total, present = counts["files_total"], counts["files_available"]
        running = self._downloads().is_running(self.instance, did)
        error = self._downloads().last_error(self.instance, did)
        state = download_state(total, present, running, error)
        return availability_reply(
            did,
            state,
            files_total=total,
            files_available=present,
            files_replicating=total - present if running else 0,
            bytes_total=counts["bytes_total"],
            message=error if state == "ERROR" else None,
            webui_url=replication.webui_did_url(self.instance, did),
            location=hub_location(counts["paths"]),
        )

    async def make_available(self, did: Did, lifetime_days: float | None) -> dict[str, Any]:
        # Check the DID exists before starting anything in the background.
        await self.gateway.run(self.client.get_did, did.scope, did.name)
        result = await self.availability(did)
        created = result["state"] not in ("AVAILABLE", "EMPTY") and self._downloads().start(
            self.instance, self.client, did
        )
        if created:
            result = await self.availability(did)
        result["created"] = created
        return result

    def _resolve_one(self, did: Did) -> dict[str, Any]:
        info = self.client.get_did(did.scope, did.name)
        result = downloads.download_paths(self.client, self.instance, did)
        return dict(result, did_type=did_type_name(info.get("type")))


MODES: dict[str, type[_Mode]] = {"replica": ReplicaMode, "download": DownloadMode}


def mode_for(
    instance: InstanceConfig,
    gateway: RucioGateway,
    client: Any,
    account: str,
    transfers: downloads.Downloads | None = None,
) -> InstanceMode:
    """The mode object of an instance, acting with this client and account."""
    return MODES[instance.mode](instance, gateway, client, account, transfers)
