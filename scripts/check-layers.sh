#!/usr/bin/env bash
# The layering the compiler cannot see: the domain crate knows nothing of Leptos, and a server built
# without the `demo` feature links no simulator. Fails with the offending crates named.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fail=0
leptos=$(cargo tree -p domain -e normal,build --prefix none --offline 2>/dev/null | awk '{print $1}' | grep -E '^(leptos|server_fn|reactive_graph|tachys)' | sort -u || true)
if [ -n "$leptos" ]; then
  echo "domain depends on Leptos crates: $leptos" >&2
  fail=1
fi
sim=$(cargo tree -p server --no-default-features -e normal --prefix none --offline 2>/dev/null | awk '{print $1}' | grep -E '^(pom-sim|rcgen)$' | sort -u || true)
if [ -n "$sim" ]; then
  echo "server without the demo feature still links: $sim" >&2
  fail=1
fi
[ "$fail" = 0 ] && echo "layers: domain has no Leptos dependency; the product build links no simulator"
exit "$fail"
