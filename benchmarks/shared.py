"""What one user costs a shared Rucio, on the large sample (scope `big`, dev/seed_large.py).

- Rucio requests per action, for a 100-file and a 10,000-file dataset (read from the local
  Rucio's access log): the two columns should be equal.
- Connections to Rucio held by the Jupyter server of a user who searched `big:*`, read two pages
  and went idle: right after, and 10 s later (target 0).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import psutil

REPO = Path(__file__).resolve().parents[1]
LOGS = REPO / "dev" / ".state" / "logs"


def access_log(rucio_url: str) -> Path:
    """The access log of the local Rucio server behind `rucio_url` (dev/rucio.sh runs one
    gunicorn for HTTP and one for HTTPS)."""
    return LOGS / ("access-tls.log" if urlparse(rucio_url).scheme == "https" else "access.log")


SIZES = (100, 10_000)


def settled(pid: int, rucio_port: int, longest: float = 180.0) -> float:
    """Seconds until the server holds no connection to Rucio (every request of the action has
    ended, a listing read to its end for later pages included), then until gunicorn wrote its
    access-log lines."""
    started = time.monotonic()
    while held_connections(pid, rucio_port) and time.monotonic() - started < longest:
        time.sleep(0.2)
    waited = time.monotonic() - started
    time.sleep(0.5)
    return waited


def rucio_requests(action, pid: int, rucio_url: str) -> int:
    rucio_port = urlparse(rucio_url).port
    settled(pid, rucio_port)
    start = access_log(rucio_url).stat().st_size
    action()
    settled(pid, rucio_port)
    with access_log(rucio_url).open("rb") as log:
        log.seek(start)
        return len(log.read().splitlines())


def requests_per_action(ext, base: str, rucio_url: str) -> list[str]:
    pid = _server_pid(urlparse(base).port)

    def actions(size: int) -> dict:
        did = f"big:files.{size}"
        pattern = "big:file.000*" if size == 100 else "big:file.0*"

        def search() -> None:
            first = ext.get("dids/search", did=pattern, type="file")
            ext.get("dids/search", did=pattern, type="file", cursor=first["next_cursor"])

        return {
            "search: first and next page": search,
            "contents: first page": lambda: ext.get("dids/contents", did=did),
            "availability": lambda: ext.get("dids/availability", did=did),
            "resolve": lambda: ext.post("resolve", {"dids": [did]}),
        }

    ext.get("whoami")
    table = {
        size: {name: rucio_requests(run, pid, rucio_url) for name, run in actions(size).items()}
        for size in SIZES
    }
    width = max(len(name) for name in table[SIZES[0]])
    lines = [f"{'Rucio requests per action':<{width}}  {'100 files':>9}  {'10,000 files':>12}"]
    for name in table[SIZES[0]]:
        lines.append(f"{name:<{width}}  {table[100][name]:>9}  {table[10_000][name]:>12}")
    return lines


def _server_pid(port: int) -> int:
    for process in psutil.process_iter(["pid"]):
        try:
            for conn in process.net_connections(kind="tcp"):
                if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
                    return process.pid
        except (psutil.AccessDenied, psutil.NoSuchProcess):
            continue
    raise RuntimeError(f"no process listens on port {port}")


def held_connections(pid: int, rucio_port: int) -> int:
    return sum(
        1
        for conn in psutil.Process(pid).net_connections(kind="tcp")
        if conn.raddr and conn.raddr.port == rucio_port and conn.status == psutil.CONN_ESTABLISHED
    )


def idle_user_connections(ext, base: str, rucio_url: str) -> list[str]:
    pid = _server_pid(urlparse(base).port)
    rucio_port = urlparse(rucio_url).port
    first = ext.get("dids/search", did="big:*", type="file")
    ext.get("dids/search", did="big:*", type="file", cursor=first["next_cursor"])
    right_after = held_connections(pid, rucio_port)
    released_after = settled(pid, rucio_port)
    later = held_connections(pid, rucio_port)
    return [
        "Connections to Rucio held by an idle user after two pages of big:* (target 0): "
        f"{right_after} right after (the rest of the listing being read), {later} once it was "
        f"read to its end, {released_after:.1f} s later"
    ]
