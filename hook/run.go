package hook

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/lint"
)

// Options say how to run the hook.
type Options struct {
	Dir          string // where the hook runs (any directory of the working tree)
	Exec         run.Runner
	GolangciLint string // "" finds it as perfctl lint does
	Tags         string // build tags for golangci-lint and go vet
	// Profile returns the lint profile for the module at dir (its
	// policy's lint check), or nil for the default profile.
	Profile func(moduleDir string) (*lint.Profile, error)
}

// A Result is what the hook found.
type Result struct {
	GoFiles  int      // staged files of the Go build
	Packages []string // repository-relative package directories checked
	Snapshot bool     // the index was checked out to a snapshot
	// Findings are lint findings on staged lines, with repository-relative
	// paths.
	Findings []lint.Finding
	// BuildErrors are what the compiler said of tests that do not compile, per module.
	BuildErrors []string
	// Outside lists staged Go files that belong to no module.
	Outside []string
	// Filtered counts findings on staged lines that perfctl's lint filter
	// left out (a signature fixed by an interface or exported API, …).
	Filtered int
}

// Failed reports whether the commit should be blocked.
func (r *Result) Failed() bool { return len(r.Findings) > 0 || len(r.BuildErrors) > 0 }

// module is one module with staged changes.
type module struct {
	dir      string   // repository-relative, "" for the top
	lintPkgs []string // ./dir patterns with staged non-test Go files
	testPkgs []string // ./dir patterns with any staged Go file
}

// Run checks what is staged: the performance lint of the packages with
// staged Go files, keeping the findings on staged lines, and a type-check of
// their tests (and so their benchmarks). It returns at once when no file
// of the Go build is staged.
func Run(ctx context.Context, opts *Options) (*Result, error) {
	// One git process when nothing of Go is staged: the staged names come
	// relative to the top from anywhere in the working tree.
	staged, err := stagedFiles(ctx, opts.Exec, opts.Dir)
	if err != nil {
		if _, terr := toplevel(ctx, opts.Exec, opts.Dir); terr != nil {
			return nil, terr // not a repository: say so, not git's words
		}
		return nil, err
	}
	var goFiles []string
	for _, f := range staged {
		if isGo(f) && !ignoredDir(f) {
			goFiles = append(goFiles, f)
		}
	}
	res := &Result{GoFiles: len(goFiles)}
	if len(goFiles) == 0 {
		return res, nil
	}
	top, err := toplevel(ctx, opts.Exec, opts.Dir)
	if err != nil {
		return nil, err
	}
	root := top
	if res.Snapshot, err = unstagedGo(ctx, opts.Exec, top); err != nil {
		return nil, err
	}
	if res.Snapshot {
		var release func()
		if root, release, err = snapshot(ctx, opts.Exec, top); err != nil {
			return nil, err
		}
		defer release()
		if err := checkSnapshot(root, goFiles); err != nil {
			return nil, err
		}
	}
	mods := groupByModule(root, goFiles, res)
	lines, err := stagedLines(ctx, opts.Exec, top, goFiles)
	if err != nil {
		return nil, err
	}
	locate := sync.OnceValues(func() (string, error) {
		bin, _, err := lint.Locate(ctx, opts.Exec, opts.GolangciLint)
		return bin, err
	})
	for _, m := range mods {
		if err := checkModule(ctx, opts, locate, filepath.Join(root, filepath.FromSlash(m.dir)), m, lines, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// ignoredDir reports whether the go tool ignores the file's directory
// (testdata, vendor, and names starting with . or _).
func ignoredDir(name string) bool {
	for _, part := range strings.Split(path.Dir(name), "/") {
		if part == "testdata" || part == "vendor" || (part != "." && (strings.HasPrefix(part, ".") || strings.HasPrefix(part, "_"))) {
			return true
		}
	}
	return false
}

// groupByModule sorts the staged Go files into their modules and packages.
func groupByModule(root string, files []string, res *Result) []*module {
	cache := map[string]string{}
	byDir := map[string]*module{}
	var mods []*module
	for _, f := range files {
		modDir, ok := moduleOf(root, f, cache)
		if !ok {
			res.Outside = append(res.Outside, f)
			continue
		}
		m := byDir[modDir]
		if m == nil {
			m = &module{dir: modDir}
			byDir[modDir] = m
			mods = append(mods, m)
		}
		if !strings.HasSuffix(f, ".go") {
			continue // go.mod, go.sum: see below
		}
		rel := strings.TrimPrefix(path.Dir(f), modDir)
		pkg := "./" + strings.TrimPrefix(rel, "/")
		if pkg == "./" {
			pkg = "."
		}
		if !slices.Contains(m.testPkgs, pkg) {
			m.testPkgs = append(m.testPkgs, pkg)
			res.Packages = append(res.Packages, path.Join(modDir, strings.TrimPrefix(pkg, "./")))
		}
		if !strings.HasSuffix(f, "_test.go") && !slices.Contains(m.lintPkgs, pkg) {
			m.lintPkgs = append(m.lintPkgs, pkg)
		}
	}
	for _, m := range mods {
		if len(m.testPkgs) == 0 {
			// Only go.mod or go.sum changed: a new requirement can break
			// any package, so every one is type-checked (none is linted:
			// no line of Go changed).
			m.testPkgs = []string{"./..."}
			res.Packages = append(res.Packages, path.Join(m.dir, "..."))
		}
	}
	return mods
}

// checkModule lints and builds the staged packages of one module,
// concurrently.
func checkModule(ctx context.Context, opts *Options, locate func() (string, error), dir string, m *module,
	lines map[string][]lineRange, res *Result) error {
	var wg sync.WaitGroup
	var lintErr error
	var findings []lint.Finding
	var filtered int
	if len(m.lintPkgs) > 0 {
		wg.Go(func() { findings, filtered, lintErr = lintStaged(ctx, opts, locate, dir, m, lines) })
	}
	var buildOut string
	var buildErr error
	if len(m.testPkgs) > 0 {
		wg.Go(func() { buildOut, buildErr = buildTests(ctx, opts.Exec, dir, opts.Tags, m.testPkgs) })
	}
	wg.Wait()
	if err := errors.Join(lintErr, buildErr); err != nil {
		return err
	}
	res.Findings = append(res.Findings, findings...)
	res.Filtered += filtered
	if buildOut != "" {
		res.BuildErrors = append(res.BuildErrors, buildOut)
	}
	return nil
}

func lintStaged(ctx context.Context, opts *Options, locate func() (string, error), dir string, m *module,
	lines map[string][]lineRange) (findings []lint.Finding, filtered int, err error) {
	profile := lint.DefaultProfile()
	if opts.Profile != nil {
		p, err := opts.Profile(dir)
		if err != nil {
			return nil, 0, err
		}
		if p != nil {
			profile = *p
		}
	}
	bin, err := locate()
	if err != nil {
		return nil, 0, err
	}
	lr, err := lint.Run(ctx, opts.Exec, bin, &lint.Options{Dir: dir, Packages: m.lintPkgs, Profile: profile, Tags: opts.Tags})
	var ce *lint.CompileError
	if errors.As(err, &ce) {
		return nil, 0, nil // the test build reports it, with the compiler's words
	}
	if err != nil {
		return nil, 0, err
	}
	for _, f := range lr.Findings {
		f.File = path.Join(m.dir, filepath.ToSlash(f.File))
		if inRanges(lines[f.File], f.Line) {
			findings = append(findings, f)
		}
	}
	for _, g := range lr.Filtered {
		for _, f := range g.Findings {
			if inRanges(lines[path.Join(m.dir, filepath.ToSlash(f.File))], f.Line) {
				filtered++
			}
		}
	}
	return findings, filtered, nil
}

// buildTests type-checks the packages with their tests (benchmarks
// included) and returns the compiler's words when they do not compile. It
// runs go vet with a single cheap analyzer: vet type-checks the test
// variant of each package from source against cached export data and
// links nothing, several times faster than go test -c.
func buildTests(ctx context.Context, r run.Runner, dir, tags string, pkgs []string) (string, error) {
	var out strings.Builder
	args := []string{"go", "vet", "-buildtag"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	args = append(args, pkgs...)
	err := r.Run(ctx, &run.Cmd{Args: args, Dir: dir, Stdout: &out, Stderr: &out})
	var ee *run.ExitError
	if errors.As(err, &ee) {
		return strings.TrimSpace(out.String()), nil
	}
	if err != nil {
		return "", fmt.Errorf("type-checking the tests: %w", err)
	}
	return "", nil
}
