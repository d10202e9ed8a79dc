"""Create the local Rucio database: tables, base VO and an administrative root account.

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg, against
the instance's PostgreSQL database (created empty by dev/rucio.sh, owned by the rucio role).
Idempotent, step by step: missing tables are created, existing ones are left alone, and the VO,
root and root's admin attribute are added only when missing, so an interrupted run can simply
be repeated.
"""

from rucio.common.constants import DEFAULT_VO
from rucio.common.types import InternalAccount
from rucio.core.account import account_exists, add_account_attribute, has_account_attribute
from rucio.db.sqla import models
from rucio.db.sqla.session import get_engine, read_session, transactional_session
from rucio.db.sqla.util import create_base_vo, create_root_account, json_implemented

ROOT = InternalAccount("root")


@read_session
def _has_base_vo(*, session=None) -> bool:
    return session.get(models.VO, DEFAULT_VO) is not None


@read_session
def _has_root(*, session=None) -> bool:
    return account_exists(ROOT, session=session)


@transactional_session
def _make_root_admin(*, session=None) -> None:
    # Root is not an admin by default; the seed and tests need it to manage every scope and RSE.
    if not has_account_attribute(ROOT, "admin", session=session):
        add_account_attribute(ROOT, "admin", True, session=session)


def main() -> None:
    # CREATE TABLE for the tables that do not exist yet (SQLAlchemy checks each one first).
    models.register_models(get_engine())
    if not _has_base_vo():
        create_base_vo()
    if not _has_root():
        create_root_account()
    _make_root_admin()
    # Custom DID metadata (the JSON plugin) needs a database that has it; SQLite has not.
    if not json_implemented():
        raise SystemExit("this database has no JSON metadata support")
    print("database ready")


if __name__ == "__main__":
    main()
