package report

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/fuzzcheck"
	"github.com/perfctl/perfctl/internal/usererr"
)

// ReadCompareJSON reads what CompareJSON writes back into the same rows.
func TestReadCompareJSONRoundTrip(t *testing.T) {
	c := htmlComparison(t)
	var doc bytes.Buffer
	if err := CompareJSON(&doc, c); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCompareJSON(bytes.NewReader(doc.Bytes()), "cmp.json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Alpha != c.Alpha || got.Method != c.Method || len(got.Rows) != len(c.Rows) || got.Verdict() != c.Verdict() {
		t.Fatalf("read alpha %v method %q %d rows verdict %s; wrote %v %q %d %s", got.Alpha, got.Method, len(got.Rows), got.Verdict(), c.Alpha, c.Method, len(c.Rows), c.Verdict())
	}
	for i := range c.Rows {
		w, g := &c.Rows[i], &got.Rows[i]
		if g.Name != w.Name || g.Unit != w.Unit || g.Pkg != w.Pkg || g.Status != w.Status || g.Base.Center != w.Base.Center ||
			g.Head.N != w.Head.N || !sameFloat(g.DeltaPct, w.DeltaPct) || !sameFloat(g.PValue, w.PValue) {
			t.Errorf("row %d: read %+v, wrote %+v", i, g, w)
		}
		if rowCells(g) != rowCells(w) {
			t.Errorf("row %d shows %+v, want %+v", i, rowCells(g), rowCells(w))
		}
	}
	// Fields a later version adds are read past.
	more := strings.Replace(doc.String(), `"schema"`, `"new_field": {"x": [1]}, "schema"`, 1)
	if _, err := ReadCompareJSON(strings.NewReader(more), "cmp.json"); err != nil {
		t.Errorf("an added field: %v", err)
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestReadCompareJSONRefuses(t *testing.T) {
	row := `{"name": "A", "unit": "sec/op", "base": {"center": 1, "n": 5}, "head": {"center": 2, "n": 5}, "status": "%s"}`
	doc := func(status string) string {
		return `{"schema": "perfctl/compare/v1", "alpha": 0.05, "comparisons": [` + strings.Replace(row, "%s", status, 1) + `]}`
	}
	if _, err := ReadCompareJSON(strings.NewReader(doc("regression")), "ok.json"); err != nil {
		t.Fatalf("a minimal document: %v", err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"empty", "", "is empty"},
		{"not JSON", "BenchmarkX 1 2 ns/op\n", "is not JSON"},
		{"cut short", `{"schema": "perfctl/compare/v1", "compar`, "ends in the middle"},
		{"two documents", doc("regression") + " {}", "has more after its JSON document"},
		{"no schema", `{"comparisons": []}`, `has no "schema"`},
		{"another schema", `{"schema": "perfctl/check/v1", "checks": []}`, `has schema "perfctl/check/v1"`},
		{"no rows", `{"schema": "perfctl/compare/v1", "alpha": 0.05}`, `has no "comparisons"`},
		{"no alpha", `{"schema": "perfctl/compare/v1", "comparisons": []}`, `"alpha"`},
		{"wrong type", `{"schema": "perfctl/compare/v1", "alpha": "0.05", "comparisons": []}`, `"alpha" has a string where a float64 belongs`},
		{"bad status", doc("worse"), `status "worse"`},
		{"no name", strings.Replace(doc("regression"), `"A"`, `""`, 1), "has no name"},
		{"an array", `[1, 2]`, "has a array where"},
	} {
		_, err := ReadCompareJSON(strings.NewReader(c.text), "in.json")
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.File != "in.json" || !strings.Contains(ue.Msg, c.want) || ue.Hint == "" {
			t.Errorf("%s: %v, want a user error about in.json with %q and a hint", c.name, err, c.want)
		}
	}
	// A syntax error says its line.
	_, err := ReadCompareJSON(strings.NewReader("{\n\"schema\": \"perfctl/compare/v1\",\n\"alpha\": 0.05,\n\"comparisons\": [}\n"), "in.json")
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.Line != 4 {
		t.Errorf("a syntax error on line 4: %v (line %d)", err, ue.Line)
	}
	// The size is bounded.
	big := `{"schema": "perfctl/compare/v1", "alpha": 0.05, "comparisons": [], "warnings": ["` + strings.Repeat("x", MaxCompareJSON) + `"]}`
	if _, err := ReadCompareJSON(strings.NewReader(big), "big.json"); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("a document over the bound: %v", err)
	}
}

// FuzzReadCompareJSON: any input is read or refused with a user error,
// and what is read renders as an HTML page.
func FuzzReadCompareJSON(f *testing.F) {
	var doc bytes.Buffer
	if err := CompareJSON(&doc, htmlComparison(f)); err != nil {
		f.Fatal(err)
	}
	f.Add(doc.Bytes())
	f.Add([]byte(`{"schema": "perfctl/compare/v1", "alpha": 0.05, "comparisons": [{"name": "</script>", "unit": "x", "status": "added", "head": {"center": 1e308, "low": -1e308, "high": 1e308, "n": 1}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzcheck.Watchdog("reading a comparison document", data)()
		c, err := ReadCompareJSON(bytes.NewReader(data), "f.json")
		if err != nil {
			var ue *usererr.Error
			if !errors.As(err, &ue) {
				t.Fatalf("not a user error: %v", err)
			}
			return
		}
		var page bytes.Buffer
		if err := WriteHTML(&page, &HTMLPage{Compare: c}); err != nil {
			t.Fatalf("rendering: %v", err)
		}
	})
}
