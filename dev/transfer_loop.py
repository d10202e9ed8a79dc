"""Background transfer loop of the local Rucio: makes replication rules really complete.

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg.
Each round runs the conveyor submitter, poller and finisher once with Rucio's `mock`
transfertool, the way Rucio's own test-suite drives them in-process. The mock reports every
transfer as done without moving data, so its submit step is wrapped to copy the bytes from
the source path to the destination path first: rules go REPLICATING -> OK with real files.
The judge evaluator runs every round (new files in a dataset with a rule get their locks)
and the account abacus now and then (usage counters). No exception ends the loop.
"""

import logging
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import sqlite_locking
from rucio.daemons.abacus.account import account_update
from rucio.daemons.conveyor.finisher import finisher
from rucio.daemons.conveyor.poller import poller
from rucio.daemons.conveyor.submitter import submitter
from rucio.daemons.judge.evaluator import re_evaluator
from rucio.transfertool.mock import MockTransfertool

ROUND_SECONDS = 1.0
ABACUS_EVERY_ROUNDS = 10
LOG = logging.getLogger("transfer_loop")
STOP = threading.Event()


def _local_path(url: str) -> Path:
    return Path(urlparse(url).path)


def _copy_then_submit(original_submit):
    def submit(self, transfers, job_params, timeout=None):
        for transfer in transfers:
            source = _local_path(transfer.source_url(transfer.src))
            destination = _local_path(transfer.dest_url)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            LOG.info("copied %s -> %s", source, destination)
        return original_submit(self, transfers, job_params, timeout)

    return submit


def _run_round(round_number: int) -> None:
    steps = [
        (
            "submitter",
            lambda: submitter(
                once=True,
                partition_wait_time=0,
                transfertools=["mock"],
                transfertype="single",
                filter_transfertool=None,
            ),
        ),
        ("poller", lambda: poller(once=True, older_than=0, partition_wait_time=0)),
        ("finisher", lambda: finisher(once=True, partition_wait_time=0)),
        ("judge-evaluator", lambda: re_evaluator(once=True, did_limit=1000)),
    ]
    if round_number % ABACUS_EVERY_ROUNDS == 0:
        steps.append(("abacus-account", lambda: account_update(once=True)))
    for name, step in steps:
        if STOP.is_set():
            return
        try:
            step()
        except Exception:
            # A failing step (e.g. a briefly locked SQLite database) must not stop the service.
            LOG.exception("%s failed; retrying next round", name)


def main() -> None:
    # The daemons report every idle round at INFO; only their warnings and our copies are kept.
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stdout,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    LOG.setLevel(logging.INFO)
    MockTransfertool.submit = _copy_then_submit(MockTransfertool.submit)
    signal.signal(signal.SIGTERM, lambda *_: STOP.set())
    signal.signal(signal.SIGINT, lambda *_: STOP.set())
    LOG.info("transfer loop started")
    round_number = 0
    while not STOP.is_set():
        started = time.monotonic()
        _run_round(round_number)
        round_number += 1
        STOP.wait(max(0.0, ROUND_SECONDS - (time.monotonic() - started)))
    LOG.info("transfer loop stopped")


if __name__ == "__main__":
    sqlite_locking.install()
    main()
