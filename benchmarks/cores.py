"""How the 50 concurrent users share the machine's cores with Rucio.

On a hub, Rucio runs on servers of its own and each user's Jupyter server has CPU of its own.
Here they all share two cores, and the CPU that 50 Jupyter servers take is Rucio's, which no
hub would see. So the line against the limit runs with Rucio's processes on one core and the
users' servers and the benchmark's clients on the other (`rucio_on_a_core_of_its_own`); the
same calls with everything on the same cores are reported beside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

STATE = Path(__file__).resolve().parents[1] / "dev" / ".state"


def rucio_processes() -> list[psutil.Process]:
    """The local Rucio's processes (dev/rucio.sh): its servers and daemons, PostgreSQL and
    memcached, with their children."""
    leaders = [STATE / "pg" / "data" / "postmaster.pid", *STATE.glob("*.pid")]
    found: list[psutil.Process] = []
    for pid_file in leaders:
        try:
            leader = psutil.Process(int(pid_file.read_text().split()[0]))
            found += [leader, *leader.children(recursive=True)]
        except (OSError, ValueError, IndexError, psutil.Error):
            continue
    return found


def _each_thread(processes: list[psutil.Process], apply) -> None:
    """`apply(thread id)` on every thread (affinity is a thread's own on Linux; a thread
    started later takes that of the thread that starts it)."""
    for process in processes:
        try:
            for thread in process.threads():
                apply(thread.id)
        except (OSError, psutil.Error):
            continue


@contextmanager
def rucio_on_a_core_of_its_own() -> Iterator[str]:
    """Rucio's processes on the first core, this process and its children (the users' Jupyter
    servers) on the others. Yields how the cores were given (nothing is moved on a machine of
    one core)."""
    cpus = sorted(os.sched_getaffinity(0))
    rucio = rucio_processes()
    ours = [psutil.Process(), *psutil.Process().children(recursive=True)]
    if len(cpus) < 2 or not rucio:
        yield "everything on the same cores (one core, or no local Rucio found)"
        return
    _each_thread(rucio, lambda tid: os.sched_setaffinity(tid, {cpus[0]}))
    _each_thread(ours, lambda tid: os.sched_setaffinity(tid, set(cpus[1:])))
    try:
        yield f"Rucio's processes on core {cpus[0]}, the users' servers and clients on the rest"
    finally:  # what started meanwhile (a database connection, say) included
        everyone = rucio_processes() + ours + psutil.Process().children(recursive=True)
        _each_thread(everyone, lambda tid: os.sched_setaffinity(tid, set(cpus)))
