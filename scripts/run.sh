#!/usr/bin/env bash
# Runs Milepost on its bundled example roadmaps: installs the pinned tools if
# missing, builds the frontend and the server, and serves http://127.0.0.1:8080.
# Extra arguments go to `milepost serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-tools.sh
scripts/build-frontend.sh
cargo build --release -p milepost-server
target=$(scripts/target-dir.sh)
exec "$target/release/milepost" serve "$@"
