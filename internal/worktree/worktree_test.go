package worktree

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// newRepo makes a git repository with one commit, with hooks that leave a
// marker file if git runs them.
func newRepo(t *testing.T) (repo, marker string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo = t.TempDir()
	marker = filepath.Join(t.TempDir(), "hook-ran")
	git(t, repo, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(repo, "a.txt"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "add", "a.txt")
	git(t, repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "a")
	hook := "#!/bin/sh\necho \"$0\" >> " + marker + "\n"
	for _, name := range []string{"post-checkout", "reference-transaction"} {
		if err := os.WriteFile(filepath.Join(repo, ".git", "hooks", name), []byte(hook), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return repo, marker
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestAddRunsNoHooks(t *testing.T) {
	repo, marker := newRepo(t)
	tree, err := Add(t.Context(), run.Exec{}, repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(tree.Dir, "a.txt")); err != nil {
		t.Errorf("the worktree lacks a.txt: %v", err)
	}
	tree.Remove()
	if data, err := os.ReadFile(marker); err == nil {
		t.Errorf("git ran the repository's hooks: %s", data)
	}
	if _, err := os.Stat(tree.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the worktree is still there: %v", err)
	}
	if out := git(t, repo, "worktree", "list"); strings.Count(out, "\n") != 1 {
		t.Errorf("worktrees left registered:\n%s", out)
	}
}

// TestConcurrentAdd: four runs at once on one repository. Every worktree
// had the base name "tree", and git's naming of .git/worktrees/tree1…
// raced ("failed to read .git/worktrees/tree1/commondir").
func TestConcurrentAdd(t *testing.T) {
	repo, _ := newRepo(t)
	for range 10 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		trees := make([]*Tree, 4)
		for i := range 4 {
			wg.Go(func() { trees[i], errs[i] = Add(t.Context(), run.Exec{}, repo, "HEAD") })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("run %d: %v", i, err)
				continue
			}
			trees[i].Remove()
		}
	}
	if out := git(t, repo, "worktree", "list"); strings.Count(out, "\n") != 1 {
		t.Errorf("worktrees left registered:\n%s", out)
	}
}

// TestRemoveStale: a run killed with SIGKILL leaves its worktree
// registered; the next run removes it, and keeps a live run's.
func TestRemoveStale(t *testing.T) {
	repo, _ := newRepo(t)
	dead := exec.CommandContext(t.Context(), "true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale, err := Add(t.Context(), run.Exec{}, repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale.tmp, pidFile), []byte(strconv.Itoa(dead.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	live, err := Add(t.Context(), run.Exec{}, repo, "HEAD") // this process: alive
	if err != nil {
		t.Fatal(err)
	}
	gone, err := Add(t.Context(), run.Exec{}, repo, "HEAD") // its directory deleted by a reboot
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(gone.tmp)

	// A run killed during git worktree add: a registration without
	// gitdir, which git worktree list does not show.
	half := filepath.Join(repo, ".git", "worktrees", tempPrefix+"12345")
	if err := os.MkdirAll(half, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(half, "locked"), []byte("initializing\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	RemoveStale(t.Context(), run.Exec{}, repo)
	if _, err := os.Stat(half); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the half-made registration is still there: %v", err)
	}
	out := git(t, repo, "worktree", "list")
	if strings.Contains(out, stale.Dir) {
		t.Errorf("the dead run's worktree is still registered:\n%s", out)
	}
	if _, err := os.Stat(stale.tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dead run's directory is still there: %v", err)
	}
	if strings.Contains(out, gone.Dir) {
		t.Errorf("the worktree without a directory is still registered:\n%s", out)
	}
	if !strings.Contains(out, live.Dir) {
		t.Errorf("the live run's worktree was removed:\n%s", out)
	}
	live.Remove()
}

func TestInterruptedIsNotABadRepository(t *testing.T) {
	repo, _ := newRepo(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, f := range map[string]func() error{
		"Toplevel":  func() error { _, err := Toplevel(ctx, run.Exec{}, repo); return err },
		"Resolve":   func() error { _, err := Resolve(ctx, run.Exec{}, repo, "HEAD"); return err },
		"MergeBase": func() error { _, err := MergeBase(ctx, run.Exec{}, repo, "main"); return err },
	} {
		if err := f(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s after Ctrl-C: %v, want context.Canceled", name, err)
		}
	}
}

func TestGitMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Toplevel(t.Context(), run.Exec{}, t.TempDir())
	var re *usererr.Error
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "git is not installed") {
		t.Errorf("without git: %v", err)
	}
}
