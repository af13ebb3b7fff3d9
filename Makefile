# unifex build targets. `make test` is what CI runs (.ci/run).
GO         ?= go
STATICCHECK = $(GO) tool -modfile=tools/go.mod staticcheck
FUZZTIME   ?= 3s
BENCHTIME  ?= 1s
PKGS        = ./...

.PHONY: test lint vet staticcheck fmt-check unit fuzz-smoke bench generate check-generated soak bench-compare

## test: everything CI checks: formatting, vet, staticcheck, generated files, fuzz smoke, then the race tests (last, so the run closes on them).
test: lint check-generated fuzz-smoke unit

## lint: gofmt, go vet and staticcheck (staticcheck is pinned by tools/go.mod).
lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(STATICCHECK) $(PKGS)

## unit: the test suite with the race detector.
unit:
	$(GO) test -race -count=1 $(PKGS)

## fuzz-smoke: run every Fuzz target for FUZZTIME on top of its seed corpus.
fuzz-smoke:
	FUZZTIME=$(FUZZTIME) sh scripts/fuzz-smoke.sh

## bench: all benchmarks with allocation counts.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) $(PKGS)

## soak: the conformance suite's randomized fault run with SOAK_DELTAS market events
## (default a million) per venue; it must end with zero wrong books and a flat heap.
SOAK_DELTAS ?= 1000000
soak:
	UNIFEX_SOAK_DELTAS=$(SOAK_DELTAS) $(GO) test -count=1 -timeout 60m -run 'TestConformance/RandomFaults' -v ./adapters/sim/

## generate: regenerate generated files: first every adapter's api_gen.go (cmd/codegen -api,
## built without the adapters, so that it runs while an adapter does not compile), then the rest
## (the README's capability matrix, which links every adapter).
generate:
	$(GO) generate -run ' -api ' $(PKGS)
	$(GO) generate -skip ' -api ' $(PKGS)

## check-generated: fail when `make generate` would change a tracked file (generated Go
## files, and the capability matrix in README.md).
check-generated: generate
	@gen="README.md $$(git grep -l '^// Code generated .* DO NOT EDIT\.$$' -- '*.go' || true)"; \
	if [ -n "$$gen" ] && ! git diff --exit-code --stat -- $$gen; then \
		echo "generated files are stale: run make generate and commit"; exit 1; fi

## bench-compare: issue 8's side-by-side (bench/compare, a module of its own that CI never
## builds): unifex, CCXT-Go, CCXT JS and the floor on one recorded Binance stream,
## COMPARE_RUNS alternating rounds, every client's last book checked. Needs node and npm.
COMPARE_RUNS ?= 5
bench-compare:
	cd bench/compare && npm ci --no-audit --no-fund && $(GO) build -o bin/ ./cmd/... && \
		./bin/compare -runs $(COMPARE_RUNS)
