"""Scopes, DID search (every wildcard form and type), paging, details and contents."""

import pytest

pytestmark = pytest.mark.usefixtures("logged_in")


async def test_scopes_include_the_seeded_ones(api):
    scopes = (await api.get("scopes"))["scopes"]
    assert {"physics", "climate", "bulk", "user.jdoe"} <= set(scopes)


async def search(api, did, type="all", **params):
    return await api.get("dids/search", did=did, type=type, **params)


async def test_search_scope_star_lists_everything_in_the_scope(api):
    data = await search(api, "physics:*")
    names = {i["name"] for i in data["items"]}
    assert {"run2024", "run2024.raw", "run2024.calib", "empty.dataset", "mixed.dataset"} <= names
    assert data["has_more"] is False and data["next_cursor"] is None


async def test_search_prefix_wildcard(api):
    data = await search(api, "physics:run2024*")
    names = {i["name"] for i in data["items"]}
    assert {"run2024", "run2024.raw", "run2024.calib"} <= names
    assert "mixed.dataset" not in names


async def test_search_exact_name_returns_that_did(api):
    data = await search(api, "physics:run2024.raw")
    assert [(i["name"], i["did_type"]) for i in data["items"]] == [("run2024.raw", "DATASET")]


@pytest.mark.parametrize(
    ("did_type", "expected", "absent"),
    [
        ("container", {"run2024"}, {"run2024.raw"}),
        ("dataset", {"run2024.raw", "run2024.calib"}, {"run2024"}),
        ("collection", {"run2024", "run2024.raw"}, {"run2024/raw/events.0001.dat"}),
        ("file", {"run2024/raw/events.0001.dat"}, {"run2024", "run2024.raw"}),
        ("all", {"run2024", "run2024.raw", "run2024/raw/events.0001.dat"}, set()),
    ],
)
async def test_search_type_filter(api, did_type, expected, absent):
    data = await search(api, "physics:run2024*", type=did_type)
    names = {i["name"] for i in data["items"]}
    assert expected <= names
    assert not (absent & names)
    kinds = {i["did_type"] for i in data["items"]}
    allowed = {
        "container": {"CONTAINER"},
        "dataset": {"DATASET"},
        "collection": {"CONTAINER", "DATASET"},
        "file": {"FILE"},
        "all": {"CONTAINER", "DATASET", "FILE"},
    }[did_type]
    assert kinds <= allowed


async def test_paging_walks_the_whole_bulk_scope_without_gaps(api):
    """Page past the first page: every DID exactly once, and the server says when it is done."""
    seen = []
    cursor = None
    pages = 0
    while True:
        data = await search(api, "bulk:sample.*", type="file", limit=1000, cursor=cursor)
        seen.extend(i["name"] for i in data["items"])
        pages += 1
        if not data["has_more"]:
            assert data["next_cursor"] is None
            break
        assert len(data["items"]) == 1000
        cursor = data["next_cursor"]
    assert pages >= 3
    assert len(seen) == len(set(seen)) >= 2500


async def test_an_expired_cursor_continues_where_it_stopped(api, jp_serverapp):
    first = await search(api, "bulk:set.*", type="dataset", limit=5)
    assert first["has_more"]
    # The open listing is gone (expired or evicted): the server reads the first page again,
    # then the listing, and skips the 5 rows already sent.
    pager = jp_serverapp.web_app.settings["jupyterlab_rucio"].pager
    pager.drop(())
    second = await search(api, "bulk:set.*", type="dataset", limit=5, cursor=first["next_cursor"])
    everything = await search(api, "bulk:set.*", type="dataset", limit=10)
    assert [i["name"] for i in first["items"] + second["items"]] == [
        i["name"] for i in everything["items"]
    ]


def connections_in_pool(client) -> set[int]:
    """Local ports of the open connections the client's HTTP session keeps to Rucio."""
    adapter = client.session.get_adapter(client.host)
    return {
        conn.sock.getsockname()[1]
        for pool in adapter.poolmanager.pools._container.values()
        for conn in list(pool.pool.queue)
        if conn is not None and conn.sock is not None
    }


async def test_first_pages_one_after_another_keep_one_connection_to_rucio(api, jp_serverapp):
    """A first page reads Rucio's limited answer to its end, so the connection goes back to
    the pool: a user's next search does not pay for a new connection (and TLS handshake)."""
    rucio = jp_serverapp.web_app.settings["jupyterlab_rucio"]
    await search(api, "bulk:*", limit=10)  # the client, its token and its connection
    client, _ = await rucio.client(rucio.instance("local"))
    seen = connections_in_pool(client)
    assert len(seen) == 1
    for term in ("bulk:*", "bulk:sample.*", "bulk:sample.0*", "bulk:*", "bulk:sample.01*"):
        data = await search(api, term)  # pages of 100, the sidebar's default
        assert data["has_more"] and len(data["items"]) == 100, term
        seen |= connections_in_pool(client)
    assert len(seen) == 1, f"a new connection for {len(seen) - 1} of 5 first pages"


async def test_details_of_a_container(api):
    data = await api.get("dids/details", did="physics:run2024")
    assert data["did_type"] == "CONTAINER"
    assert data["length"] == 5
    assert data["bytes"] > 0
    assert data["account"] == "root"
    assert data["created_at"].endswith("+00:00")
    assert isinstance(data["meta"], dict)


async def test_details_of_a_file_with_slashes_in_its_name(api):
    data = await api.get("dids/details", did="physics:run2024/raw/events.0001.dat")
    assert data["did_type"] == "FILE"
    assert data["name"] == "run2024/raw/events.0001.dat"


async def test_details_of_an_unknown_did_is_404(api):
    status, data = await api.request("GET", "dids/details", did="physics:no.such.thing")
    assert status == 404
    assert "no.such.thing" in data["message"]


async def test_contents_are_paged(api):
    first = await api.get("dids/contents", did="physics:run2024.raw", limit=2)
    assert len(first["items"]) == 2 and first["has_more"]
    rest = await api.get(
        "dids/contents", did="physics:run2024.raw", limit=2, cursor=first["next_cursor"]
    )
    assert len(rest["items"]) == 1 and not rest["has_more"]
    names = {i["name"] for i in first["items"] + rest["items"]}
    assert names == {f"run2024/raw/events.000{n}.dat" for n in (1, 2, 3)}
    assert {i["did_type"] for i in first["items"]} == {"FILE"}


async def test_contents_of_a_container_are_its_datasets(api):
    data = await api.get("dids/contents", did="physics:run2024")
    assert {(i["name"], i["did_type"]) for i in data["items"]} == {
        ("run2024.raw", "DATASET"),
        ("run2024.calib", "DATASET"),
    }
