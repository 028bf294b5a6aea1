package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jacoelho/xsd"
	"github.com/xeipuuv/gojsonschema"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/report"
)

// checkReport is a report as checks.Evaluate makes it, built by hand:
//
//   - MUST release-build-flags passes;
//   - MUST perf-lints-denied fails with 12 lint findings (more than the
//     ten detail lines the text shows), their details and a fix hint;
//   - MUST db-pool-limits fails with one sql-pool finding; its message has
//     a pipe and an asterisk, which Markdown must escape;
//   - MUST profiling-documented could not be evaluated;
//   - SHOULD baseline-saved was skipped;
//   - SHOULD allocs-reported fails, which is only a warning; its message
//     is longer than the text table shows;
//   - SHOULD no-regression found regressions in a real comparison
//     (bench.Read and bench.Compare on compare_test.go's mixed inputs),
//     located at their benchmark function, which fails the verdict at any
//     level, and comes first in every format as what the change caused;
//   - MAY load-test-defined passes.
//
// A MUST check that could not be evaluated makes the verdict error.
func checkReport(t *testing.T) *checks.Report {
	t.Helper()
	lintFindings := []checks.Finding{
		{File: "internal/codec/encode.go", Line: 41, Column: 2, Rule: "prealloc", Message: "Consider preallocating out"},
		{File: "internal/codec/encode.go", Line: 88, Column: 9, Rule: "staticcheck", Message: "SA6000: calling regexp.MatchString in a loop has poor performance, consider using regexp.Compile"},
		{File: "internal/codec/join.go", Line: 27, Column: 3, Rule: "perfsprint", Message: "concat-loop: string concatenation in a loop"},
	}
	for i := range 9 {
		lintFindings = append(lintFindings, checks.Finding{File: "internal/parse/lex.go", Line: 100 + 10*i, Column: 5,
			Rule: "gocritic", Message: fmt.Sprintf("rangeValCopy: each iteration copies %d bytes (consider pointers or indexing)", 128+8*i)})
	}
	lintDetails := make([]string, len(lintFindings))
	for i, f := range lintFindings {
		lintDetails[i] = fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Rule)
	}
	outs := []checks.Outcome{
		{Check: &checks.Check{ID: "release-build-flags", Level: checks.Must, Kind: "build-flags", Line: 4,
			Title:     "Release builds are optimized and reproducible",
			Rationale: "A binary built with -N -l or -race is not the binary that ships.",
			Fix:       "Build releases with -trimpath and without -gcflags=all=-N -l or -race."},
			Result: checks.Result{Status: checks.Pass, Message: "the release build uses -trimpath; no -N -l, no -race", Duration: 12 * time.Millisecond}},
		{Check: &checks.Check{ID: "perf-lints-denied", Level: checks.Must, Kind: "lint", Line: 12,
			Title:     "The performance linters are enabled and clean",
			Rationale: "Anti-patterns caught by a linter never reach a benchmark.",
			Fix:       "Run 'perfctl lint' and fix what it reports."},
			Result: checks.Result{Status: checks.Fail, Message: "golangci-lint 2.15.0: 12 findings", Details: lintDetails,
				Findings: lintFindings, Duration: 48312 * time.Millisecond}},
		{Check: &checks.Check{ID: "db-pool-limits", Level: checks.Must, Kind: "sql-pool", Line: 20,
			Title:     "Every *sql.DB has pool limits",
			Rationale: "An unbounded pool exhausts the database under load.",
			Fix:       "Call SetMaxOpenConns, SetMaxIdleConns and SetConnMaxLifetime on every *sql.DB."},
			Result: checks.Result{Status: checks.Fail, Message: "1 *sql.DB without pool limits (SetMaxOpenConns|SetMaxIdleConns)",
				Findings: []checks.Finding{{File: "internal/store/db.go", Line: 17, Column: 12, Rule: "sql-pool",
					Message: "sql.Open result db never gets SetMaxOpenConns, SetMaxIdleConns or SetConnMaxLifetime"}},
				Duration: 230 * time.Millisecond}},
		{Check: &checks.Check{ID: "profiling-documented", Level: checks.Must, Kind: "docs", Line: 28,
			Title:     "The docs name the profiling tools",
			Rationale: "People profile when they know how.",
			Fix:       "Describe pprof and go tool trace in docs/performance.md."},
			Result: checks.Result{Status: checks.Error, Message: "could not read docs/<lang>/profiling.md: permission denied",
				Details: []string{"open docs/en/profiling.md: permission denied"}, Duration: 3 * time.Millisecond}},
		{Check: &checks.Check{ID: "baseline-saved", Level: checks.Should, Kind: "file", Line: 36,
			Title: "A baseline is saved for the critical paths", Fix: "Run 'perfctl baseline save main'."},
			Result: checks.Result{Status: checks.Skip, Message: "not selected (--skip)"}},
		{Check: &checks.Check{ID: "allocs-reported", Level: checks.Should, Kind: "allocs", Line: 42,
			Title:     "Benchmarks report allocations",
			Rationale: "allocs/op is exact: it catches a regression that timing noise hides.",
			Fix:       "Call b.ReportAllocs() in each benchmark, or run them with -benchmem."},
			Result: checks.Result{Status: checks.Fail,
				Message:  "2 of 5 benchmarks do not report allocations: BenchmarkParse and BenchmarkLex in example.com/parse call neither b.ReportAllocs nor run with -benchmem",
				Details:  []string{"example.com/parse: BenchmarkParse", "example.com/parse: BenchmarkLex"},
				Duration: 2104 * time.Millisecond}},
		{Check: &checks.Check{ID: "no-regression", Level: checks.Should, Kind: "regression", Line: 50,
			Title:     "No benchmark regressed",
			Rationale: "A regression merged is a regression shipped.",
			Fix:       "Look at the regressions with 'perfctl compare'; fix them or explain them in the pull request."},
			Result: checks.Result{Status: checks.Fail, Message: "2 regressions; 2 improvements, 10 unchanged",
				Details:    []string{"Encode [codec] sec/op: +20.8%", "Encode [codec] allocs/op: 0 → 1"},
				Comparison: locatedComparison(t), Duration: 61250 * time.Millisecond}},
		{Check: &checks.Check{ID: "load-test-defined", Level: checks.May, Kind: "file", Line: 58,
			Title: "A load test is defined", Fix: "Add a k6 or vegeta script under loadtest/."},
			Result: checks.Result{Status: checks.Pass, Message: "loadtest/k6.js exists", Duration: time.Millisecond}},
	}
	return &checks.Report{
		Policy:   "perfctl.yaml",
		Verdict:  checks.VerdictError,
		Outcomes: outs,
		Summary:  tally(outs),
		Reasons: []string{
			"MUST profiling-documented could not be evaluated",
			"MUST perf-lints-denied failed",
			"MUST db-pool-limits failed",
			"no-regression found a regression",
		},
		Duration: 112500 * time.Millisecond,
	}
}

// locatedComparison is the comparison of compare_test.go's mixed inputs,
// its regressions (Encode in example.com/codec, sec/op and allocs/op)
// located at their benchmark function as compare.Run locates them.
func locatedComparison(t *testing.T) *bench.Comparison {
	t.Helper()
	c := compareInputs(t, mixedBase, mixedHead)
	for i := range c.Rows {
		if c.Rows[i].Status == bench.StatusRegression {
			c.Rows[i].Source = &bench.Source{File: "internal/codec/codec_test.go", Line: 31, Col: 6}
		}
	}
	return c
}

// passReport is a passing report: with warn, a SHOULD and a MAY check
// failed (warnings); without, every check passed.
func passReport(warn bool) *checks.Report {
	outs := []checks.Outcome{
		{Check: &checks.Check{ID: "perf-lints-denied", Level: checks.Must, Kind: "lint", Line: 3, Title: "The performance linters are enabled and clean"},
			Result: checks.Result{Status: checks.Pass, Message: "golangci-lint 2.15.0: 12 performance linters, no findings", Duration: time.Second}},
		{Check: &checks.Check{ID: "allocs-reported", Level: checks.Should, Kind: "allocs", Line: 9, Title: "Benchmarks report allocations"},
			Result: checks.Result{Status: checks.Pass, Message: "every benchmark reports allocations"}},
		{Check: &checks.Check{ID: "budgets", Level: checks.May, Kind: "budget", Line: 15, Title: "Benchmarks stay within their budgets"},
			Result: checks.Result{Status: checks.Pass, Message: "3 budgets met"}},
	}
	if warn {
		outs[1].Result = checks.Result{Status: checks.Fail, Message: "1 of 4 benchmarks does not report allocations",
			Details: []string{"example.com/parse: BenchmarkLex"}}
		outs[2].Result = checks.Result{Status: checks.Fail, Message: "BenchmarkParse is over its budget",
			Findings: []checks.Finding{{File: "parse_test.go", Line: 30, Rule: "budget", Message: "BenchmarkParse: 1.2µs/op, budget 1µs/op"}}}
	}
	return &checks.Report{Policy: checks.DefaultSource, Verdict: checks.VerdictPass, Outcomes: outs, Summary: tally(outs), Duration: 3 * time.Second}
}

// tally counts outcomes per level as checks.Evaluate does.
func tally(outs []checks.Outcome) map[checks.Level]checks.Tally {
	m := map[checks.Level]checks.Tally{}
	for i := range outs {
		o := &outs[i]
		t := m[o.Level]
		switch o.Status {
		case checks.Pass:
			t.Passed++
			t.Total++
		case checks.Fail:
			t.Failed++
			t.Total++
		case checks.Error:
			t.Errors++
			t.Total++
		case checks.Skip:
			t.Skipped++
		}
		m[o.Level] = t
	}
	return m
}

var checkRenderers = []struct {
	golden string
	render func(*bytes.Buffer, *checks.Report) error
}{
	{"check.txt", func(w *bytes.Buffer, r *checks.Report) error { return report.CheckText(w, r, report.Options{}) }},
	{"check.color.txt", func(w *bytes.Buffer, r *checks.Report) error {
		return report.CheckText(w, r, report.Options{Color: true})
	}},
	{"check.json", func(w *bytes.Buffer, r *checks.Report) error { return report.CheckJSON(w, r) }},
	{"check.md", func(w *bytes.Buffer, r *checks.Report) error { return report.CheckMarkdown(w, r) }},
	{"check.junit.xml", func(w *bytes.Buffer, r *checks.Report) error { return report.CheckJUnit(w, r) }},
	{"check.sarif", func(w *bytes.Buffer, r *checks.Report) error {
		return report.CheckSARIF(w, r, "v1.2.3", policyPaths(r))
	}},
}

func render(t *testing.T, golden string, r *checks.Report) []byte {
	t.Helper()
	for _, cr := range checkRenderers {
		if cr.golden == golden {
			var buf bytes.Buffer
			if err := cr.render(&buf, r); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			return buf.Bytes()
		}
	}
	t.Fatalf("no renderer for %s", golden)
	return nil
}

func TestCheckGolden(t *testing.T) {
	r := checkReport(t)
	for _, cr := range checkRenderers {
		t.Run(cr.golden, func(t *testing.T) {
			checkGolden(t, cr.golden, render(t, cr.golden, r))
		})
	}
}

// TestCheckTextColor checks that colour adds ANSI escapes and nothing else,
// and that no other format or colourless text has an escape.
func TestCheckTextColor(t *testing.T) {
	for _, r := range []*checks.Report{checkReport(t), passReport(true), passReport(false)} {
		color := string(render(t, "check.color.txt", r))
		plain := string(render(t, "check.txt", r))
		if !strings.Contains(color, "\x1b[") {
			t.Errorf("CheckText with Color true wrote no ANSI escape:\n%s", color)
		}
		if stripped := stripANSI(color); stripped != plain {
			t.Errorf("the coloured text without its escapes differs from the plain text:\n%s", lineDiff(plain, stripped))
		}
		for _, cr := range checkRenderers {
			if cr.golden == "check.color.txt" {
				continue
			}
			if i := bytes.IndexByte(render(t, cr.golden, r), 0x1b); i >= 0 {
				t.Errorf("%s has an escape character at byte %d", cr.golden, i)
			}
		}
	}
	// The colours say what the words say: red for a failure that decides
	// the verdict, yellow for a warning, green for a pass.
	color := string(render(t, "check.color.txt", checkReport(t)))
	for _, want := range []string{
		"\x1b[32mpass\x1b[0m",              // green
		"\x1b[31mfail\x1b[0m",              // red
		"\x1b[1;31merror\x1b[0m",           // bold red
		"\x1b[2mskip\x1b[0m",               // faint
		"\x1b[33mfail (warning)\x1b[0m",    // yellow
		"\x1b[1;31mMUST 1/4 · SHOULD 0/2 ", // the summary line of a verdict other than pass
	} {
		if !strings.Contains(color, want) {
			t.Errorf("coloured text lacks %q:\n%s", want, color)
		}
	}
}

// TestCheckTextLayout checks what a reader of the terminal relies on: the
// table stays narrow, a long message is cut there and printed whole below,
// each failure shows at most ten detail lines and its fix, warnings come
// apart from failures, and the summary and reasons end the output.
func TestCheckTextLayout(t *testing.T) {
	r := checkReport(t)
	text := string(render(t, "check.txt", r))
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	tableEnd := slices.Index(lines, "")
	if tableEnd < 0 {
		t.Fatalf("no blank line after the table:\n%s", text)
	}
	for _, l := range lines[:tableEnd] {
		if w := len([]rune(l)); w > 130 {
			t.Errorf("table line is %d columns wide, want at most 130: %q", w, l)
		}
	}
	long := r.Outcomes[5].Message
	if strings.Contains(strings.Join(lines[:tableEnd], "\n"), long) {
		t.Errorf("the table shows the %d-character message whole", len(long))
	}
	if !strings.Contains(text, "…\n") || !strings.Contains(text, "\n    "+long+"\n") {
		t.Errorf("the long message is not cut in the table and printed whole below it:\n%s", text)
	}
	if !strings.Contains(text, "    … 2 more\n") || strings.Count(text, ": rangeValCopy:") != 7 {
		t.Errorf("perf-lints-denied should show 10 of its 12 detail lines and '… 2 more':\n%s", text)
	}
	caused, fail, warn := strings.Index(text, "\nCaused by this change\n"), strings.Index(text, "\nStanding failures (they may predate this change)\n"), strings.Index(text, "\nWarnings\n")
	if caused < 0 || fail < caused || warn < fail || strings.Contains(text[fail:warn], "allocs-reported (SHOULD") || !strings.Contains(text[warn:], "allocs-reported (SHOULD, fail): ") {
		t.Errorf("want what the change caused, the standing failures, then the warnings with allocs-reported:\n%s", text)
	}
	if !strings.Contains(text[caused:fail], "no-regression (SHOULD, fail): No benchmark regressed") || !strings.Contains(text[fail:warn], "perf-lints-denied (MUST, fail)") {
		t.Errorf("a SHOULD regression check decides the verdict, and this change caused it: it comes first, before the standing MUST failures:\n%s", text)
	}
	if !strings.Contains(text, "    fix: Run 'perfctl lint' and fix what it reports.\n") {
		t.Errorf("no fix hint for perf-lints-denied:\n%s", text)
	}
	wantEnd := r.SummaryLine() + "\n  " + strings.Join(r.Reasons, "\n  ") + "\n"
	if !strings.HasSuffix(text, "\n\n"+wantEnd) {
		t.Errorf("text does not end with the summary line and the reasons:\n%s", text)
	}
	if r.SummaryLine() != "MUST 1/4 · SHOULD 0/2 (1 skipped) · MAY 1/1 · verdict ERROR" {
		t.Errorf("SummaryLine = %q: the fixture's tally is off", r.SummaryLine())
	}

	empty := &checks.Report{Verdict: checks.VerdictPass, Summary: map[checks.Level]checks.Tally{}}
	if got := string(render(t, "check.txt", empty)); got != "verdict PASS\n" {
		t.Errorf("a report without checks = %q, want the summary line alone", got)
	}

	clean := string(render(t, "check.txt", passReport(false)))
	if strings.Contains(clean, "Failures") || strings.Contains(clean, "Warnings") || !strings.HasSuffix(clean, "\n\nMUST 1/1 · SHOULD 1/1 · MAY 1/1 · verdict PASS\n") {
		t.Errorf("a clean pass should be the table and the summary line:\n%s", clean)
	}
}

// TestCheckJSONContract checks the perfctl/check/v1 document against the
// contract in the design: the keys and types of the document, of each
// tally and of each check, with the additive keys, and the optional ones
// present exactly when there is something to say.
func TestCheckJSONContract(t *testing.T) {
	r := checkReport(t)
	out := render(t, "check.json", r)
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n  \"schema\": ")) {
		t.Errorf("want one document indented by two spaces with a trailing newline:\n%s", out)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("CheckJSON wrote invalid JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("CheckJSON wrote more than one JSON value")
	}
	if got, want := keys(t, doc, "the document"), sorted("schema", "verdict", "summary", "checks", "policy", "strict", "reasons", "duration_s"); !slices.Equal(got, want) {
		t.Errorf("top-level keys = %q, want %q", got, want)
	}
	wantType(t, doc, "schema", "perfctl/check/v1")
	wantType(t, doc, "verdict", "error")
	wantType(t, doc, "policy", "perfctl.yaml")
	wantType(t, doc, "strict", false)
	wantType(t, doc, "duration_s", 112.5)
	if reasons, ok := doc["reasons"].([]any); !ok || len(reasons) != 4 || reasons[0] != r.Reasons[0] {
		t.Errorf("reasons = %#v, want the report's 4 reasons", doc["reasons"])
	}

	summary, _ := doc["summary"].(map[string]any)
	if got := keys(t, summary, "summary"); !slices.Equal(got, sorted("MUST", "SHOULD", "MAY")) {
		t.Errorf("summary keys = %q, want MUST, SHOULD and MAY", got)
	}
	want := map[string][5]float64{"MUST": {1, 4, 0, 2, 1}, "SHOULD": {0, 2, 1, 2, 0}, "MAY": {1, 1, 0, 0, 0}}
	for level, w := range want {
		tl := summary[level].(map[string]any)
		if got := keys(t, tl, "summary."+level); !slices.Equal(got, sorted("passed", "total", "skipped", "failed", "errors")) {
			t.Errorf("summary.%s keys = %q", level, got)
		}
		for i, k := range []string{"passed", "total", "skipped", "failed", "errors"} {
			if tl[k] != w[i] {
				t.Errorf("summary.%s.%s = %v, want %v", level, k, tl[k], w[i])
			}
		}
	}

	list, _ := doc["checks"].([]any)
	if len(list) != len(r.Outcomes) {
		t.Fatalf("%d checks, want %d", len(list), len(r.Outcomes))
	}
	required := []string{"id", "level", "title", "status", "message", "kind", "rationale", "fix", "duration_s"}
	for i, v := range list {
		c := v.(map[string]any)
		o := &r.Outcomes[i]
		var wantKeys []string
		wantKeys = append(wantKeys, required...)
		if len(o.Details) > 0 {
			wantKeys = append(wantKeys, "details")
		}
		if len(o.Findings) > 0 {
			wantKeys = append(wantKeys, "findings")
		}
		if o.Comparison != nil {
			wantKeys = append(wantKeys, "comparison")
		}
		if got := keys(t, c, o.ID); !slices.Equal(got, sorted(wantKeys...)) {
			t.Errorf("checks[%d] (%s) keys = %q, want %q", i, o.ID, got, sorted(wantKeys...))
		}
		for _, k := range required[:8] {
			if _, ok := c[k].(string); !ok {
				t.Errorf("checks[%d].%s = %#v, want a string", i, k, c[k])
			}
		}
		if _, ok := c["duration_s"].(float64); !ok {
			t.Errorf("checks[%d].duration_s = %#v, want a number", i, c["duration_s"])
		}
		if c["id"] != o.ID || c["level"] != string(o.Level) || c["status"] != string(o.Status) || c["message"] != o.Message {
			t.Errorf("checks[%d] = %v, want the outcome %s", i, c, o.ID)
		}
		if d, ok := c["details"]; ok {
			if ds, ok := d.([]any); !ok || len(ds) != len(o.Details) {
				t.Errorf("checks[%d].details = %#v, want all %d lines", i, d, len(o.Details))
			}
		}
		if fs, ok := c["findings"]; ok {
			for j, f := range fs.([]any) {
				if got := keys(t, f, "finding"); !slices.Equal(got, sorted("file", "line", "column", "rule", "message")) {
					t.Errorf("checks[%d].findings[%d] keys = %q", i, j, got)
				}
			}
		}
	}
	// The regression check carries its comparison as CompareJSON writes it.
	cmp := list[6].(map[string]any)["comparison"].(map[string]any)
	if cmp["schema"] != report.CompareSchema || cmp["verdict"] != "fail" {
		t.Errorf("comparison = schema %v verdict %v, want a failing perfctl/compare/v1 document", cmp["schema"], cmp["verdict"])
	}
	var direct bytes.Buffer
	if err := report.CompareJSON(&direct, r.Outcomes[6].Comparison); err != nil {
		t.Fatal(err)
	}
	var want2 any
	if err := json.Unmarshal(direct.Bytes(), &want2); err != nil {
		t.Fatal(err)
	}
	got2, _ := json.Marshal(cmp)
	want2b, _ := json.Marshal(want2)
	if !bytes.Equal(got2, want2b) {
		t.Errorf("the embedded comparison differs from CompareJSON's document")
	}

	// A report without reasons has "reasons": [], and the summary keeps
	// every level.
	var pass map[string]any
	if err := json.Unmarshal(render(t, "check.json", &checks.Report{Verdict: checks.VerdictPass, Summary: map[checks.Level]checks.Tally{}}), &pass); err != nil {
		t.Fatal(err)
	}
	if rs, ok := pass["reasons"].([]any); !ok || len(rs) != 0 {
		t.Errorf("reasons = %#v, want []", pass["reasons"])
	}
	if cs, ok := pass["checks"].([]any); !ok || len(cs) != 0 {
		t.Errorf("checks = %#v, want []", pass["checks"])
	}
	if got := keys(t, pass["summary"], "summary"); !slices.Equal(got, sorted("MUST", "SHOULD", "MAY")) {
		t.Errorf("empty report summary keys = %q", got)
	}
}

func wantType[T comparable](t *testing.T, doc map[string]any, key string, want T) {
	t.Helper()
	if got, ok := doc[key].(T); !ok || got != want {
		t.Errorf("%s = %#v, want %#v", key, doc[key], want)
	}
}

// TestCheckMarkdownShape checks the headline for each verdict, the
// failures before the folded warnings and table, and the escaping of table
// cells.
func TestCheckMarkdownShape(t *testing.T) {
	md := string(render(t, "check.md", checkReport(t)))
	if !strings.HasPrefix(md, "<!-- perfctl:check -->\n### ❌ perfctl check: ERROR — MUST 1/4 · SHOULD 0/2 · MAY 1/1\n"+
		"<sub>no verdict: 1 check could not be evaluated · policy `perfctl.yaml` · 1 skipped · took 1m53s</sub>\n") {
		t.Errorf("markdown does not start with the marker, the ERROR headline and its context:\n%s", md)
	}
	caused, fail := strings.Index(md, "#### Caused by this change (1)\n\n**`no-regression`**"), strings.Index(md, "#### Standing failures (3)")
	warn, all := strings.Index(md, "<details><summary>⚠️ 1 warning"), strings.Index(md, "<details><summary>All checks (8)")
	if caused < 0 || fail < caused || warn < fail || all < warn {
		t.Errorf("want what the change caused (at %d), the standing failures (at %d), the folded warnings (at %d), then all checks (at %d):\n%s",
			caused, fail, warn, all, md)
	}
	if strings.Contains(md[caused:fail], "perf-lints-denied") || !strings.Contains(md[fail:warn], "**`perf-lints-denied`** (MUST, fail)") {
		t.Errorf("the lint failure is a standing failure, after the regression:\n%s", md)
	}
	if strings.Contains(md[fail:warn], "allocs-reported") || !strings.Contains(md[warn:all], "**`allocs-reported`** (SHOULD, fail)") {
		t.Errorf("allocs-reported is a warning, folded apart from the failures:\n%s", md)
	}
	if !strings.HasSuffix(md, "</details>\n") {
		t.Errorf("markdown does not end with </details>")
	}
	if !strings.Contains(md, `| MUST | `+"`db-pool-limits`"+` | ❌ fail | 1 \*sql.DB without pool limits (SetMaxOpenConns\|SetMaxIdleConns) |`) {
		t.Errorf("the db-pool-limits row is not escaped:\n%s", md)
	}
	if !strings.Contains(md, "could not read docs/&lt;lang&gt;/profiling.md") {
		t.Errorf("angle brackets are not escaped:\n%s", md)
	}
	for _, row := range strings.Split(md[all:], "\n") {
		if strings.HasPrefix(row, "| ") && strings.Count(strings.ReplaceAll(row, `\|`, ""), "|") != 5 {
			t.Errorf("table row does not have 4 cells: %q", row)
		}
	}
	if !strings.Contains(md, "- `internal/parse/lex.go:160`: rangeValCopy") || !strings.Contains(md, "- … 2 more: see the JSON or SARIF report\n") ||
		strings.Contains(md, "lex.go:170") {
		t.Errorf("findings should be listed with their place in a code span, cut after ten:\n%s", md)
	}
	if !strings.Contains(md, "```text\nopen docs/en/profiling.md: permission denied\n```\n") {
		t.Errorf("details without findings should be in a text block:\n%s", md)
	}

	for _, tc := range []struct {
		r    *checks.Report
		head string
	}{
		{passReport(false), "<!-- perfctl:check -->\n### ✅ perfctl check: PASS — MUST 1/1 · SHOULD 1/1 · MAY 1/1\n"},
		{passReport(true), "<!-- perfctl:check -->\n### ⚠️ perfctl check: PASS — MUST 1/1 · SHOULD 0/1 · MAY 0/1\n"},
	} {
		md := string(render(t, "check.md", tc.r))
		if !strings.HasPrefix(md, tc.head) {
			t.Errorf("want headline %q:\n%s", tc.head, md)
		}
	}
	if md := string(render(t, "check.md", passReport(false))); strings.Contains(md, "####") || strings.Contains(md, "warning") || strings.Contains(md, "Reproduce") {
		t.Errorf("a clean pass has no failures, warnings or reproduce section:\n%s", md)
	}
}

func TestCodeFence(t *testing.T) {
	r := passReport(true)
	r.Outcomes[1].Details = []string{"a ``` b", "c ```` d"}
	md := string(render(t, "check.md", r))
	if !strings.Contains(md, "`````text\na ``` b\nc ```` d\n`````\n") {
		t.Errorf("details with backticks need a longer fence:\n%s", md)
	}
}

// junitSchema loads testdata/junit.xsd, the Jenkins xUnit plugin's JUnit
// schema, with github.com/jacoelho/xsd, a pure-Go XSD 1.0 validator.
func junitSchema(t *testing.T) *xsd.Schema {
	t.Helper()
	s, err := xsd.LoadFile(filepath.Join("testdata", "junit.xsd"))
	if err != nil {
		t.Fatalf("loading the JUnit schema: %v", err)
	}
	return s
}

// TestCheckJUnitSchema validates CheckJUnit's output against a real JUnit
// XML schema, and shows that the validation can fail.
func TestCheckJUnitSchema(t *testing.T) {
	schema := junitSchema(t)
	empty := &checks.Report{Verdict: checks.VerdictPass, Summary: map[checks.Level]checks.Tally{}}
	for name, r := range map[string]*checks.Report{"mixed": checkReport(t), "clean": passReport(false), "warnings": passReport(true), "empty": empty} {
		out := render(t, "check.junit.xml", r)
		if err := schema.Validate(bytes.NewReader(out)); err != nil {
			t.Errorf("%s: JUnit output is not valid against testdata/junit.xsd: %v\n%s", name, err, out)
		}
	}

	// The validator rejects what the schema forbids.
	valid := string(render(t, "check.junit.xml", checkReport(t)))
	for _, tc := range []struct{ what, old, new string }{
		{"a testcase without a name", `<testcase name="release-build-flags: Release builds are optimized and reproducible" `, `<testcase `},
		{"a testsuite without failures", `<testsuite name="MAY" tests="1" failures="0" `, `<testsuite name="MAY" tests="1" `},
		{"an element JUnit does not have", `<skipped message=`, `<ignored message=`},
		{"a suite time with a unit", `time="112.500"`, `time="112.5s"`},
		{"a failure outside a testcase", `<properties>`, `<failure message="x"></failure><properties>`},
	} {
		broken := strings.Replace(valid, tc.old, tc.new, 1)
		if broken == valid {
			t.Fatalf("%s: %q is not in the output", tc.what, tc.old)
		}
		if err := schema.Validate(strings.NewReader(broken)); err == nil {
			t.Errorf("the schema accepted %s", tc.what)
		}
	}
	// What a tool prints can hold what XML cannot: escape codes, markup.
	r := passReport(true)
	r.Outcomes[1].Details = []string{"\x1b[1mBenchmarkLex\x1b[0m & <b>]]></b>\r", "\x00\ufffe"}
	out := render(t, "check.junit.xml", r)
	if err := schema.Validate(bytes.NewReader(out)); err != nil {
		t.Errorf("JUnit output with control characters is not valid: %v\n%q", err, out)
	}
	var back struct {
		Failures []string `xml:"testsuite>testcase>failure"`
	}
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Failures) != 2 || !strings.Contains(back.Failures[0], "\ufffd[1mBenchmarkLex\ufffd[0m & <b>]]></b>\r\n\ufffd\ufffd\n") {
		t.Errorf("failure texts read back = %q", back.Failures)
	}

	if err := schema.Validate(strings.NewReader(`<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>`)); err == nil {
		t.Error("the schema accepted a testcase without a name")
	}
}

// junitProblem is a <failure>, <error> or <skipped> read back.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// TestCheckJUnitCounts reads the JUnit output back: one suite per level in
// order, the counts of each, and the element of each check.
func TestCheckJUnitCounts(t *testing.T) {
	r := checkReport(t)
	var doc struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Time     string `xml:"time,attr"`
		Suites   []struct {
			Name       string `xml:"name,attr"`
			Tests      int    `xml:"tests,attr"`
			Failures   int    `xml:"failures,attr"`
			Errors     int    `xml:"errors,attr"`
			Skipped    int    `xml:"skipped,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Cases []struct {
				Name      string        `xml:"name,attr"`
				Classname string        `xml:"classname,attr"`
				Time      string        `xml:"time,attr"`
				Failure   *junitProblem `xml:"failure"`
				Error     *junitProblem `xml:"error"`
				Skipped   *junitProblem `xml:"skipped"`
				SystemOut string        `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	out := render(t, "check.junit.xml", r)
	if !bytes.HasPrefix(out, []byte(xml.Header)) {
		t.Errorf("JUnit output does not start with the XML declaration")
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Name != "perfctl check" || doc.Tests != 8 || doc.Failures != 4 || doc.Errors != 1 || doc.Time != "112.500" {
		t.Errorf("testsuites = %q tests %d failures %d errors %d time %s; want perfctl check, 8, 4, 1, 112.500", doc.Name, doc.Tests, doc.Failures, doc.Errors, doc.Time)
	}
	type counts struct {
		name                             string
		tests, failures, errors, skipped int
	}
	var got []counts
	for _, s := range doc.Suites {
		got = append(got, counts{s.Name, s.Tests, s.Failures, s.Errors, s.Skipped})
		if len(s.Properties) != 3 || s.Properties[2].Name != "verdict" || s.Properties[2].Value != "error" {
			t.Errorf("suite %s properties = %v, want policy, strict and verdict", s.Name, s.Properties)
		}
	}
	if want := []counts{{"MUST", 4, 2, 1, 0}, {"SHOULD", 3, 2, 0, 1}, {"MAY", 1, 0, 0, 0}}; !slices.Equal(got, want) {
		t.Errorf("suites = %v, want %v", got, want)
	}
	lint := doc.Suites[0].Cases[1]
	if lint.Name != "perf-lints-denied: The performance linters are enabled and clean" || lint.Classname != "perfctl.MUST" || lint.Time != "48.312" ||
		lint.Failure == nil || !strings.Contains(lint.Failure.Body, "internal/parse/lex.go:180:5:") || !strings.HasSuffix(lint.Failure.Body, "fix: Run 'perfctl lint' and fix what it reports.\n") {
		t.Errorf("perf-lints-denied testcase = %+v, want a failure with every detail line and the fix", lint)
	}
	if e := doc.Suites[0].Cases[3].Error; e == nil || e.Message != r.Outcomes[3].Message {
		t.Errorf("profiling-documented should be an <error> with its message: %+v", doc.Suites[0].Cases[3])
	}
	if s := doc.Suites[1].Cases[0].Skipped; s == nil || s.Message != "not selected (--skip)" {
		t.Errorf("baseline-saved should be <skipped>: %+v", doc.Suites[1].Cases[0])
	}
	if f := doc.Suites[1].Cases[1].Failure; f == nil || !strings.HasPrefix(f.Body, "warning: a SHOULD check: this does not fail the verdict\n") {
		t.Errorf("allocs-reported is a failure marked as a warning: %+v", doc.Suites[1].Cases[1])
	}
	if f := doc.Suites[1].Cases[2].Failure; f == nil || strings.HasPrefix(f.Body, "warning") {
		t.Errorf("no-regression fails the verdict: its failure is no warning: %+v", doc.Suites[1].Cases[2])
	}
	if c := doc.Suites[0].Cases[0]; c.SystemOut != r.Outcomes[0].Message || c.Failure != nil || c.Error != nil || c.Skipped != nil {
		t.Errorf("a passing check is a bare testcase with its message as system-out: %+v", c)
	}
}

// TestCheckSARIF validates CheckSARIF's output against the SARIF 2.1.0
// schema, as TestLintSARIFIsValid does, and checks its results: one per
// located finding of a failed check, one at the policy for a failed check
// without findings, none for errors and skips.
func TestCheckSARIF(t *testing.T) {
	schema := gojsonschema.NewStringLoader(report.SARIFSchemaText(t))
	for _, r := range []*checks.Report{checkReport(t), passReport(true), passReport(false)} {
		out := render(t, "check.sarif", r)
		res, err := gojsonschema.Validate(schema, gojsonschema.NewBytesLoader(out))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Valid() {
			t.Fatalf("SARIF is not valid 2.1.0: %v\n%s", res.Errors(), out)
		}
		broken := strings.Replace(string(out), `"level": "`, `"level": "fatal`, 1)
		if r.Verdict == checks.VerdictError {
			if res, err := gojsonschema.Validate(schema, gojsonschema.NewStringLoader(broken)); err != nil || res.Valid() {
				t.Errorf("a SARIF result with level \"fatal…\" passed the schema check (%v)", err)
			}
		}
	}

	type result struct {
		RuleID    string `json:"ruleId"`
		Level     string `json:"level"`
		Message   struct{ Text string }
		Locations []struct {
			PhysicalLocation struct {
				ArtifactLocation struct{ URI string }
				Region           struct{ StartLine, StartColumn int }
			}
		}
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID               string
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []result
		}
	}
	if err := json.Unmarshal(render(t, "check.sarif", checkReport(t)), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != "v1.2.3" {
		t.Errorf("driver version %q, want v1.2.3", run.Tool.Driver.Version)
	}
	if len(run.Results) != 2+12+1+1 {
		t.Fatalf("%d results, want 16: the 2 regressions, 12 lint findings, 1 sql-pool finding and allocs-reported", len(run.Results))
	}
	for i, unit := range []string{"sec/op", "allocs/op"} {
		reg := run.Results[i]
		if loc := reg.Locations[0].PhysicalLocation; reg.RuleID != "regression" || reg.Level != "error" ||
			loc.ArtifactLocation.URI != "internal/codec/codec_test.go" || loc.Region.StartLine != 31 ||
			!strings.HasPrefix(reg.Message.Text, "SHOULD check no-regression found a regression in example.com/codec: Encode [codec] "+unit+": ") {
			t.Errorf("result %d = %+v, want the %s regression first, an error at its benchmark function", i, reg, unit)
		}
	}
	first := run.Results[2]
	if first.RuleID != "prealloc" || first.Level != "error" || first.Message.Text != "Consider preallocating out" ||
		first.Locations[0].PhysicalLocation.ArtifactLocation.URI != "internal/codec/encode.go" || first.Locations[0].PhysicalLocation.Region.StartLine != 41 {
		t.Errorf("first result = %+v, want the prealloc finding as 'perfctl lint' reports it", first)
	}
	byRule := map[string]result{}
	for _, res := range run.Results {
		byRule[res.RuleID] = res
	}
	if sql := byRule["sql-pool"]; sql.Level != "error" || sql.Locations[0].PhysicalLocation.ArtifactLocation.URI != "internal/store/db.go" {
		t.Errorf("sql-pool result = %+v", sql)
	}
	if a := byRule["allocs-reported"]; a.Level != "warning" || a.Locations[0].PhysicalLocation.ArtifactLocation.URI != "perfctl.yaml" || a.Locations[0].PhysicalLocation.Region.StartLine != 42 ||
		!strings.HasPrefix(a.Message.Text, "SHOULD check allocs-reported failed: ") || !strings.HasSuffix(a.Message.Text, "\nFix: Call b.ReportAllocs() in each benchmark, or run them with -benchmem.") {
		t.Errorf("allocs-reported result = %+v, want a warning at its line of perfctl.yaml", a)
	}
	for _, absent := range []string{"no-regression", "profiling-documented", "baseline-saved", "release-build-flags", "load-test-defined", "perf-lints-denied", "db-pool-limits"} {
		if _, ok := byRule[absent]; ok {
			t.Errorf("a result with rule %s: errors, skips, passes and checks with findings have none of their own", absent)
		}
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "prealloc" && !strings.HasPrefix(rule.ShortDescription.Text, "prealloc") {
			t.Errorf("prealloc rule description %q, want the one 'perfctl lint' gives", rule.ShortDescription.Text)
		}
		if rule.ID == "sql-pool" && rule.ShortDescription.Text != "Every *sql.DB has pool limits" {
			t.Errorf("sql-pool rule description %q, want the check's title", rule.ShortDescription.Text)
		}
	}

	// With the embedded policy there is no file to point at: go.mod, and a
	// failed MAY check is a note.
	if err := json.Unmarshal(render(t, "check.sarif", passReport(true)), &log); err != nil {
		t.Fatal(err)
	}
	levels := map[string]string{}
	for _, res := range log.Runs[0].Results {
		levels[res.RuleID] = res.Level + " " + res.Locations[0].PhysicalLocation.ArtifactLocation.URI
	}
	if want := map[string]string{"allocs-reported": "warning go.mod", "budget": "note parse_test.go"}; !maps.Equal(levels, want) {
		t.Errorf("results = %v, want %v", levels, want)
	}
}

// TestParseFormatJUnit checks that the JUnit format can be asked for.
func TestParseFormatJUnit(t *testing.T) {
	f, err := report.ParseFormat("junit", report.Text, report.JSON, report.Markdown, report.JUnit, report.SARIF)
	if err != nil || f != report.JUnit {
		t.Errorf("ParseFormat(junit) = %q, %v", f, err)
	}
}

// policyPaths are the paths cmd gives the renderers for a module at the
// root of its repository.
func policyPaths(r *checks.Report) report.RepoPaths {
	if r.Policy == checks.DefaultSource {
		return report.RepoPaths{}
	}
	return report.RepoPaths{Policy: r.Policy}
}
