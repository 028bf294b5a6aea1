package bench_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
)

// TestZeroIsTidied: benchfmt tidies a value only when tidying changes it,
// so 0 ns/op kept its unit beside 500 ns/op in sec/op, and the benchmark
// became two rows, removed and added, that passed the gate.
func TestZeroIsTidied(t *testing.T) {
	base, err := bench.Read(strings.NewReader(strings.Repeat("BenchmarkX-8 1000 0 ns/op 0 MB/s\n", 6)), "base.txt")
	if err != nil {
		t.Fatal(err)
	}
	head, err := bench.Read(strings.NewReader(strings.Repeat("BenchmarkX-8 1000 500 ns/op 5 MB/s\n", 6)), "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := base.Samples("", "X-8", "sec/op"); len(got) != 6 || got[0] != 0 {
		t.Errorf("base sec/op samples %v", got)
	}
	if got := base.Samples("", "X-8", "ns/op"); got != nil {
		t.Errorf("base still has ns/op samples %v", got)
	}
	c, err := bench.Compare(base, head, bench.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != 2 {
		t.Fatalf("%d rows, want 2 (sec/op and B/s): %+v", len(c.Rows), c.Rows)
	}
	for _, r := range c.Rows {
		if r.Base == nil || r.Head == nil {
			t.Errorf("%s %s: a side is missing", r.Name, r.Unit)
		}
	}
	if c.Rows[0].Unit != "sec/op" || c.Rows[0].Status != bench.StatusRegression {
		t.Errorf("0 → 500 ns/op: %s %s", c.Rows[0].Unit, c.Rows[0].Status)
	}
	if !c.Failed() {
		t.Error("the gate passed")
	}
}

// TestLongLines: go test output may hold a line of any length (a b.Log of
// a large value); benchfmt's scanner refused the whole file at "line 0".
func TestLongLines(t *testing.T) {
	long := "    x_test.go:12: " + strings.Repeat("log ", 40<<10) + "\n" // 160 KiB
	in := "goos: linux\nBenchmarkA-8 10 100 ns/op\n" + long + "BenchmarkA-8 10 110 ns/op\n" + long + long + "BenchmarkA-8 10 105 ns/op\nPASS\n"
	set, err := bench.Read(strings.NewReader(in), "long.txt")
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := set.Samples("", "A-8", "sec/op"); len(got) != 3 {
		t.Errorf("samples %v, want 3", got)
	}
	// Line numbers still count the long lines.
	_, err = bench.Read(strings.NewReader(in+"BenchmarkA-8 ten 1 ns/op\n"), "long.txt")
	var ie *usererr.Error
	if !errors.As(err, &ie) || ie.Line != 9 {
		t.Errorf("malformed line 9: %v", err)
	}
	// A result line that long is refused, with its line.
	_, err = bench.Read(strings.NewReader("BenchmarkA-8 10 100 ns/op\nBenchmarkB-8 10 1 ns/op"+strings.Repeat(" 1 x/op", 10<<10)+"\n"), "long.txt")
	if !errors.As(err, &ie) || ie.Line != 2 || !strings.Contains(ie.Msg, "longer than 32 KiB") {
		t.Errorf("a long result line: %v", err)
	}
	// No trailing newline.
	if set, err := bench.Read(strings.NewReader("BenchmarkA-8 10 100 ns/op"), "x"); err != nil || set.Len() != 1 {
		t.Errorf("no final newline: %v", err)
	}
}
