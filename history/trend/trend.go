// Package trend turns the history store's records along first-parent
// history into series, one per benchmark and unit, and finds their change
// points with package changepoint. `perfctl history changes`, the history
// policy check and the HTML report read its Analysis.
package trend

import (
	"context"
	"math"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
)

// The statuses of a Change.
const (
	StatusRegression  = "regression"
	StatusImprovement = "improvement"
	// StatusChanged is a change of a unit whose direction is unknown.
	StatusChanged = "changed"
)

// DefaultRecent is how many of the newest recorded commits a change must
// be new with to raise an alert, by default.
const DefaultRecent = 1

// Options say what Analyze looks at.
type Options struct {
	history.LineRequest
	// Bench keeps the benchmarks whose name (as compare shows it, or
	// package-qualified: "pkg.Name") it matches; nil keeps all.
	Bench *regexp.Regexp
	// Unit keeps one unit ("ns/op" and "sec/op" are the same); "" keeps
	// all.
	Unit string
	// Detect are the change-point parameters. Units that do not vary
	// between runs (allocs/op, or declared assume=exact) are analysed in
	// exact mode whatever Detect.Exact says.
	Detect changepoint.Options
	// Recent is how many of the newest recorded commits make a change new
	// (see Change.New); 0 means DefaultRecent.
	Recent int
}

// An Analysis is the series of one environment along a line of history.
type Analysis struct {
	*history.Line
	Recent int
	Series []*Series
}

// A Series is one benchmark's results in one unit, commit by commit.
type Series struct {
	Pkg  string // "" when the results name no package
	Name string // as compare shows it: no Benchmark prefix, no -GOMAXPROCS suffix unless several were run
	Unit string
	// Better is -1 when lower values are better, +1 when higher, 0 when
	// unknown.
	Better int
	Exact  bool
	// Points are the commits that measured the benchmark, oldest first.
	Points  []Point
	Changes []Change
}

// A Point is one commit's samples.
type Point struct {
	Commit int       // index in Analysis.Commits
	Center float64   // the median
	Values []float64 // the samples; must not be modified
}

// A Change is a change point of a series.
type Change struct {
	Commit int // index in Analysis.Commits of the first commit of the new level
	changepoint.Change
	Status string
	// New is set when the change lies within the Recent newest commits
	// recorded, or was not found without them: it is news of the latest
	// records.
	New bool
	// Alert is set for a new regression that no later change of the
	// series reverses: what `perfctl history changes` exits 1 for.
	Alert bool
}

// Key names the series: "pkg.Name unit".
func (s *Series) Key() string { return qualified(s.Pkg, s.Name) + " " + s.Unit }

func qualified(pkg, name string) string {
	if pkg == "" {
		return name
	}
	return pkg + "." + name
}

// Interval returns the confidence interval of the median of a point's
// samples, as compare computes it (distribution-free).
func Interval(p Point, confidence float64) (lo, hi float64) {
	s := benchmath.NewSample(slices.Clone(p.Values), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(s, confidence)
	return sum.Lo, sum.Hi
}

// Analyze reads the line opts names and finds the change points of each
// series.
func Analyze(ctx context.Context, store *history.Store, opts *Options) (*Analysis, error) {
	if err := opts.Detect.Validate(); err != nil {
		return nil, err
	}
	line, err := store.Line(ctx, opts.LineRequest)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Line: line, Recent: opts.Recent}
	if a.Recent <= 0 {
		a.Recent = DefaultRecent
	}
	a.Series = collect(line, opts)
	// Each series is analysed on its own: use every CPU.
	errs := make([]error, len(a.Series))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(a.Series)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(a.Series) || ctx.Err() != nil {
					return
				}
				errs[i] = a.detect(a.Series[i], opts.Detect)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

type seriesKey struct{ pkg, full, unit string }

// collect groups the records' samples into series, in the order first
// seen from the newest record back (so today's benchmarks come first).
func collect(line *history.Line, opts *Options) []*Series {
	unit := ""
	if opts.Unit != "" {
		_, unit = benchunit.Tidy(1, opts.Unit)
	}
	byKey := map[seriesKey]*Series{}
	var order []seriesKey
	procs := map[[2]string]map[string]bool{} // pkg, name → procs seen
	for i := len(line.Records) - 1; i >= 0; i-- {
		rec := line.Records[i]
		for m := range rec.Results.All() {
			if unit != "" && m.Unit != unit {
				continue
			}
			k := seriesKey{m.Pkg, m.FullName, m.Unit}
			s := byKey[k]
			if s == nil {
				name, p := bench.SplitProcs(m.FullName)
				if opts.Bench != nil && !opts.Bench.MatchString(name) && !opts.Bench.MatchString(qualified(m.Pkg, name)) {
					byKey[k] = skipped
					continue
				}
				pn := [2]string{m.Pkg, name}
				if procs[pn] == nil {
					procs[pn] = map[string]bool{}
				}
				procs[pn][p] = true
				s = &Series{Pkg: m.Pkg, Name: m.FullName, Unit: m.Unit,
					Better: rec.Results.Units.GetBetter(m.Unit),
					Exact:  m.Unit == bench.ExactUnit || rec.Results.Units.GetAssumption(m.Unit) == benchmath.AssumeExact}
				byKey[k] = s
				order = append(order, k)
			}
			if s == skipped {
				continue
			}
			s.Points = append(s.Points, Point{Commit: i, Center: median(m.Values), Values: m.Values})
		}
	}
	out := make([]*Series, 0, len(order))
	for _, k := range order {
		s := byKey[k]
		slices.Reverse(s.Points)
		if name, _ := bench.SplitProcs(s.Name); len(procs[[2]string{s.Pkg, name}]) == 1 {
			s.Name = name
		}
		out = append(out, s)
	}
	return out
}

// skipped marks a series the Bench filter left out.
var skipped = &Series{}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1]/2 + s[n/2]/2
}

// detect finds s's changes and marks the new ones.
func (a *Analysis) detect(s *Series, opts changepoint.Options) error {
	opts.Exact = opts.Exact || s.Exact
	points := make([]changepoint.Point, len(s.Points))
	for i, p := range s.Points {
		points[i] = changepoint.Point{Values: p.Values}
	}
	changes, err := changepoint.Detect(points, opts)
	if err != nil || len(changes) == 0 {
		return err
	}
	// The changes found without the newest Recent commits: any other is new.
	cut := len(a.Commits) - a.Recent
	n := sort.Search(len(s.Points), func(i int) bool { return s.Points[i].Commit >= cut })
	old := changes // a series the newest commits did not measure has no news
	if n < len(s.Points) && changes[0].Index < n {
		if old, err = changepoint.Detect(points[:n], opts); err != nil {
			return err
		}
	}
	for _, c := range changes {
		ch := Change{Commit: s.Points[c.Index].Commit, Change: c, Status: status(s.Better, c)}
		ch.New = c.Index >= n || !foundBefore(old, c)
		s.Changes = append(s.Changes, ch)
	}
	for i := range s.Changes {
		ch := &s.Changes[i]
		ch.Alert = ch.New && ch.Status == StatusRegression && !reversed(s.Changes[i+1:])
	}
	return nil
}

// foundBefore reports whether old has a change in c's direction within
// two points of it: the same change, placed a little differently with
// less data.
func foundBefore(old []changepoint.Change, c changepoint.Change) bool {
	for _, o := range old {
		if abs(o.Index-c.Index) <= 2 && (o.After.Center > o.Before.Center) == (c.After.Center > c.Before.Center) {
			return true
		}
	}
	return false
}

// reversed reports whether a later change improves the series again.
func reversed(later []Change) bool {
	for _, c := range later {
		if c.Status == StatusImprovement {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func status(better int, c changepoint.Change) string {
	up := c.After.Center > c.Before.Center
	switch {
	case better == 0:
		return StatusChanged
	case up == (better > 0):
		return StatusImprovement
	}
	return StatusRegression
}

// Alerts returns the changes that raise an alert, newest first.
func (a *Analysis) Alerts() []Ref {
	var out []Ref
	for _, s := range a.Series {
		for i := range s.Changes {
			if s.Changes[i].Alert {
				out = append(out, Ref{s, &s.Changes[i]})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Change.Commit > out[j].Change.Commit })
	return out
}

// A Ref is one change of one series.
type Ref struct {
	Series *Series
	Change *Change
}

// Changes returns every change, newest first, then by series order.
func (a *Analysis) Changes() []Ref {
	var out []Ref
	for _, s := range a.Series {
		for i := range s.Changes {
			out = append(out, Ref{s, &s.Changes[i]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Change.Commit > out[j].Change.Commit })
	return out
}

// ShortPkg is the package's last element when that names it uniquely
// among the series, else the whole path.
func (a *Analysis) ShortPkg(pkg string) string {
	if pkg == "" {
		return ""
	}
	base := pkg[strings.LastIndex(pkg, "/")+1:]
	for _, s := range a.Series {
		if s.Pkg != pkg && s.Pkg != "" && s.Pkg[strings.LastIndex(s.Pkg, "/")+1:] == base {
			return pkg
		}
	}
	return base
}
