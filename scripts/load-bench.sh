#!/usr/bin/env bash
# `make load`: the load benchmark (issue 22, part 3; docs/performance.md, "Load"). Builds the
# production build, starts the local cluster, gives the run a fresh database and runs
# `server/examples/load_bench.rs` against target/perf/ocm: 100 users for 10 minutes by default
# (OCM_LOAD_USERS, OCM_LOAD_SECONDS). Nothing else should run on the machine meanwhile.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/release-build.sh
scripts/pg.sh start >/dev/null
scripts/pg.sh recreate ocm_load >/dev/null
printf '==> building the load generator\n'
# The same flags as every other build (no rebuild of the workspace), and the committed .sqlx/
# instead of the empty database for the query macros.
source scripts/leptos-env.sh
DATABASE_URL=$(scripts/pg.sh url ocm_load) cargo build --profile perf -p server --example load_bench
printf '==> the load (%s users, %s s)\n' "${OCM_LOAD_USERS:-100}" "${OCM_LOAD_SECONDS:-600}"
DATABASE_URL=$(scripts/pg.sh url ocm_load) target/perf/examples/load_bench
