package compare

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/internal/worktree"
)

// Run makes the comparison req asks for. Call req.Validate first. The
// regressions of a comparison of benchmarks of the module perfctl runs in
// point at their functions (bench.LocateRegressions).
func Run(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
	c, err := runMode(ctx, env, req)
	if e := (*emptyShard)(nil); errors.As(err, &e) {
		return emptyComparison(req, e), nil
	}
	if err != nil {
		return nil, err
	}
	if root, ok := gomod.Root(env.Dir); ok {
		bench.LocateRegressions(c, root, req.Spec.Tags)
	}
	return c, nil
}

// runMode makes the comparison of the request's mode.
func runMode(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
	switch req.Ref.Mode() {
	case Files:
		base, err := bench.ReadFileIn(env.Dir, req.Ref.BaseFile, env.Stdin)
		if err != nil {
			return nil, err
		}
		head, err := bench.ReadFileIn(env.Dir, req.Ref.HeadFile, env.Stdin)
		if err != nil {
			return nil, err
		}
		return bench.Compare(base, head, req.Stats)
	case Baseline:
		if req.Ref.RerunBase {
			return rerunBaseline(ctx, env, req)
		}
		return againstBaseline(ctx, env, req)
	case Revision:
		return againstRevision(ctx, env, req)
	}
	return nil, usage("nothing to compare with: give two result files, --baseline NAME, --base-ref REF or --merge-base BRANCH")
}

// Store returns the baseline store of a reference made in dir: the
// reference's BaselineDir (relative to dir), or .perfctl/baselines at
// go.work's directory in a workspace (whose modules a baseline records),
// else at the module root.
func Store(dir string, ref *Reference) baseline.Store {
	if ref.BaselineDir != "" {
		return baseline.Store{Dir: in(dir, ref.BaselineDir)}
	}
	root, ok := gomod.WorkRoot(dir)
	if !ok {
		root, _ = gomod.Root(dir)
	}
	return baseline.Store{Dir: filepath.Join(root, baseline.DefaultDir)}
}

// LoadBaseline reads the baseline ref names. A baseline that does not
// exist is an error wrapping ErrNoBaseline, with a hint.
func LoadBaseline(dir string, ref *Reference) (*bench.ResultSet, error) {
	s := Store(dir, ref)
	set, err := s.Load(ref.Baseline)
	if errors.Is(err, baseline.ErrNotFound) {
		return nil, &usererr.Error{Msg: fmt.Sprintf("baseline %q does not exist yet (%s)", ref.Baseline, s.Path(ref.Baseline)),
			Hint: fmt.Sprintf("record it with `perfctl baseline save %s` on the reference branch, or see `perfctl baseline list`", ref.Baseline),
			Err:  ErrNoBaseline}
	}
	return set, err
}

// againstBaseline compares the stored baseline with head, measured now
// the way the baseline was recorded (unless overridden), or read from
// Ref.HeadFile.
func againstBaseline(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
	base, err := LoadBaseline(env.Dir, &req.Ref)
	if err != nil {
		return nil, err
	}
	var head *bench.ResultSet
	var layout *gomod.Layout
	var sel *bench.Selection
	stats := req.Stats
	if req.Ref.HeadFile != "" {
		head, err = bench.ReadFileIn(env.Dir, req.Ref.HeadFile, env.Stdin)
	} else {
		spec, err := recordedSpec(env.Dir, base, req)
		if err != nil {
			return nil, err
		}
		if layout, err = measuredModules(env, req, &spec, bench.RecordedSpec(base).Modules); err != nil {
			return nil, err
		}
		// A narrower run than the baseline's measures a subset on purpose:
		// what it did not run is not "removed".
		stats.OmitRemoved = len(req.Packages) > 0 || req.Set.Bench || req.Set.Modules
		if sel, err = selection(ctx, env, req, &spec, base); err != nil {
			return nil, err
		}
		h := &bench.Harness{Exec: env.Exec, Progress: env.Progress, Find: env.Find, Select: sel}
		if rec := bench.RecordedSpec(base); !req.KeepAll && spec.Bench == rec.Bench && spec.Benchtime == rec.Benchtime &&
			spec.CPU == rec.CPU && spec.Tags == rec.Tags {
			// Measured the way the baseline was: a package whose test
			// binary and inputs are the ones it recorded, on a machine like
			// its, is not run again.
			h.Recorded = bench.RecordedIdentities(base)
			h.RecordedCPU = base.ConfigValue(bench.KeyCPU)
			h.RecordedProcs, _ = strconv.Atoi(base.ConfigValue(bench.KeyGOMAXPROCS))
		}
		var identical []string
		head, identical, err = measure(ctx, env, h, &spec, "head (measured now)")
		if err != nil {
			return nil, err
		}
		if len(identical) > 0 {
			stats.NotRun = map[string]string{}
			for _, pkg := range identical {
				stats.NotRun[pkg] = IdenticalReason + ", as recorded in the baseline"
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if sel != nil {
		// The shard's part of the baseline: the rest is other shards'
		// rows, not removed benchmarks.
		base = base.Only(sel.Runs)
	}
	c, err := bench.Compare(base, head, stats)
	if err != nil {
		return nil, err
	}
	if err := labelShard(c, sel, base, head, false); err != nil {
		return nil, err
	}
	setModules(c, layout)
	if req.Ref.HeadFile == "" && (c.Incomparable || c.Noisy > 0) {
		if sha, err := recordedCommit(base, req.Ref.Baseline); err == nil {
			c.Warnings = append(c.Warnings, fmt.Sprintf("the stored numbers of baseline %s came from another environment or a noisy run: "+
				"--rerun-base measures its commit (%s) again on this machine, interleaved with head, which neither can fool", req.Ref.Baseline, sha[:12]))
		}
	}
	return c, nil
}

// recordedSpec is how the baseline was run, with what the request set
// taking precedence. Packages given now are relative to dir; the recorded
// ones to where they were recorded in the module.
func recordedSpec(dir string, base *bench.ResultSet, req *Request) (bench.Spec, error) {
	s := bench.RecordedSpec(base)
	given := req.Spec
	set := func(on bool, apply func()) {
		if on {
			apply()
		}
	}
	set(req.Set.Bench, func() { s.Bench = given.Bench })
	set(req.Set.Count, func() { s.Count = given.Count })
	set(req.Set.Benchtime, func() { s.Benchtime = given.Benchtime })
	set(req.Set.CPU, func() { s.CPU = given.CPU })
	set(req.Set.Tags, func() { s.Tags = given.Tags })
	set(req.Set.Timeout, func() { s.Timeout = given.Timeout })
	if s.Count == 0 {
		s.Count = given.Count
	}
	if s.Timeout == 0 {
		s.Timeout = given.Timeout
	}
	if len(req.Packages) > 0 {
		s.Packages, s.Dir = req.Packages, dir
	} else {
		root, err := gomod.Find(dir)
		if err != nil && len(s.Modules) == 0 && req.Layout == nil {
			return s, err
		}
		if err != nil {
			root = dir // a workspace's directory: measuredModules sets the modules
		}
		rel := s.Dir
		if rel == "" {
			rel = "." // recorded at the root, or by another tool
		}
		s.Dir = filepath.Join(root, filepath.FromSlash(rel))
	}
	s.Modules = nil // measuredModules resolves the recorded ones
	if err := s.Validate(); err != nil {
		return s, fmt.Errorf("baseline %s records flags perfctl cannot use: %w", base.Source, err)
	}
	return s, nil
}

// IdenticalReason is why a package was not run.
const IdenticalReason = "identical test binary and inputs"

// readSide reads one side of an interleaved run; a side that measured
// nothing (every package was identical) is an empty set.
func readSide(res *bench.Results, name string) (*bench.ResultSet, error) {
	if res.Benchmarks == 0 {
		return bench.Empty(name), nil
	}
	return bench.Read(bytes.NewReader(res.Text), name)
}

// measure runs spec with h and reads its results as name; it returns the
// packages h left out as identical too.
func measure(ctx context.Context, env *Env, h *bench.Harness, spec *bench.Spec, name string) (*bench.ResultSet, []string, error) {
	if len(spec.Modules) == 0 { // a workspace's directory need not be a module
		if _, err := gomod.Find(spec.Dir); err != nil {
			return nil, nil, err
		}
	}
	res, err := h.Measure(ctx, spec, env.Version)
	if err != nil {
		return nil, nil, err
	}
	set, err := readSide(res, name)
	return set, res.Identical, err
}

// againstRevision checks out the base revision into a temporary worktree,
// runs base and head interleaved, and compares the rounds pairwise.
func againstRevision(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
	if req.Layout == nil { // else the modules were found, maybe from a workspace's directory
		if _, err := gomod.Find(env.Dir); err != nil {
			return nil, err
		}
	}
	top, err := worktree.Toplevel(ctx, env.Exec, env.Dir)
	if err != nil {
		return nil, err
	}
	var sha string
	if req.Ref.MergeBase != "" {
		sha, err = worktree.MergeBase(ctx, env.Exec, env.Dir, req.Ref.MergeBase)
	} else {
		sha, err = worktree.Resolve(ctx, env.Exec, env.Dir, req.Ref.BaseRef)
	}
	if err != nil {
		return nil, err
	}
	spec := req.Spec
	spec.Packages, spec.Dir = req.Packages, env.Dir
	if !req.Set.Count {
		spec.Count = DefaultRounds
	}
	if !req.Set.Benchtime {
		spec.Benchtime = DefaultBenchtime
	}
	layout, err := measuredModules(env, req, &spec, nil)
	if err != nil {
		return nil, err
	}
	c, _, err := interleaved(ctx, env, req, top, &spec, sha, req.Ref.Describe()+" "+sha[:min(12, len(sha))])
	if err != nil {
		return nil, err
	}
	setModules(c, layout)
	return c, nil
}

// rerunBaseline measures the commit a baseline recorded again, the way
// the baseline ran it, interleaved with head: the stored numbers came from
// another machine or another day, and only say how far they are from what
// the same code measures now.
func rerunBaseline(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
	stored, err := LoadBaseline(env.Dir, &req.Ref)
	if err != nil {
		return nil, err
	}
	top, err := worktree.Toplevel(ctx, env.Exec, env.Dir)
	if err != nil {
		return nil, err
	}
	sha, err := recordedCommit(stored, req.Ref.Baseline)
	if err != nil {
		return nil, err
	}
	if _, err := worktree.Resolve(ctx, env.Exec, env.Dir, sha); err != nil {
		d := usererr.Describe(err)[0]
		return nil, &usererr.Error{Msg: fmt.Sprintf("baseline %q was recorded at commit %s, which this repository does not have (%s)", req.Ref.Baseline, sha, d.Msg),
			Hint: "fetch it (git fetch origin " + sha + "; a shallow CI clone needs fetch-depth: 0), or compare with the stored numbers: drop --rerun-base",
			Err:  err}
	}
	spec, err := recordedSpec(env.Dir, stored, req)
	if err != nil {
		return nil, err
	}
	if !req.Set.Count {
		spec.Count = DefaultRounds // rounds of a pair, not the samples the baseline took
	}
	if !req.Set.Benchtime && spec.Benchtime == "" {
		spec.Benchtime = DefaultBenchtime // the baseline ran at go's default; rounds, not samples
	}
	layout, err := measuredModules(env, req, &spec, bench.RecordedSpec(stored).Modules)
	if err != nil {
		return nil, err
	}
	c, base, err := interleaved(ctx, env, req, top, &spec, sha, "baseline "+req.Ref.Baseline+" at "+sha[:min(12, len(sha))])
	if err != nil {
		return nil, err
	}
	setModules(c, layout)
	if w := drift(stored, base, req.Stats); w != "" {
		c.Warnings = append(c.Warnings, w)
	}
	return c, nil
}

// recordedCommit is the commit a baseline's numbers were measured at,
// checked to be a full object name: the file is repository content, and
// what it says must not become an option or a revision expression.
func recordedCommit(set *bench.ResultSet, name string) (string, error) {
	sha := set.ConfigValue(bench.KeyCommit)
	if sha == "" {
		return "", &usererr.Error{Msg: fmt.Sprintf("baseline %q records no commit, so --rerun-base has nothing to measure again", name),
			Hint: "save it again with perfctl baseline save in a git checkout, or compare with the stored numbers: drop --rerun-base"}
	}
	if !isObjectName(sha) {
		return "", &usererr.Error{Msg: fmt.Sprintf("baseline %q records the commit %q, which is not a full commit hash", name, sha),
			Hint: "save it again with perfctl baseline save, or compare with the stored numbers: drop --rerun-base"}
	}
	if set.ConfigValue(bench.KeyDirty) == "true" {
		return "", &usererr.Error{Msg: fmt.Sprintf("baseline %q was saved from uncommitted changes on top of %s: that code cannot be checked out again", name, sha[:12]),
			Hint: "save the baseline from a clean checkout, or compare with the stored numbers: drop --rerun-base"}
	}
	return sha, nil
}

// isObjectName reports whether s is a full SHA-1 or SHA-256 object name.
func isObjectName(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// drift warns when a baseline's stored numbers differ from what its
// commit measured now (beyond the threshold, significantly): the
// environment changed, and the stored numbers alone would have misled.
func drift(stored, now *bench.ResultSet, opts bench.Options) string {
	if now == nil || now.Len() == 0 {
		return ""
	}
	// The default thresholds: a gate's own may be wide for a noisy
	// runner, and a drift of the machine is worth knowing at 5%.
	opts.Paired, opts.NotRun, opts.NotRunRows, opts.OmitRemoved = false, nil, nil, true
	opts.Thresholds = bench.DefaultThresholds()
	c, err := bench.Compare(stored, now, opts)
	if err != nil {
		return ""
	}
	changed, rows := 0, 0
	for i := range c.Rows {
		if r := &c.Rows[i]; r.Unit == "sec/op" {
			rows++
			if r.Status == bench.StatusRegression || r.Status == bench.StatusImprovement {
				changed++
			}
		}
	}
	if changed == 0 {
		return ""
	}
	geo := ""
	for _, g := range c.Geomeans {
		if g.Unit == "sec/op" && !math.IsNaN(g.DeltaPct) {
			geo = fmt.Sprintf(" (geomean %+.1f%%)", g.DeltaPct)
		}
	}
	return fmt.Sprintf("the baseline's stored sec/op numbers differ from what its commit measures here now for %d of %d benchmarks%s: "+
		"compared with them, this run would have shown changes that are the machine's, not the code's", changed, rows, geo)
}

// interleaved checks out sha into a temporary worktree of the repository
// at top, runs spec there
// (base, called "base (" + label + ")") and in spec.Dir (head) in
// interleaved rounds, and compares the rounds pairwise. It returns the
// base side's results as well.
func interleaved(ctx context.Context, env *Env, req *Request, top string, spec *bench.Spec, sha, label string) (*bench.Comparison, *bench.ResultSet, error) {
	rel, err := filepath.Rel(top, spec.Dir)
	if err != nil {
		return nil, nil, err
	}
	tree, err := worktree.Add(ctx, env.Exec, top, sha)
	if err != nil {
		return nil, nil, err
	}
	defer tree.Remove()

	ab := &bench.ABSpec{Spec: *spec, BaseDir: filepath.Join(tree.Dir, rel), HeadDir: spec.Dir,
		BaseName: "base (" + label + ")", HeadName: "head (working tree)",
		BaseRoot: tree.Dir, HeadRoot: top, MaxTime: req.MaxTime, MinRounds: MinRounds}
	if !req.KeepAll {
		stats := req.Stats
		ab.Settle, ab.SkipIdentical = &stats, true
	}
	header := func(dir string) func() (*bench.Header, error) {
		return func() (*bench.Header, error) {
			h, err := bench.NewHeader(ctx, env.Exec, dir, env.Version)
			return &h, err
		}
	}
	sel, err := selection(ctx, env, req, spec, nil)
	if err != nil {
		return nil, nil, err
	}
	h := &bench.Harness{Exec: env.Exec, Progress: env.Progress, Select: sel}
	profiling := req.Profile != nil && len(spec.Modules) == 0
	if profiling {
		// Keep the binaries for the profiled runs after the verdict.
		bins, err := os.MkdirTemp("", "perfctl-ab-bins-")
		if err != nil {
			return nil, nil, err
		}
		defer os.RemoveAll(bins)
		ab.BinDir = bins
	}
	var res *bench.ABResults
	var skipped []string
	if len(spec.Modules) > 0 {
		res, skipped, err = runModulesAB(ctx, h, ab, header)
	} else {
		res, err = h.RunAB(ctx, ab, header(ab.BaseDir), header(ab.HeadDir))
	}
	if err != nil {
		return nil, nil, err
	}
	base, err := readSide(res.Base, ab.BaseName)
	if err != nil {
		return nil, nil, err
	}
	head, err := readSide(res.Head, ab.HeadName)
	if err != nil {
		return nil, nil, err
	}
	stats := req.Stats
	stats.Paired, stats.Truncated = true, res.Stopped
	if len(res.Identical) > 0 {
		stats.NotRun = map[string]string{}
		for _, pkg := range res.Identical {
			stats.NotRun[pkg] = IdenticalReason
		}
		if stats.NotRunRows, err = bench.Read(bytes.NewReader(res.IdenticalText), "identical packages"); err != nil {
			stats.NotRunRows = nil // no names: the packages are still counted in the warning
		}
	}
	c, err := bench.Compare(base, head, stats)
	if err != nil {
		return nil, nil, err
	}
	c.Rounds = res.Rounds
	if err := labelShard(c, sel, base, head, res.Stopped); err != nil {
		return nil, nil, err
	}
	c.Warnings = append(c.Warnings, skipped...)
	if res.Stopped {
		c.Warnings = append(c.Warnings, fmt.Sprintf("--max-time %v was spent after %d of at most %d rounds: rows it left undecided are insufficient", req.MaxTime, res.Rounds, spec.Count))
	}
	switch {
	case profiling:
		// After the verdict, in runs of their own: nothing here changes it.
		if err := profileRegressions(ctx, h, spec, req.Profile, c, res); err != nil {
			return nil, nil, err
		}
	case req.Profile != nil && !req.Profile.Implied && c.Count(bench.StatusRegression) > 0:
		c.Warnings = append(c.Warnings, "--profile does not profile comparisons of several modules yet: run it in one module")
	}
	return c, base, nil
}
