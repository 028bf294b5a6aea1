package changepoint

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/perfctl/perfctl/internal/usererr"
)

// noisy returns n points of samples values each around level(i), with
// Gaussian noise of sd (relative), from a seeded PCG.
func noisy(seed uint64, n, samples int, sd float64, level func(i int) float64) []Point {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	pts := make([]Point, n)
	for i := range pts {
		vs := make([]float64, samples)
		for j := range vs {
			vs[j] = level(i) * (1 + sd*r.NormFloat64())
		}
		pts[i].Values = vs
	}
	return pts
}

func step(at int, before, after float64) func(int) float64 {
	return func(i int) float64 {
		if i < at {
			return before
		}
		return after
	}
}

func detect(t *testing.T, pts []Point, o Options) []Change {
	t.Helper()
	got, err := Detect(pts, o)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	return got
}

func TestOneStep(t *testing.T) {
	pts := noisy(1, 40, 5, 0.02, step(25, 100, 120))
	got := detect(t, pts, Options{})
	if len(got) != 1 {
		t.Fatalf("got %d changes, want 1: %+v", len(got), got)
	}
	c := got[0]
	if c.Index != 25 {
		t.Errorf("Index = %d, want 25", c.Index)
	}
	if math.Abs(c.DeltaPct-20) > 2 {
		t.Errorf("DeltaPct = %.2f, want 20 ± 2", c.DeltaPct)
	}
	if !(c.PValue < 0.001) {
		t.Errorf("PValue = %g, want < 0.001", c.PValue)
	}
	if c.Before.N != 25 || c.After.N != 15 {
		t.Errorf("N = %d/%d, want 25/15", c.Before.N, c.After.N)
	}
	if math.Abs(c.Before.Center-100) > 2 || math.Abs(c.After.Center-120) > 2.4 {
		t.Errorf("centers = %.2f → %.2f, want about 100 → 120", c.Before.Center, c.After.Center)
	}
}

// TestOneStepManySeeds is the same step under 100 seeds: the index must
// be exact every time.
func TestOneStepManySeeds(t *testing.T) {
	for seed := range uint64(100) {
		got := detect(t, noisy(seed, 40, 5, 0.02, step(25, 100, 120)), Options{})
		if len(got) != 1 || got[0].Index != 25 {
			t.Errorf("seed %d: got %+v, want one change at 25", seed, got)
		}
	}
}

func TestStepDown(t *testing.T) {
	got := detect(t, noisy(7, 60, 3, 0.02, step(30, 100, 80)), Options{})
	if len(got) != 1 || got[0].Index != 30 || math.Abs(got[0].DeltaPct+20) > 2 {
		t.Fatalf("got %+v, want one change at 30 of about -20%%", got)
	}
}

// TestNoStep counts false alarms on flat series. The p-value is adjusted
// for the choice of the split, so at MaxP 0.001 none is expected; without
// the adjustment 7 of 200 such 40-commit series had one with Hunter's test
// (Student's, population deviation) and 24 with Welch's (docs/history.md).
func TestNoStep(t *testing.T) {
	for _, n := range []int{40, 200} {
		alarms := 0
		for seed := range uint64(100) {
			got := detect(t, noisy(seed, n, 5, 0.02, func(int) float64 { return 100 }), Options{})
			if len(got) > 0 {
				alarms++
				t.Logf("%d commits, seed %d: %+v", n, seed, got)
			}
		}
		if alarms > 0 {
			t.Errorf("%d of 100 flat series of %d commits had a change, want none", alarms, n)
		}
	}
}

// TestStepAtTheNewestCommits: a new level shown by the newest two commits
// is found at its first commit.
func TestStepAtTheNewestCommits(t *testing.T) {
	for seed := range uint64(50) {
		got := detect(t, noisy(seed, 40, 5, 0.02, step(38, 100, 110)), Options{})
		if len(got) != 1 || got[0].Index != 38 || got[0].After.N != 2 {
			t.Errorf("seed %d: got %+v, want one change at 38", seed, got)
		}
	}
}

// TestNewestCommitAlone: a shift in the newest commit alone is seldom
// significant (E-Divisive's statistic is small at the ends), but when it
// is, it is reported at that commit, not at the one before: the search
// keeps two commits a side, and refine moves the change to where the
// level shifted.
func TestNewestCommitAlone(t *testing.T) {
	found := 0
	for seed := range uint64(100) {
		got := detect(t, noisy(seed, 40, 5, 0.02, step(39, 100, 120)), Options{})
		for _, c := range got {
			found++
			if c.Index != 39 || c.After.N != 1 {
				t.Errorf("seed %d: got %+v, want any change at 39", seed, got)
			}
		}
	}
	if found == 0 {
		t.Errorf("no seed found the shift")
	}
	t.Logf("%d of 100 seeds found it", found)
}

func TestRefine(t *testing.T) {
	v := []float64{1, 1.1, 0.9, 1, 1.05, 0.95, 1, 2}
	cuts := []int{6} // the split before the newest two
	refine(v, cuts)
	if cuts[0] != 7 {
		t.Errorf("refine moved the cut to %d, want 7", cuts[0])
	}
	cuts = []int{3, 5} // neighbours bound each other: 3 may not pass 4
	refine([]float64{0, 0, 0, 5, 9, 9, 9}, cuts)
	if cuts[0] != 3 || cuts[1] != 4 {
		t.Errorf("cuts %v, want [3 4]", cuts)
	}
	// Four commits or more on each side: left alone, even where least
	// squares would move it.
	// (least squares would move it to 5: 0 0 0 0 1 | 9 9 9 9).
	cuts = []int{4}
	refine([]float64{0, 0, 0, 0, 1, 9, 9, 9, 9}, cuts)
	if cuts[0] != 4 {
		t.Errorf("cut moved to %d, want 4", cuts[0])
	}
}

// TestStepNearTheEnd: a change three commits before the end is found.
func TestStepNearTheEnd(t *testing.T) {
	for seed := range uint64(20) {
		got := detect(t, noisy(seed, 40, 5, 0.02, step(37, 100, 110)), Options{})
		if len(got) != 1 || got[0].Index != 37 {
			t.Errorf("seed %d: got %+v, want one change at 37", seed, got)
		}
	}
}

func TestTwoSteps(t *testing.T) {
	level := func(i int) float64 {
		switch {
		case i < 20:
			return 100
		case i < 45:
			return 130
		}
		return 110
	}
	got := detect(t, noisy(3, 70, 5, 0.02, level), Options{})
	if len(got) != 2 || got[0].Index != 20 || got[1].Index != 45 {
		t.Fatalf("got %+v, want changes at 20 and 45", got)
	}
	if math.Abs(got[0].DeltaPct-30) > 3 || math.Abs(got[1].DeltaPct-(110.0/130-1)*100) > 3 {
		t.Errorf("deltas %.1f, %.1f; want about +30, -15.4", got[0].DeltaPct, got[1].DeltaPct)
	}
	if got[0].After.N != 25 || got[1].Before.N != 25 || got[0].Before.N != 20 || got[1].After.N != 25 {
		t.Errorf("segment sizes %+v", got)
	}
}

// TestStepsBeyondWindow places steps further apart than a window, so
// that the sliding windows, not one search, must find them.
func TestStepsBeyondWindow(t *testing.T) {
	level := func(i int) float64 { return 100 * (1 + 0.1*float64(i/60)) } // steps at 60, 120, 180
	got := detect(t, noisy(11, 240, 5, 0.01, level), Options{Window: 30})
	var idx []int
	for _, c := range got {
		idx = append(idx, c.Index)
	}
	if !reflect.DeepEqual(idx, []int{60, 120, 180}) {
		t.Fatalf("changes at %v, want [60 120 180]", idx)
	}
}

func TestOutlierSpike(t *testing.T) {
	for seed := range uint64(20) {
		pts := noisy(seed, 40, 5, 0.02, func(i int) float64 {
			if i == 17 {
				return 200
			}
			return 100
		})
		if got := detect(t, pts, Options{}); len(got) != 0 {
			t.Errorf("seed %d: a one-commit spike gave %+v, want no change", seed, got)
		}
	}
}

// TestOutlierSample: one wild sample within a commit does not move the
// commit's median, so it cannot make a change.
func TestOutlierSample(t *testing.T) {
	pts := noisy(5, 40, 5, 0.02, func(int) float64 { return 100 })
	pts[30].Values[2] = 1e6
	if got := detect(t, pts, Options{}); len(got) != 0 {
		t.Fatalf("got %+v, want none", got)
	}
}

func TestExact(t *testing.T) {
	vals := []float64{3, 3, 3, 4, 4, 4, 4, 2, 2}
	pts := make([]Point, len(vals))
	for i, v := range vals {
		pts[i] = Point{Values: []float64{v, v, v}}
	}
	got := detect(t, pts, Options{Exact: true})
	want := []Change{
		{Index: 3, Before: Summary{3, 3}, After: Summary{4, 4}, DeltaPct: 100.0 / 3, PValue: 0},
		{Index: 7, Before: Summary{4, 4}, After: Summary{2, 2}, DeltaPct: -50, PValue: 0},
	}
	if len(got) != 2 || got[0].Index != 3 || got[1].Index != 7 ||
		got[0].Before != want[0].Before || got[0].After != want[0].After ||
		got[1].Before != want[1].Before || got[1].After != want[1].After ||
		math.Abs(got[0].DeltaPct-want[0].DeltaPct) > 1e-9 || got[1].DeltaPct != -50 ||
		got[0].PValue != 0 || got[1].PValue != 0 {
		t.Fatalf("got %+v,\nwant %+v", got, want)
	}
	// 4 → 2 is -50%; with MinMagnitude 0.4 only it remains, 3 → 4 (+33%) goes.
	got = detect(t, pts, Options{Exact: true, MinMagnitude: 0.4})
	if len(got) != 1 || got[0].Index != 7 {
		t.Fatalf("MinMagnitude 0.4: got %+v, want one change at 7", got)
	}
	// From 0: DeltaPct is NaN, as in package bench.
	got = detect(t, []Point{{[]float64{0}}, {[]float64{0}}, {[]float64{1}}}, Options{Exact: true})
	if len(got) != 1 || got[0].Index != 2 || !math.IsNaN(got[0].DeltaPct) {
		t.Fatalf("from 0: got %+v", got)
	}
	// Non-exact mode on the same noiseless steps finds them too, with p 0.
	long := make([]Point, 40)
	for i := range long {
		long[i] = Point{Values: []float64{step(20, 3, 4)(i)}}
	}
	got = detect(t, long, Options{})
	if len(got) != 1 || got[0].Index != 20 || got[0].PValue != 0 {
		t.Fatalf("noiseless step, not exact: got %+v", got)
	}
}

func TestMinMagnitude(t *testing.T) {
	pts := noisy(2, 60, 5, 0.005, step(30, 100, 103))
	if got := detect(t, pts, Options{}); len(got) != 1 || got[0].Index != 30 {
		t.Fatalf("a 3%% step at 0.5%% noise: got %+v, want one change at 30", got)
	}
	if got := detect(t, pts, Options{MinMagnitude: 0.05}); len(got) != 0 {
		t.Fatalf("MinMagnitude 5%%: got %+v, want none", got)
	}
}

func TestWindowLongerThanSeries(t *testing.T) {
	pts := noisy(4, 30, 5, 0.02, step(12, 100, 125))
	for _, w := range []int{0, 31, 500, MaxWindow} {
		got := detect(t, pts, Options{Window: w})
		if len(got) != 1 || got[0].Index != 12 {
			t.Errorf("window %d: got %+v, want one change at 12", w, got)
		}
	}
}

func TestShortInput(t *testing.T) {
	for n := range 4 {
		pts := noisy(1, n, 3, 0.02, step(n/2, 100, 200))
		if got := detect(t, pts, Options{}); len(got) != 0 {
			t.Errorf("%d points: got %+v, want none", n, got)
		}
	}
	if got := detect(t, nil, Options{Exact: true}); got != nil {
		t.Errorf("exact, no points: %+v", got)
	}
	if got := detect(t, []Point{{[]float64{1}}}, Options{Exact: true}); got != nil {
		t.Errorf("exact, one point: %+v", got)
	}
}

// TestNonFinite: NaN and ±Inf samples are ignored, and a point with no
// other sample is skipped, while Index still counts it.
func TestNonFinite(t *testing.T) {
	pts := noisy(1, 40, 5, 0.02, step(25, 100, 120))
	pts[3].Values[0] = math.NaN()
	pts[30].Values[1] = math.Inf(1)
	pts[31].Values[4] = math.Inf(-1)
	pts[25].Values = []float64{math.NaN(), math.Inf(1)} // the first of the new level has no finite sample
	got := detect(t, pts, Options{})
	if len(got) != 1 || got[0].Index != 26 || got[0].After.N != 14 || math.IsNaN(got[0].PValue) {
		t.Fatalf("got %+v, want one change at 26 with 14 commits after", got)
	}
	all := []Point{{[]float64{math.NaN()}}, {nil}, {[]float64{math.Inf(1)}}}
	if got := detect(t, all, Options{}); got != nil {
		t.Fatalf("no finite sample: got %+v", got)
	}
}

func TestHugeValues(t *testing.T) {
	pts := noisy(1, 40, 3, 0.02, step(20, 1e307, 1.7e308))
	got := detect(t, pts, Options{}) // must not panic; whatever it finds is in range
	for _, c := range got {
		if c.Index < 0 || c.Index >= len(pts) {
			t.Fatalf("index %d out of range", c.Index)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []Options{
		{Window: 3}, {Window: MaxWindow + 1}, {Window: -1},
		{MaxP: -0.1}, {MaxP: 1.5}, {MaxP: math.NaN()},
		{MinMagnitude: -1}, {MinMagnitude: math.NaN()}, {MinMagnitude: math.Inf(1)},
	}
	for _, o := range bad {
		_, err := Detect(nil, o)
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.Hint == "" {
			t.Errorf("%+v: err = %v, want a *usererr.Error with a hint", o, err)
		}
	}
	for _, o := range []Options{{}, {Window: MinWindow, MaxP: 1}, {Window: MaxWindow, MinMagnitude: 0.5}} {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := Detect(make([]Point, MaxPoints+1), Options{}); err == nil {
		t.Errorf("%d points: no error", MaxPoints+1)
	}
	if _, err := Detect(make([]Point, MaxPoints), Options{}); err != nil {
		t.Errorf("%d points: %v", MaxPoints, err)
	}
}

func TestDeterministic(t *testing.T) {
	pts := noisy(9, 300, 5, 0.03, func(i int) float64 { return 100 + 10*float64(i/70) })
	first := detect(t, pts, Options{Window: 40})
	for range 5 {
		if got := detect(t, pts, Options{Window: 40}); !reflect.DeepEqual(got, first) {
			t.Fatalf("second run differs:\n%+v\n%+v", got, first)
		}
	}
}

// TestLongHistory is the series of BenchmarkDetect: 1,000 commits, a
// shift of ±5% or -10% every 150 commits.
func TestLongHistory(t *testing.T) {
	pts := noisy(1, 1000, 10, 0.02, func(i int) float64 { return 100 * (1 + 0.05*float64(i/150%3)) })
	for _, w := range []int{0, MaxWindow} {
		var idx []int
		for _, c := range detect(t, pts, Options{Window: w}) {
			idx = append(idx, c.Index)
		}
		if !reflect.DeepEqual(idx, []int{150, 300, 450, 600, 750, 900}) {
			t.Errorf("window %d: changes at %v, want every 150 commits", w, idx)
		}
	}
}

// TestInputUnchanged: Detect sorts copies, never the caller's samples.
func TestInputUnchanged(t *testing.T) {
	pts := noisy(1, 40, 5, 0.02, step(25, 100, 120))
	pts[3].Values[1] = math.NaN()
	want := make([][]float64, len(pts))
	for i, p := range pts {
		want[i] = append([]float64(nil), p.Values...)
	}
	detect(t, pts, Options{})
	detect(t, pts, Options{Exact: true})
	for i, p := range pts {
		for j, v := range p.Values {
			if math.Float64bits(v) != math.Float64bits(want[i][j]) {
				t.Fatalf("point %d sample %d changed: %v → %v", i, j, want[i][j], v)
			}
		}
	}
}

// TestShiftAndBack: a regression fixed a few commits later is two
// changes, found by the stretch search (bestBump) where no single split
// is significant: without it, a 3-commit +10% stretch in 100 commits was
// found 5 times in 50 with the default window and a 10-commit one never
// with a window of 200.
func TestShiftAndBack(t *testing.T) {
	for _, c := range []struct{ window, length int }{{0, 3}, {0, 10}, {200, 3}, {200, 10}} {
		missed := 0
		for seed := range uint64(20) {
			got := detect(t, noisy(seed, 100, 5, 0.02, func(i int) float64 {
				if i >= 40 && i < 40+c.length {
					return 110
				}
				return 100
			}), Options{Window: c.window})
			if len(got) != 2 || got[0].Index != 40 || got[1].Index != 40+c.length {
				missed++
				t.Logf("window %d, %d commits, seed %d: %+v", c.window, c.length, seed, got)
			}
		}
		if missed > 0 {
			t.Errorf("window %d: a +10%% stretch of %d commits was missed %d times in 20", c.window, c.length, missed)
		}
	}
}

func TestBestBump(t *testing.T) {
	seg := []float64{1, 1.1, 0.9, 1, 5, 5.1, 4.9, 1, 1.05, 0.95}
	a, b, p := bestBump(seg, make([]float64, len(seg)+1))
	if a != 4 || b != 7 || !(p < 1e-6) {
		t.Errorf("bestBump = %d, %d, %g; want 4, 7 and a tiny p", a, b, p)
	}
	// A single commit is not a stretch.
	seg = []float64{1, 1.1, 0.9, 1, 5, 1, 1.1, 1, 1.05, 0.95}
	if _, _, p := bestBump(seg, make([]float64, len(seg)+1)); p < 0.001 {
		t.Errorf("a one-commit spike: p = %g", p)
	}
	if _, _, p := bestBump([]float64{1, 2, 3, 4, 5}, make([]float64, 6)); p != 1 {
		t.Errorf("too short: p = %g, want 1", p)
	}
}
