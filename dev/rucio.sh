#!/usr/bin/env bash
# The local Rucio: a real Rucio server on 127.0.0.1 on its own PostgreSQL, with sample data and a
# transfer loop.
# Usage: bash dev/rucio.sh up|down|reset|status|token      (see dev/README.md)
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${RUCIO_STATE_DIR:-$DEV_DIR/.state}"
RUCIO_VERSION=41.5.1
GUNICORN_VERSION=27.0.1
RUCIO_PORT="${RUCIO_PORT:-18080}"
RUCIO_URL="http://127.0.0.1:$RUCIO_PORT"
PG_PORT="${RUCIO_PG_PORT:-15432}"
# The same server over HTTPS with client certificates (X.509 logins), and a local OIDC issuer.
TLS_PORT="${RUCIO_TLS_PORT:-18443}"
RUCIO_TLS_URL="https://localhost:$TLS_PORT"
OIDC_PORT="${RUCIO_OIDC_PORT:-18444}"
OIDC_ISSUER="https://localhost:$OIDC_PORT"
# The `sub` of jdoe's tokens from the local issuer.
OIDC_SUB="a3f1c2e4-jdoe"
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
TLS_PID="$STATE_DIR/gunicorn-tls.pid"
OIDC_PID="$STATE_DIR/oidc_issuer.pid"
PKI_DIR="$STATE_DIR/pki"
IDP_SECRETS="$STATE_DIR/idpsecrets.json"
MEMCACHED_PID="$STATE_DIR/memcached.pid"
MEMCACHED_PORT="${RUCIO_MEMCACHED_PORT:-$((RUCIO_PORT + 1))}"
LOOP_PID="$STATE_DIR/transfer_loop.pid"
DB_MARKER="$STATE_DIR/database.built"
SEED_MARKER="$STATE_DIR/data.seeded"
LARGE_SEED_MARKER="$STATE_DIR/data.large.seeded"
# The X.509 DN and OIDC issuer whose identities jdoe has (the issuer's URL holds its port).
IDENTITY_MARKER="$STATE_DIR/identities.seeded"
# The instance's own PostgreSQL cluster; run by the `postgres` system user when we are root.
PG_DIR="$STATE_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$LOG_DIR/postgresql.log"
DB_NAME=rucio
DB_USER=rucio
PG_BIN=""
PG_STARTED=""

log() { echo "[rucio.sh] $*" >&2; }

is_running() {  # pid file -> true if that process is alive
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

server_python() {  # run a dev/ script inside the server virtualenv against the server config
  RUCIO_CONFIG="$SERVER_CONFIG" HUB_RSE="$HUB_RSE" HUB_RSE_DIR="$HUB_RSE_DIR" REMOTE_RSE="$REMOTE_RSE" \
    REMOTE_RSE_DIR="$REMOTE_RSE_DIR" RUCIO_USER_ACCOUNT="$RUCIO_USER_ACCOUNT" \
    RUCIO_USER_USERNAME="$RUCIO_USER_USERNAME" RUCIO_USER_PASSWORD="$RUCIO_USER_PASSWORD" \
    RUCIO_USER_SCOPE="$RUCIO_USER_SCOPE" RUCIO_USER_DN="$(cat "$PKI_DIR/user.dn")" \
    RUCIO_OIDC_ISSUER="$OIDC_ISSUER" RUCIO_OIDC_SUB="$OIDC_SUB" "$VENV/bin/python" "$@"
}

ensure_venv() {
  # Rucio's `postgresql` extra brings psycopg in the versions Rucio supports.
  local packages=("rucio[postgresql]==$RUCIO_VERSION" "gunicorn==$GUNICORN_VERSION") modules="rucio.core, gunicorn, psycopg"
  if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "import $modules" 2>/dev/null; then
    return
  fi
  log "installing ${packages[*]} into $VENV (takes about a minute)"
  [[ -x "$VENV/bin/python" ]] || "${RUCIO_PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
}

ensure_secrets() {
  # Random passwords (URL-safe characters), generated once per state directory and kept private.
  local key
  (umask 077 && touch "$SECRETS_FILE")
  for key in RUCIO_ROOT_PASSWORD RUCIO_USER_PASSWORD RUCIO_DB_PASSWORD; do
    if ! grep -q "^$key=" "$SECRETS_FILE"; then
      echo "$key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')" >> "$SECRETS_FILE"
    fi
  done
  # shellcheck disable=SC1090
  source "$SECRETS_FILE"
}

# --- PostgreSQL ---------------------------------------------------------------------------------
as_pg_owner() {  # command...: run as the owner of the cluster (postgres when we are root)
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

pg_sql() {  # psql args...: SQL as the cluster's superuser, over the socket in the state dir
  as_pg_owner "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -d postgres "$@"
}

find_pg_bin() {  # sets PG_BIN to the directory of initdb, pg_ctl and psql; false if none
  local dir
  PG_BIN="${RUCIO_PG_BINDIR:-}"
  if [[ -z "$PG_BIN" ]]; then
    # Debian keeps the server programs out of PATH, one directory per major version.
    while read -r dir; do
      if [[ -x "$dir/initdb" ]]; then PG_BIN="$dir"; fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
  fi
  if [[ -z "$PG_BIN" ]] && command -v initdb >/dev/null; then
    PG_BIN="$(dirname "$(command -v initdb)")"
  fi
  [[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/psql" ]]
}

clusters_of_debian() {  # the clusters Debian's tools know, as "version/name" lines
  local conf
  for conf in /etc/postgresql/*/*/postgresql.conf; do
    if [[ -f "$conf" ]]; then
      echo "$(basename "$(dirname "$(dirname "$conf")")")/$(basename "$(dirname "$conf")")"
    fi
  done
}

ensure_postgres_installed() {
  find_pg_bin && return
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set RUCIO_PG_BINDIR"
    exit 1
  fi
  local before cluster
  before="$(clusters_of_debian)"
  log "installing Debian's postgresql (apt-get; output in $LOG_DIR/apt.log)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends postgresql; } > "$LOG_DIR/apt.log" 2>&1; then
    tail -20 "$LOG_DIR/apt.log" >&2
    log "apt-get install postgresql failed"
    exit 1
  fi
  # The package creates a default cluster (15/main on port 5432) and starts it where services
  # may start. This instance runs its own cluster, so the one the install just made goes again.
  for cluster in $(clusters_of_debian); do
    if ! grep -qxF "$cluster" <<<"$before"; then
      log "removing the default cluster $cluster that the package created"
      pg_dropcluster --stop "${cluster%%/*}" "${cluster#*/}"
    fi
  done
  find_pg_bin || { log "no initdb/pg_ctl/psql found after installing postgresql"; exit 1; }
}

pg_running() {  # the postmaster of this state dir is alive (its pid file names it)
  [[ -f "$PG_DATA/postmaster.pid" ]] && kill -0 "$(head -n 1 "$PG_DATA/postmaster.pid")" 2>/dev/null
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

prepare_pg_dir() {
  mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
  touch "$PG_LOG"
  if [[ $EUID -eq 0 ]]; then
    # The server runs as postgres, which must reach the cluster and its log: the state dir and
    # logs/ need search permission for others (secrets in them are 0600 files all the same).
    chmod o+x "$STATE_DIR" "$LOG_DIR"
    chown postgres: "$PG_DIR" "$PG_SOCKET_DIR" "$PG_LOG"
    chmod 0700 "$PG_DIR" "$PG_SOCKET_DIR"
    chmod 0600 "$PG_LOG"
    if ! as_pg_owner test -w "$PG_DIR"; then
      local dir="$PG_DIR" blocked=""
      while [[ "$dir" != / ]] && ! as_pg_owner test -x "$dir"; do
        blocked="$dir"
        dir="$(dirname "$dir")"
      done
      log "the postgres user cannot reach $PG_DIR: ${blocked:-a parent directory} is not searchable by others."
      log "Allow it (chmod o+x ${blocked:-DIR}) or set RUCIO_STATE_DIR to a directory postgres can reach."
      exit 1
    fi
  fi
  # A Unix socket path has at most 107 bytes.
  if (( ${#PG_SOCKET_DIR} + 20 > 107 )); then
    log "the socket path under $PG_SOCKET_DIR is too long for PostgreSQL; set a shorter RUCIO_STATE_DIR"
    exit 1
  fi
}

write_pg_config() {  # settings of the cluster, included from its postgresql.conf; read at start
  local quote="'"
  local socket_dir="${PG_SOCKET_DIR//$quote/$quote$quote}"
  as_pg_owner tee "$PG_DATA/rucio_dev.conf" >/dev/null <<CONF
# Written by dev/rucio.sh at every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
unix_socket_permissions = 0700
# Rucio stores naive UTC times; the server's own now() must agree with them.
timezone = 'UTC'
log_timezone = 'UTC'
# A throw-away development database: a commit need not wait for the disk.
synchronous_commit = off
CONF
}

start_postgres() {
  prepare_pg_dir
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "creating the PostgreSQL cluster in $PG_DATA"
    # C collation: byte order as Rucio's other backends sort, and LIKE 'prefix%' can use indexes.
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" --encoding=UTF8 --no-locale \
      --auth-local=peer --auth-host=scram-sha-256 > "$LOG_DIR/initdb.log" 2>&1 \
      || { tail -20 "$LOG_DIR/initdb.log" >&2; exit 1; }
    echo "include_if_exists = 'rucio_dev.conf'" | as_pg_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
  if pg_running; then
    if ! as_pg_owner "$PG_BIN/pg_isready" -q -h "$PG_SOCKET_DIR" -p "$PG_PORT"; then
      log "the PostgreSQL of $STATE_DIR runs, but not on port $PG_PORT; run \`$0 down\` first"
      exit 1
    fi
    return
  fi
  if port_in_use "$PG_PORT"; then
    log "port $PG_PORT is already in use; set RUCIO_PG_PORT"
    exit 1
  fi
  write_pg_config
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s start \
    || { tail -20 "$PG_LOG" >&2; log "PostgreSQL did not start; see $PG_LOG"; exit 1; }
  PG_STARTED=1
}

stop_postgres() {
  if pg_running; then
    log "stopping PostgreSQL (pid $(head -n 1 "$PG_DATA/postmaster.pid"))"
    find_pg_bin || { log "PostgreSQL runs but its programs are gone"; exit 1; }
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -s stop
  fi
}

ensure_database() {  # the rucio role (password from secrets.env) and its database
  pg_sql <<SQL
SELECT 'CREATE ROLE $DB_USER' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER')
\gexec
ALTER ROLE $DB_USER WITH LOGIN PASSWORD '$RUCIO_DB_PASSWORD';
SQL
  if [[ -z "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]]; then
    log "creating the database $DB_NAME"
    # A new database starts empty: whatever the RSE directories and markers say is history.
    wipe_instance_data
    # Owned by rucio, which may then create its tables in the database's public schema.
    pg_sql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
}

drop_database() {
  log "dropping the database $DB_NAME"
  pg_sql -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
}

wipe_instance_data() {  # the RSE storage and the markers of what the database holds
  rm -rf "$HUB_RSE_DIR" "$REMOTE_RSE_DIR" "$DB_MARKER" "$SEED_MARKER" "$LARGE_SEED_MARKER" \
    "$IDENTITY_MARKER"
  # Left from the SQLite database of earlier versions of this script.
  rm -f "$STATE_DIR"/rucio.db "$STATE_DIR"/rucio.db-*
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
  render "$DEV_DIR/server.template.cfg" "$SERVER_CONFIG" \
    "DB_URL=postgresql+psycopg://$DB_USER:$RUCIO_DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME" "LOG_DIR=$LOG_DIR" \
    "MEMCACHED_PORT=$MEMCACHED_PORT" "IDP_SECRETS=$IDP_SECRETS" \
    "ROOT_USERNAME=$RUCIO_ROOT_USERNAME" "ROOT_PASSWORD=$RUCIO_ROOT_PASSWORD"
  # Rucio's OIDC clients, one per trusted issuer: the local one. Rucio reads the issuer's keys
  # from its discovery document; the client secrets are never used (no token exchange here).
  (umask 077 && cat > "$IDP_SECRETS" <<JSON
{"local": {"issuer": "$OIDC_ISSUER", "client_id": "rucio", "client_secret": "unused",
  "redirect_uris": ["$RUCIO_TLS_URL/auth/oidc_token"],
  "SCIM": {"client_id": "rucio-admin", "client_secret": "unused", "grant_type": "client_credentials"}}}
JSON
  )
  render "$DEV_DIR/client.template.cfg" "$CLIENT_DIR/root.cfg" "RUCIO_URL=$RUCIO_URL" \
    "USERNAME=$RUCIO_ROOT_USERNAME" "PASSWORD=$RUCIO_ROOT_PASSWORD" "ACCOUNT=root"
  render "$DEV_DIR/client.template.cfg" "$CLIENT_DIR/$RUCIO_USER_ACCOUNT.cfg" "RUCIO_URL=$RUCIO_URL" \
    "USERNAME=$RUCIO_USER_USERNAME" "PASSWORD=$RUCIO_USER_PASSWORD" "ACCOUNT=$RUCIO_USER_ACCOUNT"
}

write_env_file() {
  (umask 077 && cat > "$ENV_FILE" <<ENV
RUCIO_URL=$RUCIO_URL
RUCIO_TLS_URL=$RUCIO_TLS_URL
RUCIO_CA_CERT=$PKI_DIR/ca.pem
RUCIO_USER_CERT=$PKI_DIR/usercert.pem
RUCIO_USER_KEY=$PKI_DIR/userkey.pem
RUCIO_USER_PROXY=$PKI_DIR/x509up
RUCIO_EXPIRED_PROXY=$PKI_DIR/x509up_expired
RUCIO_USER_DN=$(cat "$PKI_DIR/user.dn")
RUCIO_OIDC_ISSUER=$OIDC_ISSUER
RUCIO_OIDC_SUB=$OIDC_SUB
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

wait_until() {  # check, seconds, what, log: poll the check twice a second
  local check="$1" seconds="$2"
  for _ in $(seq 1 $((seconds * 2))); do
    "$check" && return
    sleep 0.5
  done
  log "$3 did not answer within $seconds s; see $4"
  exit 1
}

run_gunicorn() {  # name (pid, control socket and log files), gunicorn arguments...
  # REQUESTS_CA_BUNDLE: Rucio fetches the OIDC issuer's keys over HTTPS with the test CA.
  local name="$1"
  shift
  RUCIO_CONFIG="$SERVER_CONFIG" REQUESTS_CA_BUNDLE="$PKI_DIR/ca.pem" "$VENV/bin/python" -m gunicorn \
    --daemon --pid "$STATE_DIR/$name.pid" --control-socket "$STATE_DIR/$name.ctl" \
    --threads "$GUNICORN_THREADS" --timeout 120 --graceful-timeout 10 \
    --access-logfile "$LOG_DIR/${name/gunicorn/access}.log" \
    --error-logfile "$LOG_DIR/${name/gunicorn/server}.log" --capture-output \
    --chdir "$STATE_DIR" --pythonpath "$DEV_DIR" "$@"
}

start_server() {
  if is_running "$GUNICORN_PID"; then
    return
  fi
  if ping_ok; then
    log "port $RUCIO_PORT already answers but not from this instance; set RUCIO_PORT"
    exit 1
  fi
  log "starting the Rucio server on $RUCIO_URL"
  run_gunicorn gunicorn --bind "127.0.0.1:$RUCIO_PORT" --workers "$GUNICORN_WORKERS" rucio_wsgi:application
  wait_until ping_ok 60 "the server" "$LOG_DIR/server.log"
}

needs_start() {  # pid file, port, its variable: false when running; stops when the port is taken
  is_running "$1" && return 1
  if port_in_use "$2"; then
    log "port $2 is already in use; set $3"
    exit 1
  fi
}

tls_ping_ok() { curl -fsS --max-time 2 --cacert "$PKI_DIR/ca.pem" "$RUCIO_TLS_URL/ping" >/dev/null 2>&1; }

start_tls_server() {
  # A second gunicorn on the same database, serving HTTPS; the client certificate's DN reaches
  # Rucio as mod_ssl would pass it (dev/rucio_tls_wsgi.py).
  needs_start "$TLS_PID" "$TLS_PORT" RUCIO_TLS_PORT || return 0
  log "starting the Rucio server on $RUCIO_TLS_URL (client certificates optional)"
  run_gunicorn gunicorn-tls -c "$DEV_DIR/rucio_tls_gunicorn.py" --certfile "$PKI_DIR/host.pem" \
    --keyfile "$PKI_DIR/host.key" --ca-certs "$PKI_DIR/ca.pem" --bind "127.0.0.1:$TLS_PORT" \
    --workers "$GUNICORN_WORKERS" rucio_tls_wsgi:application
  wait_until tls_ping_ok 60 "the HTTPS server" "$LOG_DIR/server-tls.log"
}

oidc_ok() { curl -fsS --max-time 2 --cacert "$PKI_DIR/ca.pem" "$OIDC_ISSUER/jwks" >/dev/null 2>&1; }

start_oidc_issuer() {
  needs_start "$OIDC_PID" "$OIDC_PORT" RUCIO_OIDC_PORT || return 0
  log "starting the OIDC issuer on $OIDC_ISSUER"
  setsid nohup "$VENV/bin/python" "$DEV_DIR/oidc_issuer.py" serve --key "$PKI_DIR/oidc-signing.key" \
    --cert "$PKI_DIR/host.pem" --certkey "$PKI_DIR/host.key" --issuer "$OIDC_ISSUER" \
    --port "$OIDC_PORT" --registry "$STATE_DIR/oidc" >> "$LOG_DIR/oidc_issuer.log" 2>&1 < /dev/null &
  echo $! > "$OIDC_PID"
  wait_until oidc_ok 10 "the OIDC issuer" "$LOG_DIR/oidc_issuer.log"
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
  ensure_postgres_installed
  start_postgres
  ensure_venv
  ensure_memcached
  ensure_secrets
  bash "$DEV_DIR/pki.sh" "$PKI_DIR"
  if [[ -n "$PG_STARTED" ]] && { is_running "$GUNICORN_PID" || is_running "$LOOP_PID"; }; then
    # Their pooled connections went with the database server that stopped.
    log "PostgreSQL was down: restarting the Rucio server and the transfer loop"
    stop_rucio
  fi
  ensure_database
  write_configs
  start_memcached
  if [[ ! -f "$DB_MARKER" ]]; then
    server_python "$DEV_DIR/bootstrap_db.py"
    touch "$DB_MARKER"
  fi
  start_oidc_issuer
  start_server
  start_tls_server
  if [[ ! -f "$SEED_MARKER" ]]; then
    server_python "$DEV_DIR/seed_topology.py"
    server_python "$DEV_DIR/seed_data.py"
    touch "$SEED_MARKER"
  fi
  local identities
  identities="$(cat "$PKI_DIR/user.dn") $OIDC_ISSUER"
  if [[ "$(cat "$IDENTITY_MARKER" 2>/dev/null)" != "$identities" ]]; then
    server_python "$DEV_DIR/seed_identities.py" >/dev/null
    echo "$identities" > "$IDENTITY_MARKER"
  fi
  start_transfer_loop
  write_env_file
  echo "Rucio $RUCIO_VERSION is up at $RUCIO_URL"
  echo "  account $RUCIO_USER_ACCOUNT, username $RUCIO_USER_USERNAME, password $RUCIO_USER_PASSWORD"
  echo "  over HTTPS at $RUCIO_TLS_URL (CA $PKI_DIR/ca.pem): certificate $PKI_DIR/usercert.pem,"
  echo "  key $PKI_DIR/userkey.pem, proxy $PKI_DIR/x509up; an OIDC token: bash dev/rucio.sh token"
  echo "  client config: $CLIENT_DIR/$RUCIO_USER_ACCOUNT.cfg   all settings: $ENV_FILE"
}

stop_rucio() {
  stop_pid "$LOOP_PID" "the transfer loop"
  stop_pid "$GUNICORN_PID" "the Rucio server"
  stop_pid "$TLS_PID" "the Rucio HTTPS server"
  stop_pid "$OIDC_PID" "the OIDC issuer"
  # The cache holds database ids: it must not outlive the processes (nor a reset's database).
  stop_pid "$MEMCACHED_PID" "memcached"
}

cmd_down() {
  stop_rucio
  stop_postgres
}

cmd_reset() {
  # A fresh database in the same cluster, empty RSE directories, then a normal `up`.
  stop_rucio
  mkdir -p "$STATE_DIR" "$LOG_DIR"
  ensure_postgres_installed
  start_postgres
  drop_database
  log "wiping the RSE storage"
  wipe_instance_data
  cmd_up
}

cmd_seed_large() {
  # The large sample (dev/seed_large.py): once per database, kept by up and down, gone on reset.
  cmd_up
  if [[ -f "$LARGE_SEED_MARKER" ]]; then
    log "the large sample is already seeded"
    return 0
  fi
  log "seeding the large sample (scope big, 120,000 files)"
  server_python "$DEV_DIR/seed_large.py"
  touch "$LARGE_SEED_MARKER"
}

cmd_status() {
  local state=0
  if pg_running && find_pg_bin && as_pg_owner "$PG_BIN/pg_isready" -q -h "$PG_SOCKET_DIR" -p "$PG_PORT"; then
    echo "database: PostgreSQL $(cat "$PG_DATA/PG_VERSION") up on 127.0.0.1:$PG_PORT, database $DB_NAME"
  else
    echo "database: down"
    state=3
  fi
  if is_running "$GUNICORN_PID" && ping_ok; then
    echo "server: up at $RUCIO_URL"
  else
    echo "server: down"
    state=3
  fi
  if is_running "$TLS_PID" && tls_ping_ok; then
    echo "https server: up at $RUCIO_TLS_URL"
  else
    echo "https server: down"
    state=3
  fi
  if is_running "$OIDC_PID" && oidc_ok; then
    echo "oidc issuer: up at $OIDC_ISSUER"
  else
    echo "oidc issuer: down"
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

cmd_token() {  # [--expired] [--lifetime SECONDS]: an access token for jdoe from the local issuer
  if [[ ! -s "$PKI_DIR/oidc-signing.key" ]]; then
    log "no signing key yet: run \`$0 up\` first"
    exit 1
  fi
  # The issuer of the instance as it was started (its port may differ from this shell's).
  local issuer="$OIDC_ISSUER"
  if [[ -f "$ENV_FILE" ]]; then
    issuer="$(sed -n 's/^RUCIO_OIDC_ISSUER=//p' "$ENV_FILE")"
  fi
  "$VENV/bin/python" "$DEV_DIR/oidc_issuer.py" mint --key "$PKI_DIR/oidc-signing.key" \
    --issuer "$issuer" --sub "$OIDC_SUB" "$@"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  status) cmd_status ;;
  seed-large) cmd_seed_large ;;
  token) shift; cmd_token "$@" ;;
  *) echo "usage: $0 up|down|reset|status|seed-large|token [--expired]" >&2; exit 2 ;;
esac
