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

# median_field FIELD PREFIX FILE: the median of FIELD=value over the lines of FILE starting with PREFIX.
median_field() {
  grep "^$2" "$3" | tr ' ' '\n' | awk -F= -v f="$1" '$1 == f { print $2 }' | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
