"""Rucio policy package of the local instance: Rucio's generic policy with one relaxation.

Loaded by the server through `[policy] package = rucio_dev_policy` (see dev/rucio.sh, which puts
dev/policy on PYTHONPATH). Schema and lfn2pfn algorithms are not customised: Rucio falls back to
its generic ones.
"""

SUPPORTED_VERSION = ">=41.0,<42"
