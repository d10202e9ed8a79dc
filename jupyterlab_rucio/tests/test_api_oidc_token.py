"""A bearer token handed to the single-user server in an environment variable, as JupyterHub does.

The token is an access token of the local OIDC issuer (dev/oidc_issuer.py), which the local Rucio
validates as a JWT against the issuer's keys, over HTTPS with the test CA.
"""

import pytest

from jupyterlab_rucio.tests.test_api_login_https import https_instance, mint_token

TOKEN_ENV = "JUPYTERLAB_RUCIO_TEST_ACCESS_TOKEN"


@pytest.fixture
def hub_token(rucio_env, monkeypatch):
    token = mint_token()
    monkeypatch.setenv(TOKEN_ENV, token)
    return token


@pytest.fixture
def rucio_instances(rucio_env, hub_token):
    return [https_instance(rucio_env, oidc_token_env=TOKEN_ENV)]


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
