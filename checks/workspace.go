package checks

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks/buildfiles"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/gomod"
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

	// TrustCommands lets checks of kind command run. The policy's own
	// allow_commands: true is not enough: the policy comes with the
	// repository, and a pull request can change it. The caller sets this
	// when the operator allowed commands (perfctl check --allow-commands,
	// PERFCTL_ALLOW_COMMANDS) or read the policy from a trusted git
	// revision (--policy-ref).
	TrustCommands bool

	// Compare is the comparison the regression checks make, against the
	// reference the command line gave (--baseline, --base-ref,
	// --merge-base); nil when none was given. It runs from CompareDir, the
	// directory perfctl runs in ("" for Dir).
	Compare    *compare.Request
	CompareDir string
	// RunCompare replaces compare.Run (tests).
	RunCompare func(ctx context.Context, env *compare.Env, req *compare.Request) (*bench.Comparison, error)

	// Progress, when set, is told about benchmark runs.
	Progress bench.Progress

	// Modules are the modules the run covers when it covers more than the
	// module at Dir (--all-modules, a go.work): the kinds that work on
	// packages (Kind.PerModule) run in each of them; the others read Dir.
	Modules []gomod.Module
	modulesOf

	filesOnce sync.Once
	files     []string
	filesErr  error

	contents sync.Map // module-relative path → fileContent
	ciRuns   sync.Map // globs of CI configurations, joined by NUL → ciRun

	listOnce sync.Once
	listed   []bench.ListedPackage
	listErr  error
}

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

// fileContent is a file read once, for every check that reads it.
type fileContent struct {
	once sync.Once
	data []byte
	err  error
}

// MaxReadSize is how much of a file the checks that read documentation,
// CI and build files look at: repository content can be any size.
const MaxReadSize = 4 << 20

// ReadFile returns the content of a module-relative file, at most its first
// MaxReadSize bytes. The default policy has a dozen checks that read the
// same documentation, CI and build files; each file is read once per run.
func (ws *Workspace) ReadFile(rel string) ([]byte, error) {
	v, _ := ws.contents.LoadOrStore(rel, &fileContent{})
	fc := v.(*fileContent)
	fc.once.Do(func() { fc.data, fc.err = readHead(ws.Abs(rel), MaxReadSize) })
	return fc.data, fc.err
}

// readHead reads at most n bytes of the file at path.
func readHead(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// ciRun is what CI runs, read once for every check that asks.
type ciRun struct {
	once  sync.Once
	files []string // the CI configurations
	ci    *buildfiles.CI
	err   error
}

// readCI returns the CI configurations (the module's files that match
// globs) and what they run. The ci checks and allocs-reported of one run
// share it: they must not change it.
func (ws *Workspace) readCI(globs []string) ([]string, *buildfiles.CI, error) {
	if ws.parent != nil { // a module's: CI is the repository's
		return ws.parent.readCI(globs)
	}
	v, _ := ws.ciRuns.LoadOrStore(strings.Join(globs, "\x00"), &ciRun{})
	r := v.(*ciRun)
	r.once.Do(func() {
		files, err := ws.Files()
		if err != nil {
			r.err = fmt.Errorf("listing the module's files: %w", err)
			return
		}
		r.files = matchFiles(files, globs)
		r.ci, r.err = buildfiles.ReadCI(buildfiles.Tree{Files: files, Read: ws.ReadFile}, r.files)
	})
	return r.files, r.ci, r.err
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

// benchmarkPackages is a bench.Lister over Packages: the packages with
// benchmarks, from the shared listing when the patterns are ./....
func (ws *Workspace) benchmarkPackages(ctx context.Context, dir string, patterns []string, tags string) ([]bench.Package, error) {
	if dir != ws.Dir || tags != ws.Tags {
		return bench.FindPackages(ctx, ws.Exec, dir, patterns, tags)
	}
	listed, err := ws.Packages(ctx, patterns)
	if err != nil {
		return nil, err
	}
	var pkgs []bench.Package
	for i := range listed {
		if listed[i].Benchmarks > 0 {
			pkgs = append(pkgs, listed[i].Package)
		}
	}
	return pkgs, nil
}

// rel makes an absolute path relative to the module root (slash form);
// paths outside the module are returned as they are.
func (ws *Workspace) rel(path string) string {
	if r, err := filepath.Rel(ws.Dir, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}
