"""Jupyter server configuration for the demo and the tests: the local dev Rucio as instance "local".

Reads the KEY=VALUE file written by `dev/rucio.sh up` (dev/.state/rucio.env, or the file named by
JUPYTERLAB_RUCIO_DEV_ENV). With JUPYTERLAB_RUCIO_DEV_AUTOLOGIN=1, jdoe's userpass credential is
stored at start-up so that a demo can browse without logging in first. The instance talks to
the local Rucio over HTTPS with the test CA, where all four login methods work (dev/README.md).
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = Path(os.environ.get("JUPYTERLAB_RUCIO_DEV_ENV", REPO_ROOT / "dev/.state/rucio.env"))


def read_env_file(path: Path) -> dict:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


if not ENV_FILE.is_file():
    raise SystemExit(f"{ENV_FILE} not found: start the local Rucio first with `make rucio-up`")
dev = read_env_file(ENV_FILE)

c.RucioConfig.instances = [
    {
        "name": "local",
        "display_name": "Local Rucio (dev)",
        "rucio_url": dev["RUCIO_TLS_URL"],
        "auth_url": dev["RUCIO_TLS_URL"],
        "ca_cert": dev["RUCIO_CA_CERT"],
        "site": "LOCAL",
        "mode": "replica",
        "destination_rse": dev["HUB_RSE"],
        "mount_path": dev["HUB_RSE_DIR"],
        "pfn_path_prefix": dev["HUB_RSE_DIR"],
        "default_lifetime_days": 7,
        "wildcard_enabled": True,
        "auth_methods": ["userpass", "x509", "x509_proxy", "oidc"],
    }
]
c.RucioConfig.default_instance = "local"
c.RucioConfig.default_auth_method = "userpass"

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.allow_root = True
c.ServerApp.open_browser = False

if os.environ.get("JUPYTERLAB_RUCIO_DEV_AUTOLOGIN") == "1":
    # The password goes into a private file, not into the configuration (logged at --debug).
    preset = ENV_FILE.parent / "demo-credential.json"
    fd = os.open(preset, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(
            {
                "instance": "local",
                "method": "userpass",
                "username": dev["RUCIO_USER_USERNAME"],
                "password": dev["RUCIO_USER_PASSWORD"],
                "account": dev["RUCIO_USER_ACCOUNT"],
            },
            handle,
        )
    c.RucioConfig.preset_credential_file = str(preset)
