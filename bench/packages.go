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
}

// benchFunc matches the declaration of a benchmark function in a test file.
var benchFunc = regexp.MustCompile(`(?m)^func Benchmark(\w*)\(\w+ \*testing\.B\)`)

// listedPackage is what `go list -json` says of a package.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
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
}

// ListPackages lists every package matching patterns in dir, as
// FindPackages does, with or without benchmarks.
func ListPackages(ctx context.Context, r run.Runner, dir string, patterns []string, tags string) ([]ListedPackage, error) {
	args := []string{"go", "list", "-e", "-json=ImportPath,Dir,Name,TestGoFiles,XTestGoFiles,Error"}
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
		if pkgs[i].Benchmarks, err = countBenchmarks(pkgs[i].TestFiles); err != nil {
			return nil, err
		}
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
		p := ListedPackage{Package: Package{ImportPath: lp.ImportPath, Dir: lp.Dir, Name: lp.Name}}
		for _, f := range slices.Concat(lp.TestGoFiles, lp.XTestGoFiles) {
			p.TestFiles = append(p.TestFiles, filepath.Join(lp.Dir, f))
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// countBenchmarks counts the Benchmark functions the test files declare.
func countBenchmarks(files []string) (int, error) {
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		n += len(benchFunc.FindAllIndex(src, -1))
	}
	return n, nil
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
