"""What Rucio and the RSE hold of a DID, for the UI tests to check an upload.

Usage: python rucio_check.py <rucio.env> <scope:name> <rse> [<local file>]
Prints JSON: in_rucio, files (of a dataset), on_rse (paths of the file and of a partial copy on
the RSE) and same_bytes (the RSE's copy equals the local file). Runs as jdoe, signed in with the
values of rucio.env, in a process of its own: a data manager's check, not the extension's
environment.
"""

import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from remote_dataset import jdoe_client, read_env


def main() -> None:
    env = read_env(sys.argv[1])
    did, rse = sys.argv[2], sys.argv[3]
    local = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    from rucio.common.exception import DataIdentifierNotFound

    client = jdoe_client(env)
    scope, _, name = did.partition(":")
    pfn = client.lfns2pfns(rse, [did], operation="write")[did]
    path = Path(unquote(urlparse(pfn).path))
    answer = {
        "in_rucio": True,
        "files": [],
        "on_rse": [str(p) for p in (path, Path(f"{path}.part")) if p.exists()],
        "same_bytes": None,
    }
    try:
        info = client.get_did(scope, name)
        if str(info.get("type")).upper().endswith("DATASET"):
            answer["files"] = sorted(f["name"] for f in client.list_files(scope, name))
    except DataIdentifierNotFound:
        answer["in_rucio"] = False
    if local is not None and path.exists():
        answer["same_bytes"] = path.read_bytes() == local.read_bytes()
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
