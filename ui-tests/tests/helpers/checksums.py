"""Print what Rucio registered for the files of DIDs: one `basename adler32` line per file, sorted.

Usage: python checksums.py <rucio.env> <did> [<did> ...]   (as jdoe, from rucio.env)
"""

import os
import sys
from pathlib import Path


def read_env(path: str) -> dict:
    values = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def main() -> None:
    env = read_env(sys.argv[1])
    os.environ["RUCIO_CONFIG"] = env["RUCIO_USER_CONFIG"]
    from rucio.client import Client

    client = Client()
    lines = []
    for did in sys.argv[2:]:
        scope, name = did.split(":", 1)
        for f in client.list_files(scope, name):
            lines.append(f"{os.path.basename(f['name'])} {f['adler32']}")
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main()
