"""Instances from JupyterLab's settings: the admin's overrides.json and the user's settings.

The test server runs JupyterLab beside the extension, with its own (temporary) sys.prefix in
which the labextension is installed: the admin writes `{sys.prefix}/share/jupyter/lab/settings/
overrides.json`, the user saves settings through JupyterLab's settings API as the Settings
Editor does, and the extension reads both from the files.
"""

import json
import os
import sys
from pathlib import Path

import json5
import pytest

from jupyterlab_rucio.tests.conftest import local_instance

LABEXTENSION = Path(__file__).resolve().parents[1] / "labextension"
SCHEMA_ID = "jupyterlab-rucio:instances"


@pytest.fixture
def lab_prefix(jp_env_jupyter_path, monkeypatch):
    """A Python prefix of the test's own (sys.prefix/share/jupyter is pytest-jupyter's
    environment path) holding the labextension as `pip install` puts it."""
    share = Path(jp_env_jupyter_path)
    prefix = share.parents[1]
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    monkeypatch.delenv("JUPYTERLAB_SETTINGS_DIR", raising=False)
    (share / "labextensions").mkdir(parents=True)
    (share / "labextensions" / "jupyterlab-rucio").symlink_to(LABEXTENSION)
    (share / "lab" / "settings").mkdir(parents=True)
    return prefix


@pytest.fixture
def overrides(lab_prefix):
    """Writes the admin's overrides.json of the test server's JupyterLab."""
    path = lab_prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"

    def write(settings: dict) -> None:
        path.write_text(json.dumps({SCHEMA_ID: settings}, indent=2))

    return write


@pytest.fixture
def configured_local():
    """Whether the server configuration (c.RucioConfig.instances) holds the local Rucio."""
    return False


@pytest.fixture
def rucio_instances(configured_local, rucio_env):
    return [local_instance(rucio_env)] if configured_local else []


@pytest.fixture
def jp_server_config(jp_server_config, lab_prefix, jp_config_dir):
    config = dict(jp_server_config)
    config["ServerApp"] = {
        **config["ServerApp"],
        "jpserver_extensions": {"jupyterlab": True, "jupyterlab_rucio": True},
    }
    # JupyterLab's default (~/.jupyter/lab/user-settings), which it computes once per process.
    config["LabApp"] = {"user_settings_dir": str(Path(jp_config_dir) / "lab" / "user-settings")}
    return config


def hub_instance(rucio_env, name="hub", **fields):
    """The local Rucio in download mode, as an admin would describe it in overrides.json."""
    instance = local_instance(rucio_env, name=name, mode="download", **fields)
    for key in ("destination_rse", "mount_path", "pfn_path_prefix"):
        instance.pop(key)
    return instance


async def save_user_settings(jp_fetch, text: str) -> None:
    """What the Settings Editor does: PUT the raw JSON5 to JupyterLab's settings API."""
    await jp_fetch(
        "lab", "api", "settings", SCHEMA_ID, method="PUT", body=json.dumps({"raw": text})
    )


def names(listing):
    return [i["name"] for i in listing["instances"]]


def messages(listing, source=None):
    return [p["message"] for p in listing["problems"] if source in (None, p["source"])]


async def test_an_instance_only_in_overrides_json_logs_in_and_searches(
    api, overrides, rucio_env, tmp_path
):
    overrides({"instances": [hub_instance(rucio_env, download_dir=str(tmp_path / "dl"))]})
    listing = await api.get("instances")
    assert names(listing) == ["hub"]
    assert listing["active"] == "hub"
    assert listing["problems"] == []
    saved = await api.put(
        "credentials",
        {
            "method": "userpass",
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        },
        instance="hub",
    )
    assert saved["account"] == rucio_env["RUCIO_USER_ACCOUNT"]
    found = await api.get("dids/search", did="physics:run2024*", type="all", instance="hub")
    assert {"run2024", "run2024.raw"} <= {i["name"] for i in found["items"]}


async def test_an_invalid_instance_is_reported_by_field_and_the_valid_one_works(
    api, overrides, rucio_env
):
    broken = {"name": "broken", "rucio_url": "rucio.example.org", "mode": "download"}
    overrides({"instances": [hub_instance(rucio_env), broken]})
    listing = await api.get("instances")
    assert names(listing) == ["hub"]
    assert messages(listing, "admin") == ["instances[1].rucio_url must be an http(s) URL"]
    status, answer = await api.request("GET", "whoami", instance="broken")
    assert status == 404 and "broken" in answer["message"]


async def test_a_user_instance_from_the_settings_editor_appears(
    api, jp_fetch, overrides, rucio_env
):
    overrides({"instances": [hub_instance(rucio_env)], "defaultAuthMethod": "oidc"})
    # As the Settings Editor's form writes it: every field, empty ones included.
    mine = hub_instance(rucio_env, name="mine", display_name="My Rucio", vo="", auth_methods=[])
    text = "// my own Rucio\n{\n  instances: [],\n  userInstances: [" + json.dumps(mine) + "],\n}\n"
    await save_user_settings(jp_fetch, text)
    listing = await api.get("instances")
    assert names(listing) == ["hub", "mine"]
    assert listing["problems"] == []
    assert listing["default_auth_method"] == "oidc"
    # JupyterLab's own settings API sees the same user value as the extension.
    lab = json.loads((await jp_fetch("lab", "api", "settings", SCHEMA_ID)).body)
    assert json5.loads(lab["raw"])["userInstances"][0]["name"] == "mine"


async def user_instance(jp_fetch, rucio_env, **settings) -> None:
    mine = hub_instance(rucio_env, name="mine", display_name="My Rucio")
    await save_user_settings(jp_fetch, json.dumps({"userInstances": [mine], **settings}))


@pytest.mark.parametrize("configured_local", [True])
async def test_the_configured_instance_wins_on_a_name_clash(api, jp_fetch, overrides, rucio_env):
    elsewhere = hub_instance(rucio_env, name="local", rucio_url="https://elsewhere.example.org")
    overrides({"instances": [elsewhere]})
    await save_user_settings(jp_fetch, json.dumps({"userInstances": [elsewhere]}))
    listing = await api.get("instances")
    [local] = listing["instances"]
    assert (local["rucio_url"], local["mode"]) == (rucio_env["RUCIO_URL"], "replica")
    clash = "[0].name 'local' is already defined by the server configuration; this entry is ignored"
    assert messages(listing, "admin") == ["instances" + clash]
    assert messages(listing, "user") == ["userInstances" + clash]


@pytest.mark.parametrize(
    "rucio_options", [{"allow_user_instances": False, "default_auth_method": "x509"}]
)
async def test_the_server_configuration_can_forbid_user_instances(
    api, jp_fetch, overrides, rucio_env
):
    overrides({"instances": [hub_instance(rucio_env)], "defaultAuthMethod": "oidc"})
    await user_instance(jp_fetch, rucio_env, allowUserInstances=True)
    listing = await api.get("instances")
    assert names(listing) == ["hub"]
    # What the server configuration sets wins over the settings.
    assert listing["default_auth_method"] == "x509"
    assert messages(listing, "user") == [
        "userInstances: this hub does not allow instances of your own"
    ]


async def test_overrides_json_can_forbid_user_instances_and_only_the_admin_counts(
    api, jp_fetch, overrides, rucio_env
):
    overrides({"instances": [hub_instance(rucio_env)]})
    await user_instance(jp_fetch, rucio_env, allowUserInstances=True)
    assert names(await api.get("instances")) == ["hub", "mine"]
    overrides({"instances": [hub_instance(rucio_env)], "allowUserInstances": False})
    listing = await api.get("instances")
    assert names(listing) == ["hub"]
    assert messages(listing, "user") == [
        "userInstances: this hub does not allow instances of your own"
    ]


async def test_a_change_of_overrides_json_is_applied_without_a_restart(api, overrides, rucio_env):
    overrides({"instances": [hub_instance(rucio_env)]})
    assert names(await api.get("instances")) == ["hub"]
    second = hub_instance(rucio_env, name="hub2", display_name="Second")
    overrides({"instances": [hub_instance(rucio_env), second], "defaultInstance": "hub2"})
    listing = await api.get("instances")
    assert names(listing) == ["hub", "hub2"]
    assert listing["active"] == "hub2"
    os.remove(Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json")
    assert names(await api.get("instances")) == []


async def test_a_file_added_to_overrides_d_later_is_applied_without_a_restart(
    api, lab_prefix, rucio_env
):
    """An admin's drop-in file (JupyterLab's `overrides.d/`) that appears, changes and goes
    while the server runs: the instances follow each time (the directory is listed again when
    a file is added or removed there)."""
    drop_ins = lab_prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    drop_ins.mkdir()
    assert names(await api.get("instances")) == []
    site = drop_ins / "50-site.json"
    site.write_text(json.dumps({SCHEMA_ID: {"instances": [hub_instance(rucio_env)]}}))
    assert names(await api.get("instances")) == ["hub"]
    second = hub_instance(rucio_env, name="hub2")
    site.write_text(json.dumps({SCHEMA_ID: {"instances": [hub_instance(rucio_env), second]}}))
    assert names(await api.get("instances")) == ["hub", "hub2"]
    site.unlink()
    assert names(await api.get("instances")) == []
