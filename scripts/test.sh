#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as errors
# and under AddressSanitizer + UndefinedBehaviorSanitizer, and run every test
# (unit, conformance, compile-fail, integration, examples, install) with ctest.
# ctest starts the local AWS servers itself (fixture local_aws) and stops them
# by PID.
#   scripts/test.sh                    # the suite, ASan+UBSan (build-address-undefined/)
#   scripts/test.sh --sanitize thread  # multi-threaded code under TSan (build-thread/)
#   scripts/test.sh --plain            # the suite without sanitizers, optimized (build-plain/)
# Every test runs under the sanitizers by default: on two cores a second,
# unsanitized build of the whole suite would double CI time for little gain
# (docs/DECISIONS.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize="address,undefined"
case "${1:-}" in
  --sanitize) sanitize=${2:?--sanitize needs a list} ;;
  --plain) sanitize="" ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--sanitize LIST | --plain]" >&2; exit 2 ;;
esac
bash "$root/scripts/setup.sh"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
if [ "$sanitize" = thread ]; then
  # ThreadSanitizer: the unit tests of multi-threaded code (label "concurrency").
  build="$root/build-thread"
  BUILD_TYPE=Debug bash "$root/scripts/build.sh" "$build" -DDYNAMATE_WERROR=ON \
    -DDYNAMATE_SANITIZE=thread -DDYNAMATE_BUILD_BENCH=OFF -DDYNAMATE_BUILD_EXAMPLES=OFF \
    -DDYNAMATE_BUILD_CLI=OFF
  ctest --test-dir "$build" -j "$(nproc)" --output-on-failure -L concurrency
elif [ -n "$sanitize" ]; then
  build="$root/build-$(echo "$sanitize" | tr ',' '-')"
  BUILD_TYPE=Debug bash "$root/scripts/build.sh" "$build" -DDYNAMATE_WERROR=ON \
    -DDYNAMATE_SANITIZE="$sanitize"
  ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
else
  build="$root/build-plain"
  bash "$root/scripts/build.sh" "$build" -DDYNAMATE_WERROR=ON
  ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
fi
