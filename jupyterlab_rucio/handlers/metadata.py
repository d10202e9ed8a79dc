"""Metadata search: the `filter` of a DID search, and the metadata keys of a scope."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import tornado

from ..dids import SCOPE, Did
from ..filters import FilterError, parse_filter, plan
from ..metasearch import filtered_rows, key_suggestions
from .base import RucioHandler, bad_request

KEYS_TTL_SECONDS = 120.0
MAX_CACHED_SCOPES = 256
_keys_cache: dict[tuple[str, str, str], tuple[float, dict[str, Any]]] = {}


def filter_argument(
    handler: RucioHandler, pattern: Did, did_type: str, client: Any
) -> Callable[[], Iterator[dict[str, Any]]] | None:
    """The rows of the search's `filter` (Rucio's --filter syntax), or None without a filter.
    A filter Rucio would refuse is a 400 naming the key."""
    text = handler.get_query_argument("filter", "").strip()
    if not text:
        return None
    try:
        parsed = parse_filter(text)
        plan(parsed)
    except FilterError as error:
        raise bad_request(str(error)) from error
    if "name" in parsed.keys and pattern.name != "*":
        raise bad_request(
            "name: the filter compares names, so search scope:* (or drop name from the filter)"
        )
    return lambda: filtered_rows(client, pattern, did_type, parsed)


class MetadataKeysHandler(RucioHandler):
    """The keys a filter of the scope can use: DID columns, and the JSON keys seen there."""

    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        scope = self.get_query_argument("scope", None)
        if scope is None:
            raise bad_request("query parameter 'scope' is required")
        if not SCOPE.match(scope):
            raise bad_request(f"scope {scope[:40]!r} is not a valid Rucio scope")
        client, account = await self.rucio.client(instance)
        key = (instance.name, account, scope)
        cached = _keys_cache.get(key)
        if cached is None or cached[0] < time.monotonic():
            if scope not in await self.rucio.gateway.run(client.list_scopes):
                raise tornado.web.HTTPError(404, f"Unknown scope {scope!r}")
            answer = await self.rucio.gateway.run(key_suggestions, client, scope)
            if len(_keys_cache) >= MAX_CACHED_SCOPES:
                _keys_cache.clear()
            cached = _keys_cache[key] = (time.monotonic() + KEYS_TTL_SECONDS, answer)
        self.reply(cached[1])
