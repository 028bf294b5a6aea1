package changepoint

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The accuracy of Detect on histories like a CI runner's: each commit's
// run has its own speed (the machine, its neighbours: 1% Gaussian, shared
// by the run's samples) and each of its 5 samples its own noise (2%). A
// shift of the level at commit 500 of 1,000 should be found there; pure
// noise should give no change. docs/history.md "Accuracy" quotes
// BenchmarkAccuracy's numbers; TestAccuracy holds a floor under them.

// A noise is how much a commit's run (shared by its samples) and each
// sample vary, as relative standard deviations.
type noise struct {
	name        string
	run, sample float64
}

// quiet is a dedicated or lightly used runner; busy a shared CI runner.
var (
	quiet = noise{"quiet", 0.01, 0.02}
	busy  = noise{"busy", 0.03, 0.05}
)

// realistic is a series of n commits with noise nz around level(i).
func realistic(seed uint64, n int, nz noise, level func(i int) float64) []Point {
	r := rand.New(rand.NewPCG(seed, 0x243f6a8885a308d3))
	pts := make([]Point, n)
	for i := range pts {
		run := 1 + nz.run*r.NormFloat64()
		vs := make([]float64, 5)
		for j := range vs {
			vs[j] = level(i) * run * (1 + nz.sample*r.NormFloat64())
		}
		pts[i].Values = vs
	}
	return pts
}

// accuracy runs seeds series of 1,000 commits with a shift of shift (0.05
// is 5%; 0 is pure noise) at commit 500 and returns how many series had a
// change within 2 commits of it, how many exactly at it, and how many other
// changes were found in all.
func accuracy(tb testing.TB, seeds int, nz noise, shift float64, opts Options) (found, exact, falses int) {
	const n, at = 1000, 500
	for seed := range seeds {
		pts := realistic(uint64(seed)+1, n, nz, step(at, 100, 100*(1+shift)))
		got, err := Detect(pts, opts)
		if err != nil {
			tb.Fatal(err)
		}
		hit := false
		for _, c := range got {
			switch {
			case shift != 0 && !hit && c.Index >= at-2 && c.Index <= at+2:
				hit = true
				if c.Index == at {
					exact++
				}
			default:
				falses++
			}
		}
		if hit {
			found++
		}
	}
	return found, exact, falses
}

// BenchmarkAccuracy reports, per shift, the share of series where the
// shift was found (within 2 commits; exactly), and the false changes per
// 1,000 commits, over 100 series of 1,000 commits each:
//
//	go test -run '^$' -bench Accuracy -benchtime 1x ./history/changepoint
func BenchmarkAccuracy(b *testing.B) {
	const seeds = 100
	for _, nz := range []noise{quiet, busy} {
		for _, shift := range []float64{0, 0.02, 0.05, 0.10, 0.20} {
			b.Run(fmt.Sprintf("noise=%s/shift=%g%%", nz.name, shift*100), func(b *testing.B) {
				var found, exact, falses int
				for b.Loop() {
					found, exact, falses = accuracy(b, seeds, nz, shift, Options{})
				}
				if shift != 0 {
					b.ReportMetric(100*float64(found)/seeds, "%found")
					b.ReportMetric(100*float64(exact)/seeds, "%exact")
				}
				b.ReportMetric(float64(falses)/seeds, "false/1000commits")
			})
		}
	}
}

// TestAccuracy holds a floor under the accuracy docs/history.md states, on
// fewer series.
func TestAccuracy(t *testing.T) {
	const seeds = 20
	for _, c := range []struct {
		nz         noise
		shift      float64
		found      int // at least
		falses     int // at most, in seeds × 1,000 commits
		exactFloor int
	}{
		{quiet, 0, 0, 1, 0},
		{quiet, 0.05, 20, 1, 15},
		{quiet, 0.10, 20, 1, 18},
		{quiet, 0.20, 20, 1, 19},
		{busy, 0, 0, 1, 0},
		{busy, 0.10, 19, 1, 12},
		{busy, 0.20, 20, 1, 17},
	} {
		found, exact, falses := accuracy(t, seeds, c.nz, c.shift, Options{})
		t.Logf("%s, shift %g%%: found %d of %d (%d exactly), %d false changes in %d commits", c.nz.name, c.shift*100, found, seeds, exact, falses, seeds*1000)
		if found < c.found || exact < c.exactFloor || falses > c.falses {
			t.Errorf("shift %g%%: found %d (want ≥ %d), exactly %d (want ≥ %d), false %d (want ≤ %d)",
				c.shift*100, found, c.found, exact, c.exactFloor, falses, c.falses)
		}
	}
}
