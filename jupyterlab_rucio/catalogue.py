"""The instances this server offers: those of the traitlets configuration, then those of the
admin's JupyterLab settings (overrides.json), then the user's own (Settings Editor), read again
whenever one of those files changes.

The configuration is checked at start-up and stops the server when wrong; a wrong settings
entry is reported (the message names the field) and left out, and the others still work.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from .config import AUTH_METHODS, InstanceConfig, RucioConfig, RucioConfigError, parse_instance
from .lab_settings import LabSettings, LabSettingsPaths, read_lab_settings

log = logging.getLogger(__name__)

_OWNERS = {"config": "the server configuration", "admin": "the admin's settings"}


@dataclass(frozen=True)
class Problem:
    source: str  # "admin" (overrides.json), "user" (user settings) or "config"
    message: str

    def public(self) -> dict[str, str]:
        return {"source": self.source, "message": self.message}


@dataclass(frozen=True)
class Catalogue:
    instances: dict[str, InstanceConfig]
    default_instance: str | None
    default_auth_method: str
    problems: tuple[Problem, ...]


class _Builder:
    """Collects instances in order of precedence; a later one never replaces an earlier."""

    def __init__(self, configured: dict[str, InstanceConfig]) -> None:
        self.instances = dict(configured)
        self.owners = dict.fromkeys(configured, "config")
        self.problems: list[Problem] = []

    def problem(self, source: str, message: str) -> None:
        self.problems.append(Problem(source, message))

    def add(self, source: str, key: str, entries: Any) -> None:
        if entries is None:
            return
        if not isinstance(entries, list):
            self.problem(source, f"{key} must be a list of instances")
            return
        for index, raw in enumerate(entries):
            if isinstance(raw, dict):  # a field the Settings Editor form left empty is unset
                raw = {key: value for key, value in raw.items() if value not in ("", [])}
            try:
                instance = parse_instance(raw, index, key)
            except RucioConfigError as error:
                self.problem(source, str(error))
                continue
            owner = self.owners.get(instance.name)
            if owner is not None:
                self.problem(
                    source,
                    f"{key}[{index}].name {instance.name!r} is already defined by "
                    f"{_OWNERS[owner]}; this entry is ignored",
                )
                continue
            self.instances[instance.name] = instance
            self.owners[instance.name] = source


def _setting(settings: LabSettings, builder: _Builder, key: str, allowed) -> Any:
    """The user's value of a setting, else the admin's; a wrong value is reported and skipped."""
    for source, values in (("user", settings.user), ("admin", settings.admin)):
        value = values.get(key)
        if value is None or value == "":  # not set
            continue
        if allowed(value):
            return value
        builder.problem(source, f"{key} {value!r} is not one of the choices")
    return None


def build_catalogue(
    config: RucioConfig,
    configured: dict[str, InstanceConfig],
    settings: LabSettings,
    rucio_cfg: InstanceConfig | None,
) -> Catalogue:
    builder = _Builder(configured)
    for source, message in settings.problems:
        builder.problem(source, message)
    builder.add("admin", "instances", settings.admin.get("instances"))
    # The Settings Editor writes the whole form, an empty list of the hub's instances included.
    if settings.user.get("instances"):
        builder.problem(
            "user",
            "instances in user settings are ignored: they are the hub's; "
            "add instances of your own to userInstances",
        )
    personal = settings.user.get("userInstances")
    admin_allows = settings.admin.get("allowUserInstances") is not False
    if personal and not (config.allow_user_instances and admin_allows):
        builder.problem("user", "userInstances: this hub does not allow instances of your own")
    else:
        builder.add("user", "userInstances", personal)
    if not builder.instances and rucio_cfg is not None:
        builder.instances[rucio_cfg.name] = rucio_cfg

    names = builder.instances
    if config.default_instance is not None:
        default = config.default_instance
        if default not in names:
            builder.problem("config", f"RucioConfig.default_instance {default!r} is not offered")
            default = None
    else:
        default = _setting(settings, builder, "defaultInstance", lambda v: v in names)
    if config.is_set("default_auth_method"):
        method = config.default_auth_method
    else:
        chosen = _setting(settings, builder, "defaultAuthMethod", lambda v: v in AUTH_METHODS)
        method = chosen or config.default_auth_method
    return Catalogue(dict(names), default, method, tuple(builder.problems))


class InstanceCatalogue:
    """The current catalogue, built again when a settings file changed (checked by mtime and
    size: a dozen stat calls, a tenth of what a page of results costs the server)."""

    def __init__(self, config: RucioConfig, paths: LabSettingsPaths | None) -> None:
        self._config = config
        self._paths = paths
        self._configured = config.configured_instances()
        self._rucio_cfg = config.rucio_cfg_instance() if not self._configured else None
        self._fingerprint: tuple | None = None
        self._current: Catalogue | None = None
        self._checked = 0.0
        default = config.default_instance
        if default is not None and default not in self.current().instances:
            raise RucioConfigError(f"RucioConfig.default_instance {default!r} is not configured")

    def current(self, max_age: float = 0.0) -> Catalogue:
        """The catalogue; one whose files were checked `max_age` seconds ago or less is taken
        as it is (requests that name an instance; the list of instances checks every time)."""
        now = time.monotonic()
        if self._current is not None and now - self._checked <= max_age:
            return self._current
        self._checked = now
        fingerprint = self._paths.fingerprint() if self._paths is not None else ()
        if self._current is None or fingerprint != self._fingerprint:
            settings = read_lab_settings(self._paths) if self._paths else LabSettings()
            catalogue = build_catalogue(self._config, self._configured, settings, self._rucio_cfg)
            for problem in catalogue.problems:
                log.warning("Rucio instance settings (%s): %s", problem.source, problem.message)
            self._current, self._fingerprint = catalogue, fingerprint
        return self._current
