#!/usr/bin/env bash
# The reports of issue "Reports people forward", point 5: a county's annual Word report in
# under a second, the report of a province with about 100 counties in under ten seconds.
#
# Prepares
#   - the demo (`planwatch demo --load-only`: the four shipped plans' regions with their
#     demonstration values 2016–2024; SQLite only, the demo writes the data directory's file,
#     and a file of its own: synth refuses a database that has any of its counties);
#   - a database with the synthetic national set of every county (`planwatch synth --regions 2978`, values
#     2016–2025), so that a province has about 100 counties with indicator systems and data
#     (synth spreads its counties over the provinces; only all of them fill one).
# Then times `planwatch report` with hyperfine (RUNS runs after one warm-up, LibreOffice at
# most 3; peak memory
# from one more run under /usr/bin/time) for
#   - 石柱土家族自治县 (the demo, year 2024): annual report as Word, Excel, web page, JSON;
#   - a synthetic county of the chosen province (year 2025): the same;
#   - the province whose county count is nearest 100 (year 2025): annual report (its
#     sub-region section judges every region below it) as Word, Excel, web page, JSON;
#   - the city with the most counties (year 2025): upward report as Word and JSON (a province
#     has no parent, so its upward report is refused by design).
# Peers measured in the same run: `planwatch evaluate --region R --format json` (judging the
# region's own targets, no document) and LibreOffice converting the same Word file to PDF
# (`soffice --headless --convert-to pdf`, a document program handling the file we wrote).
#
#   bench/reports.sh [RUNS] [DATABASES]      e.g. bench/reports.sh 5 "sqlite postgres"
#
# Needs: hyperfine, python3, soffice (optional: the PDF peer), the release binary (cargo
# build --release -p planwatch-cli, or PLANWATCH_BIN), and for PostgreSQL the local server
# on 127.0.0.1:5432 (trust auth; a scratch database is created and dropped).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
databases="${2:-sqlite postgres}"
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$(realpath "${PLANWATCH_BIN:-$target_dir/release/planwatch}")"
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p planwatch-cli" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }
soffice="$(command -v soffice || true)"
work="$(mktemp -d)"
pgdb=""
cleanup() {
  [ -n "$pgdb" ] && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
counties=2978

# measure DB LABEL REGION PEER_OF COMMAND...: one table row. PEER_OF is the label of the
# report row this one is the peer of ("" for a report), for the ratio column.
results="$work/results.tsv"
: >"$results"
measure() {
  local db="$1" label="$2" region="$3" peer_of="$4"
  shift 4
  hyperfine -N --style none --warmup 1 --runs "${measure_runs:-$runs}" --export-json "$work/h.json" "$*" >/dev/null 2>"$work/h.err" \
    || { cat "$work/h.err" >&2; echo "failed: $*" >&2; "$@" >&2 || true; exit 1; }
  /usr/bin/time -f "%M" -o "$work/mem.txt" "$@" >/dev/null 2>&1
  python3 - "$work/h.json" "$(tail -n1 "$work/mem.txt")" "$db" "$label" "$region" "$peer_of" "$(cut -d' ' -f1 /proc/loadavg)" >>"$results" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["results"][0]
kb, db, label, region, peer_of, load = sys.argv[2:]
print("\t".join([db, label, region, peer_of, f"{h['median']:.3f}", f"{h['mean']:.3f}",
                 f"{h['stddev'] or 0:.3f}", f"{h['min']:.3f}", f"{h['max']:.3f}",
                 str(int(kb) // 1024), load]))
PY
}

# The size of a region in the database: regions below it, counties among them, targets.
describe() {
  local db="$1" url="$2" path="$3"
  local sql="SELECT COUNT(*), SUM(CASE WHEN level = 'county' THEN 1 ELSE 0 END) FROM regions WHERE path LIKE '$path/%'"
  if [ "$db" = sqlite ]; then
    python3 -c 'import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())' "${url#sqlite://}" "$sql"
  else
    psql -h 127.0.0.1 -U postgres -d "$pgdb" -qAt -F' ' -c "$sql"
  fi
}

# query DB URL SQL: one row, fields separated by tabs.
query() {
  if [ "$1" = sqlite ]; then
    python3 -c 'import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(), sep="\t")' "${2#sqlite://}" "$3"
  else
    psql -h 127.0.0.1 -U postgres -d "$pgdb" -qAt -F$'\t' -c "$3"
  fi
}

report() { # DB URL LABEL REGION YEAR KIND FORMAT: times one report, keeps the file
  local db="$1" url="$2" label="$3" region="$4" year="$5" kind="$6" format="$7"
  local out="$work/out/$db-${label// /_}.$format"
  measure "$db" "$label $kind $format" "$region" "" \
    "$bin" report --region "$region" --year "$year" --kind "$kind" --format "$format" --out "$out" --db "$url"
  sizes+=("$db	$label $kind $format	$(stat -c %s "$out")")
}

peers() { # DB URL LABEL REGION YEAR KIND: the peers of LABEL's Word report
  local db="$1" url="$2" label="$3" region="$4" year="$5" kind="$6"
  measure "$db" "peer: evaluate --format json" "$region" "$label $kind docx" \
    "$bin" evaluate --region "$region" --year "$year" --format json --db "$url"
  if [ -n "$soffice" ]; then
    # LibreOffice takes seconds a conversion: fewer runs (the warm-up makes its profile).
    measure_runs=$(( runs < 3 ? runs : 3 )) measure "$db" "peer: soffice docx→pdf" "$region" "$label $kind docx" \
      "$soffice" "-env:UserInstallation=file://$work/lo" --headless --convert-to pdf --outdir "$work/pdf" "$work/out/$db-${label// /_}.docx"
  fi
}

mkdir -p "$work/out" "$work/pdf"
sizes=()
setup="$work/setup.md"
: >"$setup"
for db in $databases; do
  if [ "$db" = sqlite ]; then
    # The demo in its own file: synth only creates new regions and refuses a database that
    # already has any of its counties (石柱, 连平 and 曾都 are among the 2,978).
    mkdir -p "$work/demo"
    demo_url="sqlite://$work/demo/planwatch.db"
    PLANWATCH_DATA_DIR="$work/demo" "$bin" demo --load-only >/dev/null
    url="sqlite://$work/national.db"
    t0=$(date +%s.%N)
  else
    pgdb="planwatch_reports_$$"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
    url="postgres://postgres@127.0.0.1:5432/$pgdb"
    t0=$(date +%s.%N)
  fi
  "$bin" synth --db "$url" --regions "$counties" >/dev/null 2>&1
  [ "$db" = postgres ] && psql -h 127.0.0.1 -U postgres -d "$pgdb" -qc "ANALYZE" >/dev/null
  load=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
  # The province whose county count is nearest 100; the city with the most counties; a
  # county of that province (the first by path).
  IFS=$'\t' read -r province pcounties < <(query "$db" "$url" \
    "SELECT p.path, COUNT(*) AS n FROM regions p JOIN regions c ON c.path LIKE p.path || '/%' AND c.level = 'county'
     WHERE p.level = 'province' GROUP BY p.path ORDER BY ABS(COUNT(*) - 100), p.path LIMIT 1")
  IFS=$'\t' read -r city ccounties < <(query "$db" "$url" \
    "SELECT p.path, COUNT(*) FROM regions p JOIN regions c ON c.parent_id = p.id AND c.level = 'county'
     WHERE p.level = 'city' GROUP BY p.path ORDER BY COUNT(*) DESC, p.path LIMIT 1")
  IFS=$'\t' read -r county < <(query "$db" "$url" \
    "SELECT c.path FROM regions c WHERE c.level = 'county' AND c.path LIKE '$province/%'
     AND EXISTS (SELECT 1 FROM system_targets t WHERE t.region_id = c.id) ORDER BY c.path LIMIT 1")
  read -r pbelow _ < <(describe "$db" "$url" "$province")
  printf '| %s | %s s | %s（%s regions below it, %s counties） | %s（%s counties） | %s |\n' \
    "$db" "$load" "$province" "$pbelow" "$pcounties" "$city" "$ccounties" "$county" >>"$setup"

  if [ "$db" = sqlite ]; then
    shizhu="$(query "$db" "$demo_url" "SELECT path FROM regions WHERE name = '石柱土家族自治县' ORDER BY id LIMIT 1")"
    for f in docx xlsx html json; do report "$db" "$demo_url" "石柱（demo）" "$shizhu" 2024 annual "$f"; done
    peers "$db" "$demo_url" "石柱（demo）" "$shizhu" 2024 annual
  fi
  for f in docx xlsx html json; do report "$db" "$url" "synthetic county" "$county" 2025 annual "$f"; done
  peers "$db" "$url" "synthetic county" "$county" 2025 annual
  for f in docx xlsx html json; do report "$db" "$url" "province" "$province" 2025 annual "$f"; done
  peers "$db" "$url" "province" "$province" 2025 annual
  for f in docx json; do report "$db" "$url" "city" "$city" 2025 upward "$f"; done
  peers "$db" "$url" "city" "$city" 2025 upward

  if [ "$db" = postgres ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
    pgdb=""
  fi
done

echo "planwatch report; hyperfine, $runs runs after 1 warm-up; $(nproc) cores; $(date -u +%Y-%m-%d); binary $(git rev-parse --short HEAD)"
echo
echo "| database | synth load | province (nearest 100 counties) | city (most counties) | synthetic county |"
echo "|---|---|---|---|---|"
cat "$setup"
echo
printf '%s\n' "${sizes[@]}" >"$work/sizes.tsv"
python3 - "$results" "$work/sizes.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sizes = {(d, l): int(s) for d, l, s in (x.rstrip("\n").split("\t") for x in open(sys.argv[2]) if x.strip())}
median = {(r[0], r[1]): float(r[4]) for r in rows}
print("| database | what | region | median s | mean ± sd s | min–max s | peak RSS MB | file KB | report / peer | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|")
for db, label, region, peer_of, med, mean, sd, lo, hi, mb, load in rows:
    if peer_of:
        ratio = f"{median[(db, peer_of)] / float(med):.2f} ({peer_of})"
    else:
        ratio = ""
    size = sizes.get((db, label))
    print(f"| {db} | {label} | {region} | {med} | {mean} ± {sd} | {lo}–{hi} | {mb} | "
          f"{'' if size is None else round(size / 1024)} | {ratio} | {load} |")
PY
