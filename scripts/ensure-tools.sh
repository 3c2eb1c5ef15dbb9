#!/usr/bin/env bash
# Installs what `make run` and `make test` need, only when it is missing, saying what it does.
# Idempotent: a second run only checks. Everything comes from crates.io, Debian or npm.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '==> %s\n' "$*"; }
SCHEMATHESIS_VERSION=4.32.5
AIOSMTPD_VERSION=1.4.6
ok() { printf '    ok: %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "    missing Debian packages: $*; run as root: apt-get update && apt-get install -y $*" >&2
    exit 1
  fi
  if [ "$apt_updated" = 0 ]; then
    step "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  step "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

step "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  ok "installed"
else
  rustup target add wasm32-unknown-unknown
fi

step "rustfmt and clippy"
for component in rustfmt clippy; do
  if rustup component list --installed 2>/dev/null | grep -q "^$component"; then ok "$component installed"; else rustup component add "$component"; fi
done

step "cargo-leptos $CARGO_LEPTOS_VERSION"
if cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  ok "installed"
else
  # cargo-leptos 0.3.x needs a newer rustc than stable 1.95 for its locked dependencies; the
  # machine's nightly toolchain builds it (docs/decisions.md). no_downloads: never fetch binaries.
  toolchain=""
  if rustup toolchain list | grep -q '^nightly'; then
    toolchain="+nightly"
  else
    echo "    warning: no nightly toolchain; cargo-leptos $CARGO_LEPTOS_VERSION needs rustc >= 1.96 and may not build" >&2
  fi
  step "installing cargo-leptos with cargo $toolchain (about 13 minutes on 2 cores)"
  cargo $toolchain install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

step "wasm-bindgen CLI $WASM_BINDGEN_VERSION (must match Cargo.lock)"
if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  ok "installed"
else
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

missing=()
missing_cc=0
step "C compiler (ring, argon2 build scripts)"
if command -v cc >/dev/null; then ok "installed"; else missing_cc=1; fi
step "PostgreSQL server binaries"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null; then ok "installed"; else missing+=(postgresql postgresql-client); fi
step "Chromium (end-to-end tests)"
if [ -x /usr/bin/chromium ]; then ok "installed"; else missing+=(chromium); fi
step "OpenSSH server and client (SFTP tests)"
if [ -x /usr/sbin/sshd ] && command -v sftp >/dev/null; then ok "installed"; else missing+=(openssh-server openssh-client); fi
step "openssl (the SMTP peer's test certificates)"
if command -v openssl >/dev/null; then ok "installed"; else missing+=(openssl); fi
step "curl (readiness checks)"
if command -v curl >/dev/null; then ok "installed"; else missing+=(curl); fi
step "Node.js and npm (end-to-end runner)"
if command -v node >/dev/null && command -v npm >/dev/null; then ok "installed"; else missing+=(nodejs npm); fi
[ "$missing_cc" = 1 ] && missing+=(gcc libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

step "end-to-end test dependencies (npm ci in end2end/)"
if [ -d end2end/node_modules/playwright-core ] && [ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]; then
  ok "installed"
else
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi
# A Python tool from PyPI at one version, in a folder of its own under .tools/.
pip_tool() { # package version folder what-for
  step "$1 $2 ($4, from PyPI, into .tools/$3)"
  if [ -f ".tools/$3/$1-$2.dist-info/METADATA" ]; then
    ok "installed"
  else
    rm -rf ".tools/$3"
    python3 -m pip install --quiet --disable-pip-version-check --target ".tools/$3" "$1==$2"
  fi
}
pip_tool schemathesis "$SCHEMATHESIS_VERSION" python "the API contract run"
pip_tool aiosmtpd "$AIOSMTPD_VERSION" smtp "the real SMTP peer of the scheduled-export tests"
step "tools ready"
