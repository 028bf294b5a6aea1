package changepoint

import "slices"

// merge re-tests each cut against its neighbouring cuts over the whole of
// v and removes the weakest one until every cut passes, as Otava does: the
// weakest is the one with the largest p-value when that is maxP or more,
// else the one with the smallest magnitude when that is below minMag.
// After a removal only its two neighbours are re-tested. Ties go to the
// earliest cut.
func merge(v []float64, cuts []int, maxP, minMag float64) []int {
	if len(cuts) == 0 {
		return nil
	}
	cuts = slices.Clone(cuts)
	p := make([]float64, len(cuts))
	mag := make([]float64, len(cuts))
	var buf []float64
	test := func(k int) {
		lo, hi := 0, len(v)
		if k > 0 {
			lo = cuts[k-1]
		}
		if k+1 < len(cuts) {
			hi = cuts[k+1]
		}
		p[k] = splitP(v[lo:hi], cuts[k]-lo)
		if minMag > 0 {
			c := cuts[k]
			buf = append(buf[:0], v[lo:c]...)
			b := median(buf)
			buf = append(buf[:0], v[c:hi]...)
			mag[k] = magnitude(b, median(buf))
		}
	}
	for k := range cuts {
		test(k)
	}
	for len(cuts) > 0 {
		weak := 0
		for k := range p {
			if p[k] > p[weak] {
				weak = k
			}
		}
		if p[weak] < maxP {
			if minMag <= 0 {
				return cuts
			}
			weak = 0
			for k := range mag {
				if mag[k] < mag[weak] {
					weak = k
				}
			}
			if mag[weak] >= minMag {
				return cuts
			}
		}
		cuts = slices.Delete(cuts, weak, weak+1)
		p = slices.Delete(p, weak, weak+1)
		mag = slices.Delete(mag, weak, weak+1)
		if weak > 0 {
			test(weak - 1)
		}
		if weak < len(cuts) {
			test(weak)
		}
	}
	return nil
}

// refine moves a cut that has at most refineSide commits on one side,
// one commit at a time, while that fits the two levels around it better: a
// smaller sum of squared deviations from each side's mean, the
// least-squares estimate of where a level shifted. It stops at the
// neighbouring cuts; a side may end with one commit. The search keeps
// minSide commits on each side and its statistic is small near the ends
// of a segment, so a shift in the newest commit or two is found a little
// early; refine moves it to where it happened. Cuts well inside their
// segment are left where E-Divisive put it: least squares is thrown off
// when the noise differs on the two sides.
func refine(v []float64, cuts []int) {
	const refineSide = minSide + 1
	var sum, sq []float64
	for k := range cuts {
		lo, hi := 0, len(v)
		if k > 0 {
			lo = cuts[k-1]
		}
		if k+1 < len(cuts) {
			hi = cuts[k+1]
		}
		seg := v[lo:hi]
		m := len(seg)
		if c := cuts[k] - lo; min(c, m-c) > refineSide {
			continue
		}
		// Prefix sums of the values and their squares, centred on the
		// segment's mean so that the differences below keep their digits.
		mean, _ := meanVar(seg)
		sum, sq = append(sum[:0], 0), append(sq[:0], 0)
		for i, x := range seg {
			d := x - mean
			sum = append(sum, sum[i]+d)
			sq = append(sq, sq[i]+d*d)
		}
		cost := func(c int) float64 { // SSE of seg[:c] plus SSE of seg[c:]
			l, r := sum[c], sum[m]-sum[c]
			return sq[m] - l*l/float64(c) - r*r/float64(m-c)
		}
		c := cuts[k] - lo
		for {
			best, bestCost := c, cost(c)
			for _, d := range []int{c - 1, c + 1} {
				if d >= 1 && d <= m-1 {
					if dc := cost(d); dc < bestCost {
						best, bestCost = d, dc
					}
				}
			}
			if best == c {
				break
			}
			c = best
		}
		cuts[k] = lo + c
	}
}
