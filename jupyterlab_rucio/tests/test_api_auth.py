"""Instances, credentials and whoami over HTTP, against the local Rucio."""

import json
import os
import stat

from tornado.httpclient import AsyncHTTPClient


async def test_instances_are_listed_without_secrets(api):
    data = await api.get("instances")
    assert data["active"] == "local"
    assert data["default_auth_method"] == "userpass"
    [local] = data["instances"]
    assert local["display_name"] == "Local Rucio (dev)"
    assert local["destination_rse"] == "HUB_USERDISK"
    assert "mount_path" not in local and "ca_cert" not in local


async def test_selecting_an_unknown_instance_is_refused(api):
    status, data = await api.request("PUT", "instances/active", body={"name": "nowhere"})
    assert status == 404
    assert "nowhere" in data["message"]
    status, data = await api.request("PUT", "instances/active", body={"name": 42})
    assert status == 400
    data = await api.put("instances/active", {"name": "local"})
    assert data["active"] == "local"


async def test_whoami_without_credentials_is_401(api):
    status, data = await api.request("GET", "whoami")
    assert status == 401
    assert "No Rucio credentials" in data["message"]
    status, _ = await api.request("GET", "scopes")
    assert status == 401


async def test_userpass_is_validated_stored_privately_and_never_returned(
    api, rucio_env, jp_data_dir
):
    password = rucio_env["RUCIO_USER_PASSWORD"]
    saved = await api.put(
        "credentials", {"method": "userpass", "username": "jdoe", "password": password}
    )
    assert saved["account"] == "jdoe"
    assert saved["method"] == "userpass"
    assert saved["expires_at"].endswith("+00:00")

    listed = await api.get("credentials")
    assert listed["method"] == "userpass"
    assert listed["saved"]["userpass"] == {
        "username": "jdoe",
        "account": "jdoe",
        "has_password": True,
    }
    assert password not in json.dumps(listed)

    store = jp_data_dir / "jupyterlab_rucio" / "credentials"
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    [credential_file] = list(store.iterdir())
    assert stat.S_IMODE(os.stat(credential_file).st_mode) == 0o600

    who = await api.get("whoami")
    assert who["account"] == "jdoe" and who["method"] == "userpass"
    assert who["expires_at"] is not None

    status, _ = await api.request("DELETE", "credentials", method="userpass")
    assert status == 204
    assert (await api.get("credentials"))["saved"] == {}
    status, _ = await api.request("GET", "whoami")
    assert status == 401


async def test_wrong_password_is_401_and_not_stored(api, logged_in):
    status, data = await api.request(
        "PUT", "credentials", body={"method": "userpass", "username": "jdoe", "password": "wrong"}
    )
    assert status == 401
    assert data["message"].startswith("Rucio refused the credentials")
    assert "wrong" not in data["message"]
    # The earlier valid credential is untouched and still works.
    assert (await api.get("whoami"))["account"] == "jdoe"


async def test_credential_files_must_exist(api, tmp_path):
    status, data = await api.request(
        "PUT", "credentials", body={"method": "x509_proxy", "proxy_path": str(tmp_path / "nope")}
    )
    assert status == 400
    assert "proxy_path" in data["message"]
    status, data = await api.request(
        "PUT",
        "credentials",
        body={"method": "x509", "cert_path": "../../etc/passwd", "key_path": "k.pem"},
    )
    assert status == 400
    assert "cert_path" in data["message"]


async def test_mutating_requests_need_the_xsrf_token(
    jp_serverapp, jp_http_port, jp_base_url, logged_in
):
    """A browser session (cookie, no token header) must send Jupyter's XSRF token."""
    client = AsyncHTTPClient()
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    login = await client.fetch(
        f"{base}login?token={jp_serverapp.identity_provider.token}",
        follow_redirects=False,
        raise_error=False,
    )
    cookies = "; ".join(c.split(";")[0] for c in login.headers.get_list("Set-Cookie"))
    url = f"{base}jupyterlab-rucio/instances/active"
    body = json.dumps({"name": "local"})
    refused = await client.fetch(
        url, method="PUT", body=body, headers={"Cookie": cookies}, raise_error=False
    )
    assert refused.code == 403
    xsrf = "xsrf-value-for-test"
    accepted = await client.fetch(
        url,
        method="PUT",
        body=body,
        headers={"Cookie": f"{cookies}; _xsrf={xsrf}", "X-XSRFToken": xsrf},
        raise_error=False,
    )
    assert accepted.code == 200, accepted.body
    anonymous = await client.fetch(url, method="PUT", body=body, raise_error=False)
    assert anonymous.code == 403


async def test_secrets_never_reach_the_logs(api, rucio_env, caplog, jp_data_dir):
    """Even with every logger at DEBUG, neither the password nor Rucio's token is logged."""
    import logging

    caplog.set_level(logging.DEBUG)
    password = rucio_env["RUCIO_USER_PASSWORD"]
    await api.request(
        "PUT", "credentials", body={"method": "userpass", "username": "jdoe", "password": "bad-pw"}
    )
    await api.put("credentials", {"method": "userpass", "username": "jdoe", "password": password})
    await api.get("scopes")
    await api.get("dids/search", did="physics:run2024*")

    logged = caplog.text
    assert "dids/search" in logged  # the requests themselves were logged
    assert password not in logged
    assert "bad-pw" not in logged
    tokens = [
        path.read_text().strip()
        for path in (jp_data_dir / "jupyterlab_rucio").rglob("*")
        if path.is_file() and "token" in str(path.relative_to(jp_data_dir))
    ]
    assert tokens, "Rucio's token was expected in the private token directory"
    for token in tokens:
        assert token and token not in logged
