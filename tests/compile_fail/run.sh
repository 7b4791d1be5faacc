#!/usr/bin/env bash
# Compile-time tests: compiles one snippet and checks the outcome.
#   run.sh <c++ compiler> <snippet.cpp> [-I<dir>...]
# A snippet holds a line "// expect: <text>". It passes when compilation
# FAILS and the compiler output contains <text> (one of our static_assert
# sentences), or, for "// expect: compiles", when compilation succeeds.
set -u
compiler=$1
snippet=$2
shift 2

expect=$(sed -n 's|^// expect: ||p' "$snippet" | head -n 1)
if [[ -z "$expect" ]]; then
  echo "FAIL: $snippet has no '// expect: ' line"
  exit 1
fi

output=$("$compiler" -std=c++20 -fsyntax-only "$@" "$snippet" 2>&1)
status=$?

if [[ "$expect" == "compiles" ]]; then
  if [[ $status -eq 0 ]]; then
    echo "PASS: $snippet compiles"
    exit 0
  fi
  echo "FAIL: $snippet should compile:"
  echo "$output" | head -n 40
  exit 1
fi

if [[ $status -eq 0 ]]; then
  echo "FAIL: $snippet compiled, expected an error containing: $expect"
  exit 1
fi
if grep -qF -- "$expect" <<<"$output"; then
  echo "PASS: $snippet fails with: $expect"
  exit 0
fi
echo "FAIL: $snippet failed without the expected message: $expect"
echo "$output" | head -n 40
exit 1
