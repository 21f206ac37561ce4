#!/usr/bin/env bash
# CI: the reports open in an office suite. Writes the demo's annual Word report and Excel
# workbook with the release binary, converts both to PDF with LibreOffice headless, renders
# the Word report's first pages to PNG (kept in ci-artifacts/report/), and fails when a
# conversion fails or yields no pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:?usage: .ci/report-pdf.sh PATH/TO/planwatch}"
out="$PWD/ci-artifacts/report"
rm -rf "$out"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

PLANWATCH_DATA_DIR="$work/data" "$bin" demo --load-only >/dev/null
db="sqlite://$work/data/planwatch.db"
"$bin" report --db "$db" --region 石柱土家族自治县 --year 2024 --kind annual --format docx --out "$out/annual.docx"
"$bin" report --db "$db" --region 石柱土家族自治县 --year 2024 --kind annual --format xlsx --out "$out/workbook.xlsx"
"$bin" report --db "$db" --region 曾都区 --year 2024 --kind upward --format docx --out "$out/upward.docx"

for f in annual.docx workbook.xlsx upward.docx; do
  # A profile of its own: a leftover LibreOffice of the machine cannot swallow the job.
  timeout 300 soffice --headless "-env:UserInstallation=file://$work/lo-profile" \
    --convert-to pdf --outdir "$out" "$out/$f" >"$work/soffice.log" 2>&1 || {
    cat "$work/soffice.log"
    echo "ci: LibreOffice could not convert $f" >&2
    exit 1
  }
  pdf="$out/${f%.*}.pdf"
  [ -s "$pdf" ] || { echo "ci: no PDF from $f" >&2; exit 1; }
  pages="$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"
  [ "${pages:-0}" -ge 1 ] || { echo "ci: $f converted to an empty PDF" >&2; exit 1; }
  echo "ci: $f → ${f%.*}.pdf, $pages pages"
done
pdftoppm -r 60 -f 1 -l 6 -png "$out/annual.pdf" "$out/annual-page"
ls "$out"/annual-page-*.png >/dev/null
echo "ci: report pages rendered to $out"
