package compare

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/perfctl/perfctl/bench"
)

func TestExactPattern(t *testing.T) {
	for _, c := range []struct{ name, procs, want string }{
		{"Parse", "", "^BenchmarkParse$"},
		{"Parse/small", "", "^BenchmarkParse$/^small$"},
		{"Encode/n=10-4", "4", "^BenchmarkEncode$/^n=10$"},
		{"Odd/a.b(c)", "", `^BenchmarkOdd$/^a\.b\(c\)$`},
	} {
		got := ExactPattern(c.name, c.procs)
		if got != c.want {
			t.Errorf("ExactPattern(%q, %q) = %q, want %q", c.name, c.procs, got, c.want)
		}
		if _, err := regexp.Compile(strings.ReplaceAll(got, "$/^", "$|^")); err != nil {
			t.Errorf("%q: %v", got, err)
		}
	}
}

func TestRegressedTargets(t *testing.T) {
	sum := func(center float64) *bench.Summary { return &bench.Summary{Center: center, N: 8} }
	c := &bench.Comparison{Rows: []bench.Row{
		{Name: "A", Pkg: "p", Unit: "sec/op", Status: bench.StatusRegression, Base: sum(1e-6), Head: sum(2e-6)},
		{Name: "B", Pkg: "p", Unit: "sec/op", Status: bench.StatusUnchanged, Base: sum(4e-3), Head: sum(3e-3)},
		{Name: "A", Pkg: "p", Unit: "B/op", Status: bench.StatusUnchanged},
		{Name: "B", Pkg: "p", Unit: "allocs/op", Status: bench.StatusRegression},
		{Name: "C", Pkg: "p", Unit: "MB/s", Status: bench.StatusRegression},
		{Name: "A", Pkg: "q", Unit: "sec/op", Status: bench.StatusRegression},
	}}
	ts := regressedTargets(c)
	if len(ts) != 3 {
		t.Fatalf("%d targets, want 3 (A in p, B in p, A in q; MB/s has no profile)", len(ts))
	}
	a, b, q := ts[0], ts[1], ts[2]
	if a.name != "A" || a.mem || len(a.rows) != 1 || a.secPerOp != 2e-6 {
		t.Errorf("A: %+v", a)
	}
	if b.name != "B" || !b.mem || len(b.rows) != 1 || b.rows[0].Unit != "allocs/op" || b.secPerOp != 4e-3 {
		t.Errorf("B: %+v", b)
	}
	if q.pkg != "q" || q.secPerOp != 0 || q.iterations(time.Second) != "" {
		t.Errorf("A in q: %+v", q)
	}
	// The same iterations on both sides, about a second on the slower.
	if got := a.iterations(time.Second); got != "500000x" {
		t.Errorf("A: %s, want 500000x", got)
	}
	if got := b.iterations(time.Second); got != "250x" {
		t.Errorf("B: %s, want 250x", got)
	}
	slow := &profileTarget{secPerOp: 30}
	if got := slow.iterations(time.Second); got != "1x" {
		t.Errorf("a benchmark slower than the budget: %s, want 1x", got)
	}
	b.warn("not profiled: because")
	if c.Rows[3].Profile == nil || c.Rows[3].Profile.Warning != "not profiled: because" || c.Rows[1].Profile != nil {
		t.Errorf("warn: %+v %+v", c.Rows[3].Profile, c.Rows[1].Profile)
	}
}

func TestProfileNeedsBothSides(t *testing.T) {
	for _, q := range []*Request{
		{Ref: Reference{BaseFile: "a.txt", HeadFile: "b.txt"}, Profile: &ProfileRequest{}},
		{Ref: Reference{Baseline: "main"}, Profile: &ProfileRequest{}},
	} {
		q.Stats = bench.DefaultOptions()
		if err := q.Validate(t.TempDir()); err == nil || !strings.Contains(err.Error(), "--profile") {
			t.Errorf("%+v: %v", q.Ref, err)
		}
	}
	for _, q := range []*Request{
		{Ref: Reference{BaseRef: "HEAD"}, Profile: &ProfileRequest{}},
		{Ref: Reference{Baseline: "main", RerunBase: true}, Profile: &ProfileRequest{}},
	} {
		q.Stats = bench.DefaultOptions()
		if err := q.Validate(t.TempDir()); err != nil {
			t.Errorf("%+v: %v", q.Ref, err)
		}
	}
}
