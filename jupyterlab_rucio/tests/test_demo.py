"""`make demo` serves JupyterLab with the extension, connected to the local Rucio as jdoe."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return json.load(response)


@pytest.fixture
def demo_url(rucio_env, tmp_path):
    port = free_port()
    log = (tmp_path / "demo.log").open("w")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        ["bash", str(REPO / "dev" / "demo.sh"), str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token=demo", timeout=2)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the demo did not start: {(tmp_path / 'demo.log').read_text()}")
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_demo_serves_lab_with_the_extension_signed_in(demo_url, rucio_env):
    with urllib.request.urlopen(f"{demo_url}/lab?token=demo", timeout=10) as response:  # noqa: S310
        page = response.read().decode()
    assert "jupyterlab-rucio" in page  # the federated extension is announced to the page

    instances = get_json(f"{demo_url}/jupyterlab-rucio/instances?token=demo")
    assert instances["active"] == "local"
    assert instances["instances"][0]["rucio_url"] == rucio_env["RUCIO_TLS_URL"]

    whoami = get_json(f"{demo_url}/jupyterlab-rucio/whoami?token=demo")
    assert whoami["account"] == rucio_env["RUCIO_USER_ACCOUNT"]

    found = get_json(f"{demo_url}/jupyterlab-rucio/dids/search?token=demo&did=physics:run2024*")
    names = {item["name"] for item in found["items"]}
    assert {"run2024", "run2024.raw", "run2024.calib"} <= names


def send_json(url: str, method: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        method=method,
        data=json.dumps(body).encode(),
        headers={"Authorization": "token demo", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        return response.status, json.load(response)


def test_demo_uploads_out_of_the_box(demo_url, rucio_env):
    """A new user of `make demo` uploads a file of the workspace; no rucio.cfg anywhere."""
    import uuid

    workspace = REPO / "dev" / ".state" / "demo-workspace"
    name = f"demo-upload.{uuid.uuid4().hex[:12]}.txt"
    (workspace / name).write_text("hello from the demo\n")
    try:
        body = {"paths": [name], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"}
        status, job = send_json(f"{demo_url}/jupyterlab-rucio/uploads", "POST", body)
        assert status == 202
        deadline = time.monotonic() + 90
        while job["state"] not in ("DONE", "FAILED", "CANCELLED"):
            assert time.monotonic() < deadline, job
            time.sleep(0.5)
            job = get_json(f"{demo_url}/jupyterlab-rucio/uploads/{job['id']}?token=demo")
        assert job["state"] == "DONE", job
        found = get_json(
            f"{demo_url}/jupyterlab-rucio/dids/search?token=demo&did=user.jdoe:{name}&type=file"
        )
        assert [item["name"] for item in found["items"]] == [name]
    finally:
        (workspace / name).unlink()


def test_demo_offers_every_login_method_over_https(demo_url, rucio_env):
    """What dev/README.md says to type in the demo's Settings signs in with each method."""
    url = f"{demo_url}/jupyterlab-rucio"
    [local] = get_json(f"{url}/instances?token=demo")["instances"]
    assert local["auth_methods"] == ["userpass", "x509", "x509_proxy", "oidc"]
    typed = [
        {
            "method": "x509",
            "cert_path": rucio_env["RUCIO_USER_CERT"],
            "key_path": rucio_env["RUCIO_USER_KEY"],
        },
        {"method": "x509_proxy", "proxy_path": rucio_env["RUCIO_USER_PROXY"]},
        {"method": "oidc", "token_file": str(REPO / "dev" / ".state" / "demo-access-token")},
        {"method": "userpass", "username": "jdoe", "password": rucio_env["RUCIO_USER_PASSWORD"]},
    ]
    for body in typed:
        status, saved = send_json(f"{url}/credentials", "PUT", body)
        assert (status, saved["account"]) == (200, rucio_env["RUCIO_USER_ACCOUNT"]), body
        who = get_json(f"{url}/whoami?token=demo")
        assert who["method"] == body["method"]
        found = get_json(f"{url}/dids/search?token=demo&did=physics:run2024*")
        assert found["items"], body["method"]
