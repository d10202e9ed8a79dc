"""Shared pytest fixtures: the local Rucio instance the tests run against."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RUCIO_ENV_FILE = REPO_ROOT / "dev" / ".state" / "rucio.env"


def _parse_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key] = value.strip().strip("'\"")
    return values


@pytest.fixture(scope="session")
def rucio_env() -> dict[str, str]:
    """Start (or reuse) the local Rucio with `dev/rucio.sh up` and return its rucio.env values.

    The tests run as a user's machine would: no RUCIO_CONFIG and no rucio.cfg, so that the
    extension works only with the credentials saved through its API.
    """
    subprocess.run(["bash", str(REPO_ROOT / "dev" / "rucio.sh"), "up"], check=True, timeout=600)
    return _parse_env_file(RUCIO_ENV_FILE)


@pytest.fixture(scope="session", autouse=True)
def no_rucio_cfg():
    """Fail loudly if the environment carries a rucio.cfg the extension could lean on."""
    from jupyterlab_rucio.config import rucio_cfg_path

    os.environ.pop("RUCIO_CONFIG", None)
    assert rucio_cfg_path() is None, f"a rucio.cfg is visible to the tests: {rucio_cfg_path()}"


def upload_as_data_manager(rucio_env: dict[str, str], items: list[dict]) -> None:
    """Put files into Rucio with rucio-clients' upload helper in a process of its own."""
    subprocess.run(
        [sys.executable, str(Path(__file__).with_name("data_manager.py"))],
        input=json.dumps(items),
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, "RUCIO_CONFIG": rucio_env["RUCIO_USER_CONFIG"]},
    )


# --- A real Jupyter server with the extension, talking to the local Rucio -----------------------
# pytest-jupyter's fixtures and hooks (a real ServerApp per test, token auth, XSRF checks on).
from pytest_jupyter.jupyter_server import *  # noqa: E402, F403


def local_instance(rucio_env: dict[str, str], **overrides) -> dict:
    """The dev Rucio as a replica-mode instance whose hub RSE directory is the mount."""
    instance = {
        "name": "local",
        "display_name": "Local Rucio (dev)",
        "rucio_url": rucio_env["RUCIO_URL"],
        "mode": "replica",
        "destination_rse": rucio_env["HUB_RSE"],
        "mount_path": rucio_env["HUB_RSE_DIR"],
        "pfn_path_prefix": rucio_env["HUB_RSE_DIR"],
        "webui_url": "https://rucio-ui.example.org",
        "default_lifetime_days": 1,
    }
    instance.update(overrides)
    return instance


@pytest.fixture
def rucio_instances(rucio_env) -> list[dict]:
    """Instances configured for the test server; override in a module to change them."""
    return [local_instance(rucio_env)]


@pytest.fixture
def rucio_options() -> dict:
    """Further RucioConfig options of the test server; override in a module to change them."""
    return {}


@pytest.fixture
def jp_server_config(rucio_instances, rucio_options):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_rucio": True},
            "disable_check_xsrf": False,
        },
        "RucioConfig": {"instances": rucio_instances, "rucio_timeout": 30.0, **rucio_options},
    }


@pytest.fixture
def api(jp_serverapp, jp_fetch):
    from jupyterlab_rucio.tests.rucio_api import RucioApi

    return RucioApi(jp_fetch)


@pytest.fixture
def logged_in(api, rucio_env, jp_asyncio_loop):
    """jdoe's userpass credential saved through the API."""
    body = {
        "method": "userpass",
        "username": rucio_env["RUCIO_USER_USERNAME"],
        "password": rucio_env["RUCIO_USER_PASSWORD"],
    }
    return jp_asyncio_loop.run_until_complete(api.put("credentials", body))


@pytest.fixture
def jdoe_rucio(rucio_env):
    """A plain rucio-clients Client for jdoe, to arrange data and to check what the API did."""
    from rucio.client import Client

    return Client(
        rucio_host=rucio_env["RUCIO_URL"],
        auth_host=rucio_env["RUCIO_URL"],
        account=rucio_env["RUCIO_USER_ACCOUNT"],
        auth_type="userpass",
        creds={
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        },
    )


@pytest.fixture
def remote_dataset(jdoe_rucio, rucio_env, tmp_path):
    """Factory: a fresh dataset in user.jdoe whose files exist only on the remote RSE."""
    import uuid

    def make(files: int = 2, size: int = 4096) -> dict:
        scope = rucio_env["RUCIO_USER_SCOPE"]
        tag = uuid.uuid4().hex[:12]
        dataset = f"test.{tag}.ds"
        items, contents = [], {}
        for index in range(files):
            path = tmp_path / f"{tag}.{index}.bin"
            data = uuid.uuid4().bytes * (size // 16) + index.to_bytes(2, "big")
            path.write_bytes(data)
            name = f"test/{tag}/file.{index}.bin"
            contents[name] = data
            items.append(
                {
                    "path": str(path),
                    "rse": rucio_env["REMOTE_RSE"],
                    "did_scope": scope,
                    "did_name": name,
                    "dataset_scope": scope,
                    "dataset_name": dataset,
                }
            )
        upload_as_data_manager(rucio_env, items)
        return {"did": f"{scope}:{dataset}", "scope": scope, "name": dataset, "files": contents}

    return make
