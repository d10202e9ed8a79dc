"""Availability at the hub, making data available, rules, and DID -> path resolution."""

from __future__ import annotations

import asyncio
from typing import Any

import tornado

from .. import downloads, replication
from ..config import InstanceConfig
from ..dids import Did
from .base import RucioHandler, bad_request, http_error_message, lifetime_field, string_field

MAX_RESOLVE_DIDS = 100


class AvailabilityBase(RucioHandler):
    async def availability(self, instance: InstanceConfig, client: Any, account: str, did: Did):
        if instance.mode == "replica":
            return await self.rucio.gateway.run(
                replication.availability, client, instance, did, account
            )
        return await self.download_availability(instance, client, did)

    async def download_availability(self, instance: InstanceConfig, client: Any, did: Did):
        counts = await self.rucio.gateway.run(
            downloads.download_availability, client, instance, did
        )
        total, present = counts["files_total"], counts["files_available"]
        running = self.rucio.downloads.is_running(instance, did)
        error = self.rucio.downloads.last_error(instance, did)
        if total == 0:
            state = "EMPTY"
        elif present == total:
            state = "AVAILABLE"
        elif running:
            state = "REPLICATING"
        elif error:
            state = "ERROR"
        elif present:
            state = "PARTIALLY_AVAILABLE"
        else:
            state = "NOT_AVAILABLE"
        return {
            "did": str(did),
            "state": state,
            "files_total": total,
            "files_available": present,
            "files_replicating": total - present if running else 0,
            "bytes_total": counts["bytes_total"],
            "message": error if state == "ERROR" else None,
            "rule": None,
            "webui_url": replication.webui_did_url(instance, did),
        }


class AvailabilityHandler(AvailabilityBase):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        did = self.did_argument()
        client, account = await self.rucio.client(instance)
        self.reply(await self.availability(instance, client, account, did))


class MakeAvailableHandler(AvailabilityBase):
    @tornado.web.authenticated
    async def post(self) -> None:
        instance = self.current_instance()
        body = self.json_body()
        did = self.parse_did(string_field(body, "did", max_len=400))
        lifetime = lifetime_field(body)
        client, account = await self.rucio.client(instance)
        if instance.mode == "replica":
            result = await self.rucio.gateway.run(
                replication.make_available, client, instance, did, account, lifetime
            )
        else:
            # Check the DID exists before starting anything in the background.
            await self.rucio.gateway.run(client.get_did, did.scope, did.name)
            result = await self.download_availability(instance, client, did)
            created = result["state"] not in ("AVAILABLE", "EMPTY") and (
                self.rucio.downloads.start(instance, client, did)
            )
            if created:
                result = await self.download_availability(instance, client, did)
            result["created"] = created
        self.reply(result)


class RulesHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        did = self.did_argument()
        client, account = await self.rucio.client(instance)
        rules = await self.rucio.gateway.run(replication.user_rules, client, instance, did, account)
        self.reply({"rules": rules})


class ResolveHandler(RucioHandler):
    @tornado.web.authenticated
    async def post(self) -> None:
        instance = self.current_instance()
        texts = self.json_body().get("dids")
        if not isinstance(texts, list) or not texts:
            raise bad_request("field 'dids' must be a non-empty list of 'scope:name' strings")
        if len(texts) > MAX_RESOLVE_DIDS:
            raise bad_request(f"at most {MAX_RESOLVE_DIDS} DIDs can be resolved at once")
        dids = [self.parse_did(t, field=f"dids[{i}]") for i, t in enumerate(texts)]
        client, _ = await self.rucio.client(instance)
        resolve = (
            replication.resolve_one if instance.mode == "replica" else downloads.download_paths
        )

        async def one(did: Did) -> dict[str, Any]:
            try:
                return await self.rucio.gateway.run(resolve, client, instance, did)
            except tornado.web.HTTPError as error:
                return {
                    "did": str(did),
                    "status": "ERROR",
                    "paths": [],
                    "message": http_error_message(error),
                }

        results = await asyncio.gather(*(one(did) for did in dids))
        self.reply({"results": list(results)})
