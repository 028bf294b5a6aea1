package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// A Package is a Go package whose tests declare benchmarks.
type Package struct {
	ImportPath string
	Dir        string // source directory: test binaries run here, as under go test
	Name       string
	Benchmarks int // top-level Benchmark functions its test files declare
	// BenchNames are their names ("BenchmarkParse", …).
	BenchNames []string
}

// benchFunc matches the declaration of a benchmark function in a test file.
var benchFunc = regexp.MustCompile(`(?m)^func Benchmark(\w*)\(\w+ \*testing\.B\)`)

// listedPackage is what `go list -json` says of a package.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	GoFiles      []string
	Imports      []string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// FindPackages lists the packages matching patterns (as go test takes them,
// e.g. ./...) in dir and keeps those whose test files declare a benchmark.
// It reads the test files instead of running anything, so packages without
// benchmarks cost nothing. Build constraints (tags) are honoured: go list
// only reports the test files that would be compiled.
func FindPackages(ctx context.Context, r run.Runner, dir string, patterns []string, tags string) ([]Package, error) {
	listed, err := ListPackages(ctx, r, dir, patterns, tags)
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	for i := range listed {
		if listed[i].Benchmarks > 0 {
			pkgs = append(pkgs, listed[i].Package)
		}
	}
	return pkgs, nil
}

// A ListedPackage is a package with what its test files hold.
type ListedPackage struct {
	Package
	TestFiles []string // absolute paths of the _test.go files that build
	GoFiles   []string // absolute paths of the non-test Go files that build
	Imports   []string // import paths the non-test files import
}

// ListPackages lists every package matching patterns in dir, as
// FindPackages does, with or without benchmarks.
func ListPackages(ctx context.Context, r run.Runner, dir string, patterns []string, tags string) ([]ListedPackage, error) {
	args := []string{"go", "list", "-e", "-json=ImportPath,Dir,Name,GoFiles,Imports,TestGoFiles,XTestGoFiles,Error"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	args = append(args, "--")
	args = append(args, patterns...)
	out, err := run.Output(ctx, r, &run.Cmd{Args: args, Dir: dir})
	if err != nil {
		return nil, fmt.Errorf("listing packages %s: %w", strings.Join(patterns, " "), err)
	}
	pkgs, perr := parseGoList(out)
	for i := range pkgs {
		if pkgs[i].BenchNames, err = benchmarkNames(pkgs[i].TestFiles); err != nil {
			return nil, err
		}
		pkgs[i].Benchmarks = len(pkgs[i].BenchNames)
	}
	if perr != nil {
		return nil, perr
	}
	if len(pkgs) == 0 {
		return nil, &PackageError{Package: strings.Join(patterns, " "), Msg: "matches no packages", Err: ErrNoPackages,
			Hint: "run perfctl inside a Go module and pass package patterns as to go test, e.g. ./..."}
	}
	return pkgs, nil
}

// parseGoList reads the output of go list -json: the packages, with their
// test files but without looking at them (Benchmarks is false). On an error
// it also returns the packages before the one that has it, so that
// ListPackages reports the problems in the order go list printed them.
func parseGoList(out []byte) ([]ListedPackage, error) {
	var pkgs []ListedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var lp listedPackage
		if err := dec.Decode(&lp); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return pkgs, fmt.Errorf("reading go list output: %w", err)
		}
		if lp.ImportPath == "" { // null or {}: go list names every package it prints
			return pkgs, errors.New("reading go list output: a package without an import path")
		}
		if lp.Error != nil {
			return pkgs, &PackageError{Package: lp.ImportPath, Msg: "cannot be loaded", Output: lp.Error.Err,
				Hint: "check the package pattern and that the module builds (go vet " + lp.ImportPath + ")"}
		}
		p := ListedPackage{Package: Package{ImportPath: lp.ImportPath, Dir: lp.Dir, Name: lp.Name}, Imports: lp.Imports}
		for _, f := range lp.GoFiles {
			p.GoFiles = append(p.GoFiles, filepath.Join(lp.Dir, f))
		}
		for _, f := range slices.Concat(lp.TestGoFiles, lp.XTestGoFiles) {
			p.TestFiles = append(p.TestFiles, filepath.Join(lp.Dir, f))
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// benchmarkNames returns the Benchmark functions the test files declare.
func benchmarkNames(files []string) ([]string, error) {
	var names []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range benchFunc.FindAllSubmatch(src, -1) {
			names = append(names, "Benchmark"+string(m[1]))
		}
	}
	return names, nil
}

// MayMatch reports whether a benchmark of p can match the -bench pattern
// bench: its first level (before an unbracketed /) matches one of p's
// top-level benchmark names, as go test matches them. A pattern perfctl
// cannot split or compile may match anything.
func (p *Package) MayMatch(bench string) bool {
	if bench == "" || bench == "." || p.BenchNames == nil {
		return true
	}
	re, err := regexp.Compile(firstLevel(bench))
	if err != nil {
		return true
	}
	return slices.ContainsFunc(p.BenchNames, re.MatchString)
}

// Matching returns the top-level benchmark names of p that the -bench
// pattern bench can select (as MayMatch decides, name by name); all of
// them when it cannot tell.
func (p *Package) Matching(bench string) []string {
	var out []string
	for _, name := range p.BenchNames {
		one := Package{BenchNames: []string{name}}
		if one.MayMatch(bench) {
			out = append(out, name)
		}
	}
	return out
}

// firstLevel is the part of a -bench pattern that go test matches against
// top-level benchmark names: up to the first / outside brackets and
// parentheses (testing's splitRegexp).
func firstLevel(pattern string) string {
	depth := 0
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '\\':
			i++
		case '/':
			if depth == 0 {
				return pattern[:i]
			}
		}
	}
	return pattern
}

// ForBench keeps the packages with a benchmark that can match bench; when
// none can, all of them, so that the run says the pattern matched nothing.
func ForBench(pkgs []Package, bench string) []Package {
	var keep []Package
	for i := range pkgs {
		if pkgs[i].MayMatch(bench) {
			keep = append(keep, pkgs[i])
		}
	}
	if len(keep) == 0 {
		return pkgs
	}
	return keep
}

// A PackageError is a package perfctl cannot benchmark: it does not load,
// does not compile, or a benchmark in it failed; or package patterns that
// match no package or no benchmark (then Package holds the patterns and
// Err says which). Output holds what the tool printed about it.
type PackageError struct {
	Package string
	Msg     string
	Output  string
	Hint    string
	Err     error // ErrNoPackages, ErrNoBenchmarks, or nil
}

func (e *PackageError) Error() string {
	return e.Package + ": " + e.Msg
}

func (e *PackageError) Unwrap() error { return e.Err }

// Describe says e for a user: the package and what went wrong, with the
// tool's output as details.
func (e *PackageError) Describe() *usererr.Error {
	d := &usererr.Error{Msg: e.Error(), Hint: e.Hint, Err: e.Err}
	if out := strings.TrimSpace(e.Output); out != "" {
		d.Details = strings.Split(out, "\n")
	}
	return d
}

// ErrNoBenchmarks is wrapped by the error of a run whose packages declare
// no benchmark at all.
var ErrNoBenchmarks = errors.New("no benchmarks")

// ErrNoMatch is wrapped by the error of a run in which no benchmark
// matches the -bench pattern.
var ErrNoMatch = errors.New("no benchmark matches")

// ErrNoPackages is wrapped by the error of patterns that match no package.
var ErrNoPackages = errors.New("no packages")
