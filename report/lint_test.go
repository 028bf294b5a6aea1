package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/perfctl/perfctl/lint"
)

var lintResult = &lint.Result{Version: "2.15.0", Findings: []lint.Finding{
	{Linter: "staticcheck", File: "a/a.go", Line: 3, Column: 9, Message: "SA6000: calling regexp.MatchString in a loop has poor performance"},
	{Linter: "prealloc", File: "a/a.go", Line: 5, Column: 2, Message: "Consider preallocating out"},
	{Linter: "perfsprint", File: "join.go", Line: 27, Column: 3, Message: "concat-loop: string concatenation in a loop, 100%: a,b"},
}}

func TestLintText(t *testing.T) {
	var b bytes.Buffer
	if err := LintText(&b, lintResult, Options{}); err != nil {
		t.Fatal(err)
	}
	want := `a/a.go
  3:9  staticcheck  SA6000: calling regexp.MatchString in a loop has poor performance
  5:2  prealloc  Consider preallocating out

join.go
  27:3  perfsprint  concat-loop: string concatenation in a loop, 100%: a,b

FAIL  3 performance lint findings in 2 files (golangci-lint 2.15.0)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := LintText(&b, &lint.Result{Version: "2.15.0"}, Options{}); err != nil || b.String() != "PASS  no performance lint findings (golangci-lint 2.15.0)\n" {
		t.Errorf("clean: %q, %v", b.String(), err)
	}
}

func TestLintJSON(t *testing.T) {
	var b bytes.Buffer
	if err := LintJSON(&b, lintResult, []string{"prealloc", "staticcheck"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema"] != LintSchema || doc["verdict"] != "fail" || doc["golangci_lint_version"] != "2.15.0" {
		t.Errorf("doc %v", doc)
	}
	findings := doc["findings"].([]any)
	first := findings[0].(map[string]any)
	for _, k := range []string{"linter", "file", "line", "column", "message"} {
		if _, ok := first[k]; !ok {
			t.Errorf("finding lacks %q: %v", k, first)
		}
	}
	if len(first) != 5 {
		t.Errorf("finding has keys %v, want exactly linter, file, line, column, message", first)
	}
	b.Reset()
	if err := LintJSON(&b, &lint.Result{}, nil); err != nil || !strings.Contains(b.String(), `"findings": []`) || !strings.Contains(b.String(), `"verdict": "pass"`) {
		t.Errorf("clean JSON %s, %v", b.String(), err)
	}
}

// TestLintSARIFIsValid validates perfctl's SARIF bytes against the OASIS
// SARIF 2.1.0 JSON schema, as shipped in the go-sarif module, with
// gojsonschema.
func TestLintSARIFIsValid(t *testing.T) {
	schema := gojsonschema.NewStringLoader(sarifSchemaText(t))
	for _, res := range []*lint.Result{lintResult, {Version: "2.15.0"}} {
		var b bytes.Buffer
		if err := LintSARIF(&b, res, "v1.0.0"); err != nil {
			t.Fatal(err)
		}
		result, err := gojsonschema.Validate(schema, gojsonschema.NewBytesLoader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if !result.Valid() {
			t.Fatalf("SARIF is not valid 2.1.0: %v\n%s", result.Errors(), b.String())
		}
		// The check can fail: a wrong version or an unknown property is caught.
		for _, broken := range []string{strings.Replace(b.String(), `"2.1.0"`, `"2.0"`, 1), strings.Replace(b.String(), `"results"`, `"findings"`, 1)} {
			if r, err := gojsonschema.Validate(schema, gojsonschema.NewStringLoader(broken)); err != nil || r.Valid() {
				t.Fatalf("a broken SARIF document passed the schema check (%v)", err)
			}
		}
	}
	var b bytes.Buffer
	if err := LintSARIF(&b, lintResult, "v1.0.0"); err != nil {
		t.Fatal(err)
	}
	rep, err := sarif.FromBytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if *r.RuleID != "staticcheck" || *loc.ArtifactLocation.URI != "a/a.go" || *loc.Region.StartLine != 3 || *loc.Region.StartColumn != 9 {
		t.Errorf("first result %+v", r)
	}
	if n := len(rep.Runs[0].Tool.Driver.Rules); n != 3 {
		t.Errorf("%d rules, want one per linter (3)", n)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	var b bytes.Buffer
	if err := GitHubAnnotations(&b, lintResult.Findings[2:]); err != nil {
		t.Fatal(err)
	}
	want := "::error file=join.go,line=27,col=3,title=perfctl lint (perfsprint)::concat-loop: string concatenation in a loop, 100%25: a,b\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	if got := ghProperty("a,b:c%\nd"); got != "a%2Cb%3Ac%25%0Ad" {
		t.Errorf("ghProperty = %q", got)
	}
}

// sarifSchemaText reads the SARIF 2.1.0 schema that go-sarif embeds (a Go
// string constant in its module) from the module cache.
func sarifSchemaText(t *testing.T) string {
	t.Helper()
	dir, err := exec.CommandContext(t.Context(), "go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("locating go-sarif: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	i := strings.Index(text, "const schema = `")
	j := strings.LastIndex(text, "`")
	if i < 0 || j <= i || !strings.Contains(text[i:j], "sarif-schema-2.1.0.json") {
		t.Fatal("go-sarif's schema.go does not hold the SARIF 2.1.0 schema where expected")
	}
	return text[i+len("const schema = `") : j]
}
