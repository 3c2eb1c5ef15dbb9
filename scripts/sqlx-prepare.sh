#!/usr/bin/env bash
# Regenerates .sqlx/ (the checked-query data that lets every build run with SQLX_OFFLINE=true)
# without needing sqlx-cli: migrate a scratch database, then let the query macros write their
# metadata while compiling against it. Run after changing any SQL in a query! macro or a migration.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/pg.sh start
source scripts/leptos-env.sh
scripts/pg.sh recreate ocm_prepare
url=$(scripts/pg.sh url ocm_prepare)
for migration in migrations/*.sql; do
  scripts/pg.sh psql ocm_prepare -v ON_ERROR_STOP=1 -q -f "$root/$migration"
done
rm -rf .sqlx && mkdir -p .sqlx
# Touch every crate with queries so the macros run again.
find types/src domain/src app/src server/src -name '*.rs' -exec touch {} +
echo "==> compiling against the scratch database to record query metadata"
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$root/.sqlx" DATABASE_URL="$url" cargo check --workspace --all-targets --quiet
echo "==> .sqlx/ now holds $(ls .sqlx | wc -l) queries"
