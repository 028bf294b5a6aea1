package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/bench"
)

// cells are the formatted columns of one comparison row, shared by the text
// and Markdown renderers.
//
// delta is always the change of the centers shown beside it (base → head;
// delta_pct in JSON), so that the numbers of a row agree. paired is, in a
// row of interleaved rounds, the median of the per-round changes
// (paired_delta_pct), which the threshold and the signed-rank test judge:
// it can differ from delta, even in sign, when the machine's speed drifted
// during the run. p is the p-value of the test that decided (paired_p_value
// in a paired row, else p_value). An exact row (counts that do not vary)
// is decided by its centers, and its paired cell says "exact".
type cells struct {
	name, base, head, delta, paired, p, n, status string
}

func rowCells(r *bench.Row) cells {
	class := benchunit.ClassOf(r.Unit)
	both := r.Base != nil && r.Head != nil
	c := cells{
		name:   r.Label,
		base:   summaryCell(r.Base, class),
		head:   summaryCell(r.Head, class),
		delta:  pctCell(r.DeltaPct, both),
		p:      pCell(r.PValue),
		n:      nCell(r),
		status: string(r.Status),
	}
	if r.Method == bench.MethodPaired {
		c.paired, c.p = pctCell(r.PairedDeltaPct, both), pCell(r.PairedP)
		if r.Exact {
			c.paired = "exact" // counts that do not vary: their centers decide
		}
	}
	return c
}

// disagree reports whether r's centers and its paired change point in
// different directions: a row whose rounds say one thing and whose
// medians the other, which a report must explain.
func disagree(r *bench.Row) bool {
	if r.Method != bench.MethodPaired || r.Exact || r.Base == nil || r.Head == nil || math.IsNaN(r.DeltaPct) || math.IsNaN(r.PairedDeltaPct) {
		return false
	}
	return r.DeltaPct*r.PairedDeltaPct < 0
}

// pairedLegend says what the two changes of a paired table are, called
// delta and paired as its columns are, and names the rows (at most three)
// where they point in different directions.
func pairedLegend(rows []*bench.Row, delta, paired string) string {
	s := delta + " is the change of the centers shown (delta_pct in JSON); " + paired + ", the median of the per-round changes " +
		"of head against base (paired_delta_pct), is what the threshold and the signed-rank test judge"
	var names []string
	for _, r := range rows {
		if disagree(r) {
			names = append(names, r.Label)
		}
	}
	if len(names) > 0 {
		who := strings.Join(names[:min(3, len(names))], ", ")
		if len(names) > 3 {
			who += fmt.Sprintf(" and %d more", len(names)-3)
		}
		s += fmt.Sprintf(". The two point in different directions for %s, as when the machine's speed drifts during the run: "+
			"a drift moves the centers of both sides but cancels out of each round's change, so %s decides", who, paired)
	}
	return s
}

// paired reports whether rows were measured in interleaved rounds.
func paired(rows []*bench.Row) bool {
	return slices.ContainsFunc(rows, func(r *bench.Row) bool { return r.Method == bench.MethodPaired })
}

// ptrs points at each of rows.
func ptrs(rows []bench.Row) []*bench.Row {
	out := make([]*bench.Row, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// summaryCell formats a center with its own SI or binary prefix (benchstat
// uses one scale per row, which turns 44µs next to 990ns into "44329.0n")
// and the interval as ± percent, as benchstat does.
func summaryCell(s *bench.Summary, class benchunit.Class) string {
	if s == nil {
		return "—"
	}
	rng := benchmath.Summary{Center: s.Center, Lo: s.Low, Hi: s.High}.PctRangeString()
	return benchunit.Scale(s.Center, class) + " ± " + rng
}

func pctCell(pct float64, defined bool) string {
	switch {
	case !defined:
		return ""
	case math.IsNaN(pct):
		return "?"
	case math.Abs(pct) < 0.005: // would print as ±0.00%
		return "0.00%"
	}
	return fmt.Sprintf("%+.2f%%", pct)
}

func pCell(p float64) string {
	if math.IsNaN(p) {
		return ""
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func nCell(r *bench.Row) string {
	switch {
	case r.Base == nil && r.Head == nil:
		return ""
	case r.Base == nil:
		return strconv.Itoa(r.Head.N)
	case r.Head == nil:
		return strconv.Itoa(r.Base.N)
	case r.Base.N == r.Head.N:
		return strconv.Itoa(r.Base.N)
	}
	return fmt.Sprintf("%d+%d", r.Base.N, r.Head.N)
}

func geomeanCells(g *bench.Geomean) cells {
	class := benchunit.ClassOf(g.Unit)
	return cells{
		name:  "geomean",
		base:  scaledOrDash(g.Base, class),
		head:  scaledOrDash(g.Head, class),
		delta: pctCell(g.DeltaPct, true),
	}
}

func scaledOrDash(v float64, class benchunit.Class) string {
	if math.IsNaN(v) {
		return "—"
	}
	return benchunit.Scale(v, class)
}

// unitTables splits the measured rows (not those not run) into runs of
// the same unit.
func unitTables(all []bench.Row) [][]bench.Row {
	rows := make([]bench.Row, 0, len(all))
	for i := range all {
		if all[i].NotRun == "" {
			rows = append(rows, all[i])
		}
	}
	var out [][]bench.Row
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].Unit == rows[start].Unit {
			end++
		}
		out = append(out, rows[start:end])
		start = end
	}
	return out
}

// A notRunGroup is the benchmarks of one package that were not measured.
type notRunGroup struct {
	reason, pkg string
	names       []string // without units, in the order first seen
}

// notRunGroups gathers the rows not run by package (and reason).
func notRunGroups(rows []bench.Row) (groups []notRunGroup, benchmarks int) {
	index := map[string]int{}
	for i := range rows {
		r := &rows[i]
		if r.NotRun == "" {
			continue
		}
		k := r.NotRun + "\x00" + r.Pkg
		gi, ok := index[k]
		if !ok {
			gi = len(groups)
			index[k] = gi
			groups = append(groups, notRunGroup{reason: r.NotRun, pkg: r.Pkg})
		}
		if g := &groups[gi]; !slices.Contains(g.names, r.Name) {
			g.names = append(g.names, r.Name)
			benchmarks++
		}
	}
	return groups, benchmarks
}

func geomeanFor(c *bench.Comparison, unit string) *bench.Geomean {
	for i := range c.Geomeans {
		if c.Geomeans[i].Unit == unit {
			return &c.Geomeans[i]
		}
	}
	return nil
}

// verdictLine is the one-line outcome of a comparison, e.g.
// "FAIL: 1 regression · 2 improvements · 10 unchanged".
func verdictLine(c *bench.Comparison) string {
	counts := []struct {
		s         bench.Status
		one, many string
	}{
		{bench.StatusRegression, "regression", "regressions"},
		{bench.StatusImprovement, "improvement", "improvements"},
		{bench.StatusUnchanged, "unchanged", "unchanged"},
		{bench.StatusInsufficient, "insufficient", "insufficient"},
		{bench.StatusAdded, "added", "added"},
		{bench.StatusRemoved, "removed", "removed"},
	}
	parts := make([]string, 0, len(counts))
	for _, k := range counts {
		n := c.Count(k.s)
		if n == 0 && k.s != bench.StatusRegression {
			continue
		}
		part := plural(n, k.one, k.many)
		if k.s == bench.StatusUnchanged {
			if nr := c.NotRun(); nr > 0 {
				part += fmt.Sprintf(" (%d not run: identical)", nr)
			}
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " · ")
}

// settingsLine states the decision rule that produced the verdict.
func settingsLine(c *bench.Comparison) string {
	type unit struct {
		name       string
		thr        float64
		exact, all bool // some rows are decided exactly; all of them are
	}
	var units []*unit
	byName := map[string]*unit{}
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.NotRun != "" {
			continue
		}
		u := byName[r.Unit]
		if u == nil {
			u = &unit{name: r.Unit, thr: r.Threshold, all: true}
			byName[r.Unit] = u
			units = append(units, u)
		}
		u.thr = math.Min(u.thr, r.Threshold)
		u.exact = u.exact || r.Exact
		u.all = u.all && r.Exact
	}
	thr := make([]string, 0, len(units))
	for _, u := range units {
		t := u.name + " " + strconv.FormatFloat(percent(u.thr), 'g', -1, 64) + "%"
		switch {
		case u.all:
			t += " exact"
		case u.exact:
			t += " (exact where constant)"
		}
		thr = append(thr, t)
	}
	if len(units) == 0 {
		return fmt.Sprintf("alpha %v · nothing measured", c.Alpha)
	}
	method := ""
	if c.Method == bench.MethodPaired && c.Rounds > 0 {
		method = fmt.Sprintf(" · paired over up to %d interleaved rounds (Wilcoxon signed-rank)", c.Rounds)
	}
	correction := ""
	if c.Correction == bench.CorrectionHolm && c.Tested > 1 {
		correction = fmt.Sprintf(" · Holm across %d rows", c.Tested)
	}
	return fmt.Sprintf("alpha %v%s · thresholds: %s%s", c.Alpha, correction, strings.Join(thr, ", "), method)
}

// notes collects the distinct row notes with the rows they apply to.
func notes(rows []bench.Row) []string {
	type note struct {
		text  string
		names []string
	}
	var list []*note
	byText := map[string]*note{}
	for i := range rows {
		r := &rows[i]
		if r.Note == "" {
			continue
		}
		n := byText[r.Note]
		if n == nil {
			n = &note{text: r.Note}
			byText[r.Note] = n
			list = append(list, n)
		}
		n.names = append(n.names, r.Label)
	}
	out := make([]string, len(list))
	for i, n := range list {
		who := strings.Join(n.names[:min(3, len(n.names))], ", ")
		if len(n.names) > 3 {
			who += fmt.Sprintf(" and %d more", len(n.names)-3)
		}
		out[i] = who + ": " + n.text
	}
	return out
}

// percent turns a fraction into a percentage without the floating-point
// noise of the multiplication: 0.07 is 7, not 7.000000000000001.
func percent(fraction float64) float64 {
	p, _ := strconv.ParseFloat(strconv.FormatFloat(fraction*100, 'g', 12, 64), 64)
	return p
}
