#!/usr/bin/env bash
# Server benchmark (numbers go to BENCHMARKS.md), all on 127.0.0.1:
#   1. `milepost serve` on the generated 2,000-document corpus and nginx serving the
#      identical response bodies as static files (precompressed, gzip_static on), both
#      driven by wrk asking for gzip, for /api/roadmap and /api/roadmap?entity=...:
#      same threads, connections and duration, runs alternated, ROUNDS rounds;
#      requests/s, p99 and server CPU time per request for both, and milepost/nginx ratios;
#      a second, identical nginx (the control) runs in every round too: its ratios to the
#      first show how far apart two identical servers measure on this machine;
#   2. time from saving a source file to the /api/events event, over 50 edits;
#   3. the server's resident memory with the corpus loaded (VmRSS, VmHWM).
#
#   scripts/bench-serve.sh
#
# Knobs (environment): MILEPOST_BENCH_DOCS=2000 MILEPOST_BENCH_ROUNDS=5
# MILEPOST_BENCH_DURATION=10 (seconds per run) MILEPOST_BENCH_THREADS=2
# MILEPOST_BENCH_CONNECTIONS=32 MILEPOST_BENCH_EDITS=50 MILEPOST_BENCH_PORT=18480
# (nginx takes the next port, the control nginx the one after). Tools:
# scripts/install-tools.sh --bench (wrk, nginx).
# Takes about 6 minutes with the defaults; every process it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

docs=${MILEPOST_BENCH_DOCS:-2000}
rounds=${MILEPOST_BENCH_ROUNDS:-5}
duration=${MILEPOST_BENCH_DURATION:-10}
threads=${MILEPOST_BENCH_THREADS:-2}
connections=${MILEPOST_BENCH_CONNECTIONS:-32}
edits=${MILEPOST_BENCH_EDITS:-50}
milepost_port=${MILEPOST_BENCH_PORT:-18480}
nginx_port=$((milepost_port + 1))
control_port=$((milepost_port + 2))
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
target=$(scripts/target-dir.sh)
release=$target/release
milepost=$release/milepost

say "generating $docs documents"
"$release/gen-corpus" "$work/corpus" "$docs"

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

# Starts an nginx serving $www on PORT, its files under $work/NAME; prints its master's pid.
start_nginx() { # name port
  local name=$1 port=$2 dir=$work/$1 user_line=""
  mkdir -p "$dir"
  # Workers of a root master switch to 'nobody', which cannot read the private temp dir.
  [ "$(id -u)" = 0 ] && user_line="user $(id -un);"
  cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
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
    listen 127.0.0.1:$port;
    root $www;
    location = /api/roadmap { rewrite ^ \$roadmap_file last; }
    location /files/ { internal; gzip_static on; }
    location = /files/roadmap.json { internal; gzip_static on; sendfile off; output_buffers 2 1m; }
  }
}
EOF
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -t -q || die "nginx rejected its configuration"
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" >/dev/null 2>&1 &
  echo $!
}

say "starting nginx on 127.0.0.1:$nginx_port and the control nginx on 127.0.0.1:$control_port"
nginx_pid=$(start_nginx nginx "$nginx_port")
pids+=("$nginx_pid")
control_pid=$(start_nginx control "$control_port")
pids+=("$control_pid")
nginx_base=http://127.0.0.1:$nginx_port
control_base=http://127.0.0.1:$control_port
for base_url in "$nginx_base" "$control_base"; do
  for _ in $(seq 50); do
    curl -sf -o /dev/null "$base_url/api/roadmap" && break
    sleep 0.1
  done
  for name in roadmap entity; do
    query=""
    [ "$name" = entity ] && query="?$entity_query"
    curl -sf -H 'Accept-Encoding: gzip' -D "$work/nginx-$name.headers" -o "$work/nginx-$name.gz" \
      "$base_url/api/roadmap$query" || die "nginx on $base_url does not serve /api/roadmap$query"
    grep -qi '^content-encoding: *gzip' "$work/nginx-$name.headers" || die "nginx did not send gzip"
    cmp -s "$work/nginx-$name.gz" "$www/files/$name.json.gz" || die "nginx sends a different $name body"
  done
done
echo "all three servers send byte-identical gzip bodies"

# CPU time (user + system, clock ticks) used so far by the given processes.
cpu_ticks() { # pid...
  local total=0 pid
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the name.
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
# The processes doing a server's work: milepost, or an nginx's workers.
server_pids() { # milepost|nginx|control
  case $1 in
    milepost) echo "$milepost_pid" ;;
    nginx) pgrep -P "$nginx_pid" | paste -sd' ' - ;;
    control) pgrep -P "$control_pid" | paste -sd' ' - ;;
  esac
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
for url in "$base/api/roadmap" "$nginx_base/api/roadmap" "$control_base/api/roadmap"; do
  wrk -t"$threads" -c"$connections" -d3s -H 'Accept-Encoding: gzip' "$url" >/dev/null
done

say "wrk -t$threads -c$connections -d${duration}s --latency, Accept-Encoding: gzip, $rounds rounds"
results=$work/results.tsv
: >"$results"
for round in $(seq "$rounds"); do
  for endpoint in roadmap entity; do
    query=""
    [ "$endpoint" = entity ] && query="?$entity_query"
    # Rotate the order so no server always runs first, on a warmer machine.
    case $((round % 3)) in
      1) order="milepost nginx control" ;;
      2) order="nginx control milepost" ;;
      0) order="control milepost nginx" ;;
    esac
    for server in $order; do
      case $server in
        milepost) url=$base/api/roadmap$query ;;
        nginx) url=$nginx_base/api/roadmap$query ;;
        control) url=$control_base/api/roadmap$query ;;
      esac
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
"$release/sse-latency" "127.0.0.1:$milepost_port" "$sse_file" "$edits" | tee "$work/sse.txt" | tail -n 1

memory_end=$(memory)

say "summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $docs documents)"
# Prints SERVER/nginx for one endpoint: the medians of the rounds, the ratio of the
# medians against the issue's parity and bounds, and each round's own ratio.
compare() { # endpoint server
  local s_rps n_rps s_p99 n_p99 s_cpu n_cpu
  s_rps=$(column_of "$1" "$2" 4 | median)
  n_rps=$(column_of "$1" nginx 4 | median)
  s_p99=$(column_of "$1" "$2" 5 | median)
  n_p99=$(column_of "$1" nginx 5 | median)
  s_cpu=$(column_of "$1" "$2" 6 | median)
  n_cpu=$(column_of "$1" nginx 6 | median)
  awk -v e="$1" -v s="$2" -v sr="$s_rps" -v nr="$n_rps" -v sp="$s_p99" -v np="$n_p99" -v sc="$s_cpu" -v nc="$n_cpu" 'BEGIN {
    rr = sr / nr; pr = sp / np
    printf "%-8s %-8s median of rounds: %.0f req/s p99 %.2f ms | nginx %.0f req/s p99 %.2f ms\n", e, s, sr, sp, nr, np
    printf "%-8s %-8s /nginx: throughput %.2fx (parity 1.0x: %s; bound >= 0.8x: %s), p99 %.2fx (parity 1.0x: %s; bound <= 1.5x: %s)\n",
      e, s, rr, (rr >= 1.0 ? "met" : "missed"), (rr >= 0.8 ? "met" : "missed"),
      pr, (pr <= 1.0 ? "met" : "missed"), (pr <= 1.5 ? "met" : "missed")
    printf "%-8s %-8s server CPU per request, median of rounds: %.1f us, nginx %.1f us (%.2fx)\n", e, s, sc, nc, (nc > 0 ? sc / nc : 0)
  }'
  # Each round's runs were back to back, so its ratio is less exposed to load drifting between rounds.
  awk -F'\t' -v e="$1" -v s="$2" '
    $2 == e && $3 == s { s_rps[$1] = $4; s_p99[$1] = $5 }
    $2 == e && $3 == "nginx" { n_rps[$1] = $4; n_p99[$1] = $5 }
    END {
      line = ""; inside = 0; n = 0
      for (r = 1; r in s_rps; r++) {
        t = s_rps[r] / n_rps[r]; p = s_p99[r] / n_p99[r]; n++
        if (t >= 0.8 && p <= 1.5) inside++
        line = line sprintf(" %.2fx/%.2fx", t, p)
      }
      printf "%-8s %-8s per-round /nginx throughput/p99:%s (inside both bounds: %d of %d)\n", e, s, line, inside, n
    }' "$results"
}
for endpoint in roadmap entity; do
  compare "$endpoint" milepost
  # Two identical servers: how far apart this machine measures them.
  compare "$endpoint" control
done
tail -n 1 "$work/sse.txt"
echo "milepost memory: loaded $memory_loaded; at the end $memory_end"
