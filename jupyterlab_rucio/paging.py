"""Page through Rucio's streamed listings without materialising them.

An open stream is kept per cursor in a small expiring LRU, so the next page continues where the
previous one stopped. When the stream is gone (expired, evicted, server restarted) the query is
re-run and the rows already sent are skipped, so a page is never silently lost or cut.

Rucio keeps a server thread and a database cursor busy until a streamed listing has been read to
the end. A stream left open between pages is therefore read ahead in a thread of its own, into a
bounded buffer: Rucio is released as soon as the rest of the listing fits in the buffer, not when
the user scrolls on, and a listing larger than the buffer costs no more memory than the buffer.
"""

from __future__ import annotations

import queue
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

CURSOR = re.compile(r"^([0-9a-f]{16})-(\d{1,9})$")
READ_AHEAD_ROWS = 5_000


class CursorError(ValueError):
    pass


class _ReadAhead:
    """An iterator over `rows` that a background thread reads ahead, at most `capacity` rows."""

    _END = object()

    def __init__(self, rows: Iterator[Any], capacity: int, wait_seconds: float) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=capacity)
        self._closed = threading.Event()
        self._finished = False
        self._unread: list[Any] = []
        self._wait = wait_seconds
        threading.Thread(
            target=self._fill, args=(rows,), name="rucio-read-ahead", daemon=True
        ).start()

    def _fill(self, rows: Iterator[Any]) -> None:
        try:
            for row in rows:
                if not self._put(row):
                    return
            self._put(self._END)
        except Exception as error:  # noqa: BLE001 - handed to the reader of the page
            self._put(_Failure(error))
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    def _put(self, item: Any) -> bool:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> _ReadAhead:
        return self

    def unread(self, row: Any) -> None:
        """Put a row back: the next page starts with it."""
        self._unread.append(row)

    def __next__(self) -> Any:
        if self._unread:
            return self._unread.pop()
        if self._finished:
            raise StopIteration
        try:
            item = self._queue.get(timeout=self._wait)
        except queue.Empty:
            raise TimeoutError("Rucio stopped sending the listing") from None
        if item is self._END:
            self._finished = True
            raise StopIteration
        if isinstance(item, _Failure):
            self._finished = True
            raise item.error
        return item

    def close(self) -> None:
        """Stop reading; the thread ends and Rucio's response is closed."""
        self._closed.set()
        self._finished = True


@dataclass
class _Failure:
    error: Exception


@dataclass
class _Stream:
    query: tuple
    rows: Iterator[Any]
    offset: int
    expires: float


def _close(stream: _Stream | None) -> None:
    if stream is not None and isinstance(stream.rows, _ReadAhead):
        stream.rows.close()


class StreamPager:
    def __init__(
        self,
        max_streams: int = 64,
        ttl_seconds: float = 120.0,
        read_ahead_rows: int = READ_AHEAD_ROWS,
        wait_seconds: float = 120.0,
    ) -> None:
        self._streams: OrderedDict[str, _Stream] = OrderedDict()
        self._max = max_streams
        self._ttl = ttl_seconds
        self._read_ahead = read_ahead_rows
        self._wait = wait_seconds
        self._lock = threading.Lock()

    @staticmethod
    def parse_cursor(cursor: str | None) -> tuple[str, int] | None:
        if cursor is None or cursor == "":
            return None
        match = CURSOR.match(cursor)
        if not match:
            raise CursorError("cursor is malformed; pass next_cursor from the previous page")
        return match.group(1), int(match.group(2))

    def _drop_expired(self) -> None:
        with self._lock:
            now = time.monotonic()
            for key in [k for k, s in self._streams.items() if s.expires < now]:
                _close(self._streams.pop(key))

    def drop(self, prefix: tuple) -> None:
        """Close the open streams whose query starts with `prefix` (a search the user replaced)."""
        with self._lock:
            for key in [k for k, s in self._streams.items() if s.query[: len(prefix)] == prefix]:
                _close(self._streams.pop(key))

    def _claim(self, token: str, offset: int, query: tuple) -> _Stream | None:
        with self._lock:
            stream = self._streams.pop(token, None)
        if stream is None or stream.query != query or stream.offset != offset:
            _close(stream)
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
        self._drop_expired()
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
        if not isinstance(stream.rows, _ReadAhead):
            stream.rows = _ReadAhead(stream.rows, self._read_ahead, self._wait)
        stream.rows.unread(extra)
        stream.offset += limit
        stream.expires = time.monotonic() + self._ttl
        token = secrets.token_hex(8)
        with self._lock:
            self._streams[token] = stream
            while len(self._streams) > self._max:
                _close(self._streams.popitem(last=False)[1])
        return items, f"{token}-{stream.offset}"
