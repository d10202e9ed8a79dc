"""Reading Rucio's streamed answers: rows intact whatever the chunks, bursts, the connection kept.

A local HTTP/1.1 server stands in for Rucio here because the chunking and the pauses must be
produced on demand; the same readers run against the real local Rucio in every search test.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests

from jupyterlab_rucio import streams
from jupyterlab_rucio.client import _read_environment_once
from jupyterlab_rucio.dids import stream_lines, summarize, summary_of_line
from jupyterlab_rucio.paging import _json as paging_json


def row(index: int) -> bytes:
    return json.dumps(
        {"scope": "big", "name": f"file.{index:06d}", "did_type": "FILE", "bytes": index}
    ).encode()


class RowServer(ThreadingHTTPServer):
    """Answers GET /N with rows 0..N-1, each row a chunk of its own (as Rucio sends them), in
    `self.bursts` bursts with `self.gap` seconds between them; /split/N cuts rows across
    chunks instead. Counts the TCP connections it accepted."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RowHandler)
        self.connections = 0
        self.bursts = 1
        self.gap = 0.0

    def get_request(self):
        self.connections += 1
        return super().get_request()


class RowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        split = self.path.startswith("/split/")
        count = int(self.path.rsplit("/", 1)[1])
        self.send_response(200)
        self.send_header("Content-Type", "application/x-json-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        body = [row(i) + b"\n" for i in range(count)]
        if split:  # pieces of 7 bytes, the last row without its newline
            data = b"".join(body)[:-1]
            body = [data[i : i + 7] for i in range(0, len(data), 7)]
        per_burst = max(1, len(body) // self.server.bursts)
        for index, piece in enumerate(body):
            if index and index % per_burst == 0:
                time.sleep(self.server.gap)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
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


@pytest.mark.parametrize("path", ["300", "split/300"])
def test_every_row_arrives_whole_and_in_order_whatever_the_chunks(server, path):
    response = requests.get(url(server, path), stream=True, timeout=10)
    assert list(stream_lines(response)) == [row(i) for i in range(300)]


def test_a_reader_waits_for_rows_to_gather_instead_of_waking_for_each(server, monkeypatch):
    # 2,000 rows, each a chunk of its own, in 20 bursts 30 ms apart: the reader pauses when
    # nothing has arrived and then reads what gathered meanwhile; without the pauses it would
    # wait on the socket for every row that is not there yet (this server writes a row in
    # tens of microseconds, so a burst takes a few pauses).
    server.bursts, server.gap = 20, 0.03
    pauses, sleep = [], time.sleep
    monkeypatch.setattr(streams.time, "sleep", lambda s: (pauses.append(s), sleep(s)))
    response = requests.get(url(server, "2000"), stream=True, timeout=10)
    assert list(stream_lines(response)) == [row(i) for i in range(2000)]
    assert 20 <= len(pauses) <= 2000 / 4


def test_a_whole_answer_read_in_bursts_leaves_the_connection_for_the_next_call(server):
    session = requests.Session()
    for _ in range(3):
        body = streams.read_all(session.get(url(server, "50"), stream=True, timeout=10))
        assert body.splitlines() == [row(i) for i in range(50)]
    assert server.connections == 1


def test_closing_a_stream_early_stops_reading_it(server):
    response = requests.get(url(server, "5000"), stream=True, timeout=10)
    lines = stream_lines(response)
    assert [next(lines) for _ in range(3)] == [row(0), row(1), row(2)]
    lines.close()
    assert response.raw.closed


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
