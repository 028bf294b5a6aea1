package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestExactCounts(t *testing.T) {
	tests := []struct {
		unit       string
		base, head []float64
		want       bool
	}{
		{ExactUnit, []float64{3}, []float64{3}, true}, // one sample a side suffices for allocations
		{ExactUnit, []float64{3}, []float64{4}, true}, // changed, but exactly
		{ExactUnit, []float64{3, 3, 3}, []float64{4, 4}, true},
		{ExactUnit, []float64{3, 4, 3}, []float64{3, 3, 3}, false},
		{ExactUnit, []float64{3, 3, 3}, []float64{3, 3, 4}, false},
		{"B/op", []float64{64}, []float64{64}, false}, // one sample cannot show bytes do not vary
		{"B/op", []float64{64, 64}, []float64{64}, false},
		{"B/op", []float64{64}, []float64{64, 64}, false},
		{"B/op", []float64{64, 64}, []float64{80, 80}, true},
		{"B/op", []float64{64, 64, 65}, []float64{80, 80, 80}, false},
		{"sec/op", []float64{1e-6, 1e-6, 1e-6}, []float64{1e-6, 1e-6, 1e-6}, false}, // times never
		{"B/s", []float64{5, 5}, []float64{5, 5}, false},
		// No samples on a side: nothing shows the count is constant.
		{ExactUnit, nil, []float64{3}, false},
		{ExactUnit, []float64{3}, []float64{}, false},
		{"B/op", nil, nil, false},
	}
	for _, tt := range tests {
		if got := exactCounts(tt.unit, tt.base, tt.head); got != tt.want {
			t.Errorf("exactCounts(%s, %v, %v) = %v, want %v", tt.unit, tt.base, tt.head, got, tt.want)
		}
	}
}

// testedRows returns unpaired rows on both sides with the given p-values,
// as measureGroup leaves them: PAdjusted NaN, not significant.
func testedRows(ps ...float64) []Row {
	rows := make([]Row, len(ps))
	for i, p := range ps {
		rows[i] = Row{Base: &Summary{}, Head: &Summary{}, Method: MethodUnpaired, PValue: p, PAdjusted: math.NaN()}
	}
	return rows
}

func adjusted(rows []Row) []float64 {
	out := make([]float64, len(rows))
	for i := range rows {
		out[i] = rows[i].PAdjusted
	}
	return out
}

func closeTo(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Abs(x-y) < 1e-12 })
}

func TestCorrectHolm(t *testing.T) {
	// Holm's adjusted p-values: sort ascending, multiply the i-th (from 1)
	// by m-i+1, cap at 1, carry the running maximum, return to the
	// original order.
	tests := []struct {
		p, want []float64
		sig     []bool // at alpha 0.05
	}{
		// Sorted 0.005 0.01 0.03 0.04 → ×4 ×3 ×2 ×1 = 0.02 0.03 0.06 0.04
		// → running maximum 0.02 0.03 0.06 0.06.
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}, []bool{true, false, false, true}},
		// ×3 ×2 ×1 = 0.03 0.024 0.5: the maximum carries 0.03 to the
		// second.
		{[]float64{0.5, 0.012, 0.01}, []float64{0.5, 0.03, 0.03}, []bool{false, true, true}},
		// Capped: 2·0.6 = 1.2 → 1, and the maximum keeps the next at 1.
		{[]float64{0.7, 0.6}, []float64{1, 1}, []bool{false, false}},
		// Ties keep the same value: 3·0.02, then max(0.06, 2·0.02).
		{[]float64{0.02, 0.02, 0.9}, []float64{0.06, 0.06, 0.9}, []bool{false, false, false}},
		// One row: no correction.
		{[]float64{0.04}, []float64{0.04}, []bool{true}},
		// Exactly at alpha after adjustment: 2·0.025 = 0.05 is significant.
		{[]float64{0.025, 0.5}, []float64{0.05, 0.5}, []bool{true, false}},
	}
	for _, tt := range tests {
		rows := testedRows(tt.p...)
		opts := DefaultOptions()
		if n := correct(rows, &opts); n != len(tt.p) {
			t.Errorf("%v: tested %d, want %d", tt.p, n, len(tt.p))
		}
		if got := adjusted(rows); !closeTo(got, tt.want) {
			t.Errorf("Holm of %v = %v, want %v", tt.p, got, tt.want)
		}
		for i := range rows {
			if rows[i].Significant != tt.sig[i] {
				t.Errorf("%v: row %d significant = %v, want %v", tt.p, i, rows[i].Significant, tt.sig[i])
			}
		}
	}
}

func TestCorrectCountsOnlyTestedRows(t *testing.T) {
	rows := testedRows(0.02, 0.03)
	rows[1].Method, rows[1].PValue, rows[1].PairedP = MethodPaired, 0.9, 0.03 // a paired row is judged by PairedP
	untested := []Row{
		{Base: &Summary{}, Head: &Summary{}, Exact: true, PValue: 0.001, Significant: true},  // decided exactly
		{Base: &Summary{}, Head: &Summary{}, NotRun: "identical", PValue: 0.001},             // not measured
		{Head: &Summary{}, PValue: math.NaN()},                                               // added
		{Base: &Summary{}, PValue: math.NaN()},                                               // removed
		{Base: &Summary{}, Head: &Summary{}, Exact: true, PValue: 0.001, Significant: false}, // exact, unchanged
	}
	for i := range untested {
		untested[i].PAdjusted = math.NaN()
	}
	rows = append(rows, untested...)
	opts := DefaultOptions()
	if n := correct(rows, &opts); n != 2 {
		t.Errorf("tested %d rows, want 2", n)
	}
	// m = 2: 2·0.02 = 0.04, then max(0.04, 1·0.03) = 0.04.
	if got := adjusted(rows[:2]); !closeTo(got, []float64{0.04, 0.04}) {
		t.Errorf("adjusted = %v, want [0.04 0.04]", got)
	}
	for i, r := range rows[2:] {
		if !math.IsNaN(r.PAdjusted) || r.Significant != untested[i].Significant {
			t.Errorf("untested row %d: PAdjusted %v significant %v; want them left alone", i, r.PAdjusted, r.Significant)
		}
	}
}

func TestCorrectNone(t *testing.T) {
	rows := testedRows(0.01, 0.04, 0.06, 0.05)
	rows[2].Method, rows[2].PairedP = MethodPaired, 0.001
	opts := DefaultOptions()
	opts.Correction = CorrectionNone
	if n := correct(rows, &opts); n != 4 {
		t.Errorf("tested %d rows, want 4", n)
	}
	if got, want := adjusted(rows), []float64{0.01, 0.04, 0.001, 0.05}; !slices.Equal(got, want) {
		t.Errorf("PAdjusted = %v, want the raw p-values %v", got, want)
	}
	for i, want := range []bool{true, true, true, true} {
		if rows[i].Significant != want {
			t.Errorf("row %d: significant = %v, want %v", i, rows[i].Significant, want)
		}
	}
}

func TestCorrectHolmProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2))
	for trial := range 50 {
		m := 1 + rng.IntN(300)
		ps := make([]float64, m)
		for i := range ps {
			ps[i] = math.Pow(rng.Float64(), 3) // many small ones
			if rng.IntN(10) == 0 && i > 0 {
				ps[i] = ps[rng.IntN(i)] // and ties
			}
		}
		rows := testedRows(ps...)
		opts := DefaultOptions()
		correct(rows, &opts)
		minP := slices.Min(ps)
		for i := range rows {
			adj := rows[i].PAdjusted
			// Never below the raw p, never above Bonferroni's m·p or 1.
			if adj < ps[i] || adj > math.Min(1, float64(m)*ps[i])+1e-12 {
				t.Fatalf("trial %d: p %v adjusted to %v (m = %d)", trial, ps[i], adj, m)
			}
			if rows[i].Significant != (adj <= opts.Alpha*(1+1e-9)) {
				t.Fatalf("trial %d: p %v adjusted %v significant %v", trial, ps[i], adj, rows[i].Significant)
			}
			// The smallest p-value gets exactly Bonferroni's.
			if ps[i] == minP && math.Abs(adj-math.Min(1, float64(m)*minP)) > 1e-12 {
				t.Fatalf("trial %d: the smallest p %v adjusted to %v, want %v", trial, minP, adj, float64(m)*minP)
			}
			// The order of the p-values is kept.
			for j := range rows {
				if ps[i] <= ps[j] && adj > rows[j].PAdjusted {
					t.Fatalf("trial %d: p %v ≤ %v but adjusted %v > %v", trial, ps[i], ps[j], adj, rows[j].PAdjusted)
				}
			}
		}
	}
}

func TestCompareHolmAcrossManyRows(t *testing.T) {
	// 60 rows in 12 interleaved rounds, judged paired against 5%: 58 of
	// pure noise (±1% per round), one with a raw p just under 0.05, one
	// 50% slower in every round.
	rng := rand.New(rand.NewPCG(13, 3))
	var base, head strings.Builder
	addRow := func(name string, ratios []float64) {
		b, h := ratioRounds(ratios...)
		base.WriteString(results(name, "ns/op", b...))
		head.WriteString(results(name, "ns/op", h...))
	}
	for i := range 58 {
		noise := make([]float64, 12)
		for j := range noise {
			noise[j] = 1 + 0.01*rng.NormFloat64()
		}
		addRow("Noise"+string(rune('A'+i/26))+string(rune('a'+i%26)), noise)
	}
	// Against +log(1.05) eleven rounds are above and one is below, with
	// the largest magnitude of the twelve (0.80: log(0.80/1.05) = -0.27;
	// the others are at most log(1.16/1.05) = 0.10): W+ = 78 - 12 = 66,
	// and P(W+ >= 66) = P(W+ <= 12) = 70/4096 (70 subsets of 1..12 sum
	// to at most 12). Two-sided: p = 140/4096 = 0.0342. The median ratio,
	// (1.10+1.11)/2, is 10.5% slower.
	marginal := []float64{0.80, 1.06, 1.07, 1.08, 1.09, 1.10, 1.11, 1.12, 1.13, 1.14, 1.15, 1.16}
	addRow("Marginal", marginal)
	// Every round slower: p = 2/4096, and Holm's first step needs at
	// most 0.05/60 = 0.00083.
	addRow("Huge", slices.Repeat([]float64{1.5}, 12))

	opts := DefaultOptions()
	opts.Paired = true
	holm := compareText(t, base.String(), head.String(), opts)
	opts.Correction = CorrectionNone
	none := compareText(t, base.String(), head.String(), opts)

	if holm.Tested != 60 || none.Tested != 60 {
		t.Errorf("tested %d (Holm) and %d (none) rows, want 60", holm.Tested, none.Tested)
	}
	m := row(t, holm, "Marginal", "sec/op")
	if math.Abs(m.PairedP-140.0/4096) > 1e-12 {
		t.Fatalf("the marginal row's raw p = %v, want 140/4096", m.PairedP)
	}
	if m.Status == StatusRegression || m.Significant || m.PAdjusted != 1 {
		t.Errorf("Holm: the marginal row is %s, significant %v, adjusted p %v; want no regression, p = min(1, 60·0.034) = 1",
			m.Status, m.Significant, m.PAdjusted)
	}
	if m := row(t, none, "Marginal", "sec/op"); m.Status != StatusRegression || m.PAdjusted != m.PairedP {
		t.Errorf("no correction: the marginal row is %s, adjusted p %v; want a regression at its raw p", m.Status, m.PAdjusted)
	}
	h := row(t, holm, "Huge", "sec/op")
	if h.Status != StatusRegression || math.Abs(h.PAdjusted-60*2.0/4096) > 1e-12 {
		t.Errorf("Holm: the huge change is %s with adjusted p %v; want a regression at 60·2/4096", h.Status, h.PAdjusted)
	}
	for _, c := range []*Comparison{holm, none} {
		if n := c.Count(StatusRegression) + c.Count(StatusImprovement); n > 2 {
			t.Errorf("%v: %d rows changed, want only the planted ones", c.Correction, n)
		}
	}
	if n := holm.Count(StatusRegression); n != 1 {
		t.Errorf("Holm: %d regressions, want 1", n)
	}
}

func TestRecordedIdentities(t *testing.T) {
	first := "goos: linux\npkg: example.com/x\n" +
		"BenchmarkA-8\t100\t10 ns/op\t2 allocs/op\n" +
		"BenchmarkA-8\t100\t11 ns/op\t2 allocs/op\n"
	second := "pkg: example.com/y\n" +
		"BenchmarkB-8\t100\t20 ns/op\n"
	identities := "# perfctl-package example.com/x 1111 aaaa\n" +
		"# perfctl-package   example.com/y   2222   bbbb  \n" + // spacing is not significant
		"# perfctl-package example.com/two-fields 3333\n" + // malformed: ignored
		"# perfctl-package example.com/four-fields 4444 cccc extra\n" +
		"# perfctl-packages example.com/z 5555 dddd\n" + // another key
		"#perfctl-package example.com/z 5555 dddd\n"
	plain := mustRead(t, "plain", first+second)
	// Identity lines ahead of the results and among them.
	with := mustRead(t, "with", identities+first+"# perfctl-package example.com/w 6666 eeee\n"+second)

	want := map[string]Identity{
		"example.com/x": {Binary: "1111", Inputs: "aaaa"},
		"example.com/y": {Binary: "2222", Inputs: "bbbb"},
		"example.com/w": {Binary: "6666", Inputs: "eeee"},
	}
	got := RecordedIdentities(with)
	if len(got) != len(want) {
		t.Errorf("RecordedIdentities = %v, want %v", got, want)
	}
	for pkg, id := range want {
		if got[pkg] != id {
			t.Errorf("identity of %s = %+v, want %+v", pkg, got[pkg], id)
		}
	}
	if got := RecordedIdentities(plain); len(got) != 0 {
		t.Errorf("a file without identity lines: %v", got)
	}

	// The lines are comments to the results: the same benchmarks,
	// samples and configuration either way.
	if with.Len() != plain.Len() || !slices.Equal(with.Names(), plain.Names()) {
		t.Errorf("with identity lines: %d benchmarks %v; without: %d %v", with.Len(), with.Names(), plain.Len(), plain.Names())
	}
	for _, s := range []struct{ pkg, name, unit string }{
		{"example.com/x", "A-8", "sec/op"}, {"example.com/x", "A-8", "allocs/op"}, {"example.com/y", "B-8", "sec/op"},
	} {
		if a, b := with.Samples(s.pkg, s.name, s.unit), plain.Samples(s.pkg, s.name, s.unit); !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("%v: samples %v with identity lines, %v without", s, a, b)
		}
	}
	for key, v := range plain.Config {
		if !slices.Equal(with.Config[key], v) {
			t.Errorf("config %s: %q with identity lines, %q without", key, with.Config[key], v)
		}
	}
	if len(with.Config) != len(plain.Config) {
		t.Errorf("config with identity lines %v, without %v", with.Config, plain.Config)
	}
}

func TestRecordedIdentitiesRoundTrip(t *testing.T) {
	// What Header.write records, RecordedIdentities reads back.
	var text strings.Builder
	h := &Header{GoVersion: "go1.26", Packages: []string{"example.com/x 1111 aaaa", "example.com/y 2222 bbbb"}}
	h.write(&text, &Spec{Count: 1})
	text.WriteString("pkg: example.com/x\nBenchmarkA-8\t100\t10 ns/op\n")
	got := RecordedIdentities(mustRead(t, "recorded", text.String()))
	want := map[string]Identity{"example.com/x": {"1111", "aaaa"}, "example.com/y": {"2222", "bbbb"}}
	if len(got) != 2 || got["example.com/x"] != want["example.com/x"] || got["example.com/y"] != want["example.com/y"] {
		t.Errorf("RecordedIdentities = %v, want %v", got, want)
	}
}

func TestCorrectHolmUntestableRow(t *testing.T) {
	// A row whose test gave no p-value (NaN) counts as p = 1, wherever it
	// is: the others are adjusted as among m = 3 rows, 3·0.001 and
	// 2·0.002, and stay significant.
	for pos := range 3 {
		ps := []float64{0.001, 0.002}
		ps = slices.Insert(ps, pos, math.NaN())
		rows := testedRows(ps...)
		opts := DefaultOptions()
		correct(rows, &opts)
		for i, p := range ps {
			want := map[float64]float64{0.001: 0.003, 0.002: 0.004}[p]
			if math.IsNaN(p) {
				want = 1
			}
			if math.Abs(rows[i].PAdjusted-want) > 1e-12 || rows[i].Significant != (want <= 0.05) {
				t.Errorf("p-values %v: row %d adjusted to %v (significant %v), want %v", ps, i, rows[i].PAdjusted, rows[i].Significant, want)
			}
		}
	}
}
