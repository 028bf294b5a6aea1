package changepoint

import (
	"math"
	"testing"
)

func TestStudentTwoSided(t *testing.T) {
	// Reference values: mpmath's regularized incomplete beta at 30 digits,
	// I_{df/(df+t²)}(df/2, 1/2) (R's 2*pt(-|t|, df) agrees).
	for _, c := range []struct{ t, df, p, tol float64 }{
		{2.0, 10, 0.0733880347707404, 1e-12},
		{3.5, 20, 0.00225512315305717, 1e-13},
		{0, 5, 1, 0},
		{1.0, 1, 0.5, 1e-12}, // Cauchy: 1 - 2·atan(1)/π
		{-2.0, 10, 0.0733880347707404, 1e-12},
		{1.959964, 1e6, 0.0500002754881037, 1e-9}, // nearly normal
		{10, 30, 4.57525140822961e-11, 1e-20},
		{math.Inf(1), 10, 0, 0},
		{math.NaN(), 10, 1, 0},
		{2, math.NaN(), 1, 0},
	} {
		got := studentTwoSided(c.t, c.df)
		if math.Abs(got-c.p) > c.tol {
			t.Errorf("t=%v df=%v: p = %.10g, want %.10g ± %g", c.t, c.df, got, c.p, c.tol)
		}
	}
}

// TestStudentTwoSidedConverges: the continued fraction of mathx.BetaInc
// panics when it does not converge; every df a series of MaxPoints can
// give must be fine, at every t.
func TestStudentTwoSidedConverges(t *testing.T) {
	for df := 0.5; df <= 2*MaxPoints; df *= 1.3 {
		for tt := 0.001; tt < 1e4; tt *= 1.7 {
			p := studentTwoSided(tt, df)
			if !(p >= 0 && p <= 1) {
				t.Fatalf("t=%v df=%v: p = %v", tt, df, p)
			}
		}
	}
}

func TestTTest(t *testing.T) {
	// pooled variance 3.1, t = -2.87368, df = 8, p = 0.0207113874880812 (mpmath).
	a := []float64{1, 2, 3, 4, 5}
	b := []float64{4, 5, 6, 7, 9}
	if got := tTest(a, b); math.Abs(got-0.0207113874880812) > 1e-12 {
		t.Errorf("tTest = %.15f", got)
	}
	// One side of one value: its variance is 0, the pooled one is the other's.
	if got, want := tTest([]float64{1}, b), studentTwoSided(-5.2/math.Sqrt(3.7*1.2), 4); got != want {
		t.Errorf("one value against five: %v, want %v", got, want)
	}
	if p := tTest([]float64{1}, []float64{2}); p != 1 {
		t.Errorf("one value a side: %v, want 1", p)
	}
	if p := splitP([]float64{1, 2}, 1); p != 1 {
		t.Errorf("splitP of one value a side: %v, want 1", p)
	}
	if p := splitP([]float64{1, 2, 2}, 1); p != 0 {
		t.Errorf("splitP of 1 | 2 2: %v, want 0", p)
	}
	if p := tTest([]float64{1, 1}, []float64{1, 1, 1}); p != 1 {
		t.Errorf("equal constants: %v", p)
	}
	if p := tTest([]float64{1, 1}, []float64{2, 2, 2}); p != 0 {
		t.Errorf("different constants: %v", p)
	}
	// splitP multiplies by the number of possible splits: 10 values, 2 on
	// each side at least, 7 splits.
	v := append(append([]float64{}, a...), b...)
	if got := splitP(v, 5); math.Abs(got-7*0.0207113874880812) > 1e-12 {
		t.Errorf("splitP = %v", got)
	}
	if got := splitP([]float64{1, 2, 1, 2, 1, 2, 1, 2}, 4); got != 1 {
		t.Errorf("splitP of no difference = %v, want 1 (capped)", got)
	}
}
