#!/usr/bin/env bash
# Measures `planwatch synth --db` (the synthetic national set, one transaction) on
# PostgreSQL for 100, 1,000 and 3,000 regions and on SQLite for 100: wall time (median of
# RUNS, default 3, each into a new database), rows written and the database's size.
#
# The peer, measured in the same run on the same rows: psql restoring a data-only
# pg_dump of the loaded set (plain COPY statements, PostgreSQL's own fastest path) into a
# new database with the same schema. Its ratio says what the load costs beyond the bulk
# copy itself: generating the set, reading back the target ids, the progress bar.
#
#   bench/national.sh [RUNS] [SIZES]        e.g. bench/national.sh 3 "100 1000 3000"
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
sizes="${2:-100 1000 3000}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PLANWATCH_BIN:-$target_dir/release/planwatch}"
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
pg="postgres://postgres@127.0.0.1:5432"
psql_() { psql -h 127.0.0.1 -U postgres -d "${db_name:-postgres}" -qAt "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
secs() { python3 -c "print(f'{($2 - $1) / 1e9:.2f}')" "$@"; }
median() { python3 -c 'import sys,statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "$@"; }
mib() { python3 -c "print(f'{$1 / 1048576:.0f}')"; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "planwatch synth --db, seed 1, years 2016-2025; median of $runs runs; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| database | regions | rows written | load (s) | rows/s | size (MiB) | peer: psql COPY restore (s) | load / peer | load avg |"
echo "|---|---|---|---|---|---|---|---|---|"

for n in $sizes; do
  times=(); peers=(); size=0; rows=0; loads=()
  for i in $(seq 1 "$runs"); do
    db="planwatch_bench_national_$$_${n}_$i"
    psql_ -c "CREATE DATABASE $db"
    loads+=("$(load)")
    t0=$(now); "$bin" synth --db "$pg/$db" --regions "$n" >/dev/null 2>&1; t1=$(now)
    times+=("$(secs "$t0" "$t1")")
    size=$(db_name=$db psql_ -c "SELECT pg_database_size(current_database())")
    rows=$(db_name=$db psql_ -c "SELECT (SELECT COUNT(*) FROM regions) + (SELECT COUNT(*) FROM system_targets) \
      + (SELECT COUNT(*) FROM system_target_versions) + (SELECT COUNT(*) FROM observations) \
      + (SELECT COUNT(*) FROM observation_changes)")
    # The peer: the same rows, dumped as COPY statements, restored by psql into the same
    # schema (made by planwatch's migrations).
    # (pg_dump warns of the regions table referring to itself: its rows come in id order,
    # parents first, so the restore needs no trick.)
    pg_dump -h 127.0.0.1 -U postgres --data-only --exclude-table=_sqlx_migrations "$db" >"$work/dump.sql" 2>/dev/null
    peer="${db}_peer"
    psql_ -c "CREATE DATABASE $peer"
    "$bin" region list --db "$pg/$peer" >/dev/null
    t0=$(now); psql -h 127.0.0.1 -U postgres -d "$peer" -q -1 -v ON_ERROR_STOP=1 -f "$work/dump.sql" >/dev/null; t1=$(now)
    peers+=("$(secs "$t0" "$t1")")
    psql_ -c "DROP DATABASE $db WITH (FORCE)"
    psql_ -c "DROP DATABASE $peer WITH (FORCE)"
  done
  t=$(median "${times[@]}"); p=$(median "${peers[@]}")
  echo "| PostgreSQL | $n | $rows | $t | $(python3 -c "print(round($rows / $t))") | $(mib "$size") | $p | $(python3 -c "print(f'{$t / $p:.1f}')") | $(median "${loads[@]}") |"
done

times=(); loads=()
for i in $(seq 1 "$runs"); do
  file="$work/national-$i.db"
  loads+=("$(load)")
  t0=$(now); "$bin" synth --db "sqlite://$file" --regions 100 >/dev/null 2>&1; t1=$(now)
  times+=("$(secs "$t0" "$t1")")
done
# The write-ahead log folded back into the file, as a backup would see it.
read -r rows size < <(python3 - "$file" <<'EOF'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
n = sum(c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in
        ["regions", "system_targets", "system_target_versions", "observations", "observation_changes"])
c.close()
print(n, os.path.getsize(sys.argv[1]))
EOF
)
t=$(median "${times[@]}")
echo "| SQLite | 100 | $rows | $t | $(python3 -c "print(round($rows / $t))") | $(mib "$size") | — | — | $(median "${loads[@]}") |"
