# Shared by the bench scripts: messages, ratios, wrk's units and runs, a free port, and the cleanup that stops the server
# and its private PostgreSQL and removes the data folder, whatever happens. Source it after ROOT is set;
# the caller sets DATA, LOG and SERVER_PID.
DATA="${DATA:-}"
LOG="${LOG:-}"
SERVER_PID="${SERVER_PID:-}"

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.3f" : "n/a"), a / b }'; }
install_missing() { # "command:package" … → apt-get installs the packages whose command (or /absolute/path) is missing
  local want need=() cmd
  for want in "$@"; do
    cmd="${want%%:*}"
    if [[ $cmd == /* ]]; then [ -x "$cmd" ] && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
    need+=("${want#*:}")
  done
  ((${#need[@]})) || return 0
  say "installing ${need[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
}
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
to_ms() { # wrk latency such as 812.00us, 12.34ms, 1.02s, 2.00m → milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}
to_bytes() { # wrk size such as 12.34MB → bytes
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576; else if (u == "GB") n *= 1073741824
    printf "%.0f", n }'
}

# wrk against one URL: warm-up, then a measured run whose figures go into these arrays under NAME (WARMUP, THREADS,
# CONNS, BASE and DATA come from the caller; TIMEOUT defaults to wrk's own 2 s).
declare -A RPS P50 P99 REQS ERRS NON2XX BPR
run_wrk() { # name duration path [header]
  local name="$1" duration="$2" path="$3" hdr=("${@:4}") out
  say "$name: warm-up $WARMUP"
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" --timeout "${TIMEOUT:-2s}" "${hdr[@]}" "$BASE$path" >/dev/null
  say "$name: measuring $duration (-t$THREADS -c$CONNS)"
  out="$(wrk -t"$THREADS" -c"$CONNS" -d"$duration" --timeout "${TIMEOUT:-2s}" --latency "${hdr[@]}" "$BASE$path")"
  printf '%s\n' "$out" >"$DATA/wrk-$name.txt"
  RPS[$name]="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  P50[$name]="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  P99[$name]="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  REQS[$name]="$(awk '/requests in/ { print $1 }' <<<"$out")"
  local read non2xx sock
  read="$(to_bytes "$(awk '/requests in/ { sub(/,$/, "", $4); print $5 }' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx/ { print $NF }' <<<"$out")"
  sock="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
  NON2XX[$name]=${non2xx:-0}
  ERRS[$name]=${sock:-0}
  [ -n "${RPS[$name]}" ] && [ "${REQS[$name]:-0}" -gt 0 ] || { printf '%s\n' "$out" >&2; die "could not read wrk's output for $name"; }
  BPR[$name]=$(( read / REQS[$name] ))
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    say "stopping the server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      say "server did not stop within 30 s; killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  # If the server died without stopping its PostgreSQL, stop that cluster (only ours: it lives in $DATA).
  if [ -f "$DATA/pg/data/postmaster.pid" ]; then
    local pgbin
    pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -n "$pgbin" ]; then
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$DATA/pg/data" -m immediate stop >/dev/null 2>&1 || true
      else "$pgbin/pg_ctl" -D "$DATA/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
    fi
  fi
  if [ "$rc" -ne 0 ] && [ -f "$LOG" ]; then
    say "server log (last 40 lines):"
    tail -n 40 "$LOG" >&2 || true
  fi
  rm -rf "$DATA"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts `./mamori start --demo` on a free loopback port with the data folder $DATA (log in $LOG) and waits for
# /healthz; sets PORT, BASE and SERVER_PID. START_TIMEOUT seconds at most (a Release build may be due).
start_demo_server() {
  PORT=""
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if port_free "$p"; then PORT=$p; break; fi
  done
  [ -n "$PORT" ] || die "no free port found"
  BASE="http://127.0.0.1:$PORT"
  say "starting Mamori on $BASE (data folder $DATA)"
  MAMORI_DATA="$DATA" "$ROOT/mamori" start --demo --urls "$BASE" >"$LOG" 2>&1 &
  SERVER_PID=$!
  local t0=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" 2>/dev/null)" = "200" ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up (see the log below)"
    ((SECONDS - t0 < ${START_TIMEOUT:-300})) || die "no 200 from /healthz within ${START_TIMEOUT:-300}s"
    sleep 0.5
  done
  say "healthy after $((SECONDS - t0)) s"
}
