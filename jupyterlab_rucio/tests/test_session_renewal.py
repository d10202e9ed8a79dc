"""A working day outlives Rucio tokens: the extension renews them without the user noticing."""

import asyncio
from datetime import datetime, timezone

import pytest

from jupyterlab_rucio.tests.conftest import local_instance
from jupyterlab_rucio.tests.servers import RucioServerProcess

TOKEN_SECONDS = 8


@pytest.fixture(scope="module")
def short_token_rucio(rucio_env):
    """The local Rucio (same database) handing out tokens that expire after a few seconds."""
    env = {"RUCIO_DEV_TOKEN_LIFETIME": str(TOKEN_SECONDS)}
    with RucioServerProcess("short_token_wsgi", env) as server:
        yield server.url


@pytest.fixture
def rucio_instances(rucio_env, short_token_rucio):
    return [local_instance(rucio_env, rucio_url=short_token_rucio)]


async def test_an_expired_token_is_renewed_for_the_next_search(api, rucio_env):
    saved = await api.put(
        "credentials",
        {
            "method": "userpass",
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        },
    )
    first_expiry = datetime.fromisoformat(saved["expires_at"])
    assert (first_expiry - datetime.now(timezone.utc)).total_seconds() <= TOKEN_SECONDS + 2
    page = await api.get("dids/search", did="physics:run2024*")
    assert page["items"]

    await asyncio.sleep(TOKEN_SECONDS + 2)  # the token has expired now
    again = await api.get("dids/search", did="physics:run2024*")
    assert [i["name"] for i in again["items"]] == [i["name"] for i in page["items"]]
    whoami = await api.get("whoami")
    assert datetime.fromisoformat(whoami["expires_at"]) > first_expiry
