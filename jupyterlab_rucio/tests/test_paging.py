"""The pager on its own: what it reads of a listing, when it lets go of Rucio, and that no row
is lost or repeated across pages, expiry, eviction and failures."""

from __future__ import annotations

import json
import threading
import time

import pytest

from jupyterlab_rucio.paging import CursorError, ListingTooLong, StreamPager


class Listing:
    """A stand-in for a Rucio listing that records how it was opened, read and closed."""

    def __init__(self, count: int, fail_after: int | None = None, delay: float = 0.0) -> None:
        self.count = count
        self.fail_after = fail_after
        self.delay = delay
        self.opened: list[int | None] = []
        self.read = 0
        self.open_now = 0
        self.lock = threading.Lock()

    def __call__(self, limit: int | None):
        self.opened.append(limit)
        return self._rows(self.count if limit is None else min(limit, self.count))

    def _rows(self, count: int):
        with self.lock:
            self.open_now += 1
        try:
            for index in range(count):
                if self.fail_after is not None and index == self.fail_after:
                    raise ConnectionError("Rucio went away")
                if self.delay:
                    time.sleep(self.delay)
                self.read += 1
                yield {"scope": "s", "name": f"n{index:06d}"}
        finally:
            with self.lock:
                self.open_now -= 1


def names(rows) -> list[str]:
    return [row["name"] for row in rows]


def expected(start: int, stop: int) -> list[str]:
    return [f"n{index:06d}" for index in range(start, stop)]


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def page_through(pager: StreamPager, listing: Listing, size: int, **kwargs) -> list[str]:
    seen, cursor = [], None
    while True:
        rows, cursor = pager.page(("q",), listing, size, cursor, **kwargs)
        seen += names(rows)
        if cursor is None:
            return seen


def test_a_first_page_asks_rucio_for_one_row_more_and_holds_nothing():
    listing = Listing(100_000)
    pager = StreamPager()
    rows, cursor = pager.page(("q",), listing, 100, None, can_limit=True)
    assert names(rows) == expected(0, 100) and cursor is not None
    assert listing.opened == [101] and listing.read == 101
    assert listing.open_now == 0  # Rucio's request is over: nothing is left half-read


def test_paging_continues_without_a_lost_or_repeated_row():
    listing = Listing(1234)
    pager = StreamPager()
    assert page_through(pager, listing, 100, can_limit=True) == expected(0, 1234)
    # The limited first page, then one whole listing for all other pages.
    assert listing.opened == [101, None]
    assert pager.open_listings == 0


def test_the_next_pages_read_rucio_to_the_end_at_once_and_release_it():
    listing = Listing(50_000)
    pager = StreamPager()
    _, cursor = pager.page(("q",), listing, 100, None, can_limit=True)
    rows, cursor = pager.page(("q",), listing, 100, cursor, can_limit=True)
    assert names(rows) == expected(100, 200)
    # Without another page being asked for, the whole listing is read and Rucio let go.
    assert wait_for(lambda: listing.open_now == 0 and listing.read == 101 + 50_000)


def test_a_listing_without_a_limit_is_spooled_whole():
    listing = Listing(5000)
    pager = StreamPager()
    rows, cursor = pager.page(("q",), listing, 100, None)
    assert names(rows) == expected(0, 100)
    assert wait_for(lambda: listing.open_now == 0 and listing.read == 5000)
    assert page_through(pager, Listing(250), 100) == expected(0, 250)


def test_rows_already_spooled_are_served_at_once_and_others_wait_for_the_pool():
    listing = Listing(1000)
    pager = StreamPager()
    assert pager.ready_page(("q",), 100, None) is None  # a first page always asks Rucio
    _, cursor = pager.page(("q",), listing, 100, None, can_limit=True)
    assert pager.ready_page(("q",), 100, cursor) is None  # not spooled yet: the pool reads it
    rows, cursor = pager.page(("q",), listing, 100, cursor, can_limit=True)
    # Read whole and let go: Rucio's answer closed, then the spool marked as finished.
    assert wait_for(lambda: listing.open_now == 0 and pager.reading == 0)
    assert pager.ready_page(("other",), 100, cursor) is None  # another query's cursor
    seen = names(rows)
    while cursor is not None:
        # Served from the spool without waiting or opening anything; no row lost or repeated.
        ready = pager.ready_page(("q",), 100, cursor)
        assert ready is not None
        rows, cursor = ready
        seen += [json.loads(row)["name"] for row in rows]
    assert seen == expected(100, 1000) and listing.opened == [101, None]
    assert pager.open_listings == 0

    slow = Listing(1_000_000, delay=0.001)
    _, cursor = pager.page(("q",), slow, 10, None)
    rows, cursor = pager.page(("q",), slow, 10, cursor)
    # Rows Rucio has not sent yet are left to `page` (on the pool), which waits for them.
    assert pager.ready_page(("q",), 999_000, cursor) is None
    assert pager.open_listings == 1
    pager.close_all()


def test_a_timer_closes_an_idle_listing_that_still_reads_rucio():
    slow = Listing(1_000_000, delay=0.001)  # Rucio sends slowly: the spool is still reading
    pager = StreamPager(ttl_seconds=0.5, reap_every=0.1)
    _, cursor = pager.page(("q",), slow, 10, None)
    assert slow.open_now == 1
    # No further request: the timer closes the listing and with it Rucio's response.
    assert wait_for(lambda: slow.open_now == 0, 5.0)
    assert pager.open_listings == 0
    # The cursor still works: the listing is read again and the rows already sent skipped.
    rows, _ = pager.page(("q",), Listing(30), 10, cursor)
    assert names(rows) == expected(10, 20)


def test_at_most_max_listings_stay_open_and_an_evicted_one_still_continues():
    pager = StreamPager(max_listings=2)
    listings = [Listing(300) for _ in range(3)]
    cursors = []
    for index, listing in enumerate(listings):
        _, cursor = pager.page(("q", index), listing, 10, None, can_limit=True)
        cursors.append(cursor)
    assert pager.open_listings == 2
    rows, _ = pager.page(("q", 0), listings[0], 10, cursors[0], can_limit=True)
    assert names(rows) == expected(10, 20)
    # The evicted listing read its first page again to skip exactly what was shown.
    assert listings[0].opened == [11, 10, None]


def test_a_listing_that_fails_midway_reports_it():
    listing = Listing(1000, fail_after=150)
    pager = StreamPager()
    _, cursor = pager.page(("q",), listing, 100, None, can_limit=True)
    with pytest.raises(ConnectionError, match="Rucio went away"):
        pager.page(("q",), listing, 100, cursor, can_limit=True)
    assert pager.open_listings == 0


def test_a_listing_longer_than_the_spool_says_so():
    pager = StreamPager(max_spool_rows=150)
    listing = Listing(1000)
    _, cursor = pager.page(("q",), listing, 100, None)
    with pytest.raises(ListingTooLong, match="narrow the search"):
        pager.page(("q",), listing, 100, cursor)
    assert wait_for(lambda: listing.open_now == 0)


def test_a_new_search_closes_the_listing_it_replaces_and_shutdown_closes_all():
    slow = Listing(1_000_000, delay=0.001)
    other = Listing(1_000_000, delay=0.001)
    pager = StreamPager()
    _, cursor = pager.page(("search", "local", "jdoe", "bulk:*"), slow, 10, None)
    pager.page(("contents", "local", "jdoe", "bulk:set.000"), other, 10, None)
    pager.drop(("search", "local", "jdoe"))
    assert wait_for(lambda: slow.open_now == 0)
    assert other.open_now == 1 and pager.open_listings == 1
    pager.close_all()
    assert wait_for(lambda: other.open_now == 0)


def test_a_malformed_cursor_is_refused():
    with pytest.raises(CursorError):
        StreamPager().page(("q",), Listing(3), 10, "nonsense")
