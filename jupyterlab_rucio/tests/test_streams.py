"""Reading Rucio's streamed answers: rows intact whatever the chunks, bursts, the connection
kept for the next call, a cut or a stall reported, never a silently shortened listing.

A local HTTP/1.1 server stands in for Rucio here because chunking, pauses, cuts and stalls must
be produced on demand; the same readers run against the real local Rucio (over HTTPS) in every
search and paging test. The client is the part of rucio-clients' Client that the readers use:
its session and headers, and its own request method for the answers the readers leave to it.
"""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests

from jupyterlab_rucio import client as gateway_module
from jupyterlab_rucio import streams
from jupyterlab_rucio.client import RucioGateway, _read_environment_once
from jupyterlab_rucio.dids import lines_of, summarize, summary_of_line
from jupyterlab_rucio.paging import _json as paging_json


def row(index: int) -> bytes:
    return json.dumps(
        {"scope": "big", "name": f"file.{index:06d}", "did_type": "FILE", "bytes": index}
    ).encode()


class RowServer(ThreadingHTTPServer):
    """GET /N: rows 0..N-1, each row a chunk of its own (as Rucio sends them), in
    `self.bursts` bursts `self.gap` seconds apart. /split/N: the rows cut across chunks.
    /cut/N: N rows, then the connection closed. /stall: headers, one row, then nothing.
    /error: a 500. /busy: a 503. Counts the TCP connections and the requests, and keeps a
    connection open for the next request for as long as the client keeps it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RowHandler)
        self.connections = 0
        self.open = 0
        self.counting = threading.Lock()
        self.requests = 0
        self.bursts = 1
        self.gap = 0.0

    def get_request(self):
        with self.counting:
            self.connections += 1
            self.open += 1
        return super().get_request()

    def shutdown_request(self, request) -> None:
        with self.counting:
            self.open -= 1  # the client closed the connection (or the server stopped)
        super().shutdown_request(request)

    def wait_open(self, count: int, seconds: float = 5.0) -> int:
        deadline = time.monotonic() + seconds
        while self.open != count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.open


class RowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the reader closed the answer early

    def answer(self) -> None:
        self.server.requests += 1
        kind, _, count = self.path[1:].rpartition("/")
        if self.path in ("/error", "/busy"):
            self.send_response(500 if self.path == "/error" else 503)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"no")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-json-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.path == "/stall":
            self.chunk(row(0) + b"\n")
            time.sleep(3)
            return
        body = [row(i) + b"\n" for i in range(int(count))]
        if kind == "split":  # pieces of 7 bytes, the last row without its newline
            data = b"".join(body)[:-1]
            body = [data[i : i + 7] for i in range(0, len(data), 7)]
        per_burst = max(1, len(body) // self.server.bursts)
        for index, piece in enumerate(body):
            if index and index % per_burst == 0:
                time.sleep(self.server.gap)
            self.chunk(piece)
        if kind == "cut":
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


@pytest.fixture
def server():
    httpd = RowServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(server: RowServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{path}"


class Client(SimpleNamespace):
    """What the readers use of a rucio-clients Client. `direct`: the session's proxy settings
    were read once (client.py), so the readers may use its connection pool themselves;
    otherwise every answer goes through `_send_request`, rucio-clients' own way."""

    def __init__(self, direct: bool = True, timeout: int = 10) -> None:
        session = requests.Session()
        session.trust_env = not direct
        super().__init__(
            session=session,
            ca_cert=None,
            auth_token="token",
            vo="def",
            user_agent="tests",
            script_id="tests",
            account="jdoe",
            timeout=timeout,
            own_way=0,
            back_offs=[],
        )

    AUTH_RETRIES = 2

    def _back_off(self, retry_number: int, reason: str) -> None:
        self.back_offs.append(reason)

    def _send_request(self, url, method, stream=False):
        self.own_way += 1
        return self.session.get(url, stream=stream, timeout=self.timeout)

    def _get_exception(self, headers, status_code, data):
        return RuntimeError, f"Rucio answered {status_code}"


def lines(client: Client, address: str) -> list[bytes]:
    return list(lines_of(streams.get_pieces(client, address)))


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "rucio-clients"])
@pytest.mark.parametrize("path", ["300", "split/300"])
def test_every_row_arrives_whole_and_in_order_whatever_the_chunks(server, path, direct):
    client = Client(direct)
    assert lines(client, url(server, path)) == [row(i) for i in range(300)]
    assert client.own_way == (0 if direct else 1)


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "rucio-clients"])
def test_a_reader_waits_for_rows_to_gather_instead_of_waking_for_each(server, monkeypatch, direct):
    # 2,000 rows, each a chunk of its own, in 20 bursts 30 ms apart: the reader pauses when
    # nothing has arrived and then reads what gathered meanwhile; without the pauses it would
    # wait on the socket for every row that is not there yet (this server writes a row in
    # tens of microseconds, so a burst takes a few pauses).
    server.bursts, server.gap = 20, 0.03
    pauses, sleep = [], time.sleep
    monkeypatch.setattr(streams.time, "sleep", lambda s: (pauses.append(s), sleep(s)))
    assert lines(Client(direct), url(server, "2000")) == [row(i) for i in range(2000)]
    assert 20 <= len(pauses) <= 2000 / 4


def test_a_whole_answer_leaves_the_connection_for_the_next_call(server):
    direct, own_way = Client(), Client(direct=False)
    own_way.session = direct.session  # one pool, as in a Client
    for client in (direct, own_way, direct, direct):
        body = streams.get_body(client, url(server, "50"))
        assert body.splitlines() == [row(i) for i in range(50)]
    assert server.connections == 1


def test_closing_a_stream_early_stops_reading_it_and_drops_its_connection(server):
    client = Client()
    read = lines_of(streams.get_pieces(client, url(server, "20000")))
    assert [next(read) for _ in range(3)] == [row(0), row(1), row(2)]
    read.close()
    assert streams.get_body(client, url(server, "5")).splitlines() == [row(i) for i in range(5)]
    assert server.connections == 2


def test_idle_connections_are_closed_and_open_again_for_the_next_call(server):
    client = Client()
    assert streams.get_body(client, url(server, "5")).splitlines() == [row(i) for i in range(5)]
    assert server.wait_open(1) == 1  # this server never closes an idle connection itself
    assert streams.close_idle_connections(client.session) == 1
    assert server.wait_open(0) == 0
    assert streams.get_body(client, url(server, "5")).splitlines() == [row(i) for i in range(5)]
    assert server.connections == 2


def test_a_connection_in_use_is_not_closed_as_idle(server):
    client = Client()
    read = lines_of(streams.get_pieces(client, url(server, "20000")))
    assert next(read) == row(0)
    assert streams.close_idle_connections(client.session) == 0
    assert [next(read) for _ in range(19999)] == [row(i) for i in range(1, 20000)]
    assert server.connections == 1


def test_the_connections_of_a_user_who_stopped_calling_rucio_are_closed(
    server, tmp_path, monkeypatch
):
    monkeypatch.setattr(gateway_module, "IDLE_CONNECTION_SECONDS", 0.5)
    gateway = RucioGateway(tmp_path / "tokens", max_workers=2, timeout=10)
    idle, busy = Client(), Client()
    gateway._cache("idle", idle, "jdoe")
    gateway._cache("busy", busy, "jdoe")
    for client in (idle, busy):
        streams.get_body(client, url(server, "5"))
    assert server.wait_open(2) == 2
    # One user goes on calling (each call asks the gateway for the client); the other stops.
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        assert gateway._cached("busy") is not None
        time.sleep(0.1)
    assert server.wait_open(1) == 1
    assert streams.get_body(busy, url(server, "5")).splitlines() == [row(i) for i in range(5)]
    assert server.connections == 2  # the busy user's connection was kept


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "rucio-clients"])
def test_an_answer_cut_short_is_an_error_not_a_shorter_listing(server, direct):
    with pytest.raises(requests.RequestException):
        lines(Client(direct), url(server, "cut/500"))


def test_a_stalled_answer_ends_in_a_timeout(server):
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        lines(Client(timeout=1), url(server, "stall"))
    assert time.monotonic() - started < 2.5


def test_an_error_is_raised_as_rucio_clients_raises_it(server):
    client = Client()
    with pytest.raises(RuntimeError, match="Rucio answered 500"):
        streams.get_body(client, url(server, "error"))
    assert server.requests == 1 and client.own_way == 0


def test_an_overloaded_rucio_is_asked_again_as_rucio_clients_would(server):
    # As rucio-clients' own loop: three attempts, each 503 followed by the client's back-off.
    client = Client()
    with pytest.raises(RuntimeError, match="Rucio answered 503"):
        streams.get_body(client, url(server, "busy"))
    assert server.requests == 3 and len(client.back_offs) == 3 and client.own_way == 0


@pytest.mark.parametrize(
    "line",
    [
        b'{"scope": "big", "name": "file.01", "did_type": "FILE", "bytes": 1001, "length": null}',
        b'{"scope": "b", "name": "set.1", "did_type": "DATASET", "bytes": null, "length": 3}',
        b'{"scope": "b", "name": "c/x-y_z", "did_type": "CONTAINER", "bytes": null, "length": 0}',
        # the general way: escapes, non-ASCII, floats, other keys, another order or spacing
        b'{"scope": "b", "name": "a\\"q\\\\", "did_type": "FILE", "bytes": 1, "length": null}',
        b'{"scope": "b", "name": "caf\\u00e9", "did_type": "FILE", "bytes": 1, "length": null}',
        b'{"scope": "b", "name": "s", "did_type": "DATASET", "bytes": 156068.0, "length": 5.0}',
        b'{"scope": "b", "name": "s", "did_type": "F", "bytes": 1, "length": 2, "adler32": "x"}',
        b'{"name": "s", "scope": "b", "did_type": "FILE", "bytes": 1, "length": null}',
        b'{"scope":"b","name":"s","did_type":"FILE","bytes":1,"length":null}',
        b'{"scope": "b", "name": "s", "type": "FILE", "bytes": 1}',
    ],
)
def test_a_line_of_a_listing_is_summarized_as_its_decoded_row(line):
    quick, decoded = summary_of_line(line), summarize(json.loads(line))
    assert quick == decoded
    assert paging_json(quick) == paging_json(decoded)


def test_the_proxy_settings_of_the_environment_are_read_once(monkeypatch):
    def client(host: str, auth_host: str | None = None, ca_cert=True) -> SimpleNamespace:
        return SimpleNamespace(
            session=requests.Session(), host=host, auth_host=auth_host or host, ca_cert=ca_cert
        )

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.org:3128")
    monkeypatch.setenv("NO_PROXY", "rucio-auth.example.org")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/pki/bundle.pem")
    proxied = client("https://rucio.example.org")
    _read_environment_once(proxied)
    assert proxied.session.proxies["https"] == "http://proxy.example.org:3128"
    assert proxied.ca_cert == "/etc/pki/bundle.pem" and not proxied.session.trust_env
    # An instance's own CA bundle is kept.
    own_ca = client("https://rucio.example.org", ca_cert="/opt/ca.pem")
    _read_environment_once(own_ca)
    assert own_ca.ca_cert == "/opt/ca.pem"
    # A host in NO_PROXY gets no proxy.
    direct = client("https://rucio-auth.example.org")
    _read_environment_once(direct)
    assert "https" not in direct.session.proxies and not direct.session.trust_env
    # One host proxied and the other not: requests keeps deciding per request.
    mixed = client("https://rucio.example.org", "https://rucio-auth.example.org")
    _read_environment_once(mixed)
    assert mixed.session.trust_env and not mixed.session.proxies
