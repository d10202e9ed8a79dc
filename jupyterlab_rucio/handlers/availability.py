"""Availability at the hub, making data available, rules, and DID -> path resolution.

What differs between instance modes lives in the mode objects (../modes.py); these handlers
only parse the request and pick the mode of the instance.
"""

from __future__ import annotations

import tornado

from .. import replication
from .base import RucioHandler, bad_request, lifetime_field, string_field

MAX_RESOLVE_DIDS = 100


class AvailabilityHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        did = self.did_argument()
        mode = await self.rucio.mode(instance)
        self.reply(await mode.availability(did))


class MakeAvailableHandler(RucioHandler):
    @tornado.web.authenticated
    async def post(self) -> None:
        instance = self.current_instance()
        body = self.json_body()
        did = self.parse_did(string_field(body, "did", max_len=400))
        lifetime = lifetime_field(body)
        mode = await self.rucio.mode(instance)
        self.reply(await mode.make_available(did, lifetime))


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
        mode = await self.rucio.mode(instance)
        self.reply({"results": await mode.resolve(dids)})
