#!/usr/bin/env bash
# Per-call client cost, ours against aws-sdk-rust and the per-call floor, in
# one run: the three programs (bench/ours, bench/peer-aws-sdk,
# bench/floor-call; same harness, bench/common/harness.rs) call
# PutLifecycleHook against the same loopback server (bench/loopback-server, a
# separate std-only process answering a canned success), so each client
# process's CPU time (getrusage) is the client's alone. The floor does only
# what any client must do per call (write the form, sign it with aws-sigv4,
# send it on a reused hyper connection, read the answer, check the status).
#
# For each program, alternating, $REPEATS times (default 5): 10,000 sequential
# calls, then 10,000 calls 64 at a time (after a warm-up of 200 calls). Prints
# the medians as a Markdown table; raw lines go to bench/results/per-call.txt.
#
# With BASELINE=<commit>, that commit's bench/ours runs in the same rotation
# and a second table compares the two.
#
# Usage: [BASELINE=<commit>] bench/per-call.sh [--no-wait] [--calls N] [--concurrency C] [--repeats R]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common/lib.sh
. "$here/common/lib.sh"
results="$here/results"
mkdir -p "$results"
wait=1 calls=10000 concurrency=64 repeats=${REPEATS:-5}
while [ $# -gt 0 ]; do
  case "$1" in
    --no-wait) wait=0 ;;
    --calls) calls=$2; shift ;;
    --concurrency) concurrency=$2; shift ;;
    --repeats) repeats=$2; shift ;;
    *) echo "usage: $0 [--no-wait] [--calls N] [--concurrency C] [--repeats R]" >&2; exit 2 ;;
  esac
  shift
done

release_build loopback-server loopback-server
release_build ours ours
release_build peer-aws-sdk peer
release_build floor-call floor-call
server="$here/target/loopback-server/release/loopback-server"
ours="$here/target/ours/release/bench-ours"
peer="$here/target/peer/release/bench-peer-aws-sdk"
floor="$here/target/floor-call/release/bench-floor-call"
# With BASELINE=<commit>: bench/ours as that commit had it, run in the same rotation (its lines say impl=baseline).
baseline=""
if [ -n "${BASELINE:-}" ]; then
  build_baseline() { (cd "$1/bench/ours" && CARGO_TARGET_DIR="$here/target/baseline" cargo build --release --locked -q); }
  with_baseline_tree build_baseline
  baseline="$here/target/baseline/release/bench-ours"
fi

quiet="(not waited for)"
if [ "$wait" = 1 ]; then
  quiet=$("$here/wait-quiet.sh")
fi

start_loopback "$server"

# The answers are checked once: every operation of each program succeeds.
"$ours" "$url" once > /dev/null
"$peer" "$url" once > /dev/null
"$floor" "$url" once > /dev/null

out="$results/per-call.txt"
echo "# $(date -u) machine: $quiet; load before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out"
for _ in $(seq "$repeats"); do
  for bin in "$ours" "$peer" "$floor"; do
    "$bin" "$url" seq "$calls" >> "$out"
    "$bin" "$url" conc "$calls" "$concurrency" >> "$out"
  done
  if [ -n "$baseline" ]; then
    "$baseline" "$url" seq "$calls" | sed 's/^RESULT impl=ours /RESULT impl=baseline /' >> "$out"
    "$baseline" "$url" conc "$calls" "$concurrency" | sed 's/^RESULT impl=ours /RESULT impl=baseline /' >> "$out"
  fi
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"

# median FIELD IMPL MODE
median() { median_field "$1" "RESULT impl=$2 mode=$3 " "$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  grep '^#' "$out" | sed 's/^# /    /'
  echo
  echo "| PutLifecycleHook, median of $repeats | ours | aws-sdk-rust | floor | ours / peer | target | ours / floor | target |"
  echo "|---|---|---|---|---|---|---|---|"
  for mode in seq conc; do
    label="$calls sequential"
    [ "$mode" = conc ] && label="$calls, $concurrency at a time"
    o_cpu=$(median cpu_us_per_call ours "$mode") p_cpu=$(median cpu_us_per_call peer-aws-sdk "$mode")
    f_cpu=$(median cpu_us_per_call floor "$mode")
    o_rate=$(median calls_per_s ours "$mode") p_rate=$(median calls_per_s peer-aws-sdk "$mode")
    f_rate=$(median calls_per_s floor "$mode")
    o_rss=$(median maxrss_kb ours "$mode") p_rss=$(median maxrss_kb peer-aws-sdk "$mode")
    f_rss=$(median maxrss_kb floor "$mode")
    echo "| $label: client CPU per call | ${o_cpu} µs | ${p_cpu} µs | ${f_cpu} µs" \
      "| $(ratio "$o_cpu" "$p_cpu") | <= 0.33 | $(ratio "$o_cpu" "$f_cpu") | <= 1.25 |"
    echo "| $label: calls per second | ${o_rate} | ${p_rate} | ${f_rate}" \
      "| $(ratio "$o_rate" "$p_rate") | > 1 | $(ratio "$o_rate" "$f_rate") | |"
    echo "| $label: client peak RSS | ${o_rss} KiB | ${p_rss} KiB | ${f_rss} KiB" \
      "| $(ratio "$o_rss" "$p_rss") | | $(ratio "$o_rss" "$f_rss") | |"
  done
  if [ -n "$baseline" ]; then
    echo
    echo "| PutLifecycleHook client CPU per call, median of $repeats | ours now | ours at $BASELINE | now / then | target |"
    echo "|---|---|---|---|---|"
    for mode in seq conc; do
      o_cpu=$(median cpu_us_per_call ours "$mode") b_cpu=$(median cpu_us_per_call baseline "$mode")
      echo "| $mode | ${o_cpu} µs | ${b_cpu} µs | $(ratio "$o_cpu" "$b_cpu") | <= 1.10 |"
    done
  fi
} | tee "$results/per-call-table.md"
