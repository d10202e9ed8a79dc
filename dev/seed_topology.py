"""Accounts, identities, scopes and RSEs of the local Rucio (the shared contract in dev/README.md).

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg.
Names and passwords come from the environment set by dev/rucio.sh.
"""

import os
from pathlib import Path

from rucio.common.exception import RSENotFound
from rucio.common.types import InternalAccount, InternalScope
from rucio.core.account import account_exists, add_account
from rucio.core.account_limit import set_local_account_limit
from rucio.core.distance import add_distance, get_distances
from rucio.core.identity import add_account_identity
from rucio.core.rse import add_protocol, add_rse, add_rse_attribute, get_rse_id
from rucio.core.scope import add_scope, check_scope
from rucio.db.sqla.constants import AccountType, IdentityType
from rucio.db.sqla.session import transactional_session

UNLIMITED_BYTES = -1
ROOT = InternalAccount("root")
# An RSE where jdoe's quota is small, so that a refused upload can be shown (nothing is ever
# written there: the extension refuses before copying).
QUOTA_RSE = "QUOTA_USERDISK"
QUOTA_BYTES = 1024 * 1024

# Every operation the web UI, uploads and transfers need; a NULL priority would mean "unsupported".
POSIX_DOMAINS = {
    "lan": {"read": 1, "write": 1, "delete": 1},
    "wan": {
        "read": 1,
        "write": 1,
        "delete": 1,
        "third_party_copy_read": 1,
        "third_party_copy_write": 1,
    },
}


def _ensure_rse(name: str, directory: Path, *, session) -> str:
    try:
        return get_rse_id(name, session=session)
    except RSENotFound:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    rse_id = add_rse(name, session=session)
    # identity: a replica lives at <dir>/<scope path>/<name>, so a hub mount shows readable paths.
    add_rse_attribute(rse_id, "lfn2pfn_algorithm", "identity", session=session)
    add_rse_attribute(rse_id, "fts", "mock", session=session)
    add_protocol(
        rse_id,
        {
            "scheme": "file",
            "hostname": "localhost",
            "port": 0,
            "prefix": f"{directory}/",
            "impl": "rucio.rse.protocols.posix.Default",
            "domains": POSIX_DOMAINS,
        },
        session=session,
    )
    return rse_id


def _ensure_user(
    account_name: str, username: str, password: str, scope: str, *, session
) -> InternalAccount:
    account = InternalAccount(account_name)
    if not account_exists(account, session=session):
        add_account(account, AccountType.USER, f"{account_name}@localhost", session=session)
        add_account_identity(
            username,
            IdentityType.USERPASS,
            account,
            f"{account_name}@localhost",
            default=True,
            password=password,
            session=session,
        )
        add_scope(InternalScope(scope), account, session=session)
    return account


@transactional_session
def seed_topology(*, session=None) -> None:
    hub_id = _ensure_rse(os.environ["HUB_RSE"], Path(os.environ["HUB_RSE_DIR"]), session=session)
    remote_id = _ensure_rse(
        os.environ["REMOTE_RSE"], Path(os.environ["REMOTE_RSE_DIR"]), session=session
    )
    if not get_distances(hub_id, remote_id, session=session):
        add_distance(hub_id, remote_id, distance=1, bidirectional=True, session=session)

    jdoe = _ensure_user(
        os.environ["RUCIO_USER_ACCOUNT"],
        os.environ["RUCIO_USER_USERNAME"],
        os.environ["RUCIO_USER_PASSWORD"],
        os.environ["RUCIO_USER_SCOPE"],
        session=session,
    )
    for rse_id in (hub_id, remote_id):
        set_local_account_limit(jdoe, rse_id, UNLIMITED_BYTES, session=session)
        set_local_account_limit(ROOT, rse_id, UNLIMITED_BYTES, session=session)
    quota_dir = Path(os.environ["REMOTE_RSE_DIR"]).with_name("quota")
    quota_id = _ensure_rse(QUOTA_RSE, quota_dir, session=session)
    set_local_account_limit(jdoe, quota_id, QUOTA_BYTES, session=session)

    for scope in ("physics", "climate", "bulk"):
        if not check_scope(InternalScope(scope), session=session):
            add_scope(InternalScope(scope), ROOT, session=session)


if __name__ == "__main__":
    seed_topology()
    print("topology seeded")
