"""DID strings from the browser, and the blocking Rucio calls that list and describe DIDs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from random import choice
from typing import Any
from urllib.parse import quote_plus

from rucio.common.exception import RucioException
from rucio.common.utils import build_url

from .client import iso_utc
from .paging import compact_json
from .streams import LISTING_PAUSE, get_body, get_pieces

SCOPE = re.compile(r"^[A-Za-z0-9_.\-]{1,25}$")
NAME = re.compile(r"^[/A-Za-z0-9][/A-Za-z0-9.\-_]{0,249}$")
PATTERN = re.compile(r"^[/A-Za-z0-9*][/A-Za-z0-9.\-_*]{0,249}$")
MAX_DID_LENGTH = 300
SEARCH_TYPES = ("all", "collection", "dataset", "container", "file")


class DidError(ValueError):
    """A DID string is malformed; the message says how."""


@dataclass(frozen=True)
class Did:
    scope: str
    name: str

    def __str__(self) -> str:
        return f"{self.scope}:{self.name}"

    def as_dict(self) -> dict[str, str]:
        return {"scope": self.scope, "name": self.name}


def parse_did(text: Any, *, wildcard: bool = False, field: str = "did") -> Did:
    if not isinstance(text, str):
        raise DidError(f"{field} must be a string 'scope:name'")
    if len(text) > MAX_DID_LENGTH:
        raise DidError(f"{field} is longer than {MAX_DID_LENGTH} characters")
    scope, sep, name = text.strip().partition(":")
    if not sep or not scope or not name:
        raise DidError(f"{field} {text!r} is not of the form 'scope:name'")
    if not SCOPE.match(scope):
        raise DidError(f"{field}: scope {scope!r} is not a valid Rucio scope")
    if not (PATTERN if wildcard else NAME).match(name):
        allowed = "letters, digits, '/', '.', '-', '_'" + (" and '*'" if wildcard else "")
        raise DidError(f"{field}: name {name!r} may only contain {allowed}")
    return Did(scope, name)


def did_type_name(value: Any) -> str:
    text = str(getattr(value, "name", value) or "").upper()
    return text.split(".")[-1] if text else "FILE"


def whole_number(value: Any) -> int | None:
    """A size or count from Rucio as an int: on PostgreSQL Rucio returns sums (the bytes and
    length of a collection) as floats, e.g. 156068.0."""
    return None if value is None else int(value)


_SUMMARY_JSON = '{"scope":%s,"name":%s,"did_type":%s,"bytes":%s,"length":%s}'


class Summary(dict):
    """A DID as a search or a content listing shows it. `json_bytes` writes it as
    `json.dumps(self, separators=(",", ":"))` does, in a fraction of the time: a listing of
    100,000 DIDs is written row by row into its spool (paging.py)."""

    __slots__ = ()

    def json_bytes(self) -> bytes:
        if len(self) == 5:  # no key added after summarize
            scope, name, kind = self["scope"], self["name"], self["did_type"]
            size, length = self["bytes"], self["length"]
            if (
                type(scope) is str
                and type(name) is str
                and type(kind) is str
                and (size is None or type(size) is int)
                and (length is None or type(length) is int)
            ):
                return (
                    _SUMMARY_JSON
                    % (
                        encode_basestring_ascii(scope),
                        encode_basestring_ascii(name),
                        encode_basestring_ascii(kind),
                        "null" if size is None else size,
                        "null" if length is None else length,
                    )
                ).encode()
        return compact_json(self).encode()


def summarize(row: dict[str, Any]) -> Summary:
    return Summary(
        {
            "scope": row["scope"],
            "name": row["name"],
            "did_type": did_type_name(row.get("did_type") or row.get("type")),
            "bytes": whole_number(row.get("bytes")),
            "length": whole_number(row.get("length")),
        }
    )


def search_rows(
    client: Any, pattern: Did, did_type: str, limit: int | None = None
) -> Iterator[Summary]:
    """The DIDs matching `pattern`, summarized, as Rucio sends them. With `limit`, Rucio stops
    after that many rows and ends the request itself, so a first page never leaves a Rucio
    server thread streaming a listing nobody reads."""
    filters = [{"name": pattern.name}]
    lines = list_dids_lines(client, pattern.scope, filters, did_type, limit)
    return (summary_of_line(line) for line in lines)


def list_dids_rows(
    client: Any,
    scope: str,
    filters: list[dict[str, Any]],
    did_type: str,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of `client.list_dids(scope, filters, did_type, long=True)` (plus Rucio's
    `limit` when given), decoded with plain `json.loads`: rucio-clients reads such answers line
    by line and turns every string that looks like a date into a datetime, which costs more
    than Rucio's own answer on a long listing."""
    return (_decode(line) for line in list_dids_lines(client, scope, filters, did_type, limit))


def list_dids_lines(
    client: Any,
    scope: str,
    filters: list[dict[str, Any]],
    did_type: str,
    limit: int | None = None,
) -> Iterator[bytes]:
    """The same listing as Rucio writes it, a row's JSON text a line."""
    path = "/".join([client.DIDS_BASEURL, quote_plus(scope), "dids", "search"])
    params: dict[str, Any] = {"type": did_type, "filters": filters, "long": True}
    if limit is not None:
        params["limit"] = limit
    url = build_url(choice(client.list_hosts), path=path, params=params)  # noqa: S311 - a host, as rucio-clients picks it
    if limit is not None:
        # A limited answer is small: read whole, its connection goes back to the pool.
        return iter(_filled(get_body(client, url).split(b"\n")))
    # A whole listing is streamed: never all of it in memory, and closing it stops reading.
    return lines_of(get_pieces(client, url, LISTING_PAUSE))


def lines_of(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The lines of a streamed answer (one JSON object a line), from its pieces as they come.
    Closing the generator closes the answer."""
    rest = b""
    try:
        for data in pieces:
            if not rest and data.find(b"\n") == len(data) - 1:
                # A row that came alone (Rucio streams each row as a chunk of its own).
                if len(data) > 1:
                    yield data[:-1]
                continue
            lines = (rest + data).split(b"\n")
            rest = lines.pop()
            yield from _filled(lines)
        yield from _filled([rest])
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


def _filled(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if line.strip()]


_DECODE = json.JSONDecoder().decode


def _decode(line: bytes) -> Any:
    # The decoder itself, on text: json.loads would first guess the bytes' encoding each time.
    return _DECODE(line.decode())


# A row of Rucio's long DID listing as its REST API writes it (json.dumps' default spacing),
# with a scope and name of printable ASCII that needs no escape: its summary's JSON is the row
# itself without the spaces, and nothing needs decoding or encoding. Any other row (escapes,
# other keys, a float size) takes the general way, with the same result.
_PLAIN_ROW = re.compile(
    rb'\{"scope": "([ !#-\[\]-~]*)", "name": "([ !#-\[\]-~]*)", '
    rb'"did_type": "(FILE|DATASET|CONTAINER)", "bytes": (\d+|null), "length": (\d+|null)\}'
)
_PLAIN_JSON = b'{"scope":"%s","name":"%s","did_type":"%s","bytes":%s,"length":%s}'


class _WrittenSummary(Summary):
    """A summary that carries its JSON already (summary_of_line)."""

    __slots__ = ("written",)

    def json_bytes(self) -> bytes:
        return self.written if len(self) == 5 else super().json_bytes()


def summary_of_line(line: bytes) -> Summary:
    """`summarize(json.loads(line))`, for a line of Rucio's long DID listing; a plain row (the
    usual one) costs a fifth of that, which counts when a listing of 100,000 DIDs is read."""
    plain = _PLAIN_ROW.fullmatch(line)
    if plain is None:
        return summarize(_decode(line))
    scope, name, kind, size, length = plain.groups()
    summary = _WrittenSummary(
        scope=scope.decode(),
        name=name.decode(),
        did_type=kind.decode(),
        bytes=None if size == b"null" else int(size),
        length=None if length == b"null" else int(length),
    )
    summary.written = _PLAIN_JSON % plain.groups()
    return summary


def content_rows(client: Any, did: Did) -> Iterator[dict[str, Any]]:
    return (summarize(row) for row in client.list_content(did.scope, did.name))


def details(client: Any, did: Did) -> dict[str, Any]:
    info = client.get_did(did.scope, did.name, dynamic_depth="FILE")
    meta = client.get_metadata(did.scope, did.name)
    plain_meta = {k: _jsonable(v) for k, v in meta.items()}
    try:
        json_meta = client.get_metadata(did.scope, did.name, plugin="JSON")
    except RucioException:
        json_meta = {}  # a Rucio without the JSON plugin (SQLite)
    return {
        "scope": did.scope,
        "name": did.name,
        "did_type": did_type_name(info.get("type")),
        "bytes": whole_number(info.get("bytes")),
        "length": whole_number(info.get("length")),
        "account": info.get("account") or meta.get("account"),
        "created_at": iso_utc(meta.get("created_at")),
        "meta": plain_meta,
        "json_meta": {k: _jsonable(v) for k, v in json_meta.items()},
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return iso_utc(value)
    return str(value)
