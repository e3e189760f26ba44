#!/usr/bin/env bash
# whatif.sh - how long `switchyard whatif evacuate` takes on a realistic zone and
# population (SPEC §8; the goal is under 1 s for 100,000 client networks and 1,000
# routed names, release build).
#
# Generates, in a temporary folder, a zone with --names routed names (a mix: latency over
# three of eight regions, geolocation with continents, countries and US states, failover,
# weighted, multivalue, and ALIAS failover pairs with evaluate-target-health) and a
# --geo-networks table of --networks /24 networks spread over every continent, 60
# countries and the 50 US states, each with coordinates jittered around its place.
# Starts `switchyard serve` on free loopback ports with that table, runs
# `switchyard whatif evacuate REGION --json` --runs times, and prints per run the
# server-side time (the report's elapsedSeconds) and the wall time of the client
# command. The first run also builds the server's population (kept for later ones).
# Everything it starts is stopped by pid on exit.
#
#   swift build -c release                 # the script uses .build/release/switchyard
#   Benchmarks/whatif.sh                   # 100,000 networks, 1,000 names, 5 runs
#   Benchmarks/whatif.sh --networks 20000 --names 200 --region eu-west-1
#   Benchmarks/whatif.sh --upload          # send the table as the request's client list
set -euo pipefail

NETWORKS=100000
NAMES=1000
RUNS=5
REGION=us-east-1
SWITCHYARD="${SWITCHYARD:-}"
KEEP=0
UPLOAD=0

usage() {
  cat <<USAGE
Usage: whatif.sh [--networks N] [--names N] [--runs N] [--region R] [--switchyard PATH] [--upload] [--keep]
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --networks) NETWORKS="${2:?}"; shift ;;
    --names) NAMES="${2:?}"; shift ;;
    --runs) RUNS="${2:?}"; shift ;;
    --region) REGION="${2:?}"; shift ;;
    --switchyard) SWITCHYARD="${2:?}"; shift ;;
    --keep) KEEP=1 ;;
    --upload) UPLOAD=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "$SWITCHYARD" ]; then
  SWITCHYARD="$root/.build/release/switchyard"
  [ -x "$SWITCHYARD" ] || (cd "$root" && swift build -c release --product switchyard)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/whatif-bench.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "$KEEP" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mkdir -p "$work/zones" "$work/state"
python3 - "$work" "$NETWORKS" "$NAMES" <<'PY'
import random, sys
work, networks, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(2026)
regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1", "ap-south-1"]
countries = [
    ("NA", "CA", 45.4, -75.7), ("NA", "MX", 19.4, -99.1), ("SA", "BR", -23.5, -46.6), ("SA", "AR", -34.6, -58.4),
    ("SA", "CL", -33.4, -70.7), ("SA", "CO", 4.7, -74.1), ("SA", "PE", -12.0, -77.0), ("EU", "DE", 50.1, 8.7),
    ("EU", "FR", 48.9, 2.3), ("EU", "GB", 51.5, -0.1), ("EU", "IE", 53.3, -6.3), ("EU", "ES", 40.4, -3.7),
    ("EU", "IT", 41.9, 12.5), ("EU", "NL", 52.4, 4.9), ("EU", "SE", 59.3, 18.1), ("EU", "PL", 52.2, 21.0),
    ("EU", "NO", 59.9, 10.8), ("EU", "FI", 60.2, 24.9), ("EU", "PT", 38.7, -9.1), ("EU", "GR", 38.0, 23.7),
    ("EU", "RO", 44.4, 26.1), ("EU", "CZ", 50.1, 14.4), ("EU", "AT", 48.2, 16.4), ("EU", "CH", 47.4, 8.5),
    ("EU", "BE", 50.8, 4.4), ("EU", "DK", 55.7, 12.6), ("EU", "UA", 50.5, 30.5), ("EU", "HU", 47.5, 19.0),
    ("AS", "JP", 35.7, 139.7), ("AS", "KR", 37.6, 127.0), ("AS", "IN", 19.1, 72.9), ("AS", "SG", 1.35, 103.8),
    ("AS", "ID", -6.2, 106.8), ("AS", "TH", 13.8, 100.5), ("AS", "VN", 21.0, 105.8), ("AS", "PH", 14.6, 121.0),
    ("AS", "MY", 3.1, 101.7), ("AS", "TW", 25.0, 121.5), ("AS", "HK", 22.3, 114.2), ("AS", "AE", 25.2, 55.3),
    ("AS", "SA", 24.7, 46.7), ("AS", "IL", 32.1, 34.8), ("EU", "TR", 41.0, 29.0), ("AS", "PK", 24.9, 67.0),
    ("AS", "BD", 23.8, 90.4), ("AS", "KZ", 43.2, 76.9), ("OC", "AU", -33.9, 151.2), ("OC", "NZ", -36.8, 174.8),
    ("AF", "ZA", -26.2, 28.0), ("AF", "NG", 6.5, 3.4), ("AF", "KE", -1.3, 36.8), ("AF", "EG", 30.0, 31.2),
    ("AF", "MA", 33.6, -7.6), ("AF", "GH", 5.6, -0.2), ("AF", "ET", 9.0, 38.7), ("AF", "TZ", -6.8, 39.3),
    ("NA", "CR", 9.9, -84.1), ("NA", "PA", 9.0, -79.5), ("NA", "GT", 14.6, -90.5), ("NA", "DO", 18.5, -69.9),
]
states = {
    "AL": (32.4, -86.3), "AK": (61.2, -149.9), "AZ": (33.4, -112.1), "AR": (34.7, -92.3), "CA": (37.8, -122.4),
    "CO": (39.7, -105.0), "CT": (41.8, -72.7), "DE": (39.2, -75.5), "FL": (25.8, -80.2), "GA": (33.7, -84.4),
    "HI": (21.3, -157.9), "ID": (43.6, -116.2), "IL": (41.9, -87.6), "IN": (39.8, -86.2), "IA": (41.6, -93.6),
    "KS": (39.0, -95.7), "KY": (38.2, -85.8), "LA": (30.0, -90.1), "ME": (43.7, -70.3), "MD": (39.3, -76.6),
    "MA": (42.4, -71.1), "MI": (42.3, -83.0), "MN": (45.0, -93.3), "MS": (32.3, -90.2), "MO": (38.6, -90.2),
    "MT": (46.6, -112.0), "NE": (41.3, -96.0), "NV": (36.2, -115.1), "NH": (43.2, -71.5), "NJ": (40.7, -74.2),
    "NM": (35.1, -106.6), "NY": (40.7, -74.0), "NC": (35.8, -78.6), "ND": (46.8, -100.8), "OH": (40.0, -83.0),
    "OK": (35.5, -97.5), "OR": (45.5, -122.7), "PA": (40.0, -75.2), "RI": (41.8, -71.4), "SC": (34.0, -81.0),
    "SD": (43.5, -96.7), "TN": (36.2, -86.8), "TX": (30.3, -97.7), "UT": (40.8, -111.9), "VT": (44.5, -73.2),
    "VA": (37.5, -77.4), "WA": (47.6, -122.3), "WV": (38.3, -81.6), "WI": (43.1, -89.4), "WY": (41.1, -104.8),
}
places = [(c, k, "", la, lo) for c, k, la, lo in countries] + [("NA", "US", s, la, lo) for s, (la, lo) in states.items()]
with open(f"{work}/networks.csv", "w") as out:
    out.write("prefix,continent,country,subdivision,latitude,longitude\n")
    for i in range(networks):
        # A third of the networks in the US, the rest spread over the other places.
        us = rng.random() < 0.35
        pool = places[len(countries):] if us else places[:len(countries)]
        continent, country, state, lat, lon = rng.choice(pool)
        lat = max(-89.9, min(89.9, lat + rng.uniform(-4, 4)))
        lon = max(-179.9, min(179.9, lon + rng.uniform(-6, 6)))
        out.write(f"{10 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}.0/24,{continent},{country},{state},{lat:.2f},{lon:.2f}\n")
lines = ["$ORIGIN bench.test.", "$TTL 300", "@ IN SOA ns1 hostmaster 1 3600 900 1209600 60", "  IN NS ns1", "ns1 IN A 192.0.2.53"]
for r in regions:
    for k in range(3):
        lines.append(f"$HEALTHCHECK {r}-{k} http://127.0.0.1:9/ region={r} disabled")
def check(r, n): return f"{r}-{n % 3}"
for n in range(names):
    a, b, c = rng.sample(regions, 3)
    kind = n % 20
    owner = f"n{n}"
    if kind < 7:  # latency
        for r in (a, b, c): lines.append(f"{owner} [latency id={r} region={r} health={check(r, n)}] 60 IN A 192.0.2.{regions.index(r) + 1}")
    elif kind < 11:  # geolocation
        lines.append(f"{owner} [geo id=ca country=US subdivision=CA health={check(a, n)}] 60 IN A 192.0.2.20")
        lines.append(f"{owner} [geo id=ny country=US subdivision=NY health={check(a, n)}] 60 IN A 192.0.2.21")
        lines.append(f"{owner} [geo id=us country=US health={check(b, n)}] 60 IN A 192.0.2.22")
        lines.append(f"{owner} [geo id=de country=DE health={check(c, n)}] 60 IN A 192.0.2.23")
        lines.append(f"{owner} [geo id=eu continent=EU health={check(c, n)}] 60 IN A 192.0.2.24")
        lines.append(f"{owner} [geo id=as continent=AS health={check(a, n)}] 60 IN A 192.0.2.25")
        lines.append(f"{owner} [geo id=any country=* health={check(b, n)}] 60 IN A 192.0.2.26")
    elif kind < 14:  # failover
        lines.append(f"{owner} [failover id=primary role=primary health={check(a, n)}] 60 IN A 192.0.2.30")
        lines.append(f"{owner} [failover id=secondary role=secondary health={check(b, n)}] 60 IN A 192.0.2.31")
    elif kind < 17:  # weighted
        for i, r in enumerate((a, b, c)):
            lines.append(f"{owner} [weighted id={r} weight={rng.choice([10, 20, 30, 50, 70])} health={check(r, n)}] 60 IN A 192.0.2.{40 + i}")
    elif kind < 19:  # multivalue
        for i, r in enumerate((a, b, c, regions[(regions.index(c) + 1) % 8])):
            lines.append(f"{owner} [multivalue id={r}-{i} health={check(r, n)}] 60 IN A 192.0.2.{50 + i}")
    else:  # ALIAS failover pair to earlier latency and geolocation names
        lines.append(f"{owner} [failover id=primary role=primary evaluate-target-health=true] 60 IN ALIAS n{n - 19}")
        lines.append(f"{owner} [failover id=secondary role=secondary] 60 IN ALIAS n{n - 11}")
with open(f"{work}/zones/bench.test.zone", "w") as out:
    out.write("\n".join(lines) + "\n")
PY

dns_port="$(free_port)"
admin_port="$(free_port)"
"$SWITCHYARD" serve "$work/zones" --listen "127.0.0.1:$dns_port" --admin "127.0.0.1:$admin_port" \
  --state-dir "$work/state" --geo-networks "$work/networks.csv" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$admin_port/healthz" >/dev/null || { cat "$work/serve.log"; echo "the server did not start" >&2; exit 1; }

echo "whatif evacuate $REGION: $NETWORKS networks, $NAMES names, $(nproc 2>/dev/null || echo '?') CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
clients=()
if [ "$UPLOAD" = 1 ]; then clients=(--clients "$work/networks.csv"); fi
for run in $(seq 1 "$RUNS"); do
  started="$(date +%s%N)"
  status=0
  "$SWITCHYARD" whatif evacuate "$REGION" ${clients[@]+"${clients[@]}"} --json --admin "http://127.0.0.1:$admin_port" >"$work/report.json" || status=$?
  ended="$(date +%s%N)"
  [ "$status" -le 1 ] || { cat "$work/serve.log"; exit 1; }
  python3 - "$work/report.json" "$run" "$(( (ended - started) / 1000000 ))" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
moved = sum(1 for n in report["names"] if n["moves"])
print(f"run {sys.argv[2]}: server {report['elapsedSeconds']:.3f} s, wall {int(sys.argv[3]) / 1000:.3f} s; "
      f"{report['clients']} networks in {report['classes']} classes, {len(report['names'])} names and types, "
      f"{moved} with moves, {len(report['namesWithoutHealthySet'])} left with no healthy set")
PY
done
