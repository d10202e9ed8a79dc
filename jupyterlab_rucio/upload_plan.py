"""What an upload will do, checked before anything is written: the files of the selection
(folders expanded, paths confined to the Jupyter root), their DID names, and Rucio's answer to
"may this account put these bytes there?" (scope, RSE, quota, names taken, storage reachable).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from rucio.common.exception import RSENotFound

from .dids import NAME
from .paths import PathError, confine_to_root
from .transfers import FileStamp
from .upload_rucio import (
    UploadRefused,
    check_rse_writable,
    dataset_state,
    existing_files,
    target_paths,
    writable_rses,
    writable_scopes,
)

MAX_UPLOAD_FILES = 10000


@dataclass
class SelectedFile:
    path: str  # relative to the Jupyter root, as the browser names it
    absolute: str
    name: str  # the DID name (without scope)
    stamp: FileStamp
    target: str | None = None  # local path of the file's PFN on the RSE
    existing: dict[str, Any] | None = None  # the same name in Rucio, same size

    @property
    def size(self) -> int:
        return self.stamp.size


@dataclass
class UploadPlan:
    rse: str
    scope: str
    lifetime_days: float | None
    dataset: tuple[str, str] | None
    files: list[SelectedFile] = field(default_factory=list)
    dataset_new: bool = False


def _format_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def _walk(root: str, folder_rel: str, folder_abs: str) -> list[tuple[str, str, str]]:
    """Files under a folder: (relative path, absolute path, DID name keeping the folder)."""
    found = []
    base = os.path.basename(folder_abs.rstrip("/"))
    for current, dirs, files in os.walk(folder_abs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            absolute = os.path.join(current, name)
            inner = os.path.relpath(absolute, folder_abs).replace(os.sep, "/")
            rel = f"{folder_rel.rstrip('/')}/{inner}"
            found.append((rel, confine_to_root(root, rel), f"{base}/{inner}"))
            if len(found) > MAX_UPLOAD_FILES:
                raise PathError(f"{folder_rel}: more than {MAX_UPLOAD_FILES} files")
    return found


def expand_selection(root: str, entries: list[dict[str, Any]]) -> list[SelectedFile]:
    """Files of the selection. `entries` hold `path` and optionally `name` (files only).

    Raises PathError for a path outside the root (absolute, '..', a symlink out), a missing
    path, an invalid or twice-used DID name.
    """
    files: list[SelectedFile] = []
    names: dict[str, str] = {}
    for index, entry in enumerate(entries):
        relative = entry.get("path")
        try:
            absolute = confine_to_root(root, relative, must_be_file=False)
        except PathError as error:
            raise PathError(f"files[{index}]: {error}") from error
        if os.path.isdir(absolute):
            found = _walk(root, str(relative), absolute)
        elif os.path.isfile(absolute):
            found = [(str(relative), absolute, entry.get("name") or os.path.basename(absolute))]
        else:
            raise PathError(f"files[{index}]: {relative}: no such file or folder")
        for rel, path, name in found:
            if not isinstance(name, str) or not NAME.match(name):
                raise PathError(
                    f"{rel}: {name!r} is not a valid Rucio name (letters, digits, '/', '.', "
                    "'-', '_'; at most 250 characters, not starting with '.', '-' or '_')"
                )
            if name in names:
                raise PathError(f"{rel}: the name {name!r} is used twice (also by {names[name]})")
            names[name] = rel
            files.append(SelectedFile(rel, path, name, FileStamp.of(path)))
            if len(files) > MAX_UPLOAD_FILES:
                raise PathError(f"at most {MAX_UPLOAD_FILES} files per upload")
    if not files:
        raise PathError("the selection holds no files")
    return files


def prepare(client: Any, account: str, plan: UploadPlan) -> UploadPlan:
    """Check the plan against Rucio (blocking) and fill in targets and existing files.

    Raises UploadRefused with the reason; nothing is changed in Rucio or on the storage."""
    scopes = writable_scopes(client, account)
    for scope in {plan.scope, plan.dataset[0] if plan.dataset else plan.scope}:
        if scope not in scopes:
            if scope not in client.list_scopes():
                raise UploadRefused(400, f"unknown scope {scope!r}")
            raise UploadRefused(403, f"account {account} may not write into scope {scope!r}")
    rses = {r["name"]: r for r in writable_rses(client, account)}
    if plan.rse not in rses:
        try:
            client.get_rse(plan.rse)
        except RSENotFound as error:
            raise UploadRefused(400, f"unknown RSE {plan.rse}") from error
        raise UploadRefused(403, f"account {account} has no quota on {plan.rse}: no uploads there")

    existing = existing_files(client, plan.scope, [f.name for f in plan.files])
    clashes = []
    for item in plan.files:
        meta = existing.get(item.name)
        if meta is None:
            continue
        if meta["type"] != "FILE" or meta["bytes"] != item.size:
            clashes.append(f"{plan.scope}:{item.name}")
        else:
            item.existing = meta  # same size: the checksum decides during the upload
    if clashes:
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        shown = ", ".join(clashes[:5]) + more
        raise UploadRefused(
            409, f"already in Rucio with different content: {shown}; choose other names"
        )

    to_copy = [f for f in plan.files if f.existing is None]
    needed = sum(f.size for f in to_copy)
    remaining = rses[plan.rse]["remaining_bytes"]
    if remaining is not None and needed > remaining:
        quota = rses[plan.rse]["quota_bytes"] or 0
        raise UploadRefused(
            403,
            f"quota exceeded on {plan.rse}: the selection needs {_format_bytes(needed)} but only "
            f"{_format_bytes(remaining)} of your {_format_bytes(quota)} quota is left",
        )
    if to_copy:
        targets = target_paths(client, plan.rse, plan.scope, [f.name for f in to_copy])
        for item in to_copy:
            item.target = targets[item.name]
    check_rse_writable(client, plan.rse, to_copy[0].target if to_copy else None)
    if plan.dataset:
        plan.dataset_new = dataset_state(client, *plan.dataset) == "new"
    return plan
