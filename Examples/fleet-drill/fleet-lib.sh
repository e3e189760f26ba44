# Shared by run-fleet-drill.sh and Benchmarks/fleet-propagation.sh (sourced, not run):
# a three-member etcd cluster, two region backends and three Switchyard instances
# (ns1, ns2, ns3) serving this folder's zone, all on loopback, and the cleanup that
# stops every one of them by pid.
#
# The sourcing script sets, before calling these functions:
#   SCRIPT_NAME   its name, for messages
#   DNS_PORTS ADMIN_PORTS ETCD_PORTS ETCD_PEER_PORTS   three ports each, comma-separated
#   BACKEND_PORT  SWITCHYARD (may be empty)  ETCD (may be empty)  KEEP (0 or 1)
# and may set BUILD_CONFIGURATION=release to prefer (and build) a release binary.

fleet_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fleet_root="$(cd "$fleet_here/../.." && pwd)"

instances=(ns1 ns2 ns3)
members=(m0 m1 m2)
regions=(us-east-1 eu-west-1)
declare -A address_of=([us-east-1]=127.0.10.1 [eu-west-1]=127.0.20.1)
declare -A region_at=([127.0.10.1]=us-east-1 [127.0.20.1]=eu-west-1)
zone=fleet.test

say() { printf '%s\n' "$*"; }
die() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }
section() { printf '\n== %s\n\n' "$*"; }
shown() { printf '  $ %s\n' "$*"; }

# Milliseconds and microseconds since the epoch (the same clock as Python's time.time()).
now_us() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME//[!0-9]/}"   # whatever the locale's decimal point
    echo $(( 10#$t ))
  else
    echo $(( $(date +%s%6N) ))
  fi
}
now_ms() { echo $(( $(now_us) / 1000 )); }
seconds() { printf '%d.%02d' $(( $1 / 1000 )) $(( ($1 % 1000) / 10 )); }

# --- Ports --------------------------------------------------------------------------------

declare -A dns_port_of=() admin_port_of=() etcd_port_of=() peer_port_of=()

# fleet_ports: splits the port lists into per-instance and per-member ports, checking each.
fleet_ports() {
  local option list i all=() port
  local -a ports
  for option in dns-ports:DNS_PORTS admin-ports:ADMIN_PORTS etcd-ports:ETCD_PORTS etcd-peer-ports:ETCD_PEER_PORTS; do
    local variable="${option#*:}"
    list="${!variable}"
    IFS=, read -r -a ports <<<"$list"
    [ ${#ports[@]} -eq 3 ] || die "--${option%%:*} needs three ports separated by commas, not '$list'"
    for (( i = 0; i < 3; i++ )); do
      case "${option%%:*}" in
        dns-ports) dns_port_of[${instances[$i]}]="${ports[$i]}" ;;
        admin-ports) admin_port_of[${instances[$i]}]="${ports[$i]}" ;;
        etcd-ports) etcd_port_of[${members[$i]}]="${ports[$i]}" ;;
        etcd-peer-ports) peer_port_of[${members[$i]}]="${ports[$i]}" ;;
      esac
    done
    all+=("${ports[@]}")
  done
  all+=("$BACKEND_PORT")
  for port in "${all[@]}"; do
    [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "'$port' is not a port number"
  done
  [ "$(printf '%s\n' "${all[@]:0:12}" | sort -u | wc -l)" -eq 12 ] || die "the DNS, admin, etcd and etcd peer ports must all differ"
}

admin_url() { echo "http://127.0.0.1:${admin_port_of[$1]}"; }
cluster_urls() {
  local member urls=()
  for member in "${members[@]}"; do urls+=("http://127.0.0.1:${etcd_port_of[$member]}"); done
  (IFS=,; echo "${urls[*]}")
}

# --- Tools ----------------------------------------------------------------------------------

fleet_tools() {
  command -v python3 >/dev/null 2>&1 || die "python3 is needed (Debian package: python3)"
  command -v curl >/dev/null 2>&1 || die "curl is needed for the admin API (Debian package: curl)"
  if [ -z "$ETCD" ]; then
    ETCD="$(command -v etcd || true)"
    [ -n "$ETCD" ] || die "etcd is not installed (Debian package etcd-server), or give --etcd PATH"
  fi
  [ -x "$ETCD" ] || die "$ETCD is not an executable etcd"

  local configuration="${BUILD_CONFIGURATION:-debug}" other
  if [ -z "$SWITCHYARD" ]; then
    other=debug
    [ "$configuration" = debug ] && other=release
    if [ -x "$fleet_root/.build/$configuration/switchyard" ]; then
      SWITCHYARD="$fleet_root/.build/$configuration/switchyard"
    elif [ "$configuration" = debug ] && [ -x "$fleet_root/.build/$other/switchyard" ]; then
      SWITCHYARD="$fleet_root/.build/$other/switchyard"
    else
      command -v swift >/dev/null 2>&1 || die "no switchyard binary: install Swift and run 'swift build', or give --switchyard PATH"
      say "Building switchyard (swift build -c $configuration --product switchyard); this is needed once..."
      (cd "$fleet_root" && swift build -c "$configuration" --product switchyard) || die "swift build failed"
      SWITCHYARD="$(cd "$fleet_root" && swift build -c "$configuration" --show-bin-path)/switchyard"
    fi
  fi
  [ -x "$SWITCHYARD" ] || die "$SWITCHYARD is not an executable switchyard binary"
}

# --- Processes ------------------------------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-fleet.XXXXXX")"
declare -A pid_of=()

# stop_pids NAME...: SIGTERM to each, up to 5 s to exit, then SIGKILL; forgets them.
stop_pids() {
  local name pid i alive
  for name in "$@"; do
    pid="${pid_of[$name]:-}"
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for (( i = 0; i < 50; i++ )); do
    alive=0
    for name in "$@"; do
      pid="${pid_of[$name]:-}"
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    [ "$alive" = 1 ] || break
    sleep 0.1
  done
  for name in "$@"; do
    pid="${pid_of[$name]:-}"
    [ -n "$pid" ] || continue
    { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
    unset "pid_of[$name]"
  done
}

# Stops every process started here: the instances first (so they can still say goodbye
# to etcd), then etcd and the backends.
fleet_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pids "${instances[@]}"
  stop_pids "${!pid_of[@]}"
  if [ "$KEEP" = 1 ]; then
    say "Logs and data kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap fleet_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# log_tail FILE: the end of a log, indented, for error messages.
log_tail() { tail -n 20 "$1" 2>/dev/null | sed 's/^/    /'; }

# start_backends: one HTTP backend per region (the region-evacuation example's backend.py).
start_backends() {
  local region log i
  for region in "${regions[@]}"; do
    log="$work/backend-$region.log"
    : >"$log"
    python3 "$fleet_root/Examples/region-evacuation/backend.py" --host "${address_of[$region]}" --port "$BACKEND_PORT" \
      --region "$region" >"$log" 2>&1 &
    pid_of[$region]=$!
  done
  for region in "${regions[@]}"; do
    log="$work/backend-$region.log"
    for (( i = 0; i < 50; i++ )); do
      grep -q ' ready on ' "$log" && continue 2
      kill -0 "${pid_of[$region]}" 2>/dev/null || break
      sleep 0.1
    done
    die "the $region backend did not start on ${address_of[$region]}:$BACKEND_PORT (port taken? try --backend-port): $(cat "$log")"
  done
}

# start_etcd: the three members (on their existing data after a stop), and waits until
# each reports healthy: at most 15 s. Sets etcd_ready_ms.
etcd_ready_ms=-1
start_etcd() {
  local member peers=() started i healthy
  for member in "${members[@]}"; do peers+=("$member=http://127.0.0.1:${peer_port_of[$member]}"); done
  mkdir -p "$work/etcd"
  started="$(now_ms)"
  for member in "${members[@]}"; do
    "$ETCD" --name "$member" --data-dir "$work/etcd/$member" \
      --listen-client-urls "http://127.0.0.1:${etcd_port_of[$member]}" \
      --advertise-client-urls "http://127.0.0.1:${etcd_port_of[$member]}" \
      --listen-peer-urls "http://127.0.0.1:${peer_port_of[$member]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${peer_port_of[$member]}" \
      --initial-cluster "$(IFS=,; echo "${peers[*]}")" --initial-cluster-state new \
      --initial-cluster-token switchyard-fleet-drill --heartbeat-interval 50 --election-timeout 500 \
      --logger zap --log-level error >>"$work/etcd-$member.log" 2>&1 &
    pid_of[$member]=$!
  done
  for (( i = 0; i < 150; i++ )); do
    healthy=0
    for member in "${members[@]}"; do
      kill -0 "${pid_of[$member]}" 2>/dev/null || die "etcd member $member stopped at start (ports ${etcd_port_of[$member]}/${peer_port_of[$member]} taken? try --etcd-ports and --etcd-peer-ports):
$(log_tail "$work/etcd-$member.log")"
      if curl -s -m 1 "http://127.0.0.1:${etcd_port_of[$member]}/health" | grep -q '"health":"true"'; then
        healthy=$((healthy + 1))
      fi
    done
    if [ "$healthy" = 3 ]; then etcd_ready_ms=$(( $(now_ms) - started )); return 0; fi
    (( $(now_ms) - started < 15000 )) || break
    sleep 0.1
  done
  die "the etcd cluster was not healthy within 15 s; the logs are in $work (run with --keep to keep them)"
}

stop_etcd() { stop_pids "${members[@]}"; }

# start_instances: ns1, ns2 and ns3, each with its own state folder, DNS and admin port.
start_instances() {
  local name
  mkdir -p "$work/zones"
  for file in "$fleet_here"/zones/*.zone; do
    sed "s#:8090/health#:$BACKEND_PORT/health#g" "$file" >"$work/zones/$(basename "$file")"
  done
  for name in "${instances[@]}"; do
    mkdir -p "$work/state-$name"
    "$SWITCHYARD" serve "$work/zones" --listen "127.0.0.1:${dns_port_of[$name]}" --admin "127.0.0.1:${admin_port_of[$name]}" \
      --state-dir "$work/state-$name" --cluster "$(cluster_urls)" --instance "$name" >"$work/switchyard-$name.log" 2>&1 &
    pid_of[$name]=$!
  done
}

# fleet_state ADMIN_URL: "INSYNC INSTANCES CONNECTED REVISION MINREV MAXREV" from /v1/fleet
# ("error" when it cannot be read).
FLEET_STATE_PY='
import json, sys
try:
    fleet = json.load(sys.stdin)
    items = fleet["instances"]
    revisions = [i["stateRevision"] for i in items] or [0]
    print("yes" if fleet["inSync"] else "no", len(items), sum(1 for i in items if i["connected"]),
          fleet["revision"], min(revisions), max(revisions))
except Exception:
    print("error")
'
fleet_state() { curl -s -m 2 "$1/v1/fleet" | python3 -c "$FLEET_STATE_PY"; }

# fleet_trouble: why the fleet is not in sync, in words: which instance's admin API does
# not answer (a port taken by another program lets DNS start but not the admin API), and
# what ns1 reports.
fleet_trouble() {
  local name state
  local -a fields
  for name in "${instances[@]}"; do
    curl -s -m 2 -o /dev/null "$(admin_url "$name")/healthz" \
      || say "  $name's admin API $(admin_url "$name") does not answer (port taken? try --admin-ports)"
  done
  state="$(fleet_state "$(admin_url ns1)")"
  read -r -a fields <<<"$state"
  if [ "${fields[0]}" = error ]; then
    say "  ns1's /v1/fleet cannot be read"
  else
    say "  ns1's /v1/fleet: in sync ${fields[0]}, ${fields[1]} instance(s) listed, ${fields[2]} connected, revision ${fields[3]}"
  fi
  # Here, not only at the end: a report cut short still shows why.
  for name in "${instances[@]}"; do
    say "  the end of $name's log:"
    grep -v ' query ' "$work/switchyard-$name.log" 2>/dev/null | tail -n 6 | sed 's/^/    /'
  done
}

# await_fleet ADMIN_URL LIMIT_MS [MIN_REVISION]: waits until that instance's /v1/fleet
# lists all three instances, connected, in sync, at MIN_REVISION or later. Sets
# fleet_wait_ms (-1 when the limit passed) and fleet_revision.
fleet_wait_ms=-1
fleet_revision=0
await_fleet() {
  local url="$1" limit="$2" min="${3:-0}" started state i name
  local -a fields
  started="$(now_ms)"
  fleet_wait_ms=-1
  for (( i = 0; i < limit / 50 + 10; i++ )); do
    for name in "${instances[@]}"; do
      [ -z "${pid_of[$name]:-}" ] || kill -0 "${pid_of[$name]}" 2>/dev/null || die "switchyard $name stopped (ports ${dns_port_of[$name]}/${admin_port_of[$name]} taken? try --dns-ports and --admin-ports). Its log:
$(log_tail "$work/switchyard-$name.log")"
    done
    state="$(fleet_state "$url")"
    read -r -a fields <<<"$state"
    if [ "${fields[0]}" = yes ] && [ "${fields[1]}" = 3 ] && [ "${fields[2]}" = 3 ] && [ "${fields[3]}" -ge "$min" ]; then
      fleet_wait_ms=$(( $(now_ms) - started ))
      fleet_revision="${fields[3]}"
      return 0
    fi
    (( $(now_ms) - started < limit )) || return 1
    sleep 0.05
  done
  return 1
}

# cluster_connected NAME: the value of switchyard_cluster_connected on that instance
# (0 or 1; "?" when /metrics cannot be read).
cluster_connected() {
  local value
  value="$(curl -s -m 2 "$(admin_url "$1")/metrics" | sed -nE 's/^switchyard_cluster_connected[[:space:]]+([0-9.]+).*/\1/p' | head -n 1)"
  case "$value" in
    1|1.0*) echo 1 ;;
    0|0.0*) echo 0 ;;
    *) echo "?" ;;
  esac
}
