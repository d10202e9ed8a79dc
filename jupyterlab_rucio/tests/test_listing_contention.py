"""A first page is never queued behind other listings that are still being read.

Against the local Rucio, through a proxy that holds back the body of every listing read to its
end (collection contents, a search's later pages) until the test releases it: a Rucio slow to
send large listings, as under load, produced on demand. Searches' first pages (Rucio's `limit`)
and every other request pass straight through.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from jupyterlab_rucio.tests.conftest import local_instance

pytestmark = pytest.mark.usefixtures("logged_in")

# Rucio pool threads of the test server: fewer than the listings kept waiting below.
WORKERS = 2
HELD = 4


class SlowListings(http.server.ThreadingHTTPServer):
    """Passes every request on to Rucio; the body of a listing without `limit` waits for
    `release` (the fault, produced on demand)."""

    daemon_threads = True

    def __init__(self, rucio_url: str) -> None:
        self.rucio_url = rucio_url
        self.release = threading.Event()
        self.held = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _SlowListingsHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def is_listing_read_to_its_end(path: str) -> bool:
    url = urlparse(path)
    if url.path.endswith("/dids/search"):
        return "limit" not in parse_qs(url.query)
    # list_content: /dids/SCOPE/NAME/dids
    return url.path.startswith("/dids/") and url.path.endswith("/dids")


class _SlowListingsHandler(http.server.BaseHTTPRequestHandler):
    server: SlowListings

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._forward("GET")

    def do_POST(self) -> None:
        self._forward("POST")

    def _forward(self, method: str) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        answer = requests.request(
            method,
            self.server.rucio_url + self.path,
            headers=headers,
            data=body,
            stream=True,
            timeout=60,
        )
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        held = is_listing_read_to_its_end(self.path)
        if held:
            with self.server.lock:
                self.server.held += 1
            self.server.release.wait(120)
        try:
            for chunk in answer.iter_content(64 * 1024):
                self.wfile.write(chunk)
        finally:
            answer.close()
            if held:
                with self.server.lock:
                    self.server.held -= 1


@pytest.fixture
def slow_listings(rucio_env):
    proxy = SlowListings(rucio_env["RUCIO_URL"])
    yield proxy
    proxy.release.set()
    proxy.shutdown()


@pytest.fixture
def rucio_instances(rucio_env, slow_listings):
    return [local_instance(rucio_env, rucio_url=slow_listings.url)]


@pytest.fixture
def rucio_options() -> dict:
    return {"max_workers": WORKERS}


async def wait_until(condition, seconds: float) -> bool:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


async def test_a_first_page_is_answered_while_other_listings_are_being_read(api, slow_listings):
    # Other listings, more than the server has Rucio threads: contents of collections (read to
    # their end from the first page on) and the next page of a search, all kept being read.
    first = await api.get("dids/search", did="bulk:*")
    assert first["has_more"]
    others = [
        asyncio.ensure_future(api.get("dids/contents", did=f"bulk:set.{index:03d}"))
        for index in range(HELD - 1)
    ]
    others.append(
        asyncio.ensure_future(api.get("dids/search", did="bulk:*", cursor=first["next_cursor"]))
    )
    # At least as many listings being read as the server has Rucio threads.
    assert await wait_until(lambda: slow_listings.held >= WORKERS, 30), slow_listings.held
    try:
        # A new search's first page: answered while every other listing is still being read.
        page = await asyncio.wait_for(
            api.get("dids/search", did="physics:*", type="dataset"), timeout=20
        )
        assert page["items"], page
        assert slow_listings.held >= WORKERS
        assert not any(task.done() for task in others)
        # So are a DID's details and its availability (one-off calls, not listings).
        details = await asyncio.wait_for(api.get("dids/details", did="physics:run2024.raw"), 20)
        assert details["did_type"] == "DATASET"
        state = await asyncio.wait_for(api.get("dids/availability", did="physics:run2024.raw"), 20)
        assert state["files_total"] == 3, state
        assert not any(task.done() for task in others)
    finally:
        slow_listings.release.set()
    # And the listings that were held back are complete once Rucio sends them.
    answers = await asyncio.gather(*others)
    for answer in answers[:-1]:
        assert len(answer["items"]) == 100, answer
    assert answers[-1]["items"] and answers[-1]["items"][0] != first["items"][0]
