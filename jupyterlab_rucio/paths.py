"""Paths: Rucio PFNs mapped onto the hub's mount, and browser paths confined to the Jupyter root."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse


class PathError(ValueError):
    """A path is not acceptable; the message says why."""


def pfn_to_local_path(
    pfn: str, mount_path: str, prefix: str | None = None, strip_segments: int = 0
) -> str:
    """Where a file on the hub RSE appears on this machine.

    `root://host:1094//eos/data/scope/f` with prefix `/eos/data` and mount `/mnt/rse` gives
    `/mnt/rse/scope/f`. Without a prefix the first `strip_segments` path segments are dropped.
    (Called once per file of a dataset: string work only, no Path objects.)
    """
    parsed = urlparse(pfn)
    path = unquote(parsed.path if parsed.scheme else pfn)
    path = "/" + path.lstrip("/")
    if prefix:
        root = "/" + prefix.strip("/")
        if path != root and not path.startswith(root + "/"):
            raise PathError(f"PFN {pfn} is not under {root}")
        parts = [p for p in path[len(root) :].split("/") if p and p != "."]
    else:
        parts = [p for p in path.split("/") if p][strip_segments:]
        parts = [p for p in parts if p != "."]
    if ".." in parts:
        raise PathError(f"PFN {pfn} leaves the mount")
    mount = _mount_root(mount_path)
    if not parts:
        return mount
    return (mount if mount.endswith("/") else mount + "/") + "/".join(parts)


@lru_cache(maxsize=16)
def _mount_root(mount_path: str) -> str:
    return str(PurePosixPath(mount_path))


def confine_to_root(root: str, relative: object, *, must_be_file: bool = True) -> str:
    """Absolute real path of `relative` inside `root`, or PathError.

    Refuses absolute paths, `..`, and symlinks that lead out of the root.
    """
    if not isinstance(relative, str) or not relative.strip():
        raise PathError("path must be a non-empty string")
    if len(relative) > 4096 or "\x00" in relative:
        raise PathError("path is too long or contains NUL")
    if relative.startswith(("/", "\\")) or os.path.isabs(relative):
        raise PathError(
            f"{relative}: absolute paths are not allowed; give a path in Jupyter's root"
        )
    if ".." in PurePosixPath(relative.replace("\\", "/")).parts:
        raise PathError(f"{relative}: '..' is not allowed")
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, relative))
    if os.path.commonpath([real_root, target]) != real_root:
        raise PathError(f"{relative}: leads outside Jupyter's root")
    if must_be_file and not os.path.isfile(target):
        raise PathError(f"{relative}: no such file")
    return target
