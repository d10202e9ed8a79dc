"""Browsing Rucio: scopes, DID search, details and contents, page by page."""

from __future__ import annotations

import json

import tornado
from tornado.web import HTTPError

from ..dids import SEARCH_TYPES, content_rows, details, search_rows
from ..paging import CursorError, ListingTooLong
from .base import RucioHandler, bad_request
from .metadata import filter_argument


class ScopesHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        client, _ = await self.rucio.client(self.current_instance())
        scopes = await self.rucio.gateway.run(client.list_scopes)
        self.reply({"scopes": sorted(scopes)})


class PagedHandler(RucioHandler):
    async def page(
        self, query: tuple, open_rows, scope: str | None = None, can_limit: bool = False
    ) -> None:
        limit = self.limit_argument()
        cursor = self.get_query_argument("cursor", None)
        try:
            self.rucio.pager.parse_cursor(cursor)
        except CursorError as error:
            raise bad_request(str(error)) from error

        def one_page() -> tuple[list[bytes], str | None]:
            try:
                return self.rucio.pager.page(
                    query, open_rows, limit, cursor, can_limit=can_limit, as_json=True
                )
            except ListingTooLong as error:
                raise bad_request(str(error)) from error

        # A page whose rows are read already is answered at once. A first page with Rucio's
        # `limit` is one quick Rucio call; any other page may wait for a listing that is still
        # being read, which must not hold up the quick calls' pool.
        ready = self.rucio.pager.ready_page(query, limit, cursor)
        if ready is not None:
            items, next_cursor = ready
        else:
            waits = cursor is not None or not can_limit
            gateway = self.rucio.gateway
            items, next_cursor = await (gateway.run_paging if waits else gateway.run)(one_page)
        if not items and cursor is None and scope is not None:
            # Rucio answers an unknown scope with an empty list; the user deserves to know.
            client, _ = await self.rucio.client(self.current_instance())
            if scope not in await self.rucio.gateway.run(client.list_scopes):
                raise HTTPError(404, f"Unknown scope {scope!r}")
        # The rows are JSON already (paging.py): joined, not decoded and encoded again.
        tail = {"next_cursor": next_cursor, "has_more": next_cursor is not None}
        self.set_header("Content-Type", "application/json")
        self.finish(b'{"items":[' + b",".join(items) + b"]," + json.dumps(tail).encode()[1:])


class SearchHandler(PagedHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        pattern = self.did_argument(wildcard=True)
        did_type = self.get_query_argument("type", "all")
        if did_type not in SEARCH_TYPES:
            raise bad_request(f"type must be one of {', '.join(SEARCH_TYPES)}")
        if "*" in pattern.name and not instance.wildcard_enabled:
            raise bad_request(f"wildcard searches are disabled on {instance.display_name}")
        client, account = await self.rucio.client(instance)
        if not self.get_query_argument("cursor", None):
            # A new search replaces the user's previous one: stop reading the old listing.
            self.rucio.pager.drop(("search", instance.name, account))
        query = ("search", instance.name, account, str(pattern), did_type)
        filtered = filter_argument(self, pattern, did_type, client)
        if filtered is None:
            await self.page(
                query,
                lambda limit: search_rows(client, pattern, did_type, limit),
                pattern.scope,
                can_limit=True,
            )
        else:
            # A filtered listing has no limit of Rucio's own: it is spooled from the first page.
            query += (self.get_query_argument("filter").strip(),)
            await self.page(query, lambda _limit: filtered(), pattern.scope)


class ContentsHandler(PagedHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        did = self.did_argument()
        client, account = await self.rucio.client(instance)
        query = ("contents", instance.name, account, str(did))
        await self.page(query, lambda _limit: content_rows(client, did))


class DetailsHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        did = self.did_argument()
        client, _ = await self.rucio.client(instance)
        self.reply(await self.rucio.gateway.run(details, client, did))
