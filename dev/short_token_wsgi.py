"""The local Rucio's WSGI app with tokens that expire after RUCIO_DEV_TOKEN_LIFETIME seconds.

Rucio gives every token one hour. Tests of renewal during a long session start a second server
process with this entry point (same database) so that a token expires while they watch.
"""

import os
from datetime import datetime, timedelta

from rucio.db.sqla import models
from rucio_wsgi import application
from sqlalchemy import event

LIFETIME = timedelta(seconds=int(os.environ.get("RUCIO_DEV_TOKEN_LIFETIME", "30")))


@event.listens_for(models.Token, "before_insert")
def _short_lifetime(mapper, connection, token) -> None:
    token.expired_at = datetime.utcnow() + LIFETIME


__all__ = ["application"]
