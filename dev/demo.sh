#!/usr/bin/env bash
# Starts JupyterLab with the extension connected to the local Rucio (already up, see `make demo`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-8890}"
WORKDIR="$ROOT/dev/.state/demo-workspace"
mkdir -p "$WORKDIR"
export PATH="$ROOT/.venv/bin:$PATH"
# The demo signs in as the sample user so the sidebar shows data at once.
export JUPYTERLAB_RUCIO_DEV_AUTOLOGIN=1
# An OIDC access token of the local issuer for 12 hours, in a file as JupyterHub keeps one: the
# path to type in Settings for "OpenID Connect token" (see dev/README.md).
TOKEN_FILE="$ROOT/dev/.state/demo-access-token"
(umask 077 && bash "$ROOT/dev/rucio.sh" token --lifetime 43200 > "$TOKEN_FILE")
echo
echo "JupyterLab with jupyterlab-rucio: http://127.0.0.1:$PORT/lab?token=demo  (Ctrl-C to stop)"
echo "Sign in another way in the panel's Settings (Rucio over HTTPS, files in dev/.state/pki):"
echo "  X.509 certificate: $ROOT/dev/.state/pki/usercert.pem, key $ROOT/dev/.state/pki/userkey.pem"
echo "  X.509 proxy:       $ROOT/dev/.state/pki/x509up"
echo "  OIDC token file:   $TOKEN_FILE"
echo
exec jupyter lab --config "$ROOT/dev/jupyter/jupyter_server_config.py" \
  --ServerApp.root_dir="$WORKDIR" --ServerApp.port="$PORT" --IdentityProvider.token=demo \
  --ServerApp.allow_root=True --no-browser
