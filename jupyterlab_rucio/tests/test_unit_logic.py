"""Pure logic: availability states, PFN -> mount mapping, path confinement, DIDs, config, paging."""

import json
import os

import pytest

from jupyterlab_rucio.availability import compute_availability, hub_location, pick_rule
from jupyterlab_rucio.catalogue import InstanceCatalogue
from jupyterlab_rucio.config import (
    RucioConfig,
    RucioConfigError,
    instance_from_rucio_cfg,
    parse_instance,
)
from jupyterlab_rucio.credentials import CredentialStore
from jupyterlab_rucio.dids import DidError, parse_did, summarize
from jupyterlab_rucio.paging import _json as paging_json
from jupyterlab_rucio.paths import PathError, confine_to_root, pfn_to_local_path

HUB = "HUB_DISK"


def replica(state=None, size=10):
    return {"bytes": size, "states": {HUB: state} if state else {}, "rses": {}}


def rule(state, rse=HUB, account="jdoe"):
    return {"state": state, "rse_expression": rse, "account": account}


@pytest.mark.parametrize(
    ("replicas", "rules", "total", "state", "available", "replicating"),
    [
        ([], [], 0, "EMPTY", 0, 0),
        ([replica("AVAILABLE")] * 3, [], 3, "AVAILABLE", 3, 0),
        ([], [], 3, "NOT_AVAILABLE", 0, 0),
        ([replica("AVAILABLE")], [], 3, "PARTIALLY_AVAILABLE", 1, 0),
        ([replica("COPYING")] * 2, [rule("REPLICATING")], 2, "REPLICATING", 0, 2),
        ([replica("AVAILABLE")], [rule("REPLICATING")], 3, "REPLICATING", 1, 2),
        ([replica("AVAILABLE")], [rule("STUCK")], 3, "STUCK", 1, 0),
        ([], [rule("REPLICATING", rse="OTHER_DISK")], 2, "NOT_AVAILABLE", 0, 0),
        ([replica("UNAVAILABLE")], [], 1, "NOT_AVAILABLE", 0, 0),
    ],
)
def test_availability_states(replicas, rules, total, state, available, replicating):
    result = compute_availability(replicas, HUB, rules, files_total=total)
    assert (result.state, result.files_available, result.files_replicating) == (
        state,
        available,
        replicating,
    )


def test_location_of_files_at_the_hub():
    assert hub_location([]) is None
    assert hub_location(["/hub/s/a.dat"]) == {
        "directory": "/hub/s",
        "paths": ["/hub/s/a.dat"],
        "count": 1,
    }
    many = [f"/hub/s/run/{i % 2}/f{i:02d}" for i in range(12)]
    location = hub_location(many)
    assert location["directory"] == "/hub/s/run"
    assert location["paths"] == sorted(many)[:5] and location["count"] == 12


def test_the_users_own_rule_is_preferred():
    chosen = pick_rule([rule("OK", account="root"), rule("REPLICATING")], HUB, "jdoe")
    assert chosen["account"] == "jdoe"
    assert pick_rule([rule("OK", rse="ELSEWHERE")], HUB, "jdoe") is None


@pytest.mark.parametrize(
    ("pfn", "prefix", "strip", "expected"),
    [
        ("file://localhost/data/rse/user.a/f/x.dat", "/data/rse", 0, "/mnt/hub/user.a/f/x.dat"),
        ("root://eos.example:1094//eos/rse/s/n", "/eos/rse", 0, "/mnt/hub/s/n"),
        ("davs://host:443/a/b/s/n", None, 2, "/mnt/hub/s/n"),
        ("file:///x/s/name%20with%20space", "/x", 0, "/mnt/hub/s/name with space"),
    ],
)
def test_pfn_is_mapped_onto_the_mount(pfn, prefix, strip, expected):
    assert pfn_to_local_path(pfn, "/mnt/hub", prefix, strip) == expected


def test_pfn_outside_the_prefix_is_refused():
    with pytest.raises(PathError):
        pfn_to_local_path("file://h/other/s/n", "/mnt/hub", "/data")
    with pytest.raises(PathError):
        pfn_to_local_path("file://h/data/../etc/passwd", "/mnt/hub", None, 1)


def test_paths_are_confined_to_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "f.txt").write_text("x")
    (tmp_path / "secret").write_text("s")
    os.symlink(tmp_path / "secret", root / "out")
    assert confine_to_root(str(root), "sub/f.txt") == str(root / "sub" / "f.txt")
    for bad in ["../secret", "/etc/passwd", "sub/../../secret", "out", "", "sub", "a\x00b", 5]:
        with pytest.raises(PathError):
            confine_to_root(str(root), bad)


def test_did_parsing():
    assert str(parse_did("physics:run2024/raw/events.0001.dat")) == (
        "physics:run2024/raw/events.0001.dat"
    )
    assert parse_did("physics:run*", wildcard=True).name == "run*"
    for bad in ["physics", "physics:", ":x", "ph ysics:x", "physics:run*", "s:" + "n" * 300, None]:
        with pytest.raises(DidError):
            parse_did(bad)


def test_sizes_and_counts_are_whole_numbers():
    # Rucio on PostgreSQL sends a collection's summed bytes as a float.
    row = {"scope": "physics", "name": "run2024", "type": "CONTAINER", "bytes": 156068.0}
    summary = summarize({**row, "length": 5.0})
    assert summary["bytes"] == 156068 and isinstance(summary["bytes"], int)
    assert summary["length"] == 5 and isinstance(summary["length"], int)
    assert summarize({**row, "bytes": None})["bytes"] is None


@pytest.mark.parametrize(
    "row",
    [
        {"scope": "physics", "name": "run.0001", "did_type": "FILE", "bytes": 10, "length": None},
        {"scope": 'o"dd\\', "name": "caf\u00e9\u2028\x00", "type": "DATASET", "bytes": 3.0},
        {"scope": "physics", "name": "run", "did_type": "CONTAINER", "bytes": None, "length": 2},
    ],
)
def test_a_summary_is_written_as_the_json_encoder_writes_it(row):
    # Search results are written into their spool by the summary's own quick writer.
    summary = summarize(row)
    assert paging_json(summary) == json.dumps(summary, separators=(",", ":")).encode()
    assert json.loads(paging_json(summary)) == summary
    summary["meta"] = {"run": 7}  # a key added afterwards is written too
    assert json.loads(paging_json(summary))["meta"] == {"run": 7}


def test_a_credential_saved_by_another_server_of_the_user_is_used_at_once(tmp_path):
    # Two servers (or a server started again) share the user's data directory: the parse each
    # keeps of the credential file must follow the file.
    instance = parse_instance(valid(), 0)
    first, second = CredentialStore(tmp_path), CredentialStore(tmp_path)
    assert first.active(instance) is None
    second.save("hub", "userpass", {"username": "jdoe", "password": "one", "account": "jdoe"})
    assert first.active(instance)["password"] == "one"
    first.active(instance)["password"] = "changed by a caller"
    assert first.active(instance)["password"] == "one"
    second.save("hub", "userpass", {"username": "jdoe", "password": "two", "account": "jdoe"})
    assert first.active(instance)["password"] == "two"
    second.delete("hub", "userpass")
    assert first.active(instance) is None
    second.set_active_instance("hub")
    assert first.active_instance() == "hub"


def valid(**overrides):
    instance = {
        "name": "hub",
        "rucio_url": "https://rucio.example.org",
        "destination_rse": "HUB_DISK",
        "mount_path": "/eos/hub",
    }
    instance.update(overrides)
    return instance


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (valid(rucio_url="rucio.example.org"), "rucio_url"),
        (valid(mode="stream"), "mode"),
        (valid(destination_rse=None), "destination_rse"),
        (valid(mount_path="relative/path"), "mount_path"),
        (valid(default_lifetime_days=0), "default_lifetime_days"),
        (valid(wildcard_enabled="yes"), "wildcard_enabled"),
        (valid(auth_methods=["kerberos"]), "auth_methods"),
        (valid(colour="blue"), "colour"),
        (valid(name="has space"), "name"),
        ({"rucio_url": "https://x"}, "name"),
    ],
)
def test_invalid_instance_config_names_the_field(raw, field):
    with pytest.raises(RucioConfigError, match=field):
        parse_instance(raw, 0)


def test_config_level_checks():
    config = RucioConfig(instances=[valid(), valid()])
    with pytest.raises(RucioConfigError, match="duplicate"):
        InstanceCatalogue(config, None)
    config = RucioConfig(instances=[valid()], default_instance="other")
    with pytest.raises(RucioConfigError, match="default_instance"):
        InstanceCatalogue(config, None)
    config = RucioConfig(instances=[valid()], default_auth_method="kerberos")
    with pytest.raises(RucioConfigError, match="default_auth_method"):
        InstanceCatalogue(config, None)


def test_instance_from_a_users_rucio_cfg(tmp_path, monkeypatch):
    cfg = tmp_path / "rucio.cfg"
    cfg.write_text(
        "[client]\nrucio_host = https://rucio.example.org\nauth_host = https://auth.example.org\n"
        "auth_type = x509_proxy\naccount = alice\nca_cert = /etc/ca.pem\n"
    )
    monkeypatch.setenv("X509_USER_PROXY", "/tmp/x509up_u1234")
    monkeypatch.delenv("RUCIO_CLIENT_PROXY", raising=False)
    instance = instance_from_rucio_cfg(cfg)
    assert instance.auth_url == "https://auth.example.org"
    assert instance.mode == "download"
    assert instance.implicit_credential == {
        "method": "x509_proxy",
        "account": "alice",
        "proxy_path": "/tmp/x509up_u1234",
    }
    monkeypatch.setenv("RUCIO_CONFIG", str(cfg))
    assert list(InstanceCatalogue(RucioConfig(), None).current().instances) == ["default"]
