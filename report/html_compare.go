package report

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/bench"
)

// compareSection is the comparison part of the HTML report.
type compareSection struct {
	Verdict  string
	Counts   []statusCount
	Method   string
	Alpha    string
	Warnings []string
	Rows     []htmlRow
}

type statusCount struct {
	Status string
	N      int
}

// An htmlRow is one row of the comparison table.
type htmlRow struct {
	// The cells of the text and Markdown tables.
	Name, Base, Head, Delta, P, N, Status string
	Pkg, Unit, Note, Search               string
	Class                                 string // the status, for colour
	Plot                                  *distPlot
	Profile                               *htmlProfile // compare --profile's, on regressions
}

// A distPlot draws base's and head's medians and 95% intervals on one
// scale, in an SVG 160 wide: a bar per side.
type distPlot struct {
	Base, Head *distBar
	Title      string
}

// A distBar is one side: its interval from X1 to X2 (equal when there is
// none) and its median at C, in SVG units.
type distBar struct{ X1, X2, C string }

// distWidth and distPad are the plot's width and its margin on each side.
const distWidth, distPad = 160.0, 4.0

// statusRank orders the table: what needs attention first.
var statusRank = map[bench.Status]int{
	bench.StatusRegression: 0, bench.StatusImprovement: 1, bench.StatusInsufficient: 2,
	bench.StatusAdded: 3, bench.StatusRemoved: 4, bench.StatusUnchanged: 5,
}

func compareRows(c *bench.Comparison) *compareSection {
	s := &compareSection{Verdict: string(c.Verdict()), Method: c.Method, Warnings: c.Warnings,
		Alpha: strconv.FormatFloat(c.Alpha, 'g', -1, 64)}
	rows := ptrs(c.Rows)
	slices.SortStableFunc(rows, func(a, b *bench.Row) int { return statusRank[a.Status] - statusRank[b.Status] })
	for _, st := range []bench.Status{bench.StatusRegression, bench.StatusImprovement, bench.StatusInsufficient, bench.StatusAdded, bench.StatusRemoved, bench.StatusUnchanged} {
		if n := c.Count(st); n > 0 {
			s.Counts = append(s.Counts, statusCount{string(st), n})
		}
	}
	s.Rows = make([]htmlRow, 0, len(rows))
	flames := 0 // rows whose flame graphs are drawn
	for _, r := range rows {
		c := rowCells(r)
		hr := htmlRow{Name: c.name, Base: c.base, Head: c.head, Delta: c.delta, P: c.p, N: c.n, Status: c.status,
			Pkg: r.Pkg, Unit: r.Unit, Note: r.Note, Class: string(r.Status)}
		if r.NotRun != "" {
			hr.Note = "not run: " + r.NotRun
		}
		hr.Search = strings.ToLower(r.Pkg + " " + r.Label + " " + r.Unit)
		hr.Plot = plotOf(r)
		hr.Profile = profileOf(r, flames < htmlMaxFlames)
		if hr.Profile != nil && hr.Profile.Diff != "" {
			flames++
		}
		s.Rows = append(s.Rows, hr)
	}
	return s
}

// plotOf draws r's two sides on a shared linear scale; nil when neither
// has a finite center.
func plotOf(r *bench.Row) *distPlot {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range []*bench.Summary{r.Base, r.Head} {
		if s == nil || !finiteNum(s.Center) {
			continue
		}
		for _, v := range []float64{s.Center, s.Low, s.High} {
			if finiteNum(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if lo > hi || !finiteNum(hi-lo) {
		return nil
	}
	if lo == hi { // one value: centre it
		lo, hi = lo-1, hi+1
	}
	x := func(v float64) string {
		return strconv.FormatFloat(distPad+(v-lo)/(hi-lo)*(distWidth-2*distPad), 'f', 1, 64)
	}
	bar := func(s *bench.Summary) *distBar {
		if s == nil || !finiteNum(s.Center) {
			return nil
		}
		b := &distBar{X1: x(s.Center), X2: x(s.Center), C: x(s.Center)}
		if finiteNum(s.Low) && finiteNum(s.High) {
			b.X1, b.X2 = x(s.Low), x(s.High)
		}
		return b
	}
	class := benchunit.ClassOf(r.Unit)
	side := func(what string, s *bench.Summary) string {
		if s == nil {
			return what + ": —"
		}
		t := what + ": median " + benchunit.Scale(s.Center, class)
		if finiteNum(s.Low) && finiteNum(s.High) {
			t += ", 95% interval " + benchunit.Scale(s.Low, class) + " to " + benchunit.Scale(s.High, class)
		}
		return t
	}
	return &distPlot{Base: bar(r.Base), Head: bar(r.Head), Title: side("base", r.Base) + "; " + side("head", r.Head)}
}
