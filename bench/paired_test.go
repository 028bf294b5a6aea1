package bench

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestSignedRankP(t *testing.T) {
	// Exact values, counted by hand over the 2^n sign assignments.
	tests := []struct {
		d    []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4, 5, 6}, 0.03125},                           // all positive, n=6: 2/64
		{[]float64{1, 2, 3, 4, 5}, 0.0625},                               // n=5: 2/32
		{[]float64{-1, 2, 3, 4, 5, 6}, 0.0625},                           // W+ = 20 of 21: 4/64
		{[]float64{1, -2, 3, -4, 5, -6}, 0.84375},                        // balanced
		{[]float64{0.5, 1.2, -0.3, 2.2, 1.9, 0.8, -0.1, 1.4}, 0.0390625}, // W- = 1+2: 5 of 256 sign sets as extreme, ×2
	}
	for _, tt := range tests {
		if got := signedRankP(tt.d); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("signedRankP(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
	if got := signedRankP(nil); got != 1 {
		t.Errorf("no differences: p = %v, want 1", got)
	}
	if got := minSignedRankP(6); got != 0.03125 {
		t.Errorf("minSignedRankP(6) = %v", got)
	}
}

func TestPairedTestDrift(t *testing.T) {
	// The machine drifts from 100 to 190 over ten rounds; head is 3% slower
	// in every round. Unpaired, the drift swamps it; paired, it is plain.
	var base, head []float64
	for i := range 10 {
		b := 100 + 10*float64(i)
		base = append(base, b)
		head = append(head, b*1.03)
	}
	p, delta, n := pairedTest(base, head, 0)
	if n != 10 || p > 0.01 || math.Abs(delta-3) > 1e-9 {
		t.Errorf("paired: p %v delta %v n %d; want p < 0.01, +3%%, 10 pairs", p, delta, n)
	}
	p, _, n = pairedTest([]float64{2, 2, 2}, []float64{2, 2, 2}, 0.05)
	if p != 1 || n != 0 {
		t.Errorf("identical: p %v n %d; want 1, 0", p, n)
	}
}

func TestPairedTestAgainstThreshold(t *testing.T) {
	rounds := func(ratios ...float64) (base, head []float64) {
		for i, r := range ratios {
			b := 100 + 10*float64(i)
			base, head = append(base, b), append(head, b*r)
		}
		return base, head
	}
	// A steady 3% slowdown is real but not beyond a 5% threshold.
	b, h := rounds(1.03, 1.03, 1.03, 1.03, 1.03, 1.03, 1.03, 1.03, 1.03, 1.03)
	if p, _, _ := pairedTest(b, h, 0.05); p <= 0.05 {
		t.Errorf("3%% against a 5%% threshold: p = %v, want > 0.05", p)
	}
	// A steady 20% slowdown is beyond it in every round: the smallest p.
	b, h = rounds(1.2, 1.19, 1.21, 1.22, 1.18, 1.2, 1.2, 1.25, 1.17, 1.2)
	if p, d, _ := pairedTest(b, h, 0.05); math.Abs(p-2.0/1024) > 1e-12 || d < 19 || d > 21 {
		t.Errorf("20%% slowdown: p = %v, delta %v; want 2/1024 and about +20%%", p, d)
	}
	// Noise of ±20% around no change, significant against zero in one
	// direction by chance, is not beyond the threshold.
	b, h = rounds(1.2, 1.15, 1.1, 1.25, 0.95, 1.18, 1.08, 0.9, 1.22, 1.12)
	if p0, _, _ := pairedTest(b, h, 0); p0 > 0.05 {
		t.Fatalf("the noise sample is meant to be significant against zero (p = %v)", p0)
	}
	if p, _, _ := pairedTest(b, h, 0.05); p <= 0.05 {
		t.Errorf("noise against a 5%% threshold: p = %v, want > 0.05", p)
	}
}

// A large median slowdown that one noisy round contradicts is not called
// unchanged: with rounds enough to decide in principle, the row is
// undecided and says that more rounds decide it.
func TestPairedBeyondThresholdUndecided(t *testing.T) {
	base := []float64{58, 60, 345, 59, 61, 57}
	head := []float64{600, 620, 855, 640, 610, 630} // round 3: only 2.5×
	opts := DefaultOptions()
	opts.Paired = true
	opts.Thresholds = Thresholds{Default: 3}
	c := compareText(t, results("X", "ns/op", base...), results("X", "ns/op", head...), opts)
	r := row(t, c, "X", "sec/op")
	if r.Status != StatusInsufficient || !strings.Contains(r.Note, "undecided after 6 rounds") || !strings.Contains(r.Note, "--count 12") {
		t.Errorf("status %s, note %q; want insufficient, undecided after 6 rounds, --count 12", r.Status, r.Note)
	}
	// Every round past the threshold: a regression.
	head[2] = 3500
	c = compareText(t, results("X", "ns/op", base...), results("X", "ns/op", head...), opts)
	if r := row(t, c, "X", "sec/op"); r.Status != StatusRegression {
		t.Errorf("every round 10× slower: status %s (%s); want regression", r.Status, r.Note)
	}
}

// NaN has no rank: the signed-rank test shows nothing, and returns.
func TestSignedRankTailsNaN(t *testing.T) {
	done := make(chan [2]float64, 1)
	go func() {
		lo, hi := signedRankTails([]float64{0.1, math.NaN(), 0.2, math.NaN()})
		done <- [2]float64{lo, hi}
	}()
	select {
	case got := <-done:
		if got != [2]float64{1, 1} {
			t.Errorf("tails %v, want 1, 1", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("signedRankTails did not return on NaN")
	}
}
