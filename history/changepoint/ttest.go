package changepoint

import (
	"math"

	"github.com/aclements/go-moremath/mathx"
)

// splitP is the p-value of the split of v at c: Student's two-sample
// t-test of v[:c] against v[c:], multiplied by the number of splits the
// search could have chosen in v (Bonferroni), at most 1. The search picks
// the split where the two sides differ most, so the plain p-value of that
// split would be too small by about that factor.
func splitP(v []float64, c int) float64 {
	return min(1, tTest(v[:c], v[c:])*float64(max(1, len(v)-2*minSide+1)))
}

// tTest returns the two-sided p-value of Student's two-sample t-test, with
// pooled variance, that a and b have the same mean; 1 when they have
// fewer than three values together. When neither side varies, it is 0 if
// the means differ and 1 if they do not; when the statistic cannot be
// computed (values whose squares overflow), it is 1: no change is claimed.
//
// This is the test Hunter and Otava use (scipy's ttest_ind_from_stats,
// which pools), except that the variance here is the sample variance (n−1)
// where they pass numpy's population deviation. Welch's test, which
// estimates each side's variance alone, fits badly here: with two or
// three commits on a side that estimate is often tiny by chance, and the
// test then finds "changes" at the ends of flat series.
func tTest(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 || len(a)+len(b) < 3 {
		return 1 // no degree of freedom: nothing can be told
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	na, nb := float64(len(a)), float64(len(b))
	if va == 0 && vb == 0 {
		if ma == mb {
			return 1
		}
		return 0
	}
	df := na + nb - 2
	v := ((na-1)*va + (nb-1)*vb) / df
	t := (ma - mb) / math.Sqrt(v*(1/na+1/nb))
	return studentTwoSided(t, df)
}

// meanVar returns the mean and the sample variance (n−1) of v, computed
// in two passes; the variance of one value is 0.
func meanVar(v []float64) (mean, variance float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	for _, x := range v {
		d := x - mean
		variance += d * d
	}
	return mean, variance / float64(len(v)-1)
}

// studentTwoSided is P(|T| ≥ |t|) for Student's t with df degrees of
// freedom: the regularized incomplete beta I_{df/(df+t²)}(df/2, 1/2),
// computed directly so that small p-values keep their precision. It is 1
// for a t or df that is not a number.
func studentTwoSided(t, df float64) float64 {
	if math.IsNaN(t) || math.IsNaN(df) || df <= 0 || math.IsInf(df, 0) {
		return 1
	}
	if math.IsInf(t, 0) {
		return 0
	}
	x := df / (df + t*t)
	if math.IsNaN(x) {
		return 1
	}
	// mathx.BetaInc's continued fraction needs O(√df) terms and gives up
	// (panics) after 200; df here is below MaxPoints, which a test checks.
	return mathx.BetaInc(x, df/2, 0.5)
}
