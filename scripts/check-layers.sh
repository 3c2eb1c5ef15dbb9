#!/usr/bin/env bash
# The layering the compiler cannot see: the domain crate knows nothing of Leptos, and a server built
# without the `demo` feature links no simulator. Fails with the offending crates named, and fails
# when `cargo tree` itself fails (a check that read nothing must not pass).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The crate names in the normal dependency tree of `cargo tree` arguments "$@". `--locked`, not
# `--offline`: on a fresh machine cargo has not read the registry yet. Progress lines go to stderr,
# kept apart so that only the tree is parsed.
tree() {
  local out errors
  errors=$(mktemp)
  if ! out=$(cargo tree "$@" -e normal,build --prefix none --locked 2>"$errors"); then
    printf 'cargo tree %s failed:\n%s\n' "$*" "$(cat "$errors")" >&2
    rm -f "$errors"
    exit 1
  fi
  rm -f "$errors"
  awk '{print $1}' <<<"$out" | sort -u
}

fail=0
domain=$(tree -p domain)
grep -qx domain <<<"$domain" || { echo "cargo tree -p domain did not list domain itself" >&2; exit 1; }
leptos=$(grep -E '^(leptos|server_fn|reactive_graph|tachys)' <<<"$domain" || true)
if [ -n "$leptos" ]; then
  echo "domain depends on Leptos crates:" $leptos >&2
  fail=1
fi
product=$(tree -p server --no-default-features)
grep -qx server <<<"$product" || { echo "cargo tree -p server did not list server itself" >&2; exit 1; }
sim=$(grep -xE '(pom-sim|rcgen)' <<<"$product" || true)
if [ -n "$sim" ]; then
  echo "server without the demo feature still links:" $sim >&2
  fail=1
fi
[ "$fail" = 0 ] && echo "layers: domain has no Leptos dependency; the product build links no simulator"
exit "$fail"
