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

.PHONY: setup setup-go setup-python setup-kotlin setup-tools setup-npm build test test-go test-go-baseline lint-go lint-python test-python test-kotlin bench compare clean

## setup: install every toolchain and dependency (idempotent, cached)
setup: setup-go setup-python setup-kotlin setup-tools setup-npm

setup-go:
	@$(GO) mod download
	@GOTOOLCHAIN=$(GO_BASELINE) $(GO) version >/dev/null
	@echo "tribench setup: Go $$($(GO) env GOVERSION) and $(GO_BASELINE) ready"

# CPython 3.13 (default and free-threaded) built from Debian trixie's upstream
# tarball, and one venv per interpreter; see compare/toolchain/python/.
setup-python:
	@bash compare/toolchain/python/setup.sh

# JVM 21 and both Kotlin variants of the Maven reactor; see compare/toolchain/kotlin/.
setup-kotlin:
	@bash compare/toolchain/kotlin/setup.sh

# Debian packages the stages need (wrk, ...), from one list.
setup-tools:
	@bash compare/toolchain/debian.sh

# ECharts, pinned by compare/toolchain/npm/package-lock.json, for report.html's charts.
setup-npm:
	@bash compare/toolchain/npm.sh

## build: the tribench CLI and the Go contenders
build: setup
	$(GO) build -o $(BIN)/tribench ./compare/cmd/tribench

## test: every test of every language
test: setup lint-go lint-python test-go-baseline test-go test-python test-kotlin

lint-go:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...

# go.mod says go 1.23: prove the module still builds with that toolchain, since a
# plain `go get -u` raises the go line silently.
test-go-baseline:
	GOTOOLCHAIN=$(GO_BASELINE) $(GO) build ./... && GOTOOLCHAIN=$(GO_BASELINE) $(GO) vet ./...

test-go:
	TRIBENCH_REQUIRE_CONTENDERS=1 $(GO) test -race -count=1 ./...
	$(GO) vet -tags turbojpeg ./imageproc/... && $(GO) test -race -count=1 -tags turbojpeg ./imageproc/turbo/

# Every */python folder, each on the venvs its pyproject.toml names; see check.sh.
lint-python:
	@bash compare/toolchain/python/check.sh lint

test-python:
	@bash compare/toolchain/python/check.sh test

# JUnit 5 under both Kotlin variants (the same tests, two compilers and library sets).
KOTLIN_REACTOR := compare/toolchain/kotlin/pom.xml
test-kotlin:
	@for p in kotlin-2.0 kotlin-current; do \
		echo "mvn test -P $$p:"; \
		mvn -B -ntp -Dstyle.color=never -f $(KOTLIN_REACTOR) -P $$p test | grep -E 'Tests run:|FAIL|ERROR|BUILD' || exit 1; \
	done

## bench: the Go micro-benchmarks of the hot paths
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem ./...

## compare: the main job (PROFILE=smoke|quick|full)
compare: build
	$(BIN)/tribench compare --profile $(PROFILE)

clean:
	rm -rf $(BIN) results
