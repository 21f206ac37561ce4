#!/usr/bin/env bash
# Benchmark (not a test): `planwatch evaluate` against the independent pandas reference
# (bench/evaluate_pandas.py) on the national-scale synthetic set, end to end: wall time
# and peak RSS from /usr/bin/time -v, and the two status.csv files must be identical.
#
#   bench/evaluate.sh                       # 3,200 regions x 150 indicators, R = 2024
#   REGIONS=200 INDICATORS=50 bench/evaluate.sh
#   RUNS=5 WORK=/tmp/evalbench bench/evaluate.sh
set -euo pipefail
cd "$(dirname "$0")/.."

REGIONS=${REGIONS:-3200}
INDICATORS=${INDICATORS:-150}
SEED=${SEED:-1}
YEAR=${YEAR:-2024}
RUNS=${RUNS:-3}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"

if ! python3 -c "import pandas, numpy" 2>/dev/null; then
  pip install --quiet pandas numpy
fi
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null
fi

cargo build --release -q -p planwatch-cli
BIN="${CARGO_TARGET_DIR:-target}/release/planwatch"

DATA="$WORK/data-$REGIONS-$INDICATORS-$SEED"
if [ ! -s "$DATA/targets.csv" ]; then
  "$BIN" synth --regions "$REGIONS" --indicators "$INDICATORS" --seed "$SEED" --out "$DATA"
fi
echo "data: $(($(wc -l <"$DATA/observations.csv") - 1)) observations, $(($(wc -l <"$DATA/targets.csv") - 1)) targets"

# measure NAME CMD...: prints "NAME wall_s peak_rss_mb cpu_s load1" from /usr/bin/time -v
# (cpu = user + system: less sensitive than wall time to other load on the machine;
# load1 = the one-minute load average when the run ended).
measure() {
  local name=$1
  shift
  /usr/bin/time -v "$@" 2>"$WORK/time.txt" >/dev/null || { cat "$WORK/time.txt"; exit 1; }
  awk -v name="$name" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { rss = $NF / 1024 }
    /User time \(seconds\)/ { cpu += $NF }
    /System time \(seconds\)/ { cpu += $NF }
    END { printf "%s %.2f %.0f %.2f %s\n", name, s, rss, cpu, la }' la="$(cut -d' ' -f1 /proc/loadavg)" "$WORK/time.txt"
}

{
  for i in $(seq "$RUNS"); do
    measure planwatch "$BIN" evaluate --observations "$DATA/observations.csv" \
      --targets "$DATA/targets.csv" --year "$YEAR" --out "$WORK/status_rust.csv"
    measure pandas python3 bench/evaluate_pandas.py "$DATA/observations.csv" \
      "$DATA/targets.csv" "$YEAR" "$WORK/status_pandas.csv"
  done
} | tee "$WORK/runs.txt"

if cmp -s "$WORK/status_rust.csv" "$WORK/status_pandas.csv"; then
  echo "outputs: identical ($(($(wc -l <"$WORK/status_rust.csv") - 1)) rows)"
else
  echo "outputs: DIFFER"
  diff "$WORK/status_rust.csv" "$WORK/status_pandas.csv" | head -20
  exit 1
fi

# Medians over the runs, and the ratios.
awk '
  { w[$1] = w[$1] " " $2; r[$1] = r[$1] " " $3; c[$1] = c[$1] " " $4 }
  function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    pw = med(w["planwatch"]); pr = med(r["planwatch"]); pc = med(c["planwatch"])
    dw = med(w["pandas"]); dr = med(r["pandas"]); dc = med(c["pandas"])
    printf "median      wall s   peak RSS MB   cpu s\n"
    printf "load avg    %s\n", la
    printf "planwatch   %6.2f   %6.0f        %6.2f\n", pw, pr, pc
    printf "pandas      %6.2f   %6.0f        %6.2f\n", dw, dr, dc
    printf "ratio       %.1fx faster (wall), %.1fx less memory, %.1fx less cpu\n", dw / pw, dr / pr, dc / pc
    printf "best wall   planwatch %.2f s, pandas %.2f s\n", lo(w["planwatch"]), lo(w["pandas"])
  }
  function lo(s,   a, n, i, m) {
    n = split(s, a, " "); m = a[1]
    for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]
    return m
  }' la="$(cut -d' ' -f1-3 /proc/loadavg)" "$WORK/runs.txt"
