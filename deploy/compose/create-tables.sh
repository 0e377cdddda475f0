#!/usr/bin/env bash
# One-shot job of compose.yaml: creates the three Bigtable tables with their column families and garbage-collection
# policies, the same ones terraform/modules/bigtable declares. Idempotent: existing tables and families are kept and
# their policies set again. Uses cbt; honours BIGTABLE_EMULATOR_HOST. Also run by scripts/check-deploy.sh against a
# local emulator, so the policies below are known to be accepted by Bigtable's admin API.
set -euo pipefail
project="${BIGTABLE_PROJECT:?set BIGTABLE_PROJECT}"
instance="${BIGTABLE_INSTANCE:?set BIGTABLE_INSTANCE}"
creds=()
if [ -n "${BIGTABLE_EMULATOR_HOST:-}" ]; then
    # The emulator ignores credentials; naming a file stops cbt asking gcloud for some (seconds per call).
    creds_file="$(mktemp)"; echo '{}' > "$creds_file"; creds=(-creds "$creds_file")
fi
cbt_cmd() { cbt -project "$project" -instance "$instance" "${creds[@]}" "$@"; }

# Facts and aggregates: one version per cell (rewrites are identical), two years of retention (730 days).
# Salesforce records: every version is the record's history; versions older than two years go, but never the newest.
tables='
events_fact        event_data   maxage=730d or maxversions=1
events_fact        metadata     maxage=730d or maxversions=1
events_fact        quality      maxage=730d or maxversions=1
events_aggregate   hourly_stats maxage=730d or maxversions=1
events_aggregate   daily_stats  maxage=730d or maxversions=1
events_aggregate   weekly_stats maxage=730d or maxversions=1
events_aggregate   metadata     maxage=730d or maxversions=1
salesforce_records fields       maxage=730d and maxversions=1
salesforce_records meta         maxage=730d and maxversions=1
'
existing_tables="$(cbt_cmd ls)"
while read -r table family policy; do
    [ -n "$table" ] || continue
    if ! grep -qx "$table" <<<"$existing_tables"; then
        cbt_cmd createtable "$table"
        existing_tables+=$'\n'"$table"
    fi
    cbt_cmd createfamily "$table" "$family" 2>/dev/null || true   # already there
    # shellcheck disable=SC2086  # the policy is several words on purpose
    cbt_cmd setgcpolicy "$table" "$family" $policy
done <<<"$tables"
cbt_cmd ls
