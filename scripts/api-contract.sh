#!/usr/bin/env bash
# The automation API's contract run: schemathesis (property-based, from the OpenAPI document)
# against a live OCM at $1 whose database is $2. Registers a client of the demo's Sales
# organization with every scope the API serves, takes a token, and runs every check
# (`scripts/schemathesis.toml`): it fails on any server error, undocumented status, content type
# or body that breaks the schema. Examples are bounded so the
# run takes about a minute. Called by scripts/e2e.sh after the browser tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=$1 database_url=$2
credentials=$(DATABASE_URL=$database_url "$root/target/debug/ocm" api-client add "contract-$(date +%s)" \
  --organization Sales --scope campaigns:read,campaigns:control,reports,dnc,records,emergency,admin)
id=$(sed -n 's/^client_id: *//p' <<<"$credentials")
secret=$(sed -n 's/^secret: *//p' <<<"$credentials")
token=$(curl -fsS -u "$id:$secret" -X POST "$base/api/v1/auth/token" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
echo "==> API contract: schemathesis against $base/api/v1/openapi.json"
# Its cache of failures goes to target/, not the work tree.
cd "$root/target"
PYTHONPATH="$root/.tools/python" python3 -m schemathesis.cli \
  --config-file "$root/scripts/schemathesis.toml" --no-color run "$base/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" --max-examples 25 --workers 2 \
  --seed 20261206
