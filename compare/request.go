package compare

import (
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
)

// DefaultRounds is the most interleaved rounds of a revision comparison
// when the request does not set --count. Benchmarks stop as soon as they
// are settled (most after MinRounds), so this is what the others may use:
// with the correction across rows, a change in one of 60 rows needs at
// least 12 rounds that agree to be significant, and a noisy runner needs
// more.
const DefaultRounds = 20

// MinRounds is how many rounds every benchmark of a revision comparison
// runs before it may be settled: the signed-rank test can reach p < 0.05
// after 6 rounds, not before.
const MinRounds = 6

// DefaultBenchtime is each benchmark's time per round in an interleaved
// comparison when the request does not set --benchtime. At the same
// machine time, more short rounds decided at least as well as fewer long
// ones in the accuracy harness (docs/compare.md, "Per-round benchtime"):
// the paired test needs rounds, and a round's noise is the machine's
// drift, which a shorter round samples more often. 20 rounds of 50ms are
// one second per side, a tenth of go's default of 10 × 1s.
const DefaultBenchtime = "50ms"

// Overrides says which fields of a request's Spec the user set. With a
// baseline, those replace what the baseline recorded and the others come
// from it; a revision comparison runs DefaultRounds unless Count is set.
type Overrides struct {
	Bench, Count, Benchtime, CPU, Tags, Timeout bool
	// Modules: the command line chose the modules (--all-modules given),
	// which then replace those a baseline recorded.
	Modules bool
}

// A Request is one comparison to make.
type Request struct {
	Ref Reference
	// Packages are the package patterns to run (relative to Env.Dir);
	// empty: the baseline's, or ./....
	Packages []string
	// Spec says how to run the benchmarks (its Dir and Packages are
	// ignored); Set, which of its fields were given.
	Spec bench.Spec
	Set  Overrides
	// Stats are the statistics of the decision.
	Stats bench.Options
	// MaxTime bounds a revision comparison: no round starts that would end
	// after it (0: no budget).
	MaxTime time.Duration
	// KeepAll turns off what makes a revision comparison fast: packages
	// with identical test binaries and inputs run, and every benchmark runs
	// every round (--count).
	KeepAll bool
	// Layout is the modules seen from Env.Dir, with those the command line
	// covers marked (gomod.Layout.Cover); nil for the module of Env.Dir
	// alone. With more than one covered and no Packages, each covered
	// module's ./... is measured; a baseline that recorded its modules is
	// measured in those, unless Set.Modules.
	Layout *gomod.Layout
	// Profile, when set, profiles the regressions of an interleaved
	// comparison after the verdict (compare --profile).
	Profile *ProfileRequest
	// Shard, when set, measures one shard of the benchmarks (--shard I/N;
	// package shard plans them): the comparison carries its identity for
	// perfctl merge.
	Shard *ShardRequest
}

// An Env is what a comparison runs with.
type Env struct {
	Dir      string     // the directory perfctl runs in; relative paths are relative to it
	Exec     run.Runner // runs go, git and test binaries
	Stdin    io.Reader  // for a result file named "-"
	Progress bench.Progress
	Version  string // perfctl's, recorded in the results it measures
	// Find, when set, lists the packages with benchmarks in place of go
	// list (perfctl check has listed them already).
	Find bench.Lister
	// Covering, when set, is told which modules a comparison measures,
	// before it measures them, when there is more than one module to see.
	Covering func(*gomod.Layout)
}

// Validate checks the request before anything runs.
func (q *Request) Validate(dir string) error {
	if err := q.Ref.Validate(); err != nil {
		return err
	}
	mode := q.Ref.Mode()
	switch {
	case q.MaxTime < 0:
		return usage("--max-time %v is negative", q.MaxTime)
	case q.MaxTime != 0 && mode != Revision && !q.Ref.RerunBase:
		return usage("--max-time bounds interleaved rounds: it goes with --base-ref, --merge-base or --baseline NAME --rerun-base")
	case q.Set.Count && q.Spec.Count < 1:
		return usage("--count %d: the number of rounds must be at least 1", q.Spec.Count)
	case q.Set.Timeout && q.Spec.Timeout <= 0:
		return usage("--timeout %v: give a positive duration, e.g. 10m (it bounds one run of one package's benchmarks)", q.Spec.Timeout)
	case q.Profile != nil && mode != Revision && !q.Ref.RerunBase:
		return usage("--profile runs each regression again on both sides from their test binaries: it goes with --base-ref, --merge-base or --baseline NAME --rerun-base")
	case q.Shard != nil && (mode == Files || mode == Baseline && q.Ref.HeadFile != ""):
		return usage("--shard %s splits the benchmarks to run; with result files nothing runs: drop it", q.Shard.Selector)
	case q.Shard != nil && q.Profile != nil:
		return usage("--profile does not work with --shard yet: profile the regressions of the merged comparison in a run of their own")
	case mode == Files && len(q.Packages) > 0:
		return usage("two result files are compared as they are; packages (%s) cannot be given with them", q.Packages[0])
	case mode == Baseline && q.Ref.HeadFile != "" && len(q.Packages) > 0:
		return usage("--head FILE gives the results to compare; packages (%s) cannot be given with it", q.Packages[0])
	}
	if mode == Baseline {
		for _, p := range q.Packages {
			if st, err := os.Stat(in(dir, p)); err == nil && st.Mode().IsRegular() {
				return usage("compare --baseline %s takes packages to run; %s is a file: to compare the results in it with the baseline, pass --head %s",
					q.Ref.Baseline, p, p)
			}
		}
	}
	spec := q.Spec
	spec.Packages = q.Packages
	if err := spec.Validate(); err != nil {
		return &UsageError{Msg: err.Error()}
	}
	if err := q.Stats.Validate(); err != nil {
		return &UsageError{Msg: err.Error()}
	}
	return nil
}

// in returns path relative to dir, unless it is absolute or "-".
func in(dir, path string) string {
	if path == "" || path == "-" || filepath.IsAbs(path) || dir == "" {
		return path
	}
	return filepath.Join(dir, path)
}
