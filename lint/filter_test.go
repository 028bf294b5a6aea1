package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixedsigFindings makes a hugeParam finding for every named receiver and
// parameter of the functions in testdata/lint/fixedsig, as gocritic
// places them, with what the function's comment says should become of it
// ("want: report", "want: interface", …).
func fixedsigFindings(t *testing.T, dir string) (findings []Finding, want map[Finding]string) {
	t.Helper()
	want = map[Finding]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Doc == nil || !strings.Contains(fn.Doc.Text(), "want: ") {
				continue
			}
			_, w, _ := strings.Cut(fn.Doc.Text(), "want: ")
			w = strings.TrimSpace(w)
			var fields []*ast.Field
			if fn.Recv != nil {
				fields = append(fields, fn.Recv.List...)
			}
			fields = append(fields, fn.Type.Params.List...)
			for _, field := range fields {
				if _, ok := field.Type.(*ast.ArrayType); ok {
					continue // p []byte of Write: not huge
				}
				for _, id := range field.Names {
					p := fset.Position(id.Pos())
					fd := Finding{Linter: "gocritic", File: rel, Line: p.Line, Column: p.Column,
						Message: "hugeParam: " + id.Name + " is heavy (1024 bytes); consider passing it by pointer"}
					findings = append(findings, fd)
					want[fd] = w
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return findings, want
}

func TestFilterFixedSignatures(t *testing.T) {
	dir := filepath.Join("..", "testdata", "lint", "fixedsig")
	findings, want := fixedsigFindings(t, dir)
	other := Finding{Linter: "gocritic", File: "fixedsig.go", Line: 1, Column: 1, Message: "rangeValCopy: each iteration copies 1024 bytes"}
	findings = append(findings, other)
	want[other] = "report"
	reasons := map[string]string{ReasonBlankParam: "blank", ReasonInterface: "interface", ReasonExportedAPI: "exported"}
	for _, exported := range []bool{false, true} {
		opts := &Options{Dir: dir, Profile: Profile{ReportExportedAPI: exported}}
		kept, groups, err := filterFixedSignatures(t.Context(), opts, findings)
		if err != nil {
			t.Fatal(err)
		}
		got := map[Finding]string{}
		for _, f := range kept {
			got[f] = "report"
		}
		for _, g := range groups {
			if g.Count != len(g.Findings) {
				t.Errorf("group %q counts %d of %d findings", g.Reason, g.Count, len(g.Findings))
			}
			for _, f := range g.Findings {
				got[f] = reasons[g.Reason]
			}
		}
		if len(got) != len(findings) {
			t.Errorf("%d findings in, %d out", len(findings), len(got))
		}
		for f, w := range want {
			if exported && w == "exported" {
				w = "report"
			}
			if got[f] != w {
				t.Errorf("report_exported_api=%v: %s:%d:%d %q: %q, want %q", exported, f.File, f.Line, f.Column, f.Message, got[f], w)
			}
		}
	}
	for _, w := range []string{"report", "interface", "blank", "exported"} {
		if !slices.Contains(mapValues(want), w) {
			t.Errorf("the fixture has no case of %q", w)
		}
	}
}

func mapValues(m map[Finding]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestFilteredSummary(t *testing.T) {
	if s := FilteredSummary(nil); s != "" {
		t.Errorf("nothing filtered: %q", s)
	}
	groups := []FilteredGroup{{Reason: ReasonInterface, Count: 2}, {Reason: ReasonBlankParam, Count: 1}}
	s := FilteredSummary(groups)
	if !strings.HasPrefix(s, "3 findings filtered: 2 hugeParam on a method that implements an interface") || !strings.Contains(s, "; 1 hugeParam on a parameter named _") {
		t.Errorf("summary %q", s)
	}
}
