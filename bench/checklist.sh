#!/usr/bin/env bash
# Mamori checklist benchmark — the checklist sheet page and the inspection pack for a site with 50 evidence files.
#
#   bench/checklist.sh
#
# 1. writes 50 deterministic "PDF" files (a %PDF-1.4 header, then seeded random bytes; 200 KB–2 MB each);
# 2. starts `./mamori start --demo` on a free loopback port with a throw-away data folder (its own PostgreSQL);
# 3. signs in as admin@demo.example, finds the demo's checklist on /o/demo/checklists and attaches the 50 files to
#    its items through the real evidence form (multipart POST ?handler=Evidence&node=…, each must answer 302);
# 4. wrk against GET /healthz and GET the sheet page (signed in), in the same run;
# 5. times GET ?handler=Pack (xlsx + PDF by headless chromium + ZIP of every evidence file with a SHA-256 manifest),
#    ?handler=Pdf and ?handler=Xlsx alone (sequential curls, median), against a baseline measured in the same run:
#    `zip -q` of the same 50 files from disk plus `sha256sum` of them; verifies the pack's content and manifest;
# and prints Markdown tables and ratios. The server is stopped and the data folder removed on exit, whatever happens.
#
# Knobs (environment): BENCH_FILES (50), BENCH_MIN_KB (200), BENCH_MAX_KB (2048), BENCH_SEED (4),
#   BENCH_RUNS (5: sequential runs per export and for the baseline, the median counts), BENCH_THREADS (2),
#   BENCH_CONNECTIONS (16), BENCH_DURATION (10s, each wrk run), BENCH_WARMUP (3s), BENCH_TIMEOUT (30s, wrk's
#   per-request timeout), BENCH_USER (admin@demo.example), BENCH_START_TIMEOUT (300 seconds, includes a Release build
#   if one is due).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
NFILES="${BENCH_FILES:-50}"
MIN_KB="${BENCH_MIN_KB:-200}"
MAX_KB="${BENCH_MAX_KB:-2048}"
SEED="${BENCH_SEED:-4}"
RUNS="${BENCH_RUNS:-5}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-16}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-3s}"
TIMEOUT="${BENCH_TIMEOUT:-30s}"
USER_EMAIL="${BENCH_USER:-admin@demo.example}"
PASSWORD="mamori-demo-2026"
START_TIMEOUT="${BENCH_START_TIMEOUT:-300}"


# ---------------------------------------------------------------- tools
install_missing wrk:wrk curl:curl python3:python3 zip:zip unzip:unzip
# chromium is not installed here (./mamori test installs it): without it the pack holds PDF-なし.txt, which is reported.
CHROMIUM="$(for p in "${MAMORI_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do [ -n "$p" ] && [ -f "$p" ] && { echo "$p"; break; }; done || true)"

# ---------------------------------------------------------------- temp folder, cleanup
DATA="$(mktemp -d /tmp/mamori-checklist-XXXX)"
# The private cluster runs as the 'postgres' user when we are root: it must be able to enter this folder.
chmod 755 "$DATA"
LOG="$DATA/server.log"
JAR="$DATA/cookies.txt"
FILES="$DATA/files"
OUT="$DATA/out"
mkdir -p "$OUT"
SERVER_PID=""


ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "n/a") }'; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. files
say "generating $NFILES evidence files of ${MIN_KB}–${MAX_KB} KB (seed $SEED) in $FILES"
python3 - "$FILES" "$NFILES" "$MIN_KB" "$MAX_KB" "$SEED" <<'PY'
import os, random, sys
out, n, lo, hi, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
os.makedirs(out, exist_ok=True)
rng = random.Random(seed)
for i in range(1, n + 1):
    size = rng.randint(lo * 1024, hi * 1024)
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    tail = b"\n%%EOF\n"
    # Random bytes: scanned paper (the usual evidence) is already-compressed image data, so deflate gains nothing.
    body = rng.randbytes(size - len(head) - len(tail))
    with open(os.path.join(out, f"evidence-{i:02d}.pdf"), "wb") as f:
        f.write(head + body + tail)
PY
FILE_LIST=("$FILES"/evidence-*.pdf)
[ "${#FILE_LIST[@]}" -eq "$NFILES" ] || die "generated ${#FILE_LIST[@]} files, not $NFILES"
TOTAL_BYTES="$(cat "${FILE_LIST[@]}" | wc -c)"
say "generated ${#FILE_LIST[@]} files, $(mib "$TOTAL_BYTES") MiB in all"

# ---------------------------------------------------------------- 2. start
start_demo_server
# `./mamori start` execs dotnet, so $SERVER_PID is the server process itself: its peak RSS is in /proc.
rss_peak() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "n/a"; }
rss_now()  { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "n/a"; }

# ---------------------------------------------------------------- 3. sign in, find the sheet, attach the files
rm -f "$JAR"
curl -s -c "$JAR" -b "$JAR" -o "$DATA/login.html" "$BASE/account/login"
csrf_of() { grep -o '<input[^>]*name="__csrf"[^>]*>' "$1" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
CSRF="$(csrf_of "$DATA/login.html")"
[ -n "$CSRF" ] || die "no __csrf token in the sign-in page"
code="$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' \
  --data-urlencode "Email=$USER_EMAIL" --data-urlencode "Password=$PASSWORD" --data-urlencode "__csrf=$CSRF" "$BASE/account/login")"
[ "$code" = "302" ] || die "sign-in as $USER_EMAIL answered $code, not 302"
grep -q $'\tmamori' "$JAR" || die "sign-in set no 'mamori' cookie"
say "signed in as $USER_EMAIL"

code="$(curl -s -c "$JAR" -b "$JAR" -o "$DATA/list.html" -w '%{http_code}' "$BASE/o/demo/checklists")"
[ "$code" = "200" ] || die "GET /o/demo/checklists answered $code, not 200"
SHEET="$(grep -oE '/o/demo/checklists/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}' "$DATA/list.html" | head -1)"
[ -n "$SHEET" ] || die "no checklist link (/o/demo/checklists/<guid>) on /o/demo/checklists"
say "sheet: $SHEET"

code="$(curl -s -c "$JAR" -b "$JAR" -o "$DATA/sheet.html" -w '%{http_code}' "$BASE$SHEET")"
[ "$code" = "200" ] || die "GET $SHEET answered $code, not 200"
grep -q 'id="progress"' "$DATA/sheet.html" || die "GET $SHEET is not the sheet page (no id=\"progress\")"
ITEMS="$(grep -o 'id="item-[^"]*"' "$DATA/sheet.html" | wc -l)"
# The evidence forms' actions, as the page writes them (…?handler=Evidence&amp;node=…), unescaped.
mapfile -t ACTIONS < <(grep -o '<form[^>]*handler=Evidence[^>]*>' "$DATA/sheet.html" | sed -n 's/.*action="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')
((${#ACTIONS[@]})) || die "the sheet shows no evidence form (is $USER_EMAIL an editor? is the sheet closed?)"
EVIDENCE_BEFORE="$(grep -o 'handler=File&amp;evidence=' "$DATA/sheet.html" | wc -l)"
SHEET_BYTES_BEFORE="$(stat -c %s "$DATA/sheet.html")"
say "$ITEMS items, ${#ACTIONS[@]} with an evidence form, $EVIDENCE_BEFORE evidence files already attached (demo data)"

CSRF="$(csrf_of "$DATA/sheet.html")"
[ -n "$CSRF" ] || die "no __csrf token in the sheet page"
UPLOAD_TIMES=()
USED_ITEMS=()
declare -A SEEN_ITEM
i=0
for f in "${FILE_LIST[@]}"; do
  # Spread the files over the items in page order, wrapping round when there are fewer items than files.
  action="${ACTIONS[$(( i * ${#ACTIONS[@]} / NFILES % ${#ACTIONS[@]} ))]}"
  i=$((i + 1))
  out="$(curl -s -c "$JAR" -b "$JAR" -o "$DATA/upload.html" -w '%{http_code} %{time_total}' \
    -F "__csrf=$CSRF" -F "file=@$f;type=application/pdf" "$BASE$action")"
  code="${out% *}"
  if [ "$code" != "302" ]; then
    grep -o '<ul class="error item-errors">.*</ul>' "$DATA/upload.html" | head -3 >&2 || true
    die "upload of $(basename "$f") to $action answered $code, not 302"
  fi
  UPLOAD_TIMES+=("$(awk -v s="${out#* }" 'BEGIN { printf "%.1f", s * 1000 }')")
  node="${action##*node=}"
  [ -n "${SEEN_ITEM[$node]:-}" ] || { SEEN_ITEM[$node]=1; USED_ITEMS+=("$node"); }
done
UPLOAD_MEDIAN="$(printf '%s\n' "${UPLOAD_TIMES[@]}" | median)"
UPLOAD_TOTAL="$(printf '%s\n' "${UPLOAD_TIMES[@]}" | awk '{ s += $1 } END { printf "%.0f", s }')"
say "attached $NFILES files to ${#USED_ITEMS[@]} items: every upload answered 302 (median ${UPLOAD_MEDIAN} ms, ${UPLOAD_TOTAL} ms in all)"

# The sheet after the uploads: 200, the real page, and it lists the new files.
COOKIE="$(awk -F'\t' '/^#HttpOnly_/ { sub(/^#HttpOnly_/, "") } /^#/ || NF < 7 { next } { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$JAR")"
check_sheet() {
  local out code
  out="$(curl -s -o "$DATA/sheet.html" -w '%{http_code} %{size_download}' -H "Cookie: $COOKIE" "$BASE$SHEET")"
  code="${out% *}"; SHEET_SIZE="${out#* }"
  [ "$code" = "200" ] || die "GET $SHEET answered $code, not 200"
  grep -q 'id="progress"' "$DATA/sheet.html" || die "GET $SHEET answered 200 but is not the sheet page (no id=\"progress\")"
}
check_sheet
EVIDENCE_AFTER="$(grep -o 'handler=File&amp;evidence=' "$DATA/sheet.html" | wc -l)"
[ "$EVIDENCE_AFTER" -eq $((EVIDENCE_BEFORE + NFILES)) ] || die "the sheet lists $EVIDENCE_AFTER evidence files, expected $((EVIDENCE_BEFORE + NFILES))"
say "sheet now lists $EVIDENCE_AFTER evidence files; $SHEET_SIZE bytes (was $SHEET_BYTES_BEFORE)"

# ---------------------------------------------------------------- 4. wrk: /healthz and the sheet page
# What one person waits for: sequential requests, no concurrency (median of 5 after one warm-up, curl time_total).
single() { for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$BASE$1"; done \
  | tail -5 | median | awk '{ printf "%.1f", $1 * 1000 }'; }
declare -A SINGLE
SINGLE[healthz]="$(single /healthz)"
SINGLE[sheet]="$(single "$SHEET")"
run_wrk healthz "$DURATION" /healthz
run_wrk sheet "$DURATION" "$SHEET" -H "Cookie: $COOKIE"
check_sheet
[ "${BPR[sheet]}" -ge $((SHEET_SIZE / 2)) ] || die "the sheet run averaged ${BPR[sheet]} bytes per response: some answers were not the sheet page"
for n in healthz sheet; do
  [ "${NON2XX[$n]}" -eq 0 ] || { cat "$DATA/wrk-$n.txt" >&2; die "$n: ${NON2XX[$n]} responses were not 2xx/3xx"; }
  [ "${ERRS[$n]}" -eq 0 ] || say "warning: $n had ${ERRS[$n]} socket errors (connect/read/write/timeout)"
done

# ---------------------------------------------------------------- 5. exports, and the zip + sha256sum baseline
RSS_BEFORE_EXPORTS="$(rss_now)"; HWM_BEFORE_EXPORTS="$(rss_peak)"
declare -A X_COLD X_MED X_ALL X_SIZE X_TYPE
export_runs() { # name handler expected-content-type-prefix
  local name="$1" url="$BASE$SHEET?handler=$2" out code t size type times=()
  for run in $(seq 0 "$RUNS"); do # run 0 is the first request of its kind (cold): reported, not in the median
    out="$(curl -s -o "$OUT/$name.bin" -w '%{http_code} %{time_total} %{size_download} %{content_type}' --max-time 300 -H "Cookie: $COOKIE" "$url")"
    read -r code t size type <<<"$out"
    [ "$code" = "200" ] || die "GET ?handler=$2 answered $code, not 200"
    if [ "$run" -eq 0 ]; then X_COLD[$name]="$(awk -v s="$t" 'BEGIN { printf "%.0f", s * 1000 }')"
    else times+=("$(awk -v s="$t" 'BEGIN { printf "%.0f", s * 1000 }')"); fi
  done
  X_ALL[$name]="$(IFS=/; echo "${times[*]}")"
  X_MED[$name]="$(printf '%s\n' "${times[@]}" | median)"
  X_SIZE[$name]="$size"; X_TYPE[$name]="$type"
  say "$name: first ${X_COLD[$name]} ms, then ${X_ALL[$name]} ms (median ${X_MED[$name]}), $size bytes, $type"
  case "$type" in "$3"*) ;; *) [ "$name" = "pdf" ] || die "GET ?handler=$2 answered $type, not $3" ;; esac
}
export_runs xlsx Xlsx "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
head -c 2 "$OUT/xlsx.bin" | grep -q '^PK' || die "the xlsx export is not a ZIP container"
export_runs pdf Pdf "application/pdf"
PDF_NOTE=""
if head -c 5 "$OUT/pdf.bin" | grep -q '^%PDF-'; then :
else PDF_NOTE="?handler=Pdf answered ${X_TYPE[pdf]} without a PDF: chromium is missing on this machine, the PDF times are not a PDF"; say "$PDF_NOTE"; fi
export_runs pack Pack "application/zip"
RSS_PEAK="$(rss_peak)"

# Verify the last pack: our files under evidence/, MANIFEST.csv, sign-off.json, the sheet as .xlsx and .pdf.
unzip -Z1 "$OUT/pack.bin" >"$DATA/pack-list.txt" || die "the pack is not a readable ZIP"
unzip -l "$OUT/pack.bin" >"$DATA/pack-l.txt"
PACK_ENTRIES="$(wc -l <"$DATA/pack-list.txt")"
PACK_OURS="$(grep -cE '^evidence/.+/evidence-[0-9]+\.pdf$' "$DATA/pack-list.txt" || true)"
PACK_EVIDENCE="$(grep -c '^evidence/' "$DATA/pack-list.txt" || true)"
[ "$PACK_OURS" -eq "$NFILES" ] || die "the pack holds $PACK_OURS of our files under evidence/, not $NFILES"
grep -qx 'MANIFEST.csv' "$DATA/pack-list.txt" || die "no MANIFEST.csv in the pack"
grep -qx 'sign-off.json' "$DATA/pack-list.txt" || die "no sign-off.json in the pack"
grep -qE '^[^/]+\.xlsx$' "$DATA/pack-list.txt" || die "no .xlsx of the sheet in the pack"
if grep -qE '^[^/]+\.pdf$' "$DATA/pack-list.txt"; then PACK_PDF="yes"
elif grep -qE '^PDF-.*\.txt$' "$DATA/pack-list.txt"; then PACK_PDF="no (PDF-なし.txt: chromium was missing)"
else die "the pack holds neither a .pdf of the sheet nor PDF-なし.txt"; fi
# Every manifest line matches its entry (size and SHA-256), every entry is in the manifest, and our 50 files are in
# the pack byte for byte.
MANIFEST_CHECK="$(python3 - "$OUT/pack.bin" "${FILE_LIST[@]}" <<'PY'
import csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
rows = list(csv.reader(io.StringIO(z.read("MANIFEST.csv").decode("utf-8-sig"))))[1:]
listed = {r[0].lstrip("'") for r in rows}
bad = [r[0] for r in rows if r[0].lstrip("'") not in names
       or len(z.read(r[0].lstrip("'"))) != int(r[1]) or hashlib.sha256(z.read(r[0].lstrip("'"))).hexdigest() != r[2]]
missing = sorted(names - listed - {"MANIFEST.csv"})
packed = {hashlib.sha256(z.read(n)).hexdigest() for n in names if n.startswith("evidence/")}
absent = [p for p in sys.argv[2:] if hashlib.sha256(open(p, "rb").read()).hexdigest() not in packed]
print(f"{len(rows)} {len(bad)} {len(missing)} {len(absent)}")
PY
)"
read -r M_ROWS M_BAD M_MISSING M_ABSENT <<<"$MANIFEST_CHECK"
[ "$M_BAD" = "0" ] && [ "$M_MISSING" = "0" ] || die "MANIFEST.csv: $M_BAD lines do not match their entry, $M_MISSING entries are not listed"
[ "$M_ABSENT" = "0" ] || die "$M_ABSENT of our files are not in the pack byte for byte"
say "pack verified: $PACK_ENTRIES entries, $PACK_EVIDENCE under evidence/ ($PACK_OURS ours), MANIFEST.csv ($M_ROWS lines, all sizes and SHA-256 match), sign-off.json, .xlsx, PDF: $PACK_PDF"

# Baseline: what the pack's evidence part costs with standard tools on the same files from disk (page cache warm):
# `zip -q` (deflate, level 6) + `sha256sum`. Shown next to it, not used in the ratios: the same with `zip -0` (stored,
# no compression) — the floor if already-compressed evidence (PDF, JPEG, PNG, Office) were stored, not deflated.
declare -A B_ALL B_MED B_SIZE
baseline_runs() { # name zip-option
  local times=() t0 t1
  cd "$FILES"
  for run in $(seq 0 "$RUNS"); do # run 0 warms the page cache: not counted
    rm -f "$DATA/baseline-$1.zip"
    t0=$(date +%s%N)
    zip -q $2 "$DATA/baseline-$1.zip" evidence-*.pdf
    sha256sum evidence-*.pdf >"$DATA/baseline.sha256"
    t1=$(date +%s%N)
    [ "$run" -eq 0 ] || times+=("$(( (t1 - t0) / 1000000 ))")
  done
  cd "$ROOT"
  B_ALL[$1]="$(IFS=/; echo "${times[*]}")"
  B_MED[$1]="$(printf '%s\n' "${times[@]}" | median)"
  B_SIZE[$1]="$(stat -c %s "$DATA/baseline-$1.zip")"
  [ "$(unzip -Z1 "$DATA/baseline-$1.zip" | wc -l)" -eq "$NFILES" ] || die "the baseline zip does not hold $NFILES files"
  say "baseline zip -q $2 + sha256sum: ${B_ALL[$1]} ms (median ${B_MED[$1]}), ${B_SIZE[$1]} bytes"
}
baseline_runs deflate ""
baseline_runs stored -0
BASE_MED="${B_MED[deflate]}"; BASE_SIZE="${B_SIZE[deflate]}"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
echo
echo "Mamori checklist benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, chromium: ${CHROMIUM:-none}"
echo "load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
echo "sheet $SHEET: $ITEMS items, ${#ACTIONS[@]} with an evidence form; $NFILES files attached to ${#USED_ITEMS[@]} items ($(mib "$TOTAL_BYTES") MiB, ${MIN_KB}–${MAX_KB} KB each, %PDF-1.4 + seeded random bytes) + $EVIDENCE_BEFORE demo file"
echo "uploads (multipart POST ?handler=Evidence, each 302): median ${UPLOAD_MEDIAN} ms, ${UPLOAD_TOTAL} ms for all $NFILES"
echo
echo "Pages — wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency (warm-up $WARMUP), loopback, signed in as $USER_EMAIL"
echo
echo "| endpoint | one request alone, ms | requests | req/s | p50 ms | p99 ms | bytes/resp | socket errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '| GET /healthz | %s | %s | %s | %s | %s | %s | %s |\n' "${SINGLE[healthz]}" "${REQS[healthz]}" "${RPS[healthz]}" "${P50[healthz]}" "${P99[healthz]}" "${BPR[healthz]}" "${ERRS[healthz]}"
printf '| GET sheet (%s items, %s evidence files) | %s | %s | %s | %s | %s | %s | %s |\n' "$ITEMS" "$EVIDENCE_AFTER" "${SINGLE[sheet]}" "${REQS[sheet]}" "${RPS[sheet]}" "${P50[sheet]}" "${P99[sheet]}" "${BPR[sheet]}" "${ERRS[sheet]}"
echo
echo "sheet / healthz throughput: $(ratio "${RPS[sheet]}" "${RPS[healthz]}")   p50: $(ratio "${P50[sheet]}" "${P50[healthz]}")   p99: $(ratio "${P99[sheet]}" "${P99[healthz]}")"
echo
echo "Exports — sequential curls; the first request of each kind is shown apart, then the median of $RUNS"
echo
echo "| what | first request, ms | runs, ms | median ms | bytes |"
echo "| --- | ---: | --- | ---: | ---: |"
printf '| **baseline**: zip -q + sha256sum of the %s files from disk | – | %s | %s | %s |\n' "$NFILES" "${B_ALL[deflate]}" "${B_MED[deflate]}" "${B_SIZE[deflate]}"
printf '| (for reference) zip -q -0 (stored) + sha256sum | – | %s | %s | %s |\n' "${B_ALL[stored]}" "${B_MED[stored]}" "${B_SIZE[stored]}"
printf '| GET ?handler=Xlsx | %s | %s | %s | %s |\n' "${X_COLD[xlsx]}" "${X_ALL[xlsx]}" "${X_MED[xlsx]}" "${X_SIZE[xlsx]}"
printf '| GET ?handler=Pdf%s | %s | %s | %s | %s |\n' "$([ -n "$PDF_NOTE" ] && echo ' (no chromium: not a PDF)')" "${X_COLD[pdf]}" "${X_ALL[pdf]}" "${X_MED[pdf]}" "${X_SIZE[pdf]}"
printf '| GET ?handler=Pack (xlsx + PDF + %s evidence files + manifest) | %s | %s | %s | %s |\n' "$PACK_EVIDENCE" "${X_COLD[pack]}" "${X_ALL[pack]}" "${X_MED[pack]}" "${X_SIZE[pack]}"
echo
echo "pack / baseline time: $(ratio "${X_MED[pack]}" "$BASE_MED")   pack size / baseline zip size: $(ratio "${X_SIZE[pack]}" "$BASE_SIZE")"
echo "PDF share of the pack (Pdf median / Pack median): $(ratio "${X_MED[pdf]}" "${X_MED[pack]}")   xlsx share: $(ratio "${X_MED[xlsx]}" "${X_MED[pack]}")"
echo "pack minus PDF minus xlsx / baseline: $(awk -v p="${X_MED[pack]}" -v d="${X_MED[pdf]}" -v x="${X_MED[xlsx]}" -v b="$BASE_MED" 'BEGIN { printf (b > 0 ? "%.3f" : "n/a"), (p - d - x) / b }')"
echo "pack: $PACK_ENTRIES entries — $PACK_EVIDENCE under evidence/ ($PACK_OURS of ours, all byte for byte), MANIFEST.csv ($M_ROWS lines, sizes and SHA-256 all match), sign-off.json, .xlsx; PDF of the sheet: $PACK_PDF"
echo "server RSS: $RSS_BEFORE_EXPORTS MiB just before the exports (peak so far $HWM_BEFORE_EXPORTS MiB: start-up, uploads, wrk); peak after the exports $RSS_PEAK MiB (VmHWM)"
[ -z "$PDF_NOTE" ] || echo "$PDF_NOTE"
