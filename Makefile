# perfctl — build, test and lint. `make test` is what CI runs (.ci/run); it
# installs the pinned tools it needs by itself.

GO                    ?= go
GOLANGCI_LINT_VERSION := v2.15.0
TOOLS                 := $(CURDIR)/.tools
GOLANGCI_LINT         := $(TOOLS)/golangci-lint-$(GOLANGCI_LINT_VERSION)/golangci-lint
GOTEST_FLAGS          ?= -count=1

.PHONY: all build test unit lint check example tools bench demo demo-fail demo-html clean

all: build

## build: compile perfctl into bin/perfctl (with VCS info for `perfctl version`)
build:
	$(GO) build -trimpath -buildvcs=auto -o bin/perfctl .

## test: the whole suite — vet, every test (with the real golangci-lint), golangci-lint, and perfctl check on perfctl
test: tools build
	$(GO) vet ./...
	PERFCTL_GOLANGCI_LINT=$(GOLANGCI_LINT) $(GO) test $(GOTEST_FLAGS) ./...
	$(GOLANGCI_LINT) run ./...
	PERFCTL_GOLANGCI_LINT=$(GOLANGCI_LINT) ./bin/perfctl check

## check: perfctl check on perfctl itself, with its perfctl.yaml
check: tools build
	PERFCTL_GOLANGCI_LINT=$(GOLANGCI_LINT) ./bin/perfctl check

## example: the README's main job — perfctl check on the bundled example module, default policy + a load: section
example: tools
	PERFCTL_GOLANGCI_LINT=$(GOLANGCI_LINT) $(GO) run . -C testdata/example check

## unit: only the Go tests
unit: tools
	PERFCTL_GOLANGCI_LINT=$(GOLANGCI_LINT) $(GO) test $(GOTEST_FLAGS) ./...

## lint: golangci-lint with .golangci.yml (the performance linters, depguard layering)
lint: tools
	$(GOLANGCI_LINT) run ./...

## tools: install the pinned golangci-lint into .tools/ (benchstat is a go.mod tool)
tools: $(GOLANGCI_LINT)

$(GOLANGCI_LINT):
	GOBIN=$(dir $@) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

## bench: perfctl's own benchmarks (the compare engine on a large input, policy parsing, sql-pool, the hook)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./bench ./checks/... ./hook

## demo: compare the bundled example results (string concatenation → strings.Builder)
demo:
	$(GO) run . compare testdata/demo/old.txt testdata/demo/new.txt

## demo-fail: the same comparison the other way round: the gate fails (exit 1)
demo-fail:
	$(GO) run . compare testdata/demo/new.txt testdata/demo/old.txt

## demo-html: the same comparison as a self-contained HTML page with charts, bin/demo.html
demo-html: build
	./bin/perfctl compare --format html testdata/demo/old.txt testdata/demo/new.txt > bin/demo.html

clean:
	rm -rf bin .tools

## accuracy: measure compare --base-ref on this machine (A/A, 10% and 20% slowdowns, large-suite A/A; quiet and busy; ~1h)
.PHONY: accuracy
accuracy:
	d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	$(GO) build -trimpath -o "$$d/perfctl" . && \
	$(GO) run ./testdata/accuracy/run.go -perfctl "$$d/perfctl" -trials 10 $(ACCURACY_FLAGS)

## accuracy-benchtime: more short rounds or fewer long ones, at one machine budget (docs/compare.md's table)
.PHONY: accuracy-benchtime
accuracy-benchtime:
	d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	$(GO) build -trimpath -o "$$d/perfctl" . && \
	$(GO) run ./testdata/accuracy/run.go -perfctl "$$d/perfctl" -trials 10 -study 40x25ms,20x50ms,10x100ms,8x125ms $(ACCURACY_FLAGS)
