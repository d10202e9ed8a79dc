"""Load per action on Rucio: a fixed number of requests whatever the size of the data (counted in
Rucio's own access log), and bounded, spaced retries when Rucio is overloaded."""

from __future__ import annotations

import asyncio
import http.server
import subprocess
import threading
import time

import pytest
import requests

from jupyterlab_rucio.tests.conftest import REPO_ROOT, local_instance
from jupyterlab_rucio.tests.test_shared_rucio import ACCESS_LOG, access_log_since

pytestmark = pytest.mark.usefixtures("logged_in")

# The actions of the table in docs/rucio-load.md, each for a small and a large DID.
SIZES = {"small": 100, "large": 10_000}


@pytest.fixture(scope="module")
def large_seed(rucio_env):
    subprocess.run(
        ["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "seed-large"], check=True, timeout=1800
    )
    return rucio_env


async def rucio_requests(action) -> list[str]:
    """The requests Rucio received while `action` ran."""
    start = ACCESS_LOG.stat().st_size
    await action()
    await asyncio.sleep(0.3)  # gunicorn writes the line as the response ends
    return access_log_since(start)


def dataset(size: int) -> str:
    return f"big:files.{size}"


def search_pattern(size: int) -> str:
    # big:file.000* matches 1,000 files, big:file.0* 100,000.
    return "big:file.000*" if size == 100 else "big:file.0*"


async def test_each_action_costs_the_same_rucio_requests_at_any_size(api, large_seed, jdoe_rucio):
    await api.get("whoami")  # signed in: the counts below hold no login
    counts: dict[str, dict[str, int]] = {}
    for label, size in SIZES.items():
        did, did_pattern = dataset(size), search_pattern(size)

        async def search_pages(did_pattern=did_pattern):
            first = await api.get("dids/search", did=did_pattern, type="file")
            assert first["has_more"]
            await api.get("dids/search", did=did_pattern, type="file", cursor=first["next_cursor"])

        async def contents(did=did):
            page = await api.get("dids/contents", did=did)
            assert len(page["items"]) == 100

        async def availability(did=did, size=size):
            answer = await api.get("dids/availability", did=did)
            assert answer["state"] == "AVAILABLE" and answer["files_total"] == size, answer

        async def resolve(did=did, size=size):
            answer = await api.post("resolve", {"dids": [did]})
            assert len(answer["results"][0]["paths"]) == size

        async def make_available(did=did):
            await api.post("dids/make-available", {"did": did, "lifetime_days": 1})

        actions = {
            "search: first and next page": search_pages,
            "contents: first page": contents,
            "availability": availability,
            "resolve": resolve,
            "make available": make_available,
        }
        try:
            for name, action in actions.items():
                counts.setdefault(name, {})[label] = len(await rucio_requests(action))
        finally:
            # The rule made by "make available" is the test's own: leave Rucio as it was.
            for rule in jdoe_rucio.list_did_rules("big", f"files.{size}"):
                if rule["account"] == large_seed["RUCIO_USER_ACCOUNT"]:
                    jdoe_rucio.delete_replication_rule(rule["id"], purge_replicas=False)
    for name, by_size in counts.items():
        assert by_size["small"] == by_size["large"], (name, by_size)
        assert by_size["large"] <= 6, (name, by_size)


class Overloaded(http.server.ThreadingHTTPServer):
    """A proxy in front of the local Rucio that answers 503 to every DID request, as an overloaded
    Rucio (or its load balancer) does; logins pass through. The fault is produced on demand."""

    daemon_threads = True

    def __init__(self, rucio_url: str) -> None:
        self.rucio_url = rucio_url
        self.refused: list[float] = []
        super().__init__(("127.0.0.1", 0), _OverloadedHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _OverloadedHandler(http.server.BaseHTTPRequestHandler):
    server: Overloaded

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/auth/"):
            self._pass_through()
            return
        self.server.refused.append(time.monotonic())
        body = b"Service Unavailable"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _pass_through(self) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        answer = requests.get(self.server.rucio_url + self.path, headers=headers, timeout=30)
        body = answer.content
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def overloaded(rucio_env):
    proxy = Overloaded(rucio_env["RUCIO_URL"])
    yield proxy
    proxy.shutdown()


@pytest.fixture
def rucio_instances(rucio_env, overloaded):
    return [local_instance(rucio_env, rucio_url=overloaded.url)]


async def test_an_overloaded_rucio_gets_a_few_spaced_retries_then_a_clear_message(api, overloaded):
    overloaded.refused.clear()
    code, answer = await api.request("GET", "dids/search", did="physics:*")
    assert code == 503
    assert "Rucio is busy" in answer["message"] and "try again" in answer["message"]
    attempts = list(overloaded.refused)
    assert 2 <= len(attempts) <= 3, attempts
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps), gaps  # backed off between attempts
    await asyncio.sleep(3)
    assert len(overloaded.refused) == len(attempts)  # and nothing more: no retry loop behind
