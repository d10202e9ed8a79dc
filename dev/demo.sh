#!/usr/bin/env bash
# Starts JupyterLab with the extension connected to the local Rucio (already up, see `make demo`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-8890}"
# Further arguments are passed on to jupyter lab (benchmarks/run.py sets options with them).
EXTRA=("${@:2}")
WORKDIR="$ROOT/dev/.state/demo-workspace"
mkdir -p "$WORKDIR"
export PATH="$ROOT/.venv/bin:$PATH"
# The demo signs in as the sample user so the sidebar shows data at once.
export JUPYTERLAB_RUCIO_DEV_AUTOLOGIN=1
echo
echo "JupyterLab with jupyterlab-rucio: http://127.0.0.1:$PORT/lab?token=demo  (Ctrl-C to stop)"
echo
exec jupyter lab --config "$ROOT/dev/jupyter/jupyter_server_config.py" \
  --ServerApp.root_dir="$WORKDIR" --ServerApp.port="$PORT" --IdentityProvider.token=demo \
  --ServerApp.allow_root=True --no-browser "${EXTRA[@]}"
