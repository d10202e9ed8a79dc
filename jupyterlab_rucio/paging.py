"""Page through Rucio's streamed listings without holding Rucio for an idle user.

A hub puts many single-user servers in front of one Rucio, and a Rucio server thread (and its
database cursor) stays busy for as long as a streamed listing is not read to its end. So:

* The first page of a search asks Rucio for one row more than the page (`limit`): Rucio ends the
  request by itself, and a user who searches once and walks away holds nothing.
* When the user asks for the next page, the listing is read again, this time to its end, as fast
  as Rucio sends it, into a spool file on disk (rows a first page already showed are left out).
  Rucio is released within the time it takes to send the listing, whatever the user does next;
  the memory cost is 8 bytes per row, the rows themselves are on disk.
* An open listing lives for `ttl_seconds` after its last page; a timer, not the next request,
  closes it (and stops reading Rucio if it was still reading). At most `max_listings` are open per
  server; opening one more closes the least recently used. A cursor whose listing is gone
  (expired, closed, server restarted) is answered by reading the listing again and skipping the
  rows already sent, so a page is never silently lost or cut.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import tempfile
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

log = logging.getLogger(__name__)

CURSOR = re.compile(r"^([0-9a-f]{16})-(\d{1,9})(?:-(\d{1,4}))?$")
# A listing longer than this is not spooled past it: pages beyond are refused with a message.
MAX_SPOOL_ROWS = 2_000_000
# Rows a spool writes at once when no reader waits for them.
WRITE_BATCH = 512
# `open_rows(limit)` opens a Rucio listing; limit None means the whole listing.
RowsOpener = Callable[[int | None], Iterable[Any]]


class CursorError(ValueError):
    pass


class ListingTooLong(ValueError):
    pass


def _row_key(row: Any) -> Any:
    if isinstance(row, dict) and "name" in row:
        return (row.get("scope"), row["name"])
    return json.dumps(row, sort_keys=True, default=str)


class _Spool:
    """A listing read to its end by a thread of its own into a temporary file, a row a line of
    JSON, as the pages send them."""

    def __init__(self, rows: Iterable[Any], exclude: set, max_rows: int) -> None:
        self._file = tempfile.TemporaryFile(mode="w+b", prefix="rucio-listing-")
        self._offsets = array("q")
        self._end = 0
        self._exclude = exclude
        self._max_rows = max_rows
        self._changed = threading.Condition()
        # Rows a waiting reader needs: it is woken once they are there, not for every row.
        self._wanted = 0
        self._closed = threading.Event()
        self.finished = False
        self.truncated = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._fill, args=(rows,), name="rucio-listing", daemon=True
        )
        self.thread.start()

    def _fill(self, rows: Iterable[Any]) -> None:
        iterator = iter(rows)
        pending: list[bytes] = []
        try:
            for row in iterator:
                if self._closed.is_set():
                    return
                if self._exclude and _row_key(row) in self._exclude:
                    continue
                pending.append(_json(row))
                # Written in batches, or at once when a reader waits for these rows.
                stored = len(self._offsets)
                waited = stored < self._wanted <= stored + len(pending)
                if len(pending) >= WRITE_BATCH or waited:
                    if not self._store(pending):
                        return
                    pending = []
            self._store(pending)
        except Exception as error:  # noqa: BLE001 - handed to the reader of the next page
            self.error = error
        finally:
            # Closing the generator closes Rucio's streamed response and its connection.
            close = getattr(iterator, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001 - the listing is over either way
                    log.debug("closing a Rucio listing failed", exc_info=True)
            with self._changed:
                self.finished = True
                self._changed.notify_all()

    def _store(self, lines: list[bytes]) -> bool:
        """Append `lines` (False once the listing is closed or over its length)."""
        with self._changed:
            if self._closed.is_set():
                return False
            room = self._max_rows - len(self._offsets)
            if len(lines) > room:
                self.truncated = True
                lines = lines[:room]
            if lines:
                self._file.seek(self._end)
                for line in lines:
                    self._offsets.append(self._end)
                    self._end += len(line) + 1
                self._file.write(b"\n".join(lines) + b"\n")
                if len(self._offsets) >= self._wanted:
                    self._changed.notify_all()
            return not self.truncated

    def ready(self, start: int, count: int) -> bool:
        """Whether `lines(start, count)` would answer without waiting or failing."""
        with self._changed:
            if len(self._offsets) >= start + count:
                return True
            return self.finished and self.error is None and not self.truncated

    def lines(self, start: int, count: int, wait_seconds: float) -> list[bytes]:
        """Rows start..start+count (fewer at the end) as JSON, waiting for Rucio to send them."""
        deadline = time.monotonic() + wait_seconds
        with self._changed:
            self._wanted = start + count
            while len(self._offsets) < start + count and not self.finished:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("Rucio stopped sending the listing")
                self._changed.wait(min(left, 1.0))
            if self.error is not None and len(self._offsets) < start + count:
                raise self.error
            if self.truncated and len(self._offsets) < start + count:
                raise ListingTooLong(
                    f"only the first {self._max_rows:,} results can be paged; narrow the search"
                )
            end = min(start + count, len(self._offsets))
            if start >= end:
                return []
            self._file.flush()
            stop = self._offsets[end] if end < len(self._offsets) else self._end
            self._file.seek(self._offsets[start])
            data = self._file.read(stop - self._offsets[start])
        return data.splitlines()

    def close(self) -> None:
        self._closed.set()
        with self._changed:
            self._file.close()
            self._offsets = array("q")


class _Listing:
    def __init__(self, query: tuple, open_rows: RowsOpener, first: list[Any], base: int) -> None:
        self.query = query
        self.open_rows = open_rows
        self.exclude = {_row_key(row) for row in first}
        self.base = base  # rows of the first page, which the spool leaves out
        self.spool: _Spool | None = None
        self.expires = 0.0

    def ready(self, offset: int, count: int) -> bool:
        """Whether `lines(offset, count, ...)` would answer from the spool at once."""
        return self.spool is not None and self.spool.ready(offset - self.base, count)

    def lines(self, offset: int, count: int, max_rows: int, wait: float) -> list[bytes]:
        if self.spool is None:
            self.spool = _Spool(self.open_rows(None), self.exclude, max_rows)
        return self.spool.lines(offset - self.base, count, wait)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


class StreamPager:
    """Open listings of one server, keyed by the token of their cursor."""

    def __init__(
        self,
        max_listings: int = 8,
        ttl_seconds: float = 120.0,
        wait_seconds: float = 120.0,
        max_spool_rows: int = MAX_SPOOL_ROWS,
        reap_every: float = 1.0,
    ) -> None:
        self._listings: OrderedDict[str, _Listing] = OrderedDict()
        self._max = max(1, max_listings)
        self._ttl = ttl_seconds
        self._wait = wait_seconds
        self._max_rows = max_spool_rows
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._reaper = threading.Thread(
            target=self._reap, args=(reap_every,), name="rucio-listing-reaper", daemon=True
        )
        self._reaper.start()

    # -- cursors --------------------------------------------------------------------------------
    @staticmethod
    def parse_cursor(cursor: str | None) -> tuple[str, int, int] | None:
        if cursor is None or cursor == "":
            return None
        match = CURSOR.match(cursor)
        if not match:
            raise CursorError("cursor is malformed; pass next_cursor from the previous page")
        return match.group(1), int(match.group(2)), int(match.group(3) or 0)

    # -- open listings -------------------------------------------------------------------------
    @property
    def open_listings(self) -> int:
        """Listings that still read or may read Rucio."""
        with self._lock:
            return len(self._listings)

    @property
    def reading(self) -> int:
        """Open listings whose Rucio response is still being read to its end."""
        with self._lock:
            return sum(1 for s in self._listings.values() if s.spool and not s.spool.finished)

    def _reap(self, every: float) -> None:
        while not self._stopped.wait(every):
            now = time.monotonic()
            with self._lock:
                expired = [k for k, s in self._listings.items() if s.expires < now]
                gone = [self._listings.pop(k) for k in expired]
            for listing in gone:
                listing.close()

    def drop(self, prefix: tuple) -> None:
        """Close the listings whose query starts with `prefix` (a search the user replaced)."""
        with self._lock:
            keys = [k for k, s in self._listings.items() if s.query[: len(prefix)] == prefix]
            gone = [self._listings.pop(k) for k in keys]
        for listing in gone:
            listing.close()

    def close_all(self) -> None:
        """Close every listing (the server is stopping)."""
        self._stopped.set()
        with self._lock:
            gone = list(self._listings.values())
            self._listings.clear()
        for listing in gone:
            listing.close()

    def _keep(self, listing: _Listing, offset: int) -> str:
        token = secrets.token_hex(8)
        listing.expires = time.monotonic() + self._ttl
        with self._lock:
            self._listings[token] = listing
            evicted = []
            while len(self._listings) > self._max:
                evicted.append(self._listings.popitem(last=False)[1])
        for old in evicted:
            old.close()
        return f"{token}-{offset}-{listing.base}"

    def _claim(self, token: str, query: tuple) -> _Listing | None:
        with self._lock:
            listing = self._listings.pop(token, None)
        if listing is not None and listing.query != query:
            listing.close()
            return None
        return listing

    # -- pages ------------------------------------------------------------------------------------
    def page(
        self,
        query: tuple,
        open_rows: RowsOpener,
        limit: int,
        cursor: str | None,
        *,
        can_limit: bool = False,
        as_json: bool = False,
    ) -> tuple[list[Any], str | None]:
        """One page (blocking; run on the Rucio pool). Returns the rows and the next cursor.

        `can_limit`: `open_rows(n)` returns at most n rows (Rucio ends the request itself);
        otherwise it always opens the whole listing. `as_json`: each row as its JSON text (rows
        from a spool are sent as they are stored, not decoded and encoded again)."""
        rows, next_cursor = self._page(query, open_rows, limit, cursor, can_limit)
        if as_json:
            return [r if isinstance(r, bytes) else _json(r) for r in rows], next_cursor
        return [json.loads(r) if isinstance(r, bytes) else r for r in rows], next_cursor

    def ready_page(
        self, query: tuple, limit: int, cursor: str | None
    ) -> tuple[list[bytes], str | None] | None:
        """The page at `cursor` if its rows are in the spool already, else None (then `page`
        on the Rucio pool). It neither waits nor opens a listing, so the event loop may ask it:
        a page of stored rows is one read of a local file, not worth a trip through the pool."""
        parsed = self.parse_cursor(cursor)
        if parsed is None:
            return None
        token, offset, _ = parsed
        with self._lock:
            listing = self._listings.get(token)
            if listing is None or listing.query != query:
                return None
            if not listing.ready(max(offset, listing.base), limit + 1):
                return None
            # Claimed: neither the timer nor an eviction can close it while it is read.
            del self._listings[token]
        return self._serve(listing, offset, limit)

    def _page(
        self, query: tuple, open_rows: RowsOpener, limit: int, cursor: str | None, can_limit: bool
    ) -> tuple[list[Any], str | None]:
        parsed = self.parse_cursor(cursor)
        if parsed is None:
            if can_limit:
                first = list(_take(open_rows(limit + 1), limit + 1))
                if len(first) <= limit:
                    return first, None
                listing = _Listing(query, open_rows, first[:limit], limit)
                return first[:limit], self._keep(listing, limit)
            listing, offset = _Listing(query, open_rows, [], 0), 0
        else:
            token, offset, base = parsed
            listing = self._claim(token, query)
            if listing is None:
                # The listing is gone: read the same first page again, then skip what was sent.
                first = list(_take(open_rows(base), base)) if can_limit and base else []
                listing = _Listing(query, open_rows, first, len(first))
        return self._serve(listing, offset, limit)

    def _serve(self, listing: _Listing, offset: int, limit: int) -> tuple[list[Any], str | None]:
        """The page of `listing` at `offset`; the listing is kept for the next page, if any."""
        try:
            rows = listing.lines(max(offset, listing.base), limit + 1, self._max_rows, self._wait)
        except BaseException:
            listing.close()
            raise
        if len(rows) <= limit:
            listing.close()
            return rows, None
        return rows[:limit], self._keep(listing, offset + limit)


# One encoder for every row: json.dumps with separators builds a new one each call.
compact_json = json.JSONEncoder(separators=(",", ":")).encode


def _json(row: Any) -> bytes:
    # Rows that know a quicker way to write themselves (dids.Summary) use it.
    write = getattr(row, "json_bytes", None)
    return write() if write is not None else compact_json(row).encode()


def _take(rows: Iterable[Any], count: int) -> Iterator[Any]:
    iterator = iter(rows)
    try:
        for _ in range(count):
            try:
                yield next(iterator)
            except StopIteration:
                return
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
