"""The Rucio side of uploads (blocking calls, run on the gateway's pool): where the account may
write, what exists already, where the bytes go, and registering files once their bytes are
verified. Every call here is bulk: a job of N files costs a bounded number of Rucio requests.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from rucio.common import exception as rucio_errors

from .client import REPLICA_SORT, rucio_reason
from .transfers import TransferError, local_path_of_pfn

# The server refuses more than 1000 files per add_replicas; smaller batches keep each call quick.
REGISTER_BATCH = 100
# lfns2pfns sends the names in the URL: keep it well below the usual 4 KiB request-line limit.
MAX_URL_NAMES_CHARS = 3000
METADATA_BATCH = 500


class UploadRefused(Exception):
    """The upload cannot start; nothing was changed. `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _bytes_or_none(value: Any) -> int | None:
    if value is None:
        return None
    number = float(value)
    if number < 0 or math.isinf(number):
        return None
    return int(number)


def writable_rses(client: Any, account: str) -> list[dict[str, Any]]:
    """RSEs with a quota for the account. null quota = unlimited."""
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


def _is_admin(client: Any, account: str) -> bool:
    attributes = [a for group in client.list_account_attributes(account) for a in group]
    return any(
        a.get("key") == "admin" and str(a.get("value")).lower() == "true" for a in attributes
    )


def writable_scopes(client: Any, account: str) -> list[str]:
    """Rucio lets an account add files to its own scopes, and admins to any."""
    if _is_admin(client, account):
        return sorted(client.list_scopes())
    return sorted(client.list_scopes_for_account(account))


def may_write_scope(client: Any, account: str, scope: str) -> bool:
    if scope in client.list_scopes_for_account(account):
        return True
    return _is_admin(client, account)


def existing_files(client: Any, scope: str, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The DIDs among `names` that exist in the scope, with type, size and adler32."""
    names = list(names)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(names), METADATA_BATCH):
        dids = [{"scope": scope, "name": n} for n in names[start : start + METADATA_BATCH]]
        for meta in client.get_metadata_bulk(dids):
            kind = str(getattr(meta.get("did_type"), "name", meta.get("did_type")) or "FILE")
            found[meta["name"]] = {
                "name": meta["name"],
                "type": kind.split(".")[-1].upper(),
                "bytes": meta.get("bytes"),
                "adler32": meta.get("adler32"),
            }
    return found


def _lfn_batches(lfns: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    length = 0
    for lfn in lfns:
        cost = len(quote(lfn, safe="")) + 5
        if batch and length + cost > MAX_URL_NAMES_CHARS:
            yield batch
            batch, length = [], 0
        batch.append(lfn)
        length += cost
    if batch:
        yield batch


def target_paths(client: Any, rse: str, scope: str, names: list[str]) -> dict[str, str]:
    """Where each file's bytes go on the RSE, as local paths of its file:// PFNs."""
    pfns: dict[str, str] = {}
    for batch in _lfn_batches([f"{scope}:{n}" for n in names]):
        pfns.update(client.lfns2pfns(rse, batch, operation="write"))
    paths = {}
    for name in names:
        pfn = pfns.get(f"{scope}:{name}")
        if not pfn:
            raise UploadRefused(502, f"Rucio gave no storage path for {scope}:{name} on {rse}")
        try:
            paths[name] = local_path_of_pfn(pfn, "uploads")
        except TransferError as error:
            raise UploadRefused(400, f"{rse}: {error}") from error
    return paths


def check_rse_writable(client: Any, rse: str, sample_path: str | None) -> None:
    """Refuse an RSE that is closed for writing or whose storage this server cannot reach."""
    info = client.get_rse(rse)
    if info.get("availability_write") is False:
        raise UploadRefused(403, f"{rse} does not accept new files at the moment")
    if sample_path is None:
        return
    directory = os.path.dirname(sample_path)
    while directory and not os.path.isdir(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if not os.access(directory, os.W_OK):
        raise UploadRefused(
            403, f"the storage of {rse} is not writable from this server ({directory})"
        )


def dataset_state(client: Any, scope: str, name: str) -> str:
    """'new' when the dataset does not exist yet, 'open' when files may be attached."""
    try:
        info = client.get_did(scope, name)
    except rucio_errors.DataIdentifierNotFound:
        return "new"
    kind = str(info.get("type") or "").split(".")[-1].upper()
    if kind != "DATASET":
        raise UploadRefused(400, f"{scope}:{name} exists and is a {kind.lower()}, not a dataset")
    if info.get("open") is False:
        raise UploadRefused(400, f"dataset {scope}:{name} is closed; no files can be added")
    return "open"


def registered_on(client: Any, rse: str, scope: str, names: list[str]) -> set[str]:
    """Names that have a replica registered on the RSE (any state)."""
    found: set[str] = set()
    for start in range(0, len(names), METADATA_BATCH):
        dids = [{"scope": scope, "name": n} for n in names[start : start + METADATA_BATCH]]
        for replica in client.list_replicas(
            dids, rse_expression=rse, all_states=True, ignore_availability=True, sort=REPLICA_SORT
        ):
            if replica.get("rses"):
                found.add(replica["name"])
    return found


def add_available_replicas(client: Any, rse: str, scope: str, files: list[dict]) -> None:
    """Register verified bytes: replicas AVAILABLE at once, with size and adler32."""
    client.add_replicas(
        rse,
        [
            {
                "scope": scope,
                "name": f["name"],
                "bytes": f["bytes"],
                "adler32": f["adler32"],
                "state": "A",
            }
            for f in files
        ],
    )


def link_files(
    client: Any,
    rse: str,
    scope: str,
    names: list[str],
    lifetime_seconds: int | None,
    dataset: tuple[str, str] | None,
    create_dataset: bool,
) -> None:
    """Rules for the files (with the job's lifetime) and membership of the dataset, which is
    created here, once the first files are in Rucio."""
    dids = [{"scope": scope, "name": n} for n in names]
    if dataset is not None:
        if create_dataset:
            try:
                client.add_dataset(scope=dataset[0], name=dataset[1], lifetime=lifetime_seconds)
            except rucio_errors.DataIdentifierAlreadyExists:
                pass
        client.attach_dids_to_dids(
            [{"scope": dataset[0], "name": dataset[1], "dids": dids}], ignore_duplicate=True
        )
    _add_rules(client, rse, dids, lifetime_seconds)


def _add_rules(client: Any, rse: str, dids: list[dict], lifetime: int | None) -> None:
    try:
        client.add_replication_rule(dids, 1, rse, lifetime=lifetime)
    except rucio_errors.DuplicateRule:
        # Some files carry this account's rule on the RSE already (a re-upload): one by one.
        for did in dids:
            try:
                client.add_replication_rule([did], 1, rse, lifetime=lifetime)
            except rucio_errors.DuplicateRule:
                pass


_REASONS: list[tuple[tuple[type[BaseException], ...], str]] = [
    ((rucio_errors.InsufficientAccountLimit,), "quota exceeded on the RSE"),
    (
        (
            rucio_errors.CannotAuthenticate,
            rucio_errors.NoAuthInformation,
            rucio_errors.CannotAuthorize,
        ),
        "your Rucio credentials expired or were refused; sign in again, then retry",
    ),
    (
        (rucio_errors.AccessDenied, rucio_errors.ScopeAccessDenied, rucio_errors.RSEAccessDenied),
        "no permission",
    ),
    (
        (rucio_errors.RSEWriteBlocked, rucio_errors.ResourceTemporaryUnavailable),
        "the RSE does not accept new files at the moment",
    ),
    (
        (rucio_errors.FileConsistencyMismatch, rucio_errors.DataIdentifierAlreadyExists),
        "a DID with this name already exists with different content",
    ),
    ((rucio_errors.ServerConnectionException,), "Rucio is unreachable"),
]


def user_reason(error: BaseException) -> str:
    """A failure in words a user understands, with Rucio's own detail where it helps."""
    import requests

    if isinstance(error, TransferError):
        return str(error)
    if isinstance(error, (requests.ConnectionError, requests.Timeout)):
        return "Rucio is unreachable"
    for classes, reason in _REASONS:
        if isinstance(error, classes):
            detail = rucio_reason(error)
            return f"{reason}: {detail}" if detail and detail != type(error).__name__ else reason
    if isinstance(error, PermissionError):
        return f"the storage refused the write: {error.strerror}"
    if isinstance(error, OSError):
        return f"the storage could not be written: {error.strerror or error}"
    return rucio_reason(error)
