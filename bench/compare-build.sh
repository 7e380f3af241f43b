#!/usr/bin/env bash
# Whole-build comparison: a cold `cargo build --release` of bench/ours (all five
# operations through the generated crate), of bench/peer-aws-sdk (the four
# AWS ones through aws-sdk-rust) and of bench/floor (no code: only the crates
# the runtime must stand on, as a reference line), back to back, each in a fresh
# CARGO_TARGET_DIR, with the same [profile.release] settings (both manifests
# spell out cargo's defaults) and the same flags. The floor is built twice: as
# the runtime uses its crates, and with the least features any client on the
# required stack needs (`--no-default-features`, see bench/floor/Cargo.toml).
# Dependencies are fetched first and the builds run --offline --locked, so no
# download is timed.
#
# Measured per build: wall time and the largest single process's peak RSS
# (/usr/bin/time -v: "Maximum resident set size", which for a build is the
# biggest rustc), the peak of the whole build's summed RSS (sampled every
# 0.5 s), user+system CPU time, and the size of the binary stripped with
# `strip`. Prints a Markdown table; raw logs go to bench/results/.
#
# Usage: bench/compare-build.sh [--no-wait] [--only ours|peer|floor|floor-min]
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
    *) echo "usage: $0 [--no-wait] [--only ours|peer|floor|floor-min]" >&2; exit 2 ;;
  esac
  shift
done

for p in ours peer-aws-sdk floor; do
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

# build NAME DIR BIN [CARGO ARGS...]: prints "wall_s maxrss_kb tree_peak_kb cpu_s stripped_bytes"
build() {
  local name=$1 dir=$2 bin=$3
  shift 3
  local target
  target=$(mktemp -d "${TMPDIR:-/tmp}/cold-$name.XXXXXX")
  local log="$results/build-$name.log" peakfile="$results/build-$name.treepeak"
  echo 0 > "$peakfile"
  (
    cd "$dir"
    exec env CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 RUSTFLAGS= CARGO_BUILD_RUSTFLAGS= \
      /usr/bin/time -v cargo build --release --locked --offline "$@"
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
    floor) build floor "$here/floor" bench-floor ;;
    floor-min) build floor-min "$here/floor" bench-floor --no-default-features ;;
  esac
}

ours=(- - - - -)
peer=(- - - - -)
floor=(- - - - -)
floormin=(- - - - -)
if [ -z "$only" ] || [ "$only" = ours ]; then read -r -a ours <<< "$(run ours)"; fi
if [ -z "$only" ] || [ "$only" = peer ]; then read -r -a peer <<< "$(run peer)"; fi
if [ -z "$only" ] || [ "$only" = floor ]; then read -r -a floor <<< "$(run floor)"; fi
if [ -z "$only" ] || [ "$only" = floor-min ]; then read -r -a floormin <<< "$(run floor-min)"; fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/build-machine.txt"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.3f (1/%.1f)", a / b, b / a; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f MiB", k / 1024 }'; }
{
  echo "| cold release build | ours (5 operations) | aws-sdk-rust (4 operations) | ours / peer | target | floor as used (no code) | floor / peer | floor, minimum | minimum / peer |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row() { # LABEL INDEX UNIT-FORMATTER TARGET
    local o=${ours[$2]} p=${peer[$2]} f=${floor[$2]} m=${floormin[$2]}
    echo "| $1 | $($3 "$o") | $($3 "$p") | $(ratio "$o" "$p") | $4 | $($3 "$f") | $(ratio "$f" "$p") | $($3 "$m") | $(ratio "$m" "$p") |"
  }
  secs() { [ "$1" = - ] && echo - || echo "$1 s"; }
  bytes() { [ "$1" = - ] && echo - || echo "$1 B"; }
  row "wall time" 0 secs "<= 1/8"
  row "peak RSS, largest process (time -v)" 1 mib "<= 1/3"
  row "peak RSS, whole build (sampled sum)" 2 mib ""
  row "CPU time (user + sys)" 3 secs ""
  row "stripped binary" 4 bytes "<= 1/4"
} | tee "$results/build-table.md"
