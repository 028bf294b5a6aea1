// Package worktree checks out a git revision into a temporary directory with
// `git worktree add --detach`, without touching the user's working tree,
// index or branches, and removes it again on every way out.
package worktree

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/run"
)

// A RefError is a revision perfctl cannot use.
type RefError struct {
	Msg  string
	Hint string
}

func (e *RefError) Error() string { return e.Msg }

// Toplevel returns the root of the git repository containing dir.
func Toplevel(ctx context.Context, r run.Runner, dir string) (string, error) {
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--show-toplevel"}, Dir: dir})
	if err != nil {
		return "", &RefError{Msg: "not inside a git repository (" + firstLine(err) + ")",
			Hint: "compare --base-ref needs git history: run it inside a clone, or compare result files instead"}
	}
	return strings.TrimSpace(string(out)), nil
}

// Resolve turns ref into a commit hash. A ref that starts with '-' is
// refused before git sees it.
func Resolve(ctx context.Context, r run.Runner, dir, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", &RefError{Msg: fmt.Sprintf("%q is not a git revision", ref), Hint: "give a commit, tag or branch, e.g. --base-ref origin/main"}
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, Dir: dir})
	if err != nil {
		return "", &RefError{Msg: fmt.Sprintf("unknown revision %q", ref),
			Hint: "check the name with `git rev-parse " + ref + "`; in CI, fetch it first (git fetch origin main)"}
	}
	return strings.TrimSpace(string(out)), nil
}

// MergeBase returns the best common ancestor of HEAD and branch.
func MergeBase(ctx context.Context, r run.Runner, dir, branch string) (string, error) {
	sha, err := Resolve(ctx, r, dir, branch)
	if err != nil {
		return "", err
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "merge-base", "HEAD", sha}, Dir: dir})
	if err != nil {
		return "", &RefError{Msg: fmt.Sprintf("HEAD and %q have no common ancestor", branch),
			Hint: "in a shallow CI clone, fetch more history (git fetch --unshallow or fetch-depth: 0)"}
	}
	return strings.TrimSpace(string(out)), nil
}

// A Tree is a checked-out revision.
type Tree struct {
	Dir  string // the worktree's root
	repo string
	tmp  string
	r    run.Runner
}

// Add checks out commit into a new temporary directory as a detached
// worktree of the repository at repo. Call Remove when done.
func Add(ctx context.Context, r run.Runner, repo, commit string) (*Tree, error) {
	tmp, err := os.MkdirTemp("", "perfctl-base-")
	if err != nil {
		return nil, err
	}
	t := &Tree{Dir: filepath.Join(tmp, "tree"), repo: repo, tmp: tmp, r: r}
	if _, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "worktree", "add", "--detach", "--quiet", t.Dir, commit}, Dir: repo}); err != nil {
		t.Remove()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("checking out %s into a temporary worktree: %w", short(commit), err)
	}
	return t, nil
}

// Remove deletes the worktree and its registration, even after the
// context of the run was cancelled (Ctrl-C).
func (t *Tree) Remove() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := run.Output(ctx, t.r, &run.Cmd{Args: []string{"git", "worktree", "remove", "--force", t.Dir}, Dir: t.repo})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		// The directory may never have been created; prune the record.
		_, _ = run.Output(ctx, t.r, &run.Cmd{Args: []string{"git", "worktree", "prune"}, Dir: t.repo})
	}
	os.RemoveAll(t.tmp)
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
