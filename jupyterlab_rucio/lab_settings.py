"""The extension's JupyterLab settings as the server reads them from the files, the way
JupyterLab's own settings API does: schema defaults, then the admin's overrides
(`<app settings dir>/overrides.json`, `overrides.d/`, `labconfig/default_setting_overrides`),
then the user's settings (`<user settings dir>/jupyterlab-rucio/instances.jupyterlab-settings`).

Never from a request: the browser saves user settings through JupyterLab's settings API and
the server reads the file it wrote.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_config_path, jupyter_path
from jupyterlab_server.app import LabServerApp
from jupyterlab_server.settings_utils import _get_overrides, get_settings
from tornado.web import HTTPError

SCHEMA_ID = "jupyterlab-rucio:instances"
_PACKAGE, _, _PLUGIN = SCHEMA_ID.partition(":")
# The schemas shipped inside the Python package, read when the labextension is not on the
# labextensions path (a server started without JupyterLab's paths, as in the tests).
PACKAGED_SCHEMAS = Path(__file__).parent / "labextension" / "schemas"


@dataclass(frozen=True)
class LabSettingsPaths:
    app_settings_dir: str
    user_settings_dir: str
    labextensions_path: tuple[str, ...]
    # Jupyter's config directories, fixed for the life of the server (its environment).
    config_dirs: tuple[str, ...] = field(default_factory=lambda: tuple(jupyter_config_path()))

    @classmethod
    def of_server(cls, server_app: Any) -> LabSettingsPaths:
        """The directories of the JupyterLab this server runs, else JupyterLab's defaults."""
        apps = [
            app
            for apps in server_app.extension_manager.extension_apps.values()
            for app in apps
            if isinstance(app, LabServerApp)
        ]
        # JupyterLab itself when it runs, else another app of its family (Notebook 7).
        lab = next((app for app in apps if app.name == "lab"), apps[0] if apps else None)
        if lab is None:
            return cls.defaults()
        return cls(
            lab.app_settings_dir,
            lab.user_settings_dir,
            tuple(lab.extra_labextensions_path + lab.labextensions_path),
        )

    @classmethod
    def defaults(cls) -> LabSettingsPaths:
        try:
            from jupyterlab.commands import get_app_dir, get_user_settings_dir
        except ImportError:  # jupyterlab_server without JupyterLab: its default locations
            app_dir = os.environ.get("JUPYTERLAB_DIR") or os.path.join(
                sys.prefix, "share", "jupyter", "lab"
            )
            user_dir = os.environ.get("JUPYTERLAB_SETTINGS_DIR") or os.path.join(
                jupyter_config_path()[0], "lab", "user-settings"
            )
        else:
            app_dir, user_dir = get_app_dir(), get_user_settings_dir()
        return cls(
            os.path.join(app_dir, "settings"), user_dir, tuple(jupyter_path("labextensions"))
        )

    def user_settings_file(self) -> str:
        return os.path.join(self.user_settings_dir, _PACKAGE, _PLUGIN + ".jupyterlab-settings")

    def watched_files(self) -> list[str]:
        """Every file whose change can change the settings (see jupyterlab_server's
        `_get_overrides` for the admin's part)."""
        app = self.app_settings_dir
        files = _listing(os.path.join(app, "overrides.d"), "*.json*")
        files += [os.path.join(app, "overrides.json"), os.path.join(app, "overrides.json5")]
        for config_dir in self.config_dirs:
            labconfig = os.path.join(config_dir, "labconfig")
            files.append(os.path.join(labconfig, "default_setting_overrides.json"))
            files += _listing(os.path.join(labconfig, "default_setting_overrides.d"), "*.json")
        files.append(self.user_settings_file())
        return files

    def fingerprint(self) -> tuple:
        """Changes whenever one of the watched files changes: a few stat calls (asked on every
        request that names an instance)."""
        stamps = []
        for path in self.watched_files():
            try:
                stat = os.stat(path)
            except OSError:
                stamps.append((path, None))
            else:
                stamps.append((path, stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)


# The files of a directory of overrides, by the directory's own stamp: listed again only when
# a file was added, removed or renamed there.
_listings: dict[str, tuple[tuple, list[str]]] = {}


def _listing(directory: str, pattern: str) -> list[str]:
    """`sorted(glob(directory/pattern))`, from a listing kept while the directory is unchanged."""
    try:
        stat = os.stat(directory)
    except OSError:
        return []
    stamp = (stat.st_mtime_ns, stat.st_ino)
    known = _listings.get(directory)
    if known is None or known[0] != stamp:
        names = [n for n in fnmatch.filter(os.listdir(directory), pattern) if n[0] != "."]
        names.sort()
        known = (stamp, [os.path.join(directory, n) for n in names])
        _listings[directory] = known
    return list(known[1])


@dataclass
class LabSettings:
    """The admin level (schema defaults with the overrides) and the user's own values."""

    admin: dict[str, Any] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=dict)
    # (source, message): "admin" or "user", what could not be read.
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_lab_settings(paths: LabSettingsPaths) -> LabSettings:
    result = LabSettings()
    overrides, error = _get_overrides(paths.app_settings_dir)
    if error:
        result.problems.append(("admin", f"overrides in {paths.app_settings_dir}: {error}"))
    try:
        settings, warnings = get_settings(
            paths.app_settings_dir,
            str(PACKAGED_SCHEMAS),
            paths.user_settings_dir,
            SCHEMA_ID,
            overrides=overrides,
            labextensions_path=list(paths.labextensions_path),
        )
    except HTTPError as failure:
        # The user's settings file is not JSON5, or the schema is missing.
        source = "user" if "settings" in (failure.log_message or "") else "admin"
        result.problems.append((source, failure.log_message or str(failure)))
        return result
    properties = settings["schema"].get("properties", {})
    result.admin = {key: spec.get("default") for key, spec in properties.items()}
    result.user = dict(settings.get("settings") or {})
    for warning in warnings:
        if warning:
            # JupyterLab drops user settings that do not match the schema, and says why.
            result.problems.append(("user", str(warning).splitlines()[0]))
    return result
