package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/report"
)

// allDocuments are the documents of the registry.
var allDocuments = []report.Document{report.DocCheck, report.DocCompare, report.DocLint, report.DocBaselineList, report.DocBaselineShow}

// TestRegistry renders a sample of every document in every format: the
// formats that claim a document render it (the check report as its golden
// file), and the others refuse it.
func TestRegistry(t *testing.T) {
	r := checkReport(t)
	c := compareInputs(t, mixedBase, mixedHead)
	res := &lint.Result{Version: "2.15.0", Findings: []lint.Finding{{Linter: "prealloc", File: "a.go", Line: 5, Column: 2, Message: "Consider preallocating out"}}}
	set, err := bench.Read(bytes.NewReader([]byte(mixedBase)), "main.txt")
	if err != nil {
		t.Fatal(err)
	}
	info := baseline.InfoOf("main", ".perfctl/baselines/main.txt", set)
	rows, err := bench.Summarize(set, bench.DefaultConfidence, nil)
	if err != nil {
		t.Fatal(err)
	}
	render := map[report.Document]func(*bytes.Buffer, report.Format) error{
		report.DocCheck: func(w *bytes.Buffer, f report.Format) error {
			return report.RenderCheck(w, f, r, report.Options{Version: "v1.2.3", Paths: policyPaths(r)})
		},
		report.DocCompare: func(w *bytes.Buffer, f report.Format) error { return report.RenderCompare(w, f, c, report.Options{}) },
		report.DocLint: func(w *bytes.Buffer, f report.Format) error {
			return report.RenderLint(w, f, res, []string{"prealloc"}, report.Options{})
		},
		report.DocBaselineList: func(w *bytes.Buffer, f report.Format) error {
			return report.RenderBaselineList(w, f, []baseline.Info{info}, report.Options{})
		},
		report.DocBaselineShow: func(w *bytes.Buffer, f report.Format) error {
			return report.RenderBaselineShow(w, f, &info, rows, report.Options{})
		},
	}
	checkGoldens := map[report.Format]string{report.Text: "check.txt", report.JSON: "check.json", report.Markdown: "check.md",
		report.JUnit: "check.junit.xml", report.SARIF: "check.sarif"}

	var formats []report.Format
	for _, d := range allDocuments {
		for _, f := range report.Formats(d) {
			if !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		}
	}
	if want := []report.Format{report.Text, report.JSON, report.Markdown, report.JUnit, report.SARIF, report.CodeQuality, report.HTML}; !slices.Equal(formats, want) {
		t.Errorf("formats %v, want %v", formats, want)
	}
	for _, f := range append(formats, "bogus") {
		for _, d := range allDocuments {
			var b bytes.Buffer
			err := render[d](&b, f)
			claims := slices.Contains(report.Formats(d), f)
			switch {
			case !claims && err == nil:
				t.Errorf("%s renders document %d without claiming it", f, d)
			case claims && (err != nil || b.Len() == 0):
				t.Errorf("%s: document %d: %d bytes, %v", f, d, b.Len(), err)
			case claims && d == report.DocCheck && checkGoldens[f] != "":
				if want, err := os.ReadFile(filepath.Join("testdata", checkGoldens[f])); err != nil || !bytes.Equal(b.Bytes(), want) {
					t.Errorf("%s: the registry's check report is not %s (%v)", f, checkGoldens[f], err)
				}
			}
		}
	}
}

func TestFormatList(t *testing.T) {
	for _, c := range []struct {
		d    report.Document
		want string
	}{
		{report.DocCheck, "text, json, markdown, junit, sarif or codequality"},
		{report.DocCompare, "text, json, markdown, junit, sarif or html"},
		{report.DocLint, "text, json or sarif"},
		{report.DocBaselineList, "text or json"},
	} {
		if got := report.FormatList(report.Formats(c.d)); got != c.want {
			t.Errorf("FormatList(%d) = %q, want %q", c.d, got, c.want)
		}
	}
	if f, err := report.ParseFormat("md", report.Formats(report.DocCompare)...); err != nil || f != report.Markdown {
		t.Errorf("ParseFormat(md) = %q, %v; want markdown, its other name", f, err)
	}
	if _, err := report.ParseFormat("md", report.Text, report.JSON); err == nil {
		t.Error("ParseFormat(md) accepted markdown where it is not supported")
	}
}
