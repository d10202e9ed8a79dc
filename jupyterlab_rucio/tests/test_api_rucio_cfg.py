"""No instance configured: the user's own rucio.cfg (RUCIO_CONFIG) is used, credentials included.

The only tests whose server sees a rucio.cfg: this fallback is what they are about, so they set
RUCIO_CONFIG for their own server alone.
"""

import pytest


@pytest.fixture
def rucio_instances(rucio_env, monkeypatch):
    monkeypatch.setenv("RUCIO_CONFIG", rucio_env["RUCIO_USER_CONFIG"])
    return []


async def test_instance_and_credentials_come_from_rucio_cfg(api, rucio_env):
    instances = await api.get("instances")
    assert [i["name"] for i in instances["instances"]] == ["default"]
    assert instances["instances"][0]["rucio_url"] == rucio_env["RUCIO_URL"]
    listed = await api.get("credentials")
    assert listed["method"] == "userpass"
    assert listed["saved"] == {}
    who = await api.get("whoami")
    assert who["account"] == rucio_env["RUCIO_USER_ACCOUNT"]
    assert "physics" in (await api.get("scopes"))["scopes"]
