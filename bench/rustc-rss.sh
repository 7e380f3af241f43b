#!/usr/bin/env bash
# A RUSTC_WRAPPER that records each rustc's peak RSS and wall time, to find
# which crate is a build's largest process (compare-build.sh measures only
# the largest). One line per rustc is appended to $RUSTC_RSS_LOG
# (default bench/results/rustc-rss.txt): "<KiB> KB <seconds> s <crate>".
#
#   RUSTC_WRAPPER=$PWD/bench/rustc-rss.sh CARGO_TARGET_DIR=$(mktemp -d) \
#     cargo build --release --manifest-path bench/ours/Cargo.toml
#   sort -n bench/results/rustc-rss.txt | tail
set -u
log=${RUSTC_RSS_LOG:-$(cd "$(dirname "$0")" && pwd)/results/rustc-rss.txt}
mkdir -p "$(dirname "$log")"
crate=-
prev=
for arg in "$@"; do
  [ "$prev" = --crate-name ] && crate=$arg
  prev=$arg
done
exec /usr/bin/time -a -o "$log" -f "%M KB %e s $crate" "$@"
