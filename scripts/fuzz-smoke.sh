#!/bin/sh
# Runs each Fuzz target of the module for $FUZZTIME (default 3s) so that CI
# exercises the fuzzers beyond their seed corpus. Go can fuzz one target per
# invocation, hence the loop.
#
# The fuzzing coordinator sometimes ends a run with a bare "context deadline
# exceeded" when its workers answer late on a loaded machine (no failing
# input is written then): such a run is tried once more. A real finding
# writes its input under testdata/fuzz and fails at once.
set -eu
fuzztime=${FUZZTIME:-3s}
found=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for file in $(git ls-files '*_test.go' 2>/dev/null || find . -name '*_test.go'); do
	dir=$(dirname "$file")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		found=$((found + 1))
		for try in 1 2; do
			echo "fuzz $dir $target ($fuzztime)"
			if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$dir" >"$log" 2>&1; then
				cat "$log"
				break
			fi
			cat "$log"
			if [ "$try" = 2 ] || grep -q 'Failing input written' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
				exit 1
			fi
			echo "fuzz-smoke: the coordinator timed out without a finding; trying $target again"
		done
	done
done
echo "fuzz-smoke: $found targets"
