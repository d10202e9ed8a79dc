"""An overloaded Rucio: bounded, spaced retries, then a clear message, and no request storm."""

from __future__ import annotations

import asyncio
import http.server
import threading
import time

import pytest
import requests

from jupyterlab_rucio.tests.conftest import local_instance

pytestmark = pytest.mark.usefixtures("logged_in")


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
