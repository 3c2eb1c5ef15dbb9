#!/usr/bin/env bash
# `make run`: install what is missing, start the local Postgres cluster when DATABASE_URL is unset
# (and stop it again on exit), build, and serve at http://127.0.0.1:3000.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/ensure-tools.sh
[ -f .env ] && { set -a; source .env; set +a; }
if [ -z "${DATABASE_URL:-}" ]; then
  started_here=0
  scripts/pg.sh status >/dev/null 2>&1 || started_here=1
  scripts/pg.sh start
  source .data/pg.env
  [ "$started_here" = 1 ] && trap 'scripts/pg.sh stop' EXIT
fi
site_addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
source scripts/leptos-env.sh
echo "==> building OCM (first build takes several minutes on 2 cores)"
cargo leptos build
echo "==> starting OCM (Ctrl-C stops it)"
export LEPTOS_SITE_ADDR=$site_addr
# The demo's campaigns have been dialling for a working day, so there is call data to look at.
export OCM_DEMO_DIALLING_HOURS=${OCM_DEMO_DIALLING_HOURS:-8}
# Not exec: the trap above must stop the database when OCM exits.
target/debug/ocm serve
