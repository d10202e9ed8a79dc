"""The local Rucio started by dev/rucio.sh behaves like a real instance for jdoe.

Everything here is real: the Rucio server, its database, the RSE directories on disk and
the background transfer loop. Nothing is mocked.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

RULE_TIMEOUT_SECONDS = 60


def _replica_paths(client, scope: str, name: str, rse: str) -> list[Path]:
    replicas = client.list_replicas(
        [{"scope": scope, "name": name}], schemes=["file"], rse_expression=rse
    )
    return [Path(urlparse(pfn).path) for replica in replicas for pfn in replica["pfns"]]


def test_seeded_catalogue_is_listed(jdoe_rucio, rucio_env):
    physics = {d for d in jdoe_rucio.list_dids("physics", [{"name": "run2024*"}], did_type="all")}
    assert {"run2024", "run2024.raw", "run2024.calib"} <= physics

    children = {(c["name"], c["type"]) for c in jdoe_rucio.list_content("physics", "run2024")}
    assert children == {("run2024.raw", "DATASET"), ("run2024.calib", "DATASET")}

    raw_files = [f["name"] for f in jdoe_rucio.list_files("physics", "run2024.raw")]
    assert "run2024/raw/events.0001.dat" in raw_files
    assert len(raw_files) == 3

    bulk = sum(1 for _ in jdoe_rucio.list_dids("bulk", [{"name": "*"}], did_type="all"))
    assert bulk >= 2500


def test_seeded_availability_at_the_hub(jdoe_rucio, rucio_env):
    hub = rucio_env["HUB_RSE"]
    raw_at_hub = list(
        jdoe_rucio.list_replicas([{"scope": "physics", "name": "run2024.raw"}], rse_expression=hub)
    )
    calib = list(jdoe_rucio.list_replicas([{"scope": "physics", "name": "run2024.calib"}]))
    assert len(raw_at_hub) == 3
    assert all(r["states"].get(hub) == "AVAILABLE" for r in raw_at_hub)
    assert len(calib) == 2
    assert all(set(r["rses"]) == {rucio_env["REMOTE_RSE"]} for r in calib)

    hub_dir = Path(rucio_env["HUB_RSE_DIR"])
    [path] = _replica_paths(jdoe_rucio, "physics", "run2024/raw/events.0001.dat", hub)
    assert path.is_relative_to(hub_dir)
    expected_size = jdoe_rucio.get_did("physics", "run2024/raw/events.0001.dat")["bytes"]
    assert path.stat().st_size == expected_size


def test_rule_to_hub_copies_uploaded_bytes(jdoe_rucio, rucio_env, tmp_path):
    from jupyterlab_rucio.tests.conftest import upload_as_data_manager

    scope, hub, remote = (
        rucio_env["RUCIO_USER_SCOPE"],
        rucio_env["HUB_RSE"],
        rucio_env["REMOTE_RSE"],
    )
    prefix = f"devcheck/{uuid.uuid4().hex}"
    name = f"{prefix}/payload.bin"
    payload = uuid.uuid4().bytes * 1000
    source = tmp_path / "payload.bin"
    source.write_bytes(payload)

    upload_as_data_manager(
        rucio_env, [{"path": str(source), "rse": remote, "did_scope": scope, "did_name": name}]
    )

    found = list(jdoe_rucio.list_dids(scope, [{"name": f"{prefix}*"}], did_type="file"))
    assert found == [name]
    assert _replica_paths(jdoe_rucio, scope, name, hub) == []

    rule_id = jdoe_rucio.add_replication_rule([{"scope": scope, "name": name}], 1, hub)[0]
    deadline = time.monotonic() + RULE_TIMEOUT_SECONDS
    state = jdoe_rucio.get_replication_rule(rule_id)["state"]
    while state != "OK" and time.monotonic() < deadline:
        time.sleep(1)
        state = jdoe_rucio.get_replication_rule(rule_id)["state"]
    assert state == "OK", f"rule {rule_id} still {state} after {RULE_TIMEOUT_SECONDS} s"

    [copied] = _replica_paths(jdoe_rucio, scope, name, hub)
    assert copied.is_relative_to(Path(rucio_env["HUB_RSE_DIR"]))
    assert copied.read_bytes() == payload


def test_rucio_command_line_lists_the_seeded_data(rucio_env):
    """The `rucio` command of rucio-clients, pointed at the local server, sees the sample data."""
    rucio = Path(sys.executable).with_name("rucio")
    env = {**os.environ, "RUCIO_CONFIG": rucio_env["RUCIO_USER_CONFIG"]}

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(rucio), *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "jdoe" in run("whoami")
    listing = run("did", "list", "physics:*")
    for name in ("physics:run2024", "physics:run2024.raw", "physics:run2024.calib"):
        assert name in listing
    assert "physics:run2024/raw/events.0001.dat" in run(
        "did", "content", "list", "physics:run2024.raw"
    )


def test_custom_metadata_is_kept_and_searchable(jdoe_rucio, rucio_env):
    """Keys that are not DID columns go to Rucio's JSON metadata plugin (PostgreSQL has it)."""
    scope = rucio_env["RUCIO_USER_SCOPE"]
    name = f"devcheck/{uuid.uuid4().hex}.meta"
    instrument = f"camera-{uuid.uuid4().hex[:8]}"
    jdoe_rucio.add_dataset(scope, name)

    jdoe_rucio.set_metadata(scope, name, "instrument", instrument)

    assert jdoe_rucio.get_metadata(scope, name, plugin="JSON") == {"instrument": instrument}
    assert list(jdoe_rucio.list_dids(scope, {"instrument": instrument})) == [name]
    assert list(jdoe_rucio.list_dids(scope, {"instrument": "no-such-camera"})) == []
