package bench

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ratioRounds returns base and head of len(ratios) rounds: the machine
// drifts from round to round (base 1000, 1010, …) and head is base times
// the round's ratio.
func ratioRounds(ratios ...float64) (base, head []float64) {
	for i, r := range ratios {
		b := 1000 + 10*float64(i)
		base, head = append(base, b), append(head, b*r)
	}
	return base, head
}

func TestEquivalenceP(t *testing.T) {
	// Expected values are counted by hand over the 2^n sign assignments of
	// the signed-rank statistic W+; see each case.
	within1 := []float64{1.01, 0.99, 1.005, 0.995, 1, 1.002, 0.998, 1.008, 0.992, 1.001}
	tests := []struct {
		name      string
		ratios    []float64
		threshold float64
		want      float64
		flat      bool // a constant base: equal ratios give exactly equal log ratios
	}{
		// Every log ratio lies below +log(1.05) and above -log(1.05):
		// W+ = 0 in the first test and W+ = max in the second, each with
		// probability 1/2^10.
		{"10 rounds within ±1% at 5%", within1, 0.05, 1.0 / 1024, false},
		{"5 rounds within ±1% at 5%", within1[:5], 0.05, 1.0 / 32, false},
		// A steady 4% either way is inside 5%: as above.
		{"steady 4% slower at 5%", slices.Repeat([]float64{1.04}, 10), 0.05, 1.0 / 1024, false},
		{"steady 4% faster at 5%", slices.Repeat([]float64{1 / 1.04}, 10), 0.05, 1.0 / 1024, false},
		// A steady 10% is outside: every log ratio is above +log(1.05), so
		// W+ takes its largest value and P(W+ <= max) = 1.
		{"steady 10% slower at 5%", slices.Repeat([]float64{1.10}, 10), 0.05, 1, false},
		{"steady 10% faster at 5%", slices.Repeat([]float64{1 / 1.10}, 10), 0.05, 1, false},
		// The threshold is a ratio, 1.05, not a log ratio of 0.05: a
		// steady 5.02% (log ratio 0.0490, between log(1.05) = 0.0488 and
		// 0.05) is outside, either way.
		{"steady 5.02% slower at 5%", slices.Repeat([]float64{1.0502}, 10), 0.05, 1, false},
		{"steady 5.02% faster at 5%", slices.Repeat([]float64{1 / 1.0502}, 10), 0.05, 1, false},
		{"steady 4.98% slower at 5%", slices.Repeat([]float64{1.0498}, 10), 0.05, 1.0 / 1024, false},
		// 10% against a 20% threshold is inside again.
		{"steady 10% slower at 20%", slices.Repeat([]float64{1.10}, 10), 0.20, 1.0 / 1024, false},
		// Rounds of ±20%: against +log(1.05) the five +20% rounds are the
		// five smallest magnitudes (doubled ranks 6 each; the -20% rounds
		// get 16 each), so 2·W+ = 30, and P(2·W+ <= 30) counts the sign
		// assignments with no large rank and any small ones (2^5 = 32)
		// plus one large rank and at most two small ones (5·(1+5+10) =
		// 80): 112/1024. The test against -log(1.05) is the mirror image.
		// The count assumes the ties: flat.
		{"alternating ±20% at 5%", []float64{1.2, 0.8, 1.2, 0.8, 1.2, 0.8, 1.2, 0.8, 1.2, 0.8}, 0.05, 112.0 / 1024, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, head := ratioRounds(tt.ratios...)
			if tt.flat {
				for i := range base {
					base[i], head[i] = 100, 100*tt.ratios[i]
				}
			}
			if got := equivalenceP(base, head, tt.threshold); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("equivalenceP = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEquivalencePRefusesWhatItCannotTest(t *testing.T) {
	ok := []float64{100, 101, 99, 100, 100, 101}
	tests := []struct {
		name       string
		base, head []float64
		threshold  float64
	}{
		{"no threshold", ok, ok, 0},
		{"negative threshold", ok, ok, -0.05},
		{"unequal lengths", ok, ok[:5], 0.05},
		{"no rounds", nil, nil, 0.05},
		{"a zero in base", []float64{100, 0, 99, 100, 100, 101}, ok, 0.05},
		{"a zero in head", ok, []float64{100, 101, 99, 100, 0, 101}, 0.05},
		{"a negative value", ok, []float64{100, 101, -99, 100, 100, 101}, 0.05},
		{"NaN in base", []float64{100, math.NaN(), 99, 100, 100, 101}, ok, 0.05},
		{"NaN in head", ok, []float64{100, 101, 99, 100, math.NaN(), 101}, 0.05},
		{"infinite on both sides", []float64{100, math.Inf(1), 99, 100, 100, 101}, []float64{100, math.Inf(1), 99, 100, 100, 101}, 0.05},
		{"infinite in head", ok, []float64{100, math.Inf(1), 99, 100, 100, 101}, 0.05},
	}
	for _, tt := range tests {
		// Each of these would be equivalent (p = 1/64) if it could be
		// tested at all: 1 says it was not.
		if got := equivalenceP(tt.base, tt.head, tt.threshold); got != 1 {
			t.Errorf("%s: equivalenceP = %v, want 1", tt.name, got)
		}
	}
	if got := equivalenceP(ok, ok, 0.05); got != 1.0/64 {
		t.Errorf("the valid control: equivalenceP = %v, want 1/64", got)
	}
}

func TestEquivalencePProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	for trial := range 200 {
		n := 1 + rng.IntN(30)
		shift := 0.1 * rng.NormFloat64()
		noise := 0.1 * rng.Float64()
		base, head := make([]float64, n), make([]float64, n)
		for i := range n {
			base[i] = 100 * (1 + noise*rng.NormFloat64()/4)
			head[i] = base[i] * math.Exp(shift+noise*rng.NormFloat64())
		}
		// Swapping the sides mirrors every log ratio, and the two
		// one-sided tests trade places: the same p, exactly.
		p := equivalenceP(base, head, 0.05)
		if q := equivalenceP(head, base, 0.05); p != q {
			t.Fatalf("trial %d: equivalenceP(base, head) = %v but (head, base) = %v", trial, p, q)
		}
		if p <= 0 || p > 1 {
			t.Fatalf("trial %d: p = %v is not a probability", trial, p)
		}
		// A wider threshold is easier to be inside: W+ of the shifted log
		// ratios counts the Walsh averages above the shift, which cannot
		// grow as the shift does.
		prev := 1.0
		for _, thr := range []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5} {
			q := equivalenceP(base, head, thr)
			if q > prev+1e-12 {
				t.Fatalf("trial %d: p = %v at threshold %v, more than %v at a narrower one", trial, q, thr, prev)
			}
			prev = q
		}
		// The smallest p n rounds can give is 1/2^n.
		if floor := math.Pow(2, -float64(n)); p < floor-1e-15 {
			t.Fatalf("trial %d: p = %v below 1/2^%d", trial, p, n)
		}
	}
}

func TestRowThreshold(t *testing.T) {
	custom := Thresholds{Default: 0.03, ByUnit: map[string]float64{ExactUnit: 0.02, "B/op": 0.1}}
	tests := []struct {
		thr   Thresholds
		unit  string
		exact bool
		want  float64
	}{
		{DefaultThresholds(), "sec/op", false, 0.05},
		{DefaultThresholds(), "B/op", true, 0.05},
		{DefaultThresholds(), ExactUnit, true, 0},                       // exact counts: any change counts
		{DefaultThresholds(), ExactUnit, false, VaryingAllocsTolerance}, // varying counts get the tolerance
		{custom, ExactUnit, false, 0.02},                                // a larger threshold is kept
		{Thresholds{ByUnit: map[string]float64{ExactUnit: 0.001}}, ExactUnit, false, VaryingAllocsTolerance},
		{custom, "B/op", false, 0.1},                 // only allocs/op is raised
		{Thresholds{Default: 0}, "sec/op", false, 0}, // not raised for other units
		{custom, "sec/op", false, 0.03},
	}
	for _, tt := range tests {
		if got := rowThreshold(tt.thr, tt.unit, tt.exact); got != tt.want {
			t.Errorf("rowThreshold(%+v, %s, exact=%v) = %v, want %v", tt.thr, tt.unit, tt.exact, got, tt.want)
		}
	}
}

func TestTopLevel(t *testing.T) {
	tests := map[string]string{
		"Parse":             "Parse",
		"Parse-8":           "Parse",
		"Parse/small":       "Parse",
		"Parse/small-8":     "Parse",
		"Parse/n=10/deep-4": "Parse",
		"Parse/x-y":         "Parse",
		"Parse-fast":        "Parse-fast", // not a -GOMAXPROCS suffix
	}
	for in, want := range tests {
		if got := topLevel(in); got != want {
			t.Errorf("topLevel(%q) = %q, want %q", in, got, want)
		}
	}
}

// benchRounds are one benchmark's values, one per round.
type benchRounds struct {
	name   string // without "Benchmark" and -8
	ns     []float64
	allocs []float64
}

// roundsText writes benchfmt text of package pkg: every benchmark of rows,
// one line per round with its sec/op and allocs/op values.
func roundsText(pkg string, rows ...benchRounds) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pkg: %s\n", pkg)
	for _, r := range rows {
		for i, v := range r.ns {
			fmt.Fprintf(&b, "Benchmark%s-8\t1000\t%v ns/op\t%v allocs/op\n", r.name, v, r.allocs[i])
		}
	}
	return b.String()
}

func TestSettleRuleUnsettled(t *testing.T) {
	rule := &settleRule{Alpha: 0.05, Thresholds: DefaultThresholds(), MinRounds: 6}
	three := slices.Repeat([]float64{3}, 10)
	steady, _ := ratioRounds(slices.Repeat([]float64{1}, 10)...)
	_, within1 := ratioRounds(1.01, 0.99, 1.005, 0.995, 1, 1.002, 0.998, 1.008, 0.992, 1.001)
	_, noisy := ratioRounds(1.2, 0.8, 1.2, 0.8, 1.2, 0.8, 1.2, 0.8, 1.2, 0.8)
	_, slower := ratioRounds(slices.Repeat([]float64{1.10}, 10)...)

	base := mustRead(t, "base", roundsText("example.com/p",
		benchRounds{"Parse/small", steady, three},
		benchRounds{"Parse/large", steady, three},
		benchRounds{"Encode", steady, slices.Repeat([]float64{5}, 10)},
		benchRounds{"Decode", steady, three},
		benchRounds{"Removed", steady, three},
	))
	head := mustRead(t, "head", roundsText("example.com/p",
		// Settled: time within ±1%, allocations the same every round.
		benchRounds{"Parse/small", within1, three},
		// Not settled: ±20% rounds show no equivalence at 5%. One
		// sub-benchmark keeps its whole top-level benchmark running.
		benchRounds{"Parse/large", noisy, three},
		// Settled: one more allocation in every round is decided
		// exactly; time is equivalent.
		benchRounds{"Encode", within1, slices.Repeat([]float64{6}, 10)},
		// Not settled: a steady 10% is never shown inside 5%.
		benchRounds{"Decode", slower, three},
		// Only in head: nothing to decide.
		benchRounds{"Added", steady, three},
	))
	want := map[string]map[string]bool{"example.com/p": {"BenchmarkParse": true, "BenchmarkDecode": true}}
	if got := rule.unsettled(base, head); !mapsEqual(got, want) {
		t.Errorf("after 10 rounds: unsettled = %v, want %v", got, want)
	}

	// Before MinRounds nothing with a row on both sides is settled, not
	// even the exact and equivalent ones.
	cut := func(s string) string {
		var keep []string
		seen := map[string]int{}
		for _, line := range strings.Split(s, "\n") {
			name, _, _ := strings.Cut(line, "\t")
			if seen[name]++; seen[name] <= 5 || !strings.HasPrefix(name, "Benchmark") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	early := rule.unsettled(mustRead(t, "base", cut(roundsText("example.com/p",
		benchRounds{"Parse/small", steady, three}, benchRounds{"Encode", steady, three}, benchRounds{"Removed", steady, three}))),
		mustRead(t, "head", cut(roundsText("example.com/p",
			benchRounds{"Parse/small", within1, three}, benchRounds{"Encode", within1, three}))))
	want = map[string]map[string]bool{"example.com/p": {"BenchmarkParse": true, "BenchmarkEncode": true}}
	if !mapsEqual(early, want) {
		t.Errorf("after 5 of MinRounds 6 rounds: unsettled = %v, want %v", early, want)
	}
}

func TestSettleRuleVaryingAllocs(t *testing.T) {
	// Allocation counts that vary within a side are judged like time, at
	// VaryingAllocsTolerance at least: with allocs/op's threshold of 0
	// they could never be shown equivalent.
	rule := &settleRule{Alpha: 0.05, Thresholds: DefaultThresholds(), MinRounds: 6}
	ns, nsHead := ratioRounds(slices.Repeat([]float64{1}, 10)...)
	varying := []float64{1000, 1001, 1000, 1001, 1000, 1001, 1000, 1001, 1000, 1001}
	base := mustRead(t, "base", roundsText("example.com/p", benchRounds{"Map", ns, varying}))
	head := mustRead(t, "head", roundsText("example.com/p", benchRounds{"Map", nsHead, varying}))
	if got := rule.unsettled(base, head); len(got) != 0 {
		t.Errorf("allocations varying by 0.1%% alike on both sides: unsettled = %v, want none", got)
	}
	// 2% more allocations in every round is beyond the 1% tolerance.
	head = mustRead(t, "head", roundsText("example.com/p", benchRounds{"Map", nsHead, scale(varying, 1.02)}))
	want := map[string]map[string]bool{"example.com/p": {"BenchmarkMap": true}}
	if got := rule.unsettled(base, head); !mapsEqual(got, want) {
		t.Errorf("2%% more varying allocations: unsettled = %v, want %v", got, want)
	}
}

func TestSettleRuleByPackage(t *testing.T) {
	// The same name in two packages: only the package whose benchmark is
	// not settled keeps running it.
	rule := &settleRule{Alpha: 0.05, Thresholds: DefaultThresholds(), MinRounds: 6}
	three := slices.Repeat([]float64{3}, 10)
	ns, same := ratioRounds(slices.Repeat([]float64{1}, 10)...)
	_, slower := ratioRounds(slices.Repeat([]float64{1.5}, 10)...)
	base := mustRead(t, "base", roundsText("example.com/a", benchRounds{"Parse", ns, three})+
		roundsText("example.com/b", benchRounds{"Parse", ns, three}))
	head := mustRead(t, "head", roundsText("example.com/a", benchRounds{"Parse", same, three})+
		roundsText("example.com/b", benchRounds{"Parse", slower, three}))
	want := map[string]map[string]bool{"example.com/b": {"BenchmarkParse": true}}
	if got := rule.unsettled(base, head); !mapsEqual(got, want) {
		t.Errorf("unsettled = %v, want %v", got, want)
	}
}

func TestSettleRuleSettled(t *testing.T) {
	rule := &settleRule{Alpha: 0.05, Thresholds: DefaultThresholds(), MinRounds: 3}
	base, head := ratioRounds(1.01, 0.99, 1.005, 0.995, 1, 1.002, 0.998, 1.008, 0.992, 1.001)
	tests := []struct {
		name string
		g    group
		want bool
	}{
		{"equivalent time", group{unit: "sec/op", base: base, head: head}, true},
		{"one more round on a side", group{unit: "sec/op", base: base, head: head[:9]}, false},
		{"fewer rounds than MinRounds", group{unit: "sec/op", base: base[:2], head: head[:2]}, false},
		// Three rounds can give p = 1/8 at best: not below 0.05.
		{"MinRounds but too few to show it", group{unit: "sec/op", base: base[:3], head: head[:3]}, false},
		{"constant allocations, changed", group{unit: ExactUnit, base: []float64{2, 2, 2}, head: []float64{3, 3, 3}}, true},
		{"constant bytes, changed", group{unit: "B/op", base: []float64{64, 64, 64}, head: []float64{80, 80, 80}}, true},
		// Bytes that vary are judged like time at B/op's threshold (5%).
		{"varying bytes beyond 5%", group{unit: "B/op", base: []float64{64, 65, 64}, head: []float64{80, 81, 80}}, false},
		{"added", group{unit: "sec/op", head: head}, true},
		{"removed", group{unit: "sec/op", base: base}, true},
	}
	for _, tt := range tests {
		if got := rule.settled(&tt.g); got != tt.want {
			t.Errorf("%s: settled = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func mapsEqual(a, b map[string]map[string]bool) bool {
	return maps.EqualFunc(a, b, func(x, y map[string]bool) bool { return maps.Equal(x, y) })
}

func TestRestrictPattern(t *testing.T) {
	tests := []struct {
		pattern string
		tops    []string
		want    string
	}{
		{".", []string{"BenchmarkB", "BenchmarkA"}, "^(BenchmarkA|BenchmarkB)$"}, // sorted
		{"", []string{"BenchmarkA"}, "^(BenchmarkA)$"},
		{"Parse", []string{"BenchmarkParse"}, "^(BenchmarkParse)$"},
		// The levels below the top are kept as they were.
		{"Parse/small", []string{"BenchmarkParse"}, "^(BenchmarkParse)$/small"},
		{".*/n=(1|2)/x", []string{"BenchmarkA"}, "^(BenchmarkA)$/n=(1|2)/x"},
		{"Parse/[a/b]", []string{"BenchmarkParse"}, "^(BenchmarkParse)$/[a/b]"},
		{`Par\/se/small`, []string{"BenchmarkParse"}, "^(BenchmarkParse)$/small"},
		// An alternation inside parentheses is part of the top level.
		{"(Parse|Encode)/small", []string{"BenchmarkEncode"}, "^(BenchmarkEncode)$/small"},
		// An alternation at the top is kept whole.
		{"Parse|Encode", []string{"BenchmarkParse"}, "Parse|Encode"},
		{"Parse/small|Encode", []string{"BenchmarkParse"}, "Parse/small|Encode"},
		// Names are quoted.
		{".", []string{"Benchmark.x+", "Benchmark(a)"}, `^(Benchmark\(a\)|Benchmark\.x\+)$`},
	}
	for _, tt := range tests {
		tops := map[string]bool{}
		for _, name := range tt.tops {
			tops[name] = true
		}
		got := restrictPattern(tt.pattern, tops)
		if got != tt.want {
			t.Errorf("restrictPattern(%q, %v) = %q, want %q", tt.pattern, tt.tops, got, tt.want)
		}
	}
}

func TestRestrictPatternMatchesExactlyTheTops(t *testing.T) {
	// The top level of the result must match exactly the names given,
	// whatever characters they hold, and no name that merely contains one.
	tops := map[string]bool{"BenchmarkParse": true, "Benchmark.x+": true, "Benchmark[a]": true}
	got := restrictPattern(".", tops)
	re, err := regexp.Compile(got)
	if err != nil {
		t.Fatalf("restrictPattern gave %q, not a regexp: %v", got, err)
	}
	for name := range tops {
		if !re.MatchString(name) {
			t.Errorf("%q does not match %s", name, name)
		}
	}
	for _, name := range []string{"BenchmarkParseFast", "XBenchmarkParse", "BenchmarkAx+", "Benchmark.x", "Benchmarka", "BenchmarkEncode", ""} {
		if re.MatchString(name) {
			t.Errorf("%q matches %s", got, name)
		}
	}
}
