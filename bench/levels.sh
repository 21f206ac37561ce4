#!/usr/bin/env bash
# The national scale of issue "one store": loads the synthetic national set (planwatch synth
# --db) of N regions, then measures
#   - evaluate --all (wall time and peak memory);
#   - every kind of page with one client (p50/p99 over repeated requests on one kept-alive
#     connection): the regions list, the national overview, a province's overview, one
#     indicator compared across every region and across a province, a county's dashboard
#     and its region page;
#   - a county's dashboard under 50 concurrent clients (wrk -t2 -c50): requests/s,
#     p50/p99, errors;
#   - the server's resident memory after that.
# Runs SQLite with 100 regions and PostgreSQL with 100, 1,000 and 3,000 (or the sizes
# given), so that the growth from 100 to 3,000 reads off the table.
#
#   bench/levels.sh [SECONDS] [SIZES...]   e.g. bench/levels.sh 10 sqlite:100 postgres:3000
#
# Needs: wrk and python3, the release binary (cargo build --release -p planwatch-cli, or
# PLANWATCH_BIN), and for PostgreSQL the local server on 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs="${1:-10}"
shift || true
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(sqlite:100 postgres:100 postgres:1000 postgres:3000)
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
work="$(mktemp -d)"
server=""
pgdb=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$pgdb" ] && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

printf '| database | regions | load | evaluate --all | its peak RSS | page | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|\n' >"$work/pages.md"
printf '| database | regions | dashboard req/s (50 clients) | p50 ms | p99 ms | errors | server RSS after |\n|---|---|---|---|---|---|---|\n' >"$work/load.md"

for size in "${sizes[@]}"; do
  kind="${size%%:*}"
  n="${size##*:}"
  if [ "$kind" = sqlite ]; then
    url="sqlite://$work/n$n.db"
  else
    pgdb="planwatch_levels_$$_$n"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
    url="postgres://postgres@127.0.0.1:5432/$pgdb"
  fi
  start=$(date +%s.%N)
  "$bin" synth --db "$url" --regions "$n" >/dev/null 2>&1
  load=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f} s')")
  [ "$kind" = postgres ] && psql -h 127.0.0.1 -U postgres -d "$pgdb" -qc "ANALYZE" >/dev/null
  /usr/bin/env time -f "%e %M" -o "$work/time.txt" "$bin" evaluate --all --year 2025 --db "$url" --out "$work/status.csv" 2>/dev/null
  read -r ev_secs ev_kb <"$work/time.txt"
  port="$(free_port)"
  token="$(bench_token "$bin" "$url")"
  RUST_LOG=warn "$bin" serve --db "$url" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -sf -H "Authorization: Bearer $token" "$base/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  python3 - "$base" "$kind" "$n" "$load" "$ev_secs" "$ev_kb" "$token" >>"$work/pages.md" 2>"$work/py.err" <<'PY' || { cat "$work/py.err" >&2; exit 1; }
import http.client, json, sys, time, urllib.parse
base, kind, n, load, ev_secs, ev_kb, token = sys.argv[1:]
host = urllib.parse.urlparse(base).netloc
conn = http.client.HTTPConnection(host, timeout=120)
def get(path):
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"{path}: {r.status}")
    return body
# The first request waits for the national view the server judges at start.
nation = json.loads(get("/api/overview"))
counties = [r for r in nation["regions"] if r["level"] == "county"]
county = counties[len(counties) // 2]
province = county["path"].split("/")[0]
# The province's id, from the county's breadcrumbs.
import re
html = get(f"/regions/{county['id']}").decode()
m = re.search(r'href="/regions/(\d+)">' + re.escape(province) + '<', html)
prov_id = m.group(1) if m else None
key = max(nation["indicators"], key=lambda i: i["regions"])["key"]
quoted = urllib.parse.quote(key, safe=":")
pages = [
    ("地区列表 /", "/"),
    ("全国概览 /overview", "/overview"),
    ("一个指标在全国对比", f"/overview/compare/{quoted}"),
    ("县的监测概览 dashboard", f"/regions/{county['id']}/dashboard"),
    ("县的地区页", f"/regions/{county['id']}"),
]
if prov_id:
    pages[2:2] = [
        ("省的下级地区概览", f"/regions/{prov_id}/overview"),
        ("一个指标在省内对比", f"/regions/{prov_id}/compare/{quoted}"),
    ]
first = True
for name, path in pages:
    get(path)  # the first request of a page may judge; the goal is for pages as people see them
    times = []
    for _ in range(60):
        t = time.perf_counter()
        get(path)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = times[len(times) // 2]
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    lead = f"| {kind} | {n} | {load} | {float(ev_secs):.2f} s | {int(ev_kb) // 1024} MB |" if first else "| | | | | |"
    print(f"{lead} {name} | {p50:.1f} | {p99:.1f} |")
    first = False
with open("/dev/stderr", "w") as e:
    print(f"/regions/{county['id']}/dashboard", file=e)
PY
  dash="$(tail -n1 "$work/py.err")"
  wrk -H "Authorization: Bearer $token" -t2 -c50 -d"${secs}s" --latency "$base$dash" >"$work/wrk.txt"
  cp "$work/wrk.txt" "${TMPDIR:-/tmp}/planwatch-levels-wrk.txt"
  rss_kb=$(ps -o rss= -p "$server" | tr -d ' ')
  python3 - "$work/wrk.txt" "$kind" "$n" "$rss_kb" >>"$work/load.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
kind, n, rss = sys.argv[2], sys.argv[3], int(sys.argv[4])
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)?", v)
    if not m:
        raise SystemExit(f"wrk printed a latency of {v!r}:\n{text}")
    num, unit = m.groups()
    return float(num) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, None: 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket_errors = re.search(r"Socket errors: (.*)", text)
err = int(errors.group(1)) if errors else 0
print(f"| {kind} | {n} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {err}{' (' + socket_errors.group(1) + ')' if socket_errors else ''} | {rss // 1024} MB |")
PY
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  if [ -n "$pgdb" ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
    pgdb=""
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/pages.md"
echo
cat "$work/load.md"
