"""Sample data of the local Rucio: real bytes in the RSE directories, registered in bulk.

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg, after
seed_topology.py. Everything is registered in one transaction, so a failed run leaves no
half-seeded catalogue behind and can simply be repeated. dev/README.md describes the result.
"""

import os
import random
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from rucio.common.types import InternalAccount, InternalScope
from rucio.core import config as core_config
from rucio.core import rse as core_rse
from rucio.core.did import add_dids, attach_dids_to_dids
from rucio.core.replica import add_replicas
from rucio.core.rse import get_rse_id, get_rse_info
from rucio.core.rule import add_rule
from rucio.db.sqla.session import transactional_session
from rucio.rse import rsemanager
from seed_metadata import seed_metadata

ROOT = InternalAccount("root")
BULK_CONTAINERS = 3
BULK_DATASETS_PER_CONTAINER = 10
BULK_FILES_PER_DATASET = 100
REGISTRATION_BATCH = 200


@dataclass
class SeedFile:
    scope: str
    name: str
    size: int
    on_hub: bool
    on_remote: bool


@dataclass
class SeedDataset:
    scope: str
    name: str
    files: list[SeedFile] = field(default_factory=list)


def _files(
    scope: str, names: list[str], size: int, on_hub: bool, on_remote: bool = True
) -> list[SeedFile]:
    return [
        SeedFile(scope, name, size + index * 17, on_hub, on_remote)
        for index, name in enumerate(names)
    ]


def _small_datasets(user_scope: str) -> list[SeedDataset]:
    # scope, dataset, file names, size of the first file, on the hub RSE, on the remote RSE.
    # A dataset listed twice gets both groups of files (that is how one becomes partial).
    table = [
        ("physics", "run2024.raw", [f"run2024/raw/events.{i:04d}.dat" for i in (1, 2, 3)],
         48_000, True, True),
        ("physics", "run2024.calib", [f"run2024/calib/calib.{i:04d}.dat" for i in (1, 2)],
         6_000, False, True),
        ("physics", "empty.dataset", [], 0, False, False),
        ("physics", "mixed.dataset", ["mixed/part.0001.dat", "mixed/part.0002.dat"],
         9_000, True, True),
        ("physics", "mixed.dataset", ["mixed/part.0003.dat", "mixed/part.0004.dat"],
         9_500, False, True),
        ("climate", "cmip6.tas.2020", [f"cmip6/tas/tas_day_2020{m:02d}.nc" for m in (1, 2)],
         20_000, False, True),
        ("climate", "cmip6.pr.2020", [f"cmip6/pr/pr_day_2020{m:02d}.nc" for m in (1, 2)],
         20_000, False, True),
        (user_scope, "notes.dataset", ["notes/readme.txt", "notes/analysis.csv", "notes/plot.json"],
         700, True, False),
    ]  # fmt: skip
    datasets: dict[tuple[str, str], SeedDataset] = {}
    for scope, name, file_names, size, on_hub, on_remote in table:
        dataset = datasets.setdefault((scope, name), SeedDataset(scope, name))
        dataset.files += _files(scope, file_names, size, on_hub, on_remote)
    return list(datasets.values())


def _catalogue(user_scope: str) -> tuple[list[SeedDataset], dict[tuple[str, str], list[str]]]:
    """The datasets with their files, and which containers hold which datasets."""
    datasets = _small_datasets(user_scope)
    containers = {
        ("physics", "run2024"): ["run2024.raw", "run2024.calib"],
        ("climate", "cmip6"): ["cmip6.tas.2020", "cmip6.pr.2020"],
    }
    for container in range(1, BULK_CONTAINERS + 1):
        names = []
        for offset in range(BULK_DATASETS_PER_CONTAINER):
            set_number = (container - 1) * BULK_DATASETS_PER_CONTAINER + offset
            first = set_number * BULK_FILES_PER_DATASET
            files = _files(
                "bulk",
                [f"sample.{n:05d}.dat" for n in range(first, first + BULK_FILES_PER_DATASET)],
                256,
                on_hub=False,
            )
            datasets.append(SeedDataset("bulk", f"set.{set_number:03d}", files))
            names.append(f"set.{set_number:03d}")
        containers[("bulk", f"collection.{container:02d}")] = names
    return datasets, containers


def _content(seed_file: SeedFile) -> bytes:
    # Deterministic bytes: a reset reproduces exactly the same checksums.
    return random.Random(f"{seed_file.scope}:{seed_file.name}").randbytes(seed_file.size)


def _write_replicas(rse_info, files: list[SeedFile]) -> list[dict]:
    """Write the bytes where the RSE's lfn2pfn puts them; return replica rows for registration."""
    lfns = [{"scope": f.scope, "name": f.name} for f in files]
    pfns = rsemanager.lfns2pfns(rse_info, lfns, operation="write", scheme="file")
    rows = []
    for seed_file in files:
        path = Path(urlparse(pfns[f"{seed_file.scope}:{seed_file.name}"]).path)
        data = _content(seed_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(
            {
                "scope": InternalScope(seed_file.scope),
                "name": seed_file.name,
                "bytes": len(data),
                "adler32": f"{zlib.adler32(data) & 0xFFFFFFFF:08x}",
                "state": "A",
            }
        )
    return rows


def _did(scope: str, name: str) -> dict:
    return {"scope": InternalScope(scope), "name": name}


@transactional_session
def seed_data(*, session=None) -> None:
    user_scope = os.environ["RUCIO_USER_SCOPE"]
    jdoe = InternalAccount(os.environ["RUCIO_USER_ACCOUNT"])
    hub_id = get_rse_id(os.environ["HUB_RSE"], session=session)
    remote_id = get_rse_id(os.environ["REMOTE_RSE"], session=session)
    datasets, containers = _catalogue(user_scope)

    def owner(scope: str) -> InternalAccount:
        return jdoe if scope == user_scope else ROOT

    all_files = [f for ds in datasets for f in ds.files]
    scratch = SeedFile(user_scope, "scratch/hello.txt", 120, on_hub=True, on_remote=False)
    all_files.append(scratch)
    for rse_id, wanted in ((hub_id, lambda f: f.on_hub), (remote_id, lambda f: f.on_remote)):
        for account in {owner(f.scope) for f in all_files}:
            chosen = [f for f in all_files if wanted(f) and owner(f.scope) == account]
            rse_info = get_rse_info(rse_id, session=session)
            # Batches keep each registration query (and the files written per step) small.
            for start in range(0, len(chosen), REGISTRATION_BATCH):
                rows = _write_replicas(rse_info, chosen[start : start + REGISTRATION_BATCH])
                add_replicas(rse_id, rows, account, session=session)

    add_dids(
        [
            {**_did(ds.scope, ds.name), "type": "DATASET", "account": owner(ds.scope)}
            for ds in datasets
        ],
        ROOT,
        session=session,
    )
    add_dids(
        [
            {**_did(scope, name), "type": "CONTAINER", "account": owner(scope)}
            for scope, name in containers
        ],
        ROOT,
        session=session,
    )
    attach_dids_to_dids(
        [
            {**_did(ds.scope, ds.name), "dids": [_did(f.scope, f.name) for f in ds.files]}
            for ds in datasets
            if ds.files
        ],
        ROOT,
        session=session,
    )
    attach_dids_to_dids(
        [
            {**_did(scope, name), "dids": [_did(scope, child) for child in children]}
            for (scope, name), children in containers.items()
        ],
        ROOT,
        session=session,
    )

    # Rules protect the seeded replicas, as they would on a real instance.
    for rse_name, rse_wants in (
        (os.environ["REMOTE_RSE"], lambda f: f.on_remote),
        (os.environ["HUB_RSE"], lambda f: f.on_hub),
    ):
        by_owner: dict[str, list[dict]] = {}
        for ds in datasets:
            if ds.files and all(rse_wants(f) for f in ds.files):
                by_owner.setdefault(owner(ds.scope).external, []).append(_did(ds.scope, ds.name))
            else:
                for seed_file in filter(rse_wants, ds.files):
                    by_owner.setdefault(owner(seed_file.scope).external, []).append(
                        _did(seed_file.scope, seed_file.name)
                    )
        if rse_wants(scratch):
            by_owner.setdefault(jdoe.external, []).append(_did(scratch.scope, scratch.name))
        for account_name, dids in by_owner.items():
            add_rule(
                dids,
                InternalAccount(account_name),
                1,
                rse_name,
                "DATASET",
                None,
                None,
                False,
                None,
                session=session,
            )
    seed_metadata(user_scope, session=session)


def _cache_lookups_in_memory() -> None:
    # Rucio caches RSE attributes and configuration values in memcached, which the local instance
    # does not run, so each look-up is a query: thousands in this seed (two per file when a rule
    # creates its locks). Nothing else changes them while the seed runs: its own memory will do.
    for region in (core_rse.REGION, core_config.REGION):
        region.configure("dogpile.cache.memory", expiration_time=900, replace_existing_backend=True)


if __name__ == "__main__":
    _cache_lookups_in_memory()
    started = time.monotonic()
    seed_data()
    print(f"data seeded in {time.monotonic() - started:.1f} s")
