package bench

import (
	"slices"
	"strings"
	"testing"
)

// TestNarrow: a shard's part of a split package runs exactly its
// benchmarks that the -bench pattern selects, keeping the pattern's lower
// levels.
func TestNarrow(t *testing.T) {
	p := &Package{ImportPath: "example.com/m", BenchNames: []string{"BenchmarkA", "BenchmarkB", "BenchmarkC"}}
	part := map[string]bool{"BenchmarkA": true, "BenchmarkC": true}
	for _, tt := range []struct{ pattern, want string }{
		{".", "^(BenchmarkA|BenchmarkC)$"},
		{"A$|B$", "^(BenchmarkA)$"},                   // one level with an alternation: the names replace it
		{".*/n=10", "^(BenchmarkA|BenchmarkC)$/n=10"}, // lower levels kept
		{"B$", "^$"}, // nothing of this part matches
	} {
		if got := narrow(tt.pattern, p, part); got != tt.want {
			t.Errorf("narrow(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	if CanNarrow("A|B/x") || !CanNarrow("A|B") || !CanNarrow("A/x") {
		t.Error("CanNarrow: want false only for a top-level alternation with levels below")
	}
}

func TestSelectionRunsAndOnly(t *testing.T) {
	sel := &Selection{Shard: "1/2", Plan: "p", Pick: func(p *Package) ([]string, bool) {
		switch p.ImportPath {
		case "whole":
			return nil, true
		case "split":
			return slices.DeleteFunc(slices.Clone(p.BenchNames), func(n string) bool { return n != "BenchmarkMine" }), slices.Contains(p.BenchNames, "BenchmarkMine")
		}
		return nil, false
	}}
	for _, tt := range []struct {
		pkg, name string
		want      bool
	}{
		{"whole", "X/n=1-4", true},
		{"split", "Mine/sub", true},
		{"split", "Theirs", false},
		{"other", "X", false},
	} {
		if got := sel.Runs(tt.pkg, tt.name); got != tt.want {
			t.Errorf("Runs(%s, %s) = %v, want %v", tt.pkg, tt.name, got, tt.want)
		}
	}
	text := "pkg: whole\nBenchmarkX-4 1 1 ns/op\npkg: split\nBenchmarkMine-4 1 1 ns/op\nBenchmarkTheirs-4 1 1 ns/op\npkg: other\nBenchmarkX-4 1 1 ns/op\n"
	set, err := Read(strings.NewReader(text), "b.txt")
	if err != nil {
		t.Fatal(err)
	}
	only := set.Only(sel.Runs)
	if only.Len() != 2 || set.Len() != 4 || only.Samples("split", "Mine-4", "sec/op") == nil || only.Samples("other", "X-4", "sec/op") != nil {
		t.Errorf("Only kept %d of %d: %v", only.Len(), set.Len(), only.Names())
	}
}
