"""Metadata of the sample data: what a scientist searches by.

DID-column keys (datatype, project, run_number, campaign, version, and events on files: Rucio
sets events only on files) and JSON keys
(instrument, observing_night, energy_min, source_id, frequency) on files, datasets and containers,
with numbers, text and dates; creation dates spread over the runs so that a date range selects
some of them. Called by seed_data.py inside its transaction. dev/README.md lists the values.

The small catalogue goes through Rucio's own metadata call (both plugins). The 3,000 files of
the bulk scope get their column values with one UPDATE per dataset, and the creation dates are
set with one UPDATE per group: a call per file would make the seed slow.
"""

from datetime import datetime, timedelta

from rucio.common.types import InternalScope
from rucio.core.did import set_dids_metadata_bulk
from rucio.db.sqla import models

INSTRUMENTS = ("LST-1", "MAGIC", "CTA-N")
CAMPAIGNS = ("2023A", "2023B", "2024A")
BULK_DATASETS = 30
BULK_FILES_PER_DATASET = 100
RUN = {"project": "data24", "campaign": "2024A", "run_number": 1000}
NIGHT = {"instrument": "LST-1", "observing_night": "2024-03-14"}


def _small_catalogue(user_scope: str) -> list[tuple[str, str, dict, str]]:
    """(scope, name, metadata, created_at) of the physics, climate and user DIDs."""
    raw = [f"run2024/raw/events.{i:04d}.dat" for i in (1, 2, 3)]
    calib = [f"run2024/calib/calib.{i:04d}.dat" for i in (1, 2)]
    parts = [f"mixed/part.{i:04d}.dat" for i in (1, 2, 3, 4)]
    table = [
        ("physics", "run2024", {"project": "data24", "campaign": "2024A", "instrument": "LST-1"},
         "2024-03-15 10:00:00"),
        ("physics", "run2024.raw", {**RUN, "datatype": "RAW", **NIGHT,
                                    "energy_min": 0.02}, "2024-03-15 08:00:00"),
        ("physics", "run2024.calib", {**RUN, "datatype": "CALIB", **NIGHT, "energy_min": 0.02},
         "2024-03-15 09:00:00"),
        ("physics", "mixed.dataset", {"project": "data24", "campaign": "2024B", "run_number": 1500,
                                      "datatype": "AOD", "instrument": "MAGIC",
                                      "observing_night": "2024-05-02", "energy_min": 0.05},
         "2024-05-03 12:00:00"),
        ("physics", "empty.dataset", {"project": "mc24", "campaign": "2024B", "run_number": 2100,
                                      "datatype": "AOD", "instrument": "LST-1",
                                      "observing_night": "2024-06-20", "energy_min": 0.1},
         "2024-06-21 12:00:00"),
        *[("physics", name, {**RUN, "datatype": "RAW", "events": 1000, **NIGHT,
                             "energy_min": 0.02 + 0.01 * i}, "2024-03-14 23:00:00")
          for i, name in enumerate(raw)],
        *[("physics", name, {**RUN, "datatype": "CALIB", "instrument": "LST-1"},
           "2024-03-14 23:30:00") for name in calib],
        *[("physics", name, {"project": "data24", "campaign": "2024B", "datatype": "AOD",
                             "run_number": 1500 + i // 2, "events": 1000, "instrument": "MAGIC",
                             "energy_min": 0.05}, "2024-05-02 23:00:00")
          for i, name in enumerate(parts)],
        ("climate", "cmip6", {"project": "CMIP6"}, "2020-06-02 00:00:00"),
        ("climate", "cmip6.tas.2020", {"project": "CMIP6", "datatype": "tas",
                                       "campaign": "historical", "version": "v20200101",
                                       "source_id": "EC-Earth3", "frequency": "day"},
         "2020-06-01 00:00:00"),
        ("climate", "cmip6.pr.2020", {"project": "CMIP6", "datatype": "pr", "campaign": "ssp585",
                                      "version": "v20200101", "source_id": "MPI-ESM1-2-HR",
                                      "frequency": "day"}, "2020-06-01 00:00:00"),
        *[("climate", f"cmip6/{var}/{var}_day_2020{m:02d}.nc",
           {"project": "CMIP6", "datatype": var, "source_id": source, "frequency": "day"},
           "2020-05-31 00:00:00")
          for var, source in (("tas", "EC-Earth3"), ("pr", "MPI-ESM1-2-HR")) for m in (1, 2)],
        (user_scope, "notes.dataset", {"datatype": "notes", "topic": "analysis"},
         "2024-07-01 09:00:00"),
    ]  # fmt: skip
    return table


def _bulk_catalogue() -> list[tuple[str, str, dict, str]]:
    rows = []
    for n in range(BULK_DATASETS):
        meta = {
            "project": "mc23",
            "datatype": "AOD",
            "run_number": 3000 + n,
            "campaign": CAMPAIGNS[n % 3],
            "instrument": INSTRUMENTS[n % 3],
            "observing_night": (datetime(2023, 1, 1) + timedelta(days=n)).strftime("%Y-%m-%d"),
            "energy_min": round(0.01 * (n + 1), 2),
        }
        created = (datetime(2023, 1, 2, 12) + timedelta(days=n)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(("bulk", f"set.{n:03d}", meta, created))
    for c in range(1, 4):
        meta = {"project": "mc23", "campaign": CAMPAIGNS[c - 1], "instrument": INSTRUMENTS[c - 1]}
        rows.append(("bulk", f"collection.{c:02d}", meta, "2023-03-01 00:00:00"))
    return rows


def _created(session, scope: str, names: list[str], when: str) -> None:
    session.query(models.DataIdentifier).filter(
        models.DataIdentifier.scope == InternalScope(scope), models.DataIdentifier.name.in_(names)
    ).update(
        {"created_at": datetime.strptime(when, "%Y-%m-%d %H:%M:%S")}, synchronize_session=False
    )


def seed_metadata(user_scope: str, *, session) -> None:
    catalogue = _small_catalogue(user_scope) + _bulk_catalogue()
    set_dids_metadata_bulk(
        [{"scope": InternalScope(s), "name": n, "meta": meta} for s, n, meta, _ in catalogue],
        session=session,
    )
    by_date: dict[tuple[str, str], list[str]] = {}
    for scope, name, _, created in catalogue:
        by_date.setdefault((scope, created), []).append(name)
    for (scope, created), names in by_date.items():
        _created(session, scope, names, created)
    # The bulk files: the run of their dataset, one UPDATE per dataset.
    for n in range(BULK_DATASETS):
        first = n * BULK_FILES_PER_DATASET
        names = [f"sample.{i:05d}.dat" for i in range(first, first + BULK_FILES_PER_DATASET)]
        session.query(models.DataIdentifier).filter(
            models.DataIdentifier.scope == InternalScope("bulk"),
            models.DataIdentifier.name.in_(names),
        ).update(
            {
                "run_number": 3000 + n,
                "datatype": "AOD",
                "project": "mc23",
                "campaign": CAMPAIGNS[n % 3],
                "created_at": datetime(2023, 1, 2) + timedelta(days=n),
            },
            synchronize_session=False,
        )
