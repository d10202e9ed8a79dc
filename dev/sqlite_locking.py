"""Make concurrent writers wait for each other on SQLite instead of failing.

With the default deferred transactions, a transaction that reads and then writes while another
process (a gunicorn worker, the transfer loop) has committed in between fails at once with
"database is locked": SQLite's busy timeout cannot help, because the reader's snapshot is stale.
Starting a transaction with BEGIN IMMEDIATE takes the write lock up front, so the others wait
for up to the busy timeout given in the database URL.

Rucio sometimes opens a second, read-only session while a transaction of the same thread is
open (configuration look-ups, for instance). Such a nested transaction must stay deferred: an
immediate one would wait for the lock its own thread holds. Nothing changes for other databases.
"""

import threading

from rucio.db.sqla.session import get_engine
from sqlalchemy import event

_open_transactions = threading.local()


def _depth() -> int:
    return getattr(_open_transactions, "depth", 0)


def _let_sqlalchemy_issue_begin(dbapi_connection, connection_record) -> None:
    # The sqlite3 module would otherwise start its own deferred transactions implicitly.
    dbapi_connection.isolation_level = None


def _begin(connection) -> None:
    connection.exec_driver_sql("BEGIN" if _depth() else "BEGIN IMMEDIATE")
    _open_transactions.depth = _depth() + 1


def _end(connection) -> None:
    _open_transactions.depth = max(0, _depth() - 1)


def install() -> None:
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _let_sqlalchemy_issue_begin)
        event.listen(engine, "begin", _begin)
        event.listen(engine, "commit", _end)
        event.listen(engine, "rollback", _end)
