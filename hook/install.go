package hook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/filelock"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/internal/worktree"
)

// Marker identifies perfctl's hook script.
const Marker = "# perfctl-hook"

// BackupSuffix is appended to the name of a hook that was there before
// perfctl's: perfctl's hook runs it first, and uninstalling puts it back.
const BackupSuffix = ".pre-perfctl"

// HooksDir returns the directory git runs hooks from for the repository
// containing dir: core.hooksPath when set, else the hooks directory of the
// common git directory (shared by every worktree).
func HooksDir(ctx context.Context, r run.Runner, dir string) (string, error) {
	top, err := toplevel(ctx, r, dir)
	if err != nil {
		return "", err
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--git-path", "hooks"}, Dir: top})
	if err != nil {
		return "", fmt.Errorf("asking git for the hooks directory: %w", err)
	}
	hooks := strings.TrimSpace(string(out))
	if !filepath.IsAbs(hooks) {
		hooks = filepath.Join(top, hooks) // relative to the top of the working tree, as git runs hooks
	}
	return filepath.Clean(hooks), nil
}

func toplevel(ctx context.Context, r run.Runner, dir string) (string, error) {
	top, err := worktree.Toplevel(ctx, r, dir)
	if err != nil {
		return "", &usererr.Error{Msg: "not inside a git working tree",
			Hint: "run perfctl hook in a clone (a bare repository has no commits to check)"}
	}
	return top, nil
}

// An Installed hook: where it is and what happened.
type Installed struct {
	Path    string // the pre-commit hook
	Chained string // the hook that was there before, now run first ("" if none)
	Updated bool   // perfctl's hook was already there and was rewritten
}

// Install writes perfctl's pre-commit hook. An existing hook that is not
// perfctl's is renamed to pre-commit.pre-perfctl and run first by
// perfctl's; perfctl's own hook is rewritten in place. perfctl is the
// command the hook runs (an absolute path, or "perfctl" from PATH).
func Install(ctx context.Context, r run.Runner, dir, perfctl string) (*Installed, error) {
	hooks, err := HooksDir(ctx, r, dir)
	if err != nil {
		return nil, err
	}
	res := &Installed{Path: filepath.Join(hooks, "pre-commit")}
	backup := res.Path + BackupSuffix
	old, err := os.ReadFile(res.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case bytes.Contains(old, []byte(Marker)):
		res.Updated = true
	default:
		if _, err := os.Lstat(backup); err == nil {
			return nil, &usererr.Error{Msg: fmt.Sprintf("%s exists and so does %s; perfctl will not overwrite either", res.Path, backup),
				Hint: "keep the hook you want as pre-commit" + BackupSuffix + " (perfctl runs it first) or remove it, then install again"}
		}
		if err := os.Rename(res.Path, backup); err != nil {
			return nil, err
		}
	}
	if _, err := os.Lstat(backup); err == nil {
		res.Chained = backup
	}
	if err := atomicfile.WriteFile(res.Path, []byte(Script(perfctl)), 0o755); err != nil {
		return nil, err
	}
	return res, nil
}

// Uninstall removes perfctl's pre-commit hook and puts back the hook it
// chained, if any. It returns the restored hook's path ("" if none).
func Uninstall(ctx context.Context, r run.Runner, dir string) (restored string, err error) {
	hooks, err := HooksDir(ctx, r, dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(hooks, "pre-commit")
	backup := path + BackupSuffix
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", &usererr.Error{Msg: "no perfctl hook is installed in " + hooks, Hint: "install it with perfctl hook install"}
	} else if err != nil {
		return "", err
	}
	if !bytes.Contains(data, []byte(Marker)) {
		return "", &usererr.Error{Msg: path + " is not perfctl's hook; nothing was removed",
			Hint: "perfctl only removes the hook it installed"}
	}
	if _, statErr := os.Lstat(backup); statErr == nil {
		// rename replaces perfctl's hook in one step: the old hook, its
		// bytes and its mode, are back.
		restored, err = path, os.Rename(backup, path)
	} else {
		err = os.Remove(path)
	}
	if err != nil {
		return "", err
	}
	return restored, removeState(ctx, r, dir)
}

// removeState removes what hook runs kept under the git directories (the
// staged snapshot, its index and lock: perfctl/ in the repository's git
// directory and in each linked worktree's), once no run holds it.
func removeState(ctx context.Context, r run.Runner, dir string) error {
	out, err := git(ctx, r, dir, "rev-parse", "--path-format=absolute", "--git-common-dir")
	if err != nil {
		return err
	}
	common := strings.TrimSpace(string(out))
	bases := []string{filepath.Join(common, "perfctl")}
	linked, _ := filepath.Glob(filepath.Join(common, "worktrees", "*", "perfctl"))
	for _, base := range append(bases, linked...) {
		if _, err := os.Lstat(base); err != nil {
			continue
		}
		release, err := filelock.Acquire(ctx, filepath.Join(base, "staged.lock"))
		if err != nil {
			return err
		}
		err = os.RemoveAll(base)
		release()
		if err != nil {
			return fmt.Errorf("removing the hook's snapshot %s: %w", base, err)
		}
	}
	return nil
}

// Script is the pre-commit hook that runs perfctl hook run with perfctl.
func Script(perfctl string) string {
	return `#!/bin/sh
` + Marker + `: installed by 'perfctl hook install'. 'perfctl hook uninstall' removes it
# and puts back the hook that was here before (kept as pre-commit` + BackupSuffix + `).
# Bypass once with: git commit --no-verify
hookdir=$(dirname "$0")
if [ -x "$hookdir/pre-commit` + BackupSuffix + `" ]; then
	"$hookdir/pre-commit` + BackupSuffix + `" "$@" || exit $?
fi
perfctl=` + shellQuote(perfctl) + `
if ! command -v "$perfctl" >/dev/null 2>&1; then
	echo "perfctl hook: $perfctl not found, so the performance hook did not run (install perfctl, or run perfctl hook uninstall)" >&2
	exit 0
fi
exec "$perfctl" hook run
`
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
