#!/usr/bin/env bash
# Print an HTML report to PDF with headless Chromium (A4, the report's own @page margins and page
# numbers), then into PNG pages with pdftoppm. Not needed by the tests.
#
# usage: scripts/render-html.sh REPORT.html [OUTDIR]
#   writes OUTDIR/REPORT.pdf and OUTDIR/REPORT-1.png, REPORT-2.png, … (OUTDIR: beside the file)
#   needs: chromium, pdftoppm (poppler-utils), Liberation Serif for Times New Roman
#   (fonts-liberation2). RESOLUTION=120 for sharper pages (default 80 dpi).
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || ! -f $1 ]]; then
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
html=$(realpath "$1")
outdir=${2:-$(dirname "$html")}
mkdir -p "$outdir"
base=$(basename "${html%.*}")
pdf="$(realpath "$outdir")/$base.pdf"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$pdf" "file://$html" 2>/dev/null
[[ -s $pdf ]] || { echo "render-html: Chromium wrote no PDF for $html" >&2; exit 1; }
rm -f "$outdir/$base"-*.png
pdftoppm -r "${RESOLUTION:-80}" -png "$pdf" "$outdir/$base"
echo "$pdf"
ls "$outdir/$base"-*.png
