#!/usr/bin/env bash
# Every figure of BENCHMARKS.md in one run: builds what is measured first,
# waits for a quiet machine (bench/wait-quiet.sh), then measures the
# per-call cost against the peer and the floor (per-call.sh), parsing large
# answers (large-answers.sh), our micro-costs (cargo bench in bench/ours),
# the generator (cargo xtask bench-codegen, with the feature-gating check, and
# cargo xtask bench-whole on the 274 imported operations), `cargo check` of one
# operation as operations are added (check-flat.sh), and last the cold builds
# back to back (compare-build.sh: ours, the peer, the floors, whole services,
# one operation). Everything goes to bench/results/.
#
# Usage: bench/run-all.sh [--no-wait]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
results="$here/results"
mkdir -p "$results"
wait=1
[ "${1:-}" = --no-wait ] && wait=0

# Generator work happens in a target directory of its own (other builds may hold target/).
export CARGO_TARGET_DIR_GEN="${CARGO_TARGET_DIR_GEN:-$root/target/bench}"

echo "== preparing (not measured)"
(cd "$root" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR_GEN" cargo build -q -p xtask)
(cd "$root" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR_GEN" cargo xtask bench-whole --iterations 1 > /dev/null)
(cd "$here/ours" && CARGO_TARGET_DIR="$here/target/ours" cargo bench --no-run -q --bench micro 2> /dev/null)
for p in loopback-server:loopback-server ours:ours peer-aws-sdk:peer; do
  (cd "$here/${p%%:*}" && CARGO_TARGET_DIR="$here/target/${p##*:}" cargo build --release --locked -q)
done
for p in ours peer-aws-sdk; do (cd "$here/$p" && cargo fetch --locked -q); done

quiet="(not waited for)"
[ "$wait" = 1 ] && quiet=$("$here/wait-quiet.sh")

{
  echo "date: $(date -u)"
  echo "machine state: $quiet; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory:"; free -h
  echo "rustc: $(rustc -V)"; echo "cargo: $(cargo -V)"
  echo "peer crates:"
  grep -A1 -E '^name = "(aws-config|aws-sdk-autoscaling|aws-sdk-cloudformation|aws-sdk-codedeploy|aws-sdk-transfer|aws-smithy-runtime|tokio)"$' \
    "$here/peer-aws-sdk/Cargo.lock" | grep -v '^--' | paste - - | sed 's/name = //; s/version = //'
} | tee "$results/machine.txt"

echo "== per call"
"$here/per-call.sh" --no-wait

echo "== large answers"
"$here/large-answers.sh" --no-wait

echo "== micro-costs (cargo bench)"
(cd "$here/ours" && CARGO_TARGET_DIR="$here/target/ours" cargo bench -q --bench micro 2> /dev/null) | tee "$results/micro.txt"

echo "== generator"
(cd "$root" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR_GEN" cargo xtask bench-codegen --iterations 50 \
  --sizes 100,300,1000 --size-iterations 5 --gating 1000 --gating-repeats 3) | tee "$results/generator.txt"
# End to end, as a user runs it (the binary is built; cargo's own start-up included).
(cd "$root" && for _ in 1 2 3 4 5; do
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR_GEN" /usr/bin/time -f "%e s wall, %U s user, %S s sys" cargo xtask regenerate --check 2>&1 | tail -1
done) | tee "$results/regenerate-e2e.txt"

# The 274 operations imported from botocore, in-process as above.
(cd "$root" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR_GEN" cargo xtask bench-whole --iterations 10) | tee "$results/generator-whole.txt"

echo "== cargo check of one operation as operations are added"
"$here/check-flat.sh"

echo "== cold builds"
"$here/compare-build.sh" --no-wait
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/machine.txt"
