"""A hub configured for rucio-jupyterlab switches to this extension without changing its
configuration: the RUCIO_* environment variables of its single-user image alone, or instances
written in rucio-jupyterlab's key names, give a working instance against the local Rucio."""

from __future__ import annotations

import os

import pytest

from jupyterlab_rucio.config import RucioConfig, RucioConfigError

from .test_api_notebook import code, run_python


def strip_segments(directory: str) -> int:
    """rucio-jupyterlab's `path_begins_at` for PFNs under `directory`."""
    return len([part for part in directory.split("/") if part])


def existing_instance(rucio_env: dict[str, str], **overrides) -> dict:
    """The local Rucio as a rucio-jupyterlab hub describes it in its jupyter_server_config."""
    instance = {
        "name": "escape",
        "display_name": "ESCAPE (local)",
        "rucio_base_url": rucio_env["RUCIO_URL"],
        "rucio_auth_url": rucio_env["RUCIO_URL"],
        "rucio_webui_url": "https://rucio-ui.example.org",
        "site_name": "HUB",
        "destination_rse": rucio_env["HUB_RSE"],
        "rse_mount_path": rucio_env["HUB_RSE_DIR"],
        "path_begins_at": strip_segments(rucio_env["HUB_RSE_DIR"]),
        "replication_rule_lifetime_days": 0,
        "mode": "replica",
        "wildcard_enabled": True,
        "voms_enabled": False,
        "app_id": "escape",
    }
    instance.update(overrides)
    return instance


async def uses_the_instance(api, rucio_env: dict[str, str]) -> None:
    """Sign in as jdoe, search, and resolve a hub dataset to files that exist on the mount."""
    listed = await api.get("instances")
    assert [i["name"] for i in listed["instances"]] == ["escape"]
    assert listed["instances"][0]["display_name"] == "ESCAPE (local)"
    assert listed["instances"][0]["webui_url"] == "https://rucio-ui.example.org"
    signed_in = await api.put(
        "credentials",
        {
            "method": "userpass",
            "username": rucio_env["RUCIO_USER_USERNAME"],
            "password": rucio_env["RUCIO_USER_PASSWORD"],
        },
    )
    assert signed_in["account"] == rucio_env["RUCIO_USER_ACCOUNT"]
    found = await api.get("dids/search", did="physics:run2024*", type="dataset")
    assert "run2024.raw" in [item["name"] for item in found["items"]]
    reply = await code(api, "python", [("raw", "physics:run2024.raw")])
    paths = run_python(reply["code"])["raw"]
    assert len(paths) == 3
    assert all(path.startswith(rucio_env["HUB_RSE_DIR"] + "/") for path in paths)
    assert all(os.path.isfile(path) for path in paths)  # noqa: ASYNC240 - a check, not I/O work


class TestTheImagesEnvironmentAlone:
    @pytest.fixture
    def rucio_instances(self, rucio_env, monkeypatch):
        variables = {
            "RUCIO_NAME": "escape",
            "RUCIO_DISPLAY_NAME": "ESCAPE (local)",
            "RUCIO_BASE_URL": rucio_env["RUCIO_URL"],
            "RUCIO_AUTH_URL": rucio_env["RUCIO_URL"],
            "RUCIO_WEBUI_URL": "https://rucio-ui.example.org",
            "RUCIO_SITE_NAME": "HUB",
            "RUCIO_DESTINATION_RSE": rucio_env["HUB_RSE"],
            "RUCIO_RSE_MOUNT_PATH": rucio_env["HUB_RSE_DIR"],
            "RUCIO_PATH_BEGINS_AT": str(strip_segments(rucio_env["HUB_RSE_DIR"])),
            "RUCIO_MODE": "replica",
            "RUCIO_WILDCARD_ENABLED": "1",
            "RUCIO_DEFAULT_INSTANCE": "escape",
            "RUCIO_DEFAULT_AUTH_TYPE": "userpass",
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return []  # no c.RucioConfig.instances at all

    async def test_the_variables_give_a_working_instance(self, api, rucio_env):
        await uses_the_instance(api, rucio_env)
        listed = await api.get("instances")
        assert (listed["active"], listed["default_auth_method"]) == ("escape", "userpass")


class TestAnInstanceInTheExistingKeys:
    @pytest.fixture
    def rucio_instances(self, rucio_env):
        return [existing_instance(rucio_env)]

    @pytest.fixture
    def rucio_options(self):
        return {
            "default_instance": "escape",
            "default_auth_type": "x509_proxy",
            "log_level": "info",
        }

    async def test_the_instance_works(self, api, rucio_env):
        await uses_the_instance(api, rucio_env)
        listed = await api.get("instances")
        assert (listed["active"], listed["default_auth_method"]) == ("escape", "x509_proxy")


def load(instances: list[dict]) -> dict:
    return RucioConfig(instances=instances, use_environment=False).load_instances()


def test_unknown_keys_are_still_refused_by_name(rucio_env):
    with pytest.raises(RucioConfigError, match=r"instances\[0\]: unknown field\(s\) rucio_base"):
        load([{**existing_instance(rucio_env), "rucio_base": "http://x"}])


def test_an_alias_and_our_key_for_the_same_field_are_refused(rucio_env):
    with pytest.raises(RucioConfigError, match=r"rse_mount_path and .*mount_path are the same"):
        load([{**existing_instance(rucio_env), "mount_path": "/elsewhere"}])


def test_the_oidc_token_source_keys_become_ours(rucio_env):
    loaded = load(
        [
            existing_instance(rucio_env, oidc_auth="env", oidc_env_name="RUCIO_ACCESS_TOKEN"),
            existing_instance(rucio_env, name="b", oidc_auth="file", oidc_file_name="/t/token"),
        ]
    )
    assert loaded["escape"].oidc_token_source() == "env:RUCIO_ACCESS_TOKEN"
    assert loaded["b"].oidc_token_source() == "file:/t/token"
    with pytest.raises(RucioConfigError, match=r"\[0\]\.oidc_auth must be 'env' or 'file'"):
        load([existing_instance(rucio_env, oidc_auth="kerberos")])
    with pytest.raises(RucioConfigError, match=r"instances\[0\]\.oidc_env_name is required"):
        load([existing_instance(rucio_env, oidc_auth="env")])


def test_a_remote_configuration_is_refused_with_a_reason(rucio_env):
    with pytest.raises(RucioConfigError, match=r"instances\[0\]\.\$url: remote instance"):
        load([{"$url": "https://example.org/config.json", "name": "r", "display_name": "R"}])


def test_a_bad_number_in_the_environment_names_the_variable(rucio_env, monkeypatch):
    monkeypatch.setenv("RUCIO_BASE_URL", rucio_env["RUCIO_URL"])
    monkeypatch.setenv("RUCIO_PATH_BEGINS_AT", "three")
    with pytest.raises(RucioConfigError, match="RUCIO_PATH_BEGINS_AT must be a whole number"):
        RucioConfig().load_instances()
    assert "RUCIO_BASE_URL" in os.environ
