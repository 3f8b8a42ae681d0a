#!/usr/bin/env bash
# Mamori vulnerability matching benchmark: a KEV-sized catalogue (1,400 entries) plus 10,000 NVD records against a
# 100,000-device ledger (5 % appliances of appliances.yaml).
#
#   bench/vulns.sh
#
# 1. bench/gen-vulns.py writes synthetic feeds (fictional CVE-2099-… ids) and the ledger CSV;
# 2. starts `./mamori start --demo` with a throw-away data folder (its own PostgreSQL) and imports the ledger into `demo`;
# 3. `mamori vuln import` of the KEV and the NVD file (wall time), and the same NVD file again (unchanged: a no-op);
# 4. `mamori vuln matches --org demo`: the first call re-matches the whole organisation (feeds changed); a second call
#    with nothing changed only reads; then one device's firmware is changed (as a ledger save does: the row and the
#    ledger's cache stamp) and the next call re-matches. Each call prints its in-process time (match + read);
# 5. the same join in SQL alone: devices recognised by LIKE on maker/model, versions as int[] from the first dotted
#    number, against vuln_ranges with the four bounds (cruder than Mamori's: one generic version scheme, no KEV
#    product-only matches), timed with psql;
# and prints a Markdown table. The server is stopped and the data folder removed on exit.
#
# Knobs: BENCH_DEVICES (100000), BENCH_KEV (1400), BENCH_NVD (10000), BENCH_START_TIMEOUT (300).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
DEVICES="${BENCH_DEVICES:-100000}"
KEV_N="${BENCH_KEV:-1400}"
NVD_N="${BENCH_NVD:-10000}"
START_TIMEOUT="${BENCH_START_TIMEOUT:-300}"
BIN="$ROOT/src/Mamori/bin/Release/net10.0/Mamori.dll"
export MAMORI_MAX_UPLOAD_MB="${MAMORI_MAX_UPLOAD_MB:-500}"

install_missing curl:curl psql:postgresql-client python3:python3

DATA="$(mktemp -d /tmp/mamori-vulns-XXXX)"
chmod 755 "$DATA"
LOG="$DATA/server.log"
FILES="$DATA/files"
SERVER_PID=""
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

say "generating $DEVICES devices, $KEV_N KEV entries and $NVD_N NVD records in $FILES"
python3 "$ROOT/bench/gen-vulns.py" "$FILES" "$DEVICES" "$KEV_N" "$NVD_N"

start_demo_server
[ -f "$BIN" ] || die "no Release binary at $BIN after start"
SOCK="$DATA/pg"
if [ "${#SOCK}" -gt 80 ]; then SOCK="/tmp/mamori-$(printf '%s' "$SOCK" | sha256sum | cut -c1-12)"; fi
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -U postgres -d mamori)
sql() { "${PSQL[@]}" -At -c "$1"; }
mamori() { MAMORI_DATA="$DATA" dotnet "$BIN" "$@"; }

say "importing the ledger"
mamori assets import "$FILES/ledger.csv" --org demo >/dev/null || die "ledger import failed"
ORG="$(sql "SELECT \"Id\" FROM organizations WHERE \"Code\" = 'demo'")"

timed() { # name command… → wall ms in W[name]
  local name="$1"; shift
  local t0; t0=$(ms_now)
  "$@" >"$DATA/out-$name.txt" 2>"$DATA/err-$name.txt" || { cat "$DATA/err-$name.txt" >&2; die "$name failed"; }
  W[$name]=$(( $(ms_now) - t0 ))
  say "$name: ${W[$name]} ms wall; $(grep -h 'ms' "$DATA/err-$name.txt" | tail -1)"
}
inproc() { grep -ho 'read: [0-9]* ms' "$DATA/err-$1.txt" | grep -o '[0-9]*' || echo "-"; }
declare -A W
timed kev mamori vuln import "$FILES/kev.json"
timed nvd mamori vuln import "$FILES/nvd.json"
timed nvd_again mamori vuln import "$FILES/nvd.json"
grep -q "取り込み済み" "$DATA/out-nvd_again.txt" || die "the same NVD file twice was not a no-op"
timed match_full mamori vuln matches --org demo
timed match_none mamori vuln matches --org demo
ONE="$(sql "SELECT \"Id\" FROM assets WHERE \"ControlNumber\" = 'BV-000000'")"
sql "UPDATE assets SET \"Firmware\" = 'v6.0.4 build0231' WHERE \"Id\" = '$ONE';
     UPDATE cache_versions SET \"Stamp\" = gen_random_uuid() WHERE \"Scope\" = 'ledger:$ORG'" >/dev/null
timed match_one mamori vuln matches --org demo
MATCHES="$(sql "SELECT count(*) FROM vuln_matches WHERE \"OrganizationId\" = '$ORG'")"
EXACT="$(sql "SELECT count(*) FROM vuln_matches WHERE \"OrganizationId\" = '$ORG' AND \"Confidence\" = 'Exact'")"

# The same join in SQL alone (one generic version scheme; no KEV product-only, no confidence, no triage).
JOIN_SQL="
WITH dict(pattern, cpe) AS (VALUES ('%forti%', 'fortinet:fortios'), ('%asa%', 'cisco:adaptive_security_appliance_software'),
  ('%palo%', 'paloaltonetworks:pan-os'), ('%srx%', 'juniper:junos'), ('%sonicwall%', 'sonicwall:sonicos'), ('%rtx%', 'yamaha:rtx_firmware')),
dev AS (
  SELECT a.\"Id\", d.cpe, string_to_array(substring(a.\"Firmware\" from '([0-9]+(?:\.[0-9]+)*)'), '.')::int[] AS v
  FROM assets a JOIN dict d ON lower(coalesce(a.\"Manufacturer\", '') || ' ' || coalesce(a.\"Model\", '')) LIKE d.pattern
  WHERE a.\"OrganizationId\" = '$ORG' AND a.\"Status\" <> 'Retired' AND a.\"Firmware\" ~ '[0-9]'),
r AS (
  SELECT rg.\"Cpe\", rec.\"Cves\",
    string_to_array(substring(rg.\"StartIncluding\" from '([0-9]+(?:\.[0-9]+)*)'), '.')::int[] AS si,
    string_to_array(substring(rg.\"EndIncluding\" from '([0-9]+(?:\.[0-9]+)*)'), '.')::int[] AS ei,
    string_to_array(substring(rg.\"EndExcluding\" from '([0-9]+(?:\.[0-9]+)*)'), '.')::int[] AS ee
  FROM vuln_ranges rg JOIN vuln_records rec ON rec.\"Id\" = rg.\"RecordId\")
SELECT count(DISTINCT (dev.\"Id\", r.\"Cves\")) FROM dev JOIN r ON r.\"Cpe\" = dev.cpe
WHERE (r.si IS NULL OR dev.v >= r.si) AND (r.ei IS NULL OR dev.v <= r.ei) AND (r.ee IS NULL OR dev.v < r.ee)"
sql "$JOIN_SQL" >/dev/null # warm
t0=$(ms_now); SQL_ROWS="$(sql "$JOIN_SQL")"; SQL_MS=$(( $(ms_now) - t0 ))
say "SQL join alone: $SQL_MS ms, $SQL_ROWS device×CVE pairs"

printf '\n| step | wall ms | in-process ms |\n|---|---:|---:|\n'
printf '| vuln import KEV (%s entries) | %s | |\n' "$KEV_N" "${W[kev]}"
printf '| vuln import NVD (%s records) | %s | |\n' "$NVD_N" "${W[nvd]}"
printf '| vuln import NVD again (no-op) | %s | |\n' "${W[nvd_again]}"
printf '| vuln matches: full re-match of %s devices | %s | %s |\n' "$DEVICES" "${W[match_full]}" "$(inproc match_full)"
printf '| vuln matches: nothing changed (read only) | %s | %s |\n' "${W[match_none]}" "$(inproc match_none)"
printf '| vuln matches: after one device changed | %s | %s |\n' "${W[match_one]}" "$(inproc match_one)"
printf '| SQL join alone (psql, warm) | %s | |\n' "$SQL_MS"
printf '\nmatches stored: %s (exact %s); SQL join pairs: %s; ratio full re-match (in-process) / SQL join: %s\n' \
  "$MATCHES" "$EXACT" "$SQL_ROWS" "$(ratio "$(inproc match_full)" "$SQL_MS")"
