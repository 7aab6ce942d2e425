#!/usr/bin/env bash
# Render every page of the demo report PDF, in English and Japanese, with
# poppler's pdftoppm. Fails when a page does not render, when poppler
# reports a syntax error, when pdfinfo sees a PDF/X claim, or when the
# fonts are not embedded and subset. KEEP=dir keeps the pages (PNG) to
# look at.
#
# Usage: scripts/check-pdf-pages.sh
#   WASEC=path/to/wasec   binary to use (default: cargo run --no-default-features)
#   KEEP=dir              keep the PDFs and PNGs in dir
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v pdftoppm >/dev/null 2>&1; then
    echo "pdftoppm not found: installing poppler-utils" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils >/dev/null
fi

if [ -n "${WASEC:-}" ]; then
    run_wasec() { "$WASEC" "$@"; }
else
    run_wasec() { cargo run --quiet --no-default-features -- "$@"; }
fi

out="${KEEP:-$(mktemp -d)}"
mkdir -p "$out"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$out"' EXIT; fi

failed=0
for lang in en ja; do
    pdf="$out/demo-$lang.pdf"
    run_wasec --lang "$lang" report --demo --format pdf -o "$pdf" >/dev/null
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    if [ -z "$pages" ] || [ "$pages" -lt 1 ]; then
        echo "FAIL $lang: pdfinfo cannot read $pdf" >&2
        failed=1
        continue
    fi
    # No PDF/X claim (printpdf used to write an empty GTS_PDFXVersion), the
    # outline opens in the bookmarks pane.
    if pdfinfo "$pdf" | grep -q '^PDF subtype:\|PDF/X'; then
        echo "FAIL $lang: pdfinfo reports a PDF/X conformance" >&2
        pdfinfo "$pdf" >&2
        failed=1
    fi
    # Every font embedded (emb) and subset (sub).
    if pdffonts "$pdf" | tail -n +3 | awk '$(NF-4) != "yes" || $(NF-3) != "yes" {bad=1} END {exit !bad}'; then
        echo "FAIL $lang: a font is not embedded and subset" >&2
        pdffonts "$pdf" >&2
        failed=1
    fi
    for ((p = 1; p <= pages; p++)); do
        err=$(pdftoppm -png -r 40 -f "$p" -l "$p" "$pdf" "$out/$lang-page" 2>&1 >/dev/null) || {
            echo "FAIL $lang page $p: pdftoppm exited non-zero: $err" >&2
            failed=1
            continue
        }
        if [ -n "$err" ]; then
            echo "FAIL $lang page $p: $err" >&2
            failed=1
        fi
    done
    # One non-empty PNG per page.
    made=$(find "$out" -name "$lang-page-*.png" -size +0 | wc -l)
    if [ "$made" -ne "$pages" ]; then
        echo "FAIL $lang: $made images for $pages pages" >&2
        failed=1
    fi
    echo "ok $lang: $pages pages rendered ($(stat -c %s "$pdf") bytes)"
done
exit "$failed"
