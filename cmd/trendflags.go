package cmd

import (
	"fmt"
	"regexp"

	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/changepoint"
	"github.com/perfctl/perfctl/history/trend"
)

// trendFlags are the flags that choose and tune the analysis of the
// history (perfctl history changes, perfctl report): which records, which
// series, and the change-point parameters.
type trendFlags struct {
	opts  *trend.Options
	bench string
}

// trendFlagNames are the flags addTrendFlags defines.
var trendFlagNames = []string{"bench", "unit", "env", "rev", "max-commits", "recent", "window", "max-p", "min-magnitude"}

// addTrendFlags defines the flags into opts; verb says what the command
// does with the series ("look only at", "chart only").
func addTrendFlags(fl *pflag.FlagSet, opts *trend.Options, verb, recentUsage string) *trendFlags {
	t := &trendFlags{opts: opts}
	fl.StringVar(&t.bench, "bench", "", verb+" the benchmarks whose name (or pkg.Name) matches `REGEX`")
	fl.StringVar(&opts.Unit, "unit", "", verb+" `UNIT` (sec/op, B/op, allocs/op, …)")
	fl.StringVar(&opts.Env, "env", "", "read the records of environment `KEY` (see perfctl history log); default: the one with the most records")
	fl.StringVar(&opts.Rev, "rev", "HEAD", "follow the first-parent history of `REV`")
	fl.IntVar(&opts.Max, "max-commits", 0, fmt.Sprintf("read at most `N` commits of history (0: up to %d)", history.MaxLine))
	fl.IntVar(&opts.Recent, "recent", trend.DefaultRecent, recentUsage)
	fl.IntVar(&opts.Detect.Window, "window", changepoint.DefaultWindow, "change points: search `N` commits at a time (4 to 1000)")
	fl.Float64Var(&opts.Detect.MaxP, "max-p", changepoint.DefaultMaxP, "change points: keep changes with a p-value below `P`")
	fl.Float64Var(&opts.Detect.MinMagnitude, "min-magnitude", 0, "change points: keep only changes of at least `F` (0.05 is 5%)")
	return t
}

// settle checks the flags' values and compiles --bench into the options.
func (t *trendFlags) settle() error {
	a := t.opts
	if t.bench != "" {
		re, err := regexp.Compile(t.bench)
		if err != nil {
			return flagErrorf("--bench %q is not a regular expression: %v", t.bench, err)
		}
		a.Bench = re
	}
	if err := history.ValidateRevision(a.Rev); err != nil {
		return &FlagError{Err: fmt.Errorf("--rev: %w", err)}
	}
	switch {
	case a.Recent < 1:
		return flagErrorf("--recent must be 1 or more, got %d", a.Recent)
	case a.Max < 0:
		return flagErrorf("--max-commits must be 0 (all, up to %d) or more, got %d", history.MaxLine, a.Max)
	case a.Detect.MaxP == 0:
		return flagErrorf("--max-p must be above 0 and at most 1, got 0")
	}
	if err := a.Detect.Validate(); err != nil {
		return &FlagError{Err: err} // its hint names the range
	}
	return nil
}
