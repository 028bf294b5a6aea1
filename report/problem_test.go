package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/report"
)

// TestCheckProblems checks the one problem model that SARIF, Code Quality
// and the annotations encode: checkReport's 17 problems (the two
// regressions first, at their benchmark function; then 12 lint findings,
// the sql-pool finding, the check that could not be evaluated and the
// SHOULD failure), and that each format has one entry per problem it
// takes.
func TestCheckProblems(t *testing.T) {
	r := checkReport(t)
	ps := report.CheckProblems(r, monorepo)
	if len(ps) != 17 {
		t.Fatalf("%d problems, want 17: %+v", len(ps), ps)
	}
	evaluated, whole := 0, 0
	for _, p := range ps {
		if !p.Unevaluated {
			evaluated++
		}
		if p.Whole {
			whole++
		}
		if p.Module != "services/api/go.mod" {
			t.Errorf("%s: module %q, want services/api/go.mod", p.Title, p.Module)
		}
	}
	if evaluated != 16 || whole != 2 {
		t.Errorf("%d evaluated and %d whole-check problems, want 16 and 2", evaluated, whole)
	}
	for i, unit := range []string{"sec/op", "allocs/op"} {
		p := ps[i]
		if p.Check != "no-regression" || p.Level != report.LevelError || p.File != "services/api/internal/codec/codec_test.go" || p.Line != 31 || p.Col != 6 ||
			p.Rule != "regression" || p.Title != "perfctl no-regression (BenchmarkEncode "+unit+")" || p.Key == "" || p.Whole {
			t.Errorf("problem %d: %+v, want the %s regression of Encode at its function, first", i, p, unit)
		}
	}
	if ps[0].Key == ps[1].Key {
		t.Errorf("the two regressions share the key %q", ps[0].Key)
	}
	first := ps[2]
	if first.Level != report.LevelError || first.File != "services/api/internal/codec/encode.go" || first.Line != 41 || first.Col != 2 ||
		first.Rule != "prealloc" || first.Title != "perfctl perf-lints-denied (prealloc)" || first.Check != "perf-lints-denied" {
		t.Errorf("first problem %+v", first)
	}
	for _, p := range ps {
		if p.Check == "allocs-reported" && (p.Level != report.LevelWarning || !p.Whole || p.File != "services/api/perfctl.yaml" || p.Line != 42) {
			t.Errorf("allocs-reported: %+v, want a SHOULD warning at its line in the policy", p)
		}
	}

	var sarif, cq bytes.Buffer
	if err := report.WriteSARIF(&sarif, "v1", ps); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteCodeQuality(&cq, ps); err != nil {
		t.Fatal(err)
	}
	var log struct{ Runs []struct{ Results []any } }
	var issues []any
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(cq.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if n := len(log.Runs[0].Results); n != evaluated {
		t.Errorf("%d SARIF results, want one per evaluated problem (%d)", n, evaluated)
	}
	if len(issues) != evaluated {
		t.Errorf("%d Code Quality issues, want one per evaluated problem (%d)", len(issues), evaluated)
	}
}

func TestLintProblems(t *testing.T) {
	ps := report.LintProblems([]lint.Finding{{Linter: "prealloc", File: "a/a.go", Line: 5, Column: 2, Message: "Consider preallocating out"}})
	want := report.Problem{Level: report.LevelError, File: "a/a.go", Line: 5, Col: 2, Rule: "prealloc", Title: "perfctl lint (prealloc)",
		Message: "Consider preallocating out", RuleDescription: ps[0].RuleDescription}
	if len(ps) != 1 || ps[0] != want || ps[0].RuleDescription == "" {
		t.Errorf("LintProblems = %+v, want %+v with the linter's reason", ps, want)
	}
}
