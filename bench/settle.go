package bench

import (
	"math"
	"strings"
)

// Adaptive rounds. An interleaved run need not run every benchmark
// --count rounds: once a benchmark is settled, more rounds cannot change
// what is decided about it, and the machine time is better spent on the
// others. A benchmark (a top-level Benchmark function, with its
// sub-benchmarks) is settled when every one of its rows is:
//
//   - a row whose values are the same in every round on each side
//     (allocation counts, usually; B/op) is decided exactly, at once;
//   - any other row is settled when it is shown to be inside
//     ±threshold: the two one-sided signed-rank tests of the per-round log
//     ratios against +threshold and -threshold both reject at alpha (TOST
//     equivalence), after at least MinRounds rounds.
//
// Stopping a row because it is shown unchanged cannot raise a false
// alarm: it can only miss a regression, and only one the test has just
// shown, at alpha, to be smaller than the threshold. Nothing stops early
// because it looks like a regression: deciding that at an interim look
// would need an error-spending boundary (Haybittle-Peto's p < 0.001, say),
// which the exact signed-rank test cannot reach before about 11 rounds
// (its smallest p-value is 2/2^n), so such rows simply run all rounds.

// VaryingAllocsTolerance is the threshold of allocs/op on rows whose
// counts vary from round to round within a side (map growth, GC timing and
// sync.Pool make some do): those are decided like time, by the paired
// test, with at least this tolerance, instead of exactly.
const VaryingAllocsTolerance = 0.01

// constant reports whether every value of xs is the same.
func constant(xs []float64) bool {
	if len(xs) == 0 {
		return false
	}
	for _, x := range xs[1:] {
		if x != xs[0] {
			return false
		}
	}
	return true
}

// rowThreshold is the threshold a row is judged by: the unit's, or at
// least VaryingAllocsTolerance for allocation counts that vary.
func rowThreshold(t Thresholds, unit string, exact bool) float64 {
	thr := t.For(unit)
	if unit == ExactUnit && !exact {
		thr = math.Max(thr, VaryingAllocsTolerance)
	}
	return thr
}

// equivalenceP is the p-value of the two one-sided signed-rank tests that
// the median per-round log ratio of head to base lies within
// ±log(1+threshold): the larger of the two. It is 1 when that cannot be
// tested (no tolerance, unequal lengths, values that are not positive and
// finite).
func equivalenceP(base, head []float64, threshold float64) float64 {
	if threshold <= 0 || len(base) != len(head) || len(base) == 0 {
		return 1
	}
	d := make([]float64, len(base))
	for i := range base {
		// Written so that NaN fails it: signedRankTails never ends on a NaN.
		if !(base[i] > 0 && head[i] > 0 && !math.IsInf(base[i], 1) && !math.IsInf(head[i], 1)) {
			return 1
		}
		d[i] = math.Log(head[i]) - math.Log(base[i])
	}
	delta := math.Log1p(threshold)
	below, _ := signedRankTails(nonZero(d, delta))  // P(W+ ≤ w): the ratios sit below +threshold
	_, above := signedRankTails(nonZero(d, -delta)) // P(W+ ≥ w): they sit above -threshold
	return math.Max(below, above)
}

// A settleRule says when a benchmark of an interleaved run is settled.
type settleRule struct {
	Alpha      float64
	Thresholds Thresholds
	MinRounds  int
}

// unsettled returns, per package, the top-level benchmarks (as the binary
// names them: "BenchmarkParse") that are not settled after the rounds of
// base and head so far.
func (s *settleRule) unsettled(base, head *ResultSet) map[string]map[string]bool {
	p, err := pair(base, head, nil, false)
	if err != nil {
		return nil
	}
	out := map[string]map[string]bool{}
	for i := range p.groups {
		g := &p.groups[i]
		if s.settled(g) {
			continue
		}
		top := "Benchmark" + topLevel(g.name)
		if out[g.pkg] == nil {
			out[g.pkg] = map[string]bool{}
		}
		out[g.pkg][top] = true
	}
	return out
}

func (s *settleRule) settled(g *group) bool {
	switch {
	case g.base == nil || g.head == nil:
		return true // added or removed: nothing to decide
	case len(g.base) != len(g.head) || len(g.base) < s.MinRounds:
		return false
	case exactCounts(g.unit, g.base, g.head):
		return true // decided exactly
	}
	thr := rowThreshold(s.Thresholds, g.unit, false)
	return atMost(equivalenceP(g.base, g.head, thr), s.Alpha)
}

// topLevel is the top-level benchmark of a name: "Parse/small-8" and
// "Parse-8" are "Parse".
func topLevel(name string) string {
	if top, _, ok := strings.Cut(name, "/"); ok {
		return top
	}
	top, _ := splitProcs(name)
	return top
}
