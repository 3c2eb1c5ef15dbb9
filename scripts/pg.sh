#!/usr/bin/env bash
# Project-local PostgreSQL cluster for `make run` and `make test` (used when DATABASE_URL is unset).
#
#   scripts/pg.sh start          initialise (first time) and start; writes .data/pg.env
#   scripts/pg.sh stop           stop the cluster
#   scripts/pg.sh status         say whether it runs
#   scripts/pg.sh url [DB]       print the connection URL for database DB (default: ocm)
#   scripts/pg.sh recreate DB    drop and create database DB (end-to-end runs start clean)
#   scripts/pg.sh psql DB ARGS   run psql on database DB (password passed in the environment)
#
# The cluster listens on 127.0.0.1 only (no Unix socket), on a port derived from the checkout's path (so two
# checkouts do not clash, and a system Postgres on 5432 is never touched), with a generated
# password. PostgreSQL refuses to run as root, so under root it runs as the system user `ocm-pg`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$root/.data"
# Absolute paths throughout; the cluster user may not be allowed into the current directory.
cd /
mkdir -p "$state"
say() { printf '[pg] %s\n' "$*" >&2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  say "PostgreSQL server binaries not found (run 'make tools' or 'apt-get install postgresql')"
  exit 1
fi

runas=()
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  owner=ocm-pg
  if ! id -u "$owner" >/dev/null 2>&1; then
    say "creating system user $owner to own the cluster (PostgreSQL will not run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  runas=(runuser -u "$owner" --)
fi

# Where the cluster lives: .data/postgres, unless the owner cannot reach it (a checkout inside a
# private directory), in which case a per-checkout folder under /var/tmp.
cluster="$state/postgres"
if [ ${#runas[@]} -gt 0 ] && ! "${runas[@]}" test -x "$state" 2>/dev/null; then
  cluster="/var/tmp/ocm-postgres-$(printf '%s' "$root" | sha1sum | cut -c1-12)"
  # A predictable path in a shared directory: never follow a link someone else put there.
  if [ -L "$cluster" ] || { [ -e "$cluster" ] && [ "$(stat -c %U "$cluster")" != "$owner" ]; }; then
    say "$cluster exists and is not a directory owned by $owner; remove it and retry"
    exit 1
  fi
fi
data="$cluster/data"
log="$cluster/postgres.log"
pwfile="$state/pg-password"

port_file="$state/pg-port"
if [ -f "$port_file" ]; then
  port=$(cat "$port_file")
else
  port=$((54000 + $(printf '%s' "$root" | cksum | cut -d' ' -f1) % 900))
fi

running() { "${runas[@]}" "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
password() { cat "$pwfile"; }
url() { printf 'postgres://ocm:%s@127.0.0.1:%s/%s' "$(password)" "$port" "${1:-ocm}"; }
psql_admin() { PGPASSWORD=$(password) psql -v ON_ERROR_STOP=1 -qAt -h 127.0.0.1 -p "$port" -U ocm -d postgres "$@"; }

init() {
  [ -f "$data/PG_VERSION" ] && return 0
  say "initialising a new cluster in $data"
  if [ ${#runas[@]} -gt 0 ]; then install -d -m 700 -o "$owner" "$cluster"; else install -d -m 700 "$cluster"; fi
  [ -f "$pwfile" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '+/=' > "$pwfile")
  local tmp_pw="$cluster/.pw"
  install -m 600 ${runas:+-o "$owner"} "$pwfile" "$tmp_pw"
  "${runas[@]}" "$pgbin/initdb" -D "$data" -U ocm --pwfile="$tmp_pw" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; rm -f "$tmp_pw"; exit 1; }
  rm -f "$tmp_pw"
}

start() {
  init
  if running; then
    say "already running on 127.0.0.1:$port"
  else
    while port_busy "$port"; do
      say "port $port is taken, trying $((port + 1))"
      port=$((port + 1))
    done
    echo "$port" > "$port_file"
    [ ${#runas[@]} -gt 0 ] && "${runas[@]}" touch "$log"
    local extra=""
    # Tests create and drop hundreds of databases; durability does not matter for them.
    [ "${OCM_PG_FAST:-0}" = 1 ] && extra="-c fsync=off -c full_page_writes=off"
    say "starting on 127.0.0.1:$port (log: $log)"
    "${runas[@]}" "$pgbin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port -c unix_socket_directories='' -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200 $extra" start >/dev/null \
      || { tail -n 20 "$log" >&2; exit 1; }
  fi
  if [ "$(psql_admin -c "select 1 from pg_database where datname = 'ocm'")" != 1 ]; then
    psql_admin -c "create database ocm"
  fi
  (umask 077; printf 'export DATABASE_URL=%q\n' "$(url ocm)" > "$state/pg.env")
}

case "${1:-}" in
  start) start ;;
  stop)
    if running; then say "stopping"; "${runas[@]}" "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi ;;
  status) if running; then echo "running on 127.0.0.1:$port"; else echo "stopped"; exit 3; fi ;;
  url) url "${2:-ocm}"; echo ;;
  psql)
    db=${2:?database name}; shift 2
    PGPASSWORD=$(password) psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -p "$port" -U ocm -d "$db" "$@" ;;
  recreate)
    db=${2:?database name}
    psql_admin -c "drop database if exists \"$db\" with (force)" -c "create database \"$db\"" ;;
  *) echo "usage: $0 start|stop|status|url [DB]|recreate DB|psql DB ARGS" >&2; exit 2 ;;
esac
