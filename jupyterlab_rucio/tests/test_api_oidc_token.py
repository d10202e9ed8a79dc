"""A bearer token handed to the single-user server in an environment variable, as JupyterHub does.

The local Rucio has no identity provider; the token used here is a real Rucio token issued for jdoe,
which Rucio validates the same way (token table first) as the access tokens a hub passes on.
"""

import pytest
import requests

from jupyterlab_rucio.tests.conftest import local_instance

TOKEN_ENV = "JUPYTERLAB_RUCIO_TEST_ACCESS_TOKEN"


@pytest.fixture
def hub_token(rucio_env, monkeypatch):
    answer = requests.get(
        rucio_env["RUCIO_URL"] + "/auth/userpass",
        headers={
            "X-Rucio-Username": rucio_env["RUCIO_USER_USERNAME"],
            "X-Rucio-Password": rucio_env["RUCIO_USER_PASSWORD"],
        },
        timeout=30,
    )
    answer.raise_for_status()
    token = answer.headers["X-Rucio-Auth-Token"]
    monkeypatch.setenv(TOKEN_ENV, token)
    return token


@pytest.fixture
def rucio_instances(rucio_env, hub_token):
    return [local_instance(rucio_env, oidc_token_env=TOKEN_ENV)]


async def test_the_hubs_token_is_used_without_any_login(api, hub_token):
    listed = await api.get("credentials")
    assert listed["method"] == "oidc"
    assert listed["saved"] == {"oidc": {"account": None, "token_source": f"env:{TOKEN_ENV}"}}
    assert hub_token not in str(listed)
    who = await api.get("whoami")
    assert (who["account"], who["method"]) == ("jdoe", "oidc")
    assert "physics" in (await api.get("scopes"))["scopes"]


async def test_saving_oidc_validates_the_token(api, hub_token):
    saved = await api.put("credentials", {"method": "oidc"})
    assert saved["account"] == "jdoe" and saved["expires_at"] is not None
    status, data = await api.request(
        "PUT", "credentials", body={"method": "oidc", "token": "not-a-valid-token"}
    )
    assert status == 401
    assert "Rucio refused the credentials" in data["message"]
    listed = await api.get("credentials")
    assert listed["saved"]["oidc"]["token_source"] == f"env:{TOKEN_ENV}"
