"""The extension against the limit, on the large sample (scope `big`, dev/seed_large.py).

The limit is Rucio itself doing the least work that answers the same question, measured in the
same run against the same Rucio with the same account: rucio-clients calls made by this process
(not by the Jupyter server), each thread with a Client of its own. Each line is printed with
ours, the limit, the ratio and the target, and every figure goes into a JSON file
(benchmarks/results/latest.json) so that runs can be compared.

Run by benchmarks/run.py; `python benchmarks/limits.py --print [FILE]` prints the table of a
results file again (make bench does so once the browser benchmark has added its line).
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import cores
import psutil
import shared

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "latest.json"
SEARCH = "big:*"
DATASET = "big:files.10000"
# The variable the injection line defines in its kernel.
VARIABLE = "bench_files"
PAGE = 100
USERS = 50
# The listing expiry of the memory benchmark's server (RucioConfig.listing_expiry, default
# 120 s), and how long after it the server is left idle before its memory is read again.
MEMORY_EXPIRY = 20.0
MEMORY_IDLE = 40.0
MB = 1024 * 1024

# path, limit, target: the table.
TARGETS = {
    "first_page": (
        "first page of big:*, one user",
        "list_dids, first 100 rows (Rucio's limit)",
        "<= 1.2x",
    ),
    "concurrent_p50": (
        f"first page, {USERS} concurrent users: p50",
        f"the same {USERS} calls straight to Rucio",
        "<= 1.5x",
    ),
    "concurrent_p99": (
        f"first page, {USERS} concurrent users: p99",
        f"the same {USERS} calls straight to Rucio",
        "<= 2x",
    ),
    "concurrent_errors": (
        f"first page, {USERS} concurrent users: errors",
        "-",
        "0",
    ),
    "concurrent_shared_p50": (
        "the same, everything on the same cores: p50",
        f"the same {USERS} calls straight to Rucio",
        "-",
    ),
    "concurrent_shared_p99": (
        "the same, everything on the same cores: p99",
        f"the same {USERS} calls straight to Rucio",
        "-",
    ),
    "all_pages_sidebar": (
        "page through all of big:*, as the sidebar pages",
        "one full list_dids",
        "<= 1.3x",
    ),
    "all_pages": (
        "page through all of big:*, pages of 100",
        "one full list_dids",
        "<= 1.3x",
    ),
    "all_pages_1000": (
        "page through all of big:*, pages of 1000",
        "one full list_dids",
        "<= 1.3x",
    ),
    "availability": (
        "availability, 10,000-file dataset",
        "one bulk list_replicas",
        "<= 1.3x",
    ),
    "resolve": ("resolve, 10,000-file dataset", "one bulk list_replicas", "<= 1.3x"),
    "injection": (
        "notebook injection, 10,000-file dataset",
        "one bulk list_replicas",
        "<= 1.3x",
    ),
    "browser_frame": ("browser: scroll big:* end to end, longest frame", "-", "<= 50 ms"),
    "browser_heap": ("browser: scroll big:* end to end, JS heap growth", "-", "< 50 MB"),
    "memory_paged": (
        "server memory after paging all of big:*",
        "the same server before",
        "< 50 MB above",
    ),
    "memory_idle": (
        "server memory after the expiry and idle time",
        "the same server before",
        "< 10 MB above",
    ),
}
RATIO_LIMITS = {
    "first_page": 1.2,
    "concurrent_p50": 1.5,
    "concurrent_p99": 2.0,
    "all_pages_sidebar": 1.3,
    "all_pages": 1.3,
    "all_pages_1000": 1.3,
    "availability": 1.3,
    "resolve": 1.3,
    "injection": 1.3,
}


def line(key: str, ours: float, limit: float | None, unit: str, note: str = "", **extra) -> dict:
    path, baseline, target = TARGETS[key]
    entry: dict[str, Any] = {
        "key": key,
        "path": path,
        "ours": round(ours, 2),
        "limit": None if limit is None else round(limit, 2),
        "unit": unit,
        "target": target,
        "note": note,
        "baseline": baseline,
        **extra,
    }
    if limit and unit == "ms":
        entry["ratio"] = round(ours / limit, 3)
    if key in RATIO_LIMITS and limit:
        entry["met"] = entry["ratio"] <= RATIO_LIMITS[key]
    elif key == "concurrent_errors":
        entry["met"] = ours == 0
    elif key in ("memory_paged", "memory_idle"):
        entry["ratio"] = None
        entry["met"] = ours < (50 if key == "memory_paged" else 10)
    return entry


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def interleaved_ms(
    actions: dict[str, Callable[[], object]], runs: int
) -> dict[str, tuple[float, list[float]]]:
    """Each action timed `runs` times, taking turns (in the opposite order every other round),
    so that a change of the machine's load during the measurement weighs on all of them alike.
    Returns each action's median and its runs."""
    for action in actions.values():
        action()  # warm-up: tokens, connections, caches on both sides
    times: dict[str, list[float]] = {key: [] for key in actions}
    order = list(actions)
    for round_ in range(runs):
        for key in order if round_ % 2 == 0 else reversed(order):
            times[key].append(timed(actions[key]))
    return {key: (statistics.median(values), values) for key, values in times.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- the limits: rucio-clients straight to Rucio ---------------------------------------------------
def first_rows(rucio, count: int = PAGE) -> int:
    """The first `count` rows as Rucio answers them with least work: its own `limit` (which
    rucio-clients' list_dids does not pass; the same request with the parameter added)."""
    from jupyterlab_rucio.dids import list_dids_rows

    scope, name = SEARCH.split(":")
    return sum(1 for _ in list_dids_rows(rucio, scope, [{"name": name}], "all", count))


def first_rows_read(rucio, count: int = PAGE) -> int:
    """The first `count` rows of rucio-clients' list_dids as it is, then the listing closed."""
    scope, name = SEARCH.split(":")
    rows = rucio.list_dids(scope, {"name": name}, did_type="all", long=True)
    read = 0
    for _ in rows:
        read += 1
        if read == count:
            break
    rows.close()
    return read


def full_listing(rucio) -> int:
    scope, name = SEARCH.split(":")
    return sum(1 for _ in rucio.list_dids(scope, {"name": name}, did_type="all", long=True))


def bulk_replicas(rucio, hub_rse: str) -> int:
    scope, name = DATASET.split(":")
    # The call the extension makes for availability and resolve (replication.py).
    rows = rucio.list_replicas(
        [{"scope": scope, "name": name}],
        rse_expression=hub_rse,
        all_states=True,
        schemes=None,
        sort="random",
    )
    return sum(1 for _ in rows)


# -- the measurements ------------------------------------------------------------------------------
def first_page(ext, rucio, runs: int) -> dict:
    timed_runs = interleaved_ms(
        {
            "ours": lambda: ext.search_page(SEARCH),
            "limit": lambda: first_rows(rucio),
            "plain": lambda: first_rows_read(rucio),
            # What any request to the Jupyter server costs: an endpoint that does not call Rucio.
            "request": lambda: ext.get("instances"),
        },
        runs,
    )
    ours, ours_runs = timed_runs["ours"]
    limit, limit_runs = timed_runs["limit"]
    plain, request = timed_runs["plain"][0], timed_runs["request"][0]
    return line(
        "first_page",
        ours,
        limit,
        "ms",
        f"median of {runs}, taking turns; page of {PAGE} rows; the limit is list_dids with "
        f"Rucio's own limit of {PAGE} rows; rucio-clients' list_dids as it is, reading {PAGE} "
        f"rows and closing the listing, takes {plain:.1f} ms ({ours / plain:.2f}x); a request "
        f"to the Jupyter server that does not call Rucio (GET instances) takes {request:.1f} ms",
        runs_ours=ours_runs,
        runs_limit=limit_runs,
        jupyter_request_ms=round(request, 2),
    )


def concurrent(sessions: list, make_rucio, rounds: int) -> list[dict]:
    """A thread per user, each with its own HTTP session to its own Jupyter server (ours) or its
    own rucio-clients Client (limit), all starting together; `rounds` times each. First with
    Rucio on a core of its own and the users' servers and clients on the other, as on a hub
    (the target's line), then with all of them sharing both cores."""
    clients = [make_rucio() for _ in sessions]
    ours_calls = [lambda s=s: s.search_page(SEARCH) for s in sessions]
    limit_calls = [lambda c=c: first_rows(c) for c in clients]
    with cores.rucio_on_a_core_of_its_own() as split:
        hub = _bursts(ours_calls, limit_calls, rounds)
    together = _bursts(ours_calls, limit_calls, rounds)
    measured = (
        f"{rounds} rounds of {len(sessions)} simultaneous first pages, {len(hub.ours)} samples each"
    )
    note = f"{measured}; a Jupyter server per user; {split}"
    shared_note = f"{measured}; everything on the same cores"
    errors = hub.errors + together.errors
    first = f"; the first: {errors[0]}" if errors else ""
    return [
        line("concurrent_p50", *hub.at(0.5), "ms", note),
        line("concurrent_p99", *hub.at(0.99), "ms", note),
        line(
            "concurrent_errors",
            len(errors),
            hub.limit_errors + together.limit_errors,
            "errors",
            f"errors of ours in both runs: {len(errors)}{first}; of the direct calls: "
            f"{hub.limit_errors + together.limit_errors}",
        ),
        line("concurrent_shared_p50", *together.at(0.5), "ms", shared_note),
        line("concurrent_shared_p99", *together.at(0.99), "ms", shared_note),
    ]


class _Timed:
    """The latencies of the bursts of ours and of the limit, and the errors."""

    def __init__(self) -> None:
        self.ours: list[float] = []
        self.limit: list[float] = []
        self.errors: list[str] = []
        self.limit_errors = 0

    def at(self, share: float) -> tuple[float, float]:
        return percentile(self.ours, share), percentile(self.limit, share)


def _bursts(ours_calls: list, limit_calls: list, rounds: int) -> _Timed:
    timed = _Timed()

    def burst(calls: list[Callable[[], object]]) -> tuple[list[float], list[str]]:
        gate = threading.Barrier(len(calls))
        errors: list[str] = []

        def one(call) -> float:
            gate.wait()
            start = time.perf_counter()
            try:
                call()
            except Exception as error:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(error).__name__}: {error}"[:200])
            return (time.perf_counter() - start) * 1000

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(one, calls)), errors

    burst(ours_calls)  # warm-up: each session's connection, each client's token
    burst(limit_calls)
    for _ in range(rounds):
        times, errors = burst(ours_calls)
        timed.ours += times
        timed.errors += errors
        times, errors = burst(limit_calls)
        timed.limit += times
        timed.limit_errors += len(errors)
    return timed


def all_pages(ext, rucio, runs: int) -> list[dict]:
    """Paging through everything one page after the other against one full listing: as the
    sidebar pages (the default first page of 100, each next page twice the one before, up to
    1000), and in fixed pages of 100 and of 1000 (the largest the API takes)."""
    counted = {}

    def limit() -> None:
        counted["limit"] = full_listing(rucio)

    def ours(key: str, size: int, grow: bool) -> Callable[[], None]:
        def page_through() -> None:
            counted[key] = ext.search_all(SEARCH, limit=size, grow=grow)

        return page_through

    ways = {
        "all_pages_sidebar": (PAGE, True, f"pages from {PAGE} doubling to 1000"),
        "all_pages": (PAGE, False, f"pages of {PAGE}"),
        "all_pages_1000": (1000, False, "pages of 1000"),
    }
    timed_runs = interleaved_ms(
        {
            "limit": limit,
            **{key: ours(key, size, grow) for key, (size, grow, _) in ways.items()},
        },
        runs,
    )
    limit_ms, limit_runs = timed_runs["limit"]
    lines = []
    for key, (_, _, pages) in ways.items():
        ours_ms, ours_runs = timed_runs[key]
        note = (
            f"median of {runs}, taking turns with the limit; {counted[key]:,} DIDs in {pages}, "
            f"one after the other; the full listing has {counted['limit']:,}"
        )
        lines.append(
            line(key, ours_ms, limit_ms, "ms", note, runs_ours=ours_runs, runs_limit=limit_runs)
        )
    return lines


def dataset_lines(ext, kernel, rucio, hub_rse: str, runs: int) -> list[dict]:
    """Availability, resolve and notebook injection of the 10,000-file dataset, each against one
    bulk list_replicas. Injection is what the sidebar does for an attached DID: the code from
    POST notebook/code, run in the notebook's kernel (`kernel`, a real one of the same server)."""
    answers: dict[str, Any] = {}

    def availability() -> None:
        answers["availability"] = ext.get("dids/availability", did=DATASET)

    def resolve() -> None:
        answers["resolve"] = ext.post("resolve", {"dids": [DATASET]})

    def inject() -> None:
        answers["code"] = ext.post(
            "notebook/code",
            {"language": "python", "attachments": [{"variable": VARIABLE, "did": DATASET}]},
        )
        kernel.execute(answers["code"]["code"])

    def limit() -> None:
        answers["replicas"] = bulk_replicas(rucio, hub_rse)

    timed_runs = interleaved_ms(
        {"availability": availability, "resolve": resolve, "injection": inject, "limit": limit},
        runs,
    )
    limit_ms, limit_runs = timed_runs["limit"]
    state = answers["availability"]
    paths = answers["resolve"]["results"][0]["paths"]
    # What the kernel holds afterwards, and what running the code alone takes there.
    defined = kernel.execute(
        "", {"count": f"len({VARIABLE})", "same": f"sorted({VARIABLE}) == sorted({paths!r})"}
    )["user_expressions"]
    code = answers["code"]["code"]
    code_ms = statistics.median(timed(lambda: kernel.execute(code)) for _ in range(runs))
    held = defined["count"]["data"]["text/plain"]
    same = defined["same"]["data"]["text/plain"] == "True"
    return [
        line(
            "availability",
            timed_runs["availability"][0],
            limit_ms,
            "ms",
            f"median of {runs}; {state['files_available']:,} of {state['files_total']:,} files "
            f"{state['state']}; the listing has {answers['replicas']:,} replicas",
            runs_ours=timed_runs["availability"][1],
            runs_limit=limit_runs,
        ),
        line(
            "resolve",
            timed_runs["resolve"][0],
            limit_ms,
            "ms",
            f"median of {runs}; {len(paths):,} paths",
            runs_ours=timed_runs["resolve"][1],
            runs_limit=limit_runs,
        ),
        line(
            "injection",
            timed_runs["injection"][0],
            limit_ms,
            "ms",
            f"median of {runs}; the code from POST notebook/code ({len(code) / 1024:,.0f} kB) run "
            f"in an IPython kernel of the same server, over its websocket; the kernel then held "
            f"{held} paths in {VARIABLE}, {'the' if same else 'NOT the'} paths resolve gives; "
            f"running the code alone in the kernel takes {code_ms:.1f} ms",
            runs_ours=timed_runs["injection"][1],
            runs_limit=limit_runs,
            kernel_code_ms=round(code_ms, 2),
            kernel_paths=int(held),
            kernel_paths_match=same,
        ),
    ]


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / MB


def server_memory(ext, base: str, rucio_url: str) -> list[dict]:
    """RSS of a Jupyter server of its own (listing expiry MEMORY_EXPIRY s): before a search,
    after paging through all of big:*, and MEMORY_IDLE s after the expiry."""
    from urllib.parse import urlparse

    pid = shared._server_pid(urlparse(base).port)
    # Warm: signed in, a Rucio client made, a search answered (of another scope).
    ext.get("whoami")
    ext.search_all("bulk:*")
    time.sleep(MEMORY_EXPIRY + 2)
    before = rss_mb(pid)
    paged = ext.search_all(SEARCH)
    after = rss_mb(pid)
    shared.settled(pid, urlparse(rucio_url).port)
    time.sleep(MEMORY_EXPIRY + MEMORY_IDLE)
    idle = rss_mb(pid)
    note = (
        f"RSS of the Jupyter server: {before:.1f} MB before, {after:.1f} MB after paging "
        f"{paged:,} DIDs, {idle:.1f} MB {MEMORY_EXPIRY + MEMORY_IDLE:.0f} s later (listing_expiry "
        f"set to {MEMORY_EXPIRY:.0f} s for this server, then {MEMORY_IDLE:.0f} s idle, in place "
        "of the default 120 s and 10 idle minutes)"
    )
    extra = {"rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1)}
    return [
        line("memory_paged", after - before, None, "MB above", note, **extra),
        line("memory_idle", idle - before, None, "MB above", note, rss_idle_mb=round(idle, 1)),
    ]


# -- the results file and the table ----------------------------------------------------------------
def write(lines: list[dict], path: Path = RESULTS) -> Path:
    """Write the lines into the results file; lines of other keys already there (the browser
    benchmark's, written by ui-tests/benchmarks/scroll.bench.ts) are kept, if they are lines
    this benchmark still has."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(path.read_text()) if path.is_file() else {}
    fresh = {entry["key"] for entry in lines}
    kept = [
        entry
        for entry in old.get("lines", [])
        if entry["key"] not in fresh and entry["key"] in TARGETS
    ]
    data = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": {"cpus": psutil.cpu_count(), "load_average": list(psutil.getloadavg())},
        "lines": [*kept, *lines],
    }
    path.write_text(json.dumps(data, indent=1) + "\n")
    return path


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:,.1f} ms"
    if unit == "errors":
        return f"{value:.0f}"
    return f"{value:.1f} {unit}"


def ratio_text(entry: dict) -> str:
    """The ratio to two decimals, or three where two would hide why the target was missed
    (1.305 shown as 1.30x against a target of 1.3x)."""
    ratio = entry.get("ratio")
    if ratio is None:
        return "-"
    limit = RATIO_LIMITS.get(entry["key"])
    close = limit is not None and round(ratio, 2) == limit
    return f"{ratio:.3f}x" if close else f"{ratio:.2f}x"


def table(lines: list[dict]) -> str:
    order = list(TARGETS)
    lines = sorted(lines, key=lambda e: order.index(e["key"]) if e["key"] in order else len(order))
    head = ("path", "ours", "limit", "ratio", "target", "met")
    rows = [
        (
            e["path"],
            fmt(e["ours"], e["unit"]),
            fmt(e["limit"], e["unit"]) if e.get("ratio") is not None else e["baseline"],
            ratio_text(e),
            e["target"],
            {True: "yes", False: "NO"}.get(e.get("met"), "-"),
        )
        for e in lines
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    out = ["  ".join(str(v).ljust(w) for v, w in zip(head, widths, strict=True))]
    out += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    out.append("")
    out += [f"{e['path']}: {e['note']}" for e in lines if e.get("note")]
    return "\n".join(out)


def markdown(lines: list[dict]) -> str:
    """The table as Markdown (the README's benchmark section shows a recent run)."""
    rows = [row.split("  ") for row in table(lines).split("\n\n")[0].splitlines()]
    cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
    out += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(out)


def print_results(path: Path = RESULTS) -> None:
    data = json.loads(path.read_text())
    print(f"Against the limit ({data['when']}, {path}):")
    print(table(data["lines"]))


def browser_lines(path: Path) -> list[dict]:
    """The lines of the browser benchmark from the figures it wrote (ui-tests/benchmarks)."""
    got = json.loads(path.read_text())
    note = _scroll_note(got)
    frame = line("browser_frame", got["longest_frame_ms"], None, "ms", note, **got)
    frame["met"] = got["longest_frame_ms"] <= 50
    heap = line("browser_heap", got["heap_growth_mb"], None, "MB", note)
    heap["met"] = got["heap_growth_mb"] < 50
    return [frame, heap]


def _scroll_note(got: dict) -> str:
    note = (
        f"{got['rows']:,} rows scrolled end to end, {got['views_per_frame']} views a frame, in "
        f"pages from {got['page_size']} doubling to 1,000, in {got['seconds']:.0f} s "
        f"({got['frames']:,} frames, {got['frames_over_50ms']} over 50 ms; "
        f"{got['long_tasks']} long tasks, the longest {got['longest_task_ms']:.0f} ms; at most "
        f"{got['rendered_rows_max']} rows in the DOM); JS heap {got['heap_before_mb']:.1f} MB "
        f"with the sidebar open (read on the same page loaded before the one that scrolls), "
        f"{got['heap_after_mb']:.1f} MB after the scroll (each after a garbage collection)"
    )
    if "max_task_cpu_ms" in got:
        # Wall time against CPU time of the renderer's main-thread tasks (from a trace): a
        # long task that used little CPU waited for one (the servers share the machine).
        note += (
            f"; main-thread tasks from a trace: the longest {got['longest_task_wall_ms']:.0f} ms "
            f"wall with {got['longest_task_cpu_ms']:.0f} ms of CPU, {got['tasks_over_50ms_wall']} "
            f"over 50 ms wall and {got['tasks_over_50ms_cpu']} over 50 ms of CPU, the most CPU "
            f"in one task {got['max_task_cpu_ms']:.0f} ms"
        )
    if "major_gcs" in got:
        # V8's major collections of the page's heap, and the frames over 50 ms that fell in one.
        note += (
            f"; {got['major_gcs']} major garbage collections of the page's heap (the longest "
            f"{got['major_gc_max_cpu_ms']} ms of CPU on worker threads), "
            f"{got['frames_over_50ms_in_major_gc']} of the frames over 50 ms during one"
        )
    return note


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--browser"]:
        write(browser_lines(Path(arguments[1])))
        arguments = arguments[2:]
    if arguments[:1] == ["--print"]:
        print_results(Path(arguments[1]) if len(arguments) > 1 else RESULTS)
    if arguments[:1] == ["--markdown"]:
        print(markdown(json.loads(RESULTS.read_text())["lines"]))
