// Package gitinfo reads what a benchmark result should record about the
// repository it was measured in: commit, branch and whether the working tree
// had uncommitted changes.
package gitinfo

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/internal/run"
)

// Info describes a working tree. All fields are empty outside a git
// repository.
type Info struct {
	Commit string // full hash of HEAD
	Branch string // "" on a detached HEAD
	Dirty  bool   // uncommitted changes to tracked or untracked files, outside .perfctl/
}

// Read returns the Info of the repository containing dir. It is not an error
// for dir to be outside a repository: the Info is then empty.
func Read(ctx context.Context, r run.Runner, dir string) Info {
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--show-toplevel", "HEAD", "--abbrev-ref", "HEAD"}, Dir: dir})
	if err != nil {
		return Info{}
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return Info{}
	}
	top := lines[0]
	info := Info{Commit: lines[1], Branch: lines[2]}
	if info.Branch == "HEAD" {
		info.Branch = ""
	}
	// perfctl's own state (.perfctl/baselines) and policy (perfctl.yaml, as
	// perfctl init writes it) do not make a tree dirty: otherwise every run
	// after the first baseline would say so, and neither changes what a
	// benchmark measures. Nor do
	// the temporary directories of this very run (the go command's work
	// files, test binaries) when $TMPDIR is inside the repository.
	args := []string{"git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=normal", "--", ":(top,exclude).perfctl", ":(top,exclude,glob)**/perfctl.yaml"}
	if rel, err := filepath.Rel(top, os.TempDir()); err == nil && filepath.IsLocal(rel) {
		args = append(args, ":(top,exclude)"+filepath.ToSlash(rel))
	}
	status, err := run.Output(ctx, r, &run.Cmd{Args: args, Dir: dir})
	info.Dirty = err == nil && len(strings.TrimSpace(string(status))) > 0
	return info
}
