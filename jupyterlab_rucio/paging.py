"""Page through Rucio's streamed listings without materialising them.

An open stream is kept per cursor in a small expiring LRU, so the next page continues where the
previous one stopped. When the stream is gone (expired, evicted, server restarted) the query is
re-run and the rows already sent are skipped, so a page is never silently lost or cut.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

CURSOR = re.compile(r"^([0-9a-f]{16})-(\d{1,9})$")


class CursorError(ValueError):
    pass


@dataclass
class _Stream:
    query: tuple
    rows: Iterator[Any]
    offset: int
    expires: float
    lock: threading.Lock = field(default_factory=threading.Lock)


class StreamPager:
    def __init__(self, max_streams: int = 64, ttl_seconds: float = 300.0) -> None:
        self._streams: OrderedDict[str, _Stream] = OrderedDict()
        self._max = max_streams
        self._ttl = ttl_seconds
        self._lock = threading.Lock()

    @staticmethod
    def parse_cursor(cursor: str | None) -> tuple[str, int] | None:
        if cursor is None or cursor == "":
            return None
        match = CURSOR.match(cursor)
        if not match:
            raise CursorError("cursor is malformed; pass next_cursor from the previous page")
        return match.group(1), int(match.group(2))

    def _claim(self, token: str, offset: int, query: tuple) -> _Stream | None:
        with self._lock:
            now = time.monotonic()
            for key in [k for k, s in self._streams.items() if s.expires < now]:
                del self._streams[key]
            stream = self._streams.pop(token, None)
        if stream is None or stream.query != query or stream.offset != offset:
            return None
        return stream

    def page(
        self,
        query: tuple,
        open_rows: Callable[[], Iterator[Any]],
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Any], str | None]:
        """One page (blocking; run on the Rucio pool). Returns the rows and the next cursor."""
        parsed = self.parse_cursor(cursor)
        stream = self._claim(*parsed, query) if parsed else None
        if stream is None:
            offset = parsed[1] if parsed else 0
            rows = iter(open_rows())
            for _ in range(offset):
                if next(rows, StopIteration) is StopIteration:
                    break
            stream = _Stream(query, rows, offset, 0.0)
        items = []
        for row in stream.rows:
            items.append(row)
            if len(items) == limit + 1:
                break
        if len(items) <= limit:
            return items, None
        # The extra row proves there is more; put it back in front of the rest of the stream.
        extra = items.pop()
        stream.rows = _prepend(extra, stream.rows)
        stream.offset += limit
        stream.expires = time.monotonic() + self._ttl
        token = secrets.token_hex(8)
        with self._lock:
            self._streams[token] = stream
            while len(self._streams) > self._max:
                self._streams.popitem(last=False)
        return items, f"{token}-{stream.offset}"


def _prepend(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest
