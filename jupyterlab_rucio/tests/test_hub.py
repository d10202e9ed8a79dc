"""On a real JupyterHub (dev/hub.sh): sign in once at the hub, Rucio works all day.

The hub logs users in at the local OIDC provider with GenericOAuthenticator; each user is a system
user of their own, whose single-user server runs the extension with the token that
jupyterlab_rucio.hub hands over and renews. Access tokens live 2 minutes here, so a 6-minute
session needs at least two renewals. Nothing is mocked.
"""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
TOKEN_LIFETIME = 120
SESSION_SECONDS = 370


def _parse(text: str) -> dict[str, str]:
    pairs = (line.partition("=") for line in text.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, _, value in pairs}


@pytest.fixture(scope="module")
def hub(rucio_env):
    env = dict(os.environ, HUB_TOKEN_LIFETIME=str(TOKEN_LIFETIME))
    done = subprocess.run(
        ["bash", str(REPO / "dev/hub.sh"), "up"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    url = re.search(r"JupyterHub: (\S+)", done.stdout).group(1)
    users = dict(re.findall(r"^  (\S+) / (\S+)$", done.stdout, re.M))
    yield {"url": url, "users": users, "env": rucio_env}
    subprocess.run(["bash", str(REPO / "dev/hub.sh"), "down"], env=env, check=True)


def sign_in(hub, user: str) -> requests.Session:
    """What a browser does: the hub's login, the provider's login page, the spawn, the server."""
    browser = requests.Session()
    browser.trust_env = False  # REQUESTS_CA_BUNDLE would replace the test CA
    browser.verify = hub["env"]["RUCIO_CA_CERT"]
    page = browser.get(f"{hub['url']}/hub/oauth_login", timeout=30)
    assert page.status_code == 200 and "Sign in" in page.text, page.text[:500]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
    fields.update(username=user, password=hub["users"][user])
    landed = browser.post(urljoin(page.url, "/authorize"), data=fields, timeout=120)
    assert landed.status_code == 200, landed.text[:500]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # The server's own OAuth round with the hub gives the browser the server's cookie.
        lab = browser.get(f"{hub['url']}/user/{user}/lab", timeout=60)
        status = browser.get(server_api(hub, user, "instances"), timeout=30)
        if status.status_code == 200 and status.headers["Content-Type"].startswith(
            "application/json"
        ):
            return browser
        time.sleep(1)
    raise AssertionError(
        f"the server of {user} did not come up: {lab.status_code} {status.status_code}"
    )


def server_api(hub, user: str, endpoint: str) -> str:
    return f"{hub['url']}/user/{user}/jupyterlab-rucio/{endpoint}"


def provider_stats(hub) -> dict:
    answer = requests.get(
        f"{hub['env']['RUCIO_OIDC_ISSUER']}/stats", verify=hub["env"]["RUCIO_CA_CERT"], timeout=10
    )
    return answer.json()


def renewals(hub, user: str) -> int:
    return provider_stats(hub).get(user, {}).get("refresh_token", 0)


@pytest.fixture(scope="module")
def jdoe(hub):
    return sign_in(hub, "jdoe")


def test_signed_in_with_oidc_from_the_hub(hub, jdoe):
    whoami = jdoe.get(server_api(hub, "jdoe", "whoami"), params={"instance": "local"}, timeout=60)
    assert whoami.status_code == 200, whoami.text
    body = whoami.json()
    assert body["account"] == "jdoe"
    assert body["method"] == "oidc"
    assert body["credential_expires_at"]


def test_users_apart(hub, jdoe):
    asmith = sign_in(hub, "asmith")
    # asmith's browser session cannot reach jdoe's server: the hub refuses asmith the OAuth
    # round with jdoe's server, and without it jdoe's server answers 403.
    refused = asmith.get(f"{hub['url']}/user/jdoe/lab", timeout=60)
    assert refused.status_code == 403, refused.url
    for endpoint in ("instances", "whoami", "credentials"):
        answer = asmith.get(
            server_api(hub, "jdoe", endpoint), params={"instance": "local"}, timeout=30
        )
        assert answer.status_code == 403, (endpoint, answer.status_code, answer.text[:300])
        assert "account" not in answer.text
    # jdoe's credential files are jdoe's alone, and asmith (a system user) cannot read them.
    home = Path(pwd.getpwnam("jdoe").pw_dir)
    token_file = home / ".rucio/hub-token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert token_file.stat().st_uid == pwd.getpwnam("jdoe").pw_uid
    private = [home / ".rucio", home / ".local/share/jupyter/jupyterlab_rucio"]
    files = [path for folder in private for path in folder.rglob("*") if path.is_file()]
    assert token_file in files
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, (path, oct(path.stat().st_mode))
        check = subprocess.run(
            ["runuser", "-u", "asmith", "--", "cat", str(path)], capture_output=True, text=True
        )
        assert check.returncode != 0 and "Permission denied" in check.stderr, path


def post(hub, browser: requests.Session, user: str, endpoint: str, body: dict):
    """A POST to the user's server as JupyterLab sends it: with the XSRF token of its cookie."""
    xsrf = browser.cookies.get("_xsrf", path=f"/user/{user}/")
    return browser.post(
        server_api(hub, user, endpoint),
        params={"instance": "local"},
        json=body,
        headers={"X-XSRFToken": xsrf},
        timeout=60,
    )


def test_upload_then_add_to_notebook_with_the_hub_token(hub, jdoe):
    """Upload a file of jdoe's home into a new dataset, then resolve it for a notebook."""
    env = hub["env"]
    home = Path(pwd.getpwnam("jdoe").pw_dir)
    tag = f"{int(time.time())}.{os.getpid()}"
    name = f"hub-{tag}.dat"
    # The file is jdoe's: written by jdoe in jdoe's home, the root of jdoe's server.
    made = subprocess.run(
        ["runuser", "-u", "jdoe", "--", "sh", "-c", f"head -c 65536 /dev/urandom > ~/{name}"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    data = (home / name).read_bytes()
    dataset = f"hub.{tag}"
    job = post(
        hub,
        jdoe,
        "jdoe",
        "uploads",
        {
            "files": [{"path": name, "name": name}],
            "rse": env["HUB_RSE"],
            "scope": env["RUCIO_USER_SCOPE"],
            "dataset": dataset,
            "lifetime_days": 1,
        },
    )
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = jdoe.get(server_api(hub, "jdoe", f"uploads/{job.json()['id']}"), timeout=30)
        if state.json()["state"] in ("DONE", "FAILED", "CANCELLED", "INTERRUPTED"):
            break
        time.sleep(1)
    assert state.json()["state"] == "DONE", state.text

    # Add to notebook: the dataset resolves to the file's path on the hub's storage.
    did = f"{env['RUCIO_USER_SCOPE']}:{dataset}"
    resolved = post(hub, jdoe, "jdoe", "resolve", {"dids": [did]})
    assert resolved.status_code == 200, resolved.text
    [result] = resolved.json()["results"]
    assert result["status"] == "OK", result
    [path] = result["paths"]
    assert path.endswith(name) and Path(path).read_bytes() == data


def test_a_working_day_in_minutes_then_the_session_ends(hub, jdoe):
    start = renewals(hub, "jdoe")
    failures, searches = [], 0
    deadline = time.monotonic() + SESSION_SECONDS
    while time.monotonic() < deadline:
        answer = jdoe.get(
            server_api(hub, "jdoe", "dids/search"),
            params={"instance": "local", "did": "user.jdoe:*"},
            timeout=60,
        )
        searches += 1
        if answer.status_code != 200 or not answer.json()["items"]:
            failures.append((answer.status_code, answer.text[:200]))
        time.sleep(5)
    assert failures == [], failures
    assert searches > 60
    assert renewals(hub, "jdoe") - start >= 2

    # The provider ends jdoe's session: the refresh token is refused from now on.
    ended = requests.post(
        f"{hub['env']['RUCIO_OIDC_ISSUER']}/sessions/end",
        data={"username": "jdoe"},
        verify=hub["env"]["RUCIO_CA_CERT"],
        timeout=10,
    )
    assert ended.status_code == 200
    deadline = time.monotonic() + TOKEN_LIFETIME + 60
    while time.monotonic() < deadline:
        answer = jdoe.get(
            server_api(hub, "jdoe", "dids/search"),
            params={"instance": "local", "did": "user.jdoe:*"},
            timeout=60,
        )
        if answer.status_code != 200:
            break
        time.sleep(5)
    assert answer.status_code == 401
    message = answer.json()["message"]
    assert "sign in to the hub again" in message
    assert "/hub/login" in message
    assert "Traceback" not in answer.text
