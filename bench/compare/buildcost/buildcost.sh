#!/bin/sh
# Cold-build cost of one program using a unifex adapter against one using
# CCXT-Go: `go build` with an empty build cache (the module cache is kept:
# downloads are not counted), wall time and peak RSS by GNU time (the peak
# of the largest process, the compiler of the largest package), and the
# binary's size. Run from bench/compare: sh buildcost/buildcost.sh
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in unifex ccxtgo; do
	cache="$out/cache-$p"
	mkdir -p "$cache"
	GOCACHE="$cache" /usr/bin/time -f "$p: %e s wall, %M kB peak RSS" -o "$out/$p.time" \
		go build -o "$out/$p.bin" "./buildcost/$p"
	echo "$(cat "$out/$p.time"), binary $(stat -c %s "$out/$p.bin") bytes"
done
