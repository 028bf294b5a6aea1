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
// round slowed both. It returns the two-sided p-value of the Wilcoxon
// signed-rank test on the per-round log ratios, the median ratio as a
// percent change, and how many rounds took part (rounds without a
// difference do not).
func pairedTest(base, head []float64) (p, deltaPct float64, n int) {
	if len(base) != len(head) || len(base) == 0 {
		return math.NaN(), math.NaN(), 0
	}
	diffs := make([]float64, 0, len(base))
	ratios := make([]float64, 0, len(base))
	logs := true
	for i := range base {
		if base[i] <= 0 || head[i] <= 0 {
			logs = false
		}
	}
	for i := range base {
		if base[i] > 0 {
			ratios = append(ratios, head[i]/base[i])
		}
		d := head[i] - base[i]
		if logs {
			d = math.Log(head[i]) - math.Log(base[i])
		}
		if d != 0 {
			diffs = append(diffs, d)
		}
	}
	deltaPct = math.NaN()
	if len(ratios) > 0 {
		deltaPct = (median(ratios) - 1) * 100
	}
	return signedRankP(diffs), deltaPct, len(diffs)
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
// test for the non-zero differences d. Tied magnitudes get average ranks;
// the exact null distribution is computed over doubled ranks, which are
// integers, by counting the 2^n sign assignments with dynamic programming.
func signedRankP(d []float64) float64 {
	n := len(d)
	if n == 0 {
		return 1
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
	// Two-sided: the probability of a sum at least as far from the middle.
	dev := math.Abs(float64(2*wPlus - total))
	tail := 0.0
	for s, c := range counts {
		if math.Abs(float64(2*s-total)) >= dev-1e-9 {
			tail += c
		}
	}
	return math.Min(1, tail/all)
}

// minSignedRankP is the smallest p-value n pairs can give: all differences
// of one sign.
func minSignedRankP(n int) float64 { return math.Min(1, 2/math.Pow(2, float64(n))) }
