"""Admin configuration: the Rucio instances a hub offers, validated once at start-up.

Admins write `c.RucioConfig.instances = [{...}, ...]` in jupyter_server_config.py. Without any
instance, one is derived from the user's own rucio.cfg so that the extension works out of the box
wherever the Rucio command line already works.
"""

from __future__ import annotations

import configparser
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import Bool, Dict, Enum, Float, Int, List, Unicode, default, observe
from traitlets.config import Configurable

from .compat import (
    CompatError,
    defaults_from_environment,
    instance_from_environment,
    translate_instance,
)

AUTH_METHODS = ("userpass", "x509", "x509_proxy", "oidc")
MODES = ("replica", "download")
INSTANCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class RucioConfigError(ValueError):
    """A configuration value is wrong; the message names the field."""


@dataclass(frozen=True)
class InstanceConfig:
    name: str
    display_name: str
    rucio_url: str
    auth_url: str
    mode: str = "replica"
    webui_url: str | None = None
    ca_cert: str | None = None
    vo: str | None = None
    site: str | None = None
    destination_rse: str | None = None
    mount_path: str | None = None
    pfn_path_prefix: str | None = None
    pfn_strip_segments: int = 0
    download_dir: str | None = None
    default_lifetime_days: float | None = None
    wildcard_enabled: bool = True
    oidc_token_env: str | None = None
    oidc_token_file: str | None = None
    auth_methods: tuple[str, ...] = AUTH_METHODS
    # Credentials found in the user's rucio.cfg, used when nothing was saved through the UI.
    implicit_credential: dict[str, Any] | None = field(default=None, compare=False)

    def public(self) -> dict[str, Any]:
        """What the browser may see: no paths to credentials, no secrets."""
        return {
            "name": self.name,
            "display_name": self.display_name,
            "rucio_url": self.rucio_url,
            "webui_url": self.webui_url,
            "mode": self.mode,
            "site": self.site,
            "vo": self.vo,
            "default_lifetime_days": self.default_lifetime_days,
            "wildcard_enabled": self.wildcard_enabled,
            "destination_rse": self.destination_rse,
            "auth_methods": list(self.auth_methods),
        }

    def oidc_token_source(self) -> str | None:
        if self.oidc_token_env:
            return f"env:{self.oidc_token_env}"
        if self.oidc_token_file:
            return f"file:{self.oidc_token_file}"
        return None


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "display_name": (str,),
    "rucio_url": (str,),
    "auth_url": (str,),
    "webui_url": (str,),
    "ca_cert": (str,),
    "vo": (str,),
    "site": (str,),
    "mode": (str,),
    "destination_rse": (str,),
    "mount_path": (str,),
    "pfn_path_prefix": (str,),
    "pfn_strip_segments": (int,),
    "download_dir": (str,),
    "default_lifetime_days": (int, float),
    "wildcard_enabled": (bool,),
    "oidc_token_env": (str,),
    "oidc_token_file": (str,),
    "auth_methods": (list, tuple),
}


def _is_url(value: str) -> bool:
    return bool(re.match(r"^https?://[^\s/]+", value))


def parse_instance(raw: Any, index: int) -> InstanceConfig:
    where = f"RucioConfig.instances[{index}]"
    if not isinstance(raw, dict):
        raise RucioConfigError(f"{where} must be a dict, not {type(raw).__name__}")
    try:
        raw = translate_instance(raw, where)
    except CompatError as error:
        raise RucioConfigError(str(error)) from error
    unknown = sorted(set(raw) - set(_FIELD_TYPES))
    if unknown:
        raise RucioConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        types = _FIELD_TYPES[key]
        bad_bool = isinstance(value, bool) and bool not in types
        if not isinstance(value, types) or bad_bool:
            raise RucioConfigError(f"{where}.{key} has the wrong type ({type(value).__name__})")
        values[key] = value

    for required in ("name", "rucio_url"):
        if not values.get(required):
            raise RucioConfigError(f"{where}.{required} is required")
    name = values["name"]
    if not INSTANCE_NAME.match(name):
        raise RucioConfigError(f"{where}.name {name!r} may only use letters, digits, '_', '.', '-'")
    for key in ("rucio_url", "auth_url", "webui_url"):
        if key in values and not _is_url(values[key]):
            raise RucioConfigError(f"{where}.{key} must be an http(s) URL")
    values.setdefault("display_name", name)
    values.setdefault("auth_url", values["rucio_url"])
    values = {k: v.rstrip("/") if k.endswith("_url") else v for k, v in values.items()}

    mode = values.setdefault("mode", "replica")
    if mode not in MODES:
        raise RucioConfigError(f"{where}.mode must be one of {', '.join(MODES)}")
    if mode == "replica":
        for required in ("destination_rse", "mount_path"):
            if not values.get(required):
                raise RucioConfigError(f"{where}.{required} is required in replica mode")
        if not os.path.isabs(values["mount_path"]):
            raise RucioConfigError(f"{where}.mount_path must be an absolute path")
    else:
        download_dir = os.path.expanduser(values.get("download_dir") or "~/rucio-downloads")
        if not os.path.isabs(download_dir):
            raise RucioConfigError(f"{where}.download_dir must be an absolute path")
        values["download_dir"] = download_dir
    if values.get("pfn_strip_segments", 0) < 0:
        raise RucioConfigError(f"{where}.pfn_strip_segments must not be negative")
    lifetime = values.get("default_lifetime_days")
    if lifetime is not None and lifetime <= 0:
        raise RucioConfigError(f"{where}.default_lifetime_days must be positive")
    methods = tuple(values.get("auth_methods", AUTH_METHODS))
    if not methods or any(m not in AUTH_METHODS for m in methods):
        raise RucioConfigError(f"{where}.auth_methods must be a non-empty subset of {AUTH_METHODS}")
    values["auth_methods"] = methods
    if values.get("oidc_token_env") and values.get("oidc_token_file"):
        raise RucioConfigError(f"{where}: set oidc_token_env or oidc_token_file, not both")
    return InstanceConfig(**values)


def rucio_cfg_path() -> Path | None:
    """The rucio.cfg the Rucio command line would read, when there is one."""
    candidates = []
    if os.environ.get("RUCIO_CONFIG"):
        candidates.append(os.environ["RUCIO_CONFIG"])
    if os.environ.get("RUCIO_HOME"):
        candidates.append(os.path.join(os.environ["RUCIO_HOME"], "etc", "rucio.cfg"))
    candidates.append("/opt/rucio/etc/rucio.cfg")
    for candidate in candidates:
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


def instance_from_rucio_cfg(path: Path) -> InstanceConfig:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path)
        client = parser["client"]
    except (configparser.Error, KeyError) as error:
        raise RucioConfigError(f"{path}: no usable [client] section ({error})") from error
    if not client.get("rucio_host"):
        raise RucioConfigError(f"{path}: [client] rucio_host is required")
    auth_type = client.get("auth_type", "userpass")
    credential: dict[str, Any] = {"method": auth_type, "account": client.get("account")}
    if auth_type == "userpass":
        credential.update(username=client.get("username"), password=client.get("password"))
    elif auth_type == "x509":
        credential.update(cert_path=client.get("client_cert"), key_path=client.get("client_key"))
    elif auth_type == "x509_proxy":
        proxy = (
            os.environ.get("RUCIO_CLIENT_PROXY")
            or client.get("client_x509_proxy")
            or os.environ.get("X509_USER_PROXY")
            or f"/tmp/x509up_u{os.getuid()}"  # noqa: S108 - the standard grid proxy location
        )
        credential.update(proxy_path=proxy)
    raw = {
        "name": "default",
        "display_name": "Rucio (rucio.cfg)",
        "rucio_url": client["rucio_host"],
        "auth_url": client.get("auth_host") or client["rucio_host"],
        "ca_cert": client.get("ca_cert"),
        "vo": client.get("vo"),
        "mode": "download",
    }
    instance = parse_instance({k: v for k, v in raw.items() if v}, 0)
    if auth_type not in AUTH_METHODS:
        return instance
    return InstanceConfig(**{**instance.__dict__, "implicit_credential": credential})


class RucioConfig(Configurable):
    """Rucio instances offered by this Jupyter server."""

    instances = List(
        Dict(),
        default_value=[],
        help="Rucio instances: dicts with name, display_name, rucio_url, auth_url, webui_url, "
        "ca_cert, vo, site, mode ('replica' with destination_rse, mount_path and pfn_path_prefix "
        "or pfn_strip_segments; 'download' with download_dir), default_lifetime_days, "
        "wildcard_enabled, oidc_token_env or oidc_token_file, auth_methods.",
    ).tag(config=True)
    default_instance = Unicode(
        None,
        allow_none=True,
        help="Name of the instance selected for new users (default: $RUCIO_DEFAULT_INSTANCE).",
    ).tag(config=True)
    default_auth_method = Unicode(
        help="Auth method offered first (default: $RUCIO_DEFAULT_AUTH_TYPE, else userpass)."
    ).tag(config=True)
    default_auth_type = Unicode(
        None, allow_none=True, help="rucio-jupyterlab's name of default_auth_method."
    ).tag(config=True)
    log_level = Enum(
        ["debug", "info", "warning", "error", "critical"],
        None,
        allow_none=True,
        help="Level of the extension's own log messages (as in rucio-jupyterlab).",
    ).tag(config=True)
    use_environment = Bool(
        True,
        help="Without configured instances, offer the one that rucio-jupyterlab's RUCIO_* "
        "environment variables describe (RUCIO_BASE_URL, RUCIO_RSE_MOUNT_PATH, ...).",
    ).tag(config=True)
    rucio_timeout = Float(60.0, help="Seconds a single Rucio call may take.").tag(config=True)
    max_workers = Int(8, help="Threads that talk to Rucio concurrently.").tag(config=True)
    upload_concurrency = Int(2, help="Files uploaded at the same time.").tag(config=True)
    transfer_rate_limit = Int(
        0,
        help="Bytes per second one file upload or download may use (0: unlimited). Keeps a few "
        "large uploads from filling a shared hub's link to its storage.",
    ).tag(config=True)
    max_open_listings = Int(
        8,
        help="Rucio listings (search results, collection contents) one server keeps open for "
        "paging. Opening one more closes the least recently used; its next page reads the "
        "listing again and skips what was already shown.",
    ).tag(config=True)
    listing_expiry = Float(
        120.0,
        help="Seconds an open listing is kept after its last page; a timer then closes it, "
        "so an idle user never holds a Rucio connection.",
    ).tag(config=True)

    @default("default_instance")
    def _default_instance_from_environment(self) -> str | None:
        return defaults_from_environment().get("default_instance")

    @default("default_auth_method")
    def _default_auth_method_from_environment(self) -> str:
        return defaults_from_environment().get("default_auth_method", "userpass")

    @observe("default_auth_type")
    def _alias_default_auth_type(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.default_auth_method = change["new"]

    @observe("log_level")
    def _apply_log_level(self, change: dict[str, Any]) -> None:
        if change["new"]:
            logging.getLogger("jupyterlab_rucio").setLevel(change["new"].upper())

    use_rucio_cfg = Bool(
        True, help="Without configured instances, derive one from the user's rucio.cfg."
    ).tag(config=True)

    preset_credential_file = Unicode(
        None,
        allow_none=True,
        help="A JSON file holding a credential stored for the user at start-up (demos): an "
        "object with instance, method and that method's fields, as the credentials endpoint "
        "takes them. A file rather than a value, so that no secret is ever part of the "
        "configuration, which Jupyter logs at --debug.",
    ).tag(config=True)

    def preset_credential(self, instances: dict[str, InstanceConfig]) -> dict[str, Any] | None:
        """The credential of `preset_credential_file`, checked; None when not configured."""
        if not self.preset_credential_file:
            return None
        where = "RucioConfig.preset_credential_file"
        try:
            preset = json.loads(Path(self.preset_credential_file).read_text())
        except (OSError, ValueError) as error:
            raise RucioConfigError(f"{where}: cannot read a JSON object ({error})") from error
        if not isinstance(preset, dict):
            raise RucioConfigError(f"{where} must hold a JSON object")
        if preset.get("instance") not in instances:
            raise RucioConfigError(f"{where}: instance must be a configured instance")
        if preset.get("method") not in AUTH_METHODS:
            raise RucioConfigError(f"{where}: method must be one of {', '.join(AUTH_METHODS)}")
        return preset

    def load_instances(self) -> dict[str, InstanceConfig]:
        """All instances by name; raises RucioConfigError naming the faulty field."""
        raws = list(self.instances)
        if not raws and self.use_environment:
            try:
                from_environment = instance_from_environment()
            except CompatError as error:
                raise RucioConfigError(str(error)) from error
            raws = [from_environment] if from_environment else []
        parsed = [parse_instance(raw, i) for i, raw in enumerate(raws)]
        if not parsed and self.use_rucio_cfg:
            path = rucio_cfg_path()
            if path is not None:
                parsed = [instance_from_rucio_cfg(path)]
        by_name: dict[str, InstanceConfig] = {}
        for instance in parsed:
            if instance.name in by_name:
                raise RucioConfigError(f"RucioConfig.instances: duplicate name {instance.name!r}")
            by_name[instance.name] = instance
        if self.default_instance is not None and self.default_instance not in by_name:
            raise RucioConfigError(
                f"RucioConfig.default_instance {self.default_instance!r} is not configured"
            )
        if self.default_auth_method not in AUTH_METHODS:
            raise RucioConfigError(
                f"RucioConfig.default_auth_method must be one of {', '.join(AUTH_METHODS)}"
            )
        for key in ("rucio_timeout", "max_workers", "upload_concurrency"):
            if getattr(self, key) <= 0:
                raise RucioConfigError(f"RucioConfig.{key} must be positive")
        if self.transfer_rate_limit < 0:
            raise RucioConfigError("RucioConfig.transfer_rate_limit must not be negative")
        return by_name
