#!/usr/bin/env bash
# Benchmark `wasec collect` against moto seeded with a realistic account
# (scale 20: about 650 resources over 3 regions, see bench/seed_moto.py).
#
# Budgets: whole collection within 6 s, peak RSS under 60 MB, fewer than
# 12 API requests per check run (930 for 77 checks before issue 12).
# Exits 1 when a budget is missed.
#
#   bench/collect_bench.sh [SCALE]    uses target/release/wasec if built, else debug
#   WASEC_BIN=path bench/collect_bench.sh
#   WASEC_BENCH_CLASSIC=1 bench/collect_bench.sh   seed only the resource
#                                     kinds of the pre-issue-12 benchmark
set -euo pipefail
scale="${1:-20}"

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${WASEC_BIN:-}"
if [ -z "$bin" ]; then
    if [ -x "$target/release/wasec" ]; then bin="$target/release/wasec"; else bin="$target/debug/wasec"; fi
fi
[ -x "$bin" ] || { echo "build wasec first (cargo build --release), or set WASEC_BIN" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    apt-get install -y time >/dev/null
fi

ep="$("$root/scripts/moto.sh" start --watch $$)"
port="${ep##*:}"
trap '"$root/scripts/moto.sh" stop "$port"' EXIT
echo "moto at $ep; seeding..." >&2
seed_start=$(date +%s.%N)
"$root/.venv/bin/python" "$root/bench/seed_moto.py" "$ep" bench "$scale"
echo "seeded in $(echo "$(date +%s.%N) - $seed_start" | bc) s" >&2

work="$(mktemp -d)"
"$bin" new "$work/bench.yaml" --workload bench >/dev/null
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    /usr/bin/time -v "$bin" collect "$work/bench.yaml" --endpoint-url "$ep" \
    --regions us-east-1,eu-west-1,ap-northeast-1 --json >"$work/out.json" 2>"$work/stderr.txt"

# The same run again, sampled: how much of the peak is the program's own
# memory and how much the mapped binary (large for debug builds).
"$bin" new "$work/bench2.yaml" --workload bench >/dev/null
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    python3 "$root/bench/peak_memory.py" "$bin" collect "$work/bench2.yaml" --endpoint-url "$ep" \
    --regions us-east-1,eu-west-1,ap-northeast-1 --json >"$work/split.txt"

wall="$(grep 'Elapsed (wall clock)' "$work/stderr.txt" | awk '{print $NF}')"
rss_kb="$(grep 'Maximum resident set size' "$work/stderr.txt" | awk '{print $NF}')"
# wasec's own CPU time: the rest of the wall time is moto (single Python
# process) answering.
cpu="$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$work/stderr.txt")"
requests="$("$root/.venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$work/out.json")"
items="$("$root/.venv/bin/python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["items"], d["counts"], d["bps_with_evidence"])' "$work/out.json")"
checks="$("$root/.venv/bin/python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("checks", "?"))' "$work/out.json")"
# m:ss.ss -> seconds
secs="$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
rss_mb="$(echo "scale=1; $rss_kb/1024" | bc)"

echo "binary:   $bin"
echo "wall:     ${secs} s (budget 6 s); wasec CPU ${cpu} s"
echo "peak RSS: ${rss_mb} MB (budget 60 MB)"
echo "requests: ${requests} ($(awk "BEGIN{printf \"%.1f\", $requests/$checks}") per check, budget < 12); checks run: ${checks}"
echo "items / counts / BPs: ${items}"
echo "split:    $(cat "$work/split.txt")"
ok=0
awk "BEGIN{exit !($secs <= 6)}" || { echo "FAIL: too slow"; ok=1; }
[ "$rss_kb" -lt $((60 * 1024)) ] || { echo "FAIL: too much memory"; ok=1; }
# Requests may grow with coverage, not faster: the budget is per check
# (930 requests for 77 checks = 12.1 before issue 12).
[ "$requests" -lt $((checks * 12)) ] || { echo "FAIL: too many requests per check"; ok=1; }
rm -rf "$work"
exit $ok
