"""Permissions of the local Rucio.

Rucio's generic policy lets a user register a replica on a user-writable RSE but only an admin
may then mark it AVAILABLE, so a plain `rucio upload` by a user ends with "Failed to update
replica state". Production instances allow it through their own policy packages; here a user
may update replica states on exactly the RSEs where the generic policy lets them add replicas.
"""

from rucio.core.permission import generic

USER_WRITABLE_RSE_SUFFIXES = ("SCRATCHDISK", "USERDISK", "MOCK", "LOCALGROUPDISK")


def has_permission(issuer, action, kwargs, session=None):
    if action == "update_replicas_states" and str(kwargs.get("rse", "")).endswith(
        USER_WRITABLE_RSE_SUFFIXES
    ):
        return True
    return generic.has_permission(issuer, action, kwargs, session=session)
