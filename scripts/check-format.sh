#!/usr/bin/env bash
# Fails if any C++ file differs from .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || bash scripts/setup.sh
files=$(git ls-files '*.hpp' '*.cpp')
[ -n "$files" ] || exit 0
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run 'clang-format -i \$(git ls-files \"*.hpp\" \"*.cpp\")'" >&2
  exit 1
fi
