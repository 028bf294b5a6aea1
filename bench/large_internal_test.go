package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The decision code on large input. These live beside large_test.go, in
// package bench, because what they measure is not exported.

// BenchmarkEquivalenceP measures the equivalence test of one row of 100
// interleaved rounds: two exact signed-rank tails over 2^100 sign
// assignments, counted by dynamic programming.
func BenchmarkEquivalenceP(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	base, head := make([]float64, 100), make([]float64, 100)
	for i := range base {
		base[i] = 1000 * (1 + 0.05*rng.NormFloat64())
		head[i] = base[i] * (1 + 0.01*rng.NormFloat64())
	}
	b.ReportAllocs()
	p := 0.0
	for b.Loop() {
		p = equivalenceP(base, head, 0.05)
	}
	if !(p < 0.05) {
		b.Fatalf("rounds within ±1%% (sd) of each other: p = %v, want equivalence at 5%%", p)
	}
}

// BenchmarkCorrectHolm measures Holm's correction of 2,000 rows.
func BenchmarkCorrectHolm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]Row, 2000)
	for i := range rows {
		rows[i] = Row{Base: &Summary{}, Head: &Summary{}, Method: MethodUnpaired, PValue: math.Pow(rng.Float64(), 4)}
	}
	opts := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if n := correct(rows, &opts); n != len(rows) {
			b.Fatalf("tested %d rows, want %d", n, len(rows))
		}
	}
}

// BenchmarkSettleUnsettled measures the settle rule after 10 rounds of 500
// benchmarks (50 top-level ones with 10 sub-benchmarks each) in sec/op,
// B/op and allocs/op, as RunAB applies it after every round.
func BenchmarkSettleUnsettled(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var base, head strings.Builder
	for _, w := range []*strings.Builder{&base, &head} {
		w.WriteString("pkg: example.com/large\n")
	}
	for i := range 500 {
		name := fmt.Sprintf("BenchmarkOp%02d/sub=%d-8", i/10, i%10)
		ns := 20 + 1e5*rng.Float64()
		slower := 1.0
		if i%50 == 0 {
			slower = 1.10 // one sub-benchmark in every fifth top-level one
		}
		for range 10 {
			round := ns * (1 + 0.05*rng.NormFloat64())
			fmt.Fprintf(&base, "%s\t1000\t%.1f ns/op\t64 B/op\t2 allocs/op\n", name, round)
			fmt.Fprintf(&head, "%s\t1000\t%.1f ns/op\t64 B/op\t2 allocs/op\n", name, round*slower*(1+0.005*rng.NormFloat64()))
		}
	}
	bs, err := Read(strings.NewReader(base.String()), "base")
	if err != nil {
		b.Fatal(err)
	}
	hs, err := Read(strings.NewReader(head.String()), "head")
	if err != nil {
		b.Fatal(err)
	}
	rule := &settleRule{Alpha: 0.05, Thresholds: DefaultThresholds(), MinRounds: 6}
	b.ReportAllocs()
	var left map[string]map[string]bool
	for b.Loop() {
		left = rule.unsettled(bs, hs)
	}
	if n := len(left["example.com/large"]); n != 10 {
		b.Fatalf("%d top-level benchmarks unsettled, want the 10 with a slower sub-benchmark", n)
	}
}
