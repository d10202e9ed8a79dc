"""Background transfer loop of the local Rucio: makes replication rules really complete.

Runs inside the server virtualenv with RUCIO_CONFIG pointing at dev/.state/rucio.cfg.
Each round runs the conveyor submitter, poller and finisher once with Rucio's `mock`
transfertool, the way Rucio's own test-suite drives them in-process. The mock reports every
transfer as done without moving data, so its submit step is wrapped to copy the bytes from
the source path to the destination path first: rules go REPLICATING -> OK with real files.
A copy that cannot be made (e.g. the source file was lost from disk) is reported back by the
status query as FAILED with its reason, as a real transfer tool would; the finisher then
retries it (Rucio allows 3 retries) and finally marks the lock, and so the rule, STUCK.
The judge evaluator runs every round (new files in a dataset with a rule get their locks)
and the account abacus now and then (usage counters). No exception ends the loop.
A round with nothing to do (no transfer request, no DID or account counter waiting) is one
query: the daemons themselves cost tens of milliseconds of CPU a round, which every
benchmark and UI test on this machine would otherwise share with them once a second.
"""

import logging
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from rucio.core.request import get_transfer_error
from rucio.daemons.abacus.account import account_update
from rucio.daemons.conveyor.finisher import finisher
from rucio.daemons.conveyor.poller import poller
from rucio.daemons.conveyor.submitter import submitter
from rucio.daemons.judge.evaluator import re_evaluator
from rucio.db.sqla import models
from rucio.db.sqla.constants import RequestState
from rucio.db.sqla.session import read_session
from rucio.transfertool.mock import MockTransferStatusReport, MockTransfertool
from sqlalchemy import exists, select

ROUND_SECONDS = 1.0
ABACUS_EVERY_ROUNDS = 10
LOG = logging.getLogger("transfer_loop")
STOP = threading.Event()
# Why a copy failed, by request id, so that the status query can report the reason. A loop
# restarted in between still fails the transfer (no file at the destination), with a
# generic reason.
COPY_FAILURES: dict[str, str] = {}


def _local_path(url: str) -> Path:
    return Path(urlparse(url).path)


class FailedTransferReport(MockTransferStatusReport):
    supported_db_fields = ["state", "external_id", "err_msg"]

    def __init__(self, request_id: str, external_id: str, reason: str):
        super().__init__(request_id, external_id)
        self.state = RequestState.FAILED
        self.err_msg = get_transfer_error(RequestState.FAILED, reason)


def _copy_then_submit(original_submit):
    def submit(self, transfers, job_params, timeout=None):
        for transfer in transfers:
            source = _local_path(transfer.source_url(transfer.src))
            destination = _local_path(transfer.dest_url)
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
            except OSError as error:
                reason = f"copy {source} -> {destination} failed: {error.strerror or error}"
                COPY_FAILURES[transfer.rws.request_id] = reason
                LOG.warning("%s", reason)
                continue
            LOG.info("copied %s -> %s", source, destination)
        return original_submit(self, transfers, job_params, timeout)

    return submit


def _report_failed_copies(original_bulk_query):
    def bulk_query(self, requests_by_eid, timeout=None):
        response = original_bulk_query(self, requests_by_eid, timeout)
        for external_id, requests in requests_by_eid.items():
            for request_id, request in requests.items():
                reason = COPY_FAILURES.pop(request_id, None)
                destination = request.get("dest_url")
                if reason is None and (not destination or _local_path(destination).is_file()):
                    continue
                reason = reason or f"no file at {_local_path(destination)} after the copy"
                response[external_id][request_id] = FailedTransferReport(
                    request_id, external_id, reason
                )
        return response

    return bulk_query


@read_session
def _waiting_work(*, session) -> tuple[bool, bool]:
    """Whether a transfer request or an updated DID waits (the conveyor's and the judge's
    work), and whether an account counter does (the abacus')."""
    waiting = (
        session.execute(select(exists().where(models.Request.id.isnot(None)))).scalar()
        or session.execute(select(exists().where(models.UpdatedDID.id.isnot(None)))).scalar()
    )
    counters = session.execute(
        select(exists().where(models.UpdatedAccountCounter.id.isnot(None)))
    ).scalar()
    return bool(waiting), bool(counters)


def _run_round(round_number: int) -> None:
    try:
        waiting, counters = _waiting_work()
    except Exception:
        LOG.exception("checking for work failed; running the round")
        waiting = counters = True
    steps = []
    if waiting:
        steps += [
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
    if counters and round_number % ABACUS_EVERY_ROUNDS == 0:
        steps.append(("abacus-account", lambda: account_update(once=True)))
    for name, step in steps:
        if STOP.is_set():
            return
        try:
            step()
        except Exception:
            # A failing step (a deadlock with a request of the server, say) must not stop the loop.
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
    MockTransfertool.bulk_query = _report_failed_copies(MockTransfertool.bulk_query)
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
    main()
