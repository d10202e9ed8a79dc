"""Uploads: where the user may write (with quota), and upload jobs."""

from __future__ import annotations

import math
import os
import re
from typing import Any

import tornado
from tornado.web import HTTPError

from ..dids import NAME, SCOPE
from ..paths import PathError, confine_to_root
from .base import RucioHandler, bad_request, lifetime_field, string_field

RSE_NAME = re.compile(r"^[A-Z0-9]+([_-][A-Z0-9]+)*$")
MAX_UPLOAD_FILES = 1000
JOB_ID = re.compile(r"^[0-9a-f]{1,64}$")


def _bytes_or_none(value: Any) -> int | None:
    if value is None:
        return None
    number = float(value)
    if number < 0 or math.isinf(number):
        return None
    return int(number)


def writable_rses(client: Any, account: str) -> list[dict[str, Any]]:
    """RSEs with a quota for the account (blocking). null quota = unlimited."""
    limits = client.get_local_account_limits(account) or {}
    usage = {u["rse"]: u for u in client.get_local_account_usage(account)}
    rses = []
    for rse in sorted(limits):
        quota = _bytes_or_none(limits[rse])
        if quota == 0:
            continue
        used = _bytes_or_none(usage.get(rse, {}).get("bytes")) or 0
        rses.append(
            {
                "name": rse,
                "quota_bytes": quota,
                "used_bytes": used,
                "remaining_bytes": None if quota is None else max(0, quota - used),
            }
        )
    return rses


def may_write_scope(client: Any, account: str, scope: str) -> bool:
    """Rucio lets an account add files to its own scopes, and admins to any (blocking)."""
    if scope in client.list_scopes_for_account(account):
        return True
    attributes = [a for group in client.list_account_attributes(account) for a in group]
    return any(
        a.get("key") == "admin" and str(a.get("value")).lower() == "true" for a in attributes
    )


class RsesHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        client, account = await self.rucio.client(self.current_instance())
        self.reply({"rses": await self.rucio.gateway.run(writable_rses, client, account)})


class UploadsHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        self.reply({"jobs": self.rucio.uploads.list(instance.name)})

    def checked_files(self, body: dict[str, Any]) -> list[tuple[str, str, str, int]]:
        paths = body.get("paths")
        if not isinstance(paths, list) or not paths:
            raise bad_request("field 'paths' must be a non-empty list of paths")
        if len(paths) > MAX_UPLOAD_FILES:
            raise bad_request(f"at most {MAX_UPLOAD_FILES} files per upload")
        files, names = [], set()
        for index, relative in enumerate(paths):
            try:
                absolute = confine_to_root(self.rucio.root_dir, relative)
            except PathError as error:
                raise bad_request(f"paths[{index}]: {error}") from error
            name = os.path.basename(absolute)
            if not NAME.match(name):
                raise bad_request(f"paths[{index}]: {name!r} is not a valid Rucio file name")
            if name in names:
                raise bad_request(f"paths[{index}]: two files are named {name!r}")
            names.add(name)
            files.append((relative, absolute, name, os.path.getsize(absolute)))
        return files

    @tornado.web.authenticated
    async def post(self) -> None:
        instance = self.current_instance()
        body = self.json_body()
        files = self.checked_files(body)
        rse = string_field(body, "rse", max_len=255)
        if not RSE_NAME.match(rse):
            raise bad_request(f"rse {rse!r} is not a valid RSE name")
        scope = string_field(body, "scope", max_len=25)
        if not SCOPE.match(scope):
            raise bad_request(f"scope {scope!r} is not a valid Rucio scope")
        lifetime = lifetime_field(body)
        dataset_text = string_field(body, "dataset", required=False, max_len=300)
        dataset = None
        if dataset_text:
            if ":" not in dataset_text:
                dataset_text = f"{scope}:{dataset_text}"
            did = self.parse_did(dataset_text, field="dataset")
            dataset = (did.scope, did.name)

        client, account = await self.rucio.client(instance)
        # Check against Rucio before anything is written, so bad input changes nothing.
        scopes = await self.rucio.gateway.run(client.list_scopes)
        if scope not in scopes:
            raise bad_request(f"unknown scope {scope!r}")
        if dataset and dataset[0] not in scopes:
            raise bad_request(f"unknown scope {dataset[0]!r} in dataset")
        if not await self.rucio.gateway.run(may_write_scope, client, account, scope):
            raise HTTPError(403, f"account {account} may not upload into scope {scope!r}")
        allowed = await self.rucio.gateway.run(writable_rses, client, account)
        if rse not in {r["name"] for r in allowed}:
            raise bad_request(f"account {account} may not upload to {rse!r}")
        job = self.rucio.uploads.start(instance.name, client, files, rse, scope, lifetime, dataset)
        self.reply(job, status=202)


class UploadJobHandler(RucioHandler):
    @tornado.web.authenticated
    async def get(self, job_id: str) -> None:
        job = self.rucio.uploads.get(job_id) if JOB_ID.match(job_id) else None
        if job is None:
            raise HTTPError(404, f"No upload job {job_id[:64]!r}")
        self.reply(job)

    @tornado.web.authenticated
    async def delete(self, job_id: str) -> None:
        job = self.rucio.uploads.cancel(job_id) if JOB_ID.match(job_id) else None
        if job is None:
            raise HTTPError(404, f"No upload job {job_id[:64]!r}")
        self.reply(job)
