"""Rucio down or too slow: 502/504 with a clear message, and other requests are not held up.

The faults come from two throw-away sockets opened by the test (one closed port, one that accepts
and never answers) standing in for a broken Rucio: these faults cannot be produced on demand
with the real server.
"""

import asyncio
import socket
import time

import pytest

from jupyterlab_rucio.tests.conftest import local_instance
from jupyterlab_rucio.tests.rucio_api import RucioApi

TIMEOUT = 3.0


@pytest.fixture
def silent_port():
    """Accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def rucio_instances(rucio_env, silent_port, closed_port):
    return [
        local_instance(rucio_env),
        local_instance(rucio_env, name="slow", rucio_url=f"http://127.0.0.1:{silent_port}"),
        local_instance(rucio_env, name="down", rucio_url=f"http://127.0.0.1:{closed_port}"),
        local_instance(rucio_env, name="misconfigured", destination_rse="NO_SUCH_USERDISK"),
        local_instance(rucio_env, name="exact", wildcard_enabled=False),
    ]


@pytest.fixture
def jp_server_config(rucio_instances):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_rucio": True}},
        "RucioConfig": {"instances": rucio_instances, "rucio_timeout": TIMEOUT},
    }


def userpass(rucio_env):
    return {
        "method": "userpass",
        "username": rucio_env["RUCIO_USER_USERNAME"],
        "password": rucio_env["RUCIO_USER_PASSWORD"],
    }


async def test_unreachable_rucio_is_502(jp_fetch, rucio_env):
    down = RucioApi(jp_fetch, instance="down")
    status, data = await down.request("PUT", "credentials", body=userpass(rucio_env))
    assert status == 502
    assert data["message"] == "Rucio is unreachable"


async def test_slow_rucio_is_504_and_does_not_stall_other_requests(jp_fetch, rucio_env, logged_in):
    slow = RucioApi(jp_fetch, instance="slow")
    local = RucioApi(jp_fetch)
    started = time.monotonic()
    slow_call = asyncio.ensure_future(slow.request("PUT", "credentials", body=userpass(rucio_env)))
    await asyncio.sleep(0.3)
    scopes = await local.get("scopes")
    quick_done = time.monotonic() - started
    assert "physics" in scopes["scopes"]
    status, data = await slow_call
    slow_done = time.monotonic() - started
    assert status == 504
    assert "did not answer in time" in data["message"]
    assert quick_done < slow_done
    assert slow_done < TIMEOUT + 5


async def test_missing_hub_rse_is_an_error_state_with_rucios_reason(jp_fetch, rucio_env):
    api = RucioApi(jp_fetch, instance="misconfigured")
    await api.put("credentials", userpass(rucio_env))
    data = await api.get("dids/availability", did="physics:run2024.raw")
    assert data["state"] == "ERROR"
    assert "NO_SUCH_USERDISK" in data["message"]


async def test_wildcards_can_be_disabled_by_the_admin(jp_fetch, rucio_env):
    api = RucioApi(jp_fetch, instance="exact")
    await api.put("credentials", userpass(rucio_env))
    status, data = await api.request("GET", "dids/search", did="physics:run*")
    assert status == 400
    assert "wildcard" in data["message"]
    exact = await api.get("dids/search", did="physics:run2024.raw")
    assert [i["name"] for i in exact["items"]] == ["run2024.raw"]
