#!/usr/bin/env bash
# Mamori HTTP benchmark — one run, one server, three endpoints, ratios measured in the same run.
#
#   bench/run.sh
#
# Starts `./mamori start --demo` on a free loopback port with a throw-away data folder (its own private
# PostgreSQL cluster), signs in as a demo user, and runs wrk against
#   (a) GET /healthz         — bare endpoint: routing + one database round trip
#   (b) GET /account/login   — anonymous Razor page (layout, antiforgery token, localisation)
#   (c) GET /o/demo          — signed-in dashboard: cookie auth, tenant check, five COUNT queries, Razor page
# and prints requests/s and p99 latency for each, plus the ratios dashboard/healthz.
# The server is stopped and the data folder removed on exit, whatever happens.
#
# Knobs (environment): BENCH_THREADS (2), BENCH_CONNECTIONS (16), BENCH_DURATION (10s), BENCH_WARMUP (3s),
#   BENCH_USER (executive@demo.example), BENCH_START_TIMEOUT (300 seconds, includes a Release build if one is due).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-16}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-3s}"
USER_EMAIL="${BENCH_USER:-executive@demo.example}"
PASSWORD="mamori-demo-2026"
START_TIMEOUT="${BENCH_START_TIMEOUT:-300}"


# ---------------------------------------------------------------- tools
install_missing wrk:wrk curl:curl

# ---------------------------------------------------------------- temp folder, cleanup
DATA="$(mktemp -d /tmp/mamori-bench-XXXX)"
# The private cluster runs as the 'postgres' user when we are root: it must be able to enter this folder.
chmod 755 "$DATA"
LOG="$DATA/server.log"
JAR="$DATA/cookies.txt"
SERVER_PID=""


# ---------------------------------------------------------------- start
start_demo_server
say "healthz: $(curl -s "$BASE/healthz")"

# ---------------------------------------------------------------- sign in
curl -s -c "$JAR" -b "$JAR" -o "$DATA/login.html" "$BASE/account/login"
CSRF="$(grep -o '<input[^>]*name="__csrf"[^>]*>' "$DATA/login.html" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p')"
[ -n "$CSRF" ] || die "no __csrf token in the sign-in page"
code="$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' \
  --data-urlencode "Email=$USER_EMAIL" --data-urlencode "Password=$PASSWORD" --data-urlencode "__csrf=$CSRF" \
  "$BASE/account/login")"
[ "$code" = "302" ] || die "sign-in as $USER_EMAIL answered $code, not 302"
grep -q $'\tmamori' "$JAR" || die "sign-in set no 'mamori' cookie"
# Every cookie in the jar (the auth cookie may be split into chunks), as one Cookie header.
COOKIE="$(awk -F'\t' '/^#HttpOnly_/ { sub(/^#HttpOnly_/, "") } /^#/ || NF < 7 { next } { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$JAR")"
say "signed in as $USER_EMAIL"

# The dashboard must be the real page (200 with its counters), not a redirect to the sign-in page.
check_dashboard() {
  local out code size
  out="$(curl -s -o "$DATA/dash.html" -w '%{http_code} %{size_download}' -H "Cookie: $COOKIE" "$BASE/o/demo")"
  code="${out% *}"; size="${out#* }"
  [ "$code" = "200" ] || die "GET /o/demo with the session cookie answered $code ($1), not 200 — the session is not accepted"
  grep -q 'id="count-members"' "$DATA/dash.html" || die "GET /o/demo answered 200 but is not the dashboard ($1)"
  echo "$size"
}
DASH_BODY_BYTES="$(check_dashboard "before the run")"
say "GET /o/demo → 200, dashboard body $DASH_BODY_BYTES bytes"

# ---------------------------------------------------------------- measure


LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk healthz   "$DURATION" /healthz
run_wrk login     "$DURATION" /account/login
run_wrk dashboard "$DURATION" /o/demo -H "Cookie: $COOKIE"
# Catalogue: search over all 14 editions (二要素, URL-encoded) and the largest diff (GL 6.0 → 7.0, every node).
SEARCH_PATH="/o/demo/catalog/search?q=%E4%BA%8C%E8%A6%81%E7%B4%A0"
DIFF_PATH="/o/demo/catalog/diff?from=mhlw-guideline-6.0&to=mhlw-guideline-7.0&all=true"
[ "$(curl -s -o "$DATA/search.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$SEARCH_PATH")" = "200" ] && grep -q 'id="results"' "$DATA/search.html" \
  || die "catalogue search did not answer 200 with results"
run_wrk search "$DURATION" "$SEARCH_PATH" -H "Cookie: $COOKIE"
run_wrk diff "$DURATION" "$DIFF_PATH" -H "Cookie: $COOKIE"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# wrk counts a 302 as success, so check the run really served dashboards: once more with curl, and the
# average bytes per response must be at least the dashboard body (a redirect to sign-in is a few hundred bytes).
check_dashboard "after the run" >/dev/null
if [ "${BPR[dashboard]}" -lt "$DASH_BODY_BYTES" ]; then
  die "the dashboard run averaged ${BPR[dashboard]} bytes per response, less than the ${DASH_BODY_BYTES}-byte page: some answers were not the dashboard"
fi
for n in healthz login dashboard search diff; do
  [ "${NON2XX[$n]}" -eq 0 ] || { cat "$DATA/wrk-$n.txt" >&2; die "$n: ${NON2XX[$n]} responses were not 2xx/3xx"; }
  [ "${ERRS[$n]}" -eq 0 ] || say "warning: $n had ${ERRS[$n]} socket errors (connect/read/write/timeout)"
done

# ---------------------------------------------------------------- report
echo
echo "Mamori benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk -t$THREADS -c$CONNS -d$DURATION (warm-up $WARMUP), loopback"
echo "load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
echo
echo "| endpoint | requests | req/s | p50 ms | p99 ms | bytes/resp | socket errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in healthz login dashboard search diff; do
  case $n in healthz) p="GET /healthz";; login) p="GET /account/login";; dashboard) p="GET /o/demo (signed in)";;
    search) p="GET catalogue search 二要素";; diff) p="GET catalogue diff 6.0→7.0 (all nodes)";; esac
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$p" "${REQS[$n]}" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}" "${BPR[$n]}" "${ERRS[$n]}"
done
echo
echo "dashboard/healthz throughput (req/s): $(ratio "${RPS[dashboard]}" "${RPS[healthz]}")"
echo "dashboard/healthz p99 latency:        $(ratio "${P99[dashboard]}" "${P99[healthz]}")"
echo "login/healthz throughput (req/s):     $(ratio "${RPS[login]}" "${RPS[healthz]}")"
echo "login/healthz p99 latency:            $(ratio "${P99[login]}" "${P99[healthz]}")"
echo "search/healthz throughput (req/s):    $(ratio "${RPS[search]}" "${RPS[healthz]}")"
echo "search/healthz p99 latency:           $(ratio "${P99[search]}" "${P99[healthz]}")"
echo "diff/healthz throughput (req/s):      $(ratio "${RPS[diff]}" "${RPS[healthz]}")"
