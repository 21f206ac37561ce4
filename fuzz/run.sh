#!/usr/bin/env bash
# Fuzzes the plan reader for a while: `fuzz/run.sh TARGET SECONDS` (TARGET: text, pdf, docx
# or html). Seeds come from the real plans (whole, and cut into pieces so that the fuzzer's
# mutations reach every rule quickly), the PDF fixtures, and .docx/.html made from the plans
# by LibreOffice when it is installed. Findings land in fuzz/artifacts/TARGET/.
# Further arguments go to libFuzzer (e.g. -detect_leaks=0 for the PDF parser, whose worker
# thread LeakSanitizer reports as 32 bytes of thread-local bookkeeping).
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?target: text, pdf, docx or html}"
shift
seconds="${1:-600}"
shift || true

corpus="corpus/$target"
mkdir -p "$corpus" "artifacts/$target"

if [ -z "$(ls -A "$corpus")" ]; then
  plans=(../assets/plans/*.txt)
  case "$target" in
    text)
      for plan in "${plans[@]}"; do
        name="$(basename "$plan" .txt)"
        cp "$plan" "$corpus/$name.txt"
        # Pieces of ~8 KB cut at line ends: a domain's 主要目标 with its neighbours.
        split -C 8192 -d -a 3 "$plan" "$corpus/$name-piece-"
      done
      ;;
    pdf)
      # The small ones only (a page or two, a ruled table among them): a whole plan takes
      # seconds a run under AddressSanitizer, and the fuzzer then tries a few an hour.
      find ../crates/planwatch-ingest/tests/data/pdf -name '*.pdf' -size -100k -exec cp {} "$corpus/" \;
      ;;
    docx|html)
      tmp="$(mktemp -d)"
      for plan in "${plans[@]}"; do
        soffice --headless --convert-to "$target" --outdir "$tmp" "$plan" >/dev/null 2>&1 || true
      done
      cp "$tmp"/*."$target" "$corpus/" 2>/dev/null || true
      rm -rf "$tmp"
      ;;
  esac
fi

# -timeout: a unit running longer than 10 s is a finding (the issue: never minutes of work;
# FUZZ_TIMEOUT raises it on a machine busy with other work, where ASan units crawl);
# -rss_limit_mb: so is memory beyond 2 GiB; -max_len: as long as a real plan (for PDFs,
# as long as the small seeds: pass -max_len=800000 to mutate whole plans, slowly).
exec cargo +nightly fuzz run "$target" "$corpus" -- \
  -artifact_prefix="artifacts/$target/" \
  -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=200000 \
  -print_final_stats=1 "$@"
