"""Invalid admin configuration is reported at start-up, naming the field."""

import subprocess
import sys
import textwrap


def test_invalid_instance_stops_the_server_with_the_field_name(tmp_path):
    config = tmp_path / "jupyter_server_config.py"
    config.write_text(
        textwrap.dedent(
            """
            c.RucioConfig.instances = [{
                "name": "hub",
                "rucio_url": "https://rucio.example.org",
                "destination_rse": "HUB_DISK",
                "mount_path": "relative/mount",
            }]
            c.ServerApp.reraise_server_extension_failures = True
            c.ServerApp.jpserver_extensions = {"jupyterlab_rucio": True}
            """
        )
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--config",
            str(config),
            "--port",
            "0",
            "--ServerApp.root_dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode != 0
    assert "RucioConfig.instances[0].mount_path must be an absolute path" in result.stderr
