package checks

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/usererr"
)

var regressionKind = &Kind{
	Name: "regression",
	Summary: "no benchmark regressed against the reference given on the command line " +
		"(--baseline, --base-ref or --merge-base); a regression fails the verdict at any level",
	Measures: true,
	New:      func() Evaluator { return &regressionCheck{} },
}

// regressionCheck compares the benchmarks with a reference; the command
// line says which (the policy cannot know the branch being checked).
type regressionCheck struct{}

func (c *regressionCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if ws.Compare == nil {
		return skip("no reference to compare with: give --baseline NAME, --base-ref REF or --merge-base BRANCH")
	}
	run, dir := ws.RunCompare, ws.CompareDir
	if run == nil {
		run = compare.Run
	}
	if dir == "" {
		dir = ws.Dir
	}
	env := &compare.Env{Dir: dir, Exec: ws.Exec, Progress: ws.Progress, Version: ws.Version, Find: ws.benchmarkPackages}
	cmp, err := run(ctx, env, ws.Compare)
	if err != nil {
		if errors.Is(err, compare.ErrNoBaseline) {
			d := usererr.Describe(err)[0]
			return skip(d.Msg + ": " + d.Hint)
		}
		return benchError(err, Error)
	}
	r := Result{Comparison: cmp}
	counts := fmt.Sprintf("%d unchanged", cmp.Count(bench.StatusUnchanged))
	if n := cmp.Count(bench.StatusImprovement); n > 0 {
		counts = english.Plural(n, "improvement", "improvements") + ", " + counts
	}
	if n := cmp.NotRun(); n > 0 {
		// Rows of packages that cannot have changed count as unchanged;
		// say how many were not measured at all.
		counts += fmt.Sprintf(" (%d not run: identical)", n)
	}
	if !cmp.Failed() {
		r.Status = Pass
		r.Message = "no regression: " + counts
		return r
	}
	r.Status = Fail
	r.Message = fmt.Sprintf("%s; %s", english.Plural(cmp.Count(bench.StatusRegression), "regression", "regressions"), counts)
	for i := range cmp.Rows {
		row := &cmp.Rows[i]
		if row.Status != bench.StatusRegression {
			continue
		}
		d := fmt.Sprintf("%s %s: %+.1f%%", row.Label, row.Unit, row.DeltaPct)
		if math.IsNaN(row.DeltaPct) && row.Base != nil && row.Head != nil {
			// From 0, a change has no percentage.
			d = fmt.Sprintf("%s %s: %g → %g", row.Label, row.Unit, row.Base.Center, row.Head.Center)
		}
		if row.Note != "" {
			d += " (" + row.Note + ")"
		}
		r.Details = append(r.Details, d)
	}
	return r
}
