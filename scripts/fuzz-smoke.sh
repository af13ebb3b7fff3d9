#!/bin/sh
# Runs each Fuzz target of the module for $FUZZTIME (default 3s) so that CI
# exercises the fuzzers beyond their seed corpus. Go can fuzz one target per
# invocation, hence the loop.
set -eu
fuzztime=${FUZZTIME:-3s}
found=0
for file in $(git ls-files '*_test.go' 2>/dev/null || find . -name '*_test.go'); do
	dir=$(dirname "$file")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		found=$((found + 1))
		echo "fuzz $dir $target ($fuzztime)"
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$dir"
	done
done
echo "fuzz-smoke: $found targets"
