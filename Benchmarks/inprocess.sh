#!/usr/bin/env bash
# inprocess.sh - the in-process benchmark (switchyard-bench) on 10,000 and 1,000,000
# names, plain and routed: zone load time, resident memory after load and at peak, and
# answers per second through the server's own query path on one thread. No sockets and
# no dnsperf, so a regression shows on any machine; every answer is checked against
# what the generator expects and a wrong one fails the run.
#
#   Benchmarks/inprocess.sh                        # release build, 10k and 1M names, 5 s each
#   Benchmarks/inprocess.sh --names "10000" --seconds 2
#   Benchmarks/inprocess.sh --routed-names 10000   # routed zone size (0: skip routed runs)
#   Benchmarks/inprocess.sh --json                 # one JSON object per run instead of the table
set -euo pipefail

NAMES="10000 1000000"
ROUTED_NAMES=10000
SECONDS_PER_RUN=5
BENCH="${SWITCHYARD_BENCH:-}"
JSON=0

usage() {
  cat <<USAGE
Usage: inprocess.sh [--names "N1 N2 …"] [--routed-names N] [--seconds S] [--bench PATH] [--json]
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --names) NAMES="${2:?}"; shift ;;
    --routed-names) ROUTED_NAMES="${2:?}"; shift ;;
    --seconds) SECONDS_PER_RUN="${2:?}"; shift ;;
    --bench) BENCH="${2:?}"; shift ;;
    --json) JSON=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "$BENCH" ]; then
  (cd "$root" && swift build -c release --product switchyard-bench >&2)
  BENCH="$root/.build/release/switchyard-bench"
fi

runs=()
for n in $NAMES; do runs+=("--names $n"); done
if [ "$ROUTED_NAMES" -gt 0 ]; then runs+=("--names $ROUTED_NAMES --routed"); fi

results=()
for args in "${runs[@]}"; do
  # One process per run: the peak resident size is the process's own.
  # shellcheck disable=SC2086
  results+=("$("$BENCH" $args --seconds "$SECONDS_PER_RUN" --json)")
done

if [ "$JSON" = 1 ]; then
  printf '%s\n' "${results[@]}"
  exit 0
fi

printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
mib = lambda b: "%.1f" % (b / 1048576) if b else "n/a"
print("%-7s %9s %9s %8s %12s %10s %12s %6s" % ("zone", "names", "records", "load s", "RSS load MiB", "peak MiB", "answers/s", "wrong"))
for r in rows:
    print("%-7s %9d %9d %8.2f %12s %10s %12d %6d" % (r["mode"], r["names"], r["records"], r["loadSeconds"],
          mib(r.get("residentAfterLoad")), mib(r.get("peakResident")), r["answersPerSecond"], r["wrong"]))
'
