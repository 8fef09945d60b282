#!/usr/bin/env bash
# Prints cargo's target directory for this workspace: `target/` unless
# CARGO_TARGET_DIR or a cargo config moves it. The other scripts run the
# binaries they built from there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ -z "$dir" ]; then
  echo "target-dir.sh: could not find cargo's target directory in \`cargo metadata\`" >&2
  exit 1
fi
printf '%s\n' "$dir"
