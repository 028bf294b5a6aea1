package bench

import (
	"math"
	"sort"
)

// MethodPaired names the decision method of interleaved runs.
const MethodPaired = "wilcoxon-signed-rank"

// MethodUnpaired names benchstat's method, used for result files.
const MethodUnpaired = "mann-whitney-u"

// pairedTest compares samples measured in interleaved rounds: base[i] and
// head[i] ran back to back in round i, so whatever slowed the machine in that
// round slowed both. It tests the per-round log ratios against the
// threshold, not against zero: "head is slower by more than threshold" and
// "head is faster by more than threshold" are each a one-sided Wilcoxon
// signed-rank test on the log ratios shifted by log(1+threshold), and p is
// twice the smaller of the two (so it reads like a two-sided p-value). A
// round-to-round noise of ±20% then no longer passes for a change "beyond
// 5%" just because it is significantly different from zero. deltaPct is the
// median ratio as a percent change and n the rounds whose ratio is not 1.
func pairedTest(base, head []float64, threshold float64) (p, deltaPct float64, n int) {
	if len(base) != len(head) || len(base) == 0 {
		return math.NaN(), math.NaN(), 0
	}
	logs := true
	for i := range base {
		if base[i] <= 0 || head[i] <= 0 {
			logs = false
		}
	}
	ratios := make([]float64, 0, len(base))
	diffs := make([]float64, 0, len(base))
	for i := range base {
		if base[i] > 0 {
			ratios = append(ratios, head[i]/base[i])
		}
		d := head[i] - base[i]
		if logs {
			d = math.Log(head[i]) - math.Log(base[i])
		}
		if d != 0 {
			n++
		}
		diffs = append(diffs, d)
	}
	deltaPct = math.NaN()
	if len(ratios) > 0 {
		deltaPct = (median(ratios) - 1) * 100
	}
	if !logs || threshold <= 0 {
		// Without ratios (zeros) or a threshold, test the differences
		// against zero, two-sided.
		return signedRankP(nonZero(diffs, 0)), deltaPct, n
	}
	shift := math.Log1p(threshold)
	_, slower := signedRankTails(nonZero(diffs, shift))  // P(W+ ≥ w): head slower beyond the threshold
	faster, _ := signedRankTails(nonZero(diffs, -shift)) // P(W+ ≤ w): head faster beyond it
	return math.Min(1, 2*math.Min(slower, faster)), deltaPct, n
}

// nonZero returns d[i]-shift for every i where that is not zero.
func nonZero(d []float64, shift float64) []float64 {
	out := make([]float64, 0, len(d))
	for _, x := range d {
		if x-shift != 0 {
			out = append(out, x-shift)
		}
	}
	return out
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// signedRankP is the exact two-sided p-value of the Wilcoxon signed-rank
// test for the non-zero differences d.
func signedRankP(d []float64) float64 {
	lower, upper := signedRankTails(d)
	return math.Min(1, 2*math.Min(lower, upper))
}

// signedRankTails returns the exact one-sided p-values of the Wilcoxon
// signed-rank statistic W+ (the sum of the ranks of the positive
// differences) of the non-zero differences d: P(W+ ≤ w) and P(W+ ≥ w) under
// the null hypothesis of a distribution symmetric around zero. Tied
// magnitudes get average ranks; the null distribution is counted over the
// 2^n sign assignments of the doubled (integer) ranks by dynamic
// programming. With no differences both tails are 1.
func signedRankTails(d []float64) (lower, upper float64) {
	n := len(d)
	if n == 0 {
		return 1, 1
	}
	for _, x := range d {
		if math.IsNaN(x) {
			return 1, 1 // no order, no ranks: nothing is shown
		}
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(d[idx[a]]) < math.Abs(d[idx[b]]) })
	rank2 := make([]int, n) // doubled average ranks
	for i := 0; i < n; {
		j := i
		for j < n && math.Abs(d[idx[j]]) == math.Abs(d[idx[i]]) {
			j++
		}
		r2 := i + 1 + j // (i+1 + j) = 2 × average of ranks i+1..j
		for k := i; k < j; k++ {
			rank2[idx[k]] = r2
		}
		i = j
	}
	total, wPlus := 0, 0
	for i, r := range rank2 {
		total += r
		if d[i] > 0 {
			wPlus += r
		}
	}
	// counts[s] = number of sign assignments whose positive doubled-rank sum is s.
	counts := make([]float64, total+1)
	counts[0] = 1
	for _, r := range rank2 {
		for s := total; s >= r; s-- {
			counts[s] += counts[s-r]
		}
	}
	all := math.Pow(2, float64(n))
	for s, c := range counts {
		if s <= wPlus {
			lower += c
		}
		if s >= wPlus {
			upper += c
		}
	}
	return lower / all, upper / all
}

// minSignedRankP is the smallest p-value n pairs can give: all differences
// of one sign.
func minSignedRankP(n int) float64 { return math.Min(1, 2/math.Pow(2, float64(n))) }
