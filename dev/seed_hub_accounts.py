"""Rucio accounts of the hub's sample users, with their OIDC identities (adds only what is missing).

HUB_IDENTITIES is "user=sub user=sub ...": each user gets an account of that name (jdoe has one
already), the identity "SUB=<sub>, ISS=<RUCIO_OIDC_ISSUER>" and a scope user.<name>, so that
a token of the local provider signs them in to Rucio as themselves.
"""

import os

from rucio.common.types import InternalAccount, InternalScope
from rucio.core.account import account_exists, add_account
from rucio.core.identity import add_account_identity, exist_identity_account
from rucio.core.oidc import oidc_identity_string
from rucio.core.scope import add_scope, check_scope
from rucio.db.sqla.constants import AccountType, IdentityType
from rucio.db.sqla.session import transactional_session


@transactional_session
def ensure_user(name: str, sub: str, issuer: str, *, session=None) -> None:
    account = InternalAccount(name)
    if not account_exists(account, session=session):
        add_account(account, AccountType.USER, f"{name}@localhost", session=session)
    scope = InternalScope(f"user.{name}")
    if not check_scope(scope, session=session):
        add_scope(scope, account, session=session)
    identity = oidc_identity_string(sub, issuer)
    if not exist_identity_account(identity, IdentityType.OIDC, account, session=session):
        add_account_identity(
            identity, IdentityType.OIDC, account, email=f"{name}@localhost", session=session
        )


def main() -> None:
    issuer = os.environ["RUCIO_OIDC_ISSUER"]
    for pair in os.environ["HUB_IDENTITIES"].split():
        name, _, sub = pair.partition("=")
        ensure_user(name, sub, issuer)
    print("hub accounts ready")


if __name__ == "__main__":
    main()
