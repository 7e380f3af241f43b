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
# Whole services, like for like (issue 14): bench/whole on a crate generated
# from botocore's whole models (`cargo xtask bench-whole`) against the SDK's
# crates: Auto Scaling alone (66 operations; bench/peer-aws-sdk
# --no-default-features is aws-sdk-autoscaling alone) and the four services
# (274 operations). And paying only for what is called: a program on
# PutLifecycleHook through its per-operation feature, from the whole
# four-service crate and from a crate generated from the seed operations, one
# per service, as the project began (`cargo xtask bench-whole
# --seed-operations`); the last build regenerates the whole crate again. The
# two differ by well under a second of their own work, less than identical
# crates vary between cold builds on two cores, so each is built PUT_REPEATS
# times (default 3), alternating, and the medians are compared.
#
# And against ourselves before: with BASELINE=<commit>, bench/ours as that
# commit had it (a git worktree in a temporary folder), built the same way
# ("baseline"), so that a change's cost shows side by side with the code
# BENCHMARKS.md measured before it.
#
# Usage: [BASELINE=<commit>] [PUT_REPEATS=N] bench/compare-build.sh [--no-wait] [--only NAME,...]
#   NAME: ours peer floor floor-min whole-autoscaling peer-autoscaling whole-four put-whole put-one baseline
#   --no-wait   do not wait for a quiet machine first (bench/wait-quiet.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common/lib.sh
. "$here/common/lib.sh"
results="$here/results"
mkdir -p "$results"
wait=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-wait) wait=0 ;;
    --only) only=$2; shift ;;
    *) echo "usage: $0 [--no-wait] [--only NAME,...]" >&2; exit 2 ;;
  esac
  shift
done

root=$(dirname "$here")
whole() { (cd "$root" && cargo xtask bench-whole --iterations 1 "$@" > /dev/null); }
whole
for p in ours peer-aws-sdk floor whole; do
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

# build_baseline TREE: the measured build of bench/ours in a checkout of $BASELINE.
build_baseline() {
  (cd "$1/bench/ours" && cargo fetch --locked -q)
  build baseline "$1/bench/ours" bench-ours
}

run() {
  case "$1" in
    ours) build ours "$here/ours" bench-ours ;;
    peer) build peer "$here/peer-aws-sdk" bench-peer-aws-sdk ;;
    floor) build floor "$here/floor" bench-floor ;;
    floor-min) build floor-min "$here/floor" bench-floor --no-default-features ;;
    whole-autoscaling) build whole-autoscaling "$here/whole" bench-whole --no-default-features --features autoscaling ;;
    peer-autoscaling) build peer-autoscaling "$here/peer-aws-sdk" bench-peer-aws-sdk --no-default-features ;;
    whole-four) build whole-four "$here/whole" bench-whole ;;
    put-whole) build put-whole "$here/whole" bench-whole --no-default-features --features put-lifecycle-hook ;;
    baseline)
      [ -n "${BASELINE:-}" ] || { echo "- - - - -"; return; }
      with_baseline_tree build_baseline
      ;;
    put-one)
      whole --seed-operations
      build put-one "$here/whole" bench-whole --no-default-features --features put-lifecycle-hook
      whole
      ;;
  esac
}

# median_fields FILE: the median of each column over FILE's lines.
median_fields() {
  local c
  for c in $(seq "$(head -1 "$1" | wc -w)"); do
    awk -v c="$c" '{ print $c }' "$1" | median_of_lines
  done | paste -sd' '
}

wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
names=(ours baseline peer floor floor-min whole-autoscaling peer-autoscaling whole-four put-whole put-one)
: > "$results/build-raw.txt"
declare -A r
for n in "${names[@]}"; do
  r[$n]=${r[$n]:-"- - - - -"}
  case "$n" in
    put-whole)
      # Both put builds, alternating, PUT_REPEATS times each; each one's line, then the medians.
      for p in put-whole put-one; do : > "$results/build-$p.runs"; done
      for _ in $(seq "${PUT_REPEATS:-3}"); do
        for p in put-whole put-one; do
          if wanted "$p"; then run "$p" >> "$results/build-$p.runs"; fi
        done
      done
      for p in put-whole put-one; do
        if wanted "$p"; then
          r[$p]=$(median_fields "$results/build-$p.runs")
          sed "s/^/$p run: /" "$results/build-$p.runs" >> "$results/build-raw.txt"
        fi
      done
      ;;
    put-one) ;;
    *) if wanted "$n"; then r[$n]=$(run "$n"); fi ;;
  esac
  echo "$n: ${r[$n]}" >> "$results/build-raw.txt"
done
ours=(${r[ours]}) peer=(${r[peer]}) floor=(${r[floor]}) floormin=(${r[floor-min]})
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/build-machine.txt"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.3f (1/%.1f)", a / b, b / a; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f MiB", k / 1024 }'; }
secs() { [ "$1" = - ] && echo - || echo "$1 s"; }
bytes() { [ "$1" = - ] && echo - || echo "$1 B"; }
{
  echo "| cold release build | ours (5 operations) | aws-sdk-rust (4 operations) | ours / peer | target | floor as used (no code) | floor / peer | floor, minimum | minimum / peer |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row() { # LABEL INDEX UNIT-FORMATTER TARGET
    local o=${ours[$2]} p=${peer[$2]} f=${floor[$2]} m=${floormin[$2]}
    echo "| $1 | $($3 "$o") | $($3 "$p") | $(ratio "$o" "$p") | $4 | $($3 "$f") | $(ratio "$f" "$p") | $($3 "$m") | $(ratio "$m" "$p") |"
  }
  row "wall time" 0 secs "<= 1/8"
  row "peak RSS, largest process (time -v)" 1 mib "<= 1/3"
  row "peak RSS, whole build (sampled sum)" 2 mib ""
  row "CPU time (user + sys)" 3 secs ""
  row "stripped binary" 4 bytes "<= 1/4"
} | tee "$results/build-table.md"

# Ours against ourselves before (BASELINE).
b=(${r[baseline]})
if [ -n "${BASELINE:-}" ]; then
  {
    echo
    echo "| cold release build of bench/ours | now | at $BASELINE | now / then | target |"
    echo "|---|---|---|---|---|"
    echo "| wall time | $(secs "${ours[0]}") | $(secs "${b[0]}") | $(ratio "${ours[0]}" "${b[0]}") | <= 1.10 |"
    echo "| CPU time (user + sys) | $(secs "${ours[3]}") | $(secs "${b[3]}") | $(ratio "${ours[3]}" "${b[3]}") | <= 1.10 |"
    echo "| peak RSS, largest process | $(mib "${ours[1]}") | $(mib "${b[1]}") | $(ratio "${ours[1]}" "${b[1]}") | |"
    echo "| stripped binary | $(bytes "${ours[4]}") | $(bytes "${b[4]}") | $(ratio "${ours[4]}" "${b[4]}") | |"
  } | tee "$results/build-baseline-table.md"
fi

# Whole services against the SDK's crates, like for like.
wa=(${r[whole-autoscaling]}) pa=(${r[peer-autoscaling]}) wf=(${r[whole-four]})
pw=(${r[put-whole]}) po=(${r[put-one]})
{
  echo
  echo "| cold release build | ours, whole Auto Scaling (66) | aws-sdk-autoscaling | ours / peer | ours, four whole services (274) | the four SDK crates | ours / peer | target |"
  echo "|---|---|---|---|---|---|---|---|"
  row2() { # LABEL INDEX UNIT-FORMATTER TARGET
    echo "| $1 | $($3 "${wa[$2]}") | $($3 "${pa[$2]}") | $(ratio "${wa[$2]}" "${pa[$2]}") | $($3 "${wf[$2]}") | $($3 "${peer[$2]}") | $(ratio "${wf[$2]}" "${peer[$2]}") | $4 |"
  }
  row2 "wall time" 0 secs "<= 1/4"
  row2 "peak RSS, largest process (time -v)" 1 mib "<= 1/3"
  row2 "peak RSS, whole build (sampled sum)" 2 mib ""
  row2 "CPU time (user + sys)" 3 secs ""
  row2 "stripped binary" 4 bytes ""
  # Build CPU above the floor (bench/floor as used), per operation.
  per_op() { awk -v c="$1" -v f="${floor[3]}" -v n="$2" 'BEGIN { if (c == "-" || f == "-") print "-"; else printf "%.3f", (c - f) / n }'; }
  a_ours=$(per_op "${wa[3]}" 66) a_peer=$(per_op "${pa[3]}" 66) f_ours=$(per_op "${wf[3]}" 274) f_peer=$(per_op "${peer[3]}" 274)
  echo "| build CPU above the floor, per operation | $a_ours s | $a_peer s | $(ratio "$a_ours" "$a_peer") | $f_ours s | $f_peer s | $(ratio "$f_ours" "$f_peer") | <= 1/10 |"
  echo
  echo "| PutLifecycleHook alone (per-operation feature), median of ${PUT_REPEATS:-3} alternating builds each | from the four whole services (274) | from the seed operations (one per service) | difference | target |"
  echo "|---|---|---|---|---|"
  echo "| cold release build, wall time | $(secs "${pw[0]}") | $(secs "${po[0]}") | $(awk -v a="${pw[0]}" -v b="${po[0]}" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%+.2f s", a - b }') | within 5 s |"
  echo "| CPU time (user + sys) | $(secs "${pw[3]}") | $(secs "${po[3]}") | $(awk -v a="${pw[3]}" -v b="${po[3]}" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%+.2f s", a - b }') | |"
  echo "| peak RSS, largest process | $(mib "${pw[1]}") | $(mib "${po[1]}") | | |"
} | tee "$results/build-whole-table.md"
