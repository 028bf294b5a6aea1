package cmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/report"
)

func TestRenderLintFiltered(t *testing.T) {
	res := &lint.Result{Version: "2.15.0",
		Findings: []lint.Finding{{Linter: "gocritic", File: "a.go", Line: 3, Column: 9, Message: "hugeParam: c is heavy (1024 bytes); consider passing it by pointer"}},
		Filtered: []lint.FilteredGroup{{Reason: lint.ReasonInterface, Count: 1,
			Findings: []lint.Finding{{Linter: "gocritic", File: "b.go", Line: 5, Column: 7, Message: "hugeParam: x is heavy (1024 bytes); consider passing it by pointer"}}}}}
	var buf bytes.Buffer
	if err := renderLint(&buf, report.JSON, res, []string{"gocritic"}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema   string
		Findings []lint.Finding
		Filtered []lint.FilteredGroup
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.Bytes())
	}
	if doc.Schema != report.LintSchema || len(doc.Findings) != 1 || len(doc.Filtered) != 1 ||
		doc.Filtered[0].Reason != lint.ReasonInterface || doc.Filtered[0].Findings[0].File != "b.go" {
		t.Errorf("document %+v", doc)
	}
	if !strings.HasPrefix(buf.String(), "{\n  \"schema\"") || !strings.HasSuffix(buf.String(), "\n  ]\n}\n") {
		t.Errorf("not indented as the other fields:\n%s", buf.Bytes())
	}

	// Nothing filtered: the field is there, empty.
	buf.Reset()
	if err := renderLint(&buf, report.JSON, &lint.Result{Version: "2.15.0"}, nil, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"filtered": []`) || !json.Valid(buf.Bytes()) {
		t.Errorf("no findings:\n%s", buf.Bytes())
	}

	buf.Reset()
	if err := renderLint(&buf, report.Text, res, nil, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "\n1 finding filtered: 1 "+lint.ReasonInterface+"; --format json lists them\n") {
		t.Errorf("text:\n%s", buf.String())
	}
}
