#!/usr/bin/env bash
# "Pay only for what you call", incrementally: `cargo check` of bench/whole
# with PutLifecycleHook's per-operation feature alone, on the crate generated
# from the seed operations (4, one per service) and from the four whole
# services (274), and, for scale, with every operation of Auto Scaling (66)
# and of the four services on. Dependencies are checked first (untimed); each
# timed run touches the generated crate, so it and the program are checked
# again. Prints a Markdown table of medians into bench/results/check-flat.md.
#
# Usage: bench/check-flat.sh [--repeats R]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
results="$here/results"
mkdir -p "$results"
repeats=3
[ "${1:-}" = --repeats ] && repeats=$2
target="$here/target/check-flat"

# check FEATURES: the median wall time (s) of $repeats checks.
check() {
  (cd "$here/whole" && CARGO_TARGET_DIR="$target" cargo check -q --offline --locked --no-default-features --features "$1")
  for _ in $(seq "$repeats"); do
    touch "$here/whole/generated/services/autoscaling/src/lib.rs"
    (cd "$here/whole" && CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e" cargo check -q --offline --locked \
      --no-default-features --features "$1") 2>&1 | tail -1
  done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

(cd "$root" && cargo xtask bench-whole --seed-operations --iterations 1 > /dev/null)
seed=$(check put-lifecycle-hook)
(cd "$root" && cargo xtask bench-whole --iterations 1 > /dev/null)
whole=$(check put-lifecycle-hook)
autoscaling=$(check autoscaling)
four=$(check four)
{
  echo "| \`cargo check\` of bench/whole, median of $repeats | wall |"
  echo "|---|---|"
  echo "| PutLifecycleHook alone, crate of the seed operations (4) | $seed s |"
  echo "| PutLifecycleHook alone, crate of the four whole services (274) | $whole s |"
  echo "| every operation of Auto Scaling on (66) | $autoscaling s |"
  echo "| every operation of the four services on (274) | $four s |"
} | tee "$results/check-flat.md"
