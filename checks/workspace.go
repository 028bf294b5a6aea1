package checks

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/run"
)

// A Workspace is the module being checked and the tools to check it with.
// Work that several checks need (listing the packages of ./..., walking the
// module's files) is done once and shared.
type Workspace struct {
	Dir     string     // the module root (absolute)
	Exec    run.Runner // runs go, git, golangci-lint
	Version string     // perfctl's version, recorded in benchmark results
	Tags    string     // build tags for go commands

	// GolangciLint is the golangci-lint binary to use ("" finds it as
	// perfctl lint does).
	GolangciLint string

	// Regression compares the benchmarks against the reference the
	// command line gave (--baseline, --base-ref, --merge-base). It is nil
	// when none was given; it returns a *SkipError when the reference does
	// not exist yet.
	Regression func(ctx context.Context) (*bench.Comparison, error)

	// Progress, when set, is told about benchmark runs.
	Progress bench.Progress

	filesOnce sync.Once
	files     []string
	filesErr  error

	listOnce sync.Once
	listed   []bench.ListedPackage
	listErr  error
}

// A SkipError says why a check does not apply.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return e.Reason }

// skippedDirs are never walked: version control, dependencies, and
// testdata (which the go tool ignores too).
var skippedDirs = []string{".git", ".hg", ".svn", "vendor", "node_modules", "testdata"}

// Files returns every regular file of the module, relative to its root
// with forward slashes, sorted. Nested modules, vendor and testdata
// directories are left out.
func (ws *Workspace) Files() ([]string, error) {
	ws.filesOnce.Do(func() {
		ws.filesErr = filepath.WalkDir(ws.Dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path == ws.Dir {
					return nil
				}
				if slices.Contains(skippedDirs, d.Name()) {
					return filepath.SkipDir
				}
				if isModuleRoot(path) {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(ws.Dir, path)
			if err != nil {
				return err
			}
			ws.files = append(ws.files, filepath.ToSlash(rel))
			return nil
		})
		slices.Sort(ws.files)
	})
	return ws.files, ws.filesErr
}

func isModuleRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}

// Abs returns the absolute path of a module-relative file.
func (ws *Workspace) Abs(rel string) string {
	return filepath.Join(ws.Dir, filepath.FromSlash(rel))
}

// Packages lists the module's packages matching patterns (./... when
// empty) and whether their tests declare benchmarks. The listing of ./...
// is shared.
func (ws *Workspace) Packages(ctx context.Context, patterns []string) ([]bench.ListedPackage, error) {
	if len(patterns) == 0 || (len(patterns) == 1 && patterns[0] == "./...") {
		ws.listOnce.Do(func() {
			ws.listed, ws.listErr = bench.ListPackages(ctx, ws.Exec, ws.Dir, []string{"./..."}, ws.Tags)
		})
		return ws.listed, ws.listErr
	}
	return bench.ListPackages(ctx, ws.Exec, ws.Dir, patterns, ws.Tags)
}

// rel makes an absolute path relative to the module root (slash form);
// paths outside the module are returned as they are.
func (ws *Workspace) rel(path string) string {
	if r, err := filepath.Rel(ws.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}
