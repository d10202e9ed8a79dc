#!/usr/bin/env bash
# A real JupyterHub on localhost for the extension: OIDC login at the local provider (the local
# Rucio's OIDC issuer, dev/oidc_provider.py), LocalProcessSpawner, one system user per sample user,
# single-user servers running the extension (this checkout, editable) with their Rucio token handed over and
# renewed by jupyterlab_rucio.hub.
#
#   bash dev/hub.sh up       start the local Rucio (dev/rucio.sh up), register the hub and the users
#                            at the provider, start JupyterHub; prints the URL and the sample users
#   bash dev/hub.sh down     stop JupyterHub (and with it the proxy and the users' servers)
#   bash dev/hub.sh status   exit code 0 when the hub answers
#
# Settings: HUB_PORT (18090), HUB_PROXY_API_PORT (18091), HUB_INTERNAL_PORT (18092),
# HUB_TOKEN_LIFETIME (access token lifetime in seconds, 600), HUB_USERS ("jdoe asmith"),
# HUB_SINGLEUSER_PYTHON (/usr/bin/python3: the interpreter of the users' servers),
# HUB_STORAGE_GROUP (rucio-storage: the users' group that may write the local RSEs' directories),
# and the variables of dev/rucio.sh (RUCIO_PORT, RUCIO_OIDC_PORT, ...). Must run as root
# (it creates the system users and spawns their servers).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV_DIR="$ROOT/dev"
STATE_DIR="${RUCIO_STATE_DIR:-$DEV_DIR/.state}"
HUB_STATE_DIR="$STATE_DIR/hub"
REGISTRY_DIR="$STATE_DIR/oidc"
export HUB_PORT="${HUB_PORT:-18090}"
export HUB_PROXY_API_PORT="${HUB_PROXY_API_PORT:-18091}"
export HUB_INTERNAL_PORT="${HUB_INTERNAL_PORT:-18092}"
HUB_TOKEN_LIFETIME="${HUB_TOKEN_LIFETIME:-600}"
export HUB_USERS="${HUB_USERS:-jdoe asmith}"
HUB_URL="http://127.0.0.1:$HUB_PORT"
JUPYTERHUB_VERSION=5.5.4
OAUTHENTICATOR_VERSION=17.4.0
CHP_VERSION=5.3.0
PID_FILE="$HUB_STATE_DIR/jupyterhub.pid"
LOG_FILE="$STATE_DIR/logs/jupyterhub.log"
export SU_VENV="$STATE_DIR/hub-venv"
STORAGE_GROUP="${HUB_STORAGE_GROUP:-rucio-storage}"
SINGLEUSER_PYTHON="${HUB_SINGLEUSER_PYTHON:-/usr/bin/python3}"

log() { echo "[hub.sh] $*" >&2; }

hub_ok() { curl -fsS --max-time 2 "$HUB_URL/hub/api" >/dev/null 2>&1; }

is_running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

ensure_packages() {
  if ! "$ROOT/.venv/bin/python" -c "import jupyterhub, oauthenticator
assert jupyterhub.__version__ == '$JUPYTERHUB_VERSION'" 2>/dev/null; then
    log "installing jupyterhub $JUPYTERHUB_VERSION and oauthenticator $OAUTHENTICATOR_VERSION into .venv"
    "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check \
      "jupyterhub==$JUPYTERHUB_VERSION" "oauthenticator==$OAUTHENTICATOR_VERSION"
  fi
  if [[ ! -x "$HUB_STATE_DIR/proxy/node_modules/.bin/configurable-http-proxy" ]]; then
    log "installing configurable-http-proxy $CHP_VERSION"
    mkdir -p "$HUB_STATE_DIR/proxy"
    npm install --silent --no-audit --no-fund --prefix "$HUB_STATE_DIR/proxy" \
      "configurable-http-proxy@$CHP_VERSION" >/dev/null
  fi
}

ensure_singleuser_venv() {
  # The users' servers run as the users, so their Python must be readable by everyone: .venv's
  # interpreter may live where only root may go (a pyenv under /root), so they get a virtualenv
  # of the system's Python with .venv's versions of the main packages and the extension from
  # this checkout (editable).
  local stamp="$SU_VENV/.installed"
  if [[ -f "$stamp" && "$stamp" -nt "$ROOT/pyproject.toml" ]] && "$SU_VENV/bin/python" -c "import jupyterlab_rucio" 2>/dev/null; then
    return
  fi
  log "creating the single-user environment $SU_VENV (from $SINGLEUSER_PYTHON; a few minutes the first time)"
  "$SINGLEUSER_PYTHON" -m venv "$SU_VENV"
  "$ROOT/.venv/bin/pip" freeze --exclude-editable --disable-pip-version-check \
    | grep -iE '^(jupyterlab|jupyter[-_]server|notebook|rucio[-_]clients|tornado|requests)==' > "$SU_VENV/constraints.txt"
  "$SU_VENV/bin/pip" install --quiet --disable-pip-version-check -c "$SU_VENV/constraints.txt" \
    jupyterlab "jupyterhub==$JUPYTERHUB_VERSION" -e "$ROOT"
  mkdir -p "$SU_VENV/share/jupyter/labextensions"
  ln -sfn "$ROOT/jupyterlab_rucio/labextension" "$SU_VENV/share/jupyter/labextensions/jupyterlab-rucio"
  touch "$stamp"
}

hub_settings() {
  # Hub-wide settings of the extension, as a hub image has them: the single-user environment's
  # overrides.json (JupyterLab's settings registry). Users may still change them for themselves.
  local dir="$SU_VENV/share/jupyter/lab/settings"
  mkdir -p "$dir"
  cat > "$dir/overrides.json.tmp" <<'JSON' && mv "$dir/overrides.json.tmp" "$dir/overrides.json"
{
  "jupyterlab-rucio:plugin": {
    "defaultSearchType": "dataset"
  }
}
JSON
}

ensure_storage_access() {
  # The local RSEs are POSIX directories: the users' servers, which run as the users, upload
  # into them as the users. Members of $STORAGE_GROUP may write there, in the directories that
  # exist and, through a default ACL, in every directory that Rucio (as root) or a user creates.
  if ! command -v setfacl >/dev/null; then
    log "installing Debian's acl (setfacl)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends acl >/dev/null; } \
      || { log "apt-get install acl failed"; exit 1; }
  fi
  getent group "$STORAGE_GROUP" >/dev/null || groupadd "$STORAGE_GROUP"
  local user
  for user in $HUB_USERS; do usermod -a -G "$STORAGE_GROUP" "$user"; done
  local dir
  for dir in "$HUB_RSE_DIR" "$REMOTE_RSE_DIR"; do
    mkdir -p "$dir"
    setfacl -R -m "g:$STORAGE_GROUP:rwX" -m "d:g:$STORAGE_GROUP:rwX" "$dir"
  done
}

secret() {  # name [bytes] -> a random secret kept in the hub's state (0600), hex
  local file="$HUB_STATE_DIR/$1"
  [[ -s "$file" ]] || (umask 077 && openssl rand -hex "${2:-24}" > "$file")
  cat "$file"
}

ensure_system_users() {
  local user
  for user in $HUB_USERS; do
    if ! id -u "$user" >/dev/null 2>&1; then
      log "creating the system user $user"
      useradd --create-home --shell /bin/bash "$user"
    fi
    chmod 0700 "$(getent passwd "$user" | cut -d: -f6)"
  done
}

oidc_sub() {  # jdoe keeps the identity that dev/rucio.sh gives it in Rucio
  if [[ "$1" == "jdoe" ]]; then echo "$RUCIO_OIDC_SUB"; else echo "$(echo -n "$1" | sha1sum | cut -c1-8)-$1"; fi
}

register_at_provider() {
  mkdir -p "$REGISTRY_DIR"
  chmod 0700 "$REGISTRY_DIR"
  local user users="{" separator=""
  for user in $HUB_USERS; do
    users+="$separator\"$user\": {\"password\": \"$(secret "password.$user")\", \"sub\": \"$(oidc_sub "$user")\"}"
    separator=", "
  done
  (umask 077 && echo "$users}" > "$REGISTRY_DIR/users.json.tmp" && mv "$REGISTRY_DIR/users.json.tmp" "$REGISTRY_DIR/users.json")
  (umask 077 && cat > "$REGISTRY_DIR/clients.json.tmp" <<JSON && mv "$REGISTRY_DIR/clients.json.tmp" "$REGISTRY_DIR/clients.json")
{"jupyterhub": {"secret": "$(secret client_secret)", "token_lifetime": $HUB_TOKEN_LIFETIME,
  "redirect_uris": ["$HUB_URL/hub/oauth_callback"]}}
JSON
}

rucio_accounts() {  # every sample user has a Rucio account with their OIDC identity
  local user identities=""
  for user in $HUB_USERS; do identities+="$user=$(oidc_sub "$user") "; done
  PYTHONPATH="$DEV_DIR/policy" RUCIO_CONFIG="$STATE_DIR/rucio.cfg" HUB_IDENTITIES="$identities" RUCIO_OIDC_ISSUER="$RUCIO_OIDC_ISSUER" \
    "$STATE_DIR/venv/bin/python" "$DEV_DIR/seed_hub_accounts.py" >> "$STATE_DIR/logs/hub_accounts.log" 2>&1 \
    || { log "adding the hub users' Rucio accounts failed; see $STATE_DIR/logs/hub_accounts.log"; exit 1; }
}

cmd_up() {
  [[ "$(id -u)" == 0 ]] || { log "run as root: the hub creates system users and spawns their servers"; exit 1; }
  bash "$DEV_DIR/rucio.sh" up >&2
  local key value
  while IFS='=' read -r key value; do  # KEY=VALUE lines; values may hold spaces
    [[ -n "$key" && "$key" != \#* ]] && export "$key=$value"
  done < "$STATE_DIR/rucio.env"
  mkdir -p "$HUB_STATE_DIR" "$STATE_DIR/logs"
  chmod 0700 "$HUB_STATE_DIR"
  ensure_packages
  ensure_singleuser_venv
  hub_settings
  ensure_system_users
  ensure_storage_access
  register_at_provider
  rucio_accounts
  if is_running && hub_ok; then
    log "JupyterHub is already up"
  else
    log "starting JupyterHub on $HUB_URL"
    (
      cd "$HUB_STATE_DIR"
      HUB_STATE_DIR="$HUB_STATE_DIR" HUB_OIDC_CLIENT_ID=jupyterhub \
        HUB_OIDC_CLIENT_SECRET="$(secret client_secret)" JUPYTERHUB_CRYPT_KEY="$(secret crypt_key 32)" \
        HUB_PROXY_COMMAND="$HUB_STATE_DIR/proxy/node_modules/.bin/configurable-http-proxy" \
        PATH="$ROOT/.venv/bin:$PATH" \
        setsid nohup "$ROOT/.venv/bin/jupyterhub" -f "$DEV_DIR/jupyterhub_config.py" \
        >> "$LOG_FILE" 2>&1 < /dev/null &
    )
    local waited=0
    until hub_ok; do
      sleep 0.5
      waited=$((waited + 1))
      if ((waited > 120)); then log "JupyterHub did not answer within 60 s; see $LOG_FILE"; exit 1; fi
    done
  fi
  echo "JupyterHub: $HUB_URL  (stop: bash dev/hub.sh down)"
  echo "sample users (sign in on the provider's page):"
  local user
  for user in $HUB_USERS; do echo "  $user / $(secret "password.$user")"; done
}

cmd_down() {
  if is_running; then
    local pid
    pid="$(cat "$PID_FILE")"
    log "stopping JupyterHub (pid $pid) and the users' servers"
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) hub_ok && echo "jupyterhub: up at $HUB_URL" || { echo "jupyterhub: down"; exit 1; } ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
