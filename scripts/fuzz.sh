#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target (fuzz/) for a fixed time each on the nightly toolchain
# (OCM_FUZZ_SECONDS, default 300; OCM_FUZZ_TARGETS to choose some). Seeds come from the project's
# fixtures; a crash leaves its input in fuzz/artifacts/<target>/ and stops with exit 1. Not part of
# `make test` (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
# The domain's checked queries compile from the committed query data, without a database.
export SQLX_OFFLINE=true SQLX_OFFLINE_DIR="$PWD/.sqlx"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzzing needs the nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (once, a few minutes)"
  cargo install cargo-fuzz --locked
fi

seconds="${OCM_FUZZ_SECONDS:-300}"
targets="${OCM_FUZZ_TARGETS:-xml_parse phone_read tabular_read contact_preflight}"

# Seeds: real files the tests already read, so the fuzzer starts from valid shapes.
mkdir -p fuzz/corpus/{xml_parse,phone_read,tabular_read,contact_preflight}
cp -n domain/tests/fixtures/dnc/* fuzz/corpus/tabular_read/ 2>/dev/null || true
cp -n domain/tests/fixtures/dnc/*.csv fuzz/corpus/contact_preflight/ 2>/dev/null || true
# awk reads the whole file: `head` closing the pipe early would end the script (pipefail).
awk -F, 'NR > 1 && NR <= 501 { print $2 }' domain/tests/fixtures/phone/expectations.csv | while read -r number; do
  printf '%s' "$number" > "fuzz/corpus/phone_read/$(printf '%s' "$number" | sha1sum | cut -c1-16)"
done
printf '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:GetContactListResponse><return>7</return></ns2:GetContactListResponse></S:Body></S:Envelope>' \
  > fuzz/corpus/xml_parse/envelope

started=$(date +%s)
for target in $targets; do
  say "fuzzing $target for ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
done
say "every target ran ${seconds}s without a crash ($(( $(date +%s) - started ))s in all)"
