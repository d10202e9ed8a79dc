"""Defects an outside probe of the REST API found, each with the test that shows it fixed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_rucio.tests.rucio_api import SPEC_PATH

MUTATING_BODY_ROUTES = [
    ("POST", "resolve"),
    ("POST", "dids/make-available"),
    ("POST", "uploads"),
    ("PUT", "instances/active"),
    ("PUT", "credentials"),
]
UNDOCUMENTED = ["nope", "dids", "dids/search/extra", "uploads/abc/def", "instances/active/x"]


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.usefixtures("logged_in")
@pytest.mark.parametrize(("verb", "path"), MUTATING_BODY_ROUTES)
@pytest.mark.parametrize("levels", [900, 5000])
async def test_deeply_nested_json_is_a_400(api, verb, path, levels):
    status, data = await api.request(verb, path, raw_body=nested(levels))
    assert status == 400, data
    assert "nested too deeply" in data["message"] or "JSON object" in data["message"]


@pytest.mark.usefixtures("logged_in")
async def test_a_percent_sign_in_the_input_is_not_doubled_in_the_message(api):
    status, data = await api.request("PUT", "instances/active", body={"name": "50%"})
    assert status == 404
    assert "'50%'" in data["message"] and "%%" not in data["message"]
    status, data = await api.request("GET", "dids/search", did="physics:a%b")
    assert status == 400
    assert "'a%b'" in data["message"] and "%%" not in data["message"]


async def test_get_of_the_active_instance_is_not_an_operation(api):
    status, data = await api.request("GET", "instances/active", spec=False)
    assert status == 405
    assert data["message"]


def documented_operations() -> list[tuple[str, str]]:
    spec = yaml.safe_load(Path(SPEC_PATH).read_text())
    operations = []
    for path, item in spec["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "0123abcd", path.lstrip("/"))
        for verb in ("get", "put", "post", "delete", "patch"):
            if verb in item:
                operations.append((verb.upper(), concrete))
    return operations


def every_route() -> list[tuple[str, str]]:
    undocumented = [(verb, path) for path in UNDOCUMENTED for verb in ("GET", "POST", "DELETE")]
    return documented_operations() + undocumented


async def browser_cookie(base_url: str, token: str) -> str:
    """The login cookie a browser holds after opening JupyterLab's URL with the token."""
    login = await AsyncHTTPClient().fetch(
        f"{base_url}login?token={token}", follow_redirects=False, raise_error=False
    )
    cookies = [c.split(";")[0] for c in login.headers.get_list("Set-Cookie")]
    assert any(c.startswith("username-") for c in cookies), f"no login cookie in {cookies}"
    return "; ".join(cookies)


async def test_every_route_needs_login_and_xsrf(jp_serverapp, jp_fetch, jp_base_url, jp_http_port):
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    client = AsyncHTTPClient()
    cookie = await browser_cookie(base, jp_serverapp.identity_provider.token)
    routes = every_route()
    assert len(documented_operations()) >= 10
    for verb, path in routes:
        body = b"{}" if verb in ("POST", "PUT") else None
        url = f"{base}jupyterlab-rucio/{path}"
        anonymous = await client.fetch(url, method=verb, body=body, raise_error=False)
        assert anonymous.code == 403, f"anonymous {verb} {path} -> {anonymous.code}"
        assert b"jupyterlab-rucio/" not in anonymous.body  # the path is not echoed
        if verb == "GET":
            continue
        no_xsrf = await client.fetch(
            url, method=verb, body=body, headers={"Cookie": cookie}, raise_error=False
        )
        assert no_xsrf.code == 403, f"{verb} {path} without XSRF -> {no_xsrf.code}"
    # The cookie itself is good: with the XSRF token the same browser gets through.
    xsrf = "xsrf-value-for-test"
    ok = await client.fetch(
        f"{base}jupyterlab-rucio/instances/active",
        method="PUT",
        body=json.dumps({"name": "local"}),
        headers={"Cookie": f"{cookie}; _xsrf={xsrf}", "X-XSRFToken": xsrf},
        raise_error=False,
    )
    assert ok.code == 200
    assert json.loads(ok.body)["active"] == "local"


def test_debug_log_holds_no_secret_from_the_configuration(tmp_path, rucio_env):
    """A server at --debug with every secret-bearing option set logs none of the secrets,
    while the secrets are really used (the preset credential signs the user in)."""
    from jupyterlab_rucio.tests.conftest import local_instance
    from jupyterlab_rucio.tests.servers import JupyterServerProcess

    password = rucio_env["RUCIO_USER_PASSWORD"]
    hub_token = "hub-oidc-token-" + "x" * 40
    preset = tmp_path / "credential.json"
    preset.write_text(
        json.dumps(
            {
                "instance": "local",
                "method": "userpass",
                "username": rucio_env["RUCIO_USER_USERNAME"],
                "password": password,
            }
        )
    )
    preset.chmod(0o600)
    hub = local_instance(rucio_env, name="hub", oidc_token_env="HUB_ACCESS_TOKEN")
    config = {
        "RucioConfig": {
            "instances": [local_instance(rucio_env), hub],
            "preset_credential_file": str(preset),
        }
    }
    env = {"HUB_ACCESS_TOKEN": hub_token}
    with JupyterServerProcess(tmp_path, config, ["--debug"], env) as srv:
        whoami = srv.get("jupyterlab-rucio/whoami?instance=local")
        assert whoami["account"] == rucio_env["RUCIO_USER_ACCOUNT"]
        srv.get("jupyterlab-rucio/dids/search?did=physics:run2024*")
        srv.get("jupyterlab-rucio/credentials?instance=hub")
    log = srv.log_text()
    assert "Config changed" in log  # the configuration itself was logged, at debug level
    assert "preset_credential_file" in log
    assert password not in log
    assert hub_token not in log
    for token_file in (tmp_path / "data" / "jupyterlab_rucio").rglob("auth_token"):
        assert token_file.read_text().strip() not in log
