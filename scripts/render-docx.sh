#!/usr/bin/env bash
# Turn a DOCX report into a PDF with LibreOffice (headless), then into PNG pages with pdftoppm,
# to look at what the văn thư will open. Not needed by the tests.
#
# usage: scripts/render-docx.sh REPORT.docx [OUTDIR]
#   writes OUTDIR/REPORT.pdf and OUTDIR/REPORT-1.png, REPORT-2.png, … (OUTDIR: beside the file)
#   needs: libreoffice (Debian: libreoffice-writer-nogui), pdftoppm (poppler-utils), and for
#   Times New Roman its metric-compatible substitute Liberation Serif (fonts-liberation2).
#   RESOLUTION=120 scripts/render-docx.sh … for sharper pages (default 80 dpi).
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || ! -f $1 ]]; then
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
docx=$1
outdir=${2:-$(dirname "$docx")}
mkdir -p "$outdir"
base=$(basename "${docx%.*}")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# A profile of its own, so a LibreOffice already open on the desktop does not swallow the job.
libreoffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$outdir" "$docx" >/dev/null
pdf="$outdir/$base.pdf"
[[ -s $pdf ]] || { echo "render-docx: LibreOffice wrote no PDF for $docx" >&2; exit 1; }
rm -f "$outdir/$base"-*.png
pdftoppm -r "${RESOLUTION:-80}" -png "$pdf" "$outdir/$base"
echo "$pdf"
ls "$outdir/$base"-*.png
