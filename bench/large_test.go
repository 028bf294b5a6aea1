package bench_test

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/perfctl/perfctl/bench"
)

// The large input: 1,000 benchmarks × 3 units (sec/op, B/op, allocs/op) ×
// 10 samples per side, as `go test -bench . -benchmem -count 10` prints them.
const (
	largeBenchmarks = 1000
	largeSubs       = 10 // sub-benchmarks per top-level benchmark
	largeSamples    = 10
	largeUnits      = 3
)

// largeOut, when set, makes TestLargeGeneratorShape write the generated
// input to DIR/base.txt and DIR/head.txt, to time other tools on it:
//
//	go test -run TestLargeGeneratorShape ./bench -args -perfctl.large-out=/tmp
var largeOut = flag.String("perfctl.large-out", "", "write the large generated input to `DIR`/base.txt and DIR/head.txt")

// largeInput generates the input once per test binary.
var largeInput = sync.OnceValues(func() ([]byte, []byte) { return generateLarge(1, 2) })

// generateLarge writes deterministic benchfmt text for both sides. Head
// differs from base for some benchmarks: every 10th is 10% slower, every
// 15th 8% faster, every 40th allocates 64 more bytes and every 50th one more
// object; the rest only differ by noise.
func generateLarge(seed1, seed2 uint64) (base, head []byte) {
	rng := rand.New(rand.NewPCG(seed1, seed2))
	var bb, hb bytes.Buffer
	for _, w := range []*bytes.Buffer{&bb, &hb} {
		w.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/large\ncpu: AMD EPYC 7B13\n")
	}
	bb.WriteString("commit: 1111111111111111111111111111111111111111\n")
	hb.WriteString("commit: 2222222222222222222222222222222222222222\n")
	for i := range largeBenchmarks {
		name := fmt.Sprintf("BenchmarkOp%03d/sub=%d-8", i/largeSubs, i%largeSubs)
		ns := math.Exp(rng.Float64()*math.Log(1e6/20)) * 20 // 20ns … 1ms, log-uniform
		bop := int64(rng.IntN(64)) * 16
		allocs := bop / 48
		headNs, headBop, headAllocs := ns, bop, allocs
		switch {
		case i%10 == 0:
			headNs *= 1.10
		case i%15 == 0:
			headNs *= 0.92
		}
		if i%40 == 0 {
			headBop += 64
		}
		if i%50 == 0 {
			headAllocs++
		}
		writeSamples(&bb, rng, name, ns, bop, allocs)
		writeSamples(&hb, rng, name, headNs, headBop, headAllocs)
	}
	bb.WriteString("PASS\nok  \texample.com/large\t123.456s\n")
	hb.WriteString("PASS\nok  \texample.com/large\t123.789s\n")
	return bb.Bytes(), hb.Bytes()
}

// writeSamples writes largeSamples result lines of one benchmark with 2%
// noise on ns/op, formatted like the testing package does.
func writeSamples(w *bytes.Buffer, rng *rand.Rand, name string, ns float64, bop, allocs int64) {
	for range largeSamples {
		v := ns * (1 + 0.02*rng.NormFloat64())
		iters := max(1, int64(1e9/v))
		fmt.Fprintf(w, "%-32s\t%10d\t%s ns/op\t%8d B/op\t%8d allocs/op\n", name, iters, formatNs(v), bop, allocs)
	}
}

// formatNs formats like testing.BenchmarkResult: more decimals for small
// values.
func formatNs(v float64) string {
	var prec, width int
	switch {
	case v >= 999.95:
		prec, width = 0, 10
	case v >= 99.995:
		prec, width = 1, 12
	case v >= 9.9995:
		prec, width = 2, 13
	default:
		prec, width = 3, 14
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	return fmt.Sprintf("%*s", width, s)
}

func readLarge(tb testing.TB, base, head []byte) (*bench.ResultSet, *bench.ResultSet) {
	b, err := bench.Read(bytes.NewReader(base), "base.txt")
	if err != nil {
		tb.Fatal(err)
	}
	h, err := bench.Read(bytes.NewReader(head), "head.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return b, h
}

func TestLargeGeneratorShape(t *testing.T) {
	base, head := largeInput()
	if b2, h2 := generateLarge(1, 2); !bytes.Equal(base, b2) || !bytes.Equal(head, h2) {
		t.Fatal("generateLarge is not deterministic")
	}
	if *largeOut != "" {
		for name, data := range map[string][]byte{"base.txt": base, "head.txt": head} {
			if err := os.WriteFile(filepath.Join(*largeOut, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %s/base.txt (%d bytes) and head.txt (%d bytes)", *largeOut, len(base), len(head))
	}

	b, h := readLarge(t, base, head)
	if b.Len() != largeBenchmarks || h.Len() != largeBenchmarks {
		t.Fatalf("parsed %d base and %d head benchmarks, want %d each", b.Len(), h.Len(), largeBenchmarks)
	}
	for _, set := range []*bench.ResultSet{b, h} {
		for _, unit := range []string{"sec/op", "B/op", "allocs/op"} {
			if n := len(set.Samples("example.com/large", "Op000/sub=0-8", unit)); n != largeSamples {
				t.Errorf("%s: %d samples of Op000/sub=0-8 in %s, want %d", set.Source, n, unit, largeSamples)
			}
		}
	}
	c, err := bench.Compare(b, h, bench.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != largeBenchmarks*largeUnits {
		t.Fatalf("Compare gave %d rows, want %d", len(c.Rows), largeBenchmarks*largeUnits)
	}
	for i := range c.Rows {
		if r := &c.Rows[i]; r.Base == nil || r.Head == nil || r.Base.N != largeSamples || r.Head.N != largeSamples {
			t.Fatalf("row %s %s is not on both sides with %d samples each", r.Unit, r.Name, largeSamples)
		}
	}
	if len(c.Geomeans) != largeUnits {
		t.Errorf("%d geomeans, want %d", len(c.Geomeans), largeUnits)
	}
	// The changes planted in head must be found: 10% slower every 10th
	// benchmark is far beyond 2% noise with 10 samples.
	if n := c.Count(bench.StatusRegression); n < largeBenchmarks/10 {
		t.Errorf("%d regressions, want at least %d", n, largeBenchmarks/10)
	}
	if n := c.Count(bench.StatusImprovement); n == 0 {
		t.Error("no improvement found")
	}
	t.Logf("%d bytes base, %d bytes head; %d regressions, %d improvements, %d unchanged",
		len(base), len(head), c.Count(bench.StatusRegression), c.Count(bench.StatusImprovement), c.Count(bench.StatusUnchanged))
}

// BenchmarkCompareLarge measures what `perfctl compare` does in-process:
// parse both files and compare them.
func BenchmarkCompareLarge(b *testing.B) {
	base, head := largeInput()
	b.ReportAllocs()
	b.SetBytes(int64(len(base) + len(head)))
	rows := 0
	for b.Loop() {
		bs, hs := readLarge(b, base, head)
		c, err := bench.Compare(bs, hs, bench.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(c.Rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

// BenchmarkReadLarge measures parsing both files only.
func BenchmarkReadLarge(b *testing.B) {
	base, head := largeInput()
	b.ReportAllocs()
	b.SetBytes(int64(len(base) + len(head)))
	for b.Loop() {
		readLarge(b, base, head)
	}
}

// BenchmarkCompareOnlyLarge measures Compare on already parsed sets.
func BenchmarkCompareOnlyLarge(b *testing.B) {
	base, head := largeInput()
	bs, hs := readLarge(b, base, head)
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		c, err := bench.Compare(bs, hs, bench.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(c.Rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}
