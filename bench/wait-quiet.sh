#!/usr/bin/env bash
# Waits until the machine is quiet: no rustc running and a 1-minute load
# average under $QUIET_LOAD (default 0.5), twice in a row, polling every 30 s
# for at most $QUIET_MAX_MINUTES (default 40). Prints what it saw; never fails
# (if the machine never gets quiet, the caller measures anyway and records the
# load it prints).
set -u
max_minutes=${QUIET_MAX_MINUTES:-40}
threshold=${QUIET_LOAD:-0.5}
deadline=$(( $(date +%s) + max_minutes * 60 ))
calm=0
while :; do
  rustc=$(pgrep -c -x rustc || true)
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ "${rustc:-0}" -eq 0 ] && awk -v l="$load" -v t="$threshold" 'BEGIN { exit !(l < t) }'; then
    calm=$((calm + 1))
  else
    calm=0
  fi
  echo "wait-quiet: $(date -u +%H:%M:%S) rustc=${rustc:-0} load=$load calm=$calm" >&2
  if [ "$calm" -ge 2 ]; then
    echo "quiet"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "not quiet after ${max_minutes} min (load $(cut -d' ' -f1-3 /proc/loadavg))"
    exit 0
  fi
  sleep 30
done
