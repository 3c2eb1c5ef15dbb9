#!/usr/bin/env bash
# `make release`: the production build. The server at opt-level 3 (the `perf` profile, see
# `bin-profile-release` in Cargo.toml), the site's wasm at the size-tuned release profile through
# Binaryen's wasm-opt -Oz, and every site file also written brotli- and gzip-compressed, which
# the server sends instead when the browser accepts them. Output: target/perf/ocm and
# target/site. Installs what is missing first, saying what it does.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/ensure-tools.sh

BINARYEN_VERSION=123
step() { printf '==> %s\n' "$*"; }
# cargo-leptos would download Binaryen; offline it takes wasm-opt from PATH instead. npm's
# `binaryen` package is Binaryen itself (compiled to wasm, run by Node.js).
step "Binaryen $BINARYEN_VERSION (wasm-opt, from npm, into .tools/binaryen)"
if [ "$(.tools/binaryen/node_modules/.bin/wasm-opt --version 2>/dev/null)" = "wasm-opt version $BINARYEN_VERSION (version_$BINARYEN_VERSION)" ]; then
  printf '    ok: installed\n'
else
  mkdir -p .tools/binaryen
  npm install --prefix .tools/binaryen --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi
export PATH="$root/.tools/binaryen/node_modules/.bin:$PATH"

source scripts/leptos-env.sh
step "building the production build (the first takes half an hour on 2 cores)"
cargo leptos build --release --precompress
step "built: target/perf/ocm and target/site"
for file in ocm.wasm ocm.js ocm.css; do
  printf '    %-9s %6d KiB, %6d KiB brotli\n' "$file" \
    $(( $(stat -c %s "target/site/pkg/$file") / 1024 )) $(( $(stat -c %s "target/site/pkg/$file.br") / 1024 ))
done
