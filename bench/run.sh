#!/usr/bin/env bash
# bench/run.sh — runs the suggestion benchmarks one after the other, each in its own process,
# and prints a summary block of their headline figures, also saved to bench/results/latest.txt
# (git-ignored). Benchmarks report; they do not fail on slowness (exit status is non-zero only
# when a benchmark could not run at all).
#
#   bench/run.sh                 all: city-year (time-skipping server), intake (dev server), scores
#   bench/run.sh city-year       one of them; env BENCH_CASES, BENCH_CONCURRENCY, BENCH_INTAKE,
#   bench/run.sh intake          BENCH_INTAKE_CONCURRENCY, BENCH_SCORES_EVENTS, BENCH_SCORES_LAG,
#   bench/run.sh scores          BENCH_SCORES_LAG_RATE, BENCH_SCORES_RAW_PASSES change the sizes
#   bench/run.sh livelihood-vote livelihood-city-year   (BENCH_VOTE_DEPUTIES, BENCH_VOTE_CONCURRENCY)
#   bench/run.sh read            the case index at city scale; not in the default set (it takes
#                                half an hour or more on today's case index): BENCH_READ_CASES
#                                (5000,50000), BENCH_READ_LAG_RATE, BENCH_READ_LAG_SECONDS, …
#                                (see bench/case-index-read.ts)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RESULTS="$HERE/results"
mkdir -p "$RESULTS"
cd "$ROOT"

which=("${@:-city-year intake scores livelihood-vote livelihood-city-year}")
read -r -a which <<<"${which[*]}"
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
status=0

for name in "${which[@]}"; do
  case "$name" in
    city-year) file=bench/suggestions-city-year.ts ;;
    intake) file=bench/suggestions-intake.ts ;;
    scores) file=bench/scores-throughput.ts ;;
    livelihood-vote) file=bench/livelihood-vote.ts ;;
    livelihood-city-year) file=bench/livelihood-city-year.ts ;;
    console) file=bench/console.ts ;;
    read) file=bench/case-index-read.ts ;;
    *) echo "unknown benchmark: $name (city-year, intake, scores, livelihood-vote, livelihood-city-year, console or read)" >&2; exit 2 ;;
  esac
  printf '\n=== %s (%s) ===\n' "$name" "$file"
  if ! BENCH_SUMMARY_FILE="$summary" node --import tsx "$file"; then
    echo "$name: did not complete (see above)" | tee -a "$summary"
    status=1
  fi
done

{
  printf '\n=== bench summary — %s, %s cores, load %s ===\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$summary"
} | tee "$RESULTS/latest.txt"
exit "$status"
