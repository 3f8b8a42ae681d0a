#!/usr/bin/env bash
# Audit chain contention: concurrent writers across many organisations, before and after per-organisation chains,
# in the same session (the machine may be busy: compare the ratio).
#
#   bench/audit-chains.sh [BASE_COMMIT]     (default: the commit before the per-organisation chains)
#
# Builds bench/audit-chains/ against the current tree ("after") and against BASE_COMMIT ("before", exported with
# git archive into a temporary folder), then runs each on a fresh private PostgreSQL cluster:
# BENCH_ORGS (100) organisations, BENCH_WRITERS (50) parallel connections, each inserting audited rows into its own
# organisations for BENCH_SECONDS (10) after a 2 s warm-up. Prints rows/s of both and the ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${1:-adf2c4d}"
ORGS="${BENCH_ORGS:-100}"; WRITERS="${BENCH_WRITERS:-50}"; SECONDS_="${BENCH_SECONDS:-10}"
BEFORE="$(mktemp -d /tmp/mamori-audit-before-XXXX)"
trap 'rm -rf "$BEFORE"' EXIT
git -C "$ROOT" archive "$BASE" | tar -x -C "$BEFORE"
mkdir -p "$BEFORE/bench/audit-chains"
cp "$ROOT/bench/audit-chains/Program.cs" "$ROOT/bench/audit-chains/AuditChainsBench.csproj" "$BEFORE/bench/audit-chains/"
for tree in "$BEFORE" "$ROOT"; do
  dotnet build "$tree/bench/audit-chains" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
done
run() { dotnet "$1/bench/audit-chains/bin/Release/net10.0/AuditChainsBench.dll" "$ORGS" "$WRITERS" "$SECONDS_" 2>/dev/null | awk '/rows_per_second/ {print $2}'; }
before="$(run "$BEFORE")"
after="$(run "$ROOT")"
echo "| | rows/s |"
echo "|---|---|"
echo "| before ($BASE: one global chain lock) | $before |"
echo "| after (one chain per organisation) | $after |"
awk -v a="$after" -v b="$before" 'BEGIN { printf "ratio after/before: %.2f\n", a / b }'
