#!/usr/bin/env bash
# The region-evacuation drill, start to finish (see README.md beside this script).
#
# Starts three "regions" (small HTTP backends on 127.0.10.1, 127.0.20.1, 127.0.30.1),
# serves zones/evac.test.zone with Switchyard, and asks the routed names as three
# clients on three continents would (EDNS Client Subnet). Then it asks what would move if
# us-east-1 went away (whatif), starts a drill that evacuates it, kills eu-west-1's
# backend, starts it again, stops the drill, measures how long each change took to reach
# the answers, and ends with the drill's own report. Everything it starts is stopped on exit.
#
# Usage: run-drill.sh [--check] [--dns-port N] [--admin-port N] [--backend-port N]
#                     [--switchyard PATH] [--dns-client dig|kdig|dnspython] [--keep] [--hold SECONDS]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

DNS_PORT="${DNS_PORT:-5390}"
ADMIN_PORT="${ADMIN_PORT:-5391}"
BACKEND_PORT="${BACKEND_PORT:-8080}"
SWITCHYARD="${SWITCHYARD:-}"
DNS_CLIENT="${DNS_CLIENT:-}"
CHECK="${DRILL_CHECK:-0}"
KEEP="${DRILL_KEEP:-0}"
HOLD="${DRILL_HOLD:-0}"

usage() {
  cat <<EOF
Usage: $(basename "$0") [options]

Runs the region-evacuation drill against a local Switchyard and prints what happens.

Options (and the environment variables that set them):
  --check               exit 1 when an expected answer move did not happen (DRILL_CHECK=1)
  --dns-port N          DNS port on 127.0.0.1 (DNS_PORT, default 5390)
  --admin-port N        admin API port on 127.0.0.1 (ADMIN_PORT, default 5391)
  --backend-port N      the three backends' HTTP port (BACKEND_PORT, default 8080)
  --switchyard PATH     the switchyard binary (SWITCHYARD; default: .build/debug/switchyard
                        of this repository, built with 'swift build' when missing)
  --dns-client NAME     dig, kdig or dnspython (DNS_CLIENT; default: the first installed)
  --keep                keep the working folder with the logs (DRILL_KEEP=1)
  --hold SECONDS        keep everything running this long at the end, to look at the
                        status page (DRILL_HOLD, default 0, at most 3600)
  -h, --help            this help
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --keep) KEEP=1 ;;
    --hold) HOLD="${2:?--hold needs seconds}"; shift ;;
    --dns-port) DNS_PORT="${2:?--dns-port needs a port}"; shift ;;
    --admin-port) ADMIN_PORT="${2:?--admin-port needs a port}"; shift ;;
    --backend-port) BACKEND_PORT="${2:?--backend-port needs a port}"; shift ;;
    --switchyard) SWITCHYARD="${2:?--switchyard needs a path}"; shift ;;
    --dns-client) DNS_CLIENT="${2:?--dns-client needs dig, kdig or dnspython}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-drill.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

say() { printf '%s\n' "$*"; }
die() { printf 'run-drill.sh: %s\n' "$*" >&2; exit 1; }
section() { printf '\n== %s\n\n' "$*"; }
shown() { printf '  $ %s\n' "$*"; }

[[ "$HOLD" =~ ^[0-9]+$ ]] && [ "$HOLD" -le 3600 ] || die "--hold takes 0 to 3600 seconds, not '$HOLD'"
for port in "$DNS_PORT" "$ADMIN_PORT" "$BACKEND_PORT"; do
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "'$port' is not a port number"
done

# --- The regions and the clients -------------------------------------------------------

regions=(us-east-1 eu-west-1 ap-southeast-1)
declare -A address_of=([us-east-1]=127.0.10.1 [eu-west-1]=127.0.20.1 [ap-southeast-1]=127.0.30.1)
declare -A region_at=([127.0.10.1]=us-east-1 [127.0.20.1]=eu-west-1 [127.0.30.1]=ap-southeast-1)
clients=(US EU Asia)
declare -A subnet_of=([US]=10.1.0.0/24 [EU]=10.2.0.0/24 [Asia]=10.3.0.0/24)
names=(app api geo)
declare -A policy_of=([app]=latency [api]=failover [geo]=geo)
zone=evac.test

# --- Clock --------------------------------------------------------------------------------

now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME//[!0-9]/}"   # microseconds, whatever the locale's decimal point
    echo $(( 10#$t / 1000 ))
  else
    date +%s%3N
  fi
}
seconds() { printf '%d.%02d' $(( $1 / 1000 )) $(( ($1 % 1000) / 10 )); }

# --- Tools ----------------------------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || die "python3 is needed for the backends (Debian package: python3)"

has_dnspython() { python3 -c 'import dns.message, dns.query, dns.edns' >/dev/null 2>&1; }
if [ -z "$DNS_CLIENT" ]; then
  if command -v dig >/dev/null 2>&1; then DNS_CLIENT=dig
  elif has_dnspython; then DNS_CLIENT=dnspython
  elif command -v kdig >/dev/null 2>&1; then DNS_CLIENT=kdig
  else die "no DNS client that can send EDNS Client Subnet: install dig (Debian package bind9-dnsutils), or dnspython (pip install dnspython), or kdig (Debian package knot-dnsutils)"
  fi
fi
case "$DNS_CLIENT" in
  dig) command -v dig >/dev/null 2>&1 || die "dig is not installed (Debian package bind9-dnsutils)" ;;
  kdig) command -v kdig >/dev/null 2>&1 || die "kdig is not installed (Debian package knot-dnsutils)" ;;
  dnspython) has_dnspython || die "dnspython is not installed for python3 (pip install dnspython)" ;;
  *) die "--dns-client must be dig, kdig or dnspython, not '$DNS_CLIENT'" ;;
esac

if [ -z "$SWITCHYARD" ]; then
  if [ -x "$root/.build/debug/switchyard" ]; then
    SWITCHYARD="$root/.build/debug/switchyard"
  else
    command -v swift >/dev/null 2>&1 || die "no switchyard binary: install Swift and run 'swift build', or give --switchyard PATH"
    say "Building switchyard (swift build --product switchyard); this is needed once..."
    (cd "$root" && swift build --product switchyard) || die "swift build failed"
    SWITCHYARD="$(cd "$root" && swift build --show-bin-path)/switchyard"
  fi
fi
[ -x "$SWITCHYARD" ] || die "$SWITCHYARD is not an executable switchyard binary"

# Queries as a client in SUBNET would send them: one line per record (dig +short style).
DNSPYTHON_QUERY='
import sys, dns.edns, dns.message, dns.query
port, name, rdtype, subnet, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
options = []
if subnet:
    address, length = subnet.split("/")
    options.append(dns.edns.ECSOption(address, int(length)))
for _ in range(count):
    query = dns.message.make_query(name, rdtype, use_edns=0, options=options)
    try:
        reply = dns.query.udp(query, "127.0.0.1", port=port, timeout=1)
    except Exception:
        continue
    for rrset in reply.answer:
        for record in rrset:
            print(record.to_text())
'

# dns_query NAME TYPE [SUBNET] [COUNT]: the answer records' data, one per line; never fails.
dns_query() {
  local name="$1" type="$2" subnet="${3:-}" count="${4:-1}" i
  local ecs=() repeat=()
  for (( i = 1; i < count; i++ )); do repeat+=("$name" "$type"); done
  case "$DNS_CLIENT" in
    dig)
      if [ -n "$subnet" ]; then ecs=("+subnet=$subnet"); fi
      dig @127.0.0.1 -p "$DNS_PORT" +short +time=1 +tries=1 ${ecs[@]+"${ecs[@]}"} "$name" "$type" ${repeat[@]+"${repeat[@]}"} 2>/dev/null || true ;;
    kdig)
      if [ -n "$subnet" ]; then ecs=("+subnet=$subnet"); fi
      kdig @127.0.0.1 -p "$DNS_PORT" +short +time=1 +retry=0 ${ecs[@]+"${ecs[@]}"} "$name" "$type" ${repeat[@]+"${repeat[@]}"} 2>/dev/null || true ;;
    dnspython)
      python3 -c "$DNSPYTHON_QUERY" "$DNS_PORT" "$name" "$type" "$subnet" "$count" 2>/dev/null || true ;;
  esac
}

# ask NAME CLIENT: the A answer for that client, as addresses joined by spaces ("" if none).
ask() {
  dns_query "$1.$zone." A "${subnet_of[$2]}" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | sort | paste -sd' ' - || true
}

# region NAME-OF-ADDRESSES: the region an answer points to.
region() {
  local answer="$1"
  if [ -z "$answer" ]; then echo "(no answer)"
  elif [ -n "${region_at[$answer]:-}" ]; then echo "${region_at[$answer]}"
  else echo "$answer"
  fi
}

# --- Processes ------------------------------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-drill.XXXXXX")"
declare -A pid_of=()

any_alive() {
  local pid
  for pid in "${pid_of[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then return 0; fi
  done
  return 1
}

# Stops every process this script started: SIGTERM, up to 5 s to exit, then SIGKILL.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid i
  for pid in "${pid_of[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for (( i = 0; i < 50; i++ )); do
    any_alive || break
    sleep 0.1
  done
  for pid in "${pid_of[@]}"; do
    { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then
    say "Logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_backend REGION: starts its backend and waits (up to 5 s) for its ready line.
start_backend() {
  local region="$1" log="$work/backend-$1.log" i
  : >"$log"
  python3 "$here/backend.py" --host "${address_of[$region]}" --port "$BACKEND_PORT" --region "$region" >"$log" 2>&1 &
  pid_of[$region]=$!
  for (( i = 0; i < 50; i++ )); do
    grep -q ' ready on ' "$log" && return 0
    kill -0 "${pid_of[$region]}" 2>/dev/null || break
    sleep 0.1
  done
  die "the $region backend did not start on ${address_of[$region]}:$BACKEND_PORT (port taken? try --backend-port): $(cat "$log")"
}

admin_url="http://127.0.0.1:$ADMIN_PORT"
sy() { "$SWITCHYARD" "$@" --admin "$admin_url"; }

# --- Answers --------------------------------------------------------------------------------

declare -A seen=()        # seen[phase/name/client] = region
declare -A canary_share=() # canary_share[phase] = "canary answers/answers"
phases=()
samples=50

# snapshot PHASE TITLE: asks every routed name as every client and prints a table; cells
# that changed since the previous table are marked with *.
snapshot() {
  local phase="$1" title="$2" previous="" name client cell row
  [ ${#phases[@]} -eq 0 ] || previous="${phases[${#phases[@]}-1]}"
  phases+=("$phase")
  say "$title"
  say ""
  row="$(printf '  %-16s' "name (policy)")"
  for client in "${clients[@]}"; do row+="$(printf '%-28s' "$client client ${subnet_of[$client]}")"; done
  say "${row%"${row##*[! ]}"}"
  for name in "${names[@]}"; do
    row="$(printf '  %-16s' "$name (${policy_of[$name]})")"
    for client in "${clients[@]}"; do
      cell="$(region "$(ask "$name" "$client")")"
      seen[$phase/$name/$client]="$cell"
      if [ -n "$previous" ] && [ "${seen[$previous/$name/$client]}" != "$cell" ]; then cell="$cell *"; fi
      row+="$(printf '%-28s' "$cell")"
    done
    say "${row%"${row##*[! ]}"}"
  done
  local answers line stable=0 canary=0 total=0
  answers="$(dns_query "www.$zone." A "${subnet_of[US]}" "$samples")"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    total=$((total + 1))
    if [ "$line" = "${address_of[ap-southeast-1]}" ]; then stable=$((stable + 1)); fi
    if [ "$line" = "${address_of[us-east-1]}" ]; then canary=$((canary + 1)); fi
  done <<<"$answers"
  canary_share[$phase]="$canary/$total"
  printf '  %-16s%s\n' "www (weighted)" "of $total answers: $stable stable (ap-southeast-1), $canary canary (us-east-1)"
  if [ -n "$previous" ]; then say "  (* changed since the previous table)"; fi
}

# await_answer NAME CLIENT is|not ADDRESS LIMIT_MS START_MS: polls every 100 ms until the
# answer is (or is no longer) ADDRESS; sets waited_ms, measured when the answer arrived
# (-1 when the limit passed first), and polls, the number of queries it took.
waited_ms=-1
polls=0
await_answer() {
  local name="$1" client="$2" mode="$3" address="$4" limit="$5" start="$6" answer now
  waited_ms=-1
  for (( polls = 1; polls <= limit / 100 + 10; polls++ )); do
    answer="$(ask "$name" "$client")"
    now="$(now_ms)"
    if { [ "$mode" = is ] && [ "$answer" = "$address" ]; } || { [ "$mode" = not ] && [ -n "$answer" ] && [ "$answer" != "$address" ]; }; then
      waited_ms=$(( now - start ))
      return 0
    fi
    (( now - start < limit )) || return 1
    sleep 0.1
  done
  return 1
}

failures=()
expect() { # expect WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || failures+=("$1: got '$2', expected '$3'")
}
expect_table() { # expect_table PHASE app:US=region ...
  local phase="$1" spec key want
  shift
  for spec in "$@"; do
    key="${spec%%=*}"; want="${spec#*=}"
    expect "$phase: ${key%%:*} for the ${key#*:} client" "${seen[$phase/${key%%:*}/${key#*:}]}" "$want"
  done
}

# The health checks' interval and threshold, read from the zone, for the expected bound.
check_line="$(grep -E '^\$HEALTHCHECK[[:space:]]+euw1[[:space:]]' "$here/zones/$zone.zone" || true)"
interval_s="$(sed -nE 's/.*interval=([0-9]+)s.*/\1/p' <<<"$check_line")"
threshold="$(sed -nE 's/.*threshold=([0-9]+).*/\1/p' <<<"$check_line")"
interval_s="${interval_s:-1}"; threshold="${threshold:-2}"
failover_bound_ms=$(( (interval_s * threshold + 1) * 1000 ))

# --- 1. Start everything ---------------------------------------------------------------------

say "Region-evacuation drill: three regions, one zone (evac.test), clients on three continents."
say "  switchyard:  $SWITCHYARD"
say "  DNS client:  $DNS_CLIENT (EDNS Client Subnet stands in for clients in the US, Europe and Asia)"
say "  DNS:         127.0.0.1:$DNS_PORT     admin API: $admin_url"

section "1. Start three regions and the DNS server"
mkdir -p "$work/zones" "$work/state"
for file in "$here"/zones/*.zone; do
  sed "s#:8080/health#:$BACKEND_PORT/health#g" "$file" >"$work/zones/$(basename "$file")"
done
for region in "${regions[@]}"; do
  start_backend "$region"
  say "  backend $region on http://${address_of[$region]}:$BACKEND_PORT/ (pid ${pid_of[$region]})"
done

shown switchyard serve zones/ --listen 127.0.0.1:$DNS_PORT --admin 127.0.0.1:$ADMIN_PORT --geo-networks geo-networks.csv --state-dir STATE
"$SWITCHYARD" serve "$work/zones" --listen "127.0.0.1:$DNS_PORT" --admin "127.0.0.1:$ADMIN_PORT" \
  --state-dir "$work/state" --geo-networks "$here/geo-networks.csv" >"$work/switchyard.log" 2>&1 &
pid_of[switchyard]=$!

# Ready when it answers the zone's SOA and its admin API lists the checks: at most 100
# tries, 100 ms apart (about 10 s).
ready=0
started="$(now_ms)"
for (( i = 0; i < 100; i++ )); do
  kill -0 "${pid_of[switchyard]}" 2>/dev/null || break
  if [ -n "$(dns_query "$zone." SOA)" ] && sy health >/dev/null 2>&1; then ready=1; break; fi
  (( $(now_ms) - started < 10000 )) || break
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  if kill -0 "${pid_of[switchyard]}" 2>/dev/null; then
    say "switchyard did not answer within 10 s. Its log:" >&2
  else
    say "switchyard stopped at start (ports $DNS_PORT/$ADMIN_PORT taken? try --dns-port and --admin-port). Its log:" >&2
  fi
  sed 's/^/  /' "$work/switchyard.log" >&2
  exit 1
fi
say "  switchyard is answering (pid ${pid_of[switchyard]}, ready after $(seconds $(( $(now_ms) - started ))) s)"
say "  Status page for the people watching: $admin_url/ (open it in a browser while the drill runs)"

# --- 2. Before ------------------------------------------------------------------------------

section "2. Who goes where, with every region healthy"
snapshot before "Answers (the region each client is sent to):"
expect_table before app:US=us-east-1 app:EU=eu-west-1 app:Asia=ap-southeast-1 \
  api:US=us-east-1 api:EU=us-east-1 api:Asia=us-east-1 geo:US=us-east-1 geo:EU=eu-west-1 geo:Asia=ap-southeast-1

# --- 3. What if ----------------------------------------------------------------------------

section "3. Before the drill: what would move if us-east-1 went away?"
say "  whatif runs the server's own routing over every client network of --geo-networks under"
say "  the assumed health; it changes nothing."
shown switchyard whatif evacuate us-east-1 --admin $admin_url
whatif_status=0
whatif_out="$(sy whatif evacuate us-east-1 2>&1)" || whatif_status=$?
sed 's/^/  /' <<<"$whatif_out"
[ "$whatif_status" = 0 ] || failures+=("whatif evacuate us-east-1 failed (exit $whatif_status)")
grep -q "app.$zone" <<<"$whatif_out" || failures+=("whatif: no line for app.$zone")
[ "$(region "$(ask app US)")" = us-east-1 ] || failures+=("whatif changed an answer: the US client's app left us-east-1")

# --- 4. Start the drill ---------------------------------------------------------------------

drill=evac-1
section "4. Start drill $drill: evacuate us-east-1 for 10 minutes"
shown switchyard drill start $drill --evacuate us-east-1 --for 10m --reason "quarterly drill" --admin $admin_url
started="$(now_ms)"
sy drill start "$drill" --evacuate us-east-1 --for 10m --reason "quarterly drill" | sed 's/^/  /'
command_ms=$(( $(now_ms) - started ))
evacuation_ms=-1
if await_answer app US not "${address_of[us-east-1]}" 10000 "$started"; then
  evacuation_ms="$waited_ms"
  say "  The US client's answer for app left us-east-1 $(seconds "$evacuation_ms") s after the command started (the command itself took $(seconds "$command_ms") s)."
  if [ "$polls" = 1 ]; then say "  The first query after the command returned already got the new answer."; fi
else
  failures+=("evacuation: the US client's app answer did not leave us-east-1 within 10 s")
  say "  The US client's answer for app did NOT leave us-east-1 within 10 s."
fi
say ""
snapshot evacuated "Answers with us-east-1 evacuated:"
expect_table evacuated app:US=eu-west-1 app:EU=eu-west-1 app:Asia=ap-southeast-1 \
  api:US=ap-southeast-1 api:EU=ap-southeast-1 api:Asia=ap-southeast-1 geo:US=eu-west-1 geo:EU=eu-west-1 geo:Asia=ap-southeast-1
expect "evacuated: canary answers (us-east-1) for www" "${canary_share[evacuated]%%/*}" 0
say ""
say "The health checks: us-east-1 is still observed healthy, but overridden down until the override expires."
shown switchyard health --admin $admin_url
sy health | sed 's/^/  /'

# --- 5. Kill eu-west-1 ----------------------------------------------------------------------

section "5. Kill eu-west-1's backend: automatic failover"
say "  eu-west-1's health check probes every ${interval_s} s and needs $threshold failures in a row,"
say "  so answers should move within about $(( interval_s * threshold )) s (bound: interval × threshold + 1 s = $(( failover_bound_ms / 1000 )) s)."
shown kill -9 "${pid_of[eu-west-1]}   # the eu-west-1 backend"
started="$(now_ms)"
{ kill -KILL "${pid_of[eu-west-1]}"; wait "${pid_of[eu-west-1]}"; } 2>/dev/null || true   # quietly: no "Killed" notice
unset 'pid_of[eu-west-1]'
failover_ms=-1
if await_answer app EU not "${address_of[eu-west-1]}" 15000 "$started"; then
  failover_ms="$waited_ms"
  say "  The EU client's answer for app left eu-west-1 $(seconds "$failover_ms") s after the backend died."
  (( failover_ms <= failover_bound_ms )) || say "  (slower than the $(( failover_bound_ms / 1000 )) s bound: is the machine very busy?)"
else
  failures+=("failover: the EU client's app answer did not leave eu-west-1 within 15 s of killing its backend")
  say "  The EU client's answer for app did NOT leave eu-west-1 within 15 s."
fi
say ""
snapshot down "Answers with us-east-1 evacuated and eu-west-1 down:"
expect_table down app:US=ap-southeast-1 app:EU=ap-southeast-1 app:Asia=ap-southeast-1 \
  api:US=ap-southeast-1 api:EU=ap-southeast-1 api:Asia=ap-southeast-1 geo:US=ap-southeast-1 geo:EU=ap-southeast-1 geo:Asia=ap-southeast-1
expect "down: canary answers (us-east-1) for www" "${canary_share[down]%%/*}" 0
say ""
shown switchyard health --admin $admin_url
sy health | sed 's/^/  /'
say ""
say "Why the European client now gets ap-southeast-1 for geo:"
shown switchyard explain geo.$zone A --subnet "${subnet_of[EU]}" --admin $admin_url
sy explain "geo.$zone" A --subnet "${subnet_of[EU]}" | sed 's/^/  /'

# --- 6. Start eu-west-1 again ---------------------------------------------------------------

section "6. Start eu-west-1's backend again: automatic recovery"
started="$(now_ms)"
start_backend eu-west-1
say "  backend eu-west-1 on http://${address_of[eu-west-1]}:$BACKEND_PORT/ (pid ${pid_of[eu-west-1]})"
recovery_ms=-1
if await_answer app EU is "${address_of[eu-west-1]}" 15000 "$started"; then
  recovery_ms="$waited_ms"
  say "  The EU client's answer for app came back to eu-west-1 $(seconds "$recovery_ms") s after the backend started."
else
  failures+=("recovery: the EU client's app answer did not come back to eu-west-1 within 15 s")
  say "  The EU client's answer for app did NOT come back to eu-west-1 within 15 s."
fi

# --- 7. Stop the drill ----------------------------------------------------------------------

section "7. Stop drill $drill: us-east-1 comes back"
shown switchyard drill stop $drill --admin $admin_url
started="$(now_ms)"
sy drill stop "$drill" | sed 's/^/  /'
restore_ms=-1
if await_answer app US is "${address_of[us-east-1]}" 10000 "$started"; then
  restore_ms="$waited_ms"
  say "  The US client's answer for app came back to us-east-1 $(seconds "$restore_ms") s after the command started."
  if [ "$polls" = 1 ]; then say "  The first query after the command returned already got the old answer back."; fi
else
  failures+=("restore: the US client's app answer did not come back to us-east-1 within 10 s")
  say "  The US client's answer for app did NOT come back to us-east-1 within 10 s."
fi
say ""
snapshot after "Answers after the drill:"
expect_table after app:US=us-east-1 app:EU=eu-west-1 app:Asia=ap-southeast-1 \
  api:US=us-east-1 api:EU=us-east-1 api:Asia=us-east-1 geo:US=us-east-1 geo:EU=eu-west-1 geo:Asia=ap-southeast-1

# --- Report ---------------------------------------------------------------------------------

measured() { if [ "$1" -ge 0 ]; then printf '%6s s' "$(seconds "$1")"; else printf '%8s' "none"; fi; }

section "Measured by this script (its own queries)"
say "  Evacuation flip time:     $(measured "$evacuation_ms")  switchyard drill start -> the US client's app answer left us-east-1"
say "  Automatic failover time:  $(measured "$failover_ms")  eu-west-1 backend killed -> the EU client's app answer left it (bound $(( failover_bound_ms / 1000 )) s)"
say "  Recovery time:            $(measured "$recovery_ms")  eu-west-1 backend started -> the EU client's app answer came back"
say "  Restore time:             $(measured "$restore_ms")  switchyard drill stop -> the US client's app answer came back"
say "  (Each time ends at the first $DNS_CLIENT query that saw the change, with queries every 0.1 s.)"
say ""
say "  Answers: before -> us-east-1 evacuated -> eu-west-1 down too -> after restore"
for name in "${names[@]}"; do
  for client in "${clients[@]}"; do
    line=""
    for phase in "${phases[@]}"; do line+="${seen[$phase/$name/$client]} -> "; done
    printf '    %-4s %-12s %s\n' "$name" "$client client" "${line% -> }"
  done
done
line=""
for phase in "${phases[@]}"; do line+="${canary_share[$phase]} -> "; done
printf '    %-4s %-12s %s\n' www "canary share" "${line% -> }"

# --- The drill's own report -------------------------------------------------------------------

section "The drill's report, measured by the server"
say "  Every routed name's first answer from another set, noted by the query path itself;"
say "  caches clear once that answer's TTL has passed."
shown switchyard drill report $drill --admin $admin_url
sy drill report "$drill" | sed 's/^/  /'
report_json="$(sy drill report "$drill" --json 2>/dev/null || true)"
for moved in "app.$zone. A" "api.$zone. A" "geo.$zone. A"; do
  python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(0 if any(m["name"]+" "+m["type"]==sys.argv[1] for m in r["moves"]) else 1)' \
    "$moved" <<<"$report_json" 2>/dev/null || failures+=("drill report: no move for $moved")
done
python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(0 if r["state"]=="stopped" and len(r["applied"])==1 else 1)' \
  <<<"$report_json" 2>/dev/null || failures+=("drill report: not stopped, or not applied once")

say ""
if [ "$HOLD" -gt 0 ]; then
  say "Holding everything for $HOLD s: the status page is at $admin_url/ (Ctrl-C ends it now)."
  sleep "$HOLD"
fi
if [ ${#failures[@]} -eq 0 ]; then
  say "  Result: PASS - every expected answer move happened."
else
  say "  Result: FAIL - ${#failures[@]} expected answer(s) not seen:"
  for failure in "${failures[@]}"; do say "    - $failure"; done
  if [ "$CHECK" = 1 ]; then
    say "  The switchyard log:"
    sed 's/^/    /' "$work/switchyard.log"
    exit 1
  fi
fi
