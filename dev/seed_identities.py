"""jdoe's X.509 and OIDC identities (run at every `dev/rucio.sh up`; adds only what is missing).

RUCIO_USER_DN is the DN of jdoe's test certificate (dev/pki.sh) as the HTTPS front end reports it;
RUCIO_OIDC_ISSUER and RUCIO_OIDC_SUB are the `iss` and `sub` of the local issuer's tokens, which
Rucio maps to an account through the identity "SUB=<sub>, ISS=<iss>". The issuer's URL holds its
port, so a changed RUCIO_OIDC_PORT adds another identity.
"""

import os

from rucio.common.types import InternalAccount
from rucio.core.identity import add_account_identity, exist_identity_account
from rucio.core.oidc import oidc_identity_string
from rucio.db.sqla.constants import IdentityType
from rucio.db.sqla.session import transactional_session


@transactional_session
def ensure_identity(identity: str, type_: IdentityType, account: InternalAccount, *, session=None):
    if not exist_identity_account(identity, type_, account, session=session):
        add_account_identity(
            identity,
            type_,
            account,
            email=f"{account.external}@localhost",
            default=True,
            session=session,
        )


def main() -> None:
    account = InternalAccount(os.environ["RUCIO_USER_ACCOUNT"])
    ensure_identity(os.environ["RUCIO_USER_DN"], IdentityType.X509, account)
    identity = oidc_identity_string(os.environ["RUCIO_OIDC_SUB"], os.environ["RUCIO_OIDC_ISSUER"])
    ensure_identity(identity, IdentityType.OIDC, account)
    print("identities ready")


if __name__ == "__main__":
    main()
