"""The large sample of the local Rucio (`make rucio-seed-large`): scope `big` at scale.

- 120,000 files `big:file.NNNNNN`, replicas registered on the remote RSE;
- datasets `big:files.100` and `big:files.10000` (the first 100 and 10,000 of those files), also
  registered on the hub's RSE, so that availability and resolve see a whole dataset at the hub.

Only the catalogue is written: the files have no bytes on disk (a listing, availability or
resolve never reads them; uploads and downloads are tried on the small sample). The rows go in
with bulk inserts (Rucio's add_replicas checks each batch with one large OR query: about 10
minutes for this sample on PostgreSQL); the RSE and account usage counters are not updated.
Runs inside the server virtualenv like seed_data.py, in one transaction; dev/rucio.sh runs it
once and keeps it.
"""

import os
import time
import zlib

from rucio.common.types import InternalAccount, InternalScope
from rucio.core.did import add_dids
from rucio.core.rse import get_rse_id
from rucio.core.scope import add_scope, check_scope
from rucio.db.sqla import models
from rucio.db.sqla.constants import DIDAvailability, DIDType, ReplicaState
from rucio.db.sqla.session import transactional_session

ROOT = InternalAccount("root")
SCOPE = "big"
FILES = 120_000
DATASETS = (100, 10_000)
BATCH = 10_000


def file_name(index: int) -> str:
    return f"file.{index:06d}"


def file_bytes(index: int) -> int:
    return 1_000 + index % 997


def adler32(index: int) -> str:
    return f"{zlib.adler32(file_name(index).encode()) & 0xFFFFFFFF:08x}"


def _batches(count: int):
    for start in range(0, count, BATCH):
        yield range(start, min(start + BATCH, count))


@transactional_session
def seed_large(*, session=None) -> None:
    scope = InternalScope(SCOPE)
    if not check_scope(scope, session=session):
        add_scope(scope, ROOT, session=session)
    remote_id = get_rse_id(os.environ["REMOTE_RSE"], session=session)
    hub_id = get_rse_id(os.environ["HUB_RSE"], session=session)
    for batch in _batches(FILES):
        session.bulk_insert_mappings(
            models.DataIdentifier,
            [
                {
                    "scope": scope,
                    "name": file_name(i),
                    "account": ROOT,
                    "did_type": DIDType.FILE,
                    "bytes": file_bytes(i),
                    "adler32": adler32(i),
                    "availability": DIDAvailability.AVAILABLE,
                }
                for i in batch
            ],
        )
    for rse_id, count in ((remote_id, FILES), (hub_id, max(DATASETS))):
        for batch in _batches(count):
            session.bulk_insert_mappings(
                models.RSEFileAssociation,
                [
                    {
                        "rse_id": rse_id,
                        "scope": scope,
                        "name": file_name(i),
                        "bytes": file_bytes(i),
                        "adler32": adler32(i),
                        "state": ReplicaState.AVAILABLE,
                    }
                    for i in batch
                ],
            )
    add_dids(
        [{"scope": scope, "name": f"files.{n}", "type": "DATASET"} for n in DATASETS],
        ROOT,
        session=session,
    )
    for size in DATASETS:
        for batch in _batches(size):
            session.bulk_insert_mappings(
                models.DataIdentifierAssociation,
                [
                    {
                        "scope": scope,
                        "name": f"files.{size}",
                        "child_scope": scope,
                        "child_name": file_name(i),
                        "did_type": DIDType.DATASET,
                        "child_type": DIDType.FILE,
                        "bytes": file_bytes(i),
                        "adler32": adler32(i),
                    }
                    for i in batch
                ],
            )
        session.query(models.DataIdentifier).filter_by(scope=scope, name=f"files.{size}").update(
            {"length": size, "bytes": sum(file_bytes(i) for i in range(size))}
        )


if __name__ == "__main__":
    started = time.monotonic()
    seed_large()
    print(f"large sample seeded in {time.monotonic() - started:.1f} s")
