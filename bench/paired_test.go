package bench

import (
	"math"
	"testing"
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
	p, delta, n := pairedTest(base, head)
	if n != 10 || p > 0.01 || math.Abs(delta-3) > 1e-9 {
		t.Errorf("paired: p %v delta %v n %d; want p < 0.01, +3%%, 10 pairs", p, delta, n)
	}
	p, _, n = pairedTest([]float64{2, 2, 2}, []float64{2, 2, 2})
	if p != 1 || n != 0 {
		t.Errorf("identical: p %v n %d; want 1, 0", p, n)
	}
}
