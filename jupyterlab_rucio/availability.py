"""How available a DID is at the hub's storage, computed from one bulk replica listing plus rules.

Pure functions: no Rucio calls here, so every state can be checked with plain data.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

AVAILABLE = "AVAILABLE"
NOT_AVAILABLE = "NOT_AVAILABLE"
REPLICATING = "REPLICATING"
STUCK = "STUCK"
PARTIALLY_AVAILABLE = "PARTIALLY_AVAILABLE"
EMPTY = "EMPTY"
ERROR = "ERROR"

# Replica states that mean "bytes are on their way" (Rucio: C = COPYING).
_IN_FLIGHT = {"COPYING", "C"}
_PRESENT = {"AVAILABLE", "A"}

# Paths of a collection's available files sent with its availability; the directory and the
# count describe the rest.
SHOWN_PATHS = 5


@dataclass(frozen=True)
class Availability:
    state: str
    files_total: int
    files_available: int
    files_replicating: int
    bytes_total: int


def rule_targets(rule: dict[str, Any], rse: str) -> bool:
    """Whether a rule places data on the hub RSE (exact RSE, or an expression naming it)."""
    expression = str(rule.get("rse_expression") or "")
    return expression == rse or rse in expression.replace("|", " ").replace("&", " ").split()


def pick_rule(rules: Iterable[dict[str, Any]], rse: str, account: str | None) -> dict | None:
    """The rule that best explains the DID's state at the hub: the user's own first."""
    candidates = [r for r in rules if rule_targets(r, rse)]
    candidates.sort(key=lambda r: (r.get("account") != account, r.get("state") == "OK"))
    return candidates[0] if candidates else None


def replica_state_at(replica: dict[str, Any], rse: str) -> str | None:
    states = replica.get("states") or {}
    if rse in states:
        return str(states[rse])
    if rse in (replica.get("rses") or {}):
        return "AVAILABLE"
    return None


def compute_availability(
    replicas: Iterable[dict[str, Any]],
    rse: str,
    rules: Iterable[dict[str, Any]],
    files_total: int | None = None,
) -> Availability:
    """State of a DID at `rse` from its file replicas (all states) and the rules that cover it.

    `files_total` is the DID's file count when the replica listing only returns files that
    have a replica at the RSE; otherwise it is taken from the listing.
    """
    listed = 0
    available = 0
    in_flight = 0
    bytes_total = 0
    for replica in replicas:
        listed += 1
        bytes_total += int(replica.get("bytes") or 0)
        state = replica_state_at(replica, rse)
        if state in _PRESENT:
            available += 1
        elif state in _IN_FLIGHT:
            in_flight += 1
    total = max(listed, files_total or 0)
    relevant = [r for r in rules if rule_targets(r, rse)]
    rule_states = {str(r.get("state")) for r in relevant}
    missing = total - available
    if total == 0:
        state = EMPTY
    elif missing == 0:
        state = AVAILABLE
    elif "STUCK" in rule_states:
        state = STUCK
    elif in_flight or "REPLICATING" in rule_states:
        state = REPLICATING
        in_flight = in_flight or missing
    elif available:
        state = PARTIALLY_AVAILABLE
    else:
        state = NOT_AVAILABLE
    return Availability(state, total, available, in_flight, bytes_total)


def hub_location(paths: Iterable[str]) -> dict[str, Any] | None:
    """Where the available files are on the hub: the directory holding them all, the first
    paths in order and their count (the `Location` schema of openapi.yaml); None for no file."""
    ordered = sorted(paths)
    if not ordered:
        return None
    # The distinct directories first: a dataset's files are in a few, however many files.
    directory = posixpath.commonpath(list({posixpath.dirname(p) for p in ordered}))
    return {"directory": directory, "paths": ordered[:SHOWN_PATHS], "count": len(ordered)}


def availability_reply(
    did: object,
    state: str,
    *,
    files_total: int = 0,
    files_available: int = 0,
    files_replicating: int = 0,
    bytes_total: int = 0,
    message: str | None = None,
    rule: dict[str, Any] | None = None,
    webui_url: str | None = None,
    location: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The availability answer of every mode (the `Availability` schema of openapi.yaml)."""
    return {
        "did": str(did),
        "state": state,
        "files_total": files_total,
        "files_available": files_available,
        "files_replicating": files_replicating,
        "bytes_total": bytes_total,
        "message": message,
        "rule": rule,
        "webui_url": webui_url,
        "location": location,
    }


def download_state(total: int, present: int, running: bool, error: str | None) -> str:
    """State of a DID in download mode from its file counts and the background download."""
    if total == 0:
        return EMPTY
    if present == total:
        return AVAILABLE
    if running:
        return REPLICATING
    if error:
        return ERROR
    return PARTIALLY_AVAILABLE if present else NOT_AVAILABLE
