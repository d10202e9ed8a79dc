"""Credentials per instance and method, validated against Rucio before they are stored."""

from __future__ import annotations

import os
from typing import Any

import tornado
from tornado.web import HTTPError

from ..client import iso_or_none, token_expiry
from ..config import AUTH_METHODS, InstanceConfig
from ..credentials import read_oidc_token
from ..login import credential_expiry, default_proxy_path, with_token_from_file
from ..paths import PathError, confine_to_root
from .base import RucioHandler, bad_request, string_field

ACCOUNT_MAX = 25


def credential_file(root: str, body: dict[str, Any], key: str) -> str:
    """A certificate, key or proxy path: absolute (e.g. /tmp/x509up_u1000) or under the root."""
    path = string_field(body, key)
    if "\x00" in path:
        raise bad_request(f"{key} contains NUL")
    if not os.path.isabs(path):
        try:
            return confine_to_root(root, path)
        except PathError as error:
            raise bad_request(f"{key}: {error}") from error
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        raise bad_request(f"{key}: {path} is not a readable regular file")
    return os.path.realpath(path)


class CredentialsHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        self.reply(self.rucio.store.public_view(instance))

    def credential_from_body(self, instance: InstanceConfig) -> dict[str, Any]:
        body = self.json_body()
        method = body.get("method")
        if method not in AUTH_METHODS:
            raise bad_request(f"method must be one of {', '.join(AUTH_METHODS)}")
        if method not in instance.auth_methods:
            raise bad_request(f"instance {instance.name} does not accept {method} credentials")
        account = string_field(body, "account", required=False, max_len=ACCOUNT_MAX)
        record: dict[str, Any] = {"method": method, "account": account}
        root = self.rucio.root_dir
        if method == "userpass":
            record["username"] = string_field(body, "username", max_len=255)
            record["password"] = string_field(body, "password", max_len=1024)
        elif method == "x509":
            record["cert_path"] = credential_file(root, body, "cert_path")
            record["key_path"] = credential_file(root, body, "key_path")
        elif method == "x509_proxy":
            # Empty: where voms-proxy-init leaves it (X509_USER_PROXY or /tmp/x509up_u<uid>).
            if not body.get("proxy_path"):
                body = dict(body, proxy_path=default_proxy_path())
            record["proxy_path"] = credential_file(root, body, "proxy_path")
        else:
            record["token"] = string_field(body, "token", required=False, max_len=16384)
            if body.get("token_file"):
                if record["token"]:
                    raise bad_request("give token or token_file, not both")
                record["token_file"] = credential_file(root, body, "token_file")
            elif not record["token"] and not read_oidc_token(instance):
                raise bad_request("no OIDC token given and the hub provides none")
        return record

    @tornado.web.authenticated
    async def put(self) -> None:
        instance = self.current_instance()
        record = self.credential_from_body(instance)
        check = dict(record)
        if check["method"] == "oidc" and not check.get("token") and not check.get("token_file"):
            check["token"] = read_oidc_token(instance)
        result = await self.rucio.gateway.validate(instance, check)
        record["account"] = record["account"] or result["account"]
        self.rucio.store.save(instance.name, record["method"], record)
        self.reply(
            {
                "instance": instance.name,
                "method": record["method"],
                "account": result["account"],
                "expires_at": result["expires_at"],
                "credential_expires_at": result["credential_expires_at"],
            }
        )

    @tornado.web.authenticated
    async def delete(self) -> None:
        instance = self.current_instance()
        method = self.get_query_argument("method", None)
        if method not in AUTH_METHODS:
            raise bad_request(f"query parameter method must be one of {', '.join(AUTH_METHODS)}")
        self.rucio.store.delete(instance.name, method)
        self.set_status(204)
        self.finish()


class WhoamiHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        credential = self.rucio.store.active(instance)
        if credential is None:
            raise HTTPError(401, f"No Rucio credentials saved for instance {instance.name}")
        client, account = await self.rucio.client(instance)
        expires_at = await self.rucio.gateway.run(token_expiry, client)
        # How long the proxy, certificate or OIDC token itself lasts (None for a password).
        until = await self.rucio.gateway.run(
            lambda: iso_or_none(credential_expiry(with_token_from_file(credential)))
        )
        self.reply(
            {
                "instance": instance.name,
                "account": account,
                "method": credential["method"],
                "expires_at": expires_at,
                "credential_expires_at": until,
            }
        )
