"""What a user could check after an upload: what Rucio knows and what lies on the RSE."""

from __future__ import annotations

import zlib
from pathlib import Path
from urllib.parse import unquote, urlparse

from rucio.common.exception import DataIdentifierNotFound


def rse_path(client, rse: str, scope: str, name: str) -> Path:
    """Where Rucio puts the bytes of scope:name on a file:// RSE."""
    pfn = client.lfns2pfns(rse, [f"{scope}:{name}"], operation="write")[f"{scope}:{name}"]
    return Path(unquote(urlparse(pfn).path))


def in_rucio(client, scope: str, name: str) -> bool:
    try:
        client.get_did(scope, name)
    except DataIdentifierNotFound:
        return False
    return True


def leftovers(path: Path) -> list[Path]:
    """The file and any partial copy of it."""
    return [p for p in (path, path.with_name(path.name + ".part")) if p.exists()]


def adler32(data: bytes) -> str:
    return f"{zlib.adler32(data) & 0xFFFFFFFF:08x}"


def sparse_file(path: Path, size: int) -> Path:
    """A large file without using disk space (reads as zeros)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path
