"""Replica mode: availability at the hub RSE, replication rules, and DIDs -> mounted paths.

Blocking functions taking a rucio-clients Client; the handlers run them on the Rucio pool.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rucio.common.exception import DuplicateRule, InvalidRSEExpression, RSENotFound

from .availability import availability_reply, compute_availability, hub_location, pick_rule
from .client import REPLICA_SORT, iso_utc, rucio_reason
from .config import InstanceConfig
from .dids import Did, did_type_name, whole_number
from .paths import PathError, pfn_to_local_path

MAX_PARENT_DEPTH = 3
MAX_PARENTS = 50


def webui_did_url(instance: InstanceConfig, did: Did) -> str | None:
    if not instance.webui_url:
        return None
    return f"{instance.webui_url}/did?scope={quote(did.scope)}&name={quote(did.name, safe='')}"


def rule_view(instance: InstanceConfig, rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rule["id"],
        "did": f"{rule['scope']}:{rule['name']}",
        "rse_expression": rule["rse_expression"],
        "state": str(getattr(rule.get("state"), "name", rule.get("state"))),
        "locks_ok": int(rule.get("locks_ok_cnt") or 0),
        "locks_replicating": int(rule.get("locks_replicating_cnt") or 0),
        "locks_stuck": int(rule.get("locks_stuck_cnt") or 0),
        "expires_at": iso_utc(rule.get("expires_at")),
        "account": rule["account"],
        "webui_url": f"{instance.webui_url}/rule?rule_id={rule['id']}"
        if instance.webui_url
        else None,
    }


def rules_covering(client: Any, did: Did) -> list[dict[str, Any]]:
    """Rules on the DID itself and on its parents (a container rule covers its datasets)."""
    rules = list(client.list_did_rules(did.scope, did.name))
    level = [did]
    seen = {did}
    for _ in range(MAX_PARENT_DEPTH):
        parents = []
        for child in level:
            for parent in client.list_parent_dids(child.scope, child.name):
                key = Did(parent["scope"], parent["name"])
                if key not in seen and len(seen) <= MAX_PARENTS:
                    seen.add(key)
                    parents.append(key)
        for parent in parents:
            rules.extend(client.list_did_rules(parent.scope, parent.name))
        level = parents
        if not level:
            break
    return rules


def availability(client: Any, instance: InstanceConfig, did: Did, account: str) -> dict:
    rse = instance.destination_rse
    try:
        replicas = list(
            client.list_replicas(
                [did.as_dict()], rse_expression=rse, all_states=True, sort=REPLICA_SORT
            )
        )
    except (InvalidRSEExpression, RSENotFound) as error:
        # The hub's storage is misconfigured or gone: say so in the state, with Rucio's reason.
        reason = f"the hub storage {rse} is not usable: {rucio_reason(error)}"
        return error_availability(instance, did, reason)
    info = client.get_did(did.scope, did.name, dynamic_depth="FILE")
    is_file = str(info.get("type")).upper().endswith("FILE")
    files_total = 1 if is_file else whole_number(info.get("length")) or 0
    rules = rules_covering(client, did)
    result = compute_availability(replicas, rse, rules, files_total=files_total)
    # Rucio lists only the files that have a replica at the RSE: size and count come from the DID.
    bytes_total = int(info.get("bytes") or result.bytes_total)
    rule = pick_rule(rules, rse, account)
    try:
        location = hub_location(hub_paths(replicas, instance))
    except PathError:
        location = None  # the PFNs are not on the hub's mount: resolve explains why
    return availability_reply(
        did,
        result.state,
        files_total=result.files_total,
        files_available=result.files_available,
        files_replicating=result.files_replicating,
        bytes_total=bytes_total,
        message=stuck_reason(rules, rse) if result.state == "STUCK" else None,
        rule=rule_view(instance, rule) if rule else None,
        webui_url=webui_did_url(instance, did),
        location=location,
    )


def hub_paths(replicas: list[dict[str, Any]], instance: InstanceConfig) -> list[str]:
    """Paths on the hub's mount of the replicas that are AVAILABLE at the hub RSE (sorted)."""
    rse = instance.destination_rse
    paths = []
    for replica in replicas:
        if str((replica.get("states") or {}).get(rse, "")) not in ("AVAILABLE", "A"):
            continue
        pfns = (replica.get("rses") or {}).get(rse) or []
        if pfns:
            paths.append(
                pfn_to_local_path(
                    pfns[0],
                    instance.mount_path or "/",
                    instance.pfn_path_prefix,
                    instance.pfn_strip_segments,
                )
            )
    return sorted(paths)


def stuck_reason(rules: list[dict[str, Any]], rse: str | None) -> str:
    """Why the data does not arrive: Rucio's error on the stuck rule, when it gave one."""
    for rule in rules:
        state = str(getattr(rule.get("state"), "name", rule.get("state")))
        if state == "STUCK" and rule.get("rse_expression") == rse and rule.get("error"):
            return str(rule["error"])
    return f"some files could not be copied to {rse}"


def error_availability(instance: InstanceConfig, did: Did, message: str) -> dict[str, Any]:
    return availability_reply(did, "ERROR", message=message, webui_url=webui_did_url(instance, did))


def own_rule_to_hub(client: Any, instance: InstanceConfig, did: Did, account: str) -> dict | None:
    for rule in client.list_did_rules(did.scope, did.name):
        if (
            rule.get("account") == account
            and rule.get("rse_expression") == instance.destination_rse
        ):
            return rule
    return None


def make_available(
    client: Any, instance: InstanceConfig, did: Did, account: str, lifetime_days: float | None
) -> dict[str, Any]:
    """Create (or reuse) this account's rule placing the DID on the hub RSE."""
    created = False
    existing = own_rule_to_hub(client, instance, did, account)
    if existing is None:
        lifetime = lifetime_days if lifetime_days is not None else instance.default_lifetime_days
        try:
            client.add_replication_rule(
                dids=[did.as_dict()],
                copies=1,
                rse_expression=instance.destination_rse,
                lifetime=int(lifetime * 86400) if lifetime else None,
                account=account,
                comment="jupyterlab-rucio: make available on the hub",
            )
            created = True
        except DuplicateRule:
            pass  # a concurrent request created it a moment ago: reuse that one
    # Read the replicas straight away: this answer shows the transfers the rule just started.
    result = availability(client, instance, did, account)
    result["created"] = created
    return result


def user_rules(client: Any, instance: InstanceConfig, did: Did, account: str) -> list[dict]:
    rules = client.list_did_rules(did.scope, did.name)
    return [rule_view(instance, r) for r in rules if r.get("account") == account]


def resolve_one(client: Any, instance: InstanceConfig, did: Did) -> dict[str, Any]:
    """Paths on the hub's mount of every file of the DID: one bulk replica listing."""
    rse = instance.destination_rse
    replicas = list(
        client.list_replicas(
            [did.as_dict()],
            rse_expression=rse,
            all_states=True,
            schemes=None,
            sort=REPLICA_SORT,
        )
    )
    info = client.get_did(did.scope, did.name, dynamic_depth="FILE")
    kind = did_type_name(info.get("type"))
    total = 1 if kind == "FILE" else whole_number(info.get("length")) or 0
    try:
        paths = hub_paths(replicas, instance)
    except PathError as error:
        return resolve_result(did, "ERROR", [], str(error), kind)
    if total == 0:
        return resolve_result(did, "NOT_AVAILABLE", [], "no files", kind)
    if len(paths) >= total:
        return resolve_result(did, "OK", paths, None, kind)
    status = "PARTIAL" if paths else "NOT_AVAILABLE"
    return resolve_result(did, status, paths, f"{len(paths)} of {total} files are at {rse}", kind)


def resolve_result(
    did: Did, status: str, paths: list[str], message: str | None, did_type: str | None = None
) -> dict[str, Any]:
    """One entry of the resolve answer (the `ResolveResult` schema of openapi.yaml)."""
    return {
        "did": str(did),
        "status": status,
        "paths": paths,
        "message": message,
        "did_type": did_type,
    }
