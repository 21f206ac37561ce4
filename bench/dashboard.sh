#!/usr/bin/env bash
# Measures the dashboard of one county (连平县: 85 targets, ~600 reported values 2016–2024
# from `planwatch demo --load-only`) on SQLite and on PostgreSQL:
#  - one client (wrk -t1 -c1): the time a person waits for a page, server and loopback;
#  - 50 concurrent clients (wrk -t2 -c50): requests/s and latency under load.
# Pages: the overview (/regions/ID/dashboard?year=2024), its JSON twin, one indicator page,
# the region page, and the stylesheet (no database work) as the peer of the same run.
#
#   bench/dashboard.sh [SECONDS]        (default 5 s per measurement)
#
# Needs: wrk (apt-get install wrk), the release binary (cargo build --release -p
# planwatch-cli, or PLANWATCH_BIN), and for PostgreSQL the local server on 127.0.0.1:5432.
# PostgreSQL gets the same plans (plan import) and the same values (data export
# --include-demo from the SQLite run, then data import).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs="${1:-5}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
work="$(mktemp -d)"
server=""
pgdb="planwatch_dash_bench_$$"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # db-url
  local port; port="$(free_port)"
  token="$(bench_token "$bin" "$1")"
  "$bin" serve --db "$1" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    grep -q "http://" "$work/serve.log" && break
    sleep 0.1
  done
  base="http://127.0.0.1:$port"
}

stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }

# Prints "req/s mean p50 p99 non2xx" for URL $1 with $2 connections.
measure() {
  local c="$2" t=2
  [ "$c" = 1 ] && t=1
  wrk -H "Authorization: Bearer $token" -t"$t" -c"$c" -d"${secs}s" --latency "$1" >"$work/wrk.txt"
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
T = r"([\d.]+)(us|ms|s|m)\b"
def ms(pattern):
    m = re.search(pattern + T, text)
    if not m:
        sys.exit("cannot read wrk's output:\n" + text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
mean = ms(r"Latency\s+")
p50 = ms(r"50%\s+")
p99 = ms(r"99%\s+")
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {mean:.2f} {p50:.2f} {p99:.2f} {errors.group(1) if errors else 0}")
PY
}

run_one() { # name db-url
  local name="$1" url="$2"
  start "$url"
  local region
  region="$(curl -s -H "Authorization: Bearer $token" "$base/" | grep -o 'href="/regions/[0-9]*">连平县' | grep -o '/regions/[0-9]*' | head -n1)"
  [ -n "$region" ] || { echo "no region link on $base/" >&2; exit 1; }
  local dash="$region/dashboard?year=2024"
  local indicator
  indicator="$(curl -s -H "Authorization: Bearer $token" "$base$dash" | grep -o 'href="/regions/[0-9]*/indicators/[^"]*"' | sed -n '1{s/^href="//; s/"$//; p}')"
  [ -n "$indicator" ] || { echo "no indicator link on $base$dash" >&2; exit 1; }
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base$dash")"
  [ "$status" = 200 ] || { echo "$base$dash answered $status" >&2; exit 1; }
  for what in "overview|$dash" "overview JSON|/api${dash}" "indicator page|$indicator" "region page|$region" "stylesheet (peer)|/static/style.css"; do
    local label="${what%%|*}" path="${what#*|}"
    read -r rps mean p50 p99 err < <(measure "$base$path" 1)
    printf '| %s | %s | 1 | %s | %s | %s | %s | %s |\n' "$name" "$label" "$rps" "$mean" "$p50" "$p99" "$err"
  done
  read -r rps mean p50 p99 err < <(measure "$base$dash" 50)
  printf '| %s | %s | 50 | %s | %s | %s | %s | %s |\n' "$name" "overview" "$rps" "$mean" "$p50" "$p99" "$err"
  stop
}

echo "wrk -d${secs}s against 127.0.0.1; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| database | page | clients | requests/s | mean ms | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
PLANWATCH_DATA_DIR="$work/demo" "$bin" demo --load-only >/dev/null
run_one SQLite "sqlite://$work/demo/planwatch.db"

psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
pg="postgres://postgres@127.0.0.1:5432/$pgdb"
"$bin" plan import --db "$pg" assets/plans/*.txt >/dev/null
"$bin" data export --db "sqlite://$work/demo/planwatch.db" --include-demo 连平县 >"$work/lianping.csv"
"$bin" data import --db "$pg" --by bench --why "bench" "$work/lianping.csv" >/dev/null
run_one PostgreSQL "$pg"
