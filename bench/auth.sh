#!/usr/bin/env bash
# What signing in costs, on the demo database (SQLite, and the same data restored into
# PostgreSQL):
#   - one login (POST /login: argon2id verify, a session and an audit line written), p50
#     and p99 over logins one after another;
#   - logins per second with 20 concurrent clients, each from its own loopback address
#     (127.0.0.10–29: the write limit is per client address, as in an office where each
#     clerk has a machine);
#   - what the session check adds to a request: p50 of GET /static/style.css (no handler
#     work) without a cookie and with a valid session cookie, and a county's dashboard with
#     the session cookie.
#
#   bench/auth.sh [SECONDS]
#
# Needs: python3, the release binary (cargo build --release -p planwatch-cli, or
# PLANWATCH_BIN), and for PostgreSQL the local server on 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
work="$(mktemp -d)"
server=""
pgdb="planwatch_auth_$$"
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

PLANWATCH_DATA_DIR="$work/demo" "$bin" demo --load-only >/dev/null
sqlite="sqlite://$work/demo/planwatch.db"
"$bin" db backup "$work/demo.backup" --db "$sqlite" >/dev/null
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
postgres="postgres://postgres@127.0.0.1:5432/$pgdb"
"$bin" db restore "$work/demo.backup" --db "$postgres" >/dev/null

echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); ${secs} s per load test"
printf '| database | one login p50 ms | p99 ms | logins/s (20 clients) | p50 ms | p99 ms | style.css p50 µs, no cookie | with session | added µs | dashboard p50 ms with session |\n|---|---|---|---|---|---|---|---|---|---|\n'
for pair in "SQLite $sqlite" "PostgreSQL $postgres"; do
  kind="${pair%% *}"
  url="${pair#* }"
  port="$(free_port)"
  RUST_LOG=warn "$bin" serve --db "$url" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
  done
  python3 - "$port" "$secs" "$kind" <<'PY'
import http.client, re, statistics, sys, threading, time, urllib.parse

port, secs, kind = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
host = f"127.0.0.1:{port}"
ORIGIN = f"http://{host}"
FORM = urllib.parse.urlencode({"name": "admin", "password": "planwatch-demo"})

def login(conn):
    conn.request("POST", "/login", body=FORM, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN})
    r = conn.getresponse()
    r.read()
    if r.status != 303:
        raise SystemExit(f"login answered {r.status}")
    cookie = r.getheader("Set-Cookie", "").split(";")[0]
    return cookie

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]

# One login after another, from one address (within its burst of writes).
conn = http.client.HTTPConnection(host, timeout=60, source_address=("127.0.0.2", 0))
one = []
for _ in range(25):
    t = time.perf_counter()
    cookie = login(conn)
    one.append((time.perf_counter() - t) * 1000)

# 20 clients, each its own address, logging in for `secs`.
stop = time.perf_counter() + secs
lat, errors = [], []
lock = threading.Lock()
def client(i):
    c = http.client.HTTPConnection(host, timeout=60, source_address=(f"127.0.0.{10 + i}", 0))
    mine = []
    while time.perf_counter() < stop:
        t = time.perf_counter()
        try:
            login(c)
        except BaseException as e:  # a refusal ends this client; counted below
            with lock:
                errors.append(str(e))
            return
        mine.append((time.perf_counter() - t) * 1000)
    with lock:
        lat.extend(mine)
started = time.perf_counter()
threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
for th in threads: th.start()
for th in threads: th.join()
elapsed = time.perf_counter() - started
if errors:
    raise SystemExit(f"{len(errors)} clients failed: {errors[0]}")

# The session check: the same static file without and with the session cookie.
def timed(path, headers, n=3000):
    c = http.client.HTTPConnection(host, timeout=60, source_address=("127.0.0.3", 0))
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        c.request("GET", path, headers=headers)
        r = c.getresponse(); r.read()
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status}")
        xs.append((time.perf_counter() - t) * 1e6)
    return xs
plain = timed("/static/style.css", {})
with_session = timed("/static/style.css", {"Cookie": cookie})
home = http.client.HTTPConnection(host, timeout=60, source_address=("127.0.0.4", 0))
home.request("GET", "/", headers={"Cookie": cookie}); body = home.getresponse().read().decode()
m = re.search(r'href="/regions/(\d+)">连平县', body)
dash = f"/regions/{m.group(1)}/dashboard" if m else "/regions/1/dashboard"
dashboard = timed(dash, {"Cookie": cookie}, 500)
p50 = statistics.median
print(f"| {kind} | {p50(one):.1f} | {pct(one, 0.99):.1f} | {len(lat) / elapsed:.0f} | {p50(lat):.0f} | {pct(lat, 0.99):.0f} "
      f"| {p50(plain):.0f} | {p50(with_session):.0f} | {p50(with_session) - p50(plain):.0f} | {p50(dashboard) / 1000:.2f} |")
PY
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
done
