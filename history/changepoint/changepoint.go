package changepoint

import (
	"math"
	"slices"
	"strconv"

	"github.com/perfctl/perfctl/internal/usererr"
)

// The defaults and limits of [Options].
const (
	// DefaultWindow is the number of commits the search looks at together,
	// as in Hunter and Otava.
	DefaultWindow = 50
	// MinWindow and MaxWindow bound Options.Window: the t-test needs two
	// commits on each side, and one window costs O(Window²).
	MinWindow = 4
	MaxWindow = 1000
	// DefaultMaxP is the largest p-value a change may have, as in Hunter
	// and Otava.
	DefaultMaxP = 0.001
	// MaxPoints is the longest series Detect accepts; a caller with more
	// history analyses its most recent MaxPoints commits.
	MaxPoints = 10000
)

// minSide is the fewest commits on either side of a split.
const minSide = 2

// A Point is the samples of one commit, in the order of history, oldest
// first. Samples that are NaN or infinite are ignored; a point with no
// finite sample is skipped, as if it were not in the series.
type Point struct {
	Values []float64
}

// Options are the parameters of [Detect]. The zero value is the default.
type Options struct {
	// Window is the number of commits searched together, MinWindow to
	// MaxWindow; 0 means DefaultWindow. A longer window sees smaller
	// shifts and costs more; a window longer than the series is the
	// whole series.
	Window int
	// MaxP is the largest p-value that a change may have, in (0, 1]; 0
	// means DefaultMaxP. The p-value is that of Student's t-test of the
	// commits between the neighbouring changes, adjusted for the choice
	// of the split (see Change.PValue).
	MaxP float64
	// MinMagnitude is the smallest relative shift of the median that a
	// change must have (0.05 is 5%); 0, the default, keeps every
	// significant shift. It applies in exact mode too.
	MinMagnitude float64
	// Exact is for units that do not vary between runs (allocs/op): every
	// change of the commit's median is a change, with p-value 0.
	Exact bool
}

// A Summary describes the commits on one side of a change: from the
// previous change (or the start) up to this one, or from this one up to
// the next (or the end).
type Summary struct {
	Center float64 // the median of the commits' medians
	N      int     // the number of commits
}

// A Change is a shift of the level of a series.
type Change struct {
	// Index is the position in the series of the first point of the new
	// level.
	Index int
	// Before and After summarise the levels on either side.
	Before, After Summary
	// DeltaPct is the change from Before.Center to After.Center in
	// percent: positive when the level rose. NaN when Before.Center is 0
	// and After.Center is not.
	DeltaPct float64
	// PValue is the two-sided p-value of Student's t-test (pooled
	// variance) of the commit medians of Before against those of After,
	// multiplied by the number of places the split could have been in
	// those commits (Bonferroni), at most 1; 0 in exact mode.
	PValue float64
}

// Validate reports whether o's values are in range.
func (o Options) Validate() error {
	if o.Window != 0 && (o.Window < MinWindow || o.Window > MaxWindow) {
		return usererr.Errorf("change-point window %d is out of range", o.Window).
			WithHint("use a window of " + strconv.Itoa(MinWindow) + " to " + strconv.Itoa(MaxWindow) + " commits (the default is " + strconv.Itoa(DefaultWindow) + ")")
	}
	if math.IsNaN(o.MaxP) || o.MaxP < 0 || o.MaxP > 1 {
		return usererr.Errorf("change-point p-value limit %v is out of range", o.MaxP).
			WithHint("use a p-value limit above 0 and at most 1 (the default is 0.001)")
	}
	if math.IsNaN(o.MinMagnitude) || math.IsInf(o.MinMagnitude, 0) || o.MinMagnitude < 0 {
		return usererr.Errorf("change-point minimum magnitude %v is out of range", o.MinMagnitude).
			WithHint("use a relative change of 0 or more, such as 0.05 for 5% (the default is 0)")
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.MaxP == 0 {
		o.MaxP = DefaultMaxP
	}
	return o
}

// Detect returns the changes of level in points, oldest first. The error
// is an invalid Options or a series longer than MaxPoints. Fewer than
// 2·2 commits with finite samples (one in exact mode) have no change.
func Detect(points []Point, opts Options) ([]Change, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if len(points) > MaxPoints {
		return nil, usererr.Errorf("%d commits are too many to look for change points in", len(points)).
			WithHint("look at the most recent " + strconv.Itoa(MaxPoints) + " commits or fewer")
	}
	opts = opts.withDefaults()
	s := reduce(points)
	var cuts []int
	if opts.Exact {
		cuts = exactCuts(s.values, opts.MinMagnitude)
	} else {
		cuts = split(s.values, opts.Window, min(1, 10*opts.MaxP))
		cuts = merge(s.values, cuts, opts.MaxP, opts.MinMagnitude)
		// Moving a cut by refine only lowers its own p-value, but it
		// changes its neighbours' segments: merge once more so that
		// every change reported passes.
		refine(s.values, cuts)
		cuts = merge(s.values, cuts, opts.MaxP, opts.MinMagnitude)
	}
	return s.changes(cuts, opts.Exact), nil
}

// A series is the points reduced to one value each, without the points
// that had no finite sample.
type series struct {
	values []float64 // the median of each kept point
	index  []int     // each kept point's position in the input
}

func reduce(points []Point) series {
	s := series{values: make([]float64, 0, len(points)), index: make([]int, 0, len(points))}
	var buf []float64
	for i, p := range points {
		buf = buf[:0]
		for _, v := range p.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				buf = append(buf, v)
			}
		}
		if len(buf) == 0 {
			continue
		}
		s.values = append(s.values, median(buf))
		s.index = append(s.index, i)
	}
	return s
}

// changes turns cuts (positions in s.values where a new level starts,
// ascending) into Changes.
func (s series) changes(cuts []int, exact bool) []Change {
	if len(cuts) == 0 {
		return nil
	}
	out := make([]Change, 0, len(cuts))
	buf := make([]float64, 0, len(s.values))
	for k, c := range cuts {
		lo, hi := 0, len(s.values)
		if k > 0 {
			lo = cuts[k-1]
		}
		if k+1 < len(cuts) {
			hi = cuts[k+1]
		}
		before := Summary{Center: median(append(buf[:0], s.values[lo:c]...)), N: c - lo}
		after := Summary{Center: median(append(buf[:0], s.values[c:hi]...)), N: hi - c}
		ch := Change{Index: s.index[c], Before: before, After: after, DeltaPct: deltaPct(before.Center, after.Center)}
		if !exact {
			ch.PValue = splitP(s.values[lo:hi], c-lo)
		}
		out = append(out, ch)
	}
	return out
}

// exactCuts is every position whose value differs from the previous one
// by at least minMag (relative).
func exactCuts(v []float64, minMag float64) []int {
	var cuts []int
	for i := 1; i < len(v); i++ {
		if v[i] != v[i-1] && magnitude(v[i-1], v[i]) >= minMag {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// median sorts v and returns its median; v is not empty.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return v[n/2-1]/2 + v[n/2]/2
}

// deltaPct is the change from b to a in percent, the way package bench
// computes it: NaN from 0 to anything else.
func deltaPct(b, a float64) float64 {
	switch b {
	case a:
		return 0
	case 0:
		return math.NaN()
	}
	return (a/b - 1) * 100
}

// magnitude is the relative size of the change from b to a; from 0 to
// anything else it is infinite.
func magnitude(b, a float64) float64 {
	switch b {
	case a:
		return 0
	case 0:
		return math.Inf(1)
	}
	return math.Abs(a/b - 1)
}
