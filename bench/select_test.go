package bench

import (
	"slices"
	"testing"
)

func TestFirstLevel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Parse", "Parse"},
		{"Parse/small", "Parse"},
		{"Format/size=[0-9]/x", "Format"},
		{"(A|B/c)/d", "(A|B/c)"},
		{`A\/B/c`, `A\/B`},
		{"[/]x/y", "[/]x"},
		{"", ""},
	} {
		if got := firstLevel(c.in); got != c.want {
			t.Errorf("firstLevel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestForBench(t *testing.T) {
	pkgs := []Package{
		{ImportPath: "p", BenchNames: []string{"BenchmarkParse", "BenchmarkParseFast"}},
		{ImportPath: "f", BenchNames: []string{"BenchmarkFormat"}},
		{ImportPath: "u"}, // names unknown: may match anything
	}
	paths := func(ps []Package) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ImportPath)
		}
		return out
	}
	for _, c := range []struct {
		bench string
		want  []string
	}{
		{"", []string{"p", "f", "u"}},
		{".", []string{"p", "f", "u"}},
		{"Parse", []string{"p", "u"}},
		{"^BenchmarkFormat$", []string{"f", "u"}},
		{"Format/small", []string{"f", "u"}},
		{"Parse|Format", []string{"p", "f", "u"}},
		{"(", []string{"p", "f", "u"}}, // does not compile: anything may match
	} {
		if got := paths(ForBench(pkgs, c.bench)); !slices.Equal(got, c.want) {
			t.Errorf("ForBench(%q) = %v, want %v", c.bench, got, c.want)
		}
	}
	// None can match: all of them, so the run reports the pattern.
	known := pkgs[:2]
	if got := paths(ForBench(known, "Nope")); !slices.Equal(got, []string{"p", "f"}) {
		t.Errorf("ForBench(Nope) = %v, want all", got)
	}
}

func TestUnfinishedBenchmarks(t *testing.T) {
	out := "goos: linux\n" +
		"BenchmarkWorks-2    \t       1\t       150.0 ns/op\t       0 B/op\t       0 allocs/op\n" +
		"BenchmarkPanics-2   \t       1\t       0 B/op\t       0 allocs/op\n" +
		"BenchmarkSub/a=1-2  \t       1\t       0 B/op\n" +
		"BenchmarkSub/a=2-2  \t       1\t       0 B/op\n" +
		"BenchmarkName\n" +
		"PASS\n"
	if got, want := unfinishedBenchmarks(out), []string{"BenchmarkPanics", "BenchmarkSub"}; !slices.Equal(got, want) {
		t.Errorf("unfinishedBenchmarks = %v, want %v", got, want)
	}
	if got := unfinishedBenchmarks("BenchmarkX-8 10 5 ns/op\n"); got != nil {
		t.Errorf("a finished benchmark: %v", got)
	}
}
