package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/run"
)

// fakeExec answers the go command and test binaries from canned outputs.
// The integration with the real toolchain is tested end to end in
// testdata/script/bench_*.txtar; this fake covers the logic around it.
type fakeExec struct {
	mu       sync.Mutex
	calls    []string
	list     string            // go list -json output
	build    map[string]string // import path → compiler output of a failing build
	binaries map[string]func(w io.Writer) error
}

func (f *fakeExec) Run(_ context.Context, c *run.Cmd) error {
	f.mu.Lock()
	f.calls = append(f.calls, c.String())
	f.mu.Unlock()
	switch {
	case c.Args[0] == "go" && c.Args[1] == "list":
		_, err := io.WriteString(c.Stdout, f.list)
		return err
	case c.Args[0] == "go" && c.Args[1] == "test":
		pkg := c.Args[len(c.Args)-1]
		if out, ok := f.build[pkg]; ok {
			fmt.Fprint(c.Stderr, out)
			return &run.ExitError{Cmd: c.String(), Code: 1}
		}
		return nil
	default:
		for suffix, fn := range f.binaries {
			if strings.HasSuffix(c.Args[0], suffix) {
				return fn(c.Stdout)
			}
		}
		return fmt.Errorf("unexpected command %q", c.String())
	}
}

// recorder records progress events.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(s string)   { r.mu.Lock(); r.events = append(r.events, s); r.mu.Unlock() }
func (r *recorder) Building(n int) { r.add(fmt.Sprintf("building %d", n)) }
func (r *recorder) Running(round, rounds int, pkg string, _, remaining time.Duration) {
	r.add(fmt.Sprintf("round %d/%d %s eta-known=%v", round, rounds, pkg, remaining >= 0))
}
func (r *recorder) Benchmark(name string) { r.add("bench " + name) }
func (r *recorder) Done()                 { r.add("done") }
func (r *recorder) Plan(packages, identical, rounds int, _, _ time.Duration) {
	r.add(fmt.Sprintf("plan %d packages, %d identical, %d rounds", packages, identical, rounds))
}
func (r *recorder) Skipped(pkg, reason string) { r.add("skipped " + pkg + ": " + reason) }
func (r *recorder) Settled(settled, running int) {
	r.add(fmt.Sprintf("settled %d, running %d", settled, running))
}

// sampleModule writes two packages, one with benchmarks and one without.
func sampleModule(t *testing.T) (dir, list string) {
	dir = t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/a_test.go", "package a\nimport \"testing\"\nfunc BenchmarkParse(b *testing.B) {}\n")
	write("b/b_test.go", "package b\nimport \"testing\"\nfunc TestOnly(t *testing.T) {}\n// func BenchmarkNot(b *testing.B) in a comment\n")
	list = fmt.Sprintf(`{"ImportPath":"ex.com/a","Dir":%q,"Name":"a","TestGoFiles":["a_test.go"]}
{"ImportPath":"ex.com/b","Dir":%q,"Name":"b","XTestGoFiles":["b_test.go"]}
`, filepath.Join(dir, "a"), filepath.Join(dir, "b"))
	return dir, list
}

const binaryOutput = "goos: linux\ngoarch: amd64\npkg: ex.com/a\ncpu: Test CPU   \n" +
	"BenchmarkParse-8   \t    1000\t      1200 ns/op\t      16 B/op\t       1 allocs/op\n" +
	"    a_test.go:3: a log line\nPASS\n"

func TestFindPackagesSkipsPackagesWithoutBenchmarks(t *testing.T) {
	dir, list := sampleModule(t)
	pkgs, err := FindPackages(t.Context(), &fakeExec{list: list}, dir, []string{"./..."}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || pkgs[0].ImportPath != "ex.com/a" {
		t.Fatalf("packages %+v, want ex.com/a only", pkgs)
	}
}

func TestRunRoundsAndOutput(t *testing.T) {
	dir, list := sampleModule(t)
	fake := &fakeExec{list: list, binaries: map[string]func(io.Writer) error{
		"-a.test": func(w io.Writer) error { _, err := io.WriteString(w, binaryOutput); return err },
	}}
	rec := &recorder{}
	r := &Harness{Exec: fake, Progress: rec}
	spec := Spec{Dir: dir, Count: 3, Benchtime: "100x"}
	header := Header{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 8, Perfctl: "v1.0.0",
		RecordedAt: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	res, err := r.Run(t.Context(), &spec, func() (*Header, error) { return &header, nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Benchmarks != 3 || res.CPU != "Test CPU" {
		t.Errorf("results %d cpu %q; want 3 results and the trimmed cpu", res.Benchmarks, res.CPU)
	}
	text := string(res.Text)
	for _, want := range []string{"go: go1.26.8\n", "cpu: Test CPU\n", "gomaxprocs: 8\n", "recorded-at: 2026-11-26T10:00:00Z\n",
		"perfctl: v1.0.0\n", "perfctl-count: 3\n", "perfctl-benchtime: 100x\n", "perfctl-packages: ./...\n", "perfctl-bench: .\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{"PASS", "a log line", "Test CPU   ", "commit:"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("output contains %q:\n%s", unwanted, text)
		}
	}
	// The binary ran once per round, with allocation reporting and one count.
	var runs int
	for _, c := range fake.calls {
		if strings.HasSuffix(strings.Fields(c)[0], "-a.test") {
			runs++
			for _, flag := range []string{"-test.benchmem", "-test.count 1", "-test.run ^$", "-test.benchtime 100x"} {
				if !strings.Contains(c, flag) {
					t.Errorf("binary run %q lacks %s", c, flag)
				}
			}
		}
		if strings.Contains(c, "ex.com/b") {
			t.Errorf("a package without benchmarks was built or run: %q", c)
		}
	}
	if runs != 3 {
		t.Errorf("binary ran %d times, want 3", runs)
	}
	// What perfctl writes reads back, and the flags it recorded repeat the run.
	set, err := Read(bytes.NewReader(res.Text), "out.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := RecordedSpec(set); got.Count != 3 || got.Benchtime != "100x" || got.Bench != "." || got.Packages[0] != "./..." || got.Timeout != DefaultTimeout {
		t.Errorf("RecordedSpec = %+v", got)
	}
	want := []string{"building 1",
		"round 1/3 ex.com/a eta-known=false", "bench BenchmarkParse-8",
		"round 2/3 ex.com/a eta-known=true", "bench BenchmarkParse-8",
		"round 3/3 ex.com/a eta-known=true", "bench BenchmarkParse-8", "done"}
	if got := strings.Join(rec.events, "|"); got != strings.Join(want, "|") {
		t.Errorf("progress events\n got %s\nwant %s", got, strings.Join(want, "|"))
	}
}

func TestRunFailures(t *testing.T) {
	dir, list := sampleModule(t)
	panicking := func(w io.Writer) error {
		_, _ = io.WriteString(w, "goos: linux\nBenchmarkParse-8   \tpanic: boom\n\ngoroutine 1 [running]:\nmain.x()\n")
		return &run.ExitError{Cmd: "a.test", Code: 2}
	}
	failing := func(w io.Writer) error {
		_, _ = io.WriteString(w, "BenchmarkParse-8\n--- FAIL: BenchmarkParse-8\n    a_test.go:3: broken\nFAIL\n")
		return &run.ExitError{Cmd: "a.test", Code: 1}
	}
	silent := func(w io.Writer) error { _, err := io.WriteString(w, "PASS\n"); return err }
	tests := []struct {
		name    string
		fake    *fakeExec
		bench   string
		wantMsg string
	}{
		{"panic", &fakeExec{list: list, binaries: map[string]func(io.Writer) error{"-a.test": panicking}}, ".", "benchmark BenchmarkParse-8 panicked (exit status 2)"},
		{"fail", &fakeExec{list: list, binaries: map[string]func(io.Writer) error{"-a.test": failing}}, ".", "benchmark BenchmarkParse-8 failed (exit status 1)"},
		{"no match", &fakeExec{list: list, binaries: map[string]func(io.Writer) error{"-a.test": silent}}, "Nothing", `no benchmark matches --bench "Nothing"`},
		{"compile", &fakeExec{list: list, build: map[string]string{"ex.com/a": "a/a.go:3:1: syntax error"}}, ".", "does not compile"},
		// The testing package printed the result of a benchmark that
		// panicked and exited 0 before the panic ended the process (no
		// ns/op: its timer never stopped); run alone, it panics.
		{"panic lost in a race", &fakeExec{list: list, binaries: map[string]func(io.Writer) error{"-a.test": racing()}}, ".", "benchmark BenchmarkParse-8 panicked (exit status 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Harness{Exec: tt.fake}
			_, err := r.Run(t.Context(), &Spec{Dir: dir, Count: 2, Bench: tt.bench}, noHeader)
			var pe *PackageError
			if !errors.As(err, &pe) || !strings.Contains(pe.Msg, tt.wantMsg) || pe.Hint == "" {
				t.Fatalf("err = %v, want a *PackageError saying %q with a hint", err, tt.wantMsg)
			}
			if tt.name == "compile" && !strings.Contains(pe.Output, "syntax error") {
				t.Errorf("the compiler output is missing: %q", pe.Output)
			}
		})
	}
}

// racing is a test binary whose first run loses a benchmark's panic to
// the race in the testing package, and whose later runs panic.
func racing() func(io.Writer) error {
	var mu sync.Mutex
	runs := 0
	return func(w io.Writer) error {
		mu.Lock()
		defer mu.Unlock()
		if runs++; runs == 1 {
			_, err := io.WriteString(w, "goos: linux\nBenchmarkParse-8   \t       1\t       0 B/op\t       0 allocs/op\nPASS\n")
			return err
		}
		_, _ = io.WriteString(w, "BenchmarkParse-8   \tpanic: assignment to entry in nil map\n")
		return &run.ExitError{Cmd: "a.test", Code: 2}
	}
}

func TestRunHonoursCancellation(t *testing.T) {
	dir, list := sampleModule(t)
	ctx, cancel := context.WithCancel(t.Context())
	fake := &fakeExec{list: list, binaries: map[string]func(io.Writer) error{
		"-a.test": func(w io.Writer) error { cancel(); return context.Canceled },
	}}
	_, err := (&Harness{Exec: fake}).Run(ctx, &Spec{Dir: dir, Count: 5}, noHeader)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSpecValidate(t *testing.T) {
	good := []Spec{{}, {Bench: "^Parse$", Count: 5, Benchtime: "100ms", CPU: "1,2,4"}, {Benchtime: "50x"}}
	for _, s := range good {
		if err := s.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", s, err)
		}
	}
	bad := []Spec{{Bench: "("}, {Count: -1}, {Benchtime: "fast"}, {Benchtime: "0x"}, {Benchtime: "-1s"}, {CPU: "1,x"}, {CPU: "0"}, {Packages: []string{"-bench"}}}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted", s)
		}
	}
}

func TestNameWatcher(t *testing.T) {
	var names []string
	w := &nameWatcher{onName: func(n string) { names = append(names, n) }}
	for _, chunk := range []string{"goos: linux\nBench", "markParse-8  ", " \t 1000  12 ns/op\nBenchmarkPrint-8\t", "\nPASS\n"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(names, ","); got != "BenchmarkParse-8,BenchmarkPrint-8" {
		t.Errorf("names %q", got)
	}
}

func noHeader() (*Header, error) { return &Header{}, nil }

func TestRunABInterleaves(t *testing.T) {
	dir, list := sampleModule(t)
	fake := &fakeExec{list: list, binaries: map[string]func(io.Writer) error{
		"-a.test": func(w io.Writer) error { _, err := io.WriteString(w, binaryOutput); return err },
	}}
	r := &Harness{Exec: fake}
	ab := &ABSpec{Spec: Spec{Count: 4}, BaseDir: dir, HeadDir: dir, BaseName: "base", HeadName: "head"}
	res, err := r.RunAB(t.Context(), ab, noHeader, noHeader)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 4 || res.Base.Benchmarks != 4 || res.Head.Benchmarks != 4 {
		t.Fatalf("rounds %d, results %d+%d; want 4 rounds of one result per side", res.Rounds, res.Base.Benchmarks, res.Head.Benchmarks)
	}
	// Head is built into <tmp>/0, base into <tmp>/1; the runs alternate
	// which side goes first: base head, head base, base head, head base.
	var order []string
	for _, c := range fake.calls {
		bin := strings.Fields(c)[0]
		switch {
		case strings.Contains(bin, "/1/"):
			order = append(order, "base")
		case strings.Contains(bin, "/0/"):
			order = append(order, "head")
		}
	}
	if got := strings.Join(order, " "); got != "base head head base base head head base" {
		t.Errorf("run order %q", got)
	}
	// A side that does not build is named.
	broken := &fakeExec{list: list, build: map[string]string{"ex.com/a": "syntax error"}}
	_, err = (&Harness{Exec: broken}).RunAB(t.Context(), ab, noHeader, noHeader)
	var se *SideError
	if !errors.As(err, &se) || se.Side != "head" {
		t.Fatalf("err = %v, want a SideError of head (built first)", err)
	}
}
