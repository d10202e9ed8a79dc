"""Servers the tests start as separate processes: a Jupyter server with its own config and
environment, and a second process of the local Rucio (same database) with another entry point."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = REPO_ROOT / "dev" / ".state"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            requests.get(url, timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class _Process:
    """A server process started for a test, stopped at the end even if it never came up."""

    _process: subprocess.Popen | None = None

    def _start(self, args: list[str], ready_url: str, timeout: float, **popen: Any) -> None:
        self._process = subprocess.Popen(args, **popen)
        try:
            wait_until(ready_url, timeout, self._process)
        except BaseException:
            # A server that did not come up in time is not left running behind the test.
            self._stop()
            raise

    def _stop(self) -> None:
        assert self._process is not None
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()


class JupyterServerProcess(_Process):
    """`jupyter server` with the extension in a private home, config and data directory."""

    TOKEN = "test-token"
    start_timeout = 90.0

    def __init__(
        self, home: Path, config: dict[str, Any], args: list[str], env: dict[str, str]
    ) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        (home / "root").mkdir(exist_ok=True)
        # A Python config file, as admins write them (jupyter_server_config.py). The extension
        # is enabled by the configuration its package installs, as on a hub.
        config_file = home / "jupyter_server_config.py"
        lines = []
        for section, values in config.items():
            lines += [f"c.{section}.{key} = {value!r}" for key, value in values.items()]
        config_file.write_text("\n".join(lines) + "\n")
        self._log_path = home / "server.log"
        self._args = [
            sys.executable,
            "-m",
            "jupyter_server",
            "--config",
            str(config_file),
            f"--port={self.port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={home / 'root'}",
            f"--IdentityProvider.token={self.TOKEN}",
            "--ServerApp.allow_root=True",
            "--ServerApp.open_browser=False",
            *args,
        ]
        self._env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            **env,
        }

    def __enter__(self) -> JupyterServerProcess:
        self._log = open(self._log_path, "wb")  # noqa: SIM115 - closed in __exit__
        status = self.url + f"api/status?token={self.TOKEN}"
        try:
            self._start(
                self._args,
                status,
                self.start_timeout,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=self._env,
            )
        except BaseException:
            self._log.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()
        self._log.close()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def request(self, verb: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(
            verb,
            self.url + path,
            json=body,
            headers={"Authorization": f"token {self.TOKEN}"},
            timeout=120,
        )

    def get(self, path: str) -> Any:
        answer = self.request("GET", path)
        answer.raise_for_status()
        return answer.json()

    def log_text(self) -> str:
        return self._log_path.read_text(errors="replace")


class RucioServerProcess(_Process):
    """A second gunicorn of the local Rucio on the same database, with another WSGI module."""

    def __init__(self, wsgi_module: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        python = STATE_DIR / "venv" / "bin" / "python"
        self._args = [
            str(python),
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--pythonpath",
            str(REPO_ROOT / "dev"),
            f"{wsgi_module}:application",
        ]
        self._env = {
            **os.environ,
            "RUCIO_CONFIG": str(STATE_DIR / "rucio.cfg"),
            "PYTHONPATH": str(REPO_ROOT / "dev" / "policy"),
            **env,
        }

    def __enter__(self) -> RucioServerProcess:
        self._start(
            self._args,
            self.url + "/ping",
            90,
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=STATE_DIR,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()
