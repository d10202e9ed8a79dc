"""Benchmarks of the jupyterlab-rucio server extension against the local Rucio.

First the lines against the limit (benchmarks/limits.py, on the large sample of
dev/seed_large.py): each action of the extension against Rucio itself doing the least work that
answers the same question, written to benchmarks/results/latest.json. Then the older
benchmarks, each timing the extension's REST endpoint ("ours") and a naive rucio-clients baseline
in the same process, printed as the median of several runs and the ratio ours / baseline.
Nothing is asserted: the numbers depend on the machine, the ratios are what to compare.

Usage, from the repository root: `make bench` (which also runs the browser benchmark), or after
`make install rucio-up rucio-seed-large`:

    .venv/bin/python benchmarks/run.py [--runs 7] [--only-limits]

The script starts its own JupyterLabs (dev/demo.sh, signed in as jdoe, throw-away data dir) on
free ports and stops them when done.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import limits
import requests
import shared
from kernel import Kernel
from metadata_search import bench_filtered

from upload import bench_uploads

REPO = Path(__file__).resolve().parents[1]
ENV_FILE = REPO / "dev" / ".state" / "rucio.env"
# The fixed token dev/demo.sh gives its loopback-only server; not a secret.
TOKEN = "demo"  # noqa: S105
PAGE_SIZE = 100
# All bulk datasets hold the same number of files (dev/seed_data.py); any one is the largest.
BIG_DATASET = ("bulk", "set.000")
# Rounds of the 50 simultaneous first pages: 500 samples each way, so that p99 is not the
# fifth slowest of a few.
CONCURRENT_ROUNDS = 10


def read_env(path: Path) -> dict[str, str]:
    if not path.is_file():
        sys.exit(f"{path} not found: start the local Rucio first with `make rucio-up`")
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyter_server(*options: str) -> Iterator[str]:
    """A real Jupyter server with the extension, as `make demo` runs it (plus `options` on its
    command line); yields its base URL."""
    with jupyter_servers(1, *options) as bases:
        yield bases[0]


@contextmanager
def jupyter_servers(count: int, *options: str) -> Iterator[list[str]]:
    """`count` Jupyter servers as jupyter_server starts one, each with a data directory of its
    own (a hub's users, a server each), started together; yields their base URLs."""
    with tempfile.TemporaryDirectory(prefix="rucio-bench-") as tmp:
        started: list[tuple[str, subprocess.Popen, Path]] = []
        try:
            for index in range(count):
                port = free_port()
                log_path = Path(tmp) / f"jupyter-{index}.log"
                with log_path.open("w") as log:
                    process = subprocess.Popen(
                        ["bash", str(REPO / "dev" / "demo.sh"), str(port), *options],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        # As on a user's machine: the extension gets no rucio.cfg, only the
                        # saved login.
                        env={
                            **{k: v for k, v in os.environ.items() if k != "RUCIO_CONFIG"},
                            "JUPYTER_DATA_DIR": str(Path(tmp) / f"data-{index}"),
                        },
                        start_new_session=True,
                    )
                started.append((f"http://127.0.0.1:{port}", process, log_path))
            for base, process, log_path in started:
                wait_until_up(base, process, log_path)
            yield [base for base, _, _ in started]
        finally:
            for _, process, _ in started:
                os.killpg(process.pid, signal.SIGTERM)
            for _, process, _ in started:
                process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(f"{base}/api/status", params={"token": TOKEN}, timeout=2)
            return
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"Jupyter did not start:\n{log_path.read_text()}")
            time.sleep(0.5)


class Extension:
    """The extension's REST API as a browser tab uses it: one keep-alive connection.

    Requests go through http.client: this client shares the machine's two cores with Rucio and
    the Jupyter servers (a user's browser has a machine of its own), and requests' own work,
    about 1 ms of CPU per request here, would weigh on every page (1,200 pages of 100 rows)."""

    def __init__(self, base: str) -> None:
        self.root = f"{base}/jupyterlab-rucio"
        address = urlsplit(base)
        self._prefix = f"{address.path}/jupyterlab-rucio"
        self._connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
        self._headers = {"Authorization": f"token {TOKEN}"}

    def _call(self, method: str, path: str, body: bytes | None = None, **params) -> dict:
        target = f"{self._prefix}/{path}" + (f"?{urlencode(params)}" if params else "")
        headers = dict(self._headers, **({"Content-Type": "application/json"} if body else {}))
        try:
            self._connection.request(method, target, body=body, headers=headers)
        except OSError:  # the server closed the idle connection: open another
            self._connection.close()
            self._connection.request(method, target, body=body, headers=headers)
        response = self._connection.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload)

    def get(self, path: str, **params: str | int) -> dict:
        return self._call("GET", path, **params)

    def post(self, path: str, body: dict) -> dict:
        return self._call("POST", path, json.dumps(body).encode())

    def search_page(self, pattern: str, cursor: str | None = None, limit: int = PAGE_SIZE):
        params = {"did": pattern, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self.get("dids/search", **params)

    def search_all(self, pattern: str, limit: int = PAGE_SIZE, grow: bool = False) -> int:
        """Every page, one after the other; `grow`: each page twice the one before, up to 1000,
        as the sidebar pages (src/explore/search.ts)."""
        count, cursor, pages = 0, None, 0
        while True:
            size = min(1000, limit * 2 ** min(pages, 10)) if grow else limit
            page = self.search_page(pattern, cursor, size)
            pages += 1
            count += len(page["items"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return count


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: tokens, connections, caches on both sides
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_first_page(ext: Extension, rucio, runs: int) -> tuple[float, float]:
    def naive() -> list:
        rows = list(rucio.list_dids("bulk", {"name": "*"}, did_type="all", long=True))
        return rows[:PAGE_SIZE]

    return median_ms(lambda: ext.search_page("bulk:*"), runs), median_ms(naive, runs)


def bench_all_pages(ext: Extension, rucio, runs: int) -> tuple[float, float, str]:
    def full_listing() -> int:
        return sum(1 for _ in rucio.list_dids("bulk", {"name": "*"}, did_type="all", long=True))

    paged = ext.search_all("bulk:*")
    note = f"{paged} DIDs in {-(-paged // PAGE_SIZE)} pages; one listing has {full_listing()}"
    return median_ms(lambda: ext.search_all("bulk:*"), runs), median_ms(full_listing, runs), note


def bench_availability(ext: Extension, rucio, hub_rse: str, runs: int) -> tuple[float, float, str]:
    scope, name = BIG_DATASET

    def per_file() -> int:
        on_hub = 0
        for item in rucio.list_files(scope, name):
            did = [{"scope": item["scope"], "name": item["name"]}]
            on_hub += len(list(rucio.list_replicas(did, rse_expression=hub_rse, all_states=True)))
        return on_hub

    answer = ext.get("dids/availability", did=f"{scope}:{name}")
    note = (
        f"{scope}:{name}: {answer['files_total']} files, state {answer['state']}; "
        "baseline: list_files, then list_replicas per file"
    )
    ours = median_ms(lambda: ext.get("dids/availability", did=f"{scope}:{name}"), runs)
    return ours, median_ms(per_file, max(1, runs // 2)), note


def bench_event_loop(base: str, runs: int) -> tuple[float, float, str]:
    """Latency of a cheap endpoint while another client pages through everything, vs idle."""
    probe = Extension(base)
    samples = max(20, runs * 10)

    def latencies() -> list[float]:
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            probe.get("instances")
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.02)
        return times

    probe.get("instances")
    idle = latencies()
    stop = threading.Event()
    pages_read = [0]

    def load() -> None:
        loader = Extension(base)
        while not stop.is_set():
            # The largest page size keeps the server's Rucio pool and JSON encoding busy.
            pages_read[0] += -(-loader.search_all("bulk:*", limit=1000) // 1000)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    time.sleep(0.5)  # let the listing get going before probing
    busy = latencies()
    stop.set()
    worker.join(timeout=120)
    note = (
        f"{samples} probes each; max {max(busy):.1f} ms busy vs {max(idle):.1f} ms idle; "
        f"{pages_read[0]} search pages served meanwhile"
    )
    return statistics.median(busy), statistics.median(idle), note


def print_table(rows: list[tuple[str, float, float, str]]) -> None:
    width = max(len(row[0]) for row in rows)
    print(f"{'benchmark':<{width}}  {'ours (ms)':>10}  {'baseline (ms)':>13}  {'ratio':>7}")
    for name, ours, baseline, _ in rows:
        print(f"{name:<{width}}  {ours:>10.1f}  {baseline:>13.1f}  {ours / baseline:>7.2f}")
    print()
    for name, _, _, note in rows:
        if note:
            print(f"{name}: {note}")


def rucio_client(dev: dict[str, str]):
    """The baselines' own rucio-clients user, jdoe, given everything explicitly: no rucio.cfg in
    this process either (the extension's server never had one). It talks to the Rucio URL the
    extension uses (dev/jupyter/jupyter_server_config.py: HTTPS), so both pay for the same TLS."""
    from rucio.client import Client

    return Client(
        rucio_host=dev["RUCIO_TLS_URL"],
        auth_host=dev["RUCIO_TLS_URL"],
        ca_cert=dev["RUCIO_CA_CERT"],
        account=dev["RUCIO_USER_ACCOUNT"],
        auth_type="userpass",
        creds={"username": dev["RUCIO_USER_USERNAME"], "password": dev["RUCIO_USER_PASSWORD"]},
    )


def against_the_limit(dev: dict[str, str], runs: int, heavy_runs: int) -> list[dict]:
    """The lines of benchmarks/limits.py: each against Rucio doing the least work itself."""
    rucio = rucio_client(dev)
    lines: list[dict] = []

    def done(*new: dict) -> None:
        for entry in new:
            print(
                f"  {entry['path']}: {entry['ours']} vs {entry['limit']} {entry['unit']}",
                flush=True,
            )
        lines.extend(new)

    print("Against the limit (scope big, dev/seed_large.py):", flush=True)
    with jupyter_server() as base:
        ext = Extension(base)
        ext.get("whoami")
        done(limits.first_page(ext, rucio, runs))
        done(*limits.all_pages(ext, rucio, heavy_runs))
        with Kernel(base, TOKEN) as kernel:
            done(*limits.dataset_lines(ext, kernel, rucio, dev["HUB_RSE"], heavy_runs))
    # A hub's users, a server each (the same saved login), all asking at once.
    with jupyter_servers(limits.USERS) as bases:
        done(
            *limits.concurrent(
                [Extension(b) for b in bases], lambda: rucio_client(dev), CONCURRENT_ROUNDS
            )
        )
    # A server of its own, which has answered nothing but the memory benchmark's requests.
    with jupyter_server(f"--RucioConfig.listing_expiry={limits.MEMORY_EXPIRY}") as base:
        done(*limits.server_memory(Extension(base), base, dev["RUCIO_TLS_URL"]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement")
    parser.add_argument(
        "--heavy-runs", type=int, default=5, help="timed runs of the listings of the large sample"
    )
    parser.add_argument("--upload-files", type=int, default=200, help="files of the upload run")
    parser.add_argument("--upload-megabytes", type=int, default=5, help="size of each file")
    parser.add_argument(
        "--only-limits", action="store_true", help="only the lines against the limit"
    )
    parser.add_argument(
        "--part",
        choices=("all", "limits", "others"),
        default="all",
        help="the lines against the limit, the other benchmarks, or both (make bench runs "
        "the browser benchmark in between)",
    )
    args = parser.parse_args()
    dev = read_env(ENV_FILE)
    if args.part in ("all", "limits"):
        path = limits.write(against_the_limit(dev, args.runs, args.heavy_runs))
        if args.part == "limits" or args.only_limits:
            limits.print_results(path)
            return
    if args.only_limits:
        return
    rucio = rucio_client(dev)
    rows = []
    with jupyter_server() as base:
        ext = Extension(base)
        ours, naive = bench_first_page(ext, rucio, args.runs)
        rows.append(("search bulk:* first page", ours, naive, "baseline: list all, slice 100"))
        rows.append(("search bulk:* all pages", *bench_all_pages(ext, rucio, args.runs)))
        rows.append(
            (
                "availability, 100-file set",
                *bench_availability(ext, rucio, dev["HUB_RSE"], args.runs),
            )
        )
        rows.append(("instances while searching", *bench_event_loop(base, args.runs)))
        rows += bench_filtered(ext, rucio, args.runs, median_ms, PAGE_SIZE)
        # The extension's Rucio URL (HTTPS), whose requests go to the TLS server's access log.
        load = shared.requests_per_action(ext, base, dev["RUCIO_TLS_URL"])
        load += shared.idle_user_connections(ext, base, dev["RUCIO_TLS_URL"])
        uploads = bench_uploads(ext, dev, args.upload_files, args.upload_megabytes)
    print_table(rows)
    print()
    print("\n".join(load))
    print()
    print("\n".join(uploads))
    if args.part == "all":
        print()
        limits.print_results()


if __name__ == "__main__":
    main()
