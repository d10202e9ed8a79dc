"""Per-user credential store: one 0600 JSON file per instance in a 0700 directory.

Secrets (passwords, OIDC tokens) stay on the server: `public_view` is the only shape that is
ever sent to the browser.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from .config import AUTH_METHODS, InstanceConfig

# Fields each method stores; anything else in a request is dropped.
_STORED_FIELDS = {
    "userpass": ("username", "password", "account"),
    "x509": ("cert_path", "key_path", "account"),
    "x509_proxy": ("proxy_path", "account"),
    # An OIDC token typed in (`token`) or the path of a file that holds the current one.
    "oidc": ("token", "token_file", "account"),
}


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private_json(path: Path, data: Any) -> None:
    """Atomically replace `path`; the file is 0600 from its first byte."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_json(path: Path, default: Any) -> Any:
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return default


def read_oidc_token(instance: InstanceConfig) -> str | None:
    """The token JupyterHub hands to the single-user server, read fresh on every use."""
    if instance.oidc_token_env:
        return os.environ.get(instance.oidc_token_env) or None
    if instance.oidc_token_file:
        try:
            return Path(instance.oidc_token_file).read_text().strip() or None
        except OSError:
            return None
    return None


class CredentialStore:
    def __init__(self, root: Path) -> None:
        self._dir = root / "credentials"
        self._state_path = root / "state.json"
        self._lock = threading.Lock()
        # Every request reads the active credential: a file is parsed again only when it changed.
        self._parsed: dict[Path, tuple[tuple, Any]] = {}

    def _path(self, instance: str) -> Path:
        return self._dir / f"{instance}.json"

    def _read(self, path: Path) -> Any:
        """`read_json(path, {})` for reading only: the parse of the file as it was at its last
        change (one stat call, not an open, a read and a parse). Never to be modified."""
        try:
            stat = os.stat(path)
        except OSError:
            self._parsed.pop(path, None)
            return {}
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        known = self._parsed.get(path)
        if known is None or known[0] != stamp:
            known = (stamp, read_json(path, {}))
            self._parsed[path] = known
        return known[1]

    def _load(self, instance: str, *, to_change: bool = False) -> dict[str, Any]:
        path = self._path(instance)
        data = read_json(path, {}) if to_change else self._read(path)
        if not isinstance(data, dict):
            data = {}
        if not to_change:
            data = dict(data)  # the parse stays as read; the defaults below go on a copy
        data.setdefault("method", None)
        data.setdefault("saved", {})
        return data

    def save(self, instance: str, method: str, record: dict[str, Any]) -> None:
        if method not in AUTH_METHODS:
            raise ValueError(method)
        kept = {k: record.get(k) for k in _STORED_FIELDS[method] if record.get(k) is not None}
        with self._lock:
            data = self._load(instance, to_change=True)
            data["saved"][method] = kept
            data["method"] = method
            write_private_json(self._path(instance), data)

    def delete(self, instance: str, method: str) -> None:
        with self._lock:
            data = self._load(instance, to_change=True)
            data["saved"].pop(method, None)
            if data["method"] == method:
                data["method"] = next(iter(data["saved"]), None)
            write_private_json(self._path(instance), data)

    def active(self, instance: InstanceConfig) -> dict[str, Any] | None:
        """The credential to use: saved one, else the rucio.cfg one, else the hub's OIDC token."""
        data = self._load(instance.name)
        method = data["method"]
        if method and method in data["saved"]:
            record = dict(data["saved"][method], method=method)
            if method == "oidc" and not record.get("token") and not record.get("token_file"):
                record["token"] = read_oidc_token(instance)
            return record
        if instance.implicit_credential:
            return dict(instance.implicit_credential)
        token = read_oidc_token(instance)
        if token:
            return {"method": "oidc", "token": token, "account": None}
        return None

    def public_view(self, instance: InstanceConfig) -> dict[str, Any]:
        data = self._load(instance.name)
        saved: dict[str, Any] = {}
        for method, record in data["saved"].items():
            account = record.get("account")
            if method == "userpass":
                saved[method] = {
                    "username": record.get("username", ""),
                    "account": account,
                    "has_password": bool(record.get("password")),
                }
            elif method == "x509":
                saved[method] = {
                    "cert_path": record.get("cert_path", ""),
                    "key_path": record.get("key_path", ""),
                    "account": account,
                }
            elif method == "x509_proxy":
                saved[method] = {"proxy_path": record.get("proxy_path", ""), "account": account}
            elif method == "oidc":
                if record.get("token_file"):
                    source = f"file:{record['token_file']}"
                elif record.get("token"):
                    source = "stored"
                else:
                    source = instance.oidc_token_source() or "stored"
                saved[method] = {"account": account, "token_source": source}
                if record.get("token_file"):
                    saved[method]["token_file"] = record["token_file"]
        method = data["method"] if data["method"] in saved else None
        if method is None and not saved:
            implicit = instance.implicit_credential
            if implicit is None and read_oidc_token(instance):
                method = "oidc"
                saved["oidc"] = {"account": None, "token_source": instance.oidc_token_source()}
            elif implicit is not None:
                method = implicit["method"]
        return {"instance": instance.name, "method": method, "saved": saved}

    def active_instance(self) -> str | None:
        state = self._read(self._state_path)
        return state.get("active_instance") if isinstance(state, dict) else None

    def set_active_instance(self, name: str) -> None:
        with self._lock:
            state = read_json(self._state_path, {})
            state = state if isinstance(state, dict) else {}
            state["active_instance"] = name
            write_private_json(self._state_path, state)
