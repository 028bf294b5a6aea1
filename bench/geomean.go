package bench

import (
	"math"

	"github.com/aclements/go-moremath/stats"
)

// geomeans computes, per unit, the geometric means of the centers of the
// benchmarks present on both sides, and the change of the geometric mean of
// their ratios — benchstat's geomean row.
func geomeans(rows []Row) []Geomean {
	var out []Geomean
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].Unit == rows[start].Unit {
			end++
		}
		if g, ok := geomean(rows[start:end]); ok {
			out = append(out, g)
		}
		start = end
	}
	return out
}

func geomean(rows []Row) (Geomean, bool) {
	var base, head, ratios []float64
	badRatio := false
	for i := range rows {
		r := &rows[i]
		if r.Base == nil || r.Head == nil {
			continue
		}
		b, h := r.Base.Center, r.Head.Center
		base = append(base, b)
		head = append(head, h)
		switch b {
		case h:
			ratios = append(ratios, 1)
		case 0:
			badRatio = true
		default:
			ratios = append(ratios, h/b)
		}
	}
	if len(base) == 0 {
		return Geomean{}, false
	}
	g := Geomean{Unit: rows[0].Unit, N: len(base),
		Base: positiveGeoMean(base), Head: positiveGeoMean(head), DeltaPct: math.NaN()}
	if !badRatio {
		if r := positiveGeoMean(ratios); !math.IsNaN(r) {
			g.DeltaPct = (r - 1) * 100
		}
	}
	return g, true
}

// positiveGeoMean is the geometric mean of xs, or NaN when a value is not
// positive (a geometric mean of zeros says nothing).
func positiveGeoMean(xs []float64) float64 {
	for _, x := range xs {
		if x <= 0 {
			return math.NaN()
		}
	}
	return stats.GeoMean(xs)
}
