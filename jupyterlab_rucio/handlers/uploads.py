"""Uploads: where the user may write (with quota), what a selection holds, and upload jobs.

Thin: the checks against Rucio live in ..upload_plan, the jobs in ..uploads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import tornado
from tornado.web import HTTPError

from ..dids import NAME, SCOPE
from ..paths import PathError
from ..upload_plan import UploadPlan, expand_selection, prepare
from ..upload_rucio import UploadRefused, existing_files, writable_rses, writable_scopes
from ..uploads import JobConflict
from .base import RucioHandler, bad_request, lifetime_field, string_field

RSE_NAME = re.compile(r"^[A-Z0-9]+([_-][A-Z0-9]+)*$")
MAX_SELECTED = 1000
MAX_CHECKED_NAMES = 10000
JOB_ID = re.compile(r"^[0-9a-f]{1,64}$")
T = TypeVar("T")


class UploadHandler(RucioHandler):
    async def run_checked(self, func: Callable[..., T], *args: Any) -> T:
        """A blocking call on the gateway's pool; an UploadRefused becomes its HTTP status."""
        try:
            return await self.rucio.gateway.run(func, *args, passthrough=(UploadRefused, PathError))
        except UploadRefused as refused:
            raise HTTPError(refused.status, refused.message) from refused
        except PathError as error:
            raise bad_request(str(error)) from error

    def selection(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """`files` ([{path, name}]) or `paths` ([path]) from the body, shape-checked."""
        if "files" in body:
            entries = body["files"]
            if not isinstance(entries, list) or not entries:
                raise bad_request("field 'files' must be a non-empty list of {path, name}")
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                    raise bad_request(f"files[{index}] must be an object with a 'path'")
                if entry.get("name") is not None and not isinstance(entry["name"], str):
                    raise bad_request(f"files[{index}].name must be a string")
        else:
            paths = body.get("paths")
            if not isinstance(paths, list) or not paths:
                raise bad_request("field 'paths' must be a non-empty list of paths")
            for index, path in enumerate(paths):
                if not isinstance(path, str):
                    raise bad_request(f"paths[{index}] must be a string")
            entries = [{"path": p} for p in paths]
        if len(entries) > MAX_SELECTED:
            raise bad_request(f"at most {MAX_SELECTED} files or folders per upload")
        return entries

    def scope_field(self, body: dict[str, Any]) -> str:
        scope = string_field(body, "scope", max_len=25)
        if not SCOPE.match(scope):
            raise bad_request(f"scope {scope!r} is not a valid Rucio scope")
        return scope


class RsesHandler(UploadHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        client, account = await self.rucio.client(self.current_instance())
        self.reply({"rses": await self.rucio.gateway.run(writable_rses, client, account)})


class UploadScopesHandler(UploadHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        client, account = await self.rucio.client(self.current_instance())
        self.reply({"scopes": await self.rucio.gateway.run(writable_scopes, client, account)})


class UploadSelectionHandler(UploadHandler):
    """The files a selection of files and folders would upload, with default DID names."""

    @tornado.web.authenticated
    async def post(self) -> None:
        self.current_instance()
        entries = self.selection(self.json_body())
        files = await self.run_checked(expand_selection, self.rucio.root_dir, entries)
        self.reply(
            {
                "files": [{"path": f.path, "name": f.name, "bytes": f.size} for f in files],
                "bytes": sum(f.size for f in files),
            }
        )


class UploadNamesHandler(UploadHandler):
    """Which of these names exist in the scope already (one bulk Rucio call)."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        scope = self.scope_field(body)
        names = body.get("names")
        if not isinstance(names, list) or len(names) > MAX_CHECKED_NAMES:
            raise bad_request(f"field 'names' must be a list of at most {MAX_CHECKED_NAMES}")
        if not all(isinstance(n, str) for n in names):
            raise bad_request("field 'names' must hold strings")
        valid = [n for n in names if NAME.match(n)]  # an invalid name cannot exist in Rucio
        client, _ = await self.rucio.client(self.current_instance())
        found = await self.rucio.gateway.run(existing_files, client, scope, valid)
        existing = [{k: m[k] for k in ("name", "type", "bytes")} for m in found.values()]
        self.reply({"existing": existing})


class UploadsHandler(UploadHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        instance = self.current_instance()
        self.reply({"jobs": self.rucio.uploads.list(instance.name)})

    @tornado.web.authenticated
    async def post(self) -> None:
        instance = self.current_instance()
        body = self.json_body()
        entries = self.selection(body)
        rse = string_field(body, "rse", max_len=255)
        if not RSE_NAME.match(rse):
            raise bad_request(f"rse {rse!r} is not a valid RSE name")
        scope = self.scope_field(body)
        lifetime = lifetime_field(body)
        dataset_text = string_field(body, "dataset", required=False, max_len=300)
        dataset = None
        if dataset_text:
            if ":" not in dataset_text:
                dataset_text = f"{scope}:{dataset_text}"
            did = self.parse_did(dataset_text, field="dataset")
            dataset = (did.scope, did.name)
        files = await self.run_checked(expand_selection, self.rucio.root_dir, entries)
        client, account = await self.rucio.client(instance)
        plan = UploadPlan(rse, scope, lifetime, dataset, files)
        plan = await self.run_checked(prepare, client, account, plan)
        self.reply(self.rucio.uploads.start(instance.name, account, client, plan), status=202)


class JobRoute(UploadHandler):
    def job_id(self, job_id: str) -> str:
        if not JOB_ID.match(job_id) or self.rucio.uploads.get(job_id) is None:
            raise HTTPError(404, f"No upload job {job_id[:64]!r}")
        return job_id


class UploadJobHandler(JobRoute):
    @tornado.web.authenticated
    async def get(self, job_id: str) -> None:
        self.reply(self.rucio.uploads.get(self.job_id(job_id)))

    @tornado.web.authenticated
    async def delete(self, job_id: str) -> None:
        """Remove a finished job (?remove=1 is implied); cancel a running one first."""
        job_id = self.job_id(job_id)
        instance = self.current_instance()

        async def client() -> Any:
            return (await self.rucio.client(instance))[0]

        try:
            await self.rucio.uploads.remove(job_id, client)
        except JobConflict as error:
            raise HTTPError(409, str(error)) from error
        self.set_status(204)
        self.finish()


class UploadJobActionHandler(JobRoute):
    """POST uploads/<id>/cancel and uploads/<id>/retry."""

    @tornado.web.authenticated
    async def post(self, job_id: str, action: str) -> None:
        job_id = self.job_id(job_id)
        if action == "cancel":
            self.reply(self.rucio.uploads.cancel(job_id))
            return
        client, _ = await self.rucio.client(self.current_instance())
        try:
            self.reply(await self.rucio.uploads.retry(job_id, client))
        except JobConflict as error:
            raise HTTPError(409, str(error)) from error
