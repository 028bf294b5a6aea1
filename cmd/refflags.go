package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
)

// benchFlags are the flags of every command that runs benchmarks: bench,
// baseline save, compare and check.
type benchFlags struct {
	fs   *pflag.FlagSet
	spec bench.Spec
}

func addBenchFlags(fs *pflag.FlagSet) *benchFlags {
	f := &benchFlags{fs: fs}
	fs.StringVar(&f.spec.Bench, "bench", ".", "run only benchmarks matching `REGEX` (as go test -bench)")
	fs.IntVar(&f.spec.Count, "count", bench.DefaultCount, "number of rounds; each runs every benchmark once")
	fs.StringVar(&f.spec.Benchtime, "benchtime", "", "time or iterations per benchmark and round, e.g. 100ms or 50x (default: 50ms with --base-ref/--merge-base/--rerun-base, else go's 1s)")
	fs.StringVar(&f.spec.CPU, "cpu", "", "comma-separated GOMAXPROCS `LIST` to run each benchmark with, e.g. 1,4")
	fs.StringVar(&f.spec.Tags, "tags", "", "comma-separated build `TAGS`")
	fs.DurationVar(&f.spec.Timeout, "timeout", bench.DefaultTimeout, "limit for one run of one package's benchmarks")
	return f
}

// refuseWithFile is the usage error of a benchmark flag given where
// results come from a file, so nothing runs (what: "--from FILE"); nil
// when none was given.
func (f *benchFlags) refuseWithFile(what string) error {
	for _, name := range []string{"bench", "count", "benchtime", "cpu", "tags", "timeout"} {
		if f.fs.Changed(name) {
			return flagErrorf("--%s says how to run the benchmarks, but with %s nothing runs: drop it", name, what)
		}
	}
	return nil
}

// overrides says which of the flags were given.
func (f *benchFlags) overrides() compare.Overrides {
	return compare.Overrides{Bench: f.fs.Changed("bench"), Count: f.fs.Changed("count"), Benchtime: f.fs.Changed("benchtime"),
		CPU: f.fs.Changed("cpu"), Tags: f.fs.Changed("tags"), Timeout: f.fs.Changed("timeout")}
}

// Spec returns the spec given on the command line for packages, checked:
// a zero or negative count or timeout given on purpose is a usage error.
func (f *benchFlags) Spec(packages []string) (bench.Spec, error) {
	s := f.spec
	s.Packages = packages
	o := f.overrides()
	switch {
	case o.Count && s.Count < 1:
		return s, flagErrorf("--count %d: the number of rounds must be at least 1", s.Count)
	case o.Timeout && s.Timeout <= 0:
		return s, flagErrorf("--timeout %v: give a positive duration, e.g. 10m (it bounds one run of one package's benchmarks)", s.Timeout)
	}
	if err := s.Validate(); err != nil {
		return s, &FlagError{Err: err}
	}
	return s, nil
}

// refFlags are the flags that say what to compare with and how to decide,
// shared by compare and check.
type refFlags struct {
	ref        compare.Reference
	maxTime    time.Duration
	correction string
	full       bool
	alpha      string
	thresholds []string
	bench      *benchFlags
}

func addRefFlags(fl *pflag.FlagSet) *refFlags {
	r := &refFlags{}
	fl.StringVar(&r.alpha, "alpha", strconv.FormatFloat(bench.DefaultAlpha, 'g', -1, 64), "significance level: a change counts when its p-value is at most `ALPHA`")
	fl.StringArrayVar(&r.thresholds, "threshold", nil, "smallest change that counts, as `[UNIT=]PCT`: 5% or 0.05; repeat per unit, e.g. B/op=10% (default 5%, allocs/op=0)")
	fl.StringVar(&r.ref.Baseline, "baseline", "", "compare against the stored baseline `NAME` (perfctl baseline save)")
	fl.StringVar(&r.ref.BaselineDir, "baseline-dir", "", "directory of the baselines (default .perfctl/baselines at the module root, or at go.work's directory in a workspace)")
	fl.StringVar(&r.ref.BaseRef, "base-ref", "", "compare the working tree against git revision `REF`, running both interleaved")
	fl.StringVar(&r.ref.MergeBase, "merge-base", "", "like --base-ref, against the merge base of HEAD and `BRANCH`")
	fl.BoolVar(&r.ref.RerunBase, "rerun-base", false, "with --baseline: measure the commit the baseline recorded again, interleaved with the working tree, instead of trusting its stored numbers")
	fl.DurationVar(&r.maxTime, "max-time", 0, "with interleaved rounds (--base-ref, --merge-base, --rerun-base): no round starts that would end after `DURATION`; rows left undecided are insufficient")
	fl.StringVar(&r.correction, "correction", bench.CorrectionHolm.String(), "how p-values are adjusted for the number of rows: holm (the chance of any false row stays at alpha) or none (each row at alpha, as benchstat)")
	fl.BoolVar(&r.full, "full", false, "run every package, also those whose test binaries and inputs are identical to the reference's, and with interleaved rounds every benchmark --count rounds (no early stop)")
	r.bench = addBenchFlags(fl)
	return r
}

// request builds the comparison the flags ask for, with ref and packages
// from the arguments, and checks it in dir (where perfctl runs): what
// does not make sense is a usage error.
func (r *refFlags) request(dir string, ref *compare.Reference, packages []string) (*compare.Request, error) {
	q := &compare.Request{Ref: *ref, Packages: packages, Spec: r.bench.spec, Set: r.bench.overrides(), Stats: bench.DefaultOptions(),
		MaxTime: r.maxTime, KeepAll: r.full}
	var err error
	if q.Stats.Correction, err = bench.ParseCorrection(r.correction); err != nil {
		return nil, &FlagError{Err: fmt.Errorf("--correction: %w", err)}
	}
	if q.Stats.Alpha, err = strconv.ParseFloat(r.alpha, 64); err != nil || q.Stats.Validate() != nil {
		return nil, flagErrorf("--alpha %q is not a significance level: use a number between 0 and 1, e.g. 0.05", r.alpha)
	}
	for _, t := range r.thresholds {
		if err := q.Stats.Thresholds.Set(t); err != nil {
			return nil, &FlagError{Err: fmt.Errorf("--threshold: %w", err)}
		}
	}
	if err := q.Validate(dir); err != nil {
		var ue *compare.UsageError
		if errors.As(err, &ue) {
			return nil, &FlagError{Err: err}
		}
		return nil, err
	}
	return q, nil
}
