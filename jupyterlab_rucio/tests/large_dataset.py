"""A dataset of 10,000 files at the hub RSE, registered once in the local Rucio and reused.

Created by root in its own scope (`scale`), so that the seeded scopes other tests count stay
as they are. Files get real bytes under the hub RSE's directory and are registered in bulk with
their size and adler32. A run that was interrupted half-way is completed by the next one.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from rucio.client import Client
from rucio.common.exception import (
    DataIdentifierAlreadyExists,
    DataIdentifierNotFound,
    Duplicate,
    FileAlreadyExists,
    FileReplicaAlreadyExists,
)

SCOPE = "scale"
NAME = "files.10k"
FILES = 10_000
CHUNK = 200
DID = f"{SCOPE}:{NAME}"


def file_name(index: int) -> str:
    return f"big/file.{index:05d}.dat"


def file_bytes(index: int) -> bytes:
    return f"jupyterlab-rucio scale test file {index:05d}\n".encode()


def root_client(env: dict[str, str]) -> Client:
    return Client(
        rucio_host=env["RUCIO_URL"],
        auth_host=env["RUCIO_URL"],
        account="root",
        auth_type="userpass",
        creds={"username": env["RUCIO_ROOT_USERNAME"], "password": env["RUCIO_ROOT_PASSWORD"]},
    )


def ensure_large_dataset(env: dict[str, str]) -> str:
    client = root_client(env)
    try:
        if client.get_did(SCOPE, NAME, dynamic_depth="FILE").get("length") == FILES:
            return DID
    except DataIdentifierNotFound:
        pass
    if SCOPE not in client.list_scopes():
        client.add_scope("root", SCOPE)
    try:
        client.add_dataset(SCOPE, NAME)
    except DataIdentifierAlreadyExists:
        pass
    attached = {f["name"] for f in client.list_files(SCOPE, NAME)}
    missing = [i for i in range(FILES) if file_name(i) not in attached]
    rse, root = env["HUB_RSE"], Path(env["HUB_RSE_DIR"])
    for start in range(0, len(missing), CHUNK):
        files = []
        for index in missing[start : start + CHUNK]:
            data = file_bytes(index)
            path = root / SCOPE / file_name(index)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files.append(
                {
                    "scope": SCOPE,
                    "name": file_name(index),
                    "bytes": len(data),
                    "adler32": f"{zlib.adler32(data):08x}",
                }
            )
        try:
            client.add_replicas(rse=rse, files=files)
        except (Duplicate, FileReplicaAlreadyExists):
            pass  # registered by an interrupted earlier run
        try:
            client.attach_dids(SCOPE, NAME, [{"scope": SCOPE, "name": f["name"]} for f in files])
        except FileAlreadyExists:
            pass
    return DID
