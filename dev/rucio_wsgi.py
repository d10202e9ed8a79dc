"""WSGI entry point of the local Rucio server: Rucio's own application, with SQLite locking."""

import sqlite_locking

sqlite_locking.install()

from rucio.web.rest.flaskapi.v1.main import application  # noqa: E402

__all__ = ["application"]
