#!/usr/bin/env bash
# Measures `planwatch plan import` of the four plans in assets/plans/ into an empty database,
# on SQLite and on PostgreSQL, as the median of N runs (default 7). The peer, measured in the
# same run, is `plan parse` of the same four files (reading without storing): the import's
# own cost is the difference.
#
#   bench/import.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
files=(assets/plans/*.txt)

now() { date +%s%N; }
median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.1f}")' "$@"; }

parse=(); sqlite=(); pg=()
for i in $(seq 1 "$runs"); do
  t0=$(now); for f in "${files[@]}"; do "$bin" plan parse "$f" >/dev/null; done; t1=$(now)
  parse+=("$(( (t1 - t0) / 1000 ))e-3")
  t0=$(now); "$bin" plan import --db "sqlite://$work/run$i.db" "${files[@]}" >/dev/null; t1=$(now)
  sqlite+=("$(( (t1 - t0) / 1000 ))e-3")
  db="planwatch_bench_import_$$_$i"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db" >/dev/null
  t0=$(now); "$bin" plan import --db "postgres://postgres@127.0.0.1:5432/$db" "${files[@]}" >/dev/null; t1=$(now)
  pg+=("$(( (t1 - t0) / 1000 ))e-3")
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
echo "median of $runs runs, milliseconds, one process each (empty database; PostgreSQL includes creating the schema)"
echo
echo "| what | ms |"
echo "|---|---|"
echo "| parse the 4 plans (peer: reading only, 4 processes) | $(median "${parse[@]}") |"
echo "| import the 4 plans into SQLite (1 process: read + migrate + store) | $(median "${sqlite[@]}") |"
echo "| import the 4 plans into PostgreSQL (1 process: read + migrate + store) | $(median "${pg[@]}") |"
