package changepoint

import "slices"

// split runs E-Divisive over windows of v, each window long (the last may
// be shorter), and returns the cuts found at p-values below maxP,
// ascending. Windows start half a window apart, or at the last cut found
// when that is further on (as in Hunter and Otava).
func split(v []float64, window int, maxP float64) []int {
	n := len(v)
	if n < 2*minSide {
		return nil
	}
	sc := newScratch(min(window, n))
	var cuts []int
	step := window / 2
	for start := 0; ; {
		end := min(start+window, n)
		found := eDivisive(v[start:end], maxP, sc)
		next := start + step
		for _, f := range found {
			cuts = append(cuts, start+f)
			next = max(next, start+f)
		}
		if end == n {
			break
		}
		start = next
	}
	slices.Sort(cuts)
	return slices.Compact(cuts)
}

// scratch is the memory one window's search needs, reused across windows.
type scratch struct {
	rowL, rowR []float64
	sum        []float64
	cands      []candidate
}

func newScratch(n int) *scratch {
	return &scratch{rowL: make([]float64, n), rowR: make([]float64, n), sum: make([]float64, n+1)}
}

// A candidate is the best split of one segment [lo, hi) of a window.
type candidate struct {
	lo, hi int
	at     int     // the split; 0 when the segment is too short to split
	q      float64 // its divergence
	// The stretch [bumpA, bumpB) that differs most from the rest of the
	// segment and its p-value, once bumped ([bestBump]).
	bumpA, bumpB int
	bumpP        float64
	bumped       bool
}

// eDivisive returns the cuts of x (positions where a new level starts),
// found by E-Divisive means: the split of any current segment with the
// largest divergence is kept while the t-test of the segment's two sides
// ([splitP]) gives a p-value below maxP; when it does not, the stretch of
// any segment with the smallest p-value ([bestBump]) gives two cuts if that
// is below maxP. Ties go to the earliest.
func eDivisive(x []float64, maxP float64, sc *scratch) []int {
	if len(x) < 2*minSide {
		return nil
	}
	sc.cands = append(sc.cands[:0], bestSplit(x, 0, len(x), sc))
	var cuts []int
	for {
		best := -1
		for i, c := range sc.cands {
			if c.at != 0 && (best < 0 || c.q > sc.cands[best].q) {
				best = i
			}
		}
		if best >= 0 {
			c := sc.cands[best]
			if splitP(x[c.lo:c.hi], c.at-c.lo) < maxP {
				cuts = append(cuts, c.at)
				left, right := bestSplit(x, c.lo, c.at, sc), bestSplit(x, c.at, c.hi, sc)
				sc.cands[best] = left
				sc.cands = slices.Insert(sc.cands, best+1, right)
				continue
			}
		}
		// No single split is significant: look for a stretch that
		// differs from the rest of its segment. Each segment's stretch
		// is found once and kept with it.
		bump := -1
		for i := range sc.cands {
			c := &sc.cands[i]
			if !c.bumped {
				a, b, p := bestBump(x[c.lo:c.hi], sc.sum)
				c.bumpA, c.bumpB, c.bumpP, c.bumped = c.lo+a, c.lo+b, p, true
			}
			if bump < 0 || c.bumpP < sc.cands[bump].bumpP {
				bump = i
			}
		}
		if bump < 0 || sc.cands[bump].bumpP >= maxP {
			return cuts
		}
		c := sc.cands[bump]
		ba, bb := c.bumpA, c.bumpB
		cuts = append(cuts, ba, bb)
		sc.cands[bump] = bestSplit(x, c.lo, ba, sc)
		sc.cands = slices.Insert(sc.cands, bump+1, bestSplit(x, ba, bb, sc), bestSplit(x, bb, c.hi, sc))
	}
}

// bestSplit returns the split of x[lo:hi] with the largest divergence
// statistic of Matteson and James (α = 1):
//
//	Q(τ) = L·R/m · (2/(L·R)·Σ|xᵢ−yⱼ| − Σ|xᵢ−xₖ|/C(L,2) − Σ|yⱼ−yₖ|/C(R,2))
//
// where the x are the L values before τ and the y the R values from τ on,
// m = L+R. Every split leaves at least minSide values on each side. It
// costs O(m²) and allocates nothing.
func bestSplit(x []float64, lo, hi int, sc *scratch) candidate {
	c := candidate{lo: lo, hi: hi}
	seg := x[lo:hi]
	m := len(seg)
	if m < 2*minSide {
		return c
	}
	// rowL[p] = Σ_{i<p} |x_i − x_p|, rowR[p] = Σ_{k>p} |x_p − x_k|.
	rowL, rowR := sc.rowL[:m], sc.rowR[:m]
	clear(rowL)
	clear(rowR)
	for p := range m {
		for k := p + 1; k < m; k++ {
			d := seg[p] - seg[k]
			if d < 0 {
				d = -d
			}
			rowR[p] += d
			rowL[k] += d
		}
	}
	var withinR float64 // Σ_{τ≤j<k} |y_j − y_k| for τ = 0
	for _, r := range rowR {
		withinR += r
	}
	var withinL, leftRows float64 // Σ_{i<k<τ}, Σ_{i<τ} rowR[i]
	for tau := 1; tau <= m-minSide; tau++ {
		p := tau - 1 // moves from the right side to the left
		withinL += rowL[p]
		withinR -= rowR[p]
		leftRows += rowR[p]
		if tau < minSide {
			continue
		}
		l, r := float64(tau), float64(m-tau)
		between := leftRows - withinL
		q := l * r / float64(m) * (2*between/(l*r) - withinL/(l*(l-1)/2) - withinR/(r*(r-1)/2))
		if c.at == 0 || q > c.q {
			c.at, c.q = lo+tau, q
		}
	}
	return c
}
