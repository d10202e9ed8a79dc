"""Jupyter server configuration for the Playwright UI tests.

Starts from galata's test configuration and connects the extension to the local Rucio
of dev/. Galata's own file helpers call the contents API without an XSRF token, so the
XSRF check stays off here as galata sets it; the pytest suites run the server with
XSRF checks on and cover the extension's endpoints there.
"""

import shutil
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

HERE = Path(__file__).parent
ROOT = HERE / ".jupyter-root"

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821

shutil.rmtree(ROOT, ignore_errors=True)
ROOT.mkdir()
c.ServerApp.root_dir = str(ROOT)  # noqa: F821

# JupyterLab's app settings directory (where an admin puts overrides.json) and user settings
# directory of this server alone, empty at start: ui-tests/tests/instances.spec.ts writes an
# overrides.json while the server runs, as an admin of a hub would, and user settings through
# the Settings Editor, which would otherwise land in the ~/.jupyter of whoever runs the tests.
APP_SETTINGS = HERE / ".jupyter-app-settings"
USER_SETTINGS = HERE / ".jupyter-user-settings"
for directory in (APP_SETTINGS, USER_SETTINGS):
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
c.LabApp.app_settings_dir = str(APP_SETTINGS)  # noqa: F821
c.LabApp.user_settings_dir = str(USER_SETTINGS)  # noqa: F821

dev_config = HERE.parent / "dev" / "jupyter" / "jupyter_server_config.py"
if dev_config.exists():
    load_subconfig(str(dev_config))  # noqa: F821

# Each file transfer at most 16 MB/s, as an admin of a shared hub may set it: on a local disk an
# upload of hundreds of MB would otherwise end before the UI tests could watch its progress bar
# move or cancel it (ui-tests/tests/upload.spec.ts).
c.RucioConfig.transfer_rate_limit = 16 * 1024 * 1024  # noqa: F821
