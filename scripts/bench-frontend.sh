#!/usr/bin/env bash
# Frontend benchmark (numbers go to BENCHMARKS.md, "Frontend"): headless Chromium
# (playwright-core driving /usr/bin/chromium, bench/frontend.mjs) against release
# `milepost serve` instances on 127.0.0.1:
#   1. /card bytes transferred in one cold load with brotli (HTML, JS, wasm, CSS,
#      JSON; headers included), for a northwind entity and a generated-corpus entity;
#   2. /card time from navigation start to the first milestone visible, median of
#      20 cold loads (fresh browser context each: no HTTP cache);
#   3. / time to the first milestone row visible and, while typing into the search
#      box, the longest task and the longest gap between animation frames: on a
#      generated corpus of about 2,000 milestones (median of 5 cold loads) and on
#      the full 2,000-document corpus (51,000 milestones; one load, and typing is
#      given up after MILEPOST_BENCH_TYPING_BUDGET=120 s).
#
#   scripts/bench-frontend.sh
#
# Uses the frontend already built in dist/ (run scripts/build-frontend.sh first:
# the release server embeds dist/ when it is compiled). Knobs (environment):
# MILEPOST_BENCH_DOCS=2000 MILEPOST_BENCH_SMALL_DOCS=80 (documents of the two
# generated corpora) MILEPOST_BENCH_LOADS=20 MILEPOST_BENCH_PORTFOLIO_LOADS=5
# MILEPOST_BENCH_QUERY=pipeline MILEPOST_BENCH_PORT=18580 (and the next two).
# Tools: scripts/install-tools.sh --bench (playwright-core) and --browser (Chromium).
# The JSON result is also written to bench-frontend.json in cargo's target
# directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

docs=${MILEPOST_BENCH_DOCS:-2000}
small_docs=${MILEPOST_BENCH_SMALL_DOCS:-80}
port=${MILEPOST_BENCH_PORT:-18580}

die() { echo "bench-frontend.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*" >&2; }

command -v node >/dev/null || die "node is not installed"
[ -d .tools/node_modules/playwright-core ] || die "playwright-core missing: scripts/install-tools.sh --bench"
[ -x "${MILEPOST_CHROMIUM:-/usr/bin/chromium}" ] || die "Chromium missing: scripts/install-tools.sh --browser"
[ -f dist/index.html ] && [ -f dist/card/index.html ] || die "dist/ is not built: run scripts/build-frontend.sh first"

work=$(mktemp -d "${TMPDIR:-/tmp}/milepost-bench-frontend.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building (release)"
cargo build --release -p milepost-server -p milepost-bench --bins >&2
target=$(scripts/target-dir.sh)
release=$target/release
milepost=$release/milepost

say "the frontend files in dist/ and the card's in dist/card/ (raw and brotli -q 11 bytes)"
for file in dist/* dist/card/*; do
  [ -f "$file" ] || continue
  printf '%-54s %9d %9d\n' "${file#dist/}" "$(wc -c <"$file")" "$(brotli -c -q 11 "$file" | wc -c)" >&2
done

say "generating corpora ($docs and $small_docs documents)"
"$release/gen-corpus" "$work/corpus" "$docs" >&2
"$release/gen-corpus" "$work/small" "$small_docs" >&2

# serve NAME PORT TODAY SOURCE...: starts milepost serve and waits until ready.
serve() {
  local name=$1 listen=127.0.0.1:$2 today=$3
  shift 3
  local sources=()
  for source in "$@"; do sources+=(--source "$source"); done
  "$milepost" serve "${sources[@]}" --listen "$listen" --today "$today" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://$listen/readyz" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; die "milepost serve ($name) exited"; }
    sleep 0.1
  done
  curl -sf -o /dev/null "http://$listen/readyz" || die "milepost serve ($name) not ready after 60 s"
  local milestones
  milestones=$(curl -sf "http://$listen/api/roadmap" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).milestones.length))')
  echo "$name: http://$listen, $milestones milestones" >&2
}

say "starting the servers"
serve examples "$port" 2026-01-20 examples/backstage-mvp.md examples/northwind
serve small "$((port + 1))" 2026-03-01 "$work/small"
serve corpus "$((port + 2))" 2026-03-01 "$work/corpus"
# Each server compresses the frontend files once, in the background, after it
# starts: wait until both wasm files (the leadership view's and the card's)
# come back as brotli from all three.
for wasm in dist/*.wasm dist/card/*.wasm; do
  for p in "$port" "$((port + 1))" "$((port + 2))"; do
    for _ in $(seq 300); do
      curl -sf -o /dev/null -D - -H 'Accept-Encoding: br' "http://127.0.0.1:$p/${wasm#dist/}" |
        grep -qi '^content-encoding: br' && break
      sleep 0.1
    done
  done
done

say "measuring in headless Chromium"
node bench/frontend.mjs \
  "http://127.0.0.1:$port/card?entity=component%3Adefault%2Fpayments-gateway" \
  "http://127.0.0.1:$((port + 2))/card?entity=component%3Adefault%2Fservice-7" \
  --portfolio "http://127.0.0.1:$((port + 1))/" \
  --portfolio "http://127.0.0.1:$((port + 2))/" --loads 1 | tee "$target/bench-frontend.json"
