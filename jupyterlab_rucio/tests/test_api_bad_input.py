"""Bad input on every endpoint: a 4xx with a message that says what is wrong, never a 500,
and nothing changed in Rucio."""

import json
import os
import uuid

import pytest

pytestmark = pytest.mark.usefixtures("logged_in")

LONG = "a" * 5000


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("dids/search", {}, 400, "did"),
        ("dids/search", {"did": "nocolon"}, 400, "scope:name"),
        ("dids/search", {"did": ":name"}, 400, "scope:name"),
        ("dids/search", {"did": "physics:"}, 400, "scope:name"),
        ("dids/search", {"did": "phy sics:*"}, 400, "scope"),
        ("dids/search", {"did": "physics:a b"}, 400, "name"),
        ("dids/search", {"did": "physics:../x"}, 400, "name"),
        ("dids/search", {"did": "physics:" + LONG}, 400, "longer"),
        ("dids/search", {"did": "physics:*", "type": "bogus"}, 400, "type"),
        ("dids/search", {"did": "physics:*", "limit": "0"}, 400, "limit"),
        ("dids/search", {"did": "physics:*", "limit": "1001"}, 400, "limit"),
        ("dids/search", {"did": "physics:*", "limit": "ten"}, 400, "limit"),
        ("dids/search", {"did": "physics:*", "cursor": "garbage"}, 400, "cursor"),
        ("dids/search", {"did": "nosuchscope:*"}, 404, "nosuchscope"),
        ("dids/search", {"did": "physics:*", "instance": "elsewhere"}, 404, "elsewhere"),
        ("dids/details", {"did": "physics:run2024*"}, 400, "name"),
        ("dids/details", {"did": "nosuchscope:x"}, 404, "nosuchscope"),
        ("dids/contents", {"did": "physics"}, 400, "scope:name"),
        ("dids/contents", {"did": "physics:run2024", "limit": "-1"}, 400, "limit"),
        ("dids/availability", {"did": "physics:run 2024"}, 400, "name"),
        ("dids/availability", {}, 400, "did"),
        ("dids/rules", {"did": "x" * 40 + ":y"}, 400, "scope"),
        ("uploads/not-hex", {}, 404, ""),
    ],
)
async def test_bad_queries(api, path, params, status, words):
    code, data = await api.request("GET", path, **params)
    assert code == status, data
    assert words.lower() in data["message"].lower()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (None, "did"),
        ([], "object"),
        ({"did": 42}, "did"),
        ({"did": "physics:run2024.calib", "lifetime_days": "soon"}, "lifetime_days"),
        ({"did": "physics:run2024.calib", "lifetime_days": -1}, "lifetime_days"),
        ({"did": "physics:run2024.calib", "lifetime_days": 10**9}, "lifetime_days"),
        ({"did": "physics:run2024.calib", "lifetime_days": True}, "lifetime_days"),
        ({"did": "physics:*"}, "name"),
        ({"did": "nosuchscope:thing"}, "nosuchscope"),
        ({"did": "physics:no.such.ds"}, "no.such.ds"),
    ],
)
async def test_make_available_refuses_bad_input_and_creates_no_rule(api, jdoe_rucio, body, words):
    before = len(list(jdoe_rucio.list_did_rules("physics", "run2024.calib")))
    code, data = await api.request("POST", "dids/make-available", body=body)
    assert 400 <= code < 500, data
    assert words in data["message"]
    assert len(list(jdoe_rucio.list_did_rules("physics", "run2024.calib"))) == before


async def test_malformed_json_body(api):
    code, data = await api.request("POST", "resolve", raw_body=b"{not json")
    assert code == 400 and "JSON" in data["message"]
    code, data = await api.request("POST", "resolve", raw_body=b"x" * (2 * 1024 * 1024))
    assert code == 400


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "dids"),
        ({"dids": "physics:run2024.raw"}, "dids"),
        ({"dids": []}, "dids"),
        ({"dids": [1]}, "dids[0]"),
        ({"dids": ["physics:ok", "bad"]}, "dids[1]"),
        ({"dids": ["physics:x"] * 101}, "at most"),
    ],
)
async def test_resolve_bad_input(api, body, words):
    code, data = await api.request("POST", "resolve", body=body)
    assert code == 400
    assert words in data["message"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"method": "password"}, "method"),
        ({"method": "userpass", "username": "jdoe"}, "password"),
        ({"method": "userpass", "username": ["jdoe"], "password": "x"}, "username"),
        ({"method": "userpass", "username": LONG, "password": "x"}, "username"),
        ({"method": "x509", "cert_path": "/etc", "key_path": "/etc/hostname"}, "cert_path"),
        ({"method": "x509_proxy", "proxy_path": "../outside"}, "proxy_path"),
        ({"method": "oidc"}, "OIDC"),
    ],
)
async def test_credentials_bad_input_stores_nothing(api, body, words):
    code, data = await api.request("PUT", "credentials", body=body)
    assert code == 400, data
    assert words in data["message"]
    saved = (await api.get("credentials"))["saved"]
    assert list(saved) == ["userpass"]  # only the credential the fixture stored


async def test_delete_credentials_needs_a_method(api):
    code, data = await api.request("DELETE", "credentials", method="bogus")
    assert code == 400 and "method" in data["message"]


@pytest.fixture
def root_file(jp_root_dir):
    name = f"ok.{uuid.uuid4().hex[:12]}.dat"
    (jp_root_dir / name).write_bytes(b"data")
    return name


@pytest.fixture
def outside_link(jp_root_dir, tmp_path):
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("not for upload")
    os.symlink(secret, jp_root_dir / "link-out.txt")
    return "link-out.txt"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"paths": ["../etc/passwd"]}, "'..'"),
        ({"paths": ["/etc/passwd"]}, "absolute"),
        ({"paths": ["missing.dat"]}, "no such file"),
        ({"paths": []}, "paths"),
        ({"paths": "ok.dat"}, "paths"),
        ({"paths": [7]}, "paths[0]"),
        ({"paths": ["x"] * 1001}, "at most"),
        ({"rse": "not an rse"}, "rse"),
        ({"rse": "NOWHERE_DISK"}, "NOWHERE_DISK"),
        ({"scope": "nosuchscope"}, "nosuchscope"),
        ({"scope": "bad scope!"}, "scope"),
        ({"lifetime_days": "1d"}, "lifetime_days"),
        ({"dataset": "bad name!"}, "dataset"),
        ({"dataset": "nosuchscope:ds"}, "nosuchscope"),
    ],
)
async def test_upload_bad_input_changes_nothing(
    api, jdoe_rucio, rucio_env, root_file, change, words
):
    body = {"paths": [root_file], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"}
    body.update(change)
    code, data = await api.request("POST", "uploads", body=body)
    assert code == 400, data
    assert words in data["message"]
    assert (await api.get("uploads"))["jobs"] == []
    assert list(jdoe_rucio.list_dids("user.jdoe", [{"name": root_file}], did_type="all")) == []


async def test_upload_into_someone_elses_scope_is_403(api, rucio_env, root_file, jdoe_rucio):
    body = {"paths": [root_file], "rse": rucio_env["REMOTE_RSE"], "scope": "physics"}
    code, data = await api.request("POST", "uploads", body=body)
    assert code == 403
    assert "physics" in data["message"]
    assert (await api.get("uploads"))["jobs"] == []
    assert list(jdoe_rucio.list_dids("physics", [{"name": root_file}], did_type="all")) == []


async def test_upload_refuses_a_symlink_out_of_the_root(api, rucio_env, outside_link):
    body = {"paths": [outside_link], "rse": rucio_env["REMOTE_RSE"], "scope": "user.jdoe"}
    code, data = await api.request("POST", "uploads", body=body)
    assert code == 400
    assert "outside" in data["message"]


async def test_active_instance_wrong_type(api):
    code, data = await api.request("PUT", "instances/active", body={"name": ["local"]})
    assert code == 400 and "name" in data["message"]
    code, data = await api.request("PUT", "instances/active", raw_body=json.dumps("local").encode())
    assert code == 400 and "object" in data["message"]
