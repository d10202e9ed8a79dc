"""Notebook attachments: DIDs attached to a notebook under a variable name, and their values.

A notebook keeps its attachments in its metadata under `rucio`:
`{"attachments": [{"variable": "raw", "did": "scope:name", "instance": "escape",
"rucio_url": "https://..."}]}`. Notebooks made with the rucio/jupyterlab-extension keep theirs
under `rucio_attachments` as `[{"did", "variableName", "type"}]`, without an instance; those are
read too and belong to whatever instance is active.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .codegen import Language, Value, generate
from .dids import Did
from .modes import InstanceMode

METADATA_KEY = "rucio"
LEGACY_METADATA_KEY = "rucio_attachments"


@dataclass(frozen=True)
class Attachment:
    variable: str
    did: Did


@dataclass(frozen=True)
class StoredAttachment:
    """An attachment as a notebook's metadata holds it (not yet validated)."""

    variable: Any
    did: Any
    instance: str | None
    rucio_url: str | None


def stored_attachments(metadata: Mapping[str, Any]) -> list[StoredAttachment]:
    """The attachments in a notebook's metadata, ours first, then the legacy extension's."""
    found: list[StoredAttachment] = []
    ours = metadata.get(METADATA_KEY)
    entries = ours.get("attachments") if isinstance(ours, Mapping) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping):
            found.append(
                StoredAttachment(
                    entry.get("variable"),
                    entry.get("did"),
                    _text(entry.get("instance")),
                    _text(entry.get("rucio_url")),
                )
            )
    legacy = metadata.get(LEGACY_METADATA_KEY)
    taken = {a.variable for a in found}
    for entry in legacy if isinstance(legacy, list) else []:
        if isinstance(entry, Mapping) and entry.get("variableName") not in taken:
            found.append(StoredAttachment(entry.get("variableName"), entry.get("did"), None, None))
    return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def value_of(result: Mapping[str, Any]) -> Value:
    """A file is one path; a dataset or container the sorted list of its files' paths."""
    paths: list[str] = list(result["paths"])
    if result.get("did_type") == "FILE" and len(paths) == 1:
        return paths[0]
    return paths


async def resolve_attachments(
    mode: InstanceMode, attachments: Sequence[Attachment]
) -> tuple[list[dict[str, Any]], dict[str, Value]]:
    """Per attachment `{variable, did, status, message, count}`, and the values of those whose
    DID is fully available (status OK). Each DID is resolved once, with one bulk listing."""
    unique = list(dict.fromkeys(a.did for a in attachments))
    resolved = dict(zip(unique, await mode.resolve(unique), strict=True))
    results: list[dict[str, Any]] = []
    values: dict[str, Value] = {}
    for attachment in attachments:
        result = resolved[attachment.did]
        results.append(
            {
                "variable": attachment.variable,
                "did": str(attachment.did),
                "status": result["status"],
                "message": result["message"],
                "count": len(result["paths"]),
            }
        )
        if result["status"] == "OK":
            values[attachment.variable] = value_of(result)
    return results, values


async def code_for(
    mode: InstanceMode, language: Language, attachments: Sequence[Attachment]
) -> tuple[list[dict[str, Any]], str]:
    """The results of `resolve_attachments` and the code defining the available ones."""
    results, values = await resolve_attachments(mode, attachments)
    return results, generate(language, values)
