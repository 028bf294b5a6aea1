package profile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/pprof/profile"

	"github.com/perfctl/perfctl/bench"
)

// DefaultTop is the number of functions a Request lists when it says none.
const DefaultTop = 10

// A Request says which benchmarks to profile and where the files go.
type Request struct {
	// Spec selects and runs the benchmarks: Dir, Packages, Bench,
	// Benchtime, Tags, Timeout; Count is go test's -count (0: 1), in one
	// process.
	Spec bench.Spec
	// Out is the directory the profiles, the test binaries and the flame
	// graph go to, absolute; created when missing.
	Out          string
	Block, Mutex bool // also -test.blockprofile, -test.mutexprofile
	MemRate      int  // -test.memprofilerate; 0 for the runtime's default
	Top          int  // functions per list; 0 for DefaultTop
}

// A Result is what Collect wrote and found, package by package.
type Result struct {
	Dir      string    `json:"dir"`
	Packages []Package `json:"packages"`
}

// A Package is the profiled run of one package's benchmarks.
type Package struct {
	ImportPath string   `json:"package"`
	Benchmarks []string `json:"benchmarks"` // the top-level benchmarks the pattern selects
	Binary     string   `json:"binary"`     // the test binary's file name in Result.Dir, for pprof
	Files      Files    `json:"files"`
	// The top functions of each profile: CPU time, bytes and objects
	// allocated, time blocked and waiting for mutexes; nil for a profile
	// not collected.
	CPU          *Top `json:"cpu,omitempty"`
	AllocSpace   *Top `json:"alloc_space,omitempty"`
	AllocObjects *Top `json:"alloc_objects,omitempty"`
	Block        *Top `json:"block,omitempty"`
	Mutex        *Top `json:"mutex,omitempty"`
	// CPUTree and AllocTree are drawn as flame graphs.
	CPUTree   *Tree `json:"-"`
	AllocTree *Tree `json:"-"`
	// Err is why the package has no profiles (a benchmark panicked).
	Err error `json:"-"`
}

// Files are the profiles of one run, paths in Result.Dir; "" for one not
// collected.
type Files struct {
	CPU   string `json:"cpu,omitempty"`
	Alloc string `json:"alloc,omitempty"`
	Block string `json:"block,omitempty"`
	Mutex string `json:"mutex,omitempty"`
}

// Collect finds the packages of req.Spec with benchmarks that the pattern
// selects, builds their test binaries into req.Out (with symbols, named
// <package>.test) and runs each package's selected benchmarks once with
// CPU and allocation profiles (and block and mutex profiles when asked),
// written as <name>.cpu.pprof, <name>.alloc.pprof, … where name is the
// benchmark's when the run has one, else the package's. It returns the
// top functions of each profile and the trees of the CPU and allocation
// profiles.
//
// A package whose benchmarks fail or panic is left without profiles and
// with Err set, and Collect goes on with the others: the error it then
// returns joins those, beside the Result of what was written. Nothing is
// decided from the runs: profiling slows the code.
func Collect(ctx context.Context, h *bench.Harness, req *Request) (*Result, error) {
	spec := req.Spec
	if spec.Count <= 0 {
		spec.Count = 1
	}
	if len(spec.Packages) == 0 {
		spec.Packages = []string{"./..."}
	}
	if spec.Bench == "" {
		spec.Bench = "."
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	top := req.Top
	if top <= 0 {
		top = DefaultTop
	}
	pkgs, err := bench.FindPackages(ctx, h.Exec, spec.Dir, spec.Packages, spec.Tags)
	if err != nil {
		return nil, err
	}
	var selected []bench.Package
	for i := range pkgs {
		if pkgs[i].MayMatch(spec.Bench) {
			selected = append(selected, pkgs[i])
		}
	}
	if len(selected) == 0 {
		what := strings.Join(spec.Packages, " ")
		if len(pkgs) == 0 {
			return nil, &bench.PackageError{Package: what, Msg: "has no benchmarks", Err: bench.ErrNoBenchmarks,
				Hint: "perfctl profiles the Benchmark functions in _test.go files; check the package patterns"}
		}
		return nil, &bench.PackageError{Package: what, Err: bench.ErrNoMatch,
			Msg:  fmt.Sprintf("no benchmark matches --bench %q", spec.Bench),
			Hint: "check the regular expression; it is matched against each part of the name, as go test -bench does"}
	}
	if err := os.MkdirAll(req.Out, 0o755); err != nil {
		return nil, fmt.Errorf("creating the profile directory: %w", err)
	}
	hs := *h
	hs.KeepSymbols = true
	h = &hs
	// Built apart, so that a failed build leaves nothing in req.Out.
	tmp, err := os.MkdirTemp(req.Out, ".build-")
	if err != nil {
		return nil, fmt.Errorf("creating the profile directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	bins, err := h.Build(ctx, &spec, selected, tmp)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: req.Out}
	names := map[string]bool{}
	start := time.Now()
	var errs []error
	for i := range bins {
		b := &bins[i]
		p := Package{ImportPath: b.ImportPath, Benchmarks: b.Matching(spec.Bench)}
		binStem := unique(names, Sanitize(lastElem(b.ImportPath)), ".test")
		p.Binary = binStem + ".test"
		if err := os.Rename(b.Path, filepath.Join(req.Out, p.Binary)); err != nil {
			return nil, err
		}
		b.Path = filepath.Join(req.Out, p.Binary)
		stem := binStem
		if len(p.Benchmarks) == 1 {
			stem = Sanitize(strings.TrimPrefix(p.Benchmarks[0], "Benchmark"))
		}
		stem = unique(names, stem, ".cpu.pprof")
		p.Files = Files{CPU: stem + ".cpu.pprof", Alloc: stem + ".alloc.pprof"}
		if req.Block {
			p.Files.Block = stem + ".block.pprof"
		}
		if req.Mutex {
			p.Files.Mutex = stem + ".mutex.pprof"
		}
		if h.Progress != nil {
			h.Progress.Running(i+1, len(bins), b.ImportPath+" (profiling)", time.Since(start), -1)
		}
		in := func(name string) string {
			if name == "" {
				return ""
			}
			return filepath.Join(req.Out, name)
		}
		files := &bench.ProfileFiles{CPU: in(p.Files.CPU), Mem: in(p.Files.Alloc), Block: in(p.Files.Block), Mutex: in(p.Files.Mutex), MemRate: req.MemRate}
		lines, err := h.RunProfiled(ctx, &spec, b, files)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil && len(lines) == 0 {
			err = &bench.PackageError{Package: b.ImportPath, Err: bench.ErrNoMatch,
				Msg:  fmt.Sprintf("no benchmark matches --bench %q", spec.Bench),
				Hint: "check the regular expression; it is matched against each part of the name, as go test -bench does"}
		}
		if err == nil {
			err = p.read(req.Out, top)
		}
		if err != nil {
			p.Err = err
			for _, f := range []string{p.Files.CPU, p.Files.Alloc, p.Files.Block, p.Files.Mutex} {
				if f != "" {
					os.Remove(in(f)) // what a failed run left half written
				}
			}
			p.Files = Files{}
			errs = append(errs, err)
		}
		res.Packages = append(res.Packages, p)
	}
	return res, errors.Join(errs...)
}

// read reads the profiles of p in dir and ranks their functions.
func (p *Package) read(dir string, n int) error {
	load := func(name, sampleType string, tree **Tree) (*Top, error) {
		if name == "" {
			return nil, nil
		}
		pr, err := Read(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		return topAndTree(pr, sampleType, n, tree)
	}
	var err error
	if p.CPU, err = load(p.Files.CPU, CPU, &p.CPUTree); err != nil {
		return err
	}
	if p.AllocSpace, err = load(p.Files.Alloc, AllocSpace, &p.AllocTree); err != nil {
		return err
	}
	if p.AllocObjects, err = load(p.Files.Alloc, AllocObjects, nil); err != nil {
		return err
	}
	if p.Block, err = load(p.Files.Block, Delay, nil); err != nil {
		return err
	}
	p.Mutex, err = load(p.Files.Mutex, Delay, nil)
	return err
}

func topAndTree(pr *profile.Profile, sampleType string, n int, tree **Tree) (*Top, error) {
	t, err := TopFuncs(pr, sampleType, n)
	if err != nil || tree == nil {
		return t, err
	}
	*tree, err = NewTree(pr, sampleType, TreeOptions{})
	return t, err
}

// MaxNameLen bounds the names Sanitize returns.
const MaxNameLen = 64

// Sanitize makes s a file name: letters, digits, '.', '_' and '-' only
// (others become '_'), not starting with '.' or '-', at most MaxNameLen
// bytes, never empty.
func Sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !nameByte(c) {
			b[i] = '_'
		}
	}
	out := strings.TrimLeft(string(b), ".-")
	if len(out) > MaxNameLen {
		out = out[:MaxNameLen]
	}
	if out == "" {
		out = "bench"
	}
	return out
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

// unique returns stem, or stem-2, stem-3, … the first not yet in taken,
// and takes it (suffix tells names of different kinds apart).
func unique(taken map[string]bool, stem, suffix string) string {
	name := stem
	for i := 2; taken[name+suffix]; i++ {
		name = stem + "-" + strconv.Itoa(i)
	}
	taken[name+suffix] = true
	return name
}

func lastElem(importPath string) string {
	return importPath[strings.LastIndexByte(importPath, '/')+1:]
}
