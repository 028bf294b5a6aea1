package checks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/run"
)

// fixture returns a workspace on the module in testdata/name.
func fixture(t *testing.T, name string) *Workspace {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return &Workspace{Dir: dir, Exec: run.Exec{}, Version: "test"}
}

// evaluator parses one check of kind with params (YAML flow mapping).
func evaluator(t *testing.T, kind, params string) Evaluator {
	t.Helper()
	doc := "version: 1\nchecks:\n  - {id: x, level: MUST, kind: " + kind + ", title: T, params: " + params + "}\n"
	p, err := Parse([]byte(doc), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p.Checks[0].eval
}

func wantResult(t *testing.T, r Result, status Status, msg string) {
	t.Helper()
	if r.Status != status || !strings.Contains(r.Message, msg) {
		t.Errorf("result %s %q (details %q); want %s containing %q", r.Status, r.Message, r.Details, status, msg)
	}
}

func TestBenchmarksPresent(t *testing.T) {
	ws := fixture(t, "benchmod")
	ctx := context.Background()
	wantResult(t, evaluator(t, "benchmarks-present", "{}").Evaluate(ctx, ws), Pass, "2 of 3 packages matching ./... declare benchmarks")
	r := evaluator(t, "benchmarks-present", "{each: true}").Evaluate(ctx, ws)
	wantResult(t, r, Fail, "1 of 3 packages")
	if len(r.Details) != 1 || !strings.HasPrefix(r.Details[0], "example.com/benchmod/nobench:") {
		t.Errorf("details %q", r.Details)
	}
	wantResult(t, evaluator(t, "benchmarks-present", "{packages: [./nobench]}").Evaluate(ctx, ws), Fail, "none of the 1 package")
	wantResult(t, evaluator(t, "benchmarks-present", "{packages: [./nosuch]}").Evaluate(ctx, ws), Error, "")
}

func TestAllocsReported(t *testing.T) {
	ctx := context.Background()
	r := evaluator(t, "allocs-reported", "{}").Evaluate(ctx, fixture(t, "benchmod"))
	wantResult(t, r, Fail, "1 of 2 benchmarks do not call b.ReportAllocs")
	if len(r.Findings) != 1 || r.Findings[0].File != "slow/slow_test.go" || r.Findings[0].Line != 11 {
		t.Errorf("findings %+v", r.Findings)
	}
	// A Makefile target that runs the benchmarks with -benchmem reports
	// them all when CI runs it, and only then.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixture(t, "benchmod").Dir)); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Makefile", "test:\n\tgo test ./...\nbench:\n\tgo test -bench . -benchmem ./...\n")
	write(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps:\n      - run: echo go test -benchmem\n      - run: make test\n")
	wantResult(t, evaluator(t, "allocs-reported", "{}").Evaluate(ctx, &Workspace{Dir: dir, Exec: run.Exec{}}),
		Fail, "1 of 2 benchmarks do not call b.ReportAllocs, and CI does not run them with -benchmem")
	write(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps:\n      - run: make test bench\n")
	ws := &Workspace{Dir: dir, Exec: run.Exec{}}
	wantResult(t, evaluator(t, "allocs-reported", "{}").Evaluate(ctx, ws), Pass,
		"CI reports allocations for every benchmark (Makefile:4 via make bench from .github/workflows/ci.yml:5)")
	wantResult(t, evaluator(t, "allocs-reported", "{ci: false}").Evaluate(ctx, ws), Fail, "1 of 2")
}

func TestBenchCompile(t *testing.T) {
	ctx := context.Background()
	wantResult(t, evaluator(t, "bench-compile", "{}").Evaluate(ctx, fixture(t, "benchmod")), Pass, "2 benchmarks compiled and ran one iteration")
	r := evaluator(t, "bench-compile", "{}").Evaluate(ctx, fixture(t, "brokenbench"))
	wantResult(t, r, Fail, "example.com/brokenbench")
	if !strings.Contains(strings.Join(r.Details, "\n"), "BenchmarkPanics") {
		t.Errorf("the details do not name the failing benchmark: %q", r.Details)
	}
	wantResult(t, evaluator(t, "bench-compile", "{packages: [./nobench]}").Evaluate(ctx, fixture(t, "benchmod")), Fail, "no benchmarks")
}

func TestCoverage(t *testing.T) {
	ctx := context.Background()
	ws := fixture(t, "benchmod")
	r := evaluator(t, "coverage", "{}").Evaluate(ctx, ws)
	// fast: 1 statement; slow: Sum 4 of Untested's 5 missed; nobench: 1.
	wantResult(t, r, Fail, "% of 11 statements covered (minimum 90%)")
	if len(r.Details) == 0 || !strings.HasPrefix(r.Details[0], "example.com/benchmod/slow: ") {
		t.Errorf("the lowest package is not first: %q", r.Details)
	}
	wantResult(t, evaluator(t, "coverage", "{min: 50}").Evaluate(ctx, ws), Pass, "covered (minimum 50%)")
	failing := evaluator(t, "coverage", "{args: [-run=^$, -bench=Panics, -benchtime=1x]}")
	wantResult(t, failing.Evaluate(ctx, fixture(t, "brokenbench")), Error, "the tests failed, so coverage is unknown")
	wantResult(t, evaluator(t, "coverage", "{}").Evaluate(ctx, fixture(t, "brokenbench")), Skip, "no statements")
}

func TestBudget(t *testing.T) {
	ctx := context.Background()
	ws := fixture(t, "benchmod")
	// Three runs: the budget is on the median, and one run in a while
	// counts a runtime allocation of its own into B/op.
	ok := evaluator(t, "budget", `{count: 3, benchtime: 100x, packages: [./fast], budgets: {"Box/*": {allocs/op: 1, B/op: 8, sec/op: 1s}}}`)
	wantResult(t, ok.Evaluate(ctx, ws), Pass, "3 limits within budget")
	over := evaluator(t, "budget", `{count: 1, benchtime: 10x, packages: [./fast], budgets: {"Box/*": {allocs/op: 0}}}`)
	r := over.Evaluate(ctx, ws)
	wantResult(t, r, Fail, "1 of 1 limit over budget")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "Box/sub allocs/op: median 1 is above the budget 0") {
		t.Errorf("details %q", r.Details)
	}
	none := evaluator(t, "budget", `{count: 1, benchtime: 10x, packages: [./fast], budgets: {"Parse*": {allocs/op: 0}}}`)
	wantResult(t, none.Evaluate(ctx, ws), Error, `budget "Parse*" (policy line 3) matches no benchmark`)
	wantResult(t, evaluator(t, "budget", "{}").Evaluate(ctx, ws), Skip, "no budgets set")
}

func TestBudgetJudge(t *testing.T) {
	rows := []bench.SummaryRow{
		{Name: "Read", Label: "Read", Unit: "B/s", Summary: bench.Summary{Center: 50e6, N: 5}},
		{Name: "Parse/small", Label: "Parse/small", Unit: "sec/op", Summary: bench.Summary{Center: 3e-6, N: 5}},
	}
	c := evaluator(t, "budget", `{budgets: {"Parse/*": {sec/op: 2µs}, "Read": {MB/s: 40}}}`).(*budgetCheck)
	r := c.judge(rows)
	wantResult(t, r, Fail, "1 of 2 limits over budget")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "median 3µs is above the budget 2µs") {
		t.Errorf("details %q", r.Details)
	}
	c = evaluator(t, "budget", `{budgets: {"Read": {MB/s: 60}}}`).(*budgetCheck)
	wantResult(t, c.judge(rows[:1]), Fail, "1 of 1 limit over budget")
}

func TestRegression(t *testing.T) {
	ctx := context.Background()
	c := evaluator(t, "regression", "{}")
	wantResult(t, c.Evaluate(ctx, &Workspace{}), Skip, "give --baseline NAME")
	// A baseline that does not exist yet, through the real compare.Run.
	ws := &Workspace{Dir: t.TempDir(), Compare: &compare.Request{Ref: compare.Reference{Baseline: "main"}}}
	wantResult(t, c.Evaluate(ctx, ws), Skip, `baseline "main" does not exist yet`)
	fake := func(f func() (*bench.Comparison, error)) func(context.Context, *compare.Env, *compare.Request) (*bench.Comparison, error) {
		return func(context.Context, *compare.Env, *compare.Request) (*bench.Comparison, error) { return f() }
	}
	ws.RunCompare = fake(func() (*bench.Comparison, error) { return nil, errors.New("git exploded") })
	wantResult(t, c.Evaluate(ctx, ws), Error, "git exploded")

	base := "BenchmarkA-2 1 100 ns/op\n"
	head := "BenchmarkA-2 1 130 ns/op\n"
	compareTexts := func(b, h string) (*bench.Comparison, error) {
		bs, err := bench.Read(strings.NewReader(strings.Repeat(b, 6)), "base")
		if err != nil {
			return nil, err
		}
		hs, err := bench.Read(strings.NewReader(strings.Repeat(h, 3)+strings.Repeat(strings.Replace(h, "130", "131", 1), 3)), "head")
		if err != nil {
			return nil, err
		}
		return bench.Compare(bs, hs, bench.DefaultOptions())
	}
	ws.RunCompare = fake(func() (*bench.Comparison, error) { return compareTexts(base, head) })
	r := c.Evaluate(ctx, ws)
	wantResult(t, r, Fail, "1 regression; 0 unchanged")
	if r.Comparison == nil || len(r.Details) != 1 || !strings.HasPrefix(r.Details[0], "A sec/op: +30") {
		t.Errorf("comparison %v, details %q", r.Comparison != nil, r.Details)
	}
	// From 0 allocations to 1: no percentage, the values instead.
	ws.RunCompare = fake(func() (*bench.Comparison, error) {
		return compareTexts("BenchmarkA-2 1 100 ns/op 0 allocs/op\n", "BenchmarkA-2 1 100 ns/op 1 allocs/op\n")
	})
	r = c.Evaluate(ctx, ws)
	if r.Status != Fail || len(r.Details) != 1 || r.Details[0] != "A allocs/op: 0 → 1" {
		t.Errorf("from 0: %s %q", r.Status, r.Details)
	}
	ws.RunCompare = fake(func() (*bench.Comparison, error) { return compareTexts(head, base) })
	wantResult(t, c.Evaluate(ctx, ws), Pass, "no regression: 1 improvement, ")
}

func TestLintCheck(t *testing.T) {
	bin := os.Getenv("PERFCTL_GOLANGCI_LINT")
	ctx := context.Background()
	root, err := filepath.Abs(filepath.Join("..", "testdata", "lint"))
	if err != nil {
		t.Fatal(err)
	}
	clean := &Workspace{Dir: filepath.Join(root, "clean"), Exec: run.Exec{}, GolangciLint: bin}
	r := evaluator(t, "lint", "{}").Evaluate(ctx, clean)
	wantResult(t, r, Pass, "12 performance linters, no findings")
	mistakes := &Workspace{Dir: filepath.Join(root, "mistakes"), Exec: run.Exec{}, GolangciLint: bin}
	r = evaluator(t, "lint", "{}").Evaluate(ctx, mistakes)
	wantResult(t, r, Fail, "findings")
	found := false
	for _, f := range r.Findings {
		if f.File == "prealloc.go" && f.Rule == "prealloc" && f.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no prealloc finding located in prealloc.go: %+v", r.Findings)
	}
	// Only the disabled linter's finding goes away.
	r2 := evaluator(t, "lint", "{disable: [prealloc]}").Evaluate(ctx, mistakes)
	if len(r2.Findings) != len(r.Findings)-1 {
		t.Errorf("disable prealloc: %d findings, want %d", len(r2.Findings), len(r.Findings)-1)
	}
	broken := &Workspace{Dir: filepath.Join(root, "broken"), Exec: run.Exec{}, GolangciLint: bin}
	wantResult(t, evaluator(t, "lint", "{}").Evaluate(ctx, broken), Error, "does not compile")
	missing := &Workspace{Dir: clean.Dir, Exec: run.Exec{}, GolangciLint: filepath.Join(t.TempDir(), "golangci-lint")}
	wantResult(t, evaluator(t, "lint", "{}").Evaluate(ctx, missing), Error, "")
}
