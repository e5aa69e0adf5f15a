#!/usr/bin/env bash
# Runs every *.test.ts of the project with Node's test runner (node_modules and scratch folders left out).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find . -name '*.test.ts' -not -path './node_modules/*' -not -path './.tmp/*' | sort)
exec node --import tsx --test --test-concurrency=2 "$@" "${files[@]}"
