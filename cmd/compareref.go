package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/progress"
	"github.com/perfctl/perfctl/internal/worktree"
)

// DefaultABCount is the number of interleaved rounds of compare --base-ref:
// the signed-rank test needs 6 rounds to reach p < 0.05 at all; 10 gives it
// room to see a change that is not the same in every round.
const DefaultABCount = 10

// compareRef checks out the base revision into a temporary worktree, runs
// base and head interleaved, and compares the rounds pairwise.
func compareRef(ctx context.Context, opts *CompareOptions) (*bench.Comparison, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if _, err := findModuleFrom(cwd); err != nil {
		return nil, err
	}
	top, err := worktree.Toplevel(ctx, opts.Exec, cwd)
	if err != nil {
		return nil, err
	}
	ref, sha := opts.BaseRef, ""
	if opts.MergeBase != "" {
		ref = "merge-base(HEAD, " + opts.MergeBase + ")"
		sha, err = worktree.MergeBase(ctx, opts.Exec, cwd, opts.MergeBase)
	} else {
		sha, err = worktree.Resolve(ctx, opts.Exec, cwd, opts.BaseRef)
	}
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, cwd)
	if err != nil {
		return nil, err
	}
	tree, err := worktree.Add(ctx, opts.Exec, top, sha)
	if err != nil {
		return nil, err
	}
	defer tree.Remove()

	spec := opts.flags.Spec(opts.Packages)
	if !opts.flags.fs.Changed("count") {
		spec.Count = DefaultABCount
	}
	ab := &bench.ABSpec{Spec: spec, BaseDir: filepath.Join(tree.Dir, rel), HeadDir: cwd,
		BaseName: "base (" + ref + " " + sha[:min(12, len(sha))] + ")", HeadName: "head (working tree)",
		MaxTime: opts.MaxTime, MinRoundsOnBudget: 6}
	header := func(dir string) func() (*bench.Header, error) {
		return func() (*bench.Header, error) {
			h, err := bench.NewHeader(ctx, opts.Exec, dir, opts.Version)
			h.Dir = relToModule(dir)
			return &h, err
		}
	}
	r := &bench.Runner{Exec: opts.Exec, Progress: progress.New(opts.IO.ErrOut, opts.IO.IsStderrTTY())}
	res, err := r.RunAB(ctx, ab, header(ab.BaseDir), header(ab.HeadDir))
	if err != nil {
		return nil, err
	}
	base, err := bench.Read(bytes.NewReader(res.Base.Text), ab.BaseName)
	if err != nil {
		return nil, err
	}
	head, err := bench.Read(bytes.NewReader(res.Head.Text), ab.HeadName)
	if err != nil {
		return nil, err
	}
	opts.Bench.Paired = true
	c, err := bench.Compare(base, head, opts.Bench)
	if err != nil {
		return nil, err
	}
	c.Rounds = res.Rounds
	if res.Stopped {
		c.Warnings = append(c.Warnings, fmt.Sprintf("--max-time %v was spent after %d of %d rounds: the verdict rests on those", opts.MaxTime, res.Rounds, spec.Count))
	}
	return c, nil
}
