package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/internal/english"
)

var benchmarksPresentKind = &Kind{
	PerModule: true,
	Name:      "benchmarks-present",
	Summary:   "the packages matching the patterns declare benchmarks (each of them, or at least one)",
	New:       func() Evaluator { return &benchmarksPresentCheck{} },
}

// benchmarksPresentCheck looks for Benchmark functions in test files.
type benchmarksPresentCheck struct {
	Packages []string `yaml:"packages"` // default ./...
	// Each requires a benchmark in every matching package, not just one
	// among them.
	Each bool `yaml:"each"`
}

func (c *benchmarksPresentCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	pkgs, err := ws.Packages(ctx, c.Packages)
	if err != nil {
		return benchError(err, Error)
	}
	var with, without []string
	for i := range pkgs {
		if pkgs[i].Benchmarks > 0 {
			with = append(with, pkgs[i].ImportPath)
		} else {
			without = append(without, pkgs[i].ImportPath)
		}
	}
	patterns := strings.Join(orAll(c.Packages), " ")
	switch {
	case len(with) == 0:
		r := fail(fmt.Sprintf("none of the %s matching %s declares a benchmark", english.Plural(len(pkgs), "package", "packages"), patterns),
			"write func BenchmarkXxx(b *testing.B) in a _test.go file for each critical path")
		r.empty = true
		return r
	case c.Each && len(without) > 0:
		r := fail(fmt.Sprintf("%d of %s matching %s %s no benchmark", len(without), english.Plural(len(pkgs), "package", "packages"), patterns, english.Noun(len(without), "declares", "declare")))
		for _, p := range without {
			r.Details = append(r.Details, p+": no Benchmark function in its _test.go files")
		}
		return r
	}
	return pass(fmt.Sprintf("%d of %s matching %s %s benchmarks", len(with), english.Plural(len(pkgs), "package", "packages"), patterns, english.Noun(len(with), "declares", "declare")))
}

func orAll(patterns []string) []string {
	if len(patterns) == 0 {
		return []string{"./..."}
	}
	return patterns
}
