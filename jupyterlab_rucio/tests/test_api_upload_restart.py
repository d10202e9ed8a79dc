"""A Jupyter server that stops during an upload: the next server on the same data directory
shows the job interrupted, with no partial bytes left, and retry completes it."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from jupyterlab_rucio.tests.conftest import local_instance
from jupyterlab_rucio.tests.rucio_api import RucioApi
from jupyterlab_rucio.tests.upload_checks import adler32, in_rucio, leftovers, rse_path

TOKEN = uuid.uuid4().hex
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`jupyter server` in a process of its own, as a hub spawns it (no rucio.cfg around)."""

    def __init__(self, config: Path, root: Path, data: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/jupyterlab-rucio/"
        env = {k: v for k, v in os.environ.items() if k != "RUCIO_CONFIG"}
        env["JUPYTER_DATA_DIR"] = str(data)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={config}",
             f"--ServerApp.port={self.port}", f"--ServerApp.root_dir={root}",
             f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True",
             "--no-browser"],
            stdout=log.open("a"), stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
        self.spec = RucioApi(None)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.call("GET", "instances")
                return
            except OSError:
                assert self.process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)

    def call(self, verb: str, path: str, body=None, expect: int = 200):
        request = urllib.request.Request(  # noqa: S310 - loopback only
            self.base + path,
            method=verb,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        self.spec.check_against_spec(verb, path, {}, status, raw)
        assert status == expect, raw
        return json.loads(raw) if raw else None

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def server_files(tmp_path, rucio_env):
    config = tmp_path / "jupyter_server_config.py"
    settings = {
        "instances": [local_instance(rucio_env)],
        # Slow enough to stop the server in the middle of the file (see transfer_rate_limit).
        "transfer_rate_limit": 4 * MB,
    }
    config.write_text(
        "c.ServerApp.jpserver_extensions = {'jupyterlab_rucio': True}\n"
        f"for key, value in {settings!r}.items():\n"
        "    setattr(c.RucioConfig, key, value)\n"
    )
    root = tmp_path / "root"
    root.mkdir()
    return config, root, tmp_path / "data", tmp_path / "server.log"


def wait(server: Server, job_id: str, done, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = server.call("GET", f"uploads/{job_id}")
        if done(job):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.3)


def test_restart_during_an_upload_then_retry_completes_it(server_files, rucio_env, jdoe_rucio):
    config, root, data, log = server_files
    name = f"restart.{uuid.uuid4().hex[:12]}.dat"
    payload = os.urandom(40 * MB)  # 10 s at the rate limit
    (root / name).write_bytes(payload)
    target = rse_path(jdoe_rucio, rucio_env["REMOTE_RSE"], "user.jdoe", name)

    first = Server(config, root, data, log)
    try:
        first.call(
            "PUT",
            "credentials",
            {
                "method": "userpass",
                "username": rucio_env["RUCIO_USER_USERNAME"],
                "password": rucio_env["RUCIO_USER_PASSWORD"],
            },
        )
        body = {"paths": [name], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"}
        job = first.call("POST", "uploads", body, expect=202)
        wait(first, job["id"], lambda j: j["files"][0]["bytes_done"] > 0)
    finally:
        first.kill()  # the server dies in the middle of the copy
    assert leftovers(target), "a partial copy is left by the killed server"

    second = Server(config, root, data, log)
    try:
        interrupted = second.call("GET", f"uploads/{job['id']}")
        assert interrupted["state"] == "INTERRUPTED"
        assert interrupted["files"][0]["state"] == "INTERRUPTED"
        assert "restart" in interrupted["files"][0]["message"]
        assert leftovers(target) == [], "the partial copy is cleaned up at start"
        assert not in_rucio(jdoe_rucio, "user.jdoe", name)

        second.call("POST", f"uploads/{job['id']}/retry", {})
        done = wait(second, job["id"], lambda j: j["state"] in ("DONE", "FAILED"), timeout=120)
        assert done["state"] == "DONE", done
    finally:
        second.stop()
    assert target.read_bytes() == payload
    assert jdoe_rucio.get_metadata("user.jdoe", name)["adler32"] == adler32(payload)
