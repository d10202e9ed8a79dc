"""Print what Rucio registered for the files of DIDs: one `basename adler32` line per file, sorted.

Usage: python checksums.py <rucio.env> <did> [<did> ...]   (as jdoe, from rucio.env)
"""

import os
import sys

from remote_dataset import jdoe_client, read_env  # the helper next to this one


def main() -> None:
    env = read_env(sys.argv[1])
    client = jdoe_client(env)
    lines = []
    for did in sys.argv[2:]:
        scope, name = did.split(":", 1)
        for f in client.list_files(scope, name):
            lines.append(f"{os.path.basename(f['name'])} {f['adler32']}")
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main()
