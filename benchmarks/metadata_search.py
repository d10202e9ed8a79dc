"""Metadata-filtered search benchmark: the first page of a filtered search through the extension
against rucio-clients' `list_dids` with the same filters, straight to Rucio, reading as many rows.

Run by benchmarks/run.py (which passes its Extension session and rucio-clients Client).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from rucio.common.utils import parse_did_filter_from_string_fe

# (label, DID pattern, type, filter): DID columns only, JSON only, and both (which Rucio refuses,
# so its baseline is the two listings the extension intersects).
FILTERED_SEARCHES = [
    ("filter run_number range, files", "bulk:*", "file", "run_number>=3000,run_number<3010"),
    ("filter instrument (JSON)", "bulk:*", "all", "instrument=MAGIC"),
    ("filter run range + instrument", "bulk:*", "all", "run_number>=3005,instrument=MAGIC"),
]


def _first_rows(rucio, did: str, did_type: str, text: str, count: int) -> list:
    scope, name = did.split(":", 1)
    filters, _ = parse_did_filter_from_string_fe(text, name)
    rows = rucio.list_dids(scope, filters, did_type=did_type, long=True)
    taken = list(islice(rows, count))
    getattr(rows, "close", lambda: None)()
    return taken


def _baseline(rucio, did: str, did_type: str, text: str, count: int) -> Callable[[], list]:
    if "," in text and "instrument" in text:
        column, json_part = text.split(",")

        def both() -> list:
            wanted = {r["name"] for r in _first_rows(rucio, did, did_type, json_part, 10**9)}
            rows = _first_rows(rucio, did, did_type, column, 10**9)
            return [r for r in rows if r["name"] in wanted][:count]

        return both
    return lambda: _first_rows(rucio, did, did_type, text, count)


def bench_filtered(ext, rucio, runs: int, median_ms, page_size: int) -> list[tuple]:
    rows = []
    for label, did, did_type, text in FILTERED_SEARCHES:

        def ours(did=did, did_type=did_type, text=text) -> dict:
            return ext.get("dids/search", did=did, type=did_type, filter=text, limit=page_size)

        shown = len(ours()["items"])
        baseline = _baseline(rucio, did, did_type, text, page_size)
        rows.append(
            (
                f"{label}: first page",
                median_ms(ours, runs),
                median_ms(baseline, runs),
                f"{text!r}: {shown} rows; baseline: list_dids with the same filter",
            )
        )
    return rows
