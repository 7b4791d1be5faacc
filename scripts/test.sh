#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as errors,
# and run every test (unit, conformance, integration) with ctest. ctest starts
# the local AWS servers itself (fixture local_aws) and stops them by PID.
#   scripts/test.sh                          # the suite (build/)
#   scripts/test.sh --sanitize address,undefined   # everything under ASan+UBSan
#   scripts/test.sh --sanitize thread              # multi-threaded code under TSan
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=""
if [ "${1:-}" = "--sanitize" ]; then sanitize=${2:?--sanitize needs a list}; fi
bash "$root/scripts/setup.sh"
if [ -n "$sanitize" ]; then
  build="$root/build-$(echo "$sanitize" | tr ',' '-')"
  BUILD_TYPE=Debug bash "$root/scripts/build.sh" "$build" -DDYNAMATE_WERROR=ON \
    -DDYNAMATE_SANITIZE="$sanitize" -DDYNAMATE_BUILD_BENCH=OFF -DDYNAMATE_BUILD_EXAMPLES=OFF \
    -DDYNAMATE_BUILD_CLI=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  if [ "$sanitize" = thread ]; then
    # ThreadSanitizer: the unit tests of multi-threaded code (label "concurrency").
    ctest --test-dir "$build" -j "$(nproc)" --output-on-failure -L concurrency
  else
    ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
  fi
else
  build="$root/build"
  bash "$root/scripts/build.sh" "$build" -DDYNAMATE_WERROR=ON
  ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
fi
