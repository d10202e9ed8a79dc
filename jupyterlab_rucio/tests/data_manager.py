"""Arranging test data the way a data manager would: rucio-clients' own upload helper, in a
process of its own whose rucio.cfg is jdoe's client config (never the extension's environment).

Usage: RUCIO_CONFIG=<client cfg> python data_manager.py < items.json
`items.json` is a list of UploadClient items (path, rse, did_scope, did_name, dataset_*).
"""

import json
import sys


def main() -> None:
    from rucio.client.uploadclient import UploadClient

    items = json.load(sys.stdin)
    UploadClient().upload(items)


if __name__ == "__main__":
    main()
