"""GET a streamed answer of Rucio (a listing, one JSON object a line) with little CPU per row.

Rucio writes a listing as it reads it from its database, each row an HTTP chunk (and, over
HTTPS, a TLS record) of its own, and the answer of a search is read row by row. Two things
make that cheap for the Jupyter server, whose CPU is shared with other users on a hub:

* The answer is read in bursts: a reader that has caught up pauses a moment instead of waking
  for every row, and each wake-up then reads what Rucio sent meanwhile.
* The usual case (an answer of 200, chunked, not compressed, over a pooled connection and no
  proxy) goes through requests' own connection pool with the client's headers, and its body is
  read straight from the socket: requests, urllib3 and http.client each add a few Python calls
  per chunk, which a listing of 100,000 rows multiplies. Anything else (a token Rucio refused,
  a server error to retry, a proxy) takes rucio-clients' own way, with its retries and its
  log-in again, as any other call of the extension does.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from collections.abc import Iterator
from typing import Any

import requests
import urllib3
from requests.status_codes import codes
from requests.utils import select_proxy
from rucio.client.baseclient import STATUS_CODES_TO_RETRY
from rucio.common.constants import HTTPMethod

# How long a reader pauses when nothing has arrived: short for a page that someone waits for,
# longer for a listing read to its end into the spool (Rucio sends on into the socket's buffer).
PAGE_PAUSE = 0.001
LISTING_PAUSE = 0.005
CHUNK = 64 * 1024
_WOULD_BLOCK = (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError)


def get_body(client: Any, url: str) -> bytes:
    """The whole answer of a GET (blocking), read in bursts. Read to its end, the connection
    goes back to the pool for the next call."""
    return b"".join(get_pieces(client, url, PAGE_PAUSE))


def get_pieces(client: Any, url: str, pause: float = LISTING_PAUSE) -> Iterator[bytes]:
    """The answer of a GET, in pieces as they arrive (not cut at lines). Rucio's error is
    raised as rucio-clients raises it. Closing the generator closes the answer."""
    response = _direct_get(client, url)
    if response is None:
        yield from in_bursts(rucio_request(client, url), pause)
        return
    try:
        yield from _chunks_from_socket(response, pause)
    finally:
        if not response.isclosed():
            response.close()  # not read to its end: the connection goes
        response.release_conn()


def rucio_request(client: Any, url: str, method: HTTPMethod = HTTPMethod.GET, **options: Any):
    """A request through rucio-clients (its token, retries, log-in again and TLS), streamed;
    Rucio's error raised as rucio-clients raises it."""
    response = client._send_request(url, method=method, stream=True, **options)
    if response.status_code != codes.ok:
        error, message = client._get_exception(
            headers=response.headers, status_code=response.status_code, data=response.content
        )
        raise error(message)
    return response


def in_bursts(response: Any, pause: float, chunk: int = CHUNK) -> Iterator[bytes]:
    """The body of a streamed `requests` response, as it comes; whenever nothing more is
    waiting to be read, the reader pauses `pause` seconds first. Closes the response."""
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    try:
        for data in response.iter_content(chunk):
            yield data
            if isinstance(sock, socket.socket) and not _waiting(sock):
                time.sleep(pause)
    finally:
        response.close()


def close_idle_connections(session: Any) -> int:
    """Close the connections of a `requests` session that wait in its pools for a request (none
    that a request uses); a pooled connection opens again when next used. Returns how many."""
    closed = 0
    for adapter in list(getattr(session, "adapters", {}).values()):
        managers = [getattr(adapter, "poolmanager", None)]
        managers += list(getattr(adapter, "proxy_manager", {}).values())
        for manager in managers:
            pools = getattr(manager, "pools", None)
            if pools is None:
                continue
            with pools.lock:
                current = list(pools._container.values())
            for pool in current:
                waiting = getattr(pool, "pool", None)  # the queue of idle connections
                if waiting is None:
                    continue
                # Under the queue's lock: no request can take a connection while it closes.
                with waiting.mutex:
                    for connection in waiting.queue:
                        if connection is not None and connection.sock is not None:
                            connection.close()
                            closed += 1
    return closed


def _waiting(sock: socket.socket) -> bool:
    """Whether more of an answer waits in the socket (or in its TLS layer)."""
    pending = getattr(sock, "pending", None)  # decrypted already (ssl.SSLSocket)
    try:
        return bool(pending and pending()) or bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed meanwhile: let the read report it
        return True


def _direct_get(client: Any, url: str) -> urllib3.HTTPResponse | None:
    """The GET through the client's connection pool, as rucio-clients sends it and retrying
    as it retries (an overloaded Rucio's 502, 503 or 504, spaced by the client's back-off);
    its answer when Rucio answered 200 with a chunked, uncompressed body. None where it is
    left to rucio-clients: no way past it here (a proxy), Rucio asked for a new token, or an
    answer of another shape. Rucio's other errors are raised as rucio-clients raises them."""
    attempts = getattr(client, "AUTH_RETRIES", 2) + 1
    for attempt in range(attempts):
        response = _send(client, url)
        if response is None or response.status not in STATUS_CODES_TO_RETRY:
            break
        response.drain_conn()
        response.release_conn()
        client._back_off(attempt, f"server returned {response.status}")
    if response is None:
        return None
    if response.status == codes.ok and _plain_chunks(response):
        return response
    if response.status in (codes.ok, codes.unauthorized):
        response.close()
        response.release_conn()
        return None
    data = response.read()
    response.release_conn()
    error, message = client._get_exception(
        headers=response.headers, status_code=response.status, data=data
    )
    raise error(message)


def _send(client: Any, url: str) -> urllib3.HTTPResponse | None:
    """One GET with the client's token and headers, through its session's pool; None where
    that pool cannot be used as it is (the proxy settings are read per request, a proxy)."""
    session = getattr(client, "session", None)
    if not isinstance(session, requests.Session) or session.trust_env:
        return None  # the proxy settings are looked up per request (client.py)
    if select_proxy(url, session.proxies) is not None:
        return None
    try:
        adapter = session.get_adapter(url)
        prepared = requests.Request("GET", url).prepare()
        pool = adapter.get_connection_with_tls_context(prepared, client.ca_cert or False)
        headers = {
            "X-Rucio-Auth-Token": client.auth_token,
            "X-Rucio-VO": client.vo,
            "User-Agent": client.user_agent,
            "X-Rucio-Script": client.script_id,
            # The body is read as it is sent: not compressed.
            "Accept-Encoding": "identity",
        }
        if client.account is not None:
            headers["X-Rucio-Account"] = client.account
        return pool.urlopen(
            "GET",
            prepared.path_url,
            headers=headers,
            preload_content=False,
            decode_content=False,
            retries=False,
            redirect=False,
            release_conn=False,
            timeout=urllib3.Timeout(connect=client.timeout, read=client.timeout),
        )
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ReadTimeout(error) from error  # not a second wait
    except Exception:  # noqa: BLE001 - rucio-clients' way reports it (or succeeds)
        return None


def _plain_chunks(response: urllib3.HTTPResponse) -> bool:
    """Whether the body can be read from the socket here: chunked, not compressed."""
    raw = getattr(response, "_fp", None)
    return (
        getattr(raw, "chunked", False)
        and getattr(raw, "fp", None) is not None
        and response.headers.get("Content-Encoding", "identity") == "identity"
        and isinstance(getattr(response.connection, "sock", None), socket.socket)
    )


def _chunks_from_socket(response: urllib3.HTTPResponse, pause: float) -> Iterator[bytes]:
    """The chunks of a chunked answer read straight from its socket, a burst at a time (what
    http.client buffered while reading the headers first). At the end the answer is marked
    complete, as http.client would, so that its connection can be used again."""
    raw = response._fp
    sock = response.connection.sock
    buffered = raw.fp.peek()
    data = bytearray(raw.fp.read(len(buffered)))
    timeout = sock.gettimeout()
    sock.settimeout(0)
    received = bytearray(CHUNK)
    start = 0
    try:
        while True:
            pieces = []
            while True:  # every whole chunk in `data`
                line_end = data.find(b"\r\n", start)
                if line_end < 0:
                    break
                size = int(bytes(data[start:line_end]).split(b";", 1)[0], 16)
                if size == 0:
                    if not _ends(data, line_end):
                        break  # the last chunk's trailer has not all arrived
                    if pieces:
                        yield b"".join(pieces)
                    raw._close_conn()  # complete: the connection may serve another request
                    return
                body_end = line_end + 2 + size
                if len(data) < body_end + 2:
                    break
                pieces.append(bytes(data[line_end + 2 : body_end]))
                start = body_end + 2
            if start:
                del data[:start]
                start = 0
            if pieces:
                yield b"".join(pieces)
            try:
                count = sock.recv_into(received)
            except _WOULD_BLOCK as blocked:
                time.sleep(pause)
                _wait(sock, isinstance(blocked, ssl.SSLWantWriteError), timeout)
                continue
            except ssl.SSLError as error:
                raise requests.exceptions.SSLError(error) from error
            except OSError as error:
                raise requests.ConnectionError(error) from error
            if count == 0:
                raise requests.ConnectionError("Rucio closed the connection mid-answer")
            data += memoryview(received)[:count]
    finally:
        sock.settimeout(timeout)


def _wait(sock: socket.socket, writing: bool, timeout: float | None) -> None:
    """Until the socket can be read (or, for TLS, written), at most `timeout` seconds."""
    ready = (
        select.select([], [sock], [], timeout)
        if writing
        else select.select([sock], [], [], timeout)
    )
    if not any(ready):
        raise requests.exceptions.ReadTimeout(f"Rucio sent nothing for {timeout} s")


def _ends(data: bytearray, line_end: int) -> bool:
    """Whether the last chunk (size 0, its line ending at `line_end`) and its trailer, which
    ends with an empty line, are in `data`."""
    return data[line_end + 2 : line_end + 4] == b"\r\n" or b"\r\n\r\n" in data[line_end:]
