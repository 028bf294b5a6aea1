package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/report"
)

func codeQuality(t *testing.T, r *checks.Report, p report.RepoPaths) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.CheckCodeQuality(&b, r, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCheckCodeQualityGolden pins the Code Quality report of checkReport in
// a monorepo.
func TestCheckCodeQualityGolden(t *testing.T) {
	checkGolden(t, "check.codequality.json", codeQuality(t, checkReport(t), monorepo))
}

// codeQualitySchema is testdata/schemas/gitlab-codequality.json: the fields
// GitLab documents as required, with their values.
func codeQualitySchema(t *testing.T) *gojsonschema.Schema {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "testdata", "schemas", "gitlab-codequality.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCheckCodeQualitySchema validates the reports against GitLab's
// documented required fields (description, check_name, fingerprint,
// severity, location.path, location.lines.begin) and checks that the
// validation can fail.
func TestCheckCodeQualitySchema(t *testing.T) {
	schema := codeQualitySchema(t)
	for _, c := range []struct {
		name string
		r    *checks.Report
		p    report.RepoPaths
	}{
		{"errors", checkReport(t), monorepo},
		{"errors at the root", checkReport(t), report.RepoPaths{}},
		{"warnings", passReport(true), report.RepoPaths{}},
		{"pass", passReport(false), monorepo},
	} {
		out := codeQuality(t, c.r, c.p)
		res, err := schema.Validate(gojsonschema.NewBytesLoader(out))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Valid() {
			t.Errorf("%s: not a valid Code Quality report: %v\n%s", c.name, res.Errors(), out)
		}
	}

	out := string(codeQuality(t, checkReport(t), monorepo))
	for _, broken := range []string{
		strings.Replace(out, `"fingerprint"`, `"fingerprints"`, 1),
		strings.Replace(out, `"severity": "critical"`, `"severity": "error"`, 1),
		strings.Replace(out, `"begin": 41`, `"begin": 0`, 1),
		strings.Replace(out, `"path": "services/api/internal/codec/encode.go"`, `"path": "/abs/encode.go"`, 1),
		`{"description": "not an array"}`,
	} {
		if broken == out {
			t.Fatal("the replacement did not apply")
		}
		res, err := schema.Validate(gojsonschema.NewStringLoader(broken))
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid() {
			t.Errorf("a broken report passed the schema check:\n%.300s", broken)
		}
	}
}

type cqIssue struct {
	CheckName   string `json:"check_name"`
	Description string
	Fingerprint string
	Severity    string
	Location    struct {
		Path  string
		Lines struct{ Begin int }
	}
}

func decodeCodeQuality(t *testing.T, b []byte) []cqIssue {
	t.Helper()
	var issues []cqIssue
	if err := json.Unmarshal(b, &issues); err != nil {
		t.Fatal(err)
	}
	return issues
}

// TestCheckCodeQuality checks the issues: one per located finding of a
// failed check and one per failed check without, none for errors; the
// severities; and fingerprints that are unique and stable.
func TestCheckCodeQuality(t *testing.T) {
	issues := decodeCodeQuality(t, codeQuality(t, checkReport(t), monorepo))
	if len(issues) != 2+12+1+1 {
		t.Fatalf("%d issues, want 16: 2 regressions, 12 lint findings, sql-pool, allocs-reported", len(issues))
	}
	first := issues[2]
	if first.CheckName != "perf-lints-denied" || first.Description != "Consider preallocating out (prealloc)" || first.Severity != "critical" ||
		first.Location.Path != "services/api/internal/codec/encode.go" || first.Location.Lines.Begin != 41 {
		t.Errorf("first lint issue = %+v", first)
	}
	byCheck := map[string]cqIssue{}
	seen := map[string]bool{}
	for _, is := range issues {
		byCheck[is.CheckName] = is
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s twice: GitLab would show one of them", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	if is := byCheck["db-pool-limits"]; is.Description != "sql.Open result db never gets SetMaxOpenConns, SetMaxIdleConns or SetConnMaxLifetime" || is.Severity != "critical" {
		t.Errorf("sql-pool issue = %+v, want the message alone (the rule is the kind), critical", is)
	}
	for i, unit := range []string{"sec/op", "allocs/op"} {
		is := issues[i]
		if is.CheckName != "no-regression" || is.Severity != "critical" || is.Location.Path != "services/api/internal/codec/codec_test.go" || is.Location.Lines.Begin != 31 ||
			!strings.HasPrefix(is.Description, "SHOULD check no-regression found a regression in example.com/codec: Encode [codec] "+unit+": ") || strings.Contains(is.Description, "\n") {
			t.Errorf("issue %d = %+v, want the %s regression first, a critical issue at its benchmark, on one line", i, is, unit)
		}
	}
	if is := byCheck["allocs-reported"]; is.Severity != "minor" {
		t.Errorf("allocs-reported issue = %+v, want minor (a SHOULD warning)", is)
	}
	if _, ok := byCheck["profiling-documented"]; ok {
		t.Error("an issue for a check that could not be evaluated")
	}

	// The fingerprint of a regression ignores its measurements, and so does
	// that of a check without findings; a finding's follows its place and
	// message.
	r := checkReport(t)
	for i := range r.Outcomes[6].Comparison.Rows {
		if row := &r.Outcomes[6].Comparison.Rows[i]; row.Status == bench.StatusRegression {
			row.Head.Center *= 1.1
		}
	}
	again := decodeCodeQuality(t, codeQuality(t, r, monorepo))
	if again[0].Fingerprint != issues[0].Fingerprint || again[0].Description == issues[0].Description {
		t.Errorf("the regression's fingerprint changed with its measurements: %+v then %+v", issues[0], again[0])
	}
	for i := range r.Outcomes[6].Comparison.Rows {
		r.Outcomes[6].Comparison.Rows[i].Source = nil // not located: the check as a whole
	}
	whole := decodeCodeQuality(t, codeQuality(t, r, monorepo))
	if is := whole[0]; is.CheckName != "no-regression" || is.Location.Path != "services/api/perfctl.yaml" || is.Location.Lines.Begin != 50 ||
		!strings.HasPrefix(is.Description, "SHOULD check no-regression failed: 2 regressions; 2 improvements, 10 unchanged; Encode [codec] sec/op: ") {
		t.Errorf("unlocated regressions = %+v, want one critical issue at the check in the policy", is)
	}
	r.Outcomes[6].Message = "3 regressions"
	if moved := decodeCodeQuality(t, codeQuality(t, r, monorepo)); moved[0].Fingerprint != whole[0].Fingerprint {
		t.Errorf("the check's fingerprint changed with its message: %+v then %+v", whole[0], moved[0])
	}
	r.Outcomes[1].Findings[0].Line++
	if moved := decodeCodeQuality(t, codeQuality(t, r, monorepo)); moved[1].Fingerprint == whole[1].Fingerprint {
		t.Error("a finding on another line has the same fingerprint")
	}

	// The embedded default policy: a failed check without findings is at
	// go.mod line 1; a MAY failure is info.
	issues = decodeCodeQuality(t, codeQuality(t, passReport(true), report.RepoPaths{Prefix: "svc/"}))
	got := map[string]string{}
	for _, is := range issues {
		got[is.CheckName] = fmt.Sprintf("%s %s:%d", is.Severity, is.Location.Path, is.Location.Lines.Begin)
	}
	if want := "minor svc/go.mod:1"; got["allocs-reported"] != want {
		t.Errorf("allocs-reported: %s, want %s", got["allocs-reported"], want)
	}
	if want := "info svc/parse_test.go:30"; got["budgets"] != want {
		t.Errorf("budgets: %s, want %s", got["budgets"], want)
	}
	if out := codeQuality(t, passReport(false), monorepo); string(out) != "[]\n" {
		t.Errorf("a clean report is %q, want an empty array", out)
	}
}

// TestParseFormatCodeQuality checks that the Code Quality format can be
// asked for.
func TestParseFormatCodeQuality(t *testing.T) {
	f, err := report.ParseFormat("codequality", report.Text, report.CodeQuality)
	if err != nil || f != report.CodeQuality {
		t.Errorf("ParseFormat(codequality) = %q, %v", f, err)
	}
}
