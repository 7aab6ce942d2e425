#!/usr/bin/env bash
# The whole wasec test suite, from a fresh machine.
#
# Installs what it needs (Python venv with moto for the AWS emulator,
# poppler-utils for rendering PDF pages, Chromium for the HTML layout
# tests), starts moto on 127.0.0.1, then
# runs: cargo fmt --check, cargo clippy (-D warnings), every test of the
# workspace, the WA Tool double against boto3 (a second client), and a
# render of every page of the demo PDF in both languages.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s (at %d s)\n' "$*" "$SECONDS"; }

step "system packages"
need_apt=()
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing: ${need_apt[*]} (install them, then re-run)" >&2
    exit 1
  fi
fi

step "moto (AWS emulator) on 127.0.0.1"
WASEC_MOTO_ENDPOINT="$(scripts/moto.sh start)"
export WASEC_MOTO_ENDPOINT
trap 'scripts/moto.sh stop' EXIT
echo "WASEC_MOTO_ENDPOINT=$WASEC_MOTO_ENDPOINT"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --all-targets --no-default-features -- -D warnings

step "Chromium for the HTML layout tests"
scripts/check-html.sh install

step "cargo test"
cargo test --workspace

step "WA Tool double against a second client (boto3 checks it with AWS's service model)"
# moto depends on boto3, so the venv has it; install it if someone removed it.
# With --workspace --tests the features match the test build above, so only
# the binary itself is compiled (-p alone rebuilds tokio, serde, ... anew).
cargo build --workspace --tests --bin wa-tool-double
.venv/bin/python -c 'import boto3' 2>/dev/null || .venv/bin/pip install --quiet boto3
.venv/bin/python scripts/wa_double_boto3.py --double "${CARGO_TARGET_DIR:-target}/debug/wa-tool-double"

step "demo PDF pages render (en, ja)"
# The binary `cargo test` just built (with the default features).
WASEC="${CARGO_TARGET_DIR:-target}/debug/wasec" scripts/check-pdf-pages.sh

step "done"
