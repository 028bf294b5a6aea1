package report

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/perfctl/perfctl/history/trend"
)

// The HTML report's bounds on what it draws.
const (
	// htmlMaxPoints is the most points a trend chart draws: a longer
	// series is downsampled to about this many, keeping its change points
	// and its newest commit as they are.
	htmlMaxPoints = 240
	// htmlDigits is how many significant digits of a series' largest value
	// the report keeps: the charts cannot show more, and each digit is
	// ~10% of the file.
	htmlDigits = 4
	// htmlConfidence is the level of the interval band around each median.
	htmlConfidence = 0.95
)

// A drawnPoint is one point of a trend chart: one commit, or a bucket of
// neighbouring commits of a downsampled series.
type drawnPoint struct {
	commit int     // the newest commit of the bucket, an index in Analysis.Commits
	center float64 // the median (of the bucket's medians)
	lo, hi float64 // the interval band (its extremes over the bucket)
	n      int     // commits in the bucket
}

// drawSeries turns s's points into at most about max drawn points. The
// points of s's change points and its newest point are always drawn on
// their own, so a change stays at its commit; the commits between them
// are bucketed evenly, each bucket drawn at its newest commit with the
// median of its medians and the widest band of its points.
func drawSeries(s *trend.Series, limit int) []drawnPoint {
	pts := make([]drawnPoint, 0, len(s.Points))
	keep := make([]bool, 0, len(s.Points)) // must be drawn on its own
	changeAt := map[int]bool{}
	for _, c := range s.Changes {
		changeAt[c.Index] = true
	}
	for i, p := range s.Points {
		if math.IsNaN(p.Center) || math.IsInf(p.Center, 0) {
			continue // no finite sample: not in the series, as changepoint skips it
		}
		lo, hi := trend.Interval(p, htmlConfidence)
		if !finiteNum(lo) || !finiteNum(hi) { // too few samples for an interval
			lo, hi = p.Center, p.Center
		}
		pts = append(pts, drawnPoint{commit: p.Commit, center: p.Center, lo: lo, hi: hi, n: 1})
		keep = append(keep, changeAt[i])
	}
	if len(pts) <= limit {
		return pts
	}
	keep[len(keep)-1] = true
	kept := 0
	for _, k := range keep {
		if k {
			kept++
		}
	}
	// Buckets of the commits between kept points, evenly sized.
	// Each kept point can split a bucket in two: room for 2*kept+1 more.
	size := max(1, int(math.Ceil(float64(len(pts)-kept)/float64(max(1, limit-2*kept-1)))))
	out := make([]drawnPoint, 0, limit+kept)
	var run []drawnPoint
	flush := func() {
		for len(run) > 0 {
			n := min(size, len(run))
			out = append(out, bucket(run[:n]))
			run = run[n:]
		}
	}
	for i, p := range pts {
		if keep[i] {
			flush()
			out = append(out, p)
			continue
		}
		run = append(run, p)
	}
	flush()
	return out
}

// bucket draws ps as one point.
func bucket(ps []drawnPoint) drawnPoint {
	if len(ps) == 1 {
		return ps[0]
	}
	centers := make([]float64, len(ps))
	b := drawnPoint{commit: ps[len(ps)-1].commit, lo: ps[0].lo, hi: ps[0].hi, n: len(ps)}
	for i, p := range ps {
		centers[i] = p.center
		b.lo, b.hi = min(b.lo, p.lo), max(b.hi, p.hi)
	}
	sort.Float64s(centers)
	if m := len(centers); m%2 == 1 {
		b.center = centers[m/2]
	} else {
		b.center = centers[m/2-1]/2 + centers[m/2]/2
	}
	return b
}

func finiteNum(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// scaleExp is the power of ten the numbers of a series are written in:
// its largest absolute value then has htmlDigits digits before the
// point.
func scaleExp(pts []drawnPoint) int {
	m := 0.0
	for _, p := range pts {
		m = max(m, math.Abs(p.lo), math.Abs(p.hi), math.Abs(p.center))
	}
	if m == 0 {
		return 0
	}
	return int(math.Ceil(math.Log10(m))) - htmlDigits
}

// appendScaled appends v / 10^exp with htmlDigits significant digits.
func appendScaled(buf []byte, v float64, exp int) []byte {
	v /= math.Pow10(exp)
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(buf, int64(v), 10)
	}
	return strconv.AppendFloat(buf, v, 'g', htmlDigits, 64) // "1235", "12.35", "1e+04": all JSON numbers
}

// appendJSONString appends s as a JSON string with <, > and & escaped, so
// that the data can sit in a <script> element whatever the repository
// put in its names and subjects.
func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals; HTML characters come out as \u003c etc.
	return append(buf, b...)
}

// trendData writes the history part of the report's data: the commits of
// the line once, and each series' drawn points with its change points.
//
//	{"commits": {"id": [...], "time": [unix seconds...], "subject": [...]},
//	 "series": [{"pkg", "name", "unit", "better", "exp",
//	             "x": [commit index, then differences], "y", "lo", "hi": [value / 10^exp],
//	             "n": [commits per point] (only when downsampled),
//	             "changes": [{"commit", "delta_pct", "p_value" (null when exact), "status", "new", "alert"}]}]}
func trendData(buf []byte, a *trend.Analysis, order []*trend.Series) []byte {
	buf = append(buf, `{"commits":{"id":[`...)
	for i, c := range a.Commits {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, shortID(c.ID))
	}
	buf = append(buf, `],"time":[`...)
	for i, c := range a.Commits {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, c.Time.Unix(), 10)
	}
	buf = append(buf, `],"subject":[`...)
	for i, c := range a.Commits {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, c.Subject)
	}
	buf = append(buf, `]},"series":[`...)
	for i, s := range order {
		if i > 0 {
			buf = append(buf, ",\n"...)
		}
		buf = appendSeries(buf, a, s)
	}
	return append(buf, "]}"...)
}

func appendSeries(buf []byte, a *trend.Analysis, s *trend.Series) []byte {
	pts := drawSeries(s, htmlMaxPoints)
	exp := scaleExp(pts)
	buf = append(buf, `{"pkg":`...)
	buf = appendJSONString(buf, a.ShortPkg(s.Pkg))
	buf = append(buf, `,"name":`...)
	buf = appendJSONString(buf, s.Name)
	buf = append(buf, `,"unit":`...)
	buf = appendJSONString(buf, s.Unit)
	buf = append(buf, `,"better":`...)
	buf = strconv.AppendInt(buf, int64(s.Better), 10)
	buf = append(buf, `,"exp":`...)
	buf = strconv.AppendInt(buf, int64(exp), 10)
	buf = append(buf, `,"x":[`...)
	prev := 0
	for i, p := range pts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(p.commit-prev), 10)
		prev = p.commit
	}
	for _, f := range []struct {
		name string
		v    func(drawnPoint) float64
	}{{"y", func(p drawnPoint) float64 { return p.center }}, {"lo", func(p drawnPoint) float64 { return p.lo }}, {"hi", func(p drawnPoint) float64 { return p.hi }}} {
		buf = append(buf, `],"`...)
		buf = append(buf, f.name...)
		buf = append(buf, `":[`...)
		for i, p := range pts {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendScaled(buf, f.v(p), exp)
		}
	}
	buf = append(buf, ']')
	if slices.ContainsFunc(pts, func(p drawnPoint) bool { return p.n > 1 }) {
		buf = append(buf, `,"n":[`...)
		for i, p := range pts {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(p.n), 10)
		}
		buf = append(buf, ']')
	}
	buf = append(buf, `,"changes":[`...)
	for i, c := range s.Changes {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"commit":`...)
		buf = strconv.AppendInt(buf, int64(c.Commit), 10)
		buf = append(buf, `,"delta_pct":`...)
		buf = appendFiniteOrNull(buf, c.DeltaPct)
		buf = append(buf, `,"p_value":`...)
		if s.Exact {
			buf = append(buf, "null"...) // decided exactly: no test, no p-value
		} else {
			buf = appendFiniteOrNull(buf, c.PValue)
		}
		buf = append(buf, `,"status":`...)
		buf = appendJSONString(buf, c.Status)
		buf = append(buf, `,"new":`...)
		buf = strconv.AppendBool(buf, c.New)
		buf = append(buf, `,"alert":`...)
		buf = strconv.AppendBool(buf, c.Alert)
		buf = append(buf, '}')
	}
	return append(buf, "]}"...)
}

func appendFiniteOrNull(buf []byte, v float64) []byte {
	if !finiteNum(v) {
		return append(buf, "null"...)
	}
	return strconv.AppendFloat(buf, v, 'g', htmlDigits, 64)
}

// shortID is the first 12 hex digits of a commit id, as history log shows
// it.
func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// seriesOrder puts the series with alerts first, then those with changes,
// then the others, each in the analysis' order.
func seriesOrder(ss []*trend.Series) []*trend.Series {
	rank := func(s *trend.Series) int {
		switch {
		case slices.ContainsFunc(s.Changes, func(c trend.Change) bool { return c.Alert }):
			return 0
		case len(s.Changes) > 0:
			return 1
		}
		return 2
	}
	out := slices.Clone(ss)
	slices.SortStableFunc(out, func(a, b *trend.Series) int { return rank(a) - rank(b) })
	return out
}
