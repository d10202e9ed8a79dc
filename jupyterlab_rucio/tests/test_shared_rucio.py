"""A good citizen of a shared Rucio: no idle user holds Rucio, and an overloaded Rucio is not
stormed. Against the local Rucio with its large sample (scope `big`, 120,000 files: one listing
is far larger than the socket buffers), with Jupyter servers started as a hub starts them."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.parse import urlparse

import psutil
import pytest

from jupyterlab_rucio.tests.conftest import REPO_ROOT, local_instance
from jupyterlab_rucio.tests.servers import JupyterServerProcess

EXPIRY = 10.0  # RucioConfig.listing_expiry of these servers, an admin setting
ACCESS_LOG = REPO_ROOT / "dev" / ".state" / "logs" / "access.log"
BIG_SEARCH = "/dids/big/dids/search"


@pytest.fixture(scope="module")
def large_seed(rucio_env):
    subprocess.run(
        ["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "seed-large"], check=True, timeout=1800
    )
    return rucio_env


# The single-user servers of the twenty users run only this extension: JupyterLab's own server
# extensions add start-up time and nothing to what is measured (their Rucio connections).
SERVER_ONLY = {"jupyterlab": False, "jupyter_lsp": False, "notebook_shim": False}


def user_server(home, rucio_env, lean: bool = False) -> JupyterServerProcess:
    home.mkdir()
    config: dict = {
        "RucioConfig": {"instances": [local_instance(rucio_env)], "listing_expiry": EXPIRY}
    }
    if lean:
        config["ServerApp"] = {"jpserver_extensions": SERVER_ONLY}
    server = JupyterServerProcess(home, config, [], {})
    server.start_timeout = 240.0  # twenty of them start at once on a small machine
    return server


def sign_in(server: JupyterServerProcess, rucio_env) -> None:
    body = {
        "method": "userpass",
        "username": rucio_env["RUCIO_USER_USERNAME"],
        "password": rucio_env["RUCIO_USER_PASSWORD"],
    }
    answer = server.request("PUT", "jupyterlab-rucio/credentials", body)
    assert answer.status_code == 200, answer.text


def rucio_connections(server: JupyterServerProcess, rucio_env) -> int:
    """Open TCP connections from the Jupyter server process to Rucio."""
    port = urlparse(rucio_env["RUCIO_URL"]).port
    return sum(
        1
        for c in psutil.Process(server.pid).net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


def wait_for_no_connection(servers, rucio_env, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        held = sum(rucio_connections(s, rucio_env) for s in servers)
        if held == 0 or time.monotonic() > deadline:
            if held and shutil.which("ss"):  # what holds them: both ends, queues and timers
                port = urlparse(rucio_env["RUCIO_URL"]).port
                sockets = ["ss", "-tnpo", f"( dport = :{port} or sport = :{port} )"]
                print(subprocess.run(sockets, capture_output=True, text=True).stdout)
            return held
        time.sleep(0.5)


class DirectCalls(threading.Thread):
    """A rucio-clients user of the same Rucio, calling it twice a second throughout."""

    def __init__(self, client) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.durations: list[float] = []
        self.errors: list[str] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            started = time.monotonic()
            try:
                assert "big" in self.client.list_scopes()
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                self.errors.append(repr(error))
            self.durations.append(time.monotonic() - started)
            self._done.wait(0.5)

    def __enter__(self) -> DirectCalls:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self.join(timeout=30)


def access_log_since(offset: int) -> list[str]:
    with open(ACCESS_LOG, "rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace").splitlines()


def test_an_abandoned_search_of_a_large_scope_holds_no_rucio_connection(
    tmp_path, large_seed, jdoe_rucio
):
    with DirectCalls(jdoe_rucio) as direct, user_server(tmp_path / "u", large_seed) as server:
        sign_in(server, large_seed)
        log_start = ACCESS_LOG.stat().st_size
        first = server.get("jupyterlab-rucio/dids/search?did=big:*&type=file")
        assert len(first["items"]) == 100 and first["has_more"]
        # The user scrolls once, then goes to lunch.
        cursor = first["next_cursor"]
        second = server.get(f"jupyterlab-rucio/dids/search?did=big:*&type=file&cursor={cursor}")
        names = {i["name"] for i in first["items"]}
        assert len(second["items"]) == 100 and not names & {i["name"] for i in second["items"]}
        assert wait_for_no_connection([server], large_seed, EXPIRY + 5) == 0
        # Both listings ended at Rucio: gunicorn logs a request when its response is over.
        searches = [line for line in access_log_since(log_start) if BIG_SEARCH in line]
        assert len(searches) == 2, searches
    assert direct.errors == []
    assert len(direct.durations) >= 5 and max(direct.durations) < 1.0, direct.durations


def test_twenty_users_abandon_a_search_and_rucio_keeps_answering(tmp_path, large_seed, jdoe_rucio):
    with ExitStack() as stack, DirectCalls(jdoe_rucio) as direct:
        servers = [user_server(tmp_path / f"user{n}", large_seed, lean=True) for n in range(21)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(stack.enter_context, servers))
            list(pool.map(lambda s: sign_in(s, large_seed), servers))
        *abandoning, other = servers

        def abandon(server: JupyterServerProcess) -> int:
            page = server.get("jupyterlab-rucio/dids/search?did=big:*&type=file")
            return len(page["items"])

        failures: list[str] = []
        stop = threading.Event()

        def another_user() -> None:
            while not stop.is_set():
                answer = other.request("GET", "jupyterlab-rucio/dids/search?did=bulk:*")
                if answer.status_code != 200 or not answer.json()["items"]:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")
                stop.wait(0.3)

        watcher = threading.Thread(target=another_user, daemon=True)
        watcher.start()
        with ThreadPoolExecutor(max_workers=20) as pool:
            assert list(pool.map(abandon, abandoning)) == [100] * 20
        assert wait_for_no_connection(abandoning, large_seed, EXPIRY + 5) == 0
        stop.set()
        watcher.join(timeout=60)
    assert failures == []
    assert direct.errors == []
