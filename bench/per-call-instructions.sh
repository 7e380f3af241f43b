#!/usr/bin/env bash
# Per-call client cost in instructions, counted by callgrind (valgrind): the
# same programs and loopback server as bench/per-call.sh, but a count that does
# not move with what else the machine is doing, so that a change of a few
# percent shows (per-call.sh's CPU times move by more than that between runs
# on two cores). User-space instructions only: the kernel's share of a call
# (the syscalls, the same in number for ours and the floor but one `recvfrom`)
# is not in it; per-call.sh measures the whole.
#
# Each program makes N1 and then N2 calls (after the harness's warm-up), and
# the count per call is the difference over N2 - N1, so that start-up and the
# warm-up cancel out. Sequential, and 64 at a time (callgrind runs one thread
# at a time, so this counts the concurrent path's work, not its contention).
#
# With BASELINE=<commit>, that commit's bench/ours is counted beside.
#
# Usage: [BASELINE=<commit>] bench/per-call-instructions.sh [--n1 N] [--n2 N] [--no-peer]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common/lib.sh
. "$here/common/lib.sh"
results="$here/results"
mkdir -p "$results"
n1=500 n2=1500 peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --n1) n1=$2; shift ;;
    --n2) n2=$2; shift ;;
    --no-peer) peer=0 ;;
    *) echo "usage: $0 [--n1 N] [--n2 N] [--no-peer]" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind > /dev/null || { echo "error: valgrind is needed (Debian's valgrind package)" >&2; exit 1; }

release_build loopback-server loopback-server
release_build ours ours
release_build floor-call floor-call
programs=("ours=$here/target/ours/release/bench-ours" "floor=$here/target/floor-call/release/bench-floor-call")
if [ "$peer" = 1 ]; then
  release_build peer-aws-sdk peer
  programs+=("peer-aws-sdk=$here/target/peer/release/bench-peer-aws-sdk")
fi
if [ -n "${BASELINE:-}" ]; then
  build_baseline() { (cd "$1/bench/ours" && CARGO_TARGET_DIR="$here/target/baseline" cargo build --release --locked -q); }
  with_baseline_tree build_baseline
  programs+=("baseline=$here/target/baseline/release/bench-ours")
fi
start_loopback "$here/target/loopback-server/release/loopback-server"

scratch=$(mktemp -d)
# count PROGRAM ARGS...: the instructions callgrind counts over the whole run.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$scratch/out" "$@" 2>&1 > /dev/null |
    awk '/Collected :/ { print $NF }'
}
out="$results/per-call-instructions.txt"
echo "# $(date -u) $(valgrind --version); calls $n1 and $n2" > "$out"
declare -A per
for p in "${programs[@]}"; do
  name=${p%%=*} bin=${p#*=}
  "$bin" "$url" once > /dev/null
  for mode in seq conc; do
    extra=""
    [ "$mode" = conc ] && extra=64
    # shellcheck disable=SC2086
    a=$(count "$bin" "$url" "$mode" "$n1" $extra)
    # shellcheck disable=SC2086
    b=$(count "$bin" "$url" "$mode" "$n2" $extra)
    per[$name.$mode]=$(awk -v a="$a" -v b="$b" -v n="$((n2 - n1))" 'BEGIN { printf "%.0f", (b - a) / n }')
    echo "$name $mode calls=$n1 instructions=$a calls=$n2 instructions=$b per_call=${per[$name.$mode]}" | tee -a "$out"
  done
done
rm -rf "$scratch"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.3f", a / b }'; }
{
  echo
  echo "| PutLifecycleHook, instructions per call (callgrind) | ours | floor | ours / floor | aws-sdk-rust | ours / peer | ours at ${BASELINE:--} | now / then |"
  echo "|---|---|---|---|---|---|---|---|"
  for mode in seq conc; do
    o=${per[ours.$mode]} f=${per[floor.$mode]} p=${per[peer-aws-sdk.$mode]:-} b=${per[baseline.$mode]:-}
    echo "| $mode | $o | $f | $(ratio "$o" "$f") | ${p:--} | $(ratio "$o" "$p") | ${b:--} | $(ratio "$o" "$b") |"
  done
} | tee "$results/per-call-instructions-table.md"
