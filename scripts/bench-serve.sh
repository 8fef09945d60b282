#!/usr/bin/env bash
# Server benchmark (numbers go to BENCHMARKS.md), all on 127.0.0.1:
#   1. `milepost serve` on the generated 2,000-document corpus and nginx serving the
#      identical response bodies as static files (precompressed, gzip_static on), both
#      driven by wrk asking for gzip, for /api/roadmap and /api/roadmap?entity=...:
#      same threads, connections and duration, runs alternated, ROUNDS rounds;
#      requests/s, p99 and server CPU time per request for both, and milepost/nginx ratios;
#   2. time from saving a source file to the /api/events event, over 50 edits;
#   3. the server's resident memory with the corpus loaded (VmRSS, VmHWM).
#
#   scripts/bench-serve.sh
#
# Knobs (environment): MILEPOST_BENCH_DOCS=2000 MILEPOST_BENCH_ROUNDS=3
# MILEPOST_BENCH_DURATION=10 (seconds per run) MILEPOST_BENCH_THREADS=2
# MILEPOST_BENCH_CONNECTIONS=32 MILEPOST_BENCH_EDITS=50 MILEPOST_BENCH_PORT=18480
# (nginx takes the next port). Tools: scripts/install-tools.sh --bench (wrk, nginx).
# Takes about 3 minutes with the defaults; every process it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

docs=${MILEPOST_BENCH_DOCS:-2000}
rounds=${MILEPOST_BENCH_ROUNDS:-3}
duration=${MILEPOST_BENCH_DURATION:-10}
threads=${MILEPOST_BENCH_THREADS:-2}
connections=${MILEPOST_BENCH_CONNECTIONS:-32}
edits=${MILEPOST_BENCH_EDITS:-50}
milepost_port=${MILEPOST_BENCH_PORT:-18480}
nginx_port=$((milepost_port + 1))
today=2026-03-01
# One entity of the generated corpus (about 20 of its documents).
entity_query='entity=component%3Adefault%2Fservice-7'

die() { echo "bench-serve.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

for tool in wrk nginx curl gzip; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-tools.sh --bench)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/milepost-bench-serve.XXXXXX")
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
cargo build --release -p milepost-server -p milepost-bench --bins
milepost=$root/target/release/milepost

say "generating $docs documents"
target/release/gen-corpus "$work/corpus" "$docs"

say "starting milepost serve on 127.0.0.1:$milepost_port"
"$milepost" serve --source "$work/corpus" --listen "127.0.0.1:$milepost_port" --today "$today" \
  >"$work/milepost.log" 2>&1 &
milepost_pid=$!
pids+=("$milepost_pid")
base=http://127.0.0.1:$milepost_port
started=$(date +%s.%N)
for _ in $(seq 600); do
  curl -sf -o /dev/null "$base/readyz" && break
  kill -0 "$milepost_pid" 2>/dev/null || { cat "$work/milepost.log" >&2; die "milepost serve exited"; }
  sleep 0.1
done
curl -sf -o /dev/null "$base/readyz" || die "milepost serve not ready after 60 s"
ready=$(date +%s.%N)
awk -v s="$started" -v e="$ready" 'BEGIN { printf "ready after %.2f s\n", e - s }'

memory() { grep -E '^(VmRSS|VmHWM)' "/proc/$milepost_pid/status" | tr -s ' \t' ' ' | paste -sd' ' -; }

say "fetching the response bodies nginx will serve"
www=$work/www
mkdir -p "$www/files"
fetch() { # name query
  local name=$1 url=$base/api/roadmap${2:+?$2}
  curl -sf -o "$www/files/$name.json" "$url"
  # The bytes milepost sends for gzip, so both servers send the very same body. The
  # server may still be compressing a new revision, answering identity meanwhile.
  for _ in $(seq 120); do
    curl -sf -H 'Accept-Encoding: gzip' -D "$work/$name.headers" -o "$www/files/$name.json.gz" "$url"
    grep -qi '^content-encoding: *gzip' "$work/$name.headers" && break
    sleep 0.5
  done
  if grep -qi '^content-encoding: *gzip' "$work/$name.headers"; then
    gzip -dc "$www/files/$name.json.gz" | cmp -s - "$www/files/$name.json" ||
      die "$name: milepost's gzip body does not match its identity body"
  else
    echo "$name: milepost did not answer with gzip; compressing with gzip -9 for nginx"
    gzip -9 -n -c "$www/files/$name.json" >"$www/files/$name.json.gz"
  fi
  printf '%-8s %10d bytes JSON, %9d bytes gzip\n' "$name" \
    "$(wc -c <"$www/files/$name.json")" "$(wc -c <"$www/files/$name.json.gz")"
}
fetch roadmap ""
awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "gzip body of /api/roadmap available %.2f s after start\n", e - s }'
fetch entity "$entity_query"
memory_loaded=$(memory)
echo "milepost memory with $docs documents loaded and responses compressed: $memory_loaded"

say "starting nginx on 127.0.0.1:$nginx_port"
mkdir -p "$work/nginx"
user_line=""
# Workers of a root master switch to 'nobody', which cannot read the private temp dir.
[ "$(id -u)" = 0 ] && user_line="user $(id -un);"
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  # sendfile is nginx's fastest way for the small filtered body here; for the 2 MB
  # unfiltered one, reading into 1 MB buffers measured about twice as fast on this VM.
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/json json; }
  default_type application/octet-stream;
  map \$arg_entity \$roadmap_file {
    "" /files/roadmap.json;
    default /files/entity.json;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location = /api/roadmap { rewrite ^ \$roadmap_file last; }
    location /files/ { internal; gzip_static on; }
    location = /files/roadmap.json { internal; gzip_static on; sendfile off; output_buffers 2 1m; }
  }
}
EOF
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -t -q ||
  die "nginx rejected its configuration"
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
pids+=("$nginx_pid")
nginx_base=http://127.0.0.1:$nginx_port
for _ in $(seq 50); do
  curl -sf -o /dev/null "$nginx_base/api/roadmap" && break
  sleep 0.1
done
for name in roadmap entity; do
  query=""
  [ "$name" = entity ] && query="?$entity_query"
  curl -sf -H 'Accept-Encoding: gzip' -D "$work/nginx-$name.headers" -o "$work/nginx-$name.gz" \
    "$nginx_base/api/roadmap$query" || die "nginx does not serve /api/roadmap$query"
  grep -qi '^content-encoding: *gzip' "$work/nginx-$name.headers" || die "nginx did not send gzip"
  cmp -s "$work/nginx-$name.gz" "$www/files/$name.json.gz" || die "nginx sends a different $name body"
done
echo "both servers send byte-identical gzip bodies"

# CPU time (user + system, clock ticks) used so far by the given processes.
cpu_ticks() { # pid...
  local total=0 pid
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the name.
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
# The processes doing a server's work: milepost, or nginx's workers.
server_pids() { # milepost|nginx
  if [ "$1" = milepost ]; then echo "$milepost_pid"; else pgrep -P "$nginx_pid" | paste -sd' ' -; fi
}
ticks_per_second=$(getconf CLK_TCK)

# Runs wrk once; prints "requests/s p99-ms non-2xx-count server-cpu-us-per-request".
# The CPU the server used per request is steadier than requests/s on a shared
# machine: it does not count time the server spent waiting for a core.
run_wrk() { # url out-file server
  local -a server
  read -r -a server < <(server_pids "$3")
  local before
  before=$(cpu_ticks "${server[@]}")
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H 'Accept-Encoding: gzip' "$1" >"$2"
  local ticks=$(($(cpu_ticks "${server[@]}") - before))
  awk -v ticks="$ticks" -v hz="$ticks_per_second" '
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2
      if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else if (v ~ /s$/) ms = v * 1000; else ms = v / 1000
    }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    END { printf "%s %.3f %d %.1f\n", rps, ms, bad + 0, (requests > 0 ? ticks * 1e6 / hz / requests : 0) }
  ' "$2"
}

say "warm-up (3 s each, not recorded)"
for url in "$base/api/roadmap" "$nginx_base/api/roadmap"; do
  wrk -t"$threads" -c"$connections" -d3s -H 'Accept-Encoding: gzip' "$url" >/dev/null
done

say "wrk -t$threads -c$connections -d${duration}s --latency, Accept-Encoding: gzip, $rounds rounds"
results=$work/results.tsv
: >"$results"
for round in $(seq "$rounds"); do
  for endpoint in roadmap entity; do
    query=""
    [ "$endpoint" = entity ] && query="?$entity_query"
    # Alternate which server goes first so neither always runs on a warmer machine.
    order="milepost nginx"
    [ $((round % 2)) = 0 ] && order="nginx milepost"
    for server in $order; do
      url=$base/api/roadmap$query
      [ "$server" = nginx ] && url=$nginx_base/api/roadmap$query
      read -r rps p99 bad cpu < <(run_wrk "$url" "$work/wrk-$round-$endpoint-$server.txt" "$server")
      printf 'round %d  %-8s %-8s %10s req/s  p99 %8s ms  cpu %7s us/req%s\n' "$round" "$endpoint" "$server" \
        "$rps" "$p99" "$cpu" "$([ "$bad" -gt 0 ] && echo "  ($bad non-2xx responses!)")"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$endpoint" "$server" "$rps" "$p99" "$cpu" >>"$results"
    done
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -F'\t' -v e="$1" -v s="$2" -v c="$3" '$2 == e && $3 == s { print $c }' "$results"; }

say "sse: save a document, wait for the /api/events event ($edits edits)"
sse_file=$work/corpus/team-0/roadmap-0.md
target/release/sse-latency "127.0.0.1:$milepost_port" "$sse_file" "$edits" | tee "$work/sse.txt" | tail -n 1

memory_end=$(memory)

say "summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $docs documents)"
for endpoint in roadmap entity; do
  m_rps=$(column_of "$endpoint" milepost 4 | median)
  n_rps=$(column_of "$endpoint" nginx 4 | median)
  m_p99=$(column_of "$endpoint" milepost 5 | median)
  n_p99=$(column_of "$endpoint" nginx 5 | median)
  m_cpu=$(column_of "$endpoint" milepost 6 | median)
  n_cpu=$(column_of "$endpoint" nginx 6 | median)
  awk -v e="$endpoint" -v mr="$m_rps" -v nr="$n_rps" -v mp="$m_p99" -v np="$n_p99" -v mc="$m_cpu" -v nc="$n_cpu" 'BEGIN {
    rr = mr / nr; pr = mp / np
    printf "%-8s median of rounds: milepost %.0f req/s p99 %.2f ms | nginx %.0f req/s p99 %.2f ms\n", e, mr, mp, nr, np
    printf "%-8s milepost/nginx: throughput %.2fx (parity 1.0x: %s; bound >= 0.8x: %s), p99 %.2fx (parity 1.0x: %s; bound <= 1.5x: %s)\n",
      e, rr, (rr >= 1.0 ? "met" : "missed"), (rr >= 0.8 ? "met" : "missed"),
      pr, (pr <= 1.0 ? "met" : "missed"), (pr <= 1.5 ? "met" : "missed")
    printf "%-8s server CPU per request, median of rounds: milepost %.1f us, nginx %.1f us (%.2fx)\n", e, mc, nc, (nc > 0 ? mc / nc : 0)
  }'
  # Each round's pair ran back to back, so its ratio is less exposed to load drifting between rounds.
  awk -F'\t' -v e="$endpoint" '
    $2 == e && $3 == "milepost" { m_rps[$1] = $4; m_p99[$1] = $5 }
    $2 == e && $3 == "nginx" { n_rps[$1] = $4; n_p99[$1] = $5 }
    END {
      line = ""
      for (r = 1; r in m_rps; r++) line = line sprintf(" %.2fx/%.2fx", m_rps[r] / n_rps[r], m_p99[r] / n_p99[r])
      printf "%-8s per-round milepost/nginx throughput/p99:%s\n", e, line
    }' "$results"
done
tail -n 1 "$work/sse.txt"
echo "milepost memory: loaded $memory_loaded; at the end $memory_end"
