"""The large sample of the local Rucio (`make rucio-seed-large`): scope `big` at scale.

- 120,000 files `big:file.NNNNNN`, replicas registered on the remote RSE;
- datasets `big:files.100` and `big:files.10000` (the first 100 and 10,000 of those files), also
  registered on the hub's RSE, so that availability and resolve see a whole dataset at the hub.

Only the catalogue is written: the files have no bytes on disk (a listing, availability or
resolve never reads them; uploads and downloads are tried on the small sample). Runs inside the
server virtualenv like seed_data.py, in one transaction; dev/rucio.sh runs it once and keeps it.
"""

import os
import time
import zlib

from rucio.common.types import InternalAccount, InternalScope
from rucio.core.did import add_dids, attach_dids_to_dids
from rucio.core.replica import add_replicas
from rucio.core.rse import get_rse_id
from rucio.core.scope import add_scope, check_scope
from rucio.db.sqla.session import transactional_session

ROOT = InternalAccount("root")
SCOPE = "big"
FILES = 120_000
DATASETS = (100, 10_000)
BATCH = 5_000


def file_name(index: int) -> str:
    return f"file.{index:06d}"


def _replica(index: int) -> dict:
    name = file_name(index)
    return {
        "scope": InternalScope(SCOPE),
        "name": name,
        "bytes": 1_000 + index % 997,
        "adler32": f"{zlib.adler32(name.encode()) & 0xFFFFFFFF:08x}",
        "state": "A",
    }


@transactional_session
def seed_large(*, session=None) -> None:
    scope = InternalScope(SCOPE)
    if not check_scope(scope, session=session):
        add_scope(scope, ROOT, session=session)
    remote_id = get_rse_id(os.environ["REMOTE_RSE"], session=session)
    hub_id = get_rse_id(os.environ["HUB_RSE"], session=session)
    for start in range(0, FILES, BATCH):
        rows = [_replica(i) for i in range(start, min(start + BATCH, FILES))]
        add_replicas(remote_id, rows, ROOT, session=session)
    for start in range(0, max(DATASETS), BATCH):
        rows = [_replica(i) for i in range(start, min(start + BATCH, max(DATASETS)))]
        add_replicas(hub_id, rows, ROOT, session=session)
    add_dids(
        [{"scope": scope, "name": f"files.{n}", "type": "DATASET"} for n in DATASETS],
        ROOT,
        session=session,
    )
    for size in DATASETS:
        for start in range(0, size, BATCH):
            children = [
                {"scope": scope, "name": file_name(i)}
                for i in range(start, min(start + BATCH, size))
            ]
            attach_dids_to_dids(
                [{"scope": scope, "name": f"files.{size}", "dids": children}], ROOT, session=session
            )


if __name__ == "__main__":
    started = time.monotonic()
    seed_large()
    print(f"large sample seeded in {time.monotonic() - started:.1f} s")
