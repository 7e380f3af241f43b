#!/usr/bin/env bash
# CI's quick run of the benchmarks (called by scripts/test): proves they still
# compile and run; it measures nothing and asserts no timing. The aws-sdk peer
# is never built here (bench/peer-aws-sdk takes many minutes).
#
# - bench/ours and the loopback server build (debug), and the program makes all
#   five calls once, 50 sequential and 50 eight at a time against the server;
# - bench/floor-call (the per-call floor) builds (debug) and makes its call once
#   and 50 sequential; ours reads the large DescribeLifecycleHooks answer twice
#   (bench/large-answers.sh's mode), and large-answers.sh parses;
# - bench/whole: the crate of the four whole services (274 operations,
#   `cargo xtask bench-whole`) builds (debug) with the program, which makes
#   its four calls once; PutLifecycleHook's per-operation feature alone builds
#   and makes its call once;
# - the micro benchmarks (divan) run once each (`cargo test --benches`);
# - the generator benchmark runs on tiny sizes;
# - the measuring scripts parse (`bash -n`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common/lib.sh
. "$here/common/lib.sh"
root=$(dirname "$here")
target="$root/target/bench-smoke"
# scripts/test passes the xtask binary its workspace build made (XTASK).
xtask() { if [ -n "${XTASK:-}" ]; then "$XTASK" "$@"; else (cd "$root" && cargo xtask "$@"); fi; }

for s in compare-build.sh per-call.sh per-call-instructions.sh run-all.sh wait-quiet.sh rustc-rss.sh check-flat.sh; do bash -n "$here/$s"; done

(cd "$here/loopback-server" && CARGO_TARGET_DIR="$target" cargo build --locked -q)
(cd "$here/ours" && CARGO_TARGET_DIR="$target" cargo build --locked -q)
(cd "$here/ours" && CARGO_TARGET_DIR="$target" cargo test --locked -q --benches)

start_loopback "$target/debug/loopback-server"
ours="$target/debug/bench-ours"
"$ours" "$url" once
for mode in "seq 50" "conc 50 8"; do
  # shellcheck disable=SC2086
  line=$("$ours" "$url" $mode)
  echo "$line"
  case "$line" in
    "RESULT impl=ours mode=${mode%% *} calls=50 "*) ;;
    *) echo "bench smoke: unexpected output from '$mode'" >&2; exit 1 ;;
  esac
done

# The per-call floor and the large-answer mode (bench/per-call.sh, bench/large-answers.sh).
bash -n "$here/large-answers.sh"
(cd "$here/floor-call" && CARGO_TARGET_DIR="$target" cargo build --locked -q)
floor="$target/debug/bench-floor-call"
# expect PATTERN PROGRAM ARGS...: runs the program, prints its output, checks its shape.
expect() {
  local pattern=$1 out
  shift
  out=$("$@")
  echo "$out"
  # shellcheck disable=SC2053
  [[ $out == $pattern ]] || { echo "bench smoke: unexpected output from ${1##*/} ${*:3}" >&2; exit 1; }
}
expect "floor PutLifecycleHook: ok" "$floor" "$url" once
expect "RESULT impl=floor mode=seq calls=50 concurrency=1 * cpu_us_per_call=* maxrss_kb=*" "$floor" "$url" seq 50
expect "RESULT impl=ours mode=large op=describe-lifecycle-hooks calls=2 items=10000 answer_bytes=* cpu_us_per_mb=* \
held_bytes=* held_per_answer_byte=* maxrss_kb=*" "$ours" "$url" large describe-lifecycle-hooks 2

# Whole services (bench/compare-build.sh, bench/check-flat.sh).
xtask bench-whole --iterations 1
(cd "$here/whole" && CARGO_TARGET_DIR="$target" cargo build --locked -q)
expect "autoscaling PutLifecycleHook: ok*transfer SendWorkflowStepState: ok" "$target/debug/bench-whole" "$url" once
(cd "$here/whole" && CARGO_TARGET_DIR="$target" cargo build --locked -q --no-default-features --features put-lifecycle-hook)
expect "autoscaling PutLifecycleHook: ok" "$target/debug/bench-whole" "$url" once

xtask bench-codegen --iterations 2 --sizes 5,10 --size-iterations 2
echo "bench smoke: ok"
