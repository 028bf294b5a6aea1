package compare

import (
	"slices"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// Flags are the command-line flags that make the request q, as perfctl
// compare and perfctl check read them: the reference, the benchmark flags
// that were given (Set), and the statistics, time budget and --full where
// they differ from the defaults. Each is one argument, --name or
// --name=value, so that no value can be read as a flag; the values are as
// given, unquoted (a renderer quotes them for its shell).
//
// perfctl compare --filter is a statistics option too (Stats.Filter); perfctl check has no
// --filter, and its requests have none.
func (q *Request) Flags() []string {
	var f []string
	add := func(name, value string) { f = append(f, "--"+name+"="+value) }
	r := &q.Ref
	switch r.Mode() {
	case Revision:
		if r.MergeBase != "" {
			add("merge-base", r.MergeBase)
		} else {
			add("base-ref", r.BaseRef)
		}
	case Baseline:
		add("baseline", r.Baseline)
		if r.RerunBase {
			f = append(f, "--rerun-base")
		}
		if r.HeadFile != "" {
			add("head", r.HeadFile)
		}
	}
	if r.BaselineDir != "" {
		add("baseline-dir", r.BaselineDir)
	}
	s, set := &q.Spec, &q.Set
	if set.Bench {
		add("bench", s.Bench)
	}
	if set.Count {
		add("count", strconv.Itoa(s.Count))
	}
	if set.Benchtime {
		add("benchtime", s.Benchtime)
	}
	if set.CPU {
		add("cpu", s.CPU)
	}
	if set.Tags {
		add("tags", s.Tags)
	}
	if set.Timeout {
		add("timeout", s.Timeout.String())
	}
	f = append(f, thresholdFlags(q.Stats.Thresholds)...)
	if q.Stats.Alpha != bench.DefaultAlpha {
		add("alpha", strconv.FormatFloat(q.Stats.Alpha, 'g', -1, 64))
	}
	if q.Stats.Correction != bench.CorrectionHolm {
		add("correction", q.Stats.Correction.String())
	}
	if q.Stats.Filter != nil {
		add("filter", q.Stats.Filter.String())
	}
	if q.MaxTime > 0 {
		add("max-time", q.MaxTime.String())
	}
	if q.KeepAll {
		f = append(f, "--full")
	}
	return f
}

// Args are the arguments of perfctl compare that make the request q again
// in the directory it ran in: Flags, then the package patterns, or the two
// files of results (after "--" when one of them starts with '-' and is not
// standard input).
func (q *Request) Args() []string {
	args := q.Flags()
	var rest []string
	if q.Ref.Mode() == Files {
		rest = []string{q.Ref.BaseFile, q.Ref.HeadFile}
	} else {
		rest = q.Packages
	}
	if slices.ContainsFunc(rest, func(a string) bool { return a != "-" && strings.HasPrefix(a, "-") }) {
		args = append(args, "--")
	}
	return append(args, rest...)
}

// thresholdFlags are the --threshold flags that turn the default
// thresholds into t, units in order.
func thresholdFlags(t bench.Thresholds) []string {
	def := bench.DefaultThresholds()
	var f []string
	if t.Default != def.Default {
		f = append(f, "--threshold="+thresholdValue(t.Default))
	}
	units := make([]string, 0, len(t.ByUnit))
	for u := range t.ByUnit {
		units = append(units, u)
	}
	slices.Sort(units)
	for _, u := range units {
		if v, ok := def.ByUnit[u]; ok && v == t.ByUnit[u] {
			continue
		}
		f = append(f, "--threshold="+u+"="+thresholdValue(t.ByUnit[u]))
	}
	return f
}

// thresholdValue writes a threshold so that bench.ParsePercent reads the
// same number back: the shortest percentage that does (5%, not
// 5.000000000000001%), else the fraction.
func thresholdValue(v float64) string {
	for decimals := range 16 {
		pct := strconv.FormatFloat(v*100, 'f', decimals, 64) + "%"
		if back, err := bench.ParsePercent(pct); err == nil && back == v {
			return pct
		}
	}
	if v < 1 {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v*100, 'g', -1, 64) + "%" // the nearest there is
}
