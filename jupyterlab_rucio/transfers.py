"""Copying bytes to and from storage ourselves: chunked, checksummed, cancellable, rate-limited.

Used by uploads and by download mode instead of rucio-clients' upload and download helpers, which
read a rucio.cfg of their own. Rucio tells us where the bytes go (PFNs, through the user's
client); this module only moves them. A copy always lands in `<target>.part` first, is flushed
to disk and checked (adler32 and size) before it is renamed into place, so the target never holds
half a file. Progress is reported and cancellation checked once per chunk.
"""

from __future__ import annotations

import os
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

CHUNK_BYTES = 1024 * 1024
PART_SUFFIX = ".part"
# How long the rate limiter sleeps at most before it checks for cancellation again.
_MAX_SLEEP = 0.2


class TransferError(Exception):
    """A copy failed; the message says why in words a user understands."""


class TransferCancelled(Exception):
    """The copy was stopped on request; its partial bytes have been deleted."""


class SourceChanged(TransferError):
    """The file being copied changed or vanished during the copy."""


@dataclass(frozen=True)
class FileStamp:
    """Size and modification time of a local file, to notice a change during a copy."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> FileStamp:
        info = os.stat(path)
        return cls(info.st_size, info.st_mtime_ns)


def adler32_hex(value: int) -> str:
    """Rucio's spelling of an adler32: eight lower-case hex digits."""
    return f"{value & 0xFFFFFFFF:08x}"


class RateLimiter:
    """Keeps one copy at or below `bytes_per_second` (0 or None: unlimited)."""

    def __init__(self, bytes_per_second: int | None) -> None:
        self.rate = bytes_per_second or 0
        self._start = time.monotonic()
        self._sent = 0

    def pace(self, sent: int, stop: threading.Event | None) -> None:
        if self.rate <= 0:
            return
        self._sent += sent
        while True:
            ahead = self._sent / self.rate - (time.monotonic() - self._start)
            if ahead <= 0:
                return
            if stop is not None and stop.is_set():
                raise TransferCancelled()
            time.sleep(min(ahead, _MAX_SLEEP))


def file_adler32(
    path: str, stop: threading.Event | None = None, chunk_bytes: int = CHUNK_BYTES
) -> tuple[str, int]:
    """adler32 and size of a file, read in chunks (cancellable)."""
    value, size = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_bytes):
            if stop is not None and stop.is_set():
                raise TransferCancelled()
            value = zlib.adler32(chunk, value)
            size += len(chunk)
    return adler32_hex(value), size


def local_path_of_pfn(pfn: str, operation: str) -> str:
    """The local path behind a `file://` PFN; other schemes are not supported yet."""
    parsed = urlparse(pfn)
    if parsed.scheme != "file":
        raise TransferError(
            f"the storage speaks {parsed.scheme or 'an unknown protocol'}://, which is not "
            f"supported for {operation} yet (only file:// storage mounted on this server)"
        )
    return unquote(parsed.path)


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def copy_file(
    source: str,
    target: str,
    *,
    expected: FileStamp | None = None,
    expected_adler32: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    rate_limit: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    before_rename: Callable[[], None] | None = None,
) -> str:
    """Copy `source` to `target` through `target.part`; returns the adler32 of what was written.

    `on_progress(bytes_done)` is called after every chunk. Setting `stop` ends the copy within a
    chunk (or a fraction of a second when rate-limited) and deletes the partial bytes. When
    `expected` is given the source must keep that size and mtime until the copy ends, and when
    `expected_adler32` is given the bytes must have that checksum. `before_rename` runs after the
    bytes were verified, just before the rename (used to report a "verifying" step).
    """
    part = target + PART_SUFFIX
    limiter = RateLimiter(rate_limit)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        try:
            source_handle = open(source, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError as error:
            raise SourceChanged(f"{os.path.basename(source)} no longer exists") from error
        with source_handle, open(part, "wb") as out:
            value, done = 1, 0
            while chunk := source_handle.read(chunk_bytes):
                if stop is not None and stop.is_set():
                    raise TransferCancelled()
                out.write(chunk)
                value = zlib.adler32(chunk, value)
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done)
                limiter.pace(len(chunk), stop)
            out.flush()
            os.fsync(out.fileno())
        _check_source(source, expected, done)
        sent = adler32_hex(value)
        if before_rename is not None:
            before_rename()
        written, written_size = file_adler32(part, stop, chunk_bytes)
        if written != sent or written_size != done:
            raise TransferError("the bytes on the storage differ from the bytes sent")
        if expected_adler32 and sent != expected_adler32.lower().zfill(8):
            raise TransferError(
                f"checksum mismatch: expected adler32 {expected_adler32}, got {sent}"
            )
        os.replace(part, target)
        return sent
    except BaseException:
        remove_quietly(part)
        raise


def _check_source(source: str, expected: FileStamp | None, copied: int) -> None:
    if expected is None:
        return
    name = os.path.basename(source)
    try:
        now = FileStamp.of(source)
    except FileNotFoundError as error:
        raise SourceChanged(f"{name} was deleted during the upload") from error
    if now != expected or copied != expected.size:
        raise SourceChanged(f"{name} changed during the upload (size or modification time)")
