"""Reading Rucio's streamed answers in bursts rather than a row at a time.

Rucio writes a listing as it reads it from its database, each row an HTTP chunk (and, over
HTTPS, a TLS record) of its own. A reader that keeps up with it waits for every row: a wake-up,
a poll and two reads for each, which cost the Jupyter server more CPU than the rows themselves.
Pausing for a moment whenever nothing more has arrived lets the rows gather, and each wake-up
then reads what Rucio sent meanwhile. On a hub's shared cores that CPU is another user's.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

# How long a reader pauses when nothing has arrived: short for a page that someone waits for,
# longer for a listing read to its end into the spool (Rucio sends on into the socket's buffer).
PAGE_PAUSE = 0.001
LISTING_PAUSE = 0.005
CHUNK = 64 * 1024


def in_bursts(response: Any, pause: float, chunk: int = CHUNK) -> Iterator[bytes]:
    """The body of a streamed `requests` response (`stream=True`), as it comes; whenever
    nothing more is waiting to be read, the reader pauses `pause` seconds first."""
    arrived = _arrival_check(response)
    for data in response.iter_content(chunk):
        yield data
        if arrived is not None and not arrived():
            time.sleep(pause)


def read_all(response: Any, pause: float = PAGE_PAUSE) -> bytes:
    """The whole body of a streamed response, read in bursts. Read to its end, the connection
    goes back to the pool for the next call (closing a stream early would drop it)."""
    try:
        return b"".join(in_bursts(response, pause))
    finally:
        response.close()


def _arrival_check(response: Any) -> Callable[[], bool] | None:
    """A check whether more of the body waits in the socket (or in its TLS layer), without
    reading it; None where the socket cannot be reached (then the reader never pauses)."""
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    if not isinstance(sock, socket.socket):
        return None
    pending = getattr(sock, "pending", None)  # bytes decrypted already (ssl.SSLSocket)
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)

        def ready() -> bool:
            return bool(poller.poll(0))
    else:  # Windows: select has no descriptor limit there

        def ready() -> bool:
            return bool(select.select([sock], [], [], 0)[0])

    def arrived() -> bool:
        try:
            return bool(pending and pending()) or ready()
        except (OSError, ValueError):  # closed meanwhile: let the read report it
            return True

    return arrived
