#!/usr/bin/env bash
# Benchmark `wasec collect --organization` against moto seeded with an
# organization of N member accounts (bench/seed_org.py: weak resources and
# compliant twins in each member, and Security Hub CSPM control findings),
# once with --source scan (every member scanned through its role) and once
# with --source securityhub (control results read centrally).
#
# Prints per size and source: wall time, peak RSS (GNU time), API
# requests, accounts collected and the review file's size; with
# WASEC_BENCH_SPLIT=1 also the anonymous (heap) part of the peak, from a
# second run sampled by bench/peak_memory.py.
#
#   bench/org_bench.sh [N ...]            default: 10 50
#   WASEC_BIN=path bench/org_bench.sh 10  (default: target/release/wasec if
#                                         built, else the debug build)
#   WASEC_BENCH_CONCURRENCY=8 ...         --account-concurrency (default 4)
set -euo pipefail
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 50)

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${WASEC_BIN:-}"
if [ -z "$bin" ]; then
    if [ -x "$target/release/wasec" ]; then bin="$target/release/wasec"; else bin="$target/debug/wasec"; fi
fi
[ -x "$bin" ] || { echo "build wasec first (cargo build --release), or set WASEC_BIN" >&2; exit 2; }
conc="${WASEC_BENCH_CONCURRENCY:-4}"
py="$root/.venv/bin/python"

# WASEC_BENCH_PORT picks moto's port (default: a free one).
ep="$("$root/scripts/moto.sh" start ${WASEC_BENCH_PORT:-} --watch $$)"
port="${ep##*:}"
work="$(mktemp -d)"
trap '"$root/scripts/moto.sh" stop "$port"; rm -rf "$work"' EXIT

json() { "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$3"; }

echo "binary: $bin; moto at $ep; --account-concurrency $conc; one region (us-east-1)"
printf '%-8s %-12s %9s %9s %9s %9s %9s %9s\n' members source wall_s rss_mb anon_mb requests accounts yaml_kb
for n in "${sizes[@]}"; do
    curl -fsS -X POST "$ep/moto-api/reset" >/dev/null
    t0=$(date +%s.%N)
    "$py" "$root/bench/seed_org.py" "$ep" "$n" --findings >/dev/null
    echo "  (seeded $n members in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-6) s)" >&2
    for source in scan securityhub; do
        f="$work/r-$n-$source.yaml"
        "$bin" new "$f" --workload bench >/dev/null
        args=(collect "$f" --organization --role-name OrganizationAccountAccessRole
              --source "$source" --endpoint-url "$ep" --regions us-east-1
              --account-concurrency "$conc" --json)
        AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
            /usr/bin/time -v "$bin" "${args[@]}" >"$work/out.json" 2>"$work/err.txt" \
            || { cat "$work/err.txt" >&2; exit 1; }
        wall="$(grep 'Elapsed (wall clock)' "$work/err.txt" | awk '{print $NF}' \
            | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
        rss_kb="$(grep 'Maximum resident set size' "$work/err.txt" | awk '{print $NF}')"
        requests="$(json "$work/out.json" 'd["requests"]' "$work/out.json")"
        accounts="$(json "$work/out.json" 'd["accounts_total"]' "$work/out.json")"
        anon="-"
        if [ -n "${WASEC_BENCH_SPLIT:-}" ]; then
            # The same run again, sampled for the anonymous (heap) part.
            "$bin" new "$f.2" --workload bench >/dev/null
            args[1]="$f.2"
            anon="$(AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
                "$py" "$root/bench/peak_memory.py" "$bin" "${args[@]}" \
                | sed -n 's/.*anonymous (heap, stacks) \([0-9.]*\) MB.*/\1/p')"
        fi
        printf '%-8s %-12s %9s %9.1f %9s %9s %9s %9s\n' "$n" "$source" "$wall" \
            "$(echo "scale=1; $rss_kb/1024" | bc)" "${anon:-?}" "$requests" "$accounts" \
            "$(( $(stat -c %s "$f") / 1024 ))"
    done
done
