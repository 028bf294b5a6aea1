package changepoint

import "math"

// bestBump is circular binary segmentation's step (Olshen et al., 2004)
// for a segment where no single split is significant: the stretch
// seg[a:b], with at least minSide commits in it and on either side of it,
// whose mean differs most from the rest's (the largest between-group sum
// of squares, which is also the largest t). It returns a and b and the
// p-value of Student's t-test of the stretch against the rest, multiplied
// by the number of stretches tried (Bonferroni), at most 1; p is 1 when no
// stretch fits. A level that shifts and shifts back within one segment
// (a regression fixed a few commits later) has no single split that tells
// it from the rest; its stretch does. It costs O(m²) for m = len(seg).
func bestBump(seg []float64, sum []float64) (a, b int, p float64) {
	m := len(seg)
	if m < 3*minSide {
		return 0, 0, 1
	}
	mean, _ := meanVar(seg)
	sum = sum[:m+1]
	sum[0] = 0
	var sst float64
	for i, x := range seg {
		d := x - mean
		sum[i+1] = sum[i] + d
		sst += d * d
	}
	best, tries := -1.0, 0
	fm := float64(m)
	for i := minSide; i <= m-2*minSide; i++ {
		for j := i + minSide; j <= m-minSide; j++ {
			tries++
			in := float64(j - i)
			s := sum[j] - sum[i] // the stretch's sum of centred values
			between := s * s * fm / (in * (fm - in))
			if between > best {
				best, a, b = between, i, j
			}
		}
	}
	sse := sst - best
	if !(best > 0) {
		return 0, 0, 1
	}
	if sse <= 0 {
		return a, b, 0
	}
	t := math.Sqrt(best * (fm - 2) / sse)
	return a, b, min(1, studentTwoSided(t, fm-2)*float64(tries))
}
