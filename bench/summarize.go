package bench

import (
	"regexp"

	"golang.org/x/perf/benchmath"
)

// A SummaryRow summarises one benchmark in one unit of a single result set.
type SummaryRow struct {
	Name, Unit, Pkg, Label string
	Summary
}

// Summarize describes every benchmark of set in each unit — center and
// interval at the given confidence, as benchstat's single-column table —
// grouped by unit like Compare's rows. filter may be nil.
func Summarize(set *ResultSet, confidence float64, filter *regexp.Regexp) ([]SummaryRow, error) {
	p, err := pair(set, &ResultSet{Source: set.Source}, filter, false)
	if err != nil {
		return nil, err
	}
	thr := benchmath.Thresholds{CompareAlpha: DefaultAlpha}
	rows := make([]SummaryRow, len(p.groups))
	for i := range p.groups {
		g := &p.groups[i]
		a := set.Units.GetAssumption(g.unit)
		rows[i] = SummaryRow{Name: g.name, Unit: g.unit, Pkg: g.pkg, Label: g.label,
			Summary: *summarize(a, benchmath.NewSample(clone(g.base), &thr), confidence)}
	}
	return rows, nil
}
