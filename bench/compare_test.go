package bench

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchmath"
)

// results writes benchfmt text with one line per sample of one benchmark.
func results(name, unit string, values ...float64) string {
	var b strings.Builder
	for _, v := range values {
		fmt.Fprintf(&b, "Benchmark%s-8\t1000\t%v %s\n", name, v, unit)
	}
	return b.String()
}

func mustRead(t *testing.T, name, text string) *ResultSet {
	t.Helper()
	s, err := Read(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return s
}

func compareText(t *testing.T, base, head string, opts Options) *Comparison {
	t.Helper()
	c, err := Compare(mustRead(t, "base.txt", base), mustRead(t, "head.txt", head), opts)
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return c
}

func row(t *testing.T, c *Comparison, name, unit string) Row {
	t.Helper()
	for _, r := range c.Rows {
		if r.Name == name && r.Unit == unit {
			return r
		}
	}
	t.Fatalf("no row %s %s in %+v", name, unit, c.Rows)
	return Row{}
}

var (
	ten     = []float64{100, 101, 99, 100, 102, 98, 100, 101, 99, 100}
	tenX    = func(f float64) []float64 { return scale(ten, f) }
	three   = []float64{100, 101, 99}
	threeX  = func(f float64) []float64 { return scale(three, f) }
	twoAlls = []float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}
)

func scale(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * f
	}
	return out
}

func TestCompareStatus(t *testing.T) {
	withThreshold := func(spec ...string) Options {
		o := DefaultOptions()
		for _, s := range spec {
			if err := o.Thresholds.Set(s); err != nil {
				t.Fatal(err)
			}
		}
		return o
	}
	tests := []struct {
		name       string
		unit       string
		base, head []float64
		header     string // extra lines ahead of the results (Unit metadata)
		opts       Options
		want       Status
		wantSig    bool
	}{
		{name: "slower by 20% is a regression", unit: "ns/op", base: ten, head: tenX(1.2), want: StatusRegression, wantSig: true},
		{name: "faster by 20% is an improvement", unit: "ns/op", base: ten, head: tenX(0.8), want: StatusImprovement, wantSig: true},
		{name: "same samples are unchanged", unit: "ns/op", base: ten, head: ten, want: StatusUnchanged},
		{name: "significant but within the threshold", unit: "ns/op", base: ten, head: tenX(1.04), want: StatusUnchanged, wantSig: true},
		{name: "a zero threshold counts a significant 4%", unit: "ns/op", base: ten, head: tenX(1.04), opts: withThreshold("0%"), want: StatusRegression, wantSig: true},
		{name: "a unit threshold overrides the default", unit: "ns/op", base: ten, head: tenX(1.2), opts: withThreshold("sec/op=25%"), want: StatusUnchanged, wantSig: true},
		{name: "ns/op thresholds apply to sec/op", unit: "ns/op", base: ten, head: tenX(1.2), opts: withThreshold("ns/op=25%"), want: StatusUnchanged, wantSig: true},
		{name: "three samples per side cannot be significant", unit: "ns/op", base: three, head: threeX(1.5), want: StatusInsufficient},
		{name: "higher throughput is better", unit: "MB/s", base: ten, head: tenX(1.2), want: StatusImprovement, wantSig: true},
		{name: "lower throughput is a regression", unit: "MB/s", base: ten, head: tenX(0.8), want: StatusRegression, wantSig: true},
		{name: "more B/op is a regression", unit: "B/op", base: ten, head: tenX(1.2), want: StatusRegression, wantSig: true},
		{name: "B/op has its own threshold", unit: "B/op", base: ten, head: tenX(1.2), opts: withThreshold("B/op=30%"), want: StatusUnchanged, wantSig: true},
		{name: "one more alloc is a regression at once", unit: "allocs/op", base: []float64{2}, head: []float64{3}, want: StatusRegression, wantSig: true},
		{name: "allocs from zero", unit: "allocs/op", base: []float64{0, 0, 0}, head: []float64{1, 1, 1}, want: StatusRegression, wantSig: true},
		{name: "allocs median decides, not one outlier", unit: "allocs/op", base: twoAlls, head: append([]float64{3}, twoAlls[1:]...), want: StatusUnchanged},
		{name: "fewer allocs is an improvement", unit: "allocs/op", base: []float64{3}, head: []float64{2}, want: StatusImprovement, wantSig: true},
		{name: "an allocs threshold tolerates", unit: "allocs/op", base: []float64{10}, head: []float64{11}, opts: withThreshold("allocs/op=10%"), want: StatusUnchanged, wantSig: true},
		{name: "custom unit better=higher", unit: "widgets/op", header: "Unit widgets/op better=higher\n", base: ten, head: tenX(0.8), want: StatusRegression, wantSig: true},
		{name: "custom unit better=lower", unit: "widgets/op", header: "Unit widgets/op better=lower\n", base: ten, head: tenX(0.8), want: StatusImprovement, wantSig: true},
		{name: "custom unit without direction never fails", unit: "widgets/op", base: ten, head: tenX(0.5), want: StatusUnchanged, wantSig: true},
		{name: "assume=exact decides on one sample", unit: "bytes", header: "Unit bytes assume=exact better=lower\n", base: []float64{100}, head: []float64{120}, want: StatusRegression, wantSig: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts.Alpha == 0 {
				opts = DefaultOptions()
			}
			c := compareText(t, tt.header+results("X", tt.unit, tt.base...), tt.header+results("X", tt.unit, tt.head...), opts)
			if len(c.Rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(c.Rows))
			}
			r := c.Rows[0]
			if r.Status != tt.want || r.Significant != tt.wantSig {
				t.Errorf("status %s significant %v (p=%v, delta %.2f%%, note %q); want %s significant %v",
					r.Status, r.Significant, r.PValue, r.DeltaPct, r.Note, tt.want, tt.wantSig)
			}
			if got, want := c.Failed(), tt.want == StatusRegression; got != want {
				t.Errorf("Failed() = %v, want %v", got, want)
			}
		})
	}
}

func TestCompareInsufficientNote(t *testing.T) {
	c := compareText(t, results("X", "ns/op", three...), results("X", "ns/op", threeX(2)...), DefaultOptions())
	r := c.Rows[0]
	if r.Status != StatusInsufficient || !strings.Contains(r.Note, "need at least 4 per side") {
		t.Fatalf("status %s note %q; want insufficient saying 4 samples are needed", r.Status, r.Note)
	}
	// With 4 per side the same difference is decided.
	four := slices.Concat(three, []float64{100})
	c = compareText(t, results("X", "ns/op", four...), results("X", "ns/op", scale(four, 2)...), DefaultOptions())
	if s := c.Rows[0].Status; s != StatusRegression {
		t.Fatalf("4 samples per side: status %s, want regression", s)
	}
}

func TestCompareAlphaBoundary(t *testing.T) {
	// 3 vs 3 completely separated samples give p = 2/C(6,3) = 0.1 exactly
	// (0.10000000000000002 in floating point): significant at alpha 0.1.
	opts := DefaultOptions()
	opts.Alpha = 0.1
	c := compareText(t, results("X", "ns/op", three...), results("X", "ns/op", threeX(1.2)...), opts)
	if r := c.Rows[0]; r.Status != StatusRegression {
		t.Fatalf("p=%v at alpha 0.1: status %s, want regression", r.PValue, r.Status)
	}
}

func TestCompareAddedRemovedAndOrder(t *testing.T) {
	base := results("A", "ns/op", ten...) + results("Gone", "ns/op", ten...)
	head := results("New", "ns/op", ten...) + results("A", "ns/op", ten...)
	c := compareText(t, base, head, DefaultOptions())
	var got []string
	for _, r := range c.Rows {
		got = append(got, r.Name+":"+string(r.Status))
	}
	want := "A:unchanged Gone:removed New:added"
	if strings.Join(got, " ") != want {
		t.Fatalf("rows %v, want %s", got, want)
	}
	if r := row(t, c, "Gone", "sec/op"); r.Head != nil || !math.IsNaN(r.DeltaPct) || !math.IsNaN(r.PValue) {
		t.Errorf("removed row has head %v delta %v p %v; want nil, NaN, NaN", r.Head, r.DeltaPct, r.PValue)
	}
}

func TestCompareConfigLinesDoNotSplit(t *testing.T) {
	base := "commit: aaa\n" + results("A", "ns/op", ten[:5]...) + "commit: bbb\n" + results("A", "ns/op", ten[5:]...)
	c := compareText(t, base, results("A", "ns/op", ten...), DefaultOptions())
	if len(c.Rows) != 1 || c.Rows[0].Base.N != 10 {
		t.Fatalf("rows %+v; want one row with 10 base samples", c.Rows)
	}
}

func TestCompareGomaxprocs(t *testing.T) {
	// A -cpu 1,2 run keeps its rows apart; a single value is stripped.
	base := results("A", "ns/op", ten...) + strings.ReplaceAll(results("A", "ns/op", ten...), "-8\t", "-2\t") + results("B", "ns/op", ten...)
	c := compareText(t, base, base, DefaultOptions())
	var names, procs []string
	for _, r := range c.Rows {
		names = append(names, r.Name)
		procs = append(procs, r.Procs)
	}
	if got := strings.Join(names, " "); got != "A-8 A-2 B" {
		t.Fatalf("names %q, want %q", got, "A-8 A-2 B")
	}
	if got := strings.Join(procs, ","); got != "8,2," {
		t.Errorf("Procs %q, want the suffixes the names kept: 8,2,", got)
	}
	// Different GOMAXPROCS on the two sides pair, with a warning.
	head := strings.ReplaceAll(results("B", "ns/op", ten...), "-8\t", "-16\t")
	c = compareText(t, results("B", "ns/op", ten...), head, DefaultOptions())
	if len(c.Rows) != 1 || c.Rows[0].Status != StatusUnchanged {
		t.Fatalf("rows %+v, want B unchanged", c.Rows)
	}
	if !strings.Contains(strings.Join(c.Warnings, "\n"), "GOMAXPROCS differs") {
		t.Errorf("warnings %q, want one about GOMAXPROCS", c.Warnings)
	}
}

func TestCompareWarnings(t *testing.T) {
	base := "cpu: Intel\ngoarch: amd64\n" + results("A", "ns/op", ten...)
	head := "cpu: AMD\ngoarch: amd64\n" + results("A", "ns/op", ten...)
	opts := DefaultOptions()
	if err := opts.Thresholds.Set("alloc/op=10%"); err != nil { // a typo
		t.Fatal(err)
	}
	c := compareText(t, base, head, opts)
	all := strings.Join(c.Warnings, "\n")
	for _, want := range []string{`cpu differs: base "Intel", head "AMD"`, `threshold for unit "alloc/op" matches no result`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if strings.Contains(all, "goarch") {
		t.Errorf("warnings %q mention goarch, which is equal", all)
	}

	// Head without -benchmem: the allocation rows cannot be compared.
	withMem := "BenchmarkA-8\t100\t100 ns/op\t10 B/op\t1 allocs/op\n"
	c = compareText(t, withMem, results("A", "ns/op", 100), DefaultOptions())
	if all := strings.Join(c.Warnings, "\n"); !strings.Contains(all, "no allocs/op results") || !strings.Contains(all, "-benchmem") {
		t.Errorf("warnings %q, want one about missing allocs/op and -benchmem", all)
	}
}

func TestCompareFilterAndErrors(t *testing.T) {
	base := results("Parse", "ns/op", ten...) + results("Print", "ns/op", ten...)
	opts := DefaultOptions()
	opts.Filter = regexp.MustCompile("^Pa")
	c := compareText(t, base, base, opts)
	if len(c.Rows) != 1 || c.Rows[0].Name != "Parse" {
		t.Fatalf("rows %+v, want Parse only", c.Rows)
	}

	opts.Filter = regexp.MustCompile("^Nothing")
	_, err := Compare(mustRead(t, "b", base), mustRead(t, "h", base), opts)
	if err == nil || !strings.Contains(err.Error(), "matches no benchmark") {
		t.Errorf("filter matching nothing: err %v", err)
	}

	_, err = Compare(mustRead(t, "b", results("A", "ns/op", 1)), mustRead(t, "h", results("B", "ns/op", 1)), DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "no benchmark in common") {
		t.Errorf("disjoint sets: err %v", err)
	}

	bad := DefaultOptions()
	bad.Alpha = 1
	if _, err := Compare(mustRead(t, "b", base), mustRead(t, "h", base), bad); err == nil {
		t.Error("alpha 1 accepted")
	}
}

func TestGeomean(t *testing.T) {
	base := results("A", "ns/op", 100, 100, 100) + results("B", "ns/op", 400, 400, 400)
	head := results("A", "ns/op", 200, 200, 200) + results("B", "ns/op", 200, 200, 200)
	c := compareText(t, base, head, DefaultOptions())
	if len(c.Geomeans) != 1 {
		t.Fatalf("geomeans %+v", c.Geomeans)
	}
	g := c.Geomeans[0]
	// Base sqrt(100ns·400ns) = 200ns, head 200ns, ratio sqrt(2·0.5) = 1.
	if math.Abs(g.Base-200e-9) > 1e-15 || math.Abs(g.Head-200e-9) > 1e-15 || math.Abs(g.DeltaPct) > 1e-9 || g.N != 2 {
		t.Fatalf("geomean %+v, want base=head=200ns, delta 0, n 2", g)
	}
	// Zero centers (0 allocs/op) give no geomean but no error either.
	c = compareText(t, results("A", "allocs/op", 0), results("A", "allocs/op", 0), DefaultOptions())
	if g := c.Geomeans[0]; !math.IsNaN(g.Base) || g.DeltaPct != 0 {
		t.Fatalf("geomean of zeros %+v, want NaN centers and a 0%% delta", g)
	}
}

func TestMinUTestP(t *testing.T) {
	// benchmath's table of the smallest p-values for equal sample sizes.
	want := map[int]float64{2: 0.3333333333333333, 3: 0.1, 4: 0.02857142857142857, 5: 0.007936507936507936, 9: 4.113533525298231e-05}
	for n, p := range want {
		if got := minUTestP(n, n); math.Abs(got-p) > 1e-12 {
			t.Errorf("minUTestP(%d, %d) = %v, want %v", n, n, got, p)
		}
	}
	if got := samplesNeeded(0.05); got != 4 {
		t.Errorf("samplesNeeded(0.05) = %d, want 4", got)
	}
	if got := samplesNeeded(0.01); got != 5 {
		t.Errorf("samplesNeeded(0.01) = %d, want 5", got)
	}
	if got := intervalSamples(0.95); got != 6 {
		t.Errorf("intervalSamples(0.95) = %d, want 6", got)
	}
}

func TestSplitProcs(t *testing.T) {
	for in, want := range map[string][2]string{
		"Join/n=10-8": {"Join/n=10", "8"},
		"Join":        {"Join", ""},
		"Join-":       {"Join-", ""},
		"X/len-64-2":  {"X/len-64", "2"},
		"-8":          {"-8", ""},
	} {
		name, procs := splitProcs(in)
		if name != want[0] || procs != want[1] {
			t.Errorf("splitProcs(%q) = %q, %q; want %q, %q", in, name, procs, want[0], want[1])
		}
	}
}

func TestCompareWarnsAboutRunSettings(t *testing.T) {
	base := "perfctl-benchtime: 100x\n" + results("A", "ns/op", ten...)
	head := "perfctl-benchtime: 1s\n" + results("A", "ns/op", ten...)
	c := compareText(t, base, head, DefaultOptions())
	if all := strings.Join(c.Warnings, "\n"); !strings.Contains(all, `different --benchtime: base "100x", head "1s"`) {
		t.Errorf("warnings %q lack the benchtime difference", all)
	}
	c = compareText(t, base, base, DefaultOptions())
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %q for identical settings", c.Warnings)
	}
}

func TestCompareOmitRemoved(t *testing.T) {
	base := results("A", "ns/op", ten...) + results("B", "ns/op", ten...)
	opts := DefaultOptions()
	opts.OmitRemoved = true
	c := compareText(t, base, results("A", "ns/op", ten...), opts)
	if len(c.Rows) != 1 || c.Rows[0].Name != "A" || len(c.Warnings) != 0 {
		t.Fatalf("rows %+v warnings %q; want A alone and no warning", c.Rows, c.Warnings)
	}
}

func TestCompareNoiseWarning(t *testing.T) {
	noisy := []float64{100, 150, 60, 100, 180, 70, 100, 130, 90, 100}
	c := compareText(t, results("A", "ns/op", noisy...), results("A", "ns/op", ten...), DefaultOptions())
	if all := strings.Join(c.Warnings, "\n"); !strings.Contains(all, "1 of 1 rows vary by more than twice their threshold") || !strings.Contains(all, "A sec/op") {
		t.Errorf("warnings %q, want one about the noisy row", all)
	}
	c = compareText(t, results("A", "ns/op", ten...), results("A", "ns/op", ten...), DefaultOptions())
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %q for quiet samples", c.Warnings)
	}
}

// Unpaired, a change smaller than the spread the run measured is noise
// that happened to pass the test; a change far beyond it is a change,
// however wide one side's interval is upwards.
func TestUnpairedWithinSpread(t *testing.T) {
	// +6.5%, p ≈ 0.03, but each median lies in the other's interval.
	base := []float64{100, 101, 103, 105, 107, 109, 111, 113, 115, 117}
	head := []float64{106, 108, 110, 112, 114, 116, 118, 120, 122, 124}
	c := compareText(t, results("X", "ns/op", base...), results("X", "ns/op", head...), DefaultOptions())
	r := row(t, c, "X", "sec/op")
	if r.PValue > 0.05 || r.DeltaPct < 5 {
		t.Fatalf("the example is meant to be significant and beyond 5%%: p %v, %+.1f%%", r.PValue, r.DeltaPct)
	}
	if r.Status != StatusUnchanged || !strings.Contains(r.Note, "within the spread of the samples") {
		t.Errorf("overlapping: status %s, note %q; want unchanged, within the spread", r.Status, r.Note)
	}

	// Stored numbers 13 times slower than now, where one sample of six
	// was slowed by a busy machine (an interval +130% wide upwards): the
	// sides do not overlap, and the change is an improvement.
	stored := []float64{9400, 9500, 9550, 9600, 9700}
	now := []float64{600, 610, 620, 640, 700, 1600}
	c = compareText(t, results("X", "ns/op", stored...), results("X", "ns/op", now...), DefaultOptions())
	if r := row(t, c, "X", "sec/op"); r.Status != StatusImprovement {
		t.Errorf("13× faster, one noisy sample: status %s (%s); want improvement", r.Status, r.Note)
	}

	// Fewer samples than an interval needs (±∞) say nothing about spread:
	// a clear change with five samples a side stays a change.
	c = compareText(t, results("X", "ns/op", 100, 101, 102, 103, 104), results("X", "ns/op", 150, 151, 152, 153, 154), DefaultOptions())
	if r := row(t, c, "X", "sec/op"); r.Status != StatusRegression {
		t.Errorf("+50%% with 5 samples: status %s (%s); want regression", r.Status, r.Note)
	}
}

// TestCompareNoiseWarningSmallSamples checks the noise warning below the 6
// samples a 95% interval needs: the spread is then the samples' range
// around their median, from 2 samples on.
func TestCompareNoiseWarningSmallSamples(t *testing.T) {
	quiet := []float64{100, 101, 100, 99, 100}
	for _, tc := range []struct {
		name  string
		noisy []float64
		warn  bool
	}{
		{"2 samples, ±20%", []float64{80, 120}, true},
		{"3 samples, +30%", []float64{100, 130, 100}, true},
		{"5 samples, -25%", []float64{100, 75, 101, 99, 100}, true},
		{"2 samples, ±5%", []float64{95, 105}, false},
		{"5 samples, ±2%", []float64{100, 98, 102, 100, 101}, false},
		{"1 sample", []float64{300}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := compareText(t, results("A", "ns/op", tc.noisy...), results("A", "ns/op", quiet[:len(tc.noisy)]...), DefaultOptions())
			got := strings.Contains(strings.Join(c.Warnings, "\n"), "1 of 1 rows vary by more than twice their threshold")
			if got != tc.warn || (c.Noisy == 1) != tc.warn {
				t.Errorf("warnings %q (noisy %d); want a noise warning: %v", c.Warnings, c.Noisy, tc.warn)
			}
		})
	}
}

// TestSpread checks the measure at the switch from the range (fewer than
// 6 samples at 95%) to the interval (6 or more): at 6 samples the interval
// is the range, so both give the same spread.
func TestSpread(t *testing.T) {
	six := []float64{90, 100, 100, 100, 100, 125}
	s := summarize(benchmath.AssumeNothing, benchmath.NewSample(clone(six), &benchmath.Thresholds{}), DefaultConfidence)
	if got := Spread(s, six); math.Abs(got-0.25) > 1e-12 {
		t.Errorf("Spread of 6 samples = %v, want 0.25 (the interval is the range)", got)
	}
	five := six[1:]
	s = summarize(benchmath.AssumeNothing, benchmath.NewSample(clone(five), &benchmath.Thresholds{}), DefaultConfidence)
	if !math.IsInf(s.Low, 0) && !math.IsInf(s.High, 0) {
		t.Fatalf("5 samples have an interval %v–%v: the test needs one without", s.Low, s.High)
	}
	if got := Spread(s, five); math.Abs(got-0.25) > 1e-12 {
		t.Errorf("Spread of 5 samples = %v, want 0.25 (the range around the median)", got)
	}
	if got := Spread(s, five[:1]); got != 0 {
		t.Errorf("Spread of 1 sample = %v, want 0", got)
	}
}
