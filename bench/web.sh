#!/usr/bin/env bash
# Measures the web pages under load: requests/s and p50/p99 latency of a region page with 50
# concurrent clients (wrk, 2 threads) against 127.0.0.1, on SQLite and on PostgreSQL. The
# stylesheet (no database work) is measured in the same run as the peer: the region page's
# figures read best as a ratio to it, since this 2-core machine shares its cores between
# wrk, the server and the database.
#
#   bench/web.sh [SECONDS]        (default 10 s per measurement)
#
# Needs: wrk (apt-get install wrk), the release binary (cargo build --release -p
# planwatch-cli, or PLANWATCH_BIN), and for PostgreSQL the local server on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs="${1:-10}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
work="$(mktemp -d)"
server=""
pgdb="planwatch_bench_$$"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts `planwatch serve --db $1` and waits for it.
start() {
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

# Prints "req/s p50 p99" for URL $1.
measure() {
  wrk -H "Authorization: Bearer $token" -t2 -c50 -d"${secs}s" --latency "$1" >"$work/wrk.txt"
  cp "$work/wrk.txt" "${TMPDIR:-/tmp}/planwatch-wrk-last.txt"
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s|m)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"50%\s+(\S+)", text).group(1))
p99 = ms(re.search(r"99%\s+(\S+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors.group(1) if errors else 0}")
PY
}

run_one() { # name db-url
  local name="$1" url="$2"
  "$bin" plan import --db "$url" assets/plans/*.txt >/dev/null
  start "$url"
  local region
  region="$(curl -s -H "Authorization: Bearer $token" "$base/" | grep -o 'href="/regions/[0-9]*">连平县' | grep -o '/regions/[0-9]*' | head -n1)"
  [ -n "$region" ] || { echo "no region link on $base/" >&2; exit 1; }
  read -r rps p50 p99 err < <(measure "$base$region")
  read -r srps sp50 sp99 serr < <(measure "$base/static/style.css")
  stop
  printf '| %s | region page %s | %s | %s | %s | %s |\n' "$name" "$region" "$rps" "$p50" "$p99" "$err"
  printf '| %s | stylesheet (peer) | %s | %s | %s | %s |\n' "$name" "$srps" "$sp50" "$sp99" "$serr"
  python3 -c 'import sys; print(f"| {sys.argv[1]} | region page ÷ stylesheet (ratio) | {int(sys.argv[2]) / int(sys.argv[3]):.3f} | | | |")' "$name" "$rps" "$srps"
}

echo "wrk -t2 -c50 -d${secs}s against 127.0.0.1; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| database | URL | requests/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|---|"
run_one SQLite "sqlite://$work/planwatch.db"
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
run_one PostgreSQL "postgres://postgres@127.0.0.1:5432/$pgdb"
