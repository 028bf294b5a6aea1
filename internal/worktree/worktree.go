// Package worktree checks out a git revision into a temporary directory with
// `git worktree add --detach`, without touching the user's working tree,
// index or branches, and removes it again on every way out; a worktree
// that a killed perfctl left registered is removed by the next one.
package worktree

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/filelock"
	"github.com/perfctl/perfctl/internal/proc"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Toplevel returns the root of the git repository containing dir.
func Toplevel(ctx context.Context, r run.Runner, dir string) (string, error) {
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--show-toplevel"}, Dir: dir})
	if ctx.Err() != nil {
		return "", ctx.Err() // interrupted, not "not a repository"
	}
	if err != nil {
		var nf *run.NotFoundError
		if errors.As(err, &nf) {
			return "", &usererr.Error{Msg: "git is not installed (not found in PATH)", Hint: "install git: comparing against a revision checks it out with git worktree"}
		}
		return "", &usererr.Error{Msg: "not inside a git repository (" + firstLine(err) + ")",
			Hint: "compare --base-ref needs git history: run it inside a clone, or compare result files instead"}
	}
	return strings.TrimSpace(string(out)), nil
}

// Resolve turns ref into a commit hash. A ref that starts with '-' is
// refused before git sees it.
func Resolve(ctx context.Context, r run.Runner, dir, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", &usererr.Error{Msg: fmt.Sprintf("%q is not a git revision", ref), Hint: "give a commit, tag or branch, e.g. --base-ref origin/main"}
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, Dir: dir})
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", &usererr.Error{Msg: fmt.Sprintf("unknown revision %q", ref),
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
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", &usererr.Error{Msg: fmt.Sprintf("HEAD and %q have no common ancestor", branch),
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
	lock string // the lock file of the repository's worktrees
}

// tempPrefix starts the names of perfctl's temporary worktree directories.
const tempPrefix = "perfctl-base-"

// pidFile, beside the worktree in its temporary directory, holds the pid
// of the perfctl that made it, so that the next run can tell a worktree
// in use from one a killed run left behind.
const pidFile = "perfctl.pid"

// Add checks out commit into a new temporary directory as a detached
// worktree of the repository at repo. Call Remove when done. It first
// removes the worktrees of perfctl runs that were killed before they
// could clean up.
//
// git runs no hooks for it: the repository's post-checkout hook is the
// repository's business, not a benchmark run's.
func Add(ctx context.Context, r run.Runner, repo, commit string) (*Tree, error) {
	// git worktree add reads every registered worktree, and fails on one
	// another process is half-way through adding ("failed to read
	// .git/worktrees/X/commondir"): perfctl runs take turns.
	lock, release, err := lockWorktrees(ctx, r, repo)
	if err != nil {
		return nil, err
	}
	defer release()
	removeStale(ctx, r, repo, lock)
	tmp, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, err
	}
	// The worktree's name in .git/worktrees is its directory's base name:
	// a unique one, so that concurrent runs never pick the same.
	t := &Tree{Dir: filepath.Join(tmp, filepath.Base(tmp)), repo: repo, tmp: tmp, r: r, lock: lock}
	if err := os.WriteFile(filepath.Join(tmp, pidFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if _, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "-c", "core.hooksPath=" + tmp,
		"worktree", "add", "--detach", "--quiet", t.Dir, commit}, Dir: repo}); err != nil {
		t.remove()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("checking out %s into a temporary worktree: %w", short(commit), err)
	}
	return t, nil
}

// lockPath is the file perfctl's worktree changes of repo lock: in the
// git directory the worktrees share ("" when git cannot say).
func lockPath(ctx context.Context, r run.Runner, repo string) string {
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--git-common-dir"}, Dir: repo})
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(out))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repo, dir)
	}
	return filepath.Join(dir, "perfctl", "worktree.lock")
}

// lockWorktrees takes the lock of repo's worktrees and returns its path.
func lockWorktrees(ctx context.Context, r run.Runner, repo string) (string, func(), error) {
	path := lockPath(ctx, r, repo)
	if ctx.Err() != nil {
		return "", nil, ctx.Err()
	}
	if path == "" {
		return "", func() {}, nil // git will say what is wrong
	}
	release, err := filelock.Acquire(ctx, path)
	return path, release, err
}

// RemoveStale removes the worktrees of repo that a perfctl run made and
// left behind when it was killed (SIGKILL, a crash, a CI timeout): those
// whose pid file names a process that no longer exists, or whose
// temporary directory is gone. Failures are ignored: this is tidying.
func RemoveStale(ctx context.Context, r run.Runner, repo string) {
	lock, release, err := lockWorktrees(ctx, r, repo)
	if err != nil {
		return
	}
	defer release()
	removeStale(ctx, r, repo, lock)
}

func removeStale(ctx context.Context, r run.Runner, repo, lock string) {
	if lock == "" {
		return
	}
	// The registrations (.git/worktrees/NAME) are read directly: a run
	// killed during git worktree add leaves one that git worktree list
	// does not show and prune does not remove.
	admin := filepath.Join(filepath.Dir(filepath.Dir(lock)), "worktrees")
	entries, err := os.ReadDir(admin)
	if err != nil {
		return
	}
	removed := false
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		reg := filepath.Join(admin, e.Name())
		// The worktree is TMP/NAME/NAME; its registration names it in
		// gitdir (TMP/NAME/NAME/.git), unless git was killed first.
		tmp := filepath.Join(os.TempDir(), e.Name())
		if data, err := os.ReadFile(filepath.Join(reg, "gitdir")); err == nil {
			tmp = filepath.Dir(filepath.Dir(strings.TrimSpace(string(data))))
		}
		if !stale(tmp) {
			continue
		}
		os.RemoveAll(reg)
		os.RemoveAll(tmp)
		removed = true
	}
	if removed {
		_, _ = run.Output(ctx, r, &run.Cmd{Args: []string{"git", "worktree", "prune"}, Dir: repo})
	}
}

// stale reports whether the temporary directory tmp of a perfctl worktree
// belongs to no running perfctl: it is gone (a reboot, a tmp cleaner), or
// its pid file names a process that is not alive. Without a readable pid
// file in an existing directory it cannot tell, and says no.
func stale(tmp string) bool {
	data, err := os.ReadFile(filepath.Join(tmp, pidFile))
	if err != nil {
		_, serr := os.Stat(tmp)
		return errors.Is(serr, os.ErrNotExist)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return err == nil && !proc.Alive(pid)
}

// Remove deletes the worktree and its registration, even after the
// context of the run was cancelled (Ctrl-C).
func (t *Tree) Remove() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if t.lock != "" {
		if release, err := filelock.Acquire(ctx, t.lock); err == nil {
			defer release()
		}
	}
	t.remove()
}

// remove is Remove with the lock held.
func (t *Tree) remove() {
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
