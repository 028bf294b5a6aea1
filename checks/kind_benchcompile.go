package checks

import (
	"context"
	"errors"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/english"
)

var benchCompileKind = &Kind{
	PerModule: true,
	Name:      "bench-compile",
	Summary:   "every benchmark compiles and survives one iteration (-benchtime 1x)",
	New:       func() Evaluator { return &benchCompileCheck{} },
}

// benchCompileCheck builds the test binaries of the packages with
// benchmarks and runs each benchmark once.
type benchCompileCheck struct {
	Packages []string `yaml:"packages"` // default ./...
	Bench    string   `yaml:"bench"`    // -bench regexp, default "."
}

func (c *benchCompileCheck) validate() error {
	s := bench.Spec{Bench: c.Bench}
	return s.Validate()
}

func (c *benchCompileCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	set, err := runBenchmarks(ctx, ws, &bench.Spec{Packages: c.Packages, Bench: c.Bench, Count: 1, Benchtime: "1x"}, false)
	if err != nil {
		if errors.Is(err, bench.ErrNoPackages) {
			return benchError(err, Error)
		}
		if errors.Is(err, bench.ErrNoBenchmarks) {
			r := fail("no benchmarks: nothing measures this module's performance",
				"write a func BenchmarkXxx(b *testing.B) for each critical path (go help testfunc)")
			r.empty = true
			return r
		}
		return benchError(err, Fail)
	}
	return pass(english.Plural(set.Len(), "benchmark", "benchmarks") + " compiled and ran one iteration")
}
