# Shell helpers shared by the bench scripts (sourced, not run).

# start_loopback SERVER: runs bench/loopback-server on a free loopback port,
# sets $url to it, and stops it when the script exits.
start_loopback() {
  loopback_port_file=$(mktemp)
  "$1" 0 > "$loopback_port_file" &
  loopback_pid=$!
  trap 'kill "$loopback_pid" 2>/dev/null || true; rm -f "$loopback_port_file"' EXIT
  for _ in $(seq 100); do
    grep -q listening "$loopback_port_file" && break
    sleep 0.1
  done
  url="http://127.0.0.1:$(awk '/listening/ { print $3 }' "$loopback_port_file")"
}

# median_of_lines: the median of the numbers on standard input, one per line.
median_of_lines() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median_field FIELD PREFIX FILE: the median of FIELD=value over the lines of FILE starting with PREFIX.
median_field() {
  grep "^$2" "$3" | tr ' ' '\n' | awk -F= -v f="$1" '$1 == f { print $2 }' | median_of_lines
}

# release_build DIR TARGET: `cargo build --release --locked` of bench/DIR into bench/target/TARGET
# (`$here` is the calling script's folder, bench/).
release_build() {
  (cd "$here/$1" && CARGO_TARGET_DIR="$here/target/$2" cargo build --release --locked -q)
}

# with_baseline_tree CMD ARGS...: runs CMD ARGS... TREE, where TREE is a temporary git
# worktree of the commit $BASELINE, and removes the worktree afterwards.
with_baseline_tree() {
  local repo tree
  repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
  tree=$(mktemp -d "${TMPDIR:-/tmp}/baseline.XXXXXX")
  git -C "$repo" worktree add -q --detach "$tree" "$BASELINE" >&2
  "$@" "$tree"
  git -C "$repo" worktree remove --force "$tree" >&2
}
