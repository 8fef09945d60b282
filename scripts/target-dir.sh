#!/usr/bin/env bash
# Prints cargo's target directory for this workspace: `target/` unless
# CARGO_TARGET_DIR or a cargo config moves it. The other scripts run the
# binaries they built from there. `cargo metadata` gives it as JSON, which
# Node.js (already needed for the frontend's tools) reads, so a path with
# quotes, backslashes or non-ASCII letters comes out as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cargo metadata --format-version 1 --no-deps | node -e '
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => {
    const dir = JSON.parse(text).target_directory;
    if (typeof dir === "string") process.stdout.write(dir);
  });
')
if [ -z "$dir" ]; then
  echo "target-dir.sh: could not find cargo's target directory in \`cargo metadata\`" >&2
  exit 1
fi
printf '%s\n' "$dir"
