#!/usr/bin/env bash
# fleet-propagation.sh - how fast an override made through one instance reaches the
# answers of every instance of a fleet (SPEC §6: within 1 s; the goal is p99 under
# 200 ms on loopback).
#
# Starts the fleet of Examples/fleet-drill (three etcd members, two region backends, three
# Switchyard instances ns1, ns2, ns3, all on loopback; see fleet-lib.sh there), waits until
# it is in sync, then runs fleet-propagation.py: N writes alternately overriding the
# health check use1 down and up through ns1's admin API, each timed from sending the write
# to the moment every instance answers api.fleet.test with the new address. Prints p50,
# p90, p99 and max; everything it starts is stopped by pid on exit.
#
#   swift build -c release                      # the script prefers .build/release/switchyard
#   Benchmarks/fleet-propagation.sh             # 100 flips
#   Benchmarks/fleet-propagation.sh --flips 500 --csv flips.csv
set -euo pipefail

SCRIPT_NAME=fleet-propagation.sh
DNS_PORTS="${DNS_PORTS:-5401,5402,5403}"
ADMIN_PORTS="${ADMIN_PORTS:-5411,5412,5413}"
ETCD_PORTS="${ETCD_PORTS:-5421,5422,5423}"
ETCD_PEER_PORTS="${ETCD_PEER_PORTS:-5431,5432,5433}"
BACKEND_PORT="${BACKEND_PORT:-8090}"
SWITCHYARD="${SWITCHYARD:-}"
ETCD="${ETCD:-}"
KEEP=0
FLIPS=100
POLL_MS=1
CSV=""
BUILD_CONFIGURATION=release

usage() {
  cat <<USAGE
Usage: $SCRIPT_NAME [options]

Measures the time from an override write through ns1 to the moment all three instances
of a local fleet answer differently.

Options:
  --flips N               writes to time, alternately down and up (default 100)
  --csv FILE              write one row per flip (write latency, per-instance and all-instance times)
  --poll-ms MS            pause between rounds of DNS queries (default 1)
  --dns-ports A,B,C       DNS ports of ns1, ns2, ns3 (default 5401,5402,5403)
  --admin-ports A,B,C     admin API ports (default 5411,5412,5413)
  --etcd-ports A,B,C      etcd client ports (default 5421,5422,5423)
  --etcd-peer-ports A,B,C etcd peer ports (default 5431,5432,5433)
  --backend-port N        the region backends' HTTP port (default 8090)
  --switchyard PATH       the binary (default: .build/release/switchyard, built when missing)
  --etcd PATH             etcd (default: etcd on the PATH; Debian package etcd-server)
  --keep                  keep the working folder with the logs
  -h, --help              this help
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --flips) FLIPS="${2:?--flips needs a number}"; shift ;;
    --csv) CSV="${2:?--csv needs a file}"; shift ;;
    --poll-ms) POLL_MS="${2:?--poll-ms needs milliseconds}"; shift ;;
    --dns-ports) DNS_PORTS="${2:?--dns-ports needs three ports}"; shift ;;
    --admin-ports) ADMIN_PORTS="${2:?--admin-ports needs three ports}"; shift ;;
    --etcd-ports) ETCD_PORTS="${2:?--etcd-ports needs three ports}"; shift ;;
    --etcd-peer-ports) ETCD_PEER_PORTS="${2:?--etcd-peer-ports needs three ports}"; shift ;;
    --backend-port) BACKEND_PORT="${2:?--backend-port needs a port}"; shift ;;
    --switchyard) SWITCHYARD="${2:?--switchyard needs a path}"; shift ;;
    --etcd) ETCD="${2:?--etcd needs a path}"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$SCRIPT_NAME: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ "$FLIPS" =~ ^[0-9]+$ ]] && [ "$FLIPS" -ge 1 ] || { echo "$SCRIPT_NAME: --flips needs a positive number" >&2; exit 2; }
if [ -n "$CSV" ]; then CSV="$(cd "$(dirname "$CSV")" && pwd)/$(basename "$CSV")"; fi

benchmarks="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../Examples/fleet-drill/fleet-lib.sh
source "$benchmarks/../Examples/fleet-drill/fleet-lib.sh"
fleet_ports
fleet_tools

say "switchyard: $SWITCHYARD"
say "etcd:       $ETCD ($(cluster_urls))"
start_etcd
start_backends
start_instances
if ! await_fleet "$(admin_url ns1)" 20000; then
  for name in "${instances[@]}"; do say "$name's log:"; log_tail "$work/switchyard-$name.log"; done
  fleet_trouble
  die "the fleet was not in sync within 20 s"
fi
say "fleet in sync after $(seconds "$fleet_wait_ms") s; $(nproc 2>/dev/null || echo '?') CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

servers=()
for name in "${instances[@]}"; do servers+=(--server "$name=127.0.0.1:${dns_port_of[$name]}"); done
csv_args=()
if [ -n "$CSV" ]; then csv_args=(--csv "$CSV"); fi
status=0
python3 "$benchmarks/fleet-propagation.py" --admin "$(admin_url ns1)" --check use1 --name "api.$zone" \
  --up-answer "${address_of[us-east-1]}" --down-answer "${address_of[eu-west-1]}" \
  --flips "$FLIPS" --poll-ms "$POLL_MS" ${csv_args[@]+"${csv_args[@]}"} "${servers[@]}" || status=$?
if [ "$status" != 0 ]; then
  for name in "${instances[@]}"; do say "$name's log:"; log_tail "$work/switchyard-$name.log"; done
fi
exit "$status"
