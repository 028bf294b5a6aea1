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
		c := cuts[k]
		if c-lo < minSide || hi-c < minSide {
			p[k] = 1 // cannot be tested: too short a side
		} else {
			p[k] = splitP(v[lo:hi], c-lo)
		}
		if minMag > 0 {
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
