package shard

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
)

// pairedRow is a row of an interleaved comparison: 8 rounds whose median
// change is delta percent, with the paired test's p.
func pairedRow(pkg, name string, delta, p float64) bench.Row {
	return bench.Row{Name: name, Label: name, Unit: "sec/op", Pkg: pkg, Method: bench.MethodPaired,
		Base: &bench.Summary{Center: 100, Low: 99, High: 101, N: 8}, Head: &bench.Summary{Center: 100 * (1 + delta/100), Low: 99, High: 130, N: 8},
		DeltaPct: delta, PValue: p, PairedP: p, PairedDeltaPct: delta, Pairs: 8, Threshold: 0.05, Better: -1,
		EquivalenceP: math.NaN(), PAdjusted: math.NaN()}
}

func shardOf(i, n int, rows ...bench.Row) Comparison {
	c := &bench.Comparison{Alpha: 0.05, Confidence: 0.95, Method: bench.MethodPaired, Rounds: 8, Rows: rows,
		Shard: &bench.ShardInfo{Index: i, Total: n, Plan: "0123456789abcdef", BaseCommit: "b", HeadCommit: "h",
			Environment: map[string]string{"goos": "linux", "cpu": "A"}}}
	c.Redecide(false) // as the shard decided it, with its own rows
	return Comparison{File: "s" + string(rune('0'+i)) + ".json", C: c}
}

// TestMergeCorrectsOverAllRows: a row that one shard found a regression
// among its own rows (p = 0.02, one row tested) is not significant among
// the five rows of the run (Holm: 5 × 0.02 > 0.05), as an unsharded run
// would have decided; a strong one stays a regression.
func TestMergeCorrectsOverAllRows(t *testing.T) {
	s1 := shardOf(1, 2, pairedRow("a", "Weak", 20, 0.02))
	if s1.C.Rows[0].Status != bench.StatusRegression {
		t.Fatalf("in its shard, the weak row is %s, want regression", s1.C.Rows[0].Status)
	}
	s2 := shardOf(2, 2, pairedRow("b", "X", 0, 0.9), pairedRow("b", "Y", 0, 0.9), pairedRow("b", "Z", 0, 0.9), pairedRow("c", "Strong", 50, 0.001))
	c, err := MergeComparisons([]Comparison{s2, s1})
	if err != nil {
		t.Fatal(err)
	}
	if c.Tested != 5 || len(c.Rows) != 5 {
		t.Fatalf("merged: %d rows, %d tested; want 5 and 5", len(c.Rows), c.Tested)
	}
	status := map[string]bench.Status{}
	for _, r := range c.Rows {
		status[r.Name] = r.Status
	}
	if status["Weak"] == bench.StatusRegression || status["Strong"] != bench.StatusRegression {
		t.Errorf("merged statuses %v: want Weak not a regression (Holm over 5 rows), Strong a regression", status)
	}
	if c.Shard == nil || c.Shard.Index != 0 || c.Shard.Total != 2 {
		t.Errorf("merged shard identity %+v, want index 0 of 2", c.Shard)
	}
	if c.Verdict() != bench.VerdictFail {
		t.Errorf("verdict %s, want fail", c.Verdict())
	}
}

func TestMergeRefuses(t *testing.T) {
	row := func(name string) bench.Row { return pairedRow("a", name, 0, 0.9) }
	for _, tt := range []struct {
		name string
		in   func() []Comparison
		want string
	}{
		{"missing", func() []Comparison { return []Comparison{shardOf(1, 3, row("A")), shardOf(3, 3, row("C"))} }, "shard 2 of 3 missing"},
		{"two missing", func() []Comparison { return []Comparison{shardOf(2, 3, row("A"))} }, "shards 1, 3 of 3 missing"},
		{"duplicated", func() []Comparison {
			return []Comparison{shardOf(1, 2, row("A")), shardOf(2, 2, row("B")), shardOf(2, 2, row("C"))}
		}, "shard 2/2 is given twice"},
		{"other N", func() []Comparison { return []Comparison{shardOf(1, 2, row("A")), shardOf(2, 3, row("B"))} }, "shards of different plans"},
		{"other plan", func() []Comparison {
			s := shardOf(2, 2, row("B"))
			s.C.Shard.Plan = "fedcba9876543210"
			return []Comparison{shardOf(1, 2, row("A")), s}
		}, "planned differently"},
		{"other head", func() []Comparison {
			s := shardOf(2, 2, row("B"))
			s.C.Shard.HeadCommit = "other"
			return []Comparison{shardOf(1, 2, row("A")), s}
		}, "measured commit other"},
		{"other base", func() []Comparison {
			s := shardOf(2, 2, row("B"))
			s.C.Shard.BaseCommit = "other"
			return []Comparison{shardOf(1, 2, row("A")), s}
		}, "against base other"},
		{"other goos", func() []Comparison {
			s := shardOf(2, 2, row("B"))
			s.C.Shard.Environment = map[string]string{"goos": "darwin"}
			return []Comparison{shardOf(1, 2, row("A")), s}
		}, "different environments"},
		{"other alpha", func() []Comparison {
			s := shardOf(2, 2, row("B"))
			s.C.Alpha = 0.01
			return []Comparison{shardOf(1, 2, row("A")), s}
		}, "ran with alpha"},
		{"overlap", func() []Comparison { return []Comparison{shardOf(1, 2, row("A")), shardOf(2, 2, row("A"))} }, "the shards overlap"},
		{"not a shard", func() []Comparison {
			s := shardOf(1, 1, row("A"))
			s.C.Shard = nil
			return []Comparison{s}
		}, "has no shard identity"},
		{"merged", func() []Comparison {
			s := shardOf(1, 1, row("A"))
			s.C.Shard.Index = 0
			return []Comparison{s}
		}, "merged comparison already"},
	} {
		_, err := MergeComparisons(tt.in())
		var ue *usererr.Error
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) || ue.Hint == "" && ue.File == "" {
			t.Errorf("%s: %v, want a user error with a hint saying %q", tt.name, err, tt.want)
		}
	}
}

// TestMergeCPUWarns: shards on different CPUs merge (each compared its
// pairs on one machine), with a warning.
func TestMergeCPUWarns(t *testing.T) {
	s2 := shardOf(2, 2, pairedRow("b", "B", 0, 0.9))
	s2.C.Shard.Environment = map[string]string{"goos": "linux", "cpu": "B"}
	c, err := MergeComparisons([]Comparison{shardOf(1, 2, pairedRow("a", "A", 0, 0.9)), s2})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "different CPUs") {
		t.Errorf("warnings %q, want one about the CPUs", c.Warnings)
	}
}

func resultFile(shard, plan, cpu, name string) File {
	return File{Name: "b" + shard[:1] + ".txt", Text: []byte("commit: abc\ndirty: false\ngoos: linux\ncpu: " + cpu + "\nrecorded-at: 2026-11-" + shard[:1] + "\nshard: " + shard + "\nshard-plan: " + plan +
		"\npkg: example.com/m\nBenchmark" + name + "-2 \t 100\t 10 ns/op\n")}
}

func TestMergeResults(t *testing.T) {
	out, err := MergeResults([]File{resultFile("2/2", "p", "A", "Y"), resultFile("1/2", "p", "A", "X")})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if strings.Contains(text, "shard: ") || strings.Count(text, "recorded-at: 2026-11-1") != 2 || strings.Index(text, "BenchmarkX") > strings.Index(text, "BenchmarkY") {
		t.Errorf("merged:\n%s\nwant no shard lines, the first shard's recorded-at twice, shard 1 first", text)
	}
	set, err := bench.Read(strings.NewReader(text), "merged")
	if err != nil || set.Len() != 2 || set.ConfigValue("shard-plan") != "p" {
		t.Errorf("merged file: %v benchmarks, plan %q, %v", set.Len(), set.ConfigValue("shard-plan"), err)
	}
	for _, tt := range []struct {
		in   []File
		want string
	}{
		{[]File{resultFile("1/2", "p", "A", "X")}, "shard 2 of 2 missing"},
		{[]File{resultFile("1/2", "p", "A", "X"), resultFile("1/2", "p", "A", "Y")}, "given twice"},
		{[]File{resultFile("1/2", "p", "A", "X"), resultFile("2/2", "q", "A", "Y")}, "planned differently"},
		{[]File{resultFile("1/2", "p", "A", "X"), resultFile("2/2", "p", "B", "Y")}, "different environments"},
		{[]File{{Name: "x.txt", Text: []byte("BenchmarkX 1 2 ns/op\n")}}, "has no shard line"},
		{[]File{resultFile("1/0", "p", "A", "X")}, "bad shard line"},
	} {
		if _, err := MergeResults(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v, want an error saying %q", err, tt.want)
		}
	}
}

// FuzzMergeResults: any two files either merge or are refused with an
// error; a merge has no shard lines.
func FuzzMergeResults(f *testing.F) {
	a, b := resultFile("1/2", "p", "A", "X"), resultFile("2/2", "p", "A", "Y")
	f.Add(a.Text, b.Text)
	f.Add([]byte("shard: 1/2\n"), []byte("shard: 2/2\nBenchmarkX 1 1 ns/op\n"))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		out, err := MergeResults([]File{{Name: "x", Text: x}, {Name: "y", Text: y}})
		if err != nil {
			return
		}
		for line := range strings.Lines(string(out)) {
			if strings.HasPrefix(line, "shard:") {
				t.Fatalf("merged output keeps %q", line)
			}
		}
	})
}
