"""The local JupyterHub of `dev/hub.sh`: OIDC login at the local provider, one system user each.

Everything comes from the environment that hub.sh sets (HUB_* and the local Rucio's rucio.env);
the single-user servers get the extension's settings the way a hub image gives them: `RUCIO_*`
environment variables (rucio-jupyterlab's names), plus each user's token file from
jupyterlab_rucio.hub.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

env = os.environ
repo = Path(__file__).resolve().parents[1]
hub_url = f"http://127.0.0.1:{env['HUB_PORT']}"
issuer = env["RUCIO_OIDC_ISSUER"]

c.JupyterHub.bind_url = hub_url
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['HUB_INTERNAL_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["HUB_PROXY_COMMAND"]]
c.JupyterHub.db_url = f"sqlite:///{env['HUB_STATE_DIR']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{env['HUB_STATE_DIR']}/cookie_secret"
c.JupyterHub.pid_file = f"{env['HUB_STATE_DIR']}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the users' servers

sys.path.insert(0, str(repo))
c.JupyterHub.authenticator_class = "jupyterlab_rucio.hub.RucioGenericOAuthenticator"
auth = c.RucioGenericOAuthenticator
auth.client_id = env["HUB_OIDC_CLIENT_ID"]
auth.client_secret = env["HUB_OIDC_CLIENT_SECRET"]
auth.oauth_callback_url = f"{hub_url}/hub/oauth_callback"
auth.authorize_url = f"{issuer}/authorize"
auth.token_url = f"{issuer}/token"
auth.userdata_url = f"{issuer}/userinfo"
auth.username_claim = "preferred_username"
auth.scope = ["openid", "profile", "email", "offline_access"]
auth.login_service = "the local identity provider"
auth.http_request_kwargs = {"ca_certs": env["RUCIO_CA_CERT"]}
auth.allowed_users = set(env["HUB_USERS"].split())
auth.enable_auth_state = True  # JUPYTERHUB_CRYPT_KEY comes from hub.sh
auth.refresh_pre_spawn = True
auth.rucio_refresh_interval = float(env.get("HUB_REFRESH_INTERVAL", "20"))
auth.rucio_refresh_margin = float(env.get("HUB_REFRESH_MARGIN", "45"))

singleuser = Path(env["SU_VENV"])
c.Spawner.cmd = [str(singleuser / "bin/jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90
c.LocalProcessSpawner.shell_cmd = []
strip = len(Path(env["HUB_RSE_DIR"]).parts) - 1
c.Spawner.environment = {
    "PATH": f"{singleuser / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "RUCIO_NAME": "local",
    "RUCIO_DISPLAY_NAME": "Local Rucio (hub)",
    "RUCIO_BASE_URL": env["RUCIO_URL"],
    "RUCIO_AUTH_URL": env["RUCIO_URL"],
    "RUCIO_SITE_NAME": "LOCAL",
    "RUCIO_MODE": "replica",
    "RUCIO_DESTINATION_RSE": env["HUB_RSE"],
    "RUCIO_RSE_MOUNT_PATH": env["HUB_RSE_DIR"],
    "RUCIO_PATH_BEGINS_AT": str(strip),
    "RUCIO_WILDCARD_ENABLED": "1",
    "RUCIO_DEFAULT_AUTH_TYPE": "oidc",
}
