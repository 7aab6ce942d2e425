#!/usr/bin/env bash
# The HTML report in headless Chromium.
#
#   scripts/check-html.sh install   install Chromium (Debian package) when missing;
#                                   the layout tests (crates/wasec-report/tests/it/browser.rs,
#                                   run by cargo test) need it and fail without it
#   scripts/check-html.sh           also render the demo report (EN, JA) and take a
#                                   screenshot of each; fails when Chromium cannot
#
#   WASEC=path/to/wasec   binary to use (default: cargo run --no-default-features)
#   KEEP=dir              keep the HTML files and screenshots in dir
set -euo pipefail

cd "$(dirname "$0")/.."

find_chromium() {
    for c in "${WASEC_CHROMIUM:-}" chromium chromium-browser google-chrome; do
        if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if ! find_chromium >/dev/null; then
    echo "chromium not found: installing the Debian package" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
CHROMIUM="$(find_chromium)" || { echo "FAIL: chromium is still missing" >&2; exit 1; }
echo "chromium: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || true))"
[ "${1:-}" = install ] && exit 0

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
    html="$out/demo-$lang.html"
    run_wasec --lang "$lang" report --demo --format html -o "$html" >/dev/null
    profile="$(mktemp -d)"
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size=1280,2400 \
        --screenshot="$out/demo-$lang.png" "$html" >/dev/null 2>&1 || true
    rm -rf "$profile"
    if [ ! -s "$out/demo-$lang.png" ]; then
        echo "FAIL $lang: no screenshot of $html" >&2
        failed=1
        continue
    fi
    echo "ok $lang: $(stat -c %s "$out/demo-$lang.png") byte screenshot of the demo HTML"
done
exit "$failed"
