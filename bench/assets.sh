#!/usr/bin/env bash
# Mamori 機器台帳 benchmark — import of a 100,000-row ledger against PostgreSQL COPY, and the list page on it.
#
#   bench/assets.sh
#
# 1. bench/gen-ledger.py writes the same deterministic rows as UTF-8 CSV (BOM), Shift_JIS CSV and .xlsx;
# 2. starts `./mamori start --demo` on a free loopback port with a throw-away data folder (its own PostgreSQL);
# 3. baselines: psql `\copy` of the same CSV into a scratch table with the same text/date columns (the headline), and
#    into a table with exactly the structure of `assets` (its indexes incl. the trigram GIN, generated search column,
#    foreign key), and into the least a ledger table needs (assets' columns, primary key, unique 管理番号 per
#    organisation: the ceiling for any import's ratio); all dropped after;
# 4. `mamori assets import FILE --org demo --json` for the CSV (all rows new), the CSV with every row changed, the
#    .xlsx (changed back), the Shift_JIS CSV and the CSV again (unchanged), then the .xlsx and the Shift_JIS CSV each as
#    new rows again (the imported rows deleted before each); read_ms + write_ms from the JSON (in-process) and wall time;
# 5. signs in and runs wrk against the list page (/o/demo/assets: default, sorted by 設置場所 at page 1000, search), the
#    findings page and the dashboard (after timing the first view of the findings, which evaluates the whole ledger)
#    and /healthz in the same run;
# and prints Markdown tables and ratios. The server is stopped and the data folder removed on exit, whatever happens.
#
# Knobs (environment): BENCH_ROWS (100000), BENCH_COPY_RUNS (3), BENCH_THREADS (2), BENCH_CONNECTIONS (16),
#   BENCH_DURATION (10s, /healthz), BENCH_LIST_DURATION (20s, each list URL: slow pages need a longer window),
#   BENCH_WARMUP (3s), BENCH_TIMEOUT (30s, wrk's per-request timeout), BENCH_USER (admin@demo.example; falls back to executive@demo.example),
#   BENCH_START_TIMEOUT (300 seconds, includes a Release build if one is due), BENCH_SKIP_HTTP (unset),
#   BENCH_PG_SLOW_MS (50: import statements at least this slow are listed from the PostgreSQL log),
#   BENCH_SCHEMA_SQL (unset: SQL run on the bench database before the baselines and imports, to measure a proposed
#   schema change by hand, e.g. "DROP INDEX \"IX_assets_SearchText_trgm\""; never a migration).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
ROWS="${BENCH_ROWS:-100000}"
COPY_RUNS="${BENCH_COPY_RUNS:-3}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-16}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-3s}"
TIMEOUT="${BENCH_TIMEOUT:-30s}"
LIST_DURATION="${BENCH_LIST_DURATION:-20s}"
USER_EMAIL="${BENCH_USER:-admin@demo.example}"
FALLBACK_USER="executive@demo.example"
PASSWORD="mamori-demo-2026"
START_TIMEOUT="${BENCH_START_TIMEOUT:-300}"
BIN="$ROOT/src/Mamori/bin/Release/net10.0/Mamori.dll"
# 100,000 rows of Japanese text are ~20 MB of CSV, right at the default upload limit (20 MB): lift it for the bench.
export MAMORI_MAX_UPLOAD_MB="${MAMORI_MAX_UPLOAD_MB:-500}"


# ---------------------------------------------------------------- tools
install_missing wrk:wrk curl:curl psql:postgresql-client python3:python3 /usr/bin/time:time

# ---------------------------------------------------------------- temp folder, cleanup
DATA="$(mktemp -d /tmp/mamori-assets-XXXX)"
# The private cluster runs as the 'postgres' user when we are root: it must be able to enter this folder.
chmod 755 "$DATA"
LOG="$DATA/server.log"
JAR="$DATA/cookies.txt"
FILES="$DATA/files"
SERVER_PID=""


ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
per_s() { awk -v n="$1" -v ms="$2" 'BEGIN { printf (ms > 0 ? "%.0f" : "n/a"), n * 1000 / ms }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---------------------------------------------------------------- 1. files
say "generating $ROWS ledger rows (CSV UTF-8, CSV Shift_JIS, xlsx) in $FILES"
t0=$(ms_now)
python3 "$ROOT/bench/gen-ledger.py" "$FILES" "$ROWS" >/dev/null
# The same ledger after a stocktake moved every device: one column changed in every row (the update path).
python3 - "$FILES/ledger.csv" "$FILES/ledger-moved.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as src, open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as dst:
    rows = csv.reader(src); out = csv.writer(dst)
    header = next(rows); out.writerow(header); col = header.index("設置場所")
    for r in rows:
        r[col] = r[col] + "（移設）"; out.writerow(r)
PY
say "generated in $(( $(ms_now) - t0 )) ms: $(cd "$FILES" && for f in ledger.csv ledger-sjis.csv ledger.xlsx; do printf '%s %s MiB  ' "$f" "$(mib "$(stat -c %s "$f")")"; done)"

# ---------------------------------------------------------------- 2. start
start_demo_server
[ -f "$BIN" ] || die "no Release binary at $BIN after start"

# The private cluster's socket folder (EmbeddedPostgres.SocketDir): $DATA/pg, or /tmp/mamori-<hash> for a long path.
SOCK="$DATA/pg"
if [ "${#SOCK}" -gt 80 ]; then SOCK="/tmp/mamori-$(printf '%s' "$SOCK" | sha256sum | cut -c1-12)"; fi
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -U postgres -d mamori)
"${PSQL[@]}" -c 'SELECT 1' >/dev/null || die "cannot connect with psql to the private cluster ($SOCK)"
sql() { "${PSQL[@]}" -At -c "$1"; }

if [ -n "${BENCH_SCHEMA_SQL:-}" ]; then
  say "schema change for this run: $BENCH_SCHEMA_SQL"
  sql "$BENCH_SCHEMA_SQL" >/dev/null
fi

# ---------------------------------------------------------------- 3. baseline: COPY of the same CSV
COPY_TABLE="bench_copy_baseline"
COPY_COLUMNS='control_number text, category text, manufacturer text, model text, operating_system text, software text,
  software_version text, ip_address text, computer_name text, location text, user_name text, registered_on date,
  status text, description text'
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(ms_now); "${PSQL[@]}" -c 'SELECT 1' >/dev/null; PSQL_START_MS=$(( $(ms_now) - t0 ))
copy_once() { # [table DDL after CREATE TABLE] [columns] → prints elapsed ms of the \copy (psql start included)
  sql "DROP TABLE IF EXISTS $COPY_TABLE; CREATE TABLE $COPY_TABLE ${1:-($COPY_COLUMNS)}" >/dev/null
  local t0 t1 n
  t0=$(ms_now)
  "${PSQL[@]}" -c "\\copy $COPY_TABLE ${2:-} FROM '$FILES/ledger.csv' WITH (FORMAT csv, HEADER true)" >/dev/null
  t1=$(ms_now)
  n="$(sql "SELECT count(*) FROM $COPY_TABLE")"
  [ "$n" = "$ROWS" ] || die "COPY loaded $n rows, not $ROWS"
  echo $((t1 - t0))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
copy_runs() { # result name, label, [table DDL], [columns] → sets <name>_TIMES (each run's ms) and <name> (their median)
  local -n times="$1_TIMES" median_ms="$1"
  local i
  times=()
  for i in $(seq 1 "$COPY_RUNS"); do
    times+=("$(copy_once "${3:-}" "${4:-}")")
    say "$2, run $i: ${times[-1]} ms"
  done
  median_ms="$(median "${times[@]}")"
}
COPY_MS=0 COPY_SHAPED_MS=0 COPY_FLOOR_MS=0
COPY_MS_TIMES=() COPY_SHAPED_MS_TIMES=() COPY_FLOOR_MS_TIMES=()
copy_runs COPY_MS "COPY"
# The same COPY into a table that also has the ledger's three indexes (unique 管理番号, IP, 種別).
COPY_IDX_MS="$(copy_once "($COPY_COLUMNS); CREATE UNIQUE INDEX ON $COPY_TABLE (control_number); CREATE INDEX ON $COPY_TABLE (ip_address); CREATE INDEX ON $COPY_TABLE (category);")"
say "COPY with three indexes: $COPY_IDX_MS ms"
# …and into a table with exactly the structure of assets (every index incl. the trigram GIN, the generated search
# column, the foreign key); the columns the CSV lacks get what an import sets (id, organisation, time).
DEMO_ORG="$(sql "SELECT \"Id\" FROM organizations WHERE \"Code\" = 'demo'")"
SHAPED_DDL="(LIKE assets INCLUDING ALL);
  ALTER TABLE $COPY_TABLE ADD FOREIGN KEY (\"OrganizationId\") REFERENCES organizations (\"Id\"),
    ALTER \"Id\" SET DEFAULT gen_random_uuid(), ALTER \"OrganizationId\" SET DEFAULT '$DEMO_ORG',
    ALTER \"SecurityUpdatesBy\" SET DEFAULT 'Unknown', ALTER \"UpdatedAt\" SET DEFAULT now();"
SHAPED_COLUMNS='("ControlNumber", "Category", "Manufacturer", "Model", "OperatingSystem", "Software", "SoftwareVersion", "IpAddress", "ComputerName", "Location", "UserName", "RegisteredOn", "Status", "Description")'
copy_runs COPY_SHAPED_MS "COPY into a table shaped like assets" "$SHAPED_DDL" "$SHAPED_COLUMNS"
# …and into the least any ledger table needs: the columns of assets (with the values an import sets), a primary key and
# one unique 管理番号 per organisation — no foreign key, no search column or index, no other index. No import into a
# ledger with re-import by 管理番号 can beat this; bare ÷ this is the ceiling for the goal's ratio.
FLOOR_DDL="(LIKE assets INCLUDING DEFAULTS);
  ALTER TABLE $COPY_TABLE ADD PRIMARY KEY (\"Id\"),
    ALTER \"Id\" SET DEFAULT gen_random_uuid(), ALTER \"OrganizationId\" SET DEFAULT '$DEMO_ORG',
    ALTER \"SecurityUpdatesBy\" SET DEFAULT 'Unknown', ALTER \"UpdatedAt\" SET DEFAULT now();
  CREATE UNIQUE INDEX ON $COPY_TABLE (\"OrganizationId\", \"ControlNumber\");"
copy_runs COPY_FLOOR_MS "COPY into the least a ledger table needs" "$FLOOR_DDL" "$SHAPED_COLUMNS"
sql "DROP TABLE $COPY_TABLE" >/dev/null

# ---------------------------------------------------------------- 4. our import
# ./mamori runs `dotnet $BIN` after building when a source file is newer than the binary; the binary is run directly
# here so that a concurrent edit of the tree cannot put a build into the measurement.
declare -A I_FILE I_BYTES I_READ I_WRITE I_WALL I_RSS I_CREATE I_UPDATE I_STATEMENTS
IMPORTS=()
# Where the write time goes: PostgreSQL logs every statement of the imports that takes 50 ms or more.
PG_LOG="$DATA/pg/server.log"
sql "ALTER SYSTEM SET log_min_duration_statement = '${BENCH_PG_SLOW_MS:-50}'" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
slow_statements() { # log line to start from → "ms  statement" lines, in order
  tail -n +"$1" "$PG_LOG" | awk '
    /LOG:  duration: / {
      ms = $0; sub(/.*duration: /, "", ms); sub(/ ms.*/, "", ms)
      st = $0; sub(/.*duration: [0-9.]+ ms  /, "", st); sub(/^(statement|execute [^:]*): /, "", st)
      gsub(/[ \t]+/, " ", st); printf "%10.0f  %s\n", ms, substr(st, 1, 110) }'
}
import_one() { # name file expected(create|update|unchanged)
  local name="$1" file="$2" expect="$3" out t0 t1 rss parsed
  say "import $name: $(basename "$file")"
  local log_from=$(( $(wc -l <"$PG_LOG") + 1 ))
  t0=$(ms_now)
  out="$(MAMORI_DATA="$DATA" /usr/bin/time -o "$DATA/time-$name.txt" -f '%M' dotnet "$BIN" assets import "$file" --org demo --json)" \
    || { printf '%s\n' "$out" | head -c 4000 >&2; die "import $name failed"; }
  t1=$(ms_now)
  rss="$(tail -1 "$DATA/time-$name.txt")"
  parsed="$(python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print(r["ok"], r["committed"], r["rows_read"], r["to_create"], r["to_update"], r["unchanged"], r["error_count"], r["read_ms"], r["write_ms"], len(r["warnings"]))
' <<<"$out")" || { printf '%s\n' "$out" | head -c 4000 >&2; die "import $name: unreadable JSON"; }
  read -r ok committed rows_read create update unchanged errors read_ms write_ms warnings <<<"$parsed"
  [ "$ok" = "True" ] && [ "$committed" = "True" ] && [ "$errors" = "0" ] || { printf '%s\n' "$out" | head -c 4000 >&2; die "import $name: not committed or has errors"; }
  [ "$rows_read" = "$ROWS" ] || die "import $name read $rows_read rows, not $ROWS"
  case "$expect" in
    create) [ "$create" = "$ROWS" ] || die "import $name: $create created, expected $ROWS" ;;
    update) [ "$update" = "$ROWS" ] || die "import $name: $update updated, expected $ROWS" ;;
    *) [ "$unchanged" = "$ROWS" ] || die "import $name: $unchanged unchanged, expected $ROWS" ;;
  esac
  [ "$warnings" = "0" ] || say "warning: import $name reported $warnings warnings"
  IMPORTS+=("$name")
  I_FILE[$name]="$(basename "$file")"; I_BYTES[$name]="$(stat -c %s "$file")"
  I_READ[$name]=$read_ms; I_WRITE[$name]=$write_ms; I_WALL[$name]=$((t1 - t0)); I_RSS[$name]=$((rss / 1024))
  I_CREATE[$name]=$create; I_UPDATE[$name]=$update
  sleep 0.2 # let the logging collector write the last lines
  I_STATEMENTS[$name]="$(slow_statements "$log_from")"
  say "import $name: read ${read_ms} ms + write ${write_ms} ms, wall $((t1 - t0)) ms, peak RSS $((rss / 1024)) MiB"
}
import_one csv        "$FILES/ledger.csv"       create
import_one csv-moved  "$FILES/ledger-moved.csv" update
import_one xlsx       "$FILES/ledger.xlsx"      update
import_one sjis       "$FILES/ledger-sjis.csv"  unchanged
import_one csv-again  "$FILES/ledger.csv"       unchanged
# The other formats as a first import too: the same rows new again (the imported devices deleted first).
forget_imported() {
  sql "DELETE FROM assets a USING organizations o WHERE o.\"Id\" = a.\"OrganizationId\" AND o.\"Code\" = 'demo' AND a.\"UpdatedBy\" LIKE 'cli:%'" >/dev/null
  sql "VACUUM assets" >/dev/null
}
forget_imported
import_one xlsx-new   "$FILES/ledger.xlsx"      create
forget_imported
import_one sjis-new   "$FILES/ledger-sjis.csv"  create
LOAD_AFTER_IMPORT="$(cut -d' ' -f1-3 /proc/loadavg)"
sql "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
DEMO_ASSETS="$(sql "SELECT count(*) FROM assets a JOIN organizations o ON o.\"Id\" = a.\"OrganizationId\" WHERE o.\"Code\" = 'demo'")"
HISTORY_ROWS="$(sql "SELECT count(*) FROM asset_history")"
SIZES="$(sql "SELECT pg_size_pretty(pg_total_relation_size('assets')) || ' assets, ' || pg_size_pretty(pg_total_relation_size('asset_history')) || ' asset_history'")"
# Steady state for the list page: what autovacuum does within a minute of an import (visibility map for index-only
# counts, planner statistics), done now so the measurement does not depend on when autovacuum wakes up.
sql "VACUUM ANALYZE assets" >/dev/null

# ---------------------------------------------------------------- 5. list page

sign_in() { # email → sets COOKIE
  rm -f "$JAR"
  curl -s -c "$JAR" -b "$JAR" -o "$DATA/login.html" "$BASE/account/login"
  local csrf code
  csrf="$(grep -o '<input[^>]*name="__csrf"[^>]*>' "$DATA/login.html" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p')"
  [ -n "$csrf" ] || die "no __csrf token in the sign-in page"
  code="$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' \
    --data-urlencode "Email=$1" --data-urlencode "Password=$PASSWORD" --data-urlencode "__csrf=$csrf" "$BASE/account/login")"
  [ "$code" = "302" ] || die "sign-in as $1 answered $code, not 302"
  COOKIE="$(awk -F'\t' '/^#HttpOnly_/ { sub(/^#HttpOnly_/, "") } /^#/ || NF < 7 { next } { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$JAR")"
}
page_status() { curl -s -o "$DATA/page.html" -w '%{http_code} %{size_download}' -H "Cookie: $COOKIE" "$BASE$1"; }

LIST="/o/demo/assets"
# Paging is ?p= (Razor Pages reserves the route value "page"); 50 rows a page.
SORTED="/o/demo/assets?sort=Location&desc=true&p=1000"
SEARCH="/o/demo/assets?q=Room"
NARROW="/o/demo/assets?q=Room4321-"
FINDINGS="/o/demo/assets/findings"
DASHBOARD="/o/demo"
HTTP_NOTE=""
if [ -n "${BENCH_SKIP_HTTP:-}" ]; then
  HTTP_NOTE="list page not measured (BENCH_SKIP_HTTP)"
else
  sign_in "$USER_EMAIL"
  read -r code _ <<<"$(page_status "$LIST")"
  if [ "$code" = "302" ] && [ "$USER_EMAIL" != "$FALLBACK_USER" ]; then
    say "GET $LIST as $USER_EMAIL answered 302; signing in as $FALLBACK_USER instead"
    USER_EMAIL="$FALLBACK_USER"; sign_in "$USER_EMAIL"
    read -r code _ <<<"$(page_status "$LIST")"
  fi
  if [ "$code" != "200" ]; then
    HTTP_NOTE="GET $LIST answered $code (the list page is not in this build): list page not measured"
    say "$HTTP_NOTE"
  else
    say "signed in as $USER_EMAIL; GET $LIST → 200"
    declare -A MIN_BYTES
    check_page() { # name path must-contain
      local out code size
      out="$(page_status "$2")"; code="${out% *}"; size="${out#* }"
      [ "$code" = "200" ] || die "GET $2 answered $code, not 200"
      grep -Eq -- "$3" "$DATA/page.html" || die "GET $2 answered 200 but does not contain /$3/"
      MIN_BYTES[$1]=$((size / 2))
    }
    # The first view of the findings after the imports evaluates the whole ledger (then it is cached until the ledger changes).
    FINDINGS_FIRST_MS="$(curl -s -o "$DATA/page.html" -w '%{time_total}' -H "Cookie: $COOKIE" "$BASE$FINDINGS" | awk '{ printf "%.0f", $1 * 1000 }')"
    say "first view of the findings after the imports: $FINDINGS_FIRST_MS ms"
    check_page list   "$LIST"   '[A-Z]{2}-[0-9]{6}'
    check_page findings "$FINDINGS" '残り [0-9,]+ 件を含めてすべて見る'
    check_page dashboard "$DASHBOARD" '要対応の指摘 [0-9,]+ 件'
    check_page sorted "$SORTED" '1000 / [0-9]+ ページ'
    # …and it is the right page: its first row is the 49,951st by 設置場所 descending, then 管理番号.
    first="$(sql "SELECT a.\"ControlNumber\" FROM assets a JOIN organizations o ON o.\"Id\" = a.\"OrganizationId\" WHERE o.\"Code\" = 'demo'
      ORDER BY a.\"Location\" DESC, a.\"ControlNumber\" OFFSET 49950 LIMIT 1")"
    grep -q -- "$first" "$DATA/page.html" || die "GET $SORTED does not show $first, the first device of page 1000"
    check_page search "$SEARCH" 'Room[0-9]+-'
    check_page narrow "$NARROW" 'Room4321-'
    # What one person waits for: sequential requests, no concurrency (median of 5, curl time_total).
    declare -A SINGLE
    for n in healthz list sorted search narrow findings dashboard; do
      case $n in healthz) u=/healthz;; list) u=$LIST;; sorted) u=$SORTED;; search) u=$SEARCH;; narrow) u=$NARROW;;
        findings) u=$FINDINGS;; dashboard) u=$DASHBOARD;; esac
      SINGLE[$n]="$(for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$BASE$u"; done \
        | tail -5 | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[3] * 1000 }')"
    done
    run_wrk healthz "$DURATION"      /healthz
    run_wrk list    "$LIST_DURATION" "$LIST"   -H "Cookie: $COOKIE"
    run_wrk sorted  "$LIST_DURATION" "$SORTED" -H "Cookie: $COOKIE"
    run_wrk search  "$LIST_DURATION" "$SEARCH" -H "Cookie: $COOKIE"
    run_wrk narrow  "$LIST_DURATION" "$NARROW" -H "Cookie: $COOKIE"
    run_wrk findings "$LIST_DURATION" "$FINDINGS" -H "Cookie: $COOKIE"
    run_wrk dashboard "$LIST_DURATION" "$DASHBOARD" -H "Cookie: $COOKIE"
    for n in list sorted search narrow findings dashboard; do
      [ "${BPR[$n]}" -ge "${MIN_BYTES[$n]}" ] || die "$n averaged ${BPR[$n]} bytes per response: some answers were not the list page"
    done
    for n in healthz list sorted search narrow; do
      [ "${NON2XX[$n]}" -eq 0 ] || { cat "$DATA/wrk-$n.txt" >&2; die "$n: ${NON2XX[$n]} responses were not 2xx/3xx"; }
      [ "${ERRS[$n]}" -eq 0 ] || say "warning: $n had ${ERRS[$n]} socket errors (connect/read/write/timeout)"
    done
  fi
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
echo
echo "Mamori 機器台帳 benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $ROWS rows, PostgreSQL $(sql 'SHOW server_version' | cut -d' ' -f1)"
echo "load average before / after imports / at the end: $LOAD_BEFORE / $LOAD_AFTER_IMPORT / $LOAD_AFTER"
echo
echo "| load | file | MiB | created | updated | read ms | write ms | in-process ms | rows/s (in-process) | wall ms | rows/s (wall) | peak RSS MiB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '| PostgreSQL COPY (median of %s: %s) | ledger.csv | %s | %s | – | – | – | – | – | %s | %s | – |\n' \
  "$COPY_RUNS" "$(IFS=/; echo "${COPY_MS_TIMES[*]}")" "$(mib "$(stat -c %s "$FILES/ledger.csv")")" "$ROWS" "$COPY_MS" "$(per_s "$ROWS" "$COPY_MS")"
printf '| COPY, table with 3 indexes | ledger.csv | %s | %s | – | – | – | – | – | %s | %s | – |\n' \
  "$(mib "$(stat -c %s "$FILES/ledger.csv")")" "$ROWS" "$COPY_IDX_MS" "$(per_s "$ROWS" "$COPY_IDX_MS")"
printf '| COPY, table shaped like assets (median of %s: %s) | ledger.csv | %s | %s | – | – | – | – | – | %s | %s | – |\n' \
  "$COPY_RUNS" "$(IFS=/; echo "${COPY_SHAPED_MS_TIMES[*]}")" "$(mib "$(stat -c %s "$FILES/ledger.csv")")" "$ROWS" "$COPY_SHAPED_MS" "$(per_s "$ROWS" "$COPY_SHAPED_MS")"
printf '| COPY, least a ledger table needs: PK + unique 管理番号 (median of %s: %s) | ledger.csv | %s | %s | – | – | – | – | – | %s | %s | – |\n' \
  "$COPY_RUNS" "$(IFS=/; echo "${COPY_FLOOR_MS_TIMES[*]}")" "$(mib "$(stat -c %s "$FILES/ledger.csv")")" "$ROWS" "$COPY_FLOOR_MS" "$(per_s "$ROWS" "$COPY_FLOOR_MS")"
for n in "${IMPORTS[@]}"; do
  inproc=$(( I_READ[$n] + I_WRITE[$n] ))
  printf '| mamori assets import (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "${I_FILE[$n]}" "$(mib "${I_BYTES[$n]}")" \
    "${I_CREATE[$n]}" "${I_UPDATE[$n]}" "${I_READ[$n]}" "${I_WRITE[$n]}" "$inproc" "$(per_s "$ROWS" "$inproc")" "${I_WALL[$n]}" "$(per_s "$ROWS" "${I_WALL[$n]}")" "${I_RSS[$n]}"
done
echo
echo "COPY wall time includes starting psql and connecting (≈ ${PSQL_START_MS} ms for psql -c 'SELECT 1')."
echo "After the imports: $DEMO_ASSETS assets in the demo organisation, $HISTORY_ROWS asset_history rows; $SIZES."
echo
inproc_ms() { echo $(( I_READ[$1] + I_WRITE[$1] )); }
echo "import / COPY throughput, in-process (goal for CSV ≥ 0.5 of the bare COPY):"
echo "  import                      bare COPY   COPY shaped like assets"
for n in csv sjis-new xlsx-new csv-moved xlsx sjis csv-again; do
  printf '  %-26s  %-10s  %s\n' "$n" "$(ratio "$COPY_MS" "$(inproc_ms "$n")")" "$(ratio "$COPY_SHAPED_MS" "$(inproc_ms "$n")")"
done
echo "ceiling: COPY into the least a ledger table needs / bare COPY: $(ratio "$COPY_MS" "$COPY_FLOOR_MS") (no import into such a table can exceed it)"
echo "csv import (new rows) / COPY throughput, wall clock:      $(ratio "$COPY_MS" "${I_WALL[csv]}")"
echo "csv import (new rows) / COPY with 3 indexes, in-process:  $(ratio "$COPY_IDX_MS" "$(inproc_ms csv)")"
echo "xlsx import (new rows) / COPY throughput, wall clock:     $(ratio "$COPY_MS" "${I_WALL[xlsx-new]}")"
echo "read time (rows read and checked, overlapping the COPY of new rows): xlsx / csv $(ratio "${I_READ[xlsx]}" "${I_READ[csv-again]}"), Shift_JIS / UTF-8 $(ratio "${I_READ[sjis]}" "${I_READ[csv-again]}")"
echo
for n in "${IMPORTS[@]}"; do
  echo "statements of import $n taking ≥ ${BENCH_PG_SLOW_MS:-50} ms (PostgreSQL log; ms, statement):"
  printf '%s\n' "${I_STATEMENTS[$n]:-  (none)}"
done
echo
if [ -n "$HTTP_NOTE" ]; then
  echo "$HTTP_NOTE"
else
  echo "List page on $DEMO_ASSETS devices — wrk -t$THREADS -c$CONNS --timeout $TIMEOUT, -d$DURATION for /healthz and -d$LIST_DURATION for the list (warm-up $WARMUP each), loopback, signed in as $USER_EMAIL"
  echo
  echo "| endpoint | one request alone, ms | requests | req/s | p50 ms | p99 ms | bytes/resp | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for n in healthz list sorted search narrow findings dashboard; do
    case $n in healthz) p="GET /healthz";; list) p="GET $LIST (default sort, page 1)";; sorted) p="GET $SORTED";;
      search) p="GET $SEARCH (matches every row)";; narrow) p="GET $NARROW (20 rows)";;
      findings) p="GET $FINDINGS (20 per kind; cached)";; dashboard) p="GET $DASHBOARD (findings cached)";; esac
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$p" "${SINGLE[$n]}" "${REQS[$n]}" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}" "${BPR[$n]}" "${ERRS[$n]}"
  done
  echo
  echo "findings, first view after the imports (evaluates all $DEMO_ASSETS devices): $FINDINGS_FIRST_MS ms"
  for n in list sorted search narrow findings dashboard; do
    printf '%-9s / healthz throughput: %s   p99: %s\n' "$n" "$(ratio "${RPS[$n]}" "${RPS[healthz]}")" "$(ratio "${P99[$n]}" "${P99[healthz]}")"
  done
fi
