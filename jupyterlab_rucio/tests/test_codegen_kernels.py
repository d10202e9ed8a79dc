"""Generated code run in real kernels (IPython and IRkernel through jupyter_client): every
hostile value comes back exactly, and nothing in a value runs as code."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel

from jupyterlab_rucio.codegen import generate
from jupyterlab_rucio.tests.test_codegen import HOSTILE

TEN_THOUSAND = [f'/mnt/hub/scale/run.{i:05d}/file "{i}" $x\n.dat' for i in range(10_000)]


class Kernel:
    def __init__(self, name: str) -> None:
        self.manager: KernelManager
        self.manager, self.client = start_new_kernel(kernel_name=name, startup_timeout=120)

    def run(self, code: str, silent: bool = False) -> tuple[dict, str]:
        """Execute; the reply's content and everything printed on stdout."""
        printed: list[str] = []

        def on_output(message: dict) -> None:
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                printed.append(message["content"]["text"])

        reply = self.client.execute_interactive(
            code, silent=silent, store_history=False, timeout=120, output_hook=on_output
        )
        return reply["content"], "".join(printed)

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def drain(kernel: Kernel) -> None:
    try:
        while True:
            kernel.client.get_iopub_msg(timeout=0.1)
    except queue.Empty:
        pass


@pytest.fixture(scope="module")
def python_kernel() -> Iterator[Kernel]:
    kernel = Kernel("python3")
    yield kernel
    kernel.stop()


@pytest.fixture(scope="module")
def r_kernel() -> Iterator[Kernel]:
    kernel = Kernel("ir")
    yield kernel
    kernel.stop()


def test_python_kernel_gets_exactly_the_values(python_kernel):
    values = {f"v{i}": value for i, value in enumerate(HOSTILE)}
    values["listed"] = list(HOSTILE)
    reply, _ = python_kernel.run(generate("python", values), silent=True)
    assert reply["status"] == "ok", reply
    names = ", ".join(f"{k!r}: {k}" for k in values)
    reply, printed = python_kernel.run(f"import json; print(json.dumps({{{names}}}))")
    assert reply["status"] == "ok", reply
    assert json.loads(printed) == values


def test_python_kernel_hostile_value_runs_nothing(python_kernel, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f'"); open({str(marker)!r}, "w").write("x"); ("'
    reply, _ = python_kernel.run(generate("python", {"x": hostile, "xs": [hostile]}), silent=True)
    assert reply["status"] == "ok"
    assert not marker.exists()


def test_python_kernel_ten_thousand_paths_in_one_execution(python_kernel):
    reply, _ = python_kernel.run(generate("python", {"many": TEN_THOUSAND}), silent=True)
    assert reply["status"] == "ok"
    reply, printed = python_kernel.run("import json; print(json.dumps(many))")
    assert json.loads(printed) == TEN_THOUSAND


R_CODEPOINTS = """
for (v in list({names})) {{
  for (s in v) cat(paste(utf8ToInt(enc2utf8(s)), collapse = ","), "\\n", sep = "")
  cat("--\\n")
}}
"""


def r_strings(printed: str) -> list[list[str]]:
    """The kernel's strings, printed as their code points (locale-independent)."""
    groups: list[list[str]] = [[]]
    for line in printed.splitlines():
        if line == "--":
            groups.append([])
        else:
            groups[-1].append("".join(chr(int(p)) for p in line.split(",") if p))
    return groups[:-1]


def test_r_kernel_gets_exactly_the_values(r_kernel):
    values = {f"v{i}": value for i, value in enumerate(HOSTILE)}
    values["listed"] = list(HOSTILE)
    values["empty"] = []
    reply, _ = r_kernel.run(generate("r", values), silent=True)
    assert reply["status"] == "ok", reply
    reply, printed = r_kernel.run(R_CODEPOINTS.format(names=", ".join(values)))
    assert reply["status"] == "ok", reply
    expected = [[v] if isinstance(v, str) else v for v in values.values()]
    assert r_strings(printed) == expected
    reply, printed = r_kernel.run('cat(class(listed), length(listed), class(empty), "\\n")')
    assert printed.split() == ["character", str(len(HOSTILE)), "character"]


def test_r_kernel_hostile_value_runs_nothing(r_kernel, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f'")); file.create("{marker}"); x <- c("'
    reply, _ = r_kernel.run(generate("r", {"x": hostile, "xs": [hostile, "b"]}), silent=True)
    assert reply["status"] == "ok", reply
    assert not marker.exists()
    reply, printed = r_kernel.run(R_CODEPOINTS.format(names="x, xs"))
    assert r_strings(printed) == [[hostile], [hostile, "b"]]


def test_r_kernel_ten_thousand_paths_in_one_execution(r_kernel):
    reply, _ = r_kernel.run(generate("r", {"many": TEN_THOUSAND}), silent=True)
    assert reply["status"] == "ok", reply
    reply, printed = r_kernel.run(R_CODEPOINTS.format(names="many"))
    assert r_strings(printed) == [TEN_THOUSAND]
