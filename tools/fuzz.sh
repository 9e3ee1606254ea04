#!/usr/bin/env bash
# Builds the fuzz targets (Fuzz/: libFuzzer with AddressSanitizer) and runs each for SECONDS (default 15),
# one after another. Usage: tools/fuzz.sh [seconds] [target…]   (no target: all of them)
#
# Each target starts from its committed seeds (Fuzz/Corpus/<target>) plus what earlier runs found
# (Fuzz/.work/corpus/<target>, git-ignored) and runs with an RSS limit of 2 GB and a malloc limit of 512 MB:
# an input that makes a reader allocate from a size it merely claims fails the run, as do crashes, sanitizer
# reports, leaks and inputs taking over 10 s. A failing input is kept as Fuzz/.work/artifacts/<target>-*;
# reproduce it with   DML_FUZZ_TARGET=<target> Fuzz/.build/release/dml-fuzz <file>
# and add it to the module's tests (docs/reliability.md). Exits 1 when any target failed.
# FUZZ_RUNS=N also stops each target after N executions; FUZZ_BINARY=path runs a copy of dml-fuzz built earlier
# (no build: for long campaigns while the sources change). FUZZ_JOBS=N runs N targets at once (default 1: the
# machine's cores are shared).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
[ $# -gt 0 ] && shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(safetensors pth pickle zip npy idx mat cub cars sop inshop list loss-specification jpeg png embeddings checkpoint
           multipart index-manifest)
fi

binary=${FUZZ_BINARY:-Fuzz/.build/release/dml-fuzz}
if [ -z "${FUZZ_BINARY:-}" ]; then
  swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xswiftc -enable-testing -Xswiftc -use-ld=lld || exit 1
fi
[ -x "$binary" ] || { echo "fuzz.sh: the build did not produce $binary" >&2; exit 1; }

run() {
  local target=$1 corpus=Fuzz/.work/corpus/$1 log=Fuzz/.work/logs/$1.log dict=Fuzz/Dictionaries/$1.dict
  mkdir -p "$corpus" Fuzz/.work/artifacts Fuzz/.work/logs
  local options=(-max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1
                 -artifact_prefix="Fuzz/.work/artifacts/$target-")
  [ -f "$dict" ] && options+=(-dict="$dict")
  [ -n "${FUZZ_RUNS:-}" ] && options+=(-runs="$FUZZ_RUNS")
  DML_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no "$binary" "${options[@]}" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1
  local status=$?
  local runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  local rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ $status -eq 0 ]; then
    printf '%-20s ok      %10s executions  %7s/s\n' "$target" "${runs:-?}" "${rate:-?}"
  else
    printf '%-20s FAILED  %10s executions  (status %d; log %s)\n' "$target" "${runs:-?}" "$status" "$log"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written|Fatal error|.*error:)" "$log" | head -8
    return 1
  fi
}

jobs=${FUZZ_JOBS:-1}
# Each target that fails adds its name to this file (statuses of background jobs are not reliably collected
# by `wait -n`: a job that ends while no one is waiting would be missed).
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT
for target in "${targets[@]}"; do
  if [ "$jobs" -le 1 ]; then
    run "$target" || echo "$target" >>"$failures"
  else
    { run "$target" || echo "$target" >>"$failures"; } &
    while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do wait -n; done
  fi
done
wait
[ -s "$failures" ] && { echo "fuzz.sh: failed: $(tr '\n' ' ' <"$failures")" >&2; exit 1; }
exit 0
