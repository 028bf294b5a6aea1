package compare

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/internal/worktree"
)

// Run makes the comparison req asks for. Call req.Validate first.
func Run(ctx context.Context, env *Env, req *Request) (*bench.Comparison, error) {
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
		return againstBaseline(ctx, env, req)
	case Revision:
		return againstRevision(ctx, env, req)
	}
	return nil, usage("nothing to compare with: give two result files, --baseline NAME, --base-ref REF or --merge-base BRANCH")
}

// Store returns the baseline store of a reference made in dir: the
// reference's BaselineDir (relative to dir), or .perfctl/baselines at the
// module root.
func Store(dir string, ref *Reference) baseline.Store {
	if ref.BaselineDir != "" {
		return baseline.Store{Dir: in(dir, ref.BaselineDir)}
	}
	root, _ := gomod.Root(dir)
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
	stats := req.Stats
	if req.Ref.HeadFile != "" {
		head, err = bench.ReadFileIn(env.Dir, req.Ref.HeadFile, env.Stdin)
	} else {
		spec, err := recordedSpec(env.Dir, base, req)
		if err != nil {
			return nil, err
		}
		// A narrower run than the baseline's measures a subset on purpose:
		// what it did not run is not "removed".
		stats.OmitRemoved = len(req.Packages) > 0 || req.Set.Bench
		h := &bench.Harness{Exec: env.Exec, Progress: env.Progress, Find: env.Find}
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
	return bench.Compare(base, head, stats)
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
		if err != nil {
			return s, err
		}
		rel := s.Dir
		if rel == "" {
			rel = "." // recorded at the root, or by another tool
		}
		s.Dir = filepath.Join(root, filepath.FromSlash(rel))
	}
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
	if _, err := gomod.Find(spec.Dir); err != nil {
		return nil, nil, err
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
	if _, err := gomod.Find(env.Dir); err != nil {
		return nil, err
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
	rel, err := filepath.Rel(top, env.Dir)
	if err != nil {
		return nil, err
	}
	tree, err := worktree.Add(ctx, env.Exec, top, sha)
	if err != nil {
		return nil, err
	}
	defer tree.Remove()

	spec := req.Spec
	spec.Packages = req.Packages
	if !req.Set.Count {
		spec.Count = DefaultRounds
	}
	ab := &bench.ABSpec{Spec: spec, BaseDir: filepath.Join(tree.Dir, rel), HeadDir: env.Dir,
		BaseName: "base (" + req.Ref.Describe() + " " + sha[:min(12, len(sha))] + ")", HeadName: "head (working tree)",
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
	h := &bench.Harness{Exec: env.Exec, Progress: env.Progress}
	res, err := h.RunAB(ctx, ab, header(ab.BaseDir), header(ab.HeadDir))
	if err != nil {
		return nil, err
	}
	base, err := readSide(res.Base, ab.BaseName)
	if err != nil {
		return nil, err
	}
	head, err := readSide(res.Head, ab.HeadName)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	c.Rounds = res.Rounds
	if res.Stopped {
		c.Warnings = append(c.Warnings, fmt.Sprintf("--max-time %v was spent after %d of at most %d rounds: rows it left undecided are insufficient", req.MaxTime, res.Rounds, spec.Count))
	}
	return c, nil
}
