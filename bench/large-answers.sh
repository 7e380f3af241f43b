#!/usr/bin/env bash
# Parsing cost of large answers, ours against aws-sdk-rust, in one run: both
# programs (bench/ours, bench/peer-aws-sdk; same harness, bench/common/harness.rs)
# call DescribeLifecycleHooks (Auto Scaling) and ListHookResults (CloudFormation)
# against the same loopback server (bench/loopback-server), which answers each
# with 10,000 items, every field of the item set (awsQuery XML, indented as AWS
# answers are). Each call must read all 10,000 items with every field, or the
# run fails. CPU is the client process's own (getrusage), per call and per MB
# (10^6 bytes) of answer; "held" is the peak of live heap bytes during one
# call above those live before it (a counting global allocator, the same code
# in both programs: bench/common/alloc.rs), in bytes and as a multiple of the
# answer's size.
#
# For each operation and program, alternating, $REPEATS times (default 5):
# one warm-up call, $CALLS timed calls (default 20), one call counting the heap.
# Prints the medians as a Markdown table (bench/results/large-answers-table.md);
# raw lines go to bench/results/large-answers.txt.
#
# Usage: bench/large-answers.sh [--no-wait] [--calls N] [--repeats R]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common/lib.sh
. "$here/common/lib.sh"
results="$here/results"
mkdir -p "$results"
wait=1 calls=${CALLS:-20} repeats=${REPEATS:-5}
while [ $# -gt 0 ]; do
  case "$1" in
    --no-wait) wait=0 ;;
    --calls) calls=$2; shift ;;
    --repeats) repeats=$2; shift ;;
    *) echo "usage: $0 [--no-wait] [--calls N] [--repeats R]" >&2; exit 2 ;;
  esac
  shift
done

release_build loopback-server loopback-server
release_build ours ours
release_build peer-aws-sdk peer
server="$here/target/loopback-server/release/loopback-server"
ours="$here/target/ours/release/bench-ours"
peer="$here/target/peer/release/bench-peer-aws-sdk"

quiet="(not waited for)"
if [ "$wait" = 1 ]; then
  quiet=$("$here/wait-quiet.sh")
fi

start_loopback "$server"

ops="describe-lifecycle-hooks list-hook-results"
out="$results/large-answers.txt"
echo "# $(date -u) machine: $quiet; load before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out"
for _ in $(seq "$repeats"); do
  for op in $ops; do
    for bin in "$ours" "$peer"; do
      "$bin" "$url" large "$op" "$calls" >> "$out"
    done
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"

# median FIELD IMPL OP
median() { median_field "$1" "RESULT impl=$2 mode=large op=$3 " "$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# fmt SCALE DECIMALS VALUE: VALUE / SCALE
fmt() { awk -v s="$1" -v d="$2" -v v="$3" 'BEGIN { printf "%.*f", d, v / s }'; }
{
  grep '^#' "$out" | sed 's/^# /    /'
  echo
  echo "| large answer (10,000 items), median of $repeats | ours | aws-sdk-rust | ours / peer | target |"
  echo "|---|---|---|---|---|"
  for op in $ops; do
    case "$op" in
      describe-lifecycle-hooks) name="DescribeLifecycleHooks" ;;
      list-hook-results) name="ListHookResults" ;;
    esac
    bytes=$(median answer_bytes ours "$op")
    label="$name ($(fmt 1e6 2 "$bytes") MB)"
    o_cpu=$(median cpu_us_per_call ours "$op") p_cpu=$(median cpu_us_per_call peer-aws-sdk "$op")
    o_mb=$(median cpu_us_per_mb ours "$op") p_mb=$(median cpu_us_per_mb peer-aws-sdk "$op")
    o_held=$(median held_bytes ours "$op") p_held=$(median held_bytes peer-aws-sdk "$op")
    o_x=$(median held_per_answer_byte ours "$op") p_x=$(median held_per_answer_byte peer-aws-sdk "$op")
    o_rss=$(median maxrss_kb ours "$op") p_rss=$(median maxrss_kb peer-aws-sdk "$op")
    echo "| $label: client CPU per call | $(fmt 1e3 2 "$o_cpu") ms | $(fmt 1e3 2 "$p_cpu") ms" \
      "| $(ratio "$o_cpu" "$p_cpu") | |"
    echo "| $label: client CPU per MB | $(fmt 1e3 2 "$o_mb") ms | $(fmt 1e3 2 "$p_mb") ms | $(ratio "$o_mb" "$p_mb") | |"
    echo "| $label: heap held while parsing | $(fmt 1e6 2 "$o_held") MB (${o_x}x the answer)" \
      "| $(fmt 1e6 2 "$p_held") MB (${p_x}x the answer) | $(ratio "$o_held" "$p_held") | ours <= 3x the answer |"
    echo "| $label: client peak RSS | ${o_rss} KiB | ${p_rss} KiB | $(ratio "$o_rss" "$p_rss") | |"
  done
} | tee "$results/large-answers-table.md"
