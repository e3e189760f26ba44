#!/usr/bin/env bash
# The fleet drill, start to finish (see README.md beside this script).
#
# Starts a three-member etcd cluster, two "regions" (small HTTP backends on 127.0.10.1
# and 127.0.20.1) and three Switchyard instances, ns1, ns2 and ns3, that serve
# zones/fleet.test.zone and share their state through etcd. Then it evacuates us-east-1
# through ns1 only and measures when each instance's answer flips, restores it, stops
# etcd to show that the instances keep answering from their last state, and starts it
# again. Everything it starts is stopped on exit.
#
# Usage: run-fleet-drill.sh [--check] [--dns-ports A,B,C] [--admin-ports A,B,C]
#          [--etcd-ports A,B,C] [--etcd-peer-ports A,B,C] [--backend-port N]
#          [--switchyard PATH] [--etcd PATH] [--dns-client dig|kdig|dnspython] [--keep]
set -euo pipefail

SCRIPT_NAME=run-fleet-drill.sh
DNS_PORTS="${DNS_PORTS:-5401,5402,5403}"
ADMIN_PORTS="${ADMIN_PORTS:-5411,5412,5413}"
ETCD_PORTS="${ETCD_PORTS:-5421,5422,5423}"
ETCD_PEER_PORTS="${ETCD_PEER_PORTS:-5431,5432,5433}"
BACKEND_PORT="${BACKEND_PORT:-8090}"
SWITCHYARD="${SWITCHYARD:-}"
ETCD="${ETCD:-}"
DNS_CLIENT="${DNS_CLIENT:-}"
CHECK="${DRILL_CHECK:-0}"
KEEP="${DRILL_KEEP:-0}"

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME [options]

Runs three Switchyard instances sharing their state through a three-member etcd cluster,
evacuates a region through one of them and measures when each one's answer changes.

Options (and the environment variables that set them):
  --check                 exit 1 when an instance did not flip within 1 s or a step did
                          not happen (DRILL_CHECK=1)
  --dns-ports A,B,C       DNS ports of ns1, ns2, ns3 on 127.0.0.1 (DNS_PORTS, default 5401,5402,5403)
  --admin-ports A,B,C     their admin API ports (ADMIN_PORTS, default 5411,5412,5413)
  --etcd-ports A,B,C      etcd client ports of members m0, m1, m2 (ETCD_PORTS, default 5421,5422,5423)
  --etcd-peer-ports A,B,C etcd peer ports (ETCD_PEER_PORTS, default 5431,5432,5433)
  --backend-port N        the two backends' HTTP port (BACKEND_PORT, default 8090)
  --switchyard PATH       the switchyard binary (SWITCHYARD; default: .build/debug/switchyard
                          of this repository, built with 'swift build' when missing)
  --etcd PATH             the etcd server binary (ETCD; default: etcd on the PATH)
  --dns-client NAME       dig, kdig or dnspython, for the answers shown (DNS_CLIENT;
                          default: the first installed)
  --keep                  keep the working folder with the logs and etcd's data (DRILL_KEEP=1)
  -h, --help              this help
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --keep) KEEP=1 ;;
    --dns-ports) DNS_PORTS="${2:?--dns-ports needs three ports}"; shift ;;
    --admin-ports) ADMIN_PORTS="${2:?--admin-ports needs three ports}"; shift ;;
    --etcd-ports) ETCD_PORTS="${2:?--etcd-ports needs three ports}"; shift ;;
    --etcd-peer-ports) ETCD_PEER_PORTS="${2:?--etcd-peer-ports needs three ports}"; shift ;;
    --backend-port) BACKEND_PORT="${2:?--backend-port needs a port}"; shift ;;
    --switchyard) SWITCHYARD="${2:?--switchyard needs a path}"; shift ;;
    --etcd) ETCD="${2:?--etcd needs a path}"; shift ;;
    --dns-client) DNS_CLIENT="${2:?--dns-client needs dig, kdig or dnspython}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$SCRIPT_NAME: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=fleet-lib.sh
source "$here/fleet-lib.sh"
fleet_ports
fleet_tools

# --- The DNS client for the answers shown ---------------------------------------------------

has_dnspython() { python3 -c 'import dns.message, dns.query' >/dev/null 2>&1; }
if [ -z "$DNS_CLIENT" ]; then
  if command -v dig >/dev/null 2>&1; then DNS_CLIENT=dig
  elif has_dnspython; then DNS_CLIENT=dnspython
  elif command -v kdig >/dev/null 2>&1; then DNS_CLIENT=kdig
  else die "no DNS client: install dig (Debian package bind9-dnsutils), or dnspython (pip install dnspython), or kdig (Debian package knot-dnsutils)"
  fi
fi
case "$DNS_CLIENT" in
  dig) command -v dig >/dev/null 2>&1 || die "dig is not installed (Debian package bind9-dnsutils)" ;;
  kdig) command -v kdig >/dev/null 2>&1 || die "kdig is not installed (Debian package knot-dnsutils)" ;;
  dnspython) has_dnspython || die "dnspython is not installed for python3 (pip install dnspython)" ;;
  *) die "--dns-client must be dig, kdig or dnspython, not '$DNS_CLIENT'" ;;
esac

DNSPYTHON_QUERY='
import sys, dns.message, dns.query
port, name, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for _ in range(count):
    try:
        reply = dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=1)
    except Exception:
        continue
    for rrset in reply.answer:
        for record in rrset:
            print(record.to_text())
'

# dns_query PORT NAME [COUNT]: the A answers' addresses, one per line; never fails.
dns_query() {
  local port="$1" name="$2" count="${3:-1}" i repeat=()
  for (( i = 1; i < count; i++ )); do repeat+=("$name" A); done
  case "$DNS_CLIENT" in
    dig) dig @127.0.0.1 -p "$port" +short +time=1 +tries=1 "$name" A ${repeat[@]+"${repeat[@]}"} 2>/dev/null || true ;;
    kdig) kdig @127.0.0.1 -p "$port" +short +time=1 +retry=0 "$name" A ${repeat[@]+"${repeat[@]}"} 2>/dev/null || true ;;
    dnspython) python3 -c "$DNSPYTHON_QUERY" "$port" "$name" "$count" 2>/dev/null || true ;;
  esac
}

# ask INSTANCE NAME: that instance's answer, as the region it points to.
ask() {
  local answer
  answer="$(dns_query "${dns_port_of[$1]}" "$2.$zone." | grep -E '^[0-9.]+$' | sort | paste -sd' ' - || true)"
  if [ -z "$answer" ]; then echo "(no answer)"
  else echo "${region_at[$answer]:-$answer}"
  fi
}

sy() { local name="$1"; shift; "$SWITCHYARD" "$@" --admin "$(admin_url "$name")"; }

failures=()
fail() { failures+=("$1"); say "  FAILED: $1"; }

# answers TITLE: api's region on each instance, and www's split over 20 queries each;
# sets answers_line to a summary (api's region, whether www still sends anyone to
# us-east-1) for comparing two tables.
answers_line=""
answers() {
  local name answers line use1 euw1
  say "$1"
  printf '  %-10s %-16s %s\n' instance "api (failover)" "www (weighted 50/50), 20 queries"
  answers_line=""
  for name in "${instances[@]}"; do
    answers="$(dns_query "${dns_port_of[$name]}" "www.$zone." 20)"
    use1=0; euw1=0
    while IFS= read -r line; do
      [ "$line" = "${address_of[us-east-1]}" ] && use1=$((use1 + 1))
      [ "$line" = "${address_of[eu-west-1]}" ] && euw1=$((euw1 + 1))
    done <<<"$answers"
    line="$(ask "$name" api)"
    answers_line+="$name=$line use1=$((use1 > 0)) "
    printf '  %-10s %-16s us-east-1 %2d, eu-west-1 %2d\n' "$name" "$line" "$use1" "$euw1"
  done
}

# --- Flip times -----------------------------------------------------------------------------

declare -A flip_ms=()   # flip_ms[step/instance] = ms after the write returned, -1 if none
declare -A since_start_ms=() command_ms=()
steps=()
declare -A step_title=()

# timed_write STEP TITLE FROM TO COMMAND...: watches api on every instance, runs COMMAND
# (the write), and records when each instance's answer went from region FROM to TO.
timed_write() {
  local step="$1" title="$2" from="$3" to="$4" watch_out="$work/watch-$1.out" watcher i returned_us line name
  shift 4
  steps+=("$step")
  step_title[$step]="$title"
  local servers=()
  for name in "${instances[@]}"; do servers+=(--server "$name=127.0.0.1:${dns_port_of[$name]}"); done
  python3 "$here/flipwatch.py" --name "api.$zone" --from "${address_of[$from]}" --to "${address_of[$to]}" \
    --interval-ms 5 --deadline-ms 5000 "${servers[@]}" >"$watch_out" 2>&1 &
  watcher=$!
  pid_of[watcher]=$watcher
  for (( i = 0; i < 250; i++ )); do
    grep -q '^watching' "$watch_out" && break
    kill -0 "$watcher" 2>/dev/null || break
    sleep 0.02
  done
  if ! grep -q '^watching' "$watch_out"; then
    stop_pids watcher
    fail "$title: the answers did not start from $from: $(cat "$watch_out")"
    command_ms[$step]=-1
    for name in "${instances[@]}"; do flip_ms[$step/$name]=-1; since_start_ms[$step/$name]=-1; done
    return
  fi
  local word words="switchyard"
  for word in "${@:2}"; do
    if [[ "$word" == *" "* ]]; then words+=" \"$word\""; else words+=" $word"; fi
  done
  shown "$words"
  local started_us
  started_us="$(now_us)"
  "$@" >"$work/write-$step.out" 2>&1 || fail "$title: the command failed"
  returned_us="$(now_us)"
  sed 's/^/  /' "$work/write-$step.out"
  command_ms[$step]=$(( (returned_us - started_us) / 1000 ))
  wait "$watcher" 2>/dev/null || true
  unset 'pid_of[watcher]'
  for name in "${instances[@]}"; do
    flip_ms[$step/$name]=-1
    since_start_ms[$step/$name]=-1
    line="$(grep -E "^(flip|none) $name " "$watch_out" || true)"
    if [[ "$line" == flip* ]]; then
      local at="${line#flip "$name" }"
      at="${at%% *}"
      local ms=$(( (at - returned_us) / 1000 ))
      (( ms >= 0 )) || ms=0   # seen before the command had returned
      flip_ms[$step/$name]=$ms
      since_start_ms[$step/$name]=$(( (at - started_us) / 1000 ))
      say "  $name answers $to $ms ms after the command returned (${since_start_ms[$step/$name]} ms after it started; it took ${command_ms[$step]} ms)"
    else
      say "  $name did NOT answer $to within 5 s (last answer: ${line#none "$name" })"
    fi
    (( flip_ms[$step/$name] >= 0 && flip_ms[$step/$name] <= 1000 )) || fail "$title: $name did not flip to $to within 1 s"
  done
}

# fleet_table MIN_REVISION: waits until ns1 sees the fleet in sync at MIN_REVISION or
# later, and shows `switchyard fleet`.
fleet_table() {
  local min="$1"
  if ! await_fleet "$(admin_url ns1)" 10000 "$min"; then
    fail "the fleet was not in sync at revision $min or later within 10 s"
  fi
  shown switchyard fleet --admin "$(admin_url ns1)"
  sy ns1 fleet | sed 's/^/  /'
}

# --- 1. Start everything ---------------------------------------------------------------------

say "Fleet drill: three Switchyard instances, one zone ($zone), state shared through etcd."
say "  switchyard:  $SWITCHYARD"
say "  etcd:        $ETCD"
say "  DNS client:  $DNS_CLIENT (answers shown); flipwatch.py (flip times)"
for name in "${instances[@]}"; do
  say "  $name:         DNS 127.0.0.1:${dns_port_of[$name]}   admin API $(admin_url "$name")"
done
say "  etcd:        $(cluster_urls)"

section "1. Start etcd, the two regions and three instances"
start_etcd
say "  etcd: members ${members[*]} healthy after $(seconds "$etcd_ready_ms") s"
start_backends
for region in "${regions[@]}"; do
  say "  backend $region on http://${address_of[$region]}:$BACKEND_PORT/ (pid ${pid_of[$region]})"
done
shown switchyard serve zones/ --listen 127.0.0.1:${dns_port_of[ns1]} --admin 127.0.0.1:${admin_port_of[ns1]} \
  --state-dir STATE-ns1 --cluster "$(cluster_urls)" --instance ns1
say "    (and the same for ns2 and ns3, with their own ports and state folders)"
start_instances
if ! await_fleet "$(admin_url ns1)" 20000; then
  for name in "${instances[@]}"; do say "  $name's log:"; log_tail "$work/switchyard-$name.log"; done
  fleet_trouble
  die "the fleet was not in sync within 20 s"
fi
start_revision="$fleet_revision"
say "  all three instances are connected and in sync after $(seconds "$fleet_wait_ms") s"
say ""
fleet_table "$start_revision"
say ""
answers "Answers, every region healthy:"
before_line="$answers_line"

# --- 2. Evacuate us-east-1 through ns1 -------------------------------------------------------

section "2. Evacuate us-east-1 through ns1 only"
say "  flipwatch.py asks api.$zone of every instance every 5 ms and notes when it changes."
timed_write evacuate "evacuate us-east-1 through ns1" us-east-1 eu-west-1 \
  "$SWITCHYARD" evacuate us-east-1 --for 10m --reason "fleet drill" --admin "$(admin_url ns1)"
say ""
fleet_table $(( start_revision + 1 ))
evacuated_revision="$fleet_revision"
say ""
answers "Answers with us-east-1 evacuated (the same on every instance):"
[[ "$answers_line" == "ns1=eu-west-1 use1=0 ns2=eu-west-1 use1=0 ns3=eu-west-1 use1=0 " ]] \
  || fail "evacuated: some instance still sends clients to us-east-1: $answers_line"

# --- 3. Restore us-east-1 through ns1 --------------------------------------------------------

section "3. Restore us-east-1 through ns1"
timed_write restore "restore us-east-1 through ns1" eu-west-1 us-east-1 \
  "$SWITCHYARD" restore us-east-1 --admin "$(admin_url ns1)"
say ""
fleet_table $(( evacuated_revision + 1 ))
restored_revision="$fleet_revision"

# --- 4. Stop etcd: static stability ----------------------------------------------------------

section "4. Stop every etcd member: the instances keep answering"
say "  stopping etcd members ${members[*]} (pids ${pid_of[m0]} ${pid_of[m1]} ${pid_of[m2]})"
answers "Answers just before:"
stable_before="$answers_line"
stopped="$(now_ms)"
stop_etcd
say "  etcd stopped."
say ""
say "A write needs etcd, so it is refused at once, naming the cluster:"
shown "curl -s -X POST -H 'Content-Type: application/json' -d '{}' $(admin_url ns1)/v1/regions/us-east-1/evacuate"
write_started="$(now_ms)"
refused="$(curl -s -m 10 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"reason":"fleet drill"}' \
  "$(admin_url ns1)/v1/regions/us-east-1/evacuate" || true)"
refused_ms=$(( $(now_ms) - write_started ))
refused_status="${refused##*$'\n'}"
refused_body="${refused%$'\n'*}"
say "  HTTP $refused_status after $refused_ms ms: $refused_body"
write_refused=no
if [ "$refused_status" = 503 ] && python3 -c '
import json, sys
problem = json.loads(sys.argv[1])
sys.exit(0 if problem.get("cluster") and all(url in problem.get("error", "") for url in problem["cluster"]) else 1)' "$refused_body" 2>/dev/null; then
  write_refused=yes
else
  fail "etcd stopped: the write was not answered 503 naming the cluster (HTTP $refused_status)"
fi
say ""
disconnected_ms=-1
for (( i = 0; i < 400; i++ )); do
  all=1
  for name in "${instances[@]}"; do [ "$(cluster_connected "$name")" = 0 ] || all=0; done
  if [ "$all" = 1 ]; then disconnected_ms=$(( $(now_ms) - stopped )); break; fi
  (( $(now_ms) - stopped < 20000 )) || break
  sleep 0.05
done
if (( disconnected_ms >= 0 )); then
  say "Every instance reports switchyard_cluster_connected 0, $(seconds "$disconnected_ms") s after etcd was stopped:"
else
  fail "etcd stopped: not every instance reported switchyard_cluster_connected 0 within 20 s"
fi
for name in "${instances[@]}"; do
  shown "curl -s $(admin_url "$name")/metrics | grep ^switchyard_cluster_connected"
  curl -s -m 2 "$(admin_url "$name")/metrics" | grep '^switchyard_cluster_connected' | sed 's/^/  /' || true
done
say ""
answers "Answers with etcd gone (from each instance's last state):"
answers_unchanged=no
if [ "$answers_line" = "$stable_before" ]; then
  answers_unchanged=yes
else
  fail "etcd stopped: the answers changed from '$stable_before' to '$answers_line'"
fi
say ""
say "The CLI says the same, through any instance:"
shown switchyard evacuate us-east-1 --admin "$(admin_url ns2)"
sy ns2 evacuate us-east-1 2>&1 | sed 's/^/  /' || true

# --- 5. Start etcd again ----------------------------------------------------------------------

section "5. Start etcd again: the fleet catches up by itself"
returned="$(now_ms)"
start_etcd
say "  etcd: members ${members[*]} healthy after $(seconds "$etcd_ready_ms") s"
say "  retrying 'switchyard health auto use1' through ns1 every 0.2 s until it is accepted..."
writes_ms=-1
for (( i = 0; i < 150; i++ )); do
  if sy ns1 health auto use1 >"$work/probe-write.out" 2>&1; then writes_ms=$(( $(now_ms) - returned )); break; fi
  (( $(now_ms) - returned < 30000 )) || break
  sleep 0.2
done
if (( writes_ms >= 0 )); then
  say "  writes accepted again $(seconds "$writes_ms") s after etcd was started"
else
  fail "etcd back: writes were not accepted within 30 s: $(cat "$work/probe-write.out")"
fi
insync_ms=-1
if await_fleet "$(admin_url ns1)" 30000 "$restored_revision"; then
  insync_ms=$(( $(now_ms) - returned ))
  say "  every instance connected and in sync again $(seconds "$insync_ms") s after etcd was started"
else
  fleet_trouble
  fail "etcd back: the fleet was not in sync within 30 s"
fi
(( writes_ms >= 0 && writes_ms <= 15000 )) || fail "etcd back: writes did not work again within 15 s (SPEC's bound)"
say ""
shown switchyard fleet --admin "$(admin_url ns2)"
sy ns2 fleet | sed 's/^/  /'
say ""
say "Writes work through any instance: evacuate through ns3, restore through ns2."
timed_write evacuate-ns3 "evacuate us-east-1 through ns3" us-east-1 eu-west-1 \
  "$SWITCHYARD" evacuate us-east-1 --for 10m --reason "fleet drill, etcd back" --admin "$(admin_url ns3)"
timed_write restore-ns2 "restore us-east-1 through ns2" eu-west-1 us-east-1 \
  "$SWITCHYARD" restore us-east-1 --admin "$(admin_url ns2)"
final_insync=no
if await_fleet "$(admin_url ns1)" 10000 "$restored_revision"; then final_insync=yes; else fail "the fleet was not in sync at the end"; fi
final_revision="$fleet_revision"
answers "Answers after the drill:"
[ "$answers_line" = "$before_line" ] || fail "after the drill the answers differ from before: '$answers_line', not '$before_line'"

# --- Report ---------------------------------------------------------------------------------

section "Fleet drill report"
say "  Flip times: ms from the write's return to the first query that saw the new api answer"
say "  (queries every 5 ms; 0 = changed before the command had returned), and in brackets from"
say "  the command's start (the CLI's own start-up included):"
printf '    %-32s %8s %14s %14s %14s\n' "" command "${instances[@]}"
for step in "${steps[@]}"; do
  row="$(printf '    %-32s %8s' "${step_title[$step]}" "${command_ms[$step]}")"
  for name in "${instances[@]}"; do
    if (( flip_ms[$step/$name] >= 0 )); then
      row+="$(printf ' %14s' "${flip_ms[$step/$name]} (${since_start_ms[$step/$name]})")"
    else
      row+="$(printf ' %14s' none)"
    fi
  done
  say "$row"
done
say ""
say "  etcd stopped:  answers unchanged: $answers_unchanged; write refused with 503 naming the cluster: $write_refused;"
if (( disconnected_ms >= 0 )); then
  say "                 switchyard_cluster_connected 0 on every instance after $(seconds "$disconnected_ms") s"
else
  say "                 switchyard_cluster_connected 0 on every instance: no"
fi
if (( writes_ms >= 0 )); then writes_text="$(seconds "$writes_ms") s"; else writes_text="not within 30 s"; fi
if (( insync_ms >= 0 )); then insync_text="$(seconds "$insync_ms") s"; else insync_text="not within 30 s"; fi
say "  etcd started:  writes accepted after $writes_text, fleet in sync after $insync_text (SPEC: writes within 15 s)"
say "  At the end:    in sync: $final_insync (revision $final_revision)"
say ""
if [ ${#failures[@]} -eq 0 ]; then
  say "  Result: PASS - every instance flipped within 1 s of every write, and the fleet rode out etcd's absence."
else
  say "  Result: FAIL - ${#failures[@]} step(s) did not happen as expected:"
  for failure in "${failures[@]}"; do say "    - $failure"; done
  if [ "$CHECK" = 1 ]; then
    for name in "${instances[@]}"; do say "  $name's log:"; log_tail "$work/switchyard-$name.log"; done
    exit 1
  fi
fi
