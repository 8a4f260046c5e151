# tribench: the README's two commands are `make compare` and `make test`.
# Every target that needs a toolchain depends on `setup`, which is idempotent and
# cached (outside the repository, under $(TRIBENCH_CACHE)).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := compare

GO          ?= go
GO_BASELINE := go1.23.12
PROFILE     ?= quick
BIN         := bin
export TRIBENCH_CACHE ?= $(HOME)/.cache/tribench

.PHONY: setup setup-go build test test-go test-go-baseline lint-go bench compare clean

## setup: install every toolchain and dependency (idempotent, cached)
setup: setup-go

setup-go:
	@$(GO) mod download
	@GOTOOLCHAIN=$(GO_BASELINE) $(GO) version >/dev/null
	@echo "tribench setup: Go $$($(GO) env GOVERSION) and $(GO_BASELINE) ready"

## build: the tribench CLI and the Go contenders
build: setup
	$(GO) build -o $(BIN)/tribench ./compare/cmd/tribench

## test: every test of every language
test: setup lint-go test-go-baseline test-go

lint-go:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...

# go.mod says go 1.23: prove the module still builds with that toolchain, since a
# plain `go get -u` raises the go line silently.
test-go-baseline:
	GOTOOLCHAIN=$(GO_BASELINE) $(GO) build ./... && GOTOOLCHAIN=$(GO_BASELINE) $(GO) vet ./...

test-go:
	$(GO) test -race -count=1 ./...

## bench: the Go micro-benchmarks of the hot paths
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem ./...

## compare: the main job (PROFILE=smoke|quick|full)
compare: build
	$(BIN)/tribench compare --profile $(PROFILE)

clean:
	rm -rf $(BIN) results
