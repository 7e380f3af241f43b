#!/usr/bin/env bash
# Whole-build comparison: a cold `cargo build --release` of bench/ours (all five
# operations through the generated crate) and of bench/peer-aws-sdk (the four
# AWS ones through aws-sdk-rust), back to back, each in a fresh
# CARGO_TARGET_DIR, with the same [profile.release] settings (both manifests
# spell out cargo's defaults) and the same flags. Dependencies are fetched
# first and the builds run --offline --locked, so no download is timed.
#
# Measured per build: wall time and the largest single process's peak RSS
# (/usr/bin/time -v: "Maximum resident set size", which for a build is the
# biggest rustc), the peak of the whole build's summed RSS (sampled every
# 0.5 s), user+system CPU time, and the size of the binary stripped with
# `strip`. Prints a Markdown table; raw logs go to bench/results/.
#
# Usage: bench/compare-build.sh [--no-wait] [--only ours|peer]
#   --no-wait   do not wait for a quiet machine first (bench/wait-quiet.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
results="$here/results"
mkdir -p "$results"
wait=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-wait) wait=0 ;;
    --only) only=$2; shift ;;
    *) echo "usage: $0 [--no-wait] [--only ours|peer]" >&2; exit 2 ;;
  esac
  shift
done

for p in ours peer-aws-sdk; do
  (cd "$here/$p" && cargo fetch --locked -q)
done
quiet="(not waited for)"
if [ "$wait" = 1 ]; then
  quiet=$("$here/wait-quiet.sh")
fi
echo "machine: $quiet; load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results/build-machine.txt"

# The summed RSS (KiB) of process $1 and all its descendants.
tree_rss() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      for (p in parent) {
        q = p
        while (q != "" && q != 0 && q != root) q = parent[q]
        if (q == root) s += rss[p]
      }
      print s + 0
    }'
}

# build NAME DIR BIN: prints "wall_s maxrss_kb tree_peak_kb cpu_s stripped_bytes"
build() {
  local name=$1 dir=$2 bin=$3
  local target
  target=$(mktemp -d "${TMPDIR:-/tmp}/cold-$name.XXXXXX")
  local log="$results/build-$name.log" peakfile="$results/build-$name.treepeak"
  echo 0 > "$peakfile"
  (
    cd "$dir"
    exec env CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 RUSTFLAGS= CARGO_BUILD_RUSTFLAGS= \
      /usr/bin/time -v cargo build --release --locked --offline
  ) > "$log" 2>&1 &
  local pid=$! peak=0 rss
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(tree_rss "$pid")
    [ "$rss" -gt "$peak" ] && peak=$rss && echo "$peak" > "$peakfile"
    sleep 0.5
  done
  wait "$pid"
  local wall maxrss user sys
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  maxrss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  user=$(awk -F': ' '/User time/ { print $2 }' "$log")
  sys=$(awk -F': ' '/System time/ { print $2 }' "$log")
  strip -o "$target/stripped" "$target/release/$bin"
  echo "$wall $maxrss $(cat "$peakfile") $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $(stat -c %s "$target/stripped")"
  rm -rf "$target"
}

run() {
  case "$1" in
    ours) build ours "$here/ours" bench-ours ;;
    peer) build peer "$here/peer-aws-sdk" bench-peer-aws-sdk ;;
  esac
}

ours=(- - - - -)
peer=(- - - - -)
if [ "$only" != peer ]; then read -r -a ours <<< "$(run ours)"; fi
if [ "$only" != ours ]; then read -r -a peer <<< "$(run peer)"; fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/build-machine.txt"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.3f (1/%.1f)", a / b, b / a; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f MiB", k / 1024 }'; }
{
  echo "| cold release build | ours (5 operations) | aws-sdk-rust (4 operations) | ours / peer | target |"
  echo "|---|---|---|---|---|"
  echo "| wall time | ${ours[0]} s | ${peer[0]} s | $(ratio "${ours[0]}" "${peer[0]}") | <= 1/8 |"
  echo "| peak RSS, largest process (time -v) | $(mib "${ours[1]}") | $(mib "${peer[1]}") | $(ratio "${ours[1]}" "${peer[1]}") | <= 1/3 |"
  echo "| peak RSS, whole build (sampled sum) | $(mib "${ours[2]}") | $(mib "${peer[2]}") | $(ratio "${ours[2]}" "${peer[2]}") | |"
  echo "| CPU time (user + sys) | ${ours[3]} s | ${peer[3]} s | $(ratio "${ours[3]}" "${peer[3]}") | |"
  echo "| stripped binary | ${ours[4]} B | ${peer[4]} B | $(ratio "${ours[4]}" "${peer[4]}") | <= 1/4 |"
} | tee "$results/build-table.md"
