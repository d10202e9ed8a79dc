"""Create the local Rucio database: schema, base VO and an administrative root account.

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg.
Idempotent: an existing schema with a root account is left untouched.
"""

from rucio.common.types import InternalAccount
from rucio.core.account import add_account_attribute
from rucio.db.sqla import models
from rucio.db.sqla.session import get_engine, transactional_session
from rucio.db.sqla.util import create_base_vo, create_root_account
from sqlalchemy import inspect, text


def _enable_sqlite_wal(engine) -> None:
    # WAL lets the gunicorn workers read while the transfer loop writes; the setting is
    # stored in the database file, so doing it once here covers every later connection.
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA journal_mode=WAL"))


@transactional_session
def _make_root_admin(*, session=None) -> None:
    # Root is not an admin by default; the seed and tests need it to manage every scope and RSE.
    add_account_attribute(InternalAccount("root"), "admin", True, session=session)


def main() -> None:
    engine = get_engine()
    _enable_sqlite_wal(engine)
    if inspect(engine).has_table(models.Account.__tablename__):
        print("database already built")
        return
    models.register_models(engine)
    create_base_vo()
    create_root_account()
    _make_root_admin()
    print("database built")


if __name__ == "__main__":
    main()
