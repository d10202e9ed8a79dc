"""`pip install` of the wheel alone enables both halves of the extension, with no Node.js."""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (REPO / "jupyterlab_rucio" / "labextension" / "package.json").is_file():
        pytest.fail("the labextension is not built: run `make install` (jlpm build:prod) first")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
    )
    (found,) = out.glob("jupyterlab_rucio-*.whl")
    return found


def test_wheel_carries_labextension_and_server_config(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = next(n.split("/")[0] for n in names if ".data/" in n)
    labext = f"{data}/data/share/jupyter/labextensions/jupyterlab-rucio"
    assert f"{labext}/package.json" in names
    assert f"{labext}/install.json" in names
    assert any(n.startswith(f"{labext}/static/remoteEntry.") for n in names)
    assert f"{data}/data/etc/jupyter/jupyter_server_config.d/jupyterlab_rucio.json" in names
    assert not any("/tests/" in n for n in names), "tests must not ship in the wheel"


def test_pip_install_alone_enables_both_halves(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # No Node.js on PATH during the install: the wheel must be enough.
    env = {"PATH": f"{env_dir / 'bin'}:/usr/sbin:/sbin", "HOME": str(tmp_path)}
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE"):
        if key in os.environ:
            env[key] = os.environ[key]
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
            "jupyterlab==4.6.6",
        ],
        check=True,
        env=env,
    )
    jupyter = str(env_dir / "bin" / "jupyter")
    labext = subprocess.run(
        [jupyter, "labextension", "list"], capture_output=True, text=True, env=env, check=True
    )
    server = subprocess.run(
        [jupyter, "server", "extension", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lab_lines = [
        line for line in (labext.stdout + labext.stderr).splitlines() if "jupyterlab-rucio" in line
    ]
    assert lab_lines and "enabled" in lab_lines[0] and "OK" in lab_lines[0], labext.stderr
    server_out = server.stdout + server.stderr
    assert "jupyterlab_rucio enabled" in " ".join(
        server_out.replace("\x1b[32m", "").replace("\x1b[0m", "").split()
    )
    assert (
        "jupyterlab_rucio 0" in server_out
        and "OK" in server_out.split("jupyterlab_rucio 0")[1][:40]
    )
