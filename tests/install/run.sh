#!/usr/bin/env bash
# Installs the built library into a scratch prefix and builds and runs a
# consumer project that finds it with find_package(dynamate).
#   tests/install/run.sh BUILD_DIR SOURCE_DIR [SANITIZERS]
set -euo pipefail
build=$1
src=$2
sanitize=${3:-}
flags=()
if [ -n "$sanitize" ]; then
  flags=(-DCMAKE_CXX_FLAGS="-fsanitize=$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$sanitize")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
