"""Upload benchmark: many files of a few MB to the local RSE through the extension, against the
`rucio upload` command line on the same files and against a plain copy into the RSE's storage.

Prints seconds per method and the ratios; nothing is asserted. Run by benchmarks/run.py, or alone:

    .venv/bin/python benchmarks/upload.py [--files 200] [--megabytes 5]

Each run leaves its files in Rucio (user.jdoe, one-day rules) and on REMOTE_USERDISK;
`make rucio-reset` clears the local Rucio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKSPACE = REPO / "dev" / ".state" / "demo-workspace"  # the Jupyter root of dev/demo.sh


def make_files(folder: Path, count: int, megabytes: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        path = folder / f"f{index:04d}.dat"
        path.write_bytes(os.urandom(megabytes * 1024 * 1024))
        paths.append(path)
    return paths


def plain_copy(paths: list[Path], storage: Path) -> float:
    """Copy the bytes into the RSE's file system: the least any upload must do."""
    target = storage / f"bench-copy-{uuid.uuid4().hex[:8]}"
    target.mkdir(parents=True)
    start = time.perf_counter()
    for path in paths:
        shutil.copyfile(path, target / path.name)
        with open(target / path.name, "rb+") as handle:
            os.fsync(handle.fileno())
    elapsed = time.perf_counter() - start
    shutil.rmtree(target)
    return elapsed


def command_line(paths: list[Path], dev: dict[str, str]) -> float:
    """`rucio upload` of rucio-clients, as a user would run it with their rucio.cfg."""
    env = {**os.environ, "RUCIO_CONFIG": dev["RUCIO_USER_CONFIG"]}
    rucio = Path(sys.executable).with_name("rucio")
    command = [str(rucio), "upload", "--rse", dev["REMOTE_RSE"], "--scope", "user.jdoe"]
    command += ["--lifetime", "86400", *map(str, paths)]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - start


def extension(ext, folder: Path, dev: dict[str, str]) -> float:
    """The extension: one job for the folder, from POST until the job is done."""
    relative = folder.relative_to(WORKSPACE)
    body = {
        "paths": [str(relative)],
        "rse": dev["REMOTE_RSE"],
        "scope": "user.jdoe",
        "lifetime_days": 1,
    }
    start = time.perf_counter()
    job = ext.post("uploads", body)
    while job["state"] not in ("DONE", "FAILED", "CANCELLED"):
        time.sleep(0.1)
        job = ext.get(f"uploads/{job['id']}")
    elapsed = time.perf_counter() - start
    if job["state"] != "DONE":
        failed = [f"{f['path']}: {f['message']}" for f in job["files"] if f["state"] != "DONE"]
        sys.exit(
            f"the benchmark upload ended {job['state']}: {job['message']}\n" + "\n".join(failed)
        )
    return elapsed


def bench_uploads(ext, dev: dict[str, str], count: int, megabytes: int) -> list[str]:
    """Lines of the upload table (seconds per method and ratios)."""
    tag = uuid.uuid4().hex[:8]
    folder = WORKSPACE / f"bench-upload-{tag}"
    try:
        paths = make_files(folder, count, megabytes)
        copy = plain_copy(paths, Path(dev["REMOTE_RSE_DIR"]))
        cli = command_line(paths, dev)
        ours = extension(ext, folder, dev)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    size = f"{count} files of {megabytes} MB to {dev['REMOTE_RSE']}"
    return [
        f"upload {size}:",
        f"  plain copy          {copy:8.1f} s",
        f"  rucio upload (CLI)  {cli:8.1f} s",
        f"  extension           {ours:8.1f} s",
        f"  extension / CLI     {ours / cli:8.2f}",
        f"  extension / copy    {ours / copy:8.2f}",
    ]


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from run import ENV_FILE, Extension, jupyter_server, read_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--megabytes", type=int, default=5)
    args = parser.parse_args()
    dev = read_env(ENV_FILE)
    with jupyter_server() as base:
        print("\n".join(bench_uploads(Extension(base), dev, args.files, args.megabytes)))


if __name__ == "__main__":
    main()
