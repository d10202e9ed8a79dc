"""The configuration of the rucio-jupyterlab extension, read as ours.

A hub that runs rucio-jupyterlab configures it with instance keys such as `rucio_base_url` and
`rse_mount_path`, or with `RUCIO_*` environment variables that its image turns into such an
instance at start-up. Both are accepted here so that a hub swaps the package without changing its
configuration: `ALIASES` is the one table from those keys to ours, `instance_from_environment`
reads the variables. Keys that neither extension knows are still refused by `parse_instance`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

# rucio-jupyterlab's instance key -> ours. A value of 0 for the lifetime meant "no lifetime" there.
ALIASES: dict[str, str] = {
    "rucio_base_url": "rucio_url",
    "rucio_auth_url": "auth_url",
    "rucio_webui_url": "webui_url",
    "rucio_ca_cert": "ca_cert",
    "site_name": "site",
    "rse_mount_path": "mount_path",
    "path_begins_at": "pfn_strip_segments",
    "replication_rule_lifetime_days": "default_lifetime_days",
}

# Keys of rucio-jupyterlab with no effect here: VOMS options (a proxy made by voms-proxy-init
# already carries its attributes), the WebUI app id and the cache time of remote configurations.
IGNORED = ("voms_enabled", "voms_vomses_path", "voms_certdir_path", "voms_vomsdir_path", "app_id")
IGNORED += ("cache_expires_at",)

# `oidc_auth` says where the token is: "env" (the variable `oidc_env_name`) or "file"
# (`oidc_file_name`); each becomes one of our two token sources.
OIDC_SOURCES = {
    "env": ("oidc_env_name", "oidc_token_env"),
    "file": ("oidc_file_name", "oidc_token_file"),
}


class CompatError(ValueError):
    """A key of rucio-jupyterlab's configuration has a value that cannot be read."""


def translate_instance(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """An instance written with rucio-jupyterlab's keys (or ours, or a mix), in our keys.

    Raises CompatError naming the field when an alias clashes with our key or `oidc_auth` is not
    one of its values. Unknown keys are passed through for `parse_instance` to refuse.
    """
    if "$url" in raw:
        raise CompatError(
            f"{where}.$url: remote instance configurations are not supported; write the "
            "instance's fields here"
        )
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in IGNORED or key in ("oidc_auth", "oidc_env_name", "oidc_file_name"):
            continue
        ours = ALIASES.get(key, key)
        if ours != key and ours in raw:
            raise CompatError(f"{where}.{key} and {where}.{ours} are the same field; set one")
        if key == "replication_rule_lifetime_days" and value in (0, None):
            continue
        out[ours] = value
    source = raw.get("oidc_auth")
    if source is not None:
        if source not in OIDC_SOURCES:
            raise CompatError(f"{where}.oidc_auth must be 'env' or 'file', not {source!r}")
        theirs, ours = OIDC_SOURCES[source]
        if raw.get(theirs):
            out.setdefault(ours, raw[theirs])
        else:
            raise CompatError(f"{where}.{theirs} is required when oidc_auth is {source!r}")
    return out


def _integer(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError as error:
            raise CompatError(f"{name} must be a whole number, not {text!r}") from error

    return parse


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes")


# RUCIO_* variable -> (rucio-jupyterlab's instance key, how to read the text).
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "RUCIO_NAME": ("name", str),
    "RUCIO_DISPLAY_NAME": ("display_name", str),
    "RUCIO_BASE_URL": ("rucio_base_url", str),
    "RUCIO_AUTH_URL": ("rucio_auth_url", str),
    "RUCIO_WEBUI_URL": ("rucio_webui_url", str),
    "RUCIO_CA_CERT": ("rucio_ca_cert", str),
    "RUCIO_SITE_NAME": ("site_name", str),
    "RUCIO_VO": ("vo", str),
    "RUCIO_DESTINATION_RSE": ("destination_rse", str),
    "RUCIO_RSE_MOUNT_PATH": ("rse_mount_path", str),
    "RUCIO_PATH_BEGINS_AT": ("path_begins_at", _integer("RUCIO_PATH_BEGINS_AT")),
    "RUCIO_REPLICATION_RULE_LIFETIME_DAYS": (
        "replication_rule_lifetime_days",
        _integer("RUCIO_REPLICATION_RULE_LIFETIME_DAYS"),
    ),
    "RUCIO_MODE": ("mode", str),
    "RUCIO_WILDCARD_ENABLED": ("wildcard_enabled", _flag),
    "RUCIO_OIDC_AUTH": ("oidc_auth", str),
    "RUCIO_OIDC_ENV_NAME": ("oidc_env_name", str),
    "RUCIO_OIDC_FILE_NAME": ("oidc_file_name", str),
}


def instance_from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The instance that rucio-jupyterlab's image builds from `RUCIO_*` variables, in its keys.

    None when `RUCIO_BASE_URL` is not set. The defaults are that image's: name "default",
    replica mode.
    """
    env = os.environ if env is None else env
    if not env.get("RUCIO_BASE_URL"):
        return None
    raw: dict[str, Any] = {"name": "default", "display_name": "Default Instance", "mode": "replica"}
    for variable, (key, parse) in ENVIRONMENT.items():
        text = env.get(variable)
        if text is not None and text != "":
            raw[key] = parse(text)
    return raw


def defaults_from_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`RUCIO_DEFAULT_INSTANCE` and `RUCIO_DEFAULT_AUTH_TYPE`, as RucioConfig trait names."""
    env = os.environ if env is None else env
    names = {
        "RUCIO_DEFAULT_INSTANCE": "default_instance",
        "RUCIO_DEFAULT_AUTH_TYPE": "default_auth_method",
    }
    return {trait: env[variable] for variable, trait in names.items() if env.get(variable)}
