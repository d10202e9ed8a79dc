"""The blocking Rucio calls of a metadata search, and the metadata keys seen in a scope.

A filter of DID-column keys goes to Rucio as it is, so its rows stream exactly as `rucio did list
--filter` gives them. Two things Rucio does not do are done here, in bulk:

- Rucio's JSON plugin ignores the DID type and answers without type, bytes or length. The names it
  streams are described with one bulk metadata call per page of names, and the type is applied
  then, so a JSON filter with a type gives what it says.
- Rucio refuses a filter that mixes keys of both plugins. Without OR, such a filter is the
  intersection of the JSON part and the column part: the names matching the JSON part (at most
  MAX_JSON_MATCHES of them, names only) are read first, then the column part streams and keeps
  the rows among them. With OR it is refused (filters.plan) with a message saying what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from rucio.common import exception as rucio_errors
from tornado.web import HTTPError

from .dids import Did, _jsonable, summarize
from .filters import DID_COLUMN_KEYS, INT, TEXT, Filter, plan

MAX_JSON_MATCHES = 200_000
DESCRIBE_BATCH = 500
SAMPLE_COLLECTIONS = 300
SAMPLE_FILES = 200
MAX_EXAMPLES = 12
TYPE_MATCH = {
    "all": {"FILE", "DATASET", "CONTAINER"},
    "collection": {"DATASET", "CONTAINER"},
    "dataset": {"DATASET"},
    "container": {"CONTAINER"},
    "file": {"FILE"},
}
# Errors with which Rucio answers a filter it cannot apply (a value whose type differs from the
# key's values in the database, for instance).
_FILTER_FAILURES = (
    rucio_errors.InvalidMetadata,
    rucio_errors.DIDFilterSyntaxError,
    rucio_errors.DuplicateCriteriaInDIDFilter,
    rucio_errors.KeyNotFound,
    rucio_errors.FilterEngineGenericError,
    rucio_errors.DatabaseException,
    rucio_errors.UnsupportedMetadataPlugin,
)


def _refused(parsed: Filter, error: Exception) -> HTTPError:
    keys = ", ".join(sorted(parsed.keys)) or "name"
    reason = "; ".join(str(a) for a in getattr(error, "args", ()) if a) or type(error).__name__
    return HTTPError(
        400,
        f"Rucio could not apply the filter on {keys}: {reason.strip()}. Check that each value "
        "has the type of the key's values (numbers unquoted, text quoted when it looks like a "
        "number).",
    )


def filtered_rows(
    client: Any, pattern: Did, did_type: str, parsed: Filter
) -> Iterator[dict[str, Any]]:
    """The rows of a filtered search, streamed (call filters.plan first: it may refuse)."""
    kind = plan(parsed)
    did_type = parsed.did_type or did_type
    try:
        if kind == "column":
            filters = parsed.rucio_filters(pattern.name)
            rows = client.list_dids(pattern.scope, filters, did_type=did_type, long=True)
            for row in rows:
                yield summarize(row)
        elif kind == "json":
            filters = parsed.rucio_filters(pattern.name)
            names = client.list_dids(pattern.scope, filters, did_type=did_type)
            yield from _described(client, pattern.scope, names, did_type)
        else:
            yield from _intersection(client, pattern, did_type, parsed)
    except _FILTER_FAILURES as error:
        raise _refused(parsed, error) from error


def _intersection(
    client: Any, pattern: Did, did_type: str, parsed: Filter
) -> Iterator[dict[str, Any]]:
    json_filters = parsed.rucio_filters(pattern.name, parsed.json_keys())
    wanted: set[str] = set()
    for name in client.list_dids(pattern.scope, json_filters, did_type=did_type):
        wanted.add(name)
        if len(wanted) > MAX_JSON_MATCHES:
            raise HTTPError(
                400,
                f"{', '.join(sorted(parsed.json_keys()))}: more than {MAX_JSON_MATCHES} DIDs "
                "match the JSON metadata part of this filter; narrow it (or the name pattern) "
                "to combine it with DID-column keys",
            )
    if not wanted:
        return
    column_filters = parsed.rucio_filters(pattern.name, parsed.column_keys())
    rows = client.list_dids(pattern.scope, column_filters, did_type=did_type, long=True)
    for row in rows:
        if row["name"] in wanted:
            yield summarize(row)


def _described(
    client: Any, scope: str, names: Iterable[str], did_type: str
) -> Iterator[dict[str, Any]]:
    """Type, bytes and length of the names the JSON plugin streams, one bulk call per batch."""
    types = TYPE_MATCH[did_type]
    names = iter(names)
    while batch := list(islice(names, DESCRIBE_BATCH)):
        dids = [{"scope": scope, "name": name} for name in batch]
        described = {row["name"]: row for row in client.get_metadata_bulk(dids)}
        for name in batch:
            row = described.get(name)
            if row is None:
                continue
            summary = summarize(row)
            if summary["did_type"] in types:
                yield summary


def _first(rows: Iterator[Any], count: int) -> list[Any]:
    taken = list(islice(rows, count))
    close = getattr(rows, "close", None)
    if close is not None:
        close()
    return taken


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


def _note(keys: dict[str, dict[str, Any]], key: str, value: Any) -> None:
    if value is None or isinstance(value, (dict, list)):
        return
    entry = keys.setdefault(key, {"key": key, "type": _kind(value), "examples": []})
    example = _jsonable(value)
    if example not in entry["examples"] and len(entry["examples"]) < MAX_EXAMPLES:
        entry["examples"].append(example)


def key_suggestions(client: Any, scope: str) -> dict[str, Any]:
    """The DID-column keys, and the JSON keys seen on a bounded sample of the scope's DIDs
    (its first collections and files), each with example values."""
    names = _first(iter(client.list_dids(scope, [{"name": "*"}], did_type="collection")),
                   SAMPLE_COLLECTIONS)  # fmt: skip
    files = _first(iter(client.list_dids(scope, [{"name": "*"}], did_type="file")), SAMPLE_FILES)
    sample = [{"scope": scope, "name": name} for name in names + files]
    json_keys: dict[str, dict[str, Any]] = {}
    column_examples: dict[str, dict[str, Any]] = {}
    if sample:
        for row in client.get_metadata_bulk(sample):
            for key, kind in DID_COLUMN_KEYS.items():
                if kind in (INT, TEXT) and key not in ("bytes", "length", "md5", "adler32", "guid"):
                    _note(column_examples, key, row.get(key))
        try:
            for row in client.get_metadata_bulk(sample, plugin="JSON"):
                for key, value in row.items():
                    if key not in ("scope", "name"):
                        _note(json_keys, key, value)
        except rucio_errors.RucioException:
            pass  # a Rucio without the JSON plugin (SQLite) has no JSON keys
    columns = [
        {"key": key, "type": kind, "examples": column_examples.get(key, {}).get("examples", [])}
        for key, kind in sorted(DID_COLUMN_KEYS.items())
    ]
    return {
        "scope": scope,
        "columns": columns,
        "json": sorted(json_keys.values(), key=lambda entry: entry["key"]),
        "sampled": len(sample),
        "complete": len(names) < SAMPLE_COLLECTIONS and len(files) < SAMPLE_FILES,
    }
