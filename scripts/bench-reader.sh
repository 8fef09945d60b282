#!/usr/bin/env bash
# Reader benchmark (numbers go to BENCHMARKS.md):
#   1. criterion: bare pulldown-cmark floor vs the full reader over the generated
#      2,000-document corpus (MB/s; also the same parse with byte ranges noting where
#      items, rows and headings are, the read with the returned roadmap freed untimed,
#      and that roadmap copied and freed without reading), and one changed document in a
#      read corpus; each in wall-clock time and (groups `…-cpu`) in the process's CPU time;
#   2. the whole `milepost export --format json` process on that corpus (hyperfine);
#   3. its peak resident memory (GNU time -v).
#
#   scripts/bench-reader.sh [CRITERION FILTER]   # e.g. 'incremental' to run one group
#
# Tools: scripts/install-tools.sh --bench (hyperfine, GNU time). Takes ~6 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

docs=${MILEPOST_BENCH_DOCS:-2000}
today=2026-03-01
work=$(mktemp -d "${TMPDIR:-/tmp}/milepost-bench-reader.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '\n== %s\n' "$*"; }

say "building (release)"
cargo build --release -p milepost-server -p milepost-bench --bins
target=$(scripts/target-dir.sh)
release=$target/release
milepost=$release/milepost

say "generating $docs documents"
"$release/gen-corpus" "$work/corpus" "$docs"

say "criterion: cargo bench -p milepost-bench --bench reader"
cargo bench -p milepost-bench --bench reader -- "$@" 2>&1 | tee "$work/criterion.log"

export_cmd=("$milepost" export --format json --today "$today" "$work/corpus")
"${export_cmd[@]}" >"$work/export.json"
say "milepost export --format json ($(wc -c <"$work/export.json") bytes of JSON)"
if command -v hyperfine >/dev/null; then
  hyperfine --shell=none --warmup 1 --runs 10 --export-json "$work/hyperfine.json" \
    "${export_cmd[*]}"
else
  echo "hyperfine not installed (scripts/install-tools.sh --bench); timing 10 runs with date"
  for run in $(seq 10); do
    start=$(date +%s.%N)
    "${export_cmd[@]}" >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v r="$run" 'BEGIN { printf "run %2d: %.1f ms\n", r, (e - s) * 1000 }'
  done
fi

say "peak memory of milepost export (/usr/bin/time -v)"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "${export_cmd[@]}" >/dev/null 2>"$work/time.txt"
  grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$work/time.txt"
else
  echo "GNU time not installed (scripts/install-tools.sh --bench)"
fi

say "summary"
grep -E '^(parse|incremental)(-cpu)?/|time:|thrpt:' "$work/criterion.log" || true
