#!/usr/bin/env bash
# usage: Fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds the fuzz targets with libFuzzer and AddressSanitizer into .build-fuzz and runs
# each for SECONDS (default 60), one after the other, over a copy of its seed corpus
# (Fuzz/Corpus/TARGET) in a temporary folder, with its regression inputs
# (Fuzz/Regressions/TARGET) read as well and its dictionary (Fuzz/Dictionaries/TARGET.dict)
# used when there is one. Prints the executions per target; exits
# non-zero when any target crashed, timed out or ran out of memory, leaving the
# reproducer's path printed and the temporary folder in place.
#
# Replay a reproducer without sanitizers: swift run TARGET FILE
# With them:                              .build-fuzz/debug/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
[ "$#" -gt 0 ] && shift
all=(QueryFuzzer ZoneFileFuzzer MMDBFuzzer AdminRequestFuzzer)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
for target in "${targets[@]}"; do
  [ -d "Fuzz/Corpus/$target" ] || { echo "unknown target $target (one of: ${all[*]})" >&2; exit 2; }
done

flags=(--scratch-path .build-fuzz -c debug
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
       -Xswiftc -enable-experimental-feature -Xswiftc Extern)
started=$(date +%s)
for target in "${targets[@]}"; do
  # The linker warns about every ASan helper it cannot export; the warnings say nothing.
  swift build "${flags[@]}" --product "$target" 2>&1 | { grep -v "Cannot export local symbol" || true; }
done
echo "fuzz build: $(( $(date +%s) - started )) s"
bin="$(swift build "${flags[@]}" --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-fuzz.XXXXXX")"
# Swift's own crash handler reads the stack in a way ASan reports as a bug of its own,
# hiding the real one: leave crashes to libFuzzer and ASan.
export SWIFT_BACKTRACE=enable=no
# The Swift runtime keeps metadata caches for the life of the process, which LeakSanitizer
# would report after every run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

failed=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus"
  cp Fuzz/Corpus/"$target"/* "$work/$target/corpus/"
  log="$work/$target/fuzz.log"
  echo "== $target: ${seconds} s"
  dictionary=()
  [ -f "Fuzz/Dictionaries/$target.dict" ] && dictionary=(-dict="Fuzz/Dictionaries/$target.dict")
  status=0
  "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$target/" "${dictionary[@]}" "$work/$target/corpus" "Fuzz/Regressions/$target" >"$log" 2>&1 || status=$?
  runs="$(awk '/stat::number_of_executed_units:/ { n = $2 } /^Done [0-9]+ runs/ { n = $2 } END { print n + 0 }' "$log")"
  coverage="$(grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+" "$log" | tail -1 || true)"
  if [ "$status" -eq 0 ]; then
    summary+=("$target: $runs executions in $seconds s, no crash ($coverage)")
  else
    failed=1
    artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*Fatal error)" "$log" | head -5 || true
    summary+=("$target: FAILED (status $status) after $runs executions; reproducer: ${artifact:-none}; log: $log")
  fi
done

echo "== executions per target"
printf '%s\n' "${summary[@]}"
if [ "$failed" -eq 0 ]; then rm -rf "$work"; else echo "kept $work" >&2; fi
exit "$failed"
