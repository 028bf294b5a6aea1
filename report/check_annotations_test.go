package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/report"
)

// monorepo places checkReport's module in services/api/ of its repository,
// with its policy at the module root.
var monorepo = report.RepoPaths{Prefix: "services/api/", Policy: "perfctl.yaml"}

func annotations(t *testing.T, r *checks.Report, p report.RepoPaths) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.CheckGitHubAnnotations(&b, r, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCheckGitHubAnnotationsGolden pins the workflow commands for
// checkReport in a monorepo: the regressions this change caused (errors,
// at their benchmark function) first, then one per lint and sql-pool
// finding (errors), the error that left no verdict (at the policy file),
// then the SHOULD warning.
func TestCheckGitHubAnnotationsGolden(t *testing.T) {
	checkGolden(t, "check.annotations.txt", []byte(annotations(t, checkReport(t), monorepo)))
}

func TestCheckGitHubAnnotations(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(annotations(t, checkReport(t), monorepo), "\n"), "\n")
	if len(lines) != 2+12+1+1+1 {
		t.Fatalf("%d annotations, want 17: the 2 regressions, 12 lint findings, sql-pool, the error, allocs-reported:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for i, want := range map[int]string{
		2:  "::error file=services/api/internal/codec/encode.go,line=41,col=2,title=perfctl perf-lints-denied (prealloc)::Consider preallocating out",
		14: "::error file=services/api/internal/store/db.go,line=17,col=12,title=perfctl db-pool-limits::sql.Open result db never gets SetMaxOpenConns, SetMaxIdleConns or SetConnMaxLifetime",
	} {
		if lines[i] != want {
			t.Errorf("annotation %d:\n got %s\nwant %s", i, lines[i], want)
		}
	}
	for i, unit := range []string{"sec/op", "allocs/op"} {
		want := "::error file=services/api/internal/codec/codec_test.go,line=31,col=6,title=perfctl no-regression (BenchmarkEncode " + unit +
			")::SHOULD check no-regression found a regression in example.com/codec: Encode [codec] " + unit + ": "
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("annotation %d = %s, want the regression this change caused first, at its benchmark (%s…)", i, lines[i], want)
		}
	}
	if want := "::error file=services/api/perfctl.yaml,line=28,title=perfctl profiling-documented::MUST check profiling-documented could not be evaluated: "; !strings.HasPrefix(lines[15], want) {
		t.Errorf("annotation 15 = %s, want the error at the check in the policy (%s…)", lines[15], want)
	}
	if want := "::warning file=services/api/perfctl.yaml,line=42,title=perfctl allocs-reported::SHOULD check allocs-reported failed: "; !strings.HasPrefix(lines[16], want) {
		t.Errorf("last annotation = %s, want the SHOULD warning last (%s…)", lines[16], want)
	}

	// Regressions perfctl could not locate (results from elsewhere): the
	// check as a whole, at the policy, still first, with every regression.
	r := checkReport(t)
	for i := range r.Outcomes[6].Comparison.Rows {
		r.Outcomes[6].Comparison.Rows[i].Source = nil
	}
	lines = strings.Split(strings.TrimSuffix(annotations(t, r, monorepo), "\n"), "\n")
	if want := "::error file=services/api/perfctl.yaml,line=50,title=perfctl no-regression::SHOULD check no-regression failed: 2 regressions; 2 improvements, 10 unchanged%0AEncode [codec] sec/op: 1.206 µs → 1.45"; !strings.HasPrefix(lines[0], want) {
		t.Errorf("annotation 0 = %s, want the regression, an error at any level, with its details escaped (%s…)", lines[0], want)
	}
	if !strings.Contains(lines[0], "%0AEncode [codec] allocs/op: 0 → 1, gated exactly%0A") {
		t.Errorf("annotation 0 = %s, want the allocs/op regression too", lines[0])
	}

	// The module is the repository, and the policy the embedded default:
	// module-relative paths, and a failed check without findings has no file.
	// A MAY failure is a notice.
	got := annotations(t, passReport(true), report.RepoPaths{})
	want := "::warning title=perfctl allocs-reported::SHOULD check allocs-reported failed: 1 of 4 benchmarks does not report allocations%0Aexample.com/parse: BenchmarkLex\n" +
		"::notice file=parse_test.go,line=30,title=perfctl budgets::BenchmarkParse: 1.2µs/op, budget 1µs/op\n"
	if got != want {
		t.Errorf("default policy:\n got %q\nwant %q", got, want)
	}
	if got := annotations(t, passReport(false), monorepo); got != "" {
		t.Errorf("a clean report has annotations: %q", got)
	}
}

// TestCheckGitHubAnnotationsCap checks that errors come before warnings,
// and that at most report.MaxAnnotations are written, then a notice.
func TestCheckGitHubAnnotationsCap(t *testing.T) {
	var must, should []checks.Finding
	for i := range 40 {
		should = append(should, checks.Finding{File: "b.go", Line: i + 1, Rule: "allocs", Message: fmt.Sprintf("warning %d", i)})
		must = append(must, checks.Finding{File: "a,b:c.go", Line: i + 1, Column: 1, Rule: "prealloc", Message: fmt.Sprintf("error %d, 100%%\nsecond line", i)})
	}
	outs := []checks.Outcome{
		{Check: &checks.Check{ID: "allocs-reported", Level: checks.Should, Kind: "allocs"},
			Result: checks.Result{Status: checks.Fail, Message: "40 benchmarks", Findings: should}},
		{Check: &checks.Check{ID: "lint", Level: checks.Must, Kind: "lint"},
			Result: checks.Result{Status: checks.Fail, Message: "40 findings", Findings: must}},
	}
	r := &checks.Report{Policy: checks.DefaultSource, Verdict: checks.VerdictFail, Outcomes: outs, Summary: tally(outs)}
	lines := strings.Split(strings.TrimSuffix(annotations(t, r, report.RepoPaths{}), "\n"), "\n")
	if len(lines) != report.MaxAnnotations+1 {
		t.Fatalf("%d lines, want %d annotations and a notice", len(lines), report.MaxAnnotations)
	}
	if want := "::error file=a%2Cb%3Ac.go,line=1,col=1,title=perfctl lint (prealloc)::error 0, 100%25%0Asecond line"; lines[0] != want {
		t.Errorf("first line %s, want the first MUST finding, escaped: %s", lines[0], want)
	}
	for i, l := range lines[:report.MaxAnnotations] {
		if want := map[bool]string{true: "::error ", false: "::warning "}[i < 40]; !strings.HasPrefix(l, want) {
			t.Errorf("line %d = %s, want %s…", i, l, want)
		}
	}
	if want := "::notice title=perfctl::30 more problems not annotated (at most 50 are): see the job summary or the reports"; lines[len(lines)-1] != want {
		t.Errorf("last line %s, want %s", lines[len(lines)-1], want)
	}
}
