#!/usr/bin/env bash
# The local Rucio: a real Rucio server on 127.0.0.1 with sample data and a transfer loop.
# Usage: bash dev/rucio.sh up|down|reset|status      (see dev/README.md)
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${RUCIO_STATE_DIR:-$DEV_DIR/.state}"
RUCIO_VERSION=41.5.1
RUCIO_PORT="${RUCIO_PORT:-18080}"
RUCIO_URL="http://127.0.0.1:$RUCIO_PORT"
RUCIO_DB_URL="${RUCIO_DB_URL:-sqlite:///$STATE_DIR/rucio.db?timeout=60}"
GUNICORN_WORKERS="${RUCIO_GUNICORN_WORKERS:-2}"
# Threads per worker, so that a long streamed listing does not hold up every other request.
GUNICORN_THREADS="${RUCIO_GUNICORN_THREADS:-4}"
HUB_RSE=HUB_USERDISK
REMOTE_RSE=REMOTE_USERDISK
HUB_RSE_DIR="${HUB_RSE_DIR:-$STATE_DIR/rse/hub}"
REMOTE_RSE_DIR="${REMOTE_RSE_DIR:-$STATE_DIR/rse/remote}"
RUCIO_ROOT_USERNAME=root
RUCIO_USER_ACCOUNT=jdoe
RUCIO_USER_USERNAME=jdoe
RUCIO_USER_SCOPE=user.jdoe

VENV="$STATE_DIR/venv"
# Every server-side process loads the instance's policy package from dev/policy.
export PYTHONPATH="$DEV_DIR/policy${PYTHONPATH:+:$PYTHONPATH}"
LOG_DIR="$STATE_DIR/logs"
SERVER_CONFIG="$STATE_DIR/rucio.cfg"
SECRETS_FILE="$STATE_DIR/secrets.env"
ENV_FILE="$STATE_DIR/rucio.env"
CLIENT_DIR="$STATE_DIR/client"
GUNICORN_PID="$STATE_DIR/gunicorn.pid"
MEMCACHED_PID="$STATE_DIR/memcached.pid"
MEMCACHED_PORT="${RUCIO_MEMCACHED_PORT:-$((RUCIO_PORT + 1))}"
LOOP_PID="$STATE_DIR/transfer_loop.pid"
DB_MARKER="$STATE_DIR/database.built"
SEED_MARKER="$STATE_DIR/data.seeded"

log() { echo "[rucio.sh] $*" >&2; }

is_running() {  # pid file -> true if that process is alive
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

server_python() {  # run a dev/ script inside the server virtualenv against the server config
  RUCIO_CONFIG="$SERVER_CONFIG" HUB_RSE="$HUB_RSE" HUB_RSE_DIR="$HUB_RSE_DIR" REMOTE_RSE="$REMOTE_RSE" \
    REMOTE_RSE_DIR="$REMOTE_RSE_DIR" RUCIO_USER_ACCOUNT="$RUCIO_USER_ACCOUNT" \
    RUCIO_USER_USERNAME="$RUCIO_USER_USERNAME" RUCIO_USER_PASSWORD="$RUCIO_USER_PASSWORD" \
    RUCIO_USER_SCOPE="$RUCIO_USER_SCOPE" "$VENV/bin/python" "$@"
}

ensure_venv() {
  local packages=("rucio==$RUCIO_VERSION" gunicorn) modules="rucio.core, gunicorn"
  if [[ "$RUCIO_DB_URL" == postgresql* ]]; then
    packages+=("psycopg[binary]")
    modules+=", psycopg"
  fi
  if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "import $modules" 2>/dev/null; then
    return
  fi
  log "installing ${packages[*]} into $VENV (takes about a minute)"
  [[ -x "$VENV/bin/python" ]] || "${RUCIO_PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
}

ensure_secrets() {
  # Random passwords, generated once per state directory and kept private.
  if [[ ! -f "$SECRETS_FILE" ]]; then
    (umask 077 && {
      echo "RUCIO_ROOT_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
      echo "RUCIO_USER_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
    } > "$SECRETS_FILE")
  fi
  # shellcheck disable=SC1090
  source "$SECRETS_FILE"
}

render() {  # template output key=value...  (values must not contain '|')
  local template="$1" output="$2" expression=()
  shift 2
  for pair in "$@"; do
    expression+=(-e "s|@${pair%%=*}@|${pair#*=}|g")
  done
  (umask 077 && sed "${expression[@]}" "$template" > "$output")
}

write_configs() {
  mkdir -p "$CLIENT_DIR"
  render "$DEV_DIR/server.template.cfg" "$SERVER_CONFIG" "DB_URL=$RUCIO_DB_URL" "LOG_DIR=$LOG_DIR" \
    "MEMCACHED_PORT=$MEMCACHED_PORT" \
    "ROOT_USERNAME=$RUCIO_ROOT_USERNAME" "ROOT_PASSWORD=$RUCIO_ROOT_PASSWORD"
  render "$DEV_DIR/client.template.cfg" "$CLIENT_DIR/root.cfg" "RUCIO_URL=$RUCIO_URL" \
    "USERNAME=$RUCIO_ROOT_USERNAME" "PASSWORD=$RUCIO_ROOT_PASSWORD" "ACCOUNT=root"
  render "$DEV_DIR/client.template.cfg" "$CLIENT_DIR/$RUCIO_USER_ACCOUNT.cfg" "RUCIO_URL=$RUCIO_URL" \
    "USERNAME=$RUCIO_USER_USERNAME" "PASSWORD=$RUCIO_USER_PASSWORD" "ACCOUNT=$RUCIO_USER_ACCOUNT"
}

write_env_file() {
  (umask 077 && cat > "$ENV_FILE" <<ENV
RUCIO_URL=$RUCIO_URL
RUCIO_ROOT_USERNAME=$RUCIO_ROOT_USERNAME
RUCIO_ROOT_PASSWORD=$RUCIO_ROOT_PASSWORD
RUCIO_USER_ACCOUNT=$RUCIO_USER_ACCOUNT
RUCIO_USER_USERNAME=$RUCIO_USER_USERNAME
RUCIO_USER_PASSWORD=$RUCIO_USER_PASSWORD
RUCIO_USER_SCOPE=$RUCIO_USER_SCOPE
HUB_RSE=$HUB_RSE
HUB_RSE_DIR=$HUB_RSE_DIR
REMOTE_RSE=$REMOTE_RSE
REMOTE_RSE_DIR=$REMOTE_RSE_DIR
RUCIO_USER_CONFIG=$CLIENT_DIR/$RUCIO_USER_ACCOUNT.cfg
RUCIO_ROOT_CONFIG=$CLIENT_DIR/root.cfg
ENV
  )
}

# Rucio's server keeps RSE settings and other lookups in memcached, as in production; without it
# every replica of a listing costs database queries (a 10,000-file listing takes minutes).
ensure_memcached() {
  command -v memcached >/dev/null && return
  log "installing memcached (Debian package)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends memcached >/dev/null; } ||
    log "memcached could not be installed: Rucio runs without its cache (slow listings)"
}

start_memcached() {
  if is_running "$MEMCACHED_PID" || ! command -v memcached >/dev/null; then
    return
  fi
  log "starting memcached on 127.0.0.1:$MEMCACHED_PORT"
  memcached -d -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u "$(id -un)" -P "$MEMCACHED_PID"
  for _ in $(seq 1 20); do
    [[ -s "$MEMCACHED_PID" ]] && return
    sleep 0.1
  done
}

ping_ok() { curl -fsS --max-time 2 "$RUCIO_URL/ping" >/dev/null 2>&1; }

start_server() {
  if is_running "$GUNICORN_PID"; then
    return
  fi
  if ping_ok; then
    log "port $RUCIO_PORT already answers but not from this instance; set RUCIO_PORT"
    exit 1
  fi
  log "starting the Rucio server on $RUCIO_URL"
  RUCIO_CONFIG="$SERVER_CONFIG" "$VENV/bin/python" -m gunicorn --daemon --pid "$GUNICORN_PID" \
    --control-socket "$STATE_DIR/gunicorn.ctl" \
    --bind "127.0.0.1:$RUCIO_PORT" --workers "$GUNICORN_WORKERS" --threads "$GUNICORN_THREADS" --timeout 120 --graceful-timeout 10 \
    --access-logfile "$LOG_DIR/access.log" --error-logfile "$LOG_DIR/server.log" --capture-output \
    --chdir "$STATE_DIR" --pythonpath "$DEV_DIR" rucio_wsgi:application
  for _ in $(seq 1 120); do
    ping_ok && return
    sleep 0.5
  done
  log "the server did not answer /ping within 60 s; see $LOG_DIR/server.log"
  exit 1
}

start_transfer_loop() {
  if is_running "$LOOP_PID"; then
    return
  fi
  log "starting the transfer loop"
  RUCIO_CONFIG="$SERVER_CONFIG" setsid nohup "$VENV/bin/python" "$DEV_DIR/transfer_loop.py" \
    >> "$LOG_DIR/transfer_loop.log" 2>&1 < /dev/null &
  echo $! > "$LOOP_PID"
}

stop_pid() {  # pid file, name: the process leads its own process group (gunicorn --daemon, setsid)
  if is_running "$1"; then
    local pid
    pid="$(cat "$1")"
    log "stopping $2 (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    # Whatever is left of the group (e.g. a worker stuck in a request) must not keep the port.
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

cmd_up() {
  mkdir -p "$STATE_DIR" "$LOG_DIR"
  ensure_venv
  ensure_memcached
  ensure_secrets
  write_configs
  start_memcached
  if [[ ! -f "$DB_MARKER" ]]; then
    server_python "$DEV_DIR/bootstrap_db.py"
    touch "$DB_MARKER"
  fi
  start_server
  if [[ ! -f "$SEED_MARKER" ]]; then
    server_python "$DEV_DIR/seed_topology.py"
    server_python "$DEV_DIR/seed_data.py"
    touch "$SEED_MARKER"
  fi
  start_transfer_loop
  write_env_file
  echo "Rucio $RUCIO_VERSION is up at $RUCIO_URL"
  echo "  account $RUCIO_USER_ACCOUNT, username $RUCIO_USER_USERNAME, password $RUCIO_USER_PASSWORD"
  echo "  client config: $CLIENT_DIR/$RUCIO_USER_ACCOUNT.cfg   all settings: $ENV_FILE"
}

cmd_down() {
  stop_pid "$LOOP_PID" "the transfer loop"
  stop_pid "$GUNICORN_PID" "the Rucio server"
  # The cache holds database ids: it must not outlive the processes (nor a reset's database).
  stop_pid "$MEMCACHED_PID" "memcached"
}

cmd_reset() {
  cmd_down
  if [[ "$RUCIO_DB_URL" != sqlite* && -f "$DB_MARKER" ]]; then
    log "dropping the Rucio tables"
    RUCIO_CONFIG="$SERVER_CONFIG" "$VENV/bin/python" -c \
      "from rucio.db.sqla.util import drop_orm_tables; drop_orm_tables()"
  fi
  log "wiping the database and the RSE storage"
  rm -rf "$STATE_DIR"/rucio.db* "$HUB_RSE_DIR" "$REMOTE_RSE_DIR" "$DB_MARKER" "$SEED_MARKER"
  cmd_up
}

cmd_status() {
  local state=0
  if is_running "$GUNICORN_PID" && ping_ok; then
    echo "server: up at $RUCIO_URL"
  else
    echo "server: down"
    state=3
  fi
  if is_running "$MEMCACHED_PID"; then
    echo "cache: memcached on 127.0.0.1:$MEMCACHED_PORT"
  else
    echo "cache: none (Rucio without memcached)"
  fi
  if is_running "$LOOP_PID"; then
    echo "transfer loop: running"
  else
    echo "transfer loop: stopped"
    state=3
  fi
  return $state
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|reset|status" >&2; exit 2 ;;
esac
