#!/usr/bin/env bash
# End-to-end tests: starts five OCM servers from the built site (normal settings; short session
# timeouts; its own database for sign-in throttling, which blocks the shared 127.0.0.1 address;
# a demo already dialling for the reports; one for the API contract run) and a scaled-out pair
# (two connected-mode instances on one database with the simulator on its own), then runs
# end2end/tests in headless Debian Chromium and the API contract (scripts/api-contract.sh).
# Expects `cargo leptos build` to have run and DATABASE_URL to name a Postgres role that may
# create databases.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

binary=target/debug/ocm
[ -x "$binary" ] && [ -f target/site/pkg/ocm.wasm ] || { echo "build the site first: cargo leptos build" >&2; exit 1; }
base_port=${OCM_E2E_PORT:-3100}
# Per port, like the databases, so that two runs never overwrite each other's logs.
logs=target/e2e/$base_port
mkdir -p "$logs"
export OCM_DEMO_PASSWORD=${OCM_DEMO_PASSWORD:-e2e-demo-password}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# A database URL like DATABASE_URL's, for database $1.
db_url() { local base=${DATABASE_URL%%\?*}; printf '%s/%s' "${base%/*}" "$1"; }

# psql against DATABASE_URL's server with the password in the environment, not on the command line.
admin_psql() {
  local rest=${DATABASE_URL#*://} creds hostport
  creds=${rest%%@*}; hostport=${rest#*@}; hostport=${hostport%%/*}
  PGUSER=${creds%%:*} PGPASSWORD=$([ "$creds" != "${creds#*:}" ] && printf '%s' "${creds#*:}") \
    PGHOST=${hostport%:*} PGPORT=$([ "$hostport" != "${hostport#*:}" ] && printf '%s' "${hostport##*:}" || echo 5432) \
    psql -v ON_ERROR_STOP=1 -qAt -d postgres "$@"
}

start_server() { # name port extra-env...
  local name=$1 port=$2; shift 2
  # Named by port too, so that runs on different ports never drop each other's databases.
  local db="ocm_e2e_${name}_${base_port}"
  admin_psql -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
  # Each server its own exports folder (run ids restart with each database).
  env DATABASE_URL="$(db_url "$db")" LEPTOS_SITE_ADDR="127.0.0.1:$port" OCM_EXPORT_DIR="$logs/exports-$name" \
    LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=ocm LEPTOS_ENV=PROD "$@" \
    "$binary" serve >"$logs/$name.log" 2>&1 &
  pids+=($!)
}

# Waits up to 30 s for `url` to answer; a process of ours (`pid`) must be the one answering, not
# a leftover from an earlier run. Stops the run with `what` and the logs otherwise.
await_healthy() { # url pid what
  for _ in $(seq 1 60); do
    curl -fs "$1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! kill -0 "$2" 2>/dev/null || ! curl -fs "$1" >/dev/null; then
    echo "$3 did not start (is the port taken? set OCM_E2E_PORT):" >&2
    tail -n 30 "$logs"/*.log >&2
    exit 1
  fi
}

# Webhooks of the API test go to a receiver on loopback.
start_server main "$base_port" OCM_UPLOAD_START_DELAY_SECONDS=2 OCM_UPLOAD_FOLLOW_MS=500 \
  OCM_WEBHOOK_PRIVATE_ADDRESSES=allow
start_server short "$((base_port + 1))" OCM_SESSION_IDLE_SECS=20 OCM_SESSION_WARNING_SECS=12
start_server throttle "$((base_port + 2))"
# The reports' server: a demo that has been dialling for a few hours, so every report has rows.
start_server reports "$((base_port + 3))" OCM_DEMO_DIALLING_HOURS=4 OCM_CALL_DATA_EVERY_MS=1000
# The API contract run's server: its calls start and stop the demo's campaigns, and many of them.
start_server contract "$((base_port + 4))" OCM_API_RATE_PER_MINUTE=100000

# A customer scaling out: two OCM instances in connected mode on one database, sharing one POM
# (the simulator run on its own, as a real POM would be) and nothing else.
pair_db="ocm_e2e_pair_${base_port}"
sim_port=$((base_port + 7))
simulator=target/debug/pom-sim
# `make test` has just built it with the workspace's tests; a run of its own builds it if missing.
[ -x "$simulator" ] || cargo build -q -p pom-sim --bin pom-sim
# The control token from the environment, not the command line: ps shows every argument.
pair_token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
POM_SIM_CONTROL_TOKEN=$pair_token "$simulator" --demo --listen "127.0.0.1:$sim_port" >"$logs/pair-sim.log" 2>&1 &
pids+=($!)
await_healthy "http://127.0.0.1:$sim_port/__sim/health" "${pids[5]}" "the pair's simulator on port $sim_port"
admin_psql -c "drop database if exists $pair_db with (force)" -c "create database $pair_db" >/dev/null
pair_env=(DATABASE_URL="$(db_url "$pair_db")" OCM_POM_BASE_URL="http://127.0.0.1:$sim_port"
  OCM_POM_USER=pomadmin OCM_POM_PASSWORD=pomadmin OCM_PHONE_REGION=GB OCM_PURGE_CONCURRENCY=4
  OCM_POM_FEED_URL="http://127.0.0.1:$sim_port/__sim/feed" LEPTOS_SITE_ROOT=target/site
  LEPTOS_OUTPUT_NAME=ocm LEPTOS_ENV=PROD OCM_PUBLIC_URL="http://127.0.0.1:$((base_port + 5))")
env "${pair_env[@]}" "$binary" team add Sales --organization Sales >"$logs/pair-setup.log" 2>&1
for user in admin:admin supervisor:supervisor; do
  printf '%s\n' "$OCM_DEMO_PASSWORD" | env "${pair_env[@]}" "$binary" user add "pair.${user%%:*}" \
    --role "${user##*:}" --team Sales >>"$logs/pair-setup.log" 2>&1
done
for side in a:5 b:6; do
  port=$((base_port + ${side#*:})) side=${side%%:*}
  env "${pair_env[@]}" OCM_PUBLIC_URL="http://127.0.0.1:$port" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    OCM_EXPORT_DIR="$logs/exports-pair" "$binary" serve >"$logs/pair-$side.log" 2>&1 &
  pids+=($!)
done

# Health in the order started (pids 5 is the pair's simulator).
ports=("$base_port" "$((base_port + 1))" "$((base_port + 2))" "$((base_port + 3))" "$((base_port + 4))"
  "" "$((base_port + 5))" "$((base_port + 6))")
for i in 0 1 2 3 4 6 7; do
  await_healthy "http://127.0.0.1:${ports[$i]}/healthz" "${pids[$i]}" "server on port ${ports[$i]}"
done

export OCM_E2E_BASE="http://127.0.0.1:$base_port"
export OCM_E2E_LOGS="$root/$logs"
export OCM_E2E_SHORT_BASE="http://127.0.0.1:$((base_port + 1))"
export OCM_E2E_THROTTLE_BASE="http://127.0.0.1:$((base_port + 2))"
export OCM_E2E_REPORTS_BASE="http://127.0.0.1:$((base_port + 3))"
export OCM_E2E_PAIR_A="http://127.0.0.1:$((base_port + 5))" OCM_E2E_PAIR_B="http://127.0.0.1:$((base_port + 6))"
export OCM_E2E_PAIR_SIM="http://127.0.0.1:$sim_port" OCM_E2E_PAIR_SIM_TOKEN="$pair_token"
echo "==> end-to-end tests in headless Chromium (server logs in $logs/)"
cd end2end
# One file at a time (works on Node 18 and 20; the files share the servers).
# OCM_E2E_ONLY=purge runs tests/purge.test.mjs alone (while working on one area).
status=0
# OCM_E2E_ONLY=contract runs the API contract alone.
for file in tests/${OCM_E2E_ONLY:-*}.test.mjs; do
  [ -e "$file" ] || continue
  node --test --test-reporter=spec "$file" || status=1
done
cd "$root"
if [ -z "${OCM_E2E_ONLY:-}" ] || [ "${OCM_E2E_ONLY}" = contract ]; then
  scripts/api-contract.sh "http://127.0.0.1:$((base_port + 4))" "$(db_url "ocm_e2e_contract_${base_port}")" || status=1
fi
exit $status
