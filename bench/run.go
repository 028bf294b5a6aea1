package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
)

// DefaultCount is the number of rounds perfctl runs when none is given: ten
// samples per benchmark, as benchstat recommends.
const DefaultCount = 10

// DefaultTimeout bounds one run of one test binary, as go test's -timeout.
const DefaultTimeout = 10 * time.Minute

// A Spec says which benchmarks to run and how.
type Spec struct {
	Dir       string   // where to run the go command ("" = current directory)
	Packages  []string // package patterns; empty means ./...
	Bench     string   // -bench regular expression; "" means "."
	Count     int      // rounds; each runs every benchmark once
	Benchtime string   // -benchtime, e.g. 100ms or 50x; "" leaves go's default
	CPU       string   // -cpu list, e.g. 1,2,4
	Tags      string   // -tags
	Timeout   time.Duration
	// Modules, when set, are the modules to run the packages in, each in
	// its own directory (Dir is then only where the run is recorded from):
	// Measure runs them one after the other into one file.
	Modules []gomod.Module
}

func (s *Spec) withDefaults() Spec {
	out := *s
	if len(out.Packages) == 0 {
		out.Packages = []string{"./..."}
	}
	if out.Bench == "" {
		out.Bench = "."
	}
	if out.Count <= 0 {
		out.Count = DefaultCount
	}
	if out.Timeout <= 0 {
		out.Timeout = DefaultTimeout
	}
	return out
}

// Validate checks the spec before anything runs.
func (s *Spec) Validate() error {
	if _, err := regexp.Compile(s.Bench); err != nil {
		return fmt.Errorf("--bench %q is not a valid regular expression: %w", s.Bench, err)
	}
	if s.Count < 0 {
		return countError(s.Count)
	}
	if s.Timeout < 0 {
		return fmt.Errorf("--timeout %v: give a positive duration, e.g. 10m", s.Timeout)
	}
	if s.Benchtime != "" && !validBenchtime(s.Benchtime) {
		return fmt.Errorf("--benchtime %q: write a duration such as 100ms or 2s, or an iteration count such as 50x", s.Benchtime)
	}
	if s.CPU != "" {
		for _, c := range strings.Split(s.CPU, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(c)); err != nil || n < 1 {
				return fmt.Errorf("--cpu %q: write a comma-separated list of GOMAXPROCS values such as 1,2,4", s.CPU)
			}
		}
	}
	for _, p := range s.Packages {
		if strings.HasPrefix(p, "-") {
			return fmt.Errorf("package pattern %q starts with '-': flags go before the packages", p)
		}
	}
	return nil
}

func countError(n int) error {
	return fmt.Errorf("--count %d: the number of rounds must be at least 1", n)
}

func validBenchtime(s string) bool {
	if n, ok := strings.CutSuffix(s, "x"); ok {
		v, err := strconv.Atoi(n)
		return err == nil && v > 0
	}
	d, err := time.ParseDuration(s)
	return err == nil && d > 0
}

// A Binary is a compiled test binary of one package.
type Binary struct {
	Package
	Path string
	// Hash is the hex SHA-256 of the binary. Binaries are built with
	// -trimpath, so the same code gives the same hash in any checkout.
	Hash string
}

// Progress receives what a benchmark run is doing, for people watching.
type Progress interface {
	// Building is called before the test binaries of n packages are built.
	Building(n int)
	// Running is called when a test binary starts: round of rounds,
	// package, and the time spent and expected to remain (negative when not
	// yet known).
	Running(round, rounds int, pkg string, elapsed, remaining time.Duration)
	// Benchmark is called when a benchmark starts.
	Benchmark(name string)
	// Plan is called before the rounds of an interleaved run: how many
	// packages run and how many are skipped as identical, the most rounds,
	// the time expected (for every benchmark running every round) and the
	// budget (0: none).
	Plan(packages, identical, rounds int, estimate, budget time.Duration)
	// Skipped is called for a package that is not run, with why.
	Skipped(pkg, reason string)
	// Settled is called after a round of an adaptive run: how many
	// packages are settled so far and how many still run.
	Settled(settled, running int)
	// Done is called when the run ends, successfully or not.
	Done()
}

// A Harness builds and runs benchmarks with the real toolchain.
type Harness struct {
	Exec     run.Runner
	Progress Progress // nil for none
	// Find, when set, replaces FindPackages: a caller that has listed the
	// packages already (perfctl check) saves the go list.
	Find Lister
	// Recorded are the identities of packages as an earlier run recorded
	// them (a baseline), with the machine it ran on (RecordedCPU,
	// RecordedProcs). Run leaves out a package whose test binary and
	// inputs are the same now, on the same kind of machine: it cannot have
	// changed (Results.Identical).
	Recorded      map[string]Identity
	RecordedCPU   string
	RecordedProcs int
	// KeepSymbols builds test binaries with their symbol table and DWARF,
	// for pprof's -list and -disasm (perfctl profile keeps them).
	KeepSymbols bool
	// Select, when set, runs only one shard's part of the benchmarks
	// (perfctl … --shard I/N), and records which in the header.
	Select *Selection
}

func (r *Harness) progress() Progress {
	if r.Progress == nil {
		return nopProgress{}
	}
	return r.Progress
}

// Build compiles the test binary of each package into dir, a few at a time.
// A package that does not compile is a *PackageError with the compiler's
// output.
func (r *Harness) Build(ctx context.Context, spec *Spec, pkgs []Package, dir string) ([]Binary, error) {
	r.progress().Building(len(pkgs))
	bins := make([]Binary, len(pkgs))
	errs := make([]error, len(pkgs))
	sem := make(chan struct{}, max(1, min(4, runtime.GOMAXPROCS(0))))
	var wg sync.WaitGroup
	for i, p := range pkgs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			bins[i] = Binary{Package: p, Path: filepath.Join(dir, fmt.Sprintf("%03d-%s.test", i, p.Name))}
			// -trimpath: no checkout's paths in the binary, so that the
			// same code builds the same bytes in the working tree and in a
			// temporary worktree of another commit.
			args := []string{"go", "test", "-c", "-trimpath", "-o", bins[i].Path}
			if !userLdflags() && !r.KeepSymbols {
				// Link as go test does for its temporary binaries: no symbol
				// table or DWARF (stack traces still work), a faster link.
				args = append(args, "-ldflags=-s -w")
			}
			if spec.Tags != "" {
				args = append(args, "-tags", spec.Tags)
			}
			args = append(args, p.ImportPath)
			var out bytes.Buffer
			err := r.Exec.Run(ctx, &run.Cmd{Args: args, Dir: spec.Dir, Stdout: &out, Stderr: &out})
			if err != nil && ctx.Err() == nil {
				err = &PackageError{Package: p.ImportPath, Msg: "does not compile", Output: strings.TrimSpace(out.String()),
					Hint: "fix the build errors above (go vet " + p.ImportPath + " shows them too)"}
			}
			if err == nil {
				// Without a hash, the binary is never taken as identical.
				bins[i].Hash, _ = hashFile(bins[i].Path)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bins, errors.Join(errs...)
}

// userLdflags reports whether GOFLAGS sets -ldflags, which a -ldflags
// argument would replace.
func userLdflags() bool {
	return strings.Contains(os.Getenv("GOFLAGS"), "-ldflags")
}

// Results is the outcome of a run: benchfmt text ready to be written, and
// what perfctl recorded about it.
type Results struct {
	Text       []byte // configuration header and results
	Benchmarks int    // result lines
	CPU        string // the cpu: line the test binaries printed
	// Identical are the packages not run: the same test binary and inputs
	// as Harness.Recorded says, on the same kind of machine.
	Identical []string
}

// A Lister finds the packages with benchmarks, as FindPackages does.
type Lister func(ctx context.Context, dir string, patterns []string, tags string) ([]Package, error)

// Run finds the packages of spec with benchmarks, builds their test
// binaries once and runs them spec.Count rounds (every benchmark once per
// round, with allocation reporting), and returns benchfmt text headed by
// the configuration lines of header. Nothing is returned on failure: a
// failing or panicking benchmark, a package that does not compile, or a
// pattern that matches no benchmark is an error.
//
// header is called once the benchmarks have run; it may wait for work
// started alongside the run (reading git state and the go version).
func (r *Harness) Run(ctx context.Context, given *Spec, header func() (*Header, error)) (*Results, error) {
	spec := given.withDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	defer r.progress().Done()
	find := r.Find
	if find == nil {
		find = func(ctx context.Context, dir string, patterns []string, tags string) ([]Package, error) {
			return FindPackages(ctx, r.Exec, dir, patterns, tags)
		}
	}
	pkgs, err := find(ctx, spec.Dir, spec.Packages, spec.Tags)
	if err != nil {
		return nil, err
	}
	pkgs = ForBench(pkgs, spec.Bench) // build only what --bench can run
	parts := map[string]map[string]bool{}
	pkgs = r.Select.apply(pkgs, parts)
	if len(pkgs) == 0 && r.Select != nil {
		return nil, emptyShard(r.Select, spec.Packages)
	}
	if len(pkgs) == 0 {
		return nil, &PackageError{Package: strings.Join(spec.Packages, " "), Msg: "has no benchmarks",
			Hint: "perfctl runs the Benchmark functions in _test.go files; check the package patterns", Err: ErrNoBenchmarks}
	}
	dir, err := os.MkdirTemp("", "perfctl-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bins, err := r.Build(ctx, &spec, pkgs, dir)
	if err != nil {
		return nil, err
	}

	res := &Results{}
	root, _ := gomod.Root(spec.Dir)
	if r.Recorded != nil {
		if bins, err = r.leaveOutRecorded(ctx, &spec, bins, root, dir, res); err != nil {
			return nil, err
		}
		if len(bins) == 0 {
			res.Text = nil
			return res, nil
		}
	}
	ids := make([]string, len(bins))
	var body bytes.Buffer
	start := time.Now()
	for round := 1; round <= spec.Count; round++ {
		for i := range bins {
			b := &bins[i]
			elapsed, remaining := eta(start, round, spec.Count)
			r.progress().Running(round, spec.Count, b.ImportPath, elapsed, remaining)
			req := runRequest{}
			if names := parts[b.ImportPath]; names != nil {
				req.bench = narrow(spec.Bench, &b.Package, names)
			}
			if round == 1 {
				// Record what the benchmarks read, for the package's identity.
				req.testLog = filepath.Join(dir, fmt.Sprintf("testlog-%d", i))
			}
			n, cpu, err := r.runOnce(ctx, &spec, b, &body, &req)
			if err != nil {
				return nil, err
			}
			if round == 1 {
				ids[i] = identityOf(b, root, req.testLog)
			}
			res.Benchmarks += n
			if res.CPU == "" {
				res.CPU = cpu
			}
		}
		if round == 1 && res.Benchmarks == 0 {
			return nil, &PackageError{Package: strings.Join(spec.Packages, " "), Err: ErrNoMatch,
				Msg:  fmt.Sprintf("no benchmark matches --bench %q", spec.Bench),
				Hint: "check the regular expression; it is matched against each part of the name, as go test -bench does"}
		}
	}
	hp, err := header()
	if err != nil {
		return nil, err
	}
	h := *hp
	h.CPU = res.CPU
	r.Select.label(&h)
	for i := range bins {
		if ids[i] != "" {
			h.Packages = append(h.Packages, bins[i].ImportPath+" "+ids[i])
		}
	}
	var out bytes.Buffer
	h.write(&out, &spec)
	out.Write(body.Bytes())
	res.Text = out.Bytes()
	return res, nil
}

// identityOf is the identity of b after its run with the test log logFile,
// as the value of a perfctl-package line: "BINARY-HASH INPUTS-DIGEST"; ""
// when it cannot be told.
func identityOf(b *Binary, root, logFile string) string {
	if b.Hash == "" {
		return ""
	}
	in, err := readTestLog(logFile, b.Dir)
	if err != nil {
		return ""
	}
	digest, err := inputsDigest(b.Dir, root, in)
	if err != nil {
		return ""
	}
	return b.Hash + " " + digest
}

// leaveOutRecorded returns bins without the packages whose identity is the
// one recorded, on the same kind of machine, and lists those in
// res.Identical. It runs each candidate once for one iteration, to learn
// what its benchmarks read.
func (r *Harness) leaveOutRecorded(ctx context.Context, spec *Spec, bins []Binary, root, dir string, res *Results) ([]Binary, error) {
	var keep []Binary
	for i := range bins {
		b := &bins[i]
		rec, ok := r.Recorded[b.ImportPath]
		if !ok || rec.Binary != b.Hash || b.Hash == "" || r.RecordedProcs != runtime.GOMAXPROCS(0) {
			keep = append(keep, *b)
			continue
		}
		logFile := filepath.Join(dir, fmt.Sprintf("discover-%d", i))
		var lines bytes.Buffer
		r.progress().Running(0, spec.Count, b.ImportPath+" (comparing its inputs with the baseline's)", 0, -1)
		_, cpu, err := r.runOnce(ctx, spec, b, &lines, &runRequest{benchtime: "1x", testLog: logFile})
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil || cpu != r.RecordedCPU || identityOf(b, root, logFile) != rec.Binary+" "+rec.Inputs {
			keep = append(keep, *b)
			continue
		}
		res.Identical = append(res.Identical, b.ImportPath)
		r.progress().Skipped(b.ImportPath, "identical test binary and inputs (recorded in the baseline)")
	}
	return keep, nil
}

// Measure runs spec (in spec.Dir) as Run does, headed by the environment
// of the run (NewHeader, with version as perfctl's), which is read while
// the packages are listed and built.
func (r *Harness) Measure(ctx context.Context, spec *Spec, version string) (*Results, error) {
	if len(spec.Modules) > 0 {
		return r.measureModules(ctx, spec, version)
	}
	done := make(chan struct{})
	var h Header
	var herr error
	go func() {
		defer close(done)
		h, herr = NewHeader(ctx, r.Exec, spec.Dir, version)
	}()
	res, err := r.Run(ctx, spec, func() (*Header, error) {
		<-done
		return &h, herr
	})
	<-done // never leave the goroutine's commands running
	return res, err
}

// eta returns the time spent since start and the time the remaining
// rounds should take at the pace of the finished ones (-1 before the first
// round has finished).
func eta(start time.Time, round, rounds int) (elapsed, remaining time.Duration) {
	elapsed = time.Since(start)
	if round <= 1 {
		return elapsed, -1
	}
	done := float64(round - 1)
	return elapsed, time.Duration(float64(elapsed)/done*float64(rounds)) - elapsed
}

// A runRequest changes one run of a test binary from what its spec says.
type runRequest struct {
	bench     string // -test.bench; "" for the spec's
	benchtime string // -test.benchtime; "" for the spec's
	testLog   string // -test.testlogfile: where the binary logs what it reads
	// confirming marks the runs of confirmFinished, which do not confirm
	// again.
	confirming bool
	count      int      // -test.count; 0 for 1
	extra      []string // more test flags perfctl chose (profiles), after the others
}

// runOnce runs one test binary once and appends its results to body.
func (r *Harness) runOnce(ctx context.Context, spec *Spec, b *Binary, body *bytes.Buffer, req *runRequest) (results int, cpu string, err error) {
	pattern, benchtime := spec.Bench, spec.Benchtime
	if req.bench != "" {
		pattern = req.bench
	}
	if req.benchtime != "" {
		benchtime = req.benchtime
	}
	count := "1"
	if req.count > 1 {
		count = strconv.Itoa(req.count)
	}
	args := []string{b.Path, "-test.run", "^$", "-test.bench", pattern, "-test.benchmem", "-test.count", count,
		"-test.timeout", spec.Timeout.String(), "-test.paniconexit0"}
	if benchtime != "" {
		args = append(args, "-test.benchtime", benchtime)
	}
	if spec.CPU != "" {
		args = append(args, "-test.cpu", spec.CPU)
	}
	if req.testLog != "" {
		args = append(args, "-test.testlogfile", req.testLog)
	}
	args = append(args, req.extra...)
	var stdout, stderr bytes.Buffer
	watch := &nameWatcher{onName: r.progress().Benchmark}
	err = r.Exec.Run(ctx, &run.Cmd{Args: args, Dir: b.Dir, Stdout: io.MultiWriter(&stdout, watch), Stderr: &stderr})
	if ctx.Err() != nil {
		return 0, "", ctx.Err()
	}
	if err != nil {
		return 0, "", benchmarkFailure(b.ImportPath, stdout.String()+stderr.String(), err)
	}
	printed := stdout.String()         // before the reader below drains stdout
	lines := newLineCapReader(&stdout) // a b.Log line can be any length
	sc := bufio.NewScanner(lines)
	sc.Buffer(make([]byte, 0, 64*1024), 2*maxLine)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case isResultLine(line):
			results++
		case configLine.MatchString(line):
			if v, ok := strings.CutPrefix(line, "cpu: "); ok && cpu == "" {
				cpu = strings.TrimSpace(v)
			}
		default:
			continue // PASS, ok, log output of the benchmarks
		}
		body.WriteString(strings.TrimRight(line, " \t")) // testing pads the cpu: line
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return 0, "", err
	}
	if len(lines.longResults) > 0 {
		return 0, "", &PackageError{Package: b.ImportPath, Msg: fmt.Sprintf("printed a benchmark result line longer than %d KiB", maxLine>>10),
			Hint: "a benchmark's output must not start a line with \"Benchmark\"; log it with b.Log"}
	}
	if unfinished := unfinishedBenchmarks(printed); len(unfinished) > 0 && !req.confirming {
		if err := r.confirmFinished(ctx, spec, b, unfinished); err != nil {
			return 0, "", err
		}
	}
	return results, cpu, nil
}

// unfinishedBenchmarks are the top-level benchmarks of out with a result
// line that has no ns/op: their timer never stopped. A benchmark that
// panics does that, and the testing package can print its result and
// exit 0 before the panicking goroutine ends the process (it signals the
// benchmark done from a deferred call): with -test.testlogfile, 4 runs in
// 100 of a benchmark that always panics passed on a busy 2-core machine.
// (b.ReportMetric(0, "ns/op") removes ns/op too.)
func unfinishedBenchmarks(out string) []string {
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if !isResultLine(line) || strings.Contains(line, " ns/op") {
			continue
		}
		name := strings.Fields(line)[0]
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[:i]
		}
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// confirmFinished runs the benchmarks that printed no ns/op again, alone
// and without a test log, a few times: a panic shows as a failure then.
// Those that pass every time report no time of their own.
func (r *Harness) confirmFinished(ctx context.Context, spec *Spec, b *Binary, names []string) error {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	req := runRequest{bench: "^(" + strings.Join(quoted, "|") + ")$", benchtime: "1x", confirming: true}
	for range 3 {
		var discard bytes.Buffer
		if _, _, err := r.runOnce(ctx, spec, b, &discard, &req); err != nil {
			return err
		}
	}
	return nil
}

var configLine = regexp.MustCompile(`^[a-z][^\s:]*: `)

// isResultLine reports whether line is a benchmark result
// ("BenchmarkX-8  1000  123 ns/op …") rather than the name alone.
func isResultLine(line string) bool {
	if !strings.HasPrefix(line, "Benchmark") {
		return false
	}
	f := strings.Fields(line)
	if len(f) < 4 {
		return false
	}
	_, err := strconv.Atoi(f[1])
	return err == nil
}

var failLine = regexp.MustCompile(`(?m)^\s*--- FAIL: (Benchmark\S*)`)

// benchmarkFailure turns a failed test binary run into a *PackageError that
// names the benchmark and shows the part of its output that explains it:
// the end of a failure, or the start of a panic (the panic message and the
// panicking goroutine come first; a deep trace would push them out of a
// tail).
func benchmarkFailure(pkg, output string, err error) error {
	msg := "benchmarks failed"
	shown := tail(strings.TrimSpace(output), 40)
	if m := failLine.FindStringSubmatch(output); m != nil {
		msg = "benchmark " + m[1] + " failed"
	}
	if i := strings.Index(output, "panic: "); i >= 0 {
		msg = "a benchmark panicked"
		// The stack names the benchmark function that panicked; the last
		// name printed may be another's (stdout and stderr are apart).
		name := ""
		if m := benchFrame.FindStringSubmatch(output[i:]); m != nil {
			name = m[1]
		} else {
			name = lastBenchmarkName(output[:i])
		}
		if name != "" {
			msg = "benchmark " + name + " panicked"
		}
		shown = head(strings.TrimSpace(output[i:]), 40)
	}
	var exitErr *run.ExitError
	if errors.As(err, &exitErr) {
		msg += fmt.Sprintf(" (exit status %d)", exitErr.Code)
	}
	return &PackageError{Package: pkg, Msg: msg, Output: shown,
		Hint: "run the benchmark with go test -run '^$' -bench to debug it; perfctl records no results from a failing run"}
}

// benchFrame finds a benchmark function in a stack trace.
var benchFrame = regexp.MustCompile(`\.(Benchmark\w*)\(`)

// head keeps the first n lines of s.
func head(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + "\n…"
}

var benchStart = regexp.MustCompile(`(?m)^(Benchmark\S+)`)

func lastBenchmarkName(s string) string {
	m := benchStart.FindAllStringSubmatch(s, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// tail keeps the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return "…\n" + strings.Join(lines[len(lines)-n:], "\n")
}

// nameWatcher reports benchmark names as the test binary prints them. The
// testing package prints a benchmark's name before running it and its
// numbers after, on the same line.
type nameWatcher struct {
	onName func(string)
	line   []byte
	seen   bool
}

func (w *nameWatcher) Write(p []byte) (int, error) {
	for _, c := range p {
		if c == '\n' {
			w.line, w.seen = w.line[:0], false
			continue
		}
		if w.seen || len(w.line) > 256 {
			continue
		}
		w.line = append(w.line, c)
		if (c == ' ' || c == '\t') && bytes.HasPrefix(w.line, []byte("Benchmark")) {
			w.seen = true
			w.onName(string(bytes.TrimSpace(w.line)))
		}
	}
	return len(p), nil
}

type nopProgress struct{}

func (nopProgress) Building(int)                                           {}
func (nopProgress) Running(int, int, string, time.Duration, time.Duration) {}
func (nopProgress) Benchmark(string)                                       {}
func (nopProgress) Done()                                                  {}
func (nopProgress) Plan(int, int, int, time.Duration, time.Duration)       {}
func (nopProgress) Skipped(string, string)                                 {}
func (nopProgress) Settled(int, int)                                       {}
