package checks

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/perfctl/perfctl/bench"
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
	if ws.Regression == nil {
		return skip("no reference to compare with: give --baseline NAME, --base-ref REF or --merge-base BRANCH")
	}
	cmp, err := ws.Regression(ctx)
	if err != nil {
		var se *SkipError
		if errors.As(err, &se) {
			return skip(se.Reason)
		}
		return benchError(err, Error)
	}
	r := Result{Comparison: cmp}
	counts := fmt.Sprintf("%d improvements, %d unchanged", cmp.Count(bench.StatusImprovement), cmp.Count(bench.StatusUnchanged))
	if !cmp.Failed() {
		r.Status = Pass
		r.Message = "no regression: " + counts
		return r
	}
	r.Status = Fail
	r.Message = fmt.Sprintf("%s; %s", plural(cmp.Count(bench.StatusRegression), "regression"), counts)
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
