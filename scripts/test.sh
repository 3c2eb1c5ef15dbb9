#!/usr/bin/env bash
# `make test`: every check CI runs. Uses the local Postgres cluster unless DATABASE_URL is set.
# One target/ directory serves clippy, the tests and the site build (same LEPTOS_* environment, so
# cargo does not rebuild between them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "free disk space"
# A build from scratch writes about 12 GB (target/, the cargo registry, cargo-leptos); say so up
# front rather than fail ten minutes in with a linker's "No space left on device".
free_gb=$(df -P -BG "$root" | awk 'NR == 2 { sub("G", "", $4); print $4 }')
echo "    ${free_gb} GB free where the project is; a build from scratch needs about 12 GB"
if [ "$free_gb" -lt 12 ]; then
  echo "    warning: this may not be enough: free some space (old target/ folders, .data/) if the build fails" >&2
fi

step "checking tools"
scripts/ensure-tools.sh

step "cargo fmt --check"
cargo fmt --all -- --check

if [ -z "${DATABASE_URL:-}" ]; then
  step "starting the local Postgres cluster"
  started_here=0
  scripts/pg.sh status >/dev/null 2>&1 || started_here=1
  OCM_PG_FAST=1 scripts/pg.sh start
  source .data/pg.env
  [ "$started_here" = 1 ] && trap 'scripts/pg.sh stop' EXIT
fi
# cargo-leptos sets these while compiling; setting them for every cargo call keeps one build.
source scripts/leptos-env.sh

step "layers (domain without Leptos, product build without the simulator)"
scripts/check-layers.sh

step "cargo clippy (server and tests)"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo clippy (browser build)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

step "cargo test --workspace (real Postgres, one database per test)"
# A test run killed from outside leaves the database-restart test's own cluster running: stop it
# (the folder is named after the test process, which is gone then; a live one is left alone).
for leftover in "${TMPDIR:-/tmp}"/ocm-pg-restart-*; do
  [ -d "$leftover" ] || continue
  owner=${leftover##*/ocm-pg-restart-}
  kill -0 "${owner%%-*}" 2>/dev/null && continue
  [ -f "$leftover/pg/postmaster.pid" ] || { rm -rf "$leftover"; continue; }
  echo "stopping a PostgreSQL cluster left by an earlier, interrupted test run ($leftover)"
  kill "$(head -n 1 "$leftover/pg/postmaster.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$leftover"
done
cargo test --workspace

step "building the site (cargo leptos build)"
cargo leptos build

step "end-to-end tests"
scripts/e2e.sh

step "make test passed in $(( $(date +%s) - started )) s"
