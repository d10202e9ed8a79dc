"""Metadata filters on the DID search, compared row for row with rucio-clients' list_dids given
the same filter the way `rucio did list --filter` parses it; refused filters; metadata keys and
details. Runs against the seeded local Rucio on PostgreSQL (dev/seed_metadata.py)."""

from typing import Any

import pytest
from rucio.common.utils import parse_did_filter_from_string_fe

from jupyterlab_rucio.filters import DID_COLUMN_KEYS

pytestmark = pytest.mark.usefixtures("logged_in")


async def all_rows(api, did: str, did_type: str, filter_text: str, limit: int = 1000) -> list:
    rows, cursor = [], None
    while True:
        params = {"did": did, "type": did_type, "filter": filter_text, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = await api.get("dids/search", **params)
        rows += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return rows


def rucio_did_list(client, did: str, did_type: str, filter_text: str) -> list[dict[str, Any]]:
    """What `rucio did list --filter FILTER DID` asks Rucio (the CLI's own parser)."""
    scope, name = did.split(":", 1)
    filters, _ = parse_did_filter_from_string_fe(filter_text, name)
    return list(client.list_dids(scope, filters, did_type=did_type, long=True))


# Filters Rucio answers itself (keys of one plugin): the extension must give the same rows.
COLUMN_FILTERS = [
    ("physics:*", "all", "run_number=1000"),  # equality on a number
    ("bulk:*", "dataset", "run_number>=3010,run_number<3015"),  # inequalities, with a type
    ("bulk:*", "dataset", "run_number!=3000"),
    ("physics:*", "all", "created_at>=2024-03-15 00:00:00,created_at<2024-06-01 00:00:00"),
    ("physics:*", "all", "datatype=R*"),  # wildcard value
    ("physics:*", "all", "datatype=RAW;datatype=CALIB"),  # OR
    ("physics:*", "dataset", "1000<=run_number<2000"),  # compound range, with a type
    ("physics:*", "all", "project=data24,type=container"),  # the type inside the filter
    ("bulk:*", "file", "campaign=2023*,run_number>3027"),
    ("climate:*", "all", "version!=v20200101"),
]
JSON_FILTERS = [
    ("bulk:*", "all", "instrument=MAGIC"),  # a JSON key
    ("bulk:*", "all", "energy_min<0.05"),  # a JSON number
    ("physics:*", "all", "observing_night>=2024-03-01,observing_night<2024-06-01"),
    ("physics:*", "all", "instrument=LST*;instrument=MAGIC"),  # JSON wildcard and OR
    ("climate:cmip6*", "all", "source_id=EC-Earth3"),
]


@pytest.mark.parametrize(("did", "did_type", "filter_text"), COLUMN_FILTERS)
async def test_column_filter_gives_the_rows_of_rucio_did_list(
    api, jdoe_rucio, did, did_type, filter_text
):
    ours = await all_rows(api, did, did_type, filter_text, limit=7)
    theirs = rucio_did_list(jdoe_rucio, did, did_type, filter_text)
    assert theirs, f"the seed should match {filter_text}"
    assert [(r["scope"], r["name"], r["did_type"]) for r in ours] == [
        (r["scope"], r["name"], r["did_type"]) for r in theirs
    ]


@pytest.mark.parametrize(("did", "did_type", "filter_text"), JSON_FILTERS)
async def test_json_filter_gives_the_rows_of_rucio_did_list(
    api, jdoe_rucio, did, did_type, filter_text
):
    ours = await all_rows(api, did, did_type, filter_text, limit=7)
    theirs = rucio_did_list(jdoe_rucio, did, did_type, filter_text)
    assert theirs, f"the seed should match {filter_text}"
    assert [(r["scope"], r["name"]) for r in ours] == [(r["scope"], r["name"]) for r in theirs]
    # Rucio's JSON plugin answers without type or size; the extension fills them in.
    scope = did.split(":")[0]
    described = {
        m["name"]: m
        for m in jdoe_rucio.get_metadata_bulk([{"scope": scope, "name": r["name"]} for r in ours])
    }
    for row in ours:
        assert row["did_type"] == str(described[row["name"]]["did_type"]).split(".")[-1]
        assert row["bytes"] == described[row["name"]]["bytes"]


async def test_json_filter_with_a_type_keeps_only_that_type(api, jdoe_rucio):
    # Rucio's JSON plugin ignores the type: the extension applies it, in Rucio's order.
    json_names = [
        r["name"] for r in rucio_did_list(jdoe_rucio, "bulk:*", "all", "instrument=MAGIC")
    ]
    containers = {r["name"] for r in rucio_did_list(jdoe_rucio, "bulk:*", "container", "")}
    ours = await all_rows(api, "bulk:*", "container", "instrument=MAGIC")
    assert [r["name"] for r in ours] == [n for n in json_names if n in containers]
    assert [r["did_type"] for r in ours] == ["CONTAINER"]


async def test_column_and_json_keys_with_and_give_the_intersection(api, jdoe_rucio):
    """Rucio refuses this filter; the extension answers it as the JSON part's names among the
    rows of the column part (in the column part's order)."""
    text = "run_number>=3010,run_number<3015,instrument=MAGIC"
    json_part = {r["name"] for r in rucio_did_list(jdoe_rucio, "bulk:*", "all", "instrument=MAGIC")}
    column_part = rucio_did_list(jdoe_rucio, "bulk:*", "all", "run_number>=3010,run_number<3015")
    ours = await all_rows(api, "bulk:*", "all", text, limit=1)
    assert [r["name"] for r in ours] == [r["name"] for r in column_part if r["name"] in json_part]
    assert [(r["name"], r["did_type"]) for r in ours] == [
        ("set.010", "DATASET"),
        ("set.013", "DATASET"),
    ]


async def test_a_filtered_search_pages_like_a_plain_one(api, jdoe_rucio):
    text = "run_number>=3000,run_number<3002"
    theirs = rucio_did_list(jdoe_rucio, "bulk:*", "file", text)
    assert len(theirs) == 200
    first = await api.get("dids/search", did="bulk:*", type="file", filter=text, limit=150)
    assert first["has_more"] is True and len(first["items"]) == 150
    rest = await api.get(
        "dids/search", did="bulk:*", type="file", filter=text, limit=150,
        cursor=first["next_cursor"],
    )  # fmt: skip
    assert rest["has_more"] is False
    assert [r["name"] for r in first["items"] + rest["items"]] == [r["name"] for r in theirs]


async def test_a_filter_that_matches_nothing_gives_an_empty_page(api):
    page = await api.get("dids/search", did="physics:*", type="all", filter="run_number>99999")
    assert page == {"items": [], "next_cursor": None, "has_more": False}


REFUSED = [
    ("run_number=>5", "run_number"),  # unknown operator
    ("run_number~5", "run_number"),
    ("run_number>=abc", "run_number"),  # wrong value type for a number column
    ("created_at>=yesterday", "created_at"),  # not a date
    ("datatype>R*", "datatype"),  # wildcard with an ordering operator
    ("version=2", "version"),  # a text column compared with a number
    ("run_number>=3000;instrument=MAGIC", "instrument"),  # both plugins with OR
    ("type=bogus", "type"),
    ("a.b=1", "a.b"),
    ("run_number>=", "run_number"),
    ("run_number>=1,run_number>=2", "run_number"),  # the same condition twice
    ("instrument>5", "instrument"),  # a JSON key of text compared with a number, in Rucio
]


@pytest.mark.parametrize(("filter_text", "key"), REFUSED)
async def test_refused_filter_is_a_400_naming_the_key(api, filter_text, key):
    status, data = await api.request(
        "GET", "dids/search", did="bulk:*", type="all", filter=filter_text
    )
    assert status == 400, data
    assert key in data["message"]


async def test_name_in_the_filter_needs_a_scope_wide_search(api):
    status, data = await api.request(
        "GET", "dids/search", did="physics:run*", type="all", filter="name=run2024"
    )
    assert status == 400 and "name" in data["message"]
    rows = await all_rows(api, "physics:*", "dataset", "name=run2024*,datatype=RAW")
    assert {r["name"] for r in rows} == {"run2024.raw"}


async def test_metadata_keys_of_a_scope(api):
    keys = await api.get("dids/metadata-keys", scope="bulk")
    assert {k["key"] for k in keys["columns"]} == set(DID_COLUMN_KEYS)
    json_keys = {k["key"]: k for k in keys["json"]}
    assert {"instrument", "observing_night", "energy_min"} <= set(json_keys)
    assert set(json_keys["instrument"]["examples"]) == {"LST-1", "MAGIC", "CTA-N"}
    assert json_keys["energy_min"]["type"] == "number"
    run = next(k for k in keys["columns"] if k["key"] == "run_number")
    assert run["type"] == "number" and 3000 in run["examples"]
    status, _ = await api.request("GET", "dids/metadata-keys", scope="no-such-scope")
    assert status == 404


async def test_details_carry_the_metadata_of_both_plugins(api):
    details = await api.get("dids/details", did="physics:run2024.raw")
    assert details["meta"]["run_number"] == 1000
    assert details["meta"]["datatype"] == "RAW"
    assert details["json_meta"] == {
        "instrument": "LST-1",
        "observing_night": "2024-03-14",
        "energy_min": 0.02,
    }
