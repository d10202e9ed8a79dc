"""Every way users log in, against the local Rucio over HTTPS with the test CA.

The HTTPS server verifies client certificates and proxies against the test CA and hands the DN to
Rucio as mod_ssl does; OIDC tokens come from the local issuer and Rucio validates them itself
(signature against the issuer's JWKS, expiry, audience, scope). See dev/README.md.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from jupyterlab_rucio.tests.conftest import REPO_ROOT, local_instance
from jupyterlab_rucio.tests.test_api_uploads import finished

METHODS = ("userpass", "x509", "x509_proxy", "oidc")


def mint_token(*args: str) -> str:
    """An access token for jdoe from the local OIDC issuer (`dev/rucio.sh token`)."""
    done = subprocess.run(
        ["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "token", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def private_copy(source: str, target: Path) -> Path:
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def https_instance(rucio_env: dict[str, str], **overrides) -> dict:
    """The local Rucio at its HTTPS address, trusting the test CA."""
    fields = {"rucio_url": rucio_env["RUCIO_TLS_URL"], "ca_cert": rucio_env["RUCIO_CA_CERT"]}
    return local_instance(rucio_env, **{**fields, **overrides})


@pytest.fixture
def rucio_instances(rucio_env):
    return [https_instance(rucio_env)]


def credential_body(method: str, rucio_env: dict[str, str], where: Path) -> dict:
    """What a user types into Settings for each method (files are the user's own copies)."""
    if method == "userpass":
        return {
            "method": method,
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        }
    if method == "x509":
        return {
            "method": method,
            "cert_path": rucio_env["RUCIO_USER_CERT"],
            "key_path": rucio_env["RUCIO_USER_KEY"],
        }
    if method == "x509_proxy":
        proxy = private_copy(rucio_env["RUCIO_USER_PROXY"], where / "x509up")
        return {"method": method, "proxy_path": str(proxy)}
    token_file = where / "access_token"
    token_file.write_text(mint_token() + "\n")
    return {"method": method, "token_file": str(token_file)}


def secrets_of(method: str, body: dict) -> list[str]:
    """What must never leave the server: the password, the private key, the token."""
    if method == "userpass":
        return [body["password"]]
    if method == "oidc":
        return [Path(body["token_file"]).read_text().strip()]
    path = body["key_path"] if method == "x509" else body["proxy_path"]
    text = Path(path).read_text()
    key = text[text.index("-----BEGIN PRIVATE KEY-----") : text.index("-----END PRIVATE KEY-----")]
    # Every line of the key's base64 body, any of which would be a leak.
    return [line for line in key.splitlines()[1:] if len(line) > 20]


def all_files(paths: list[str]) -> bool:
    """Whether a notebook would find a file at each resolved path."""
    return all(Path(p).is_file() for p in paths)


async def full_session(api, jp_root_dir, rucio_env) -> None:
    """Search, availability, resolve, upload and make-available with the saved credential."""
    found = await api.get("dids/search", did="physics:run2024*", type="all")
    assert "run2024.raw" in {d["name"] for d in found["items"]}
    state = await api.get("dids/availability", did="physics:run2024.raw")
    assert state["state"] == "AVAILABLE"
    [resolved] = (await api.post("resolve", {"dids": ["physics:run2024.raw"]}))["results"]
    assert resolved["status"] == "OK" and len(resolved["paths"]) == 3
    assert all_files(resolved["paths"])

    tag = uuid.uuid4().hex[:12]
    data = os.urandom(3000)
    (jp_root_dir / f"{tag}.dat").write_bytes(data)
    scope = rucio_env["RUCIO_USER_SCOPE"]
    job = await api.post(
        "uploads",
        {
            "files": [{"path": f"{tag}.dat", "name": f"https/{tag}.dat"}],
            "rse": rucio_env["REMOTE_RSE"],
            "scope": scope,
            "dataset": f"https.{tag}",
            "lifetime_days": 1,
        },
        expect=202,
    )
    done = await finished(api, job["id"])
    assert done["state"] == "DONE", done
    made = await api.post("dids/make-available", {"did": f"{scope}:https.{tag}"})
    assert made["created"] is True and made["rule"]["account"] == "jdoe"


@pytest.mark.parametrize("method", METHODS)
async def test_each_method_signs_in_over_https_and_serves_every_action(
    api, rucio_env, jp_root_dir, tmp_path, method
):
    body = credential_body(method, rucio_env, tmp_path)
    saved = await api.put("credentials", body)
    assert (saved["account"], saved["method"]) == ("jdoe", method)
    assert saved["expires_at"].endswith("+00:00")
    if method == "userpass":
        assert saved["credential_expires_at"] is None
    else:
        # The proxy (12 h), the certificate (a year) or the token (an hour) says when it ends.
        assert saved["credential_expires_at"].endswith("+00:00")
    who = await api.get("whoami")
    assert (who["account"], who["method"]) == ("jdoe", method)
    assert who["credential_expires_at"] == saved["credential_expires_at"]
    await full_session(api, jp_root_dir, rucio_env)


async def test_the_default_proxy_location_is_used_when_no_path_is_given(
    api, rucio_env, tmp_path, monkeypatch
):
    proxy = private_copy(rucio_env["RUCIO_USER_PROXY"], tmp_path / "x509up_custom")
    monkeypatch.setenv("X509_USER_PROXY", str(proxy))  # as a grid login shell sets it
    saved = await api.put("credentials", {"method": "x509_proxy"})
    assert saved["account"] == "jdoe"
    listed = await api.get("credentials")
    assert listed["saved"]["x509_proxy"]["proxy_path"] == str(proxy)


async def test_an_expired_proxy_is_refused_with_what_to_do(api, rucio_env, tmp_path):
    expired = private_copy(rucio_env["RUCIO_EXPIRED_PROXY"], tmp_path / "x509up_old")
    status, data = await api.request(
        "PUT", "credentials", body={"method": "x509_proxy", "proxy_path": str(expired)}
    )
    assert status == 401
    assert "proxy" in data["message"] and "expired at 2020-01-01 12:00 UTC" in data["message"]
    assert "voms-proxy-init" in data["message"]
    assert (await api.get("credentials"))["saved"] == {}


async def test_a_proxy_that_runs_out_during_the_session_gives_401_on_the_next_action(
    api, rucio_env, tmp_path
):
    proxy = private_copy(rucio_env["RUCIO_USER_PROXY"], tmp_path / "x509up")
    await api.put("credentials", {"method": "x509_proxy", "proxy_path": str(proxy)})
    assert (await api.get("scopes"))["scopes"]
    private_copy(rucio_env["RUCIO_EXPIRED_PROXY"], proxy)  # time passes: the proxy has run out
    status, data = await api.request("GET", "dids/search", did="physics:*", type="all")
    assert status == 401
    assert "expired at 2020-01-01 12:00 UTC" in data["message"]
    private_copy(rucio_env["RUCIO_USER_PROXY"], proxy)  # voms-proxy-init again
    assert (await api.get("dids/search", did="physics:*", type="all"))["items"]


async def test_a_token_file_that_is_rewritten_is_used_without_a_restart(api, tmp_path):
    token_file = tmp_path / "access_token"
    token_file.write_text(mint_token())
    await api.put("credentials", {"method": "oidc", "token_file": str(token_file)})
    assert (await api.get("whoami"))["account"] == "jdoe"

    token_file.write_text(mint_token("--expired"))
    status, data = await api.request("GET", "scopes")
    assert status == 401
    assert "OIDC access token expired at" in data["message"]

    fresh = mint_token()
    token_file.write_text(fresh)  # the hub refreshed it
    assert "physics" in (await api.get("scopes"))["scopes"]
    who = await api.get("whoami")
    assert who["account"] == "jdoe" and who["credential_expires_at"] is not None


async def test_a_token_file_must_hold_a_token(api, tmp_path):
    not_a_token = tmp_path / "notes.txt"
    not_a_token.write_text("line one\nline two\n")
    status, data = await api.request(
        "PUT", "credentials", body={"method": "oidc", "token_file": str(not_a_token)}
    )
    assert status == 401
    assert data["message"].endswith(f"the token file {not_a_token} does not hold an access token")


async def test_an_expired_or_foreign_token_is_refused(api):
    status, data = await api.request(
        "PUT", "credentials", body={"method": "oidc", "token": mint_token("--expired")}
    )
    assert status == 401
    assert "OIDC access token expired at" in data["message"]
    # A JWT that is not expired but not signed by the issuer: Rucio's own check refuses it.
    header, claims, _ = mint_token().split(".")
    status, data = await api.request(
        "PUT", "credentials", body={"method": "oidc", "token": f"{header}.{claims}.AAAA"}
    )
    assert status == 401
    assert data["message"].startswith("Rucio refused the credentials")


async def test_stored_credential_and_token_files_are_private(api, rucio_env, tmp_path, jp_data_dir):
    for method in METHODS:
        await api.put("credentials", credential_body(method, rucio_env, tmp_path))
    root = jp_data_dir / "jupyterlab_rucio"
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.parent.name == "credentials" for p in files)
    assert any(p.name == "auth_token" for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in (p for p in root.rglob("*") if p.is_dir()):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path


class TestWrongCertificateAuthority:
    @pytest.fixture
    def rucio_instances(self, rucio_env, tmp_path_factory):
        # Another CA (the system's bundle does not know the test CA either).
        other = tmp_path_factory.mktemp("ca") / "other-ca.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=Other CA",
                "-keyout",
                str(other.with_suffix(".key")),
                "-out",
                str(other),
                "-days",
                "2",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return [
            https_instance(rucio_env, ca_cert=str(other)),
            https_instance(rucio_env, name="system", ca_cert=None),
        ]

    @pytest.mark.parametrize("instance", ["local", "system"])
    async def test_is_a_clear_tls_error(self, api, rucio_env, instance):
        body = {
            "method": "userpass",
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        }
        status, data = await api.request("PUT", "credentials", body=body, instance=instance)
        assert status == 502
        assert data["message"].startswith(
            "TLS error: Rucio's server certificate could not be verified"
        )
        assert "CA bundle (ca_cert)" in data["message"]
        assert "Traceback" not in data["message"]


def test_no_secret_reaches_a_response_or_the_debug_log(tmp_path, rucio_env):
    """A full session with each method on a server at --debug, with the extension's and
    rucio-clients' loggers at DEBUG too: no password, private key or token in any response
    nor anywhere in the log (rucio-clients logs every request header there)."""
    from jupyterlab_rucio.tests.servers import JupyterServerProcess

    debug = {"level": "DEBUG", "handlers": ["console"], "propagate": False}
    config = {
        "RucioConfig": {"instances": [https_instance(rucio_env)]},
        "ServerApp": {
            "logging_config": {"loggers": {name: debug for name in ("jupyterlab_rucio", "urllib3")}}
        },
    }
    answers: list[str] = []
    secrets: list[str] = []
    with JupyterServerProcess(tmp_path, config, ["--debug"], {}) as srv:

        def call(verb: str, path: str, body=None, expect: int = 200):
            answer = srv.request(verb, "jupyterlab-rucio/" + path, body)
            answers.append(answer.text + repr(dict(answer.headers)))
            assert answer.status_code == expect, (path, answer.text)
            return answer.json()

        root = tmp_path / "root"
        for method in METHODS:
            body = credential_body(method, rucio_env, tmp_path)
            secrets += secrets_of(method, body)
            call("PUT", "credentials", body)
            call("GET", "credentials")
            assert call("GET", "whoami")["method"] == method
            call("GET", "dids/search?did=physics:run2024*&type=all")
            call("GET", "dids/availability?did=physics:run2024.raw")
            call("POST", "resolve", {"dids": ["physics:run2024.raw"]})
            tag = uuid.uuid4().hex[:12]
            (root / f"{tag}.dat").write_bytes(os.urandom(1000))
            upload = {
                "files": [{"path": f"{tag}.dat", "name": f"scan/{tag}.dat"}],
                "rse": rucio_env["REMOTE_RSE"],
                "scope": rucio_env["RUCIO_USER_SCOPE"],
            }
            job = call("POST", "uploads", upload, expect=202)
            deadline = time.monotonic() + 120
            while call("GET", f"uploads/{job['id']}")["state"] not in ("DONE", "FAILED"):
                assert time.monotonic() < deadline
                time.sleep(0.5)
            assert call("GET", f"uploads/{job['id']}")["state"] == "DONE"
        # Rucio's own session tokens are secrets too.
        for token_file in (tmp_path / "data" / "jupyterlab_rucio").rglob("auth_token"):
            secrets.append(token_file.read_text().strip())
    log = srv.log_text()
    assert "HTTP request: GET https://localhost" in log  # rucio-clients did log at DEBUG
    assert len(secrets) > 4
    for secret in secrets:
        assert secret not in log
        assert not any(secret in answer for answer in answers)


def test_a_password_header_that_rucio_clients_logs_is_hidden(caplog):
    """rucio-clients logs the headers of its own userpass login (when Rucio's token runs out)
    at DEBUG; the extension's logger for it keeps the password out."""
    from jupyterlab_rucio.client import rucio_clients_log

    with caplog.at_level("DEBUG", logger=rucio_clients_log.name):
        rucio_clients_log.debug("HTTP header:  %s: %s" % ("X-Rucio-Password", "s3cret-pw"))  # noqa: UP031 - as rucio-clients writes it
        rucio_clients_log.debug("HTTP header:  %s: %s" % ("X-Rucio-Account", "jdoe"))  # noqa: UP031
    assert "s3cret-pw" not in caplog.text
    assert "X-Rucio-Password: [hidden]" in caplog.text and "X-Rucio-Account: jdoe" in caplog.text
