"""`jupyter rucio resolve` for headless runs, then papermill and nbconvert executing the notebook.

The Rucio configuration lives in a jupyter_server_config.json on the Jupyter config path, as a
hub's admin would write it; the real server started here reads the same file. jdoe's
credentials are saved through that server's API, as the sidebar does. The command runs as a
separate process without RUCIO_CONFIG, so that it works without any rucio.cfg.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from jupyterlab_rucio.cli import inject_parameters_cell
from jupyterlab_rucio.tests.conftest import local_instance

pytestmark = pytest.mark.usefixtures("logged_in")

BIN = Path(sys.executable).parent
READ_FILES = """\
import os, zlib
for path in sorted([hello, *raw]):
    with open(path, "rb") as handle:
        print(os.path.basename(path), "%08x" % zlib.adler32(handle.read()))
"""


@pytest.fixture
def jp_server_config(rucio_env, jp_config_dir):
    config = {"RucioConfig": {"instances": [local_instance(rucio_env)], "rucio_timeout": 30.0}}
    (jp_config_dir / "jupyter_server_config.json").write_text(json.dumps(config))
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_rucio": True},
            "disable_check_xsrf": False,
        }
    }


def command_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RUCIO_CONFIG", "RUCIO_HOME")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        cwd=cwd,
        env=command_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def attached_notebook(path: Path, rucio_env, attachments: list[dict], legacy=None) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["rucio"] = {
        "attachments": [
            {"instance": "local", "rucio_url": rucio_env["RUCIO_URL"], **a} for a in attachments
        ]
    }
    if legacy is not None:
        notebook.metadata["rucio_attachments"] = legacy
    parameters = nbformat.v4.new_code_cell("raw = None\nhello = None")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(READ_FILES)]
    nbformat.write(notebook, path)
    return path


def seeded_checksums(client) -> list[str]:
    """What the files are in Rucio: basename and the adler32 Rucio registered."""
    files = list(client.list_files("physics", "run2024.raw"))
    files += list(client.list_files("user.jdoe", "scratch/hello.txt"))
    return sorted(f"{os.path.basename(f['name'])} {f['adler32']}" for f in files)


def printed_checksums(path: Path) -> list[str]:
    executed = nbformat.read(path, as_version=4)
    outputs = executed.cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    return sorted(line for line in text.splitlines() if line)


ATTACHED = [
    {"variable": "raw", "did": "physics:run2024.raw"},
    {"variable": "hello", "did": "user.jdoe:scratch/hello.txt"},
]


def test_parameters_yaml_then_papermill_reads_the_files(tmp_path, rucio_env, jdoe_rucio):
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, ATTACHED)
    resolved = run("jupyter", "rucio", "resolve", notebook.name, cwd=tmp_path)
    assert resolved.returncode == 0, resolved.stderr
    (tmp_path / "params.yaml").write_text(resolved.stdout)
    assert "raw:" in resolved.stdout and "hello:" in resolved.stdout

    executed = run(
        "papermill", notebook.name, "out.ipynb", "-f", "params.yaml", "-k", "python3", cwd=tmp_path
    )
    assert executed.returncode == 0, executed.stderr
    assert printed_checksums(tmp_path / "out.ipynb") == seeded_checksums(jdoe_rucio)


def test_inplace_then_nbconvert_execute_reads_the_files(tmp_path, rucio_env, jdoe_rucio):
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, ATTACHED)
    for _ in range(2):  # a second run replaces the injected cell instead of adding one
        resolved = run("jupyter", "rucio", "resolve", "--inplace", notebook.name, cwd=tmp_path)
        assert resolved.returncode == 0, resolved.stderr
    cells = nbformat.read(notebook, as_version=4).cells
    tags = [c.metadata.get("tags") for c in cells]
    assert tags == [["parameters"], ["injected-parameters"], None]
    assert cells[1].source.startswith("# Parameters\nraw = [")

    executed = run(
        "jupyter", "nbconvert", "--to", "notebook", "--execute", notebook.name,
        "--output", "executed.ipynb", cwd=tmp_path,
    )  # fmt: skip
    assert executed.returncode == 0, executed.stderr
    assert printed_checksums(tmp_path / "executed.ipynb") == seeded_checksums(jdoe_rucio)


def test_a_did_that_is_not_available_fails_naming_it(tmp_path, rucio_env):
    attachments = [*ATTACHED, {"variable": "calib", "did": "physics:run2024.calib"}]
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, attachments)
    before = notebook.read_text()
    for args in (["resolve", notebook.name], ["resolve", "--inplace", notebook.name]):
        resolved = run("jupyter", "rucio", *args, cwd=tmp_path)
        assert resolved.returncode == 1
        assert "physics:run2024.calib" in resolved.stderr and "not available" in resolved.stderr
        assert resolved.stdout == ""
    assert notebook.read_text() == before, "a failed --inplace run leaves the notebook alone"


def test_another_rucio_is_named_instead_of_resolving_against_the_wrong_one(tmp_path, rucio_env):
    attachments = [
        {"variable": "raw", "did": "physics:run2024.raw", "rucio_url": "https://rucio.other.org"},
        {"variable": "hello", "did": "user.jdoe:scratch/hello.txt", "instance": "elsewhere"},
    ]
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, attachments)
    resolved = run("jupyter", "rucio", "resolve", notebook.name, cwd=tmp_path)
    assert resolved.returncode == 1
    assert "https://rucio.other.org" in resolved.stderr
    assert "'elsewhere'" in resolved.stderr and "not configured" in resolved.stderr


def test_attachments_of_the_older_rucio_extension_are_read(tmp_path, rucio_env):
    legacy = [{"did": "physics:run2024.raw", "variableName": "old_raw", "type": "collection"}]
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, [], legacy=legacy)
    resolved = run("jupyter", "rucio", "resolve", notebook.name, cwd=tmp_path)
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.stdout.startswith("old_raw:\n- ")
    assert resolved.stdout.count("events.000") == 3


def test_a_notebook_without_attachments_is_an_error(tmp_path, rucio_env):
    notebook = attached_notebook(tmp_path / "analysis.ipynb", rucio_env, [])
    resolved = run("jupyter", "rucio", "resolve", notebook.name, cwd=tmp_path)
    assert resolved.returncode == 1 and "no Rucio attachments" in resolved.stderr


@pytest.mark.parametrize(
    "tags, expected",
    [
        ([["parameters"], None], [["parameters"], ["injected-parameters"], None]),
        ([None, None], [["injected-parameters"], None, None]),
        (
            [["injected-parameters"], None, ["injected-parameters"]],
            [["injected-parameters"], None],
        ),
    ],
)
def test_injected_cell_goes_where_papermill_puts_it(tags, expected):
    notebook = nbformat.v4.new_notebook()
    for tag in tags:
        cell = nbformat.v4.new_code_cell("x = 1")
        if tag:
            cell.metadata["tags"] = tag
        notebook.cells.append(cell)
    inject_parameters_cell(notebook, 'raw = ["/a"]\n')
    assert [c.metadata.get("tags") for c in notebook.cells] == expected
    [injected] = [c for c in notebook.cells if c.metadata.get("tags") == ["injected-parameters"]]
    assert injected.source == '# Parameters\nraw = ["/a"]\n'
