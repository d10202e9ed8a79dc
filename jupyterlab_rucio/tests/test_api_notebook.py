"""POST notebook/code: attached DIDs become code that defines them, against the real local Rucio."""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_rucio.tests.large_dataset import FILES, ensure_large_dataset

pytestmark = pytest.mark.usefixtures("logged_in")


def run_python(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102 - the code under test
    namespace.pop("__builtins__")
    return namespace


def file_bytes(path: str) -> bytes:
    """What a notebook would read at a resolved path."""
    return Path(path).read_bytes()


def adler32(path: str) -> str:
    return f"{zlib.adler32(Path(path).read_bytes()):08x}"


def registered_adler32(client, did: str) -> dict[str, str]:
    scope, name = did.split(":", 1)
    return {f["name"]: f["adler32"] for f in client.list_files(scope, name)}


async def code(api, language: str, attachments: list[tuple[str, str]], expect: int = 200):
    body = {
        "language": language,
        "attachments": [{"variable": v, "did": d} for v, d in attachments],
    }
    return await api.post("notebook/code", body, expect=expect)


async def test_a_dataset_becomes_its_sorted_paths_and_a_file_one_path(api, jdoe_rucio, rucio_env):
    reply = await code(
        api, "python", [("raw", "physics:run2024.raw"), ("hello", "user.jdoe:scratch/hello.txt")]
    )
    assert reply["language"] == "python"
    assert [(r["variable"], r["status"], r["count"]) for r in reply["results"]] == [
        ("raw", "OK", 3),
        ("hello", "OK", 1),
    ]
    values = run_python(reply["code"])
    assert set(values) == {"raw", "hello"}
    assert isinstance(values["hello"], str)
    assert values["raw"] == sorted(values["raw"]) and len(values["raw"]) == 3
    for path in [*values["raw"], values["hello"]]:
        assert path.startswith(rucio_env["HUB_RSE_DIR"] + "/")
    # The bytes at those paths are the files Rucio registered (same adler32).
    expected = registered_adler32(jdoe_rucio, "physics:run2024.raw")
    assert sorted(adler32(p) for p in values["raw"]) == sorted(expected.values())
    [hello] = registered_adler32(jdoe_rucio, "user.jdoe:scratch/hello.txt").values()
    assert adler32(values["hello"]) == hello


async def test_what_is_not_fully_available_is_not_defined(api):
    reply = await code(
        api,
        "python",
        [
            ("calib", "physics:run2024.calib"),
            ("mixed", "physics:mixed.dataset"),
            ("missing", "physics:no.such.dataset"),
            ("raw", "physics:run2024.raw"),
        ],
    )
    calib, mixed, missing, raw = reply["results"]
    assert (calib["status"], calib["count"]) == ("NOT_AVAILABLE", 0)
    assert (mixed["status"], mixed["count"]) == ("PARTIAL", 2)
    assert "2 of 4" in mixed["message"]
    assert missing["status"] == "ERROR" and "no.such.dataset" in missing["message"]
    assert raw["status"] == "OK"
    assert set(run_python(reply["code"])) == {"raw"}


async def test_nothing_available_gives_empty_code(api):
    reply = await code(api, "R", [("calib", "physics:run2024.calib")])
    assert reply["code"] == "" and reply["results"][0]["status"] == "NOT_AVAILABLE"


async def test_r_and_julia_code_assign_the_same_paths(api):
    attachments = [("raw", "physics:run2024.raw"), ("hello", "user.jdoe:scratch/hello.txt")]
    python = run_python((await code(api, "python", attachments))["code"])
    r_code = (await code(api, "R", attachments))["code"]
    julia_code = (await code(api, "julia", attachments))["code"]
    assert r_code.startswith("raw <- c(") and '\nhello <- "' in r_code
    assert julia_code.startswith("raw = String[") and '\nhello = "' in julia_code
    for path in [*python["raw"], python["hello"]]:
        assert f'"{path}"' in r_code and f'"{path}"' in julia_code


async def test_unsupported_language_is_refused_naming_the_supported_ones(api):
    status, data = await api.request(
        "POST",
        "notebook/code",
        body={"language": "bash", "attachments": [{"variable": "x", "did": "physics:run2024.raw"}]},
    )
    assert status == 400
    assert "bash" in data["message"] and "python, r, julia" in data["message"]


@pytest.mark.parametrize(
    "attachments, language, expected",
    [
        ([("class", "physics:run2024.raw")], "python", "attachments[0].variable"),
        ([("x y", "physics:run2024.raw")], "python", "attachments[0].variable"),
        ([("_x", "physics:run2024.raw")], "R", "attachments[0].variable"),
        ([("end", "physics:run2024.raw")], "julia", "attachments[0].variable"),
        ([("a", "physics:run2024.raw"), ("a", "physics:mixed.dataset")], "python", "used twice"),
        ([("a", "not a did")], "python", "attachments[0].did"),
        ([("a", 'physics:x"); import os; ("')], "python", "attachments[0].did"),
        ([], "python", "non-empty list"),
    ],
)
async def test_bad_attachments_are_refused_naming_the_field(api, attachments, language, expected):
    status, data = await api.request(
        "POST",
        "notebook/code",
        body={
            "language": language,
            "attachments": [{"variable": v, "did": d} for v, d in attachments],
        },
    )
    assert status == 400
    assert expected in data["message"]


async def test_unknown_instance_is_404(api):
    status, data = await api.request(
        "POST",
        "notebook/code",
        body={
            "language": "python",
            "instance": "elsewhere",
            "attachments": [{"variable": "x", "did": "physics:run2024.raw"}],
        },
    )
    assert status == 404 and "elsewhere" in data["message"]


class CountingClient:
    """Wraps the server's real Rucio client and counts the calls made through it."""

    def __init__(self, client: Any, calls: Counter) -> None:
        self._client = client
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            # A listing the server would sort by GeoIP, file by file, is counted apart.
            geoip = name == "list_replicas" and kwargs.get("sort") != "random"
            self._calls[f"{name} (GeoIP-sorted)" if geoip else name] += 1
            return attribute(*args, **kwargs)

        return counted


@pytest.fixture
def rucio_calls(jp_serverapp, monkeypatch) -> Counter:
    extension = jp_serverapp.web_app.settings["jupyterlab_rucio"]
    real_client = extension.client
    calls: Counter = Counter()

    async def counting_client(instance):
        client, account = await real_client(instance)
        return CountingClient(client, calls), account

    monkeypatch.setattr(extension, "client", counting_client)
    return calls


async def test_ten_thousand_files_resolve_with_one_bulk_listing(api, rucio_env, rucio_calls):
    did = ensure_large_dataset(rucio_env)
    reply = await code(api, "python", [("big", did)])
    [result] = reply["results"]
    assert (result["status"], result["count"]) == ("OK", FILES)
    assert rucio_calls["list_replicas"] == 1
    assert sum(rucio_calls.values()) <= 3, rucio_calls
    paths = run_python(reply["code"])["big"]
    assert len(paths) == FILES == len(set(paths)) and paths == sorted(paths)
    assert reply["code"].count("\n") == 1, "one statement, hence one execution in the kernel"
    assert file_bytes(paths[0]).startswith(b"jupyterlab-rucio scale test file")


async def test_ten_thousand_files_availability_with_one_bulk_listing(api, rucio_env, rucio_calls):
    did = ensure_large_dataset(rucio_env)
    availability = await api.get("dids/availability", did=did)
    assert availability["state"] == "AVAILABLE", availability
    assert availability["files_total"] == availability["files_available"] == FILES
    # One bulk listing of the replicas, not one call per file.
    assert rucio_calls["list_replicas"] == 1
    assert sum(rucio_calls.values()) <= 4, rucio_calls
