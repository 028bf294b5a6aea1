package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/report"
)

// parseCompare runs `compare args` through NewCmdCompare with a runF that
// captures the options instead of comparing anything.
func parseCompare(t *testing.T, args ...string) (*CompareOptions, error) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	var got *CompareOptions
	c := NewCmdCompare(&Factory{IOStreams: ios, Dir: t.TempDir()}, func(_ context.Context, o *CompareOptions) error {
		got = o
		return nil
	})
	var sink bytes.Buffer
	c.SetOut(&sink)
	c.SetErr(&sink)
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetArgs(args)
	err := c.Execute()
	if err == nil && got == nil {
		t.Fatalf("compare %q: no error and runF was not called", args)
	}
	if err != nil && got != nil {
		t.Fatalf("compare %q: runF was called although the command failed with %v", args, err)
	}
	if got != nil && got.IO != ios {
		t.Errorf("compare %q: opts.IO is not the factory's IOStreams", args)
	}
	return got, err
}

func TestCompareFlagsDefaults(t *testing.T) {
	opts, err := parseCompare(t, "base.txt", "head.txt")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Request.Ref.BaseFile != "base.txt" || opts.Request.Ref.HeadFile != "head.txt" {
		t.Errorf("paths = %q, %q; want base.txt, head.txt", opts.Request.Ref.BaseFile, opts.Request.Ref.HeadFile)
	}
	if opts.Format != report.Text {
		t.Errorf("format = %q, want text", opts.Format)
	}
	def := bench.DefaultOptions()
	if opts.Request.Stats.Alpha != def.Alpha || opts.Request.Stats.Confidence != def.Confidence {
		t.Errorf("alpha %v confidence %v, want %v %v", opts.Request.Stats.Alpha, opts.Request.Stats.Confidence, def.Alpha, def.Confidence)
	}
	if opts.Request.Stats.Thresholds.Default != 0.05 || !maps.Equal(opts.Request.Stats.Thresholds.ByUnit, map[string]float64{"allocs/op": 0}) {
		t.Errorf("thresholds = %+v, want default 5%% and allocs/op=0", opts.Request.Stats.Thresholds)
	}
	if opts.Request.Stats.Filter != nil {
		t.Errorf("filter = %v, want none", opts.Request.Stats.Filter)
	}
}

func TestCompareFlagsParsed(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		base   string
		head   string
		alpha  float64
		def    float64
		byUnit map[string]float64
		filter string // "" for none
		format report.Format
	}{
		{
			name: "per-unit thresholds are tidied, the default overridden",
			args: []string{"--threshold", "10%", "--threshold", "B/op=5%", "--threshold", "ns/op=2%", "--threshold", "allocs/op=1%", "--threshold", "MB/s=0.5%", "old.txt", "new.txt"},
			base: "old.txt", head: "new.txt",
			alpha: 0.05, def: 0.10,
			byUnit: map[string]float64{"allocs/op": 0.01, "B/op": 0.05, "sec/op": 0.02, "B/s": 0.005},
			format: report.Text,
		},
		{
			name: "a unit threshold leaves the default and allocs/op alone",
			args: []string{"--threshold", "B/op=10%", "a", "b"},
			base: "a", head: "b",
			alpha: 0.05, def: 0.05,
			byUnit: map[string]float64{"allocs/op": 0, "B/op": 0.10},
			format: report.Text,
		},
		{
			name: "fraction thresholds, last one wins",
			args: []string{"--threshold", "0.2", "--threshold", "0.03", "a", "b"},
			base: "a", head: "b",
			alpha: 0.05, def: 0.03,
			byUnit: map[string]float64{"allocs/op": 0},
			format: report.Text,
		},
		{
			name: "filter, format and alpha",
			args: []string{"--filter", "^Parse/", "--format", "json", "--alpha", "0.01", "a", "b"},
			base: "a", head: "b",
			alpha: 0.01, def: 0.05,
			byUnit: map[string]float64{"allocs/op": 0},
			filter: "^Parse/", format: report.JSON,
		},
		{
			name: "md is markdown, flags after the arguments, = syntax",
			args: []string{"a", "-", "--format=md", "--alpha=1e-3", "--filter=Encode|Decode"},
			base: "a", head: "-",
			alpha: 0.001, def: 0.05,
			byUnit: map[string]float64{"allocs/op": 0},
			filter: "Encode|Decode", format: report.Markdown,
		},
		{
			name: "stdin as base",
			args: []string{"--format", "markdown", "-", "head.txt"},
			base: "-", head: "head.txt",
			alpha: 0.05, def: 0.05,
			byUnit: map[string]float64{"allocs/op": 0},
			format: report.Markdown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := parseCompare(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if opts.Request.Ref.BaseFile != tt.base || opts.Request.Ref.HeadFile != tt.head {
				t.Errorf("paths = %q, %q; want %q, %q", opts.Request.Ref.BaseFile, opts.Request.Ref.HeadFile, tt.base, tt.head)
			}
			if opts.Request.Stats.Alpha != tt.alpha {
				t.Errorf("alpha = %v, want %v", opts.Request.Stats.Alpha, tt.alpha)
			}
			if opts.Request.Stats.Confidence != bench.DefaultConfidence {
				t.Errorf("confidence = %v, want %v", opts.Request.Stats.Confidence, bench.DefaultConfidence)
			}
			if opts.Request.Stats.Thresholds.Default != tt.def {
				t.Errorf("default threshold = %v, want %v", opts.Request.Stats.Thresholds.Default, tt.def)
			}
			if !maps.Equal(opts.Request.Stats.Thresholds.ByUnit, tt.byUnit) {
				t.Errorf("thresholds by unit = %v, want %v", opts.Request.Stats.Thresholds.ByUnit, tt.byUnit)
			}
			switch {
			case tt.filter == "" && opts.Request.Stats.Filter != nil:
				t.Errorf("filter = %q, want none", opts.Request.Stats.Filter)
			case tt.filter != "" && (opts.Request.Stats.Filter == nil || opts.Request.Stats.Filter.String() != tt.filter):
				t.Errorf("filter = %v, want %q", opts.Request.Stats.Filter, tt.filter)
			}
			if opts.Format != tt.format {
				t.Errorf("format = %q, want %q", opts.Format, tt.format)
			}
			if err := opts.Request.Stats.Validate(); err != nil {
				t.Errorf("parsed options do not validate: %v", err)
			}
		})
	}
}

// TestCompareFlagsDoNotLeak checks that each command gets its own default
// thresholds: setting B/op on one must not change the next one's defaults.
func TestCompareFlagsDoNotLeak(t *testing.T) {
	if _, err := parseCompare(t, "--threshold", "B/op=50%", "--threshold", "allocs/op=10%", "a", "b"); err != nil {
		t.Fatal(err)
	}
	opts, err := parseCompare(t, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(opts.Request.Stats.Thresholds.ByUnit, map[string]float64{"allocs/op": 0}) {
		t.Errorf("thresholds of a fresh command = %v, want only allocs/op=0", opts.Request.Stats.Thresholds.ByUnit)
	}
	if d := bench.DefaultThresholds(); !maps.Equal(d.ByUnit, map[string]float64{"allocs/op": 0}) {
		t.Errorf("bench.DefaultThresholds() = %v after parsing flags", d.ByUnit)
	}
}

func TestCompareFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "compare needs two files of benchmark results, BASE and HEAD, or --baseline NAME; got 0 argument(s)"},
		{[]string{"a"}, "got 1 argument(s)"},
		{[]string{"a", "b", "c"}, "got 3 argument(s)"},
		{[]string{"-", "-"}, "only one of BASE and HEAD can be read from standard input"},
		{[]string{"--format", "xml", "a", "b"}, `--format: unknown format "xml": use one of text, json, markdown`},
		{[]string{"--format", "JSON", "a", "b"}, `unknown format "JSON"`},
		{[]string{"--alpha", "abc", "a", "b"}, `--alpha "abc" is not a significance level`},
		{[]string{"--alpha", "0", "a", "b"}, `--alpha "0" is not a significance level`},
		{[]string{"--alpha", "1", "a", "b"}, `--alpha "1" is not a significance level`},
		{[]string{"--alpha", "-0.05", "a", "b"}, `--alpha "-0.05"`},
		{[]string{"--alpha", "NaN", "a", "b"}, `--alpha "NaN"`},
		{[]string{"--alpha", "", "a", "b"}, `--alpha ""`},
		{[]string{"--threshold", "5", "a", "b"}, `--threshold: "5" is ambiguous`},
		{[]string{"--threshold", "-5%", "a", "b"}, `--threshold: "-5%" is negative`},
		{[]string{"--threshold", "fast", "a", "b"}, `--threshold: "fast" is not a percentage`},
		{[]string{"--threshold", "=5%", "a", "b"}, `--threshold: "=5%" has no unit before '='`},
		{[]string{"--threshold", "B/op=", "a", "b"}, `--threshold: "" is not a percentage`},
		{[]string{"--threshold", "B/op=Inf%", "a", "b"}, `--threshold: "Inf%" is not a percentage`},
		{[]string{"--filter", "(", "a", "b"}, `--filter "(" is not a valid regular expression`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parseCompare(t, tt.args...)
			var fe *FlagError
			if !errors.As(err, &fe) {
				t.Fatalf("compare %q: error %v (%T), want a *FlagError", tt.args, err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("compare %q: error %q, want it to contain %q", tt.args, err, tt.want)
			}
		})
	}
}

// Benchmark files for the in-process runs of `perfctl compare`.
const (
	runBase = `goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	 1000000	      1207 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1214 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1201 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1210 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1198 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1205 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.3 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       241.0 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.7 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.8 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.1 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.9 ns/op	      16 B/op	       1 allocs/op
PASS
`
	// runSame is runBase with noise only: pass.
	runSame = `goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	 1000000	      1206 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1211 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1203 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1208 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1200 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	 1000000	      1212 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.6 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.8 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.2 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       241.1 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       239.5 ns/op	      16 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.4 ns/op	      16 B/op	       1 allocs/op
PASS
`
	// runSlower: Parse 20% slower, Lex allocates once more (16 → 24 B/op,
	// 1 → 2 allocs/op): fail.
	runSlower = `goos: linux
goarch: amd64
pkg: example.com/parse
cpu: AMD EPYC 7B13
BenchmarkParse-8   	  800000	      1455 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	  800000	      1462 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	  800000	      1449 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	  800000	      1458 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	  800000	      1451 ns/op	      64 B/op	       1 allocs/op
BenchmarkParse-8   	  800000	      1460 ns/op	      64 B/op	       1 allocs/op
BenchmarkLex-8     	 5000000	       240.6 ns/op	      24 B/op	       2 allocs/op
BenchmarkLex-8     	 5000000	       239.8 ns/op	      24 B/op	       2 allocs/op
BenchmarkLex-8     	 5000000	       240.2 ns/op	      24 B/op	       2 allocs/op
BenchmarkLex-8     	 5000000	       241.1 ns/op	      24 B/op	       2 allocs/op
BenchmarkLex-8     	 5000000	       239.5 ns/op	      24 B/op	       2 allocs/op
BenchmarkLex-8     	 5000000	       240.4 ns/op	      24 B/op	       2 allocs/op
PASS
`
	runBadLines = `pkg: example.com/parse
BenchmarkParse-8   	 many	      1207 ns/op
BenchmarkParse-8   	 1000000	      1214 ns/op
BenchmarkParse-8   	 1000000	      fast ns/op
BenchmarkParse-8   	 1000000	      1201 ns/op
BenchmarkParse-8   	 1x	      1201 ns/op
`
)

// writeFiles writes name → content into a temporary directory and returns
// the directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runPerfctl runs perfctl in process, as Main does, with test streams.
func runPerfctl(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code = Run(context.Background(), &Factory{IOStreams: ios, BuildInfo: fakeBuildInfo(nil), Dir: t.TempDir(), Getenv: func(string) string { return "" }}, args)
	return code, out.String(), errOut.String()
}

func TestRunCompareExitCodes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"base.txt": runBase, "same.txt": runSame, "slower.txt": runSlower,
		"bad.txt": runBadLines, "empty.txt": "",
	})
	p := func(name string) string { return filepath.Join(dir, name) }

	t.Run("pass is 0, report on stdout only", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, "", "compare", p("base.txt"), p("same.txt"))
		if code != ExitPass {
			t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitPass, stdout, stderr)
		}
		if !strings.Contains(stdout, "\nPASS  0 regressions") {
			t.Errorf("stdout has no PASS verdict line:\n%s", stdout)
		}
		if stderr != "" {
			t.Errorf("stderr = %q, want nothing", stderr)
		}
		if strings.Contains(stdout, "\x1b[") {
			t.Errorf("colour written to a stdout that is not a terminal:\n%q", stdout)
		}
	})

	t.Run("regression is 1, report on stdout, nothing on stderr", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, "", "compare", p("base.txt"), p("slower.txt"))
		if code != ExitFail {
			t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitFail, stdout, stderr)
		}
		if !strings.Contains(stdout, "\nFAIL  3 regressions") {
			t.Errorf("stdout has no FAIL verdict with 3 regressions (Parse sec/op, Lex B/op and allocs/op):\n%s", stdout)
		}
		if stderr != "" {
			t.Errorf("stderr = %q, want nothing: the report already says FAIL", stderr)
		}
	})

	t.Run("a looser threshold turns the slowdown into a pass", func(t *testing.T) {
		code, stdout, _ := runPerfctl(t, "", "compare", "--threshold", "sec/op=25%", "--threshold", "allocs/op=100%", "--threshold", "B/op=50%", p("base.txt"), p("slower.txt"))
		if code != ExitPass {
			t.Errorf("exit %d, want %d:\n%s", code, ExitPass, stdout)
		}
	})

	t.Run("filter keeps only the matching benchmarks", func(t *testing.T) {
		code, stdout, _ := runPerfctl(t, "", "compare", "--filter", "^Lex$", "--format", "json", p("base.txt"), p("slower.txt"))
		if code != ExitFail {
			t.Errorf("exit %d, want %d (Lex allocates more)", code, ExitFail)
		}
		var doc struct {
			Verdict     string
			Comparisons []struct{ Name, Unit, Status string }
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("--format json wrote invalid JSON: %v\n%s", err, stdout)
		}
		if doc.Verdict != "fail" || len(doc.Comparisons) != 3 {
			t.Errorf("verdict %q with %d comparisons, want fail with 3 (Lex in 3 units)", doc.Verdict, len(doc.Comparisons))
		}
		for _, c := range doc.Comparisons {
			if c.Name != "Lex" {
				t.Errorf("--filter ^Lex$ kept %s", c.Name)
			}
		}
	})

	t.Run("json and markdown go to stdout with the same exit code", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, "", "compare", "--format", "markdown", p("base.txt"), p("slower.txt"))
		if code != ExitFail || !strings.HasPrefix(stdout, "<!-- perfctl:compare -->\n### ❌ perfctl compare: FAIL") || stderr != "" {
			t.Errorf("markdown: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
		code, stdout, stderr = runPerfctl(t, "", "compare", "--format", "json", p("base.txt"), p("same.txt"))
		if code != ExitPass || !json.Valid([]byte(stdout)) || !strings.Contains(stdout, `"verdict": "pass"`) || stderr != "" {
			t.Errorf("json: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
	})

	t.Run("head from stdin", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, runSlower, "compare", p("base.txt"), "-")
		if code != ExitFail || stderr != "" {
			t.Errorf("exit %d, stderr %q, want 1 and nothing\n%s", code, stderr, stdout)
		}
	})

	t.Run("missing file is 2 with a hint", func(t *testing.T) {
		missing := p("missing.txt")
		code, stdout, stderr := runPerfctl(t, "", "compare", p("base.txt"), missing)
		if code != ExitError {
			t.Errorf("exit %d, want %d", code, ExitError)
		}
		want := "perfctl: " + missing + ": cannot read benchmark results: no such file or directory\n" +
			"hint: check the path; pass - to read the results from standard input\n"
		if stderr != want {
			t.Errorf("stderr =\n%s\nwant\n%s", stderr, want)
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want nothing", stdout)
		}
	})

	t.Run("malformed lines are 2, each listed, then the hint", func(t *testing.T) {
		bad := p("bad.txt")
		code, stdout, stderr := runPerfctl(t, "", "compare", bad, p("base.txt"))
		if code != ExitError {
			t.Errorf("exit %d, want %d", code, ExitError)
		}
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if len(lines) != 4 {
			t.Fatalf("stderr has %d lines, want 4 (first error, 2 more, hint):\n%s", len(lines), stderr)
		}
		if !strings.HasPrefix(lines[0], "perfctl: "+bad+":2: malformed benchmark line: ") {
			t.Errorf("line 1 = %q, want the first malformed line, %s:2", lines[0], bad)
		}
		if !strings.HasPrefix(lines[1], "    "+bad+":4: ") || !strings.HasPrefix(lines[2], "    "+bad+":6: ") {
			t.Errorf("lines 2-3 = %q, want the other malformed lines (4 and 6), indented", lines[1:3])
		}
		if !strings.HasPrefix(lines[3], "hint: fix or delete the line") {
			t.Errorf("last line = %q, want the hint", lines[3])
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want nothing", stdout)
		}
	})

	t.Run("empty file is 2", func(t *testing.T) {
		code, _, stderr := runPerfctl(t, "", "compare", p("base.txt"), p("empty.txt"))
		if code != ExitError || !strings.Contains(stderr, "empty.txt: is empty\n") || !strings.Contains(stderr, "\nhint: ") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})

	t.Run("a filter that matches nothing is 2, an input error without a file", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, "", "compare", "--filter", "^Nothing$", p("base.txt"), p("same.txt"))
		want := "perfctl: --filter \"^Nothing$\" matches no benchmark\nhint: names are matched without the Benchmark prefix and -GOMAXPROCS suffix, e.g. --filter '^Parse/'\n"
		if code != ExitError || stderr != want || stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr:\n%s", code, stdout, stderr, want)
		}
	})

	t.Run("a bad flag value is 2 with a pointer to --help", func(t *testing.T) {
		code, stdout, stderr := runPerfctl(t, "", "compare", "--alpha", "2", p("base.txt"), p("same.txt"))
		want := "perfctl: --alpha \"2\" is not a significance level: use a number between 0 and 1, e.g. 0.05\n" +
			"Run 'perfctl compare --help' for usage.\n"
		if code != ExitError || stderr != want || stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr:\n%s", code, stdout, stderr, want)
		}
	})
}

// TestRunCompareUsageErrors checks usage mistakes through the whole command
// tree: every one is exit 2, a "perfctl: " line and the --help pointer of
// the command that failed, and nothing on stdout.
func TestRunCompareUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		msg     string // in the first line
		cmdPath string
	}{
		{[]string{"compare"}, "compare needs two files", "perfctl compare"},
		{[]string{"compare", "a"}, "got 1 argument(s)", "perfctl compare"},
		{[]string{"compare", "--no-such-flag", "a", "b"}, "unknown flag: --no-such-flag", "perfctl compare"},
		{[]string{"compare", "--alpha"}, "flag needs an argument", "perfctl compare"},
		{[]string{"compare", "--format", "xml", "a", "b"}, `unknown format "xml"`, "perfctl compare"},
		{[]string{"compare", "--threshold", "10", "a", "b"}, "ambiguous", "perfctl compare"},
		{[]string{"compare", "-", "-"}, "only one of BASE and HEAD", "perfctl compare"},
		{[]string{"compar", "a", "b"}, `unknown command "compar"`, "perfctl"},
		{[]string{"--bogus"}, "unknown flag: --bogus", "perfctl"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runPerfctl(t, "", tt.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.HasPrefix(stderr, "perfctl: ") || !strings.Contains(stderr, tt.msg) {
				t.Errorf("stderr = %q, want a perfctl: line containing %q", stderr, tt.msg)
			}
			if want := "\nRun '" + tt.cmdPath + " --help' for usage.\n"; !strings.HasSuffix(stderr, want) {
				t.Errorf("stderr = %q, want it to end with %q", stderr, want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// TestRunCompareColor checks that the text report is coloured only when
// stdout is a terminal.
func TestRunCompareColor(t *testing.T) {
	dir := writeFiles(t, map[string]string{"base.txt": runBase, "slower.txt": runSlower})
	args := []string{"compare", filepath.Join(dir, "base.txt"), filepath.Join(dir, "slower.txt")}
	for _, tty := range []bool{false, true} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		code := Run(context.Background(), &Factory{IOStreams: ios, BuildInfo: fakeBuildInfo(nil)}, args)
		if code != ExitFail {
			t.Errorf("tty %v: exit %d, want %d", tty, code, ExitFail)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != tty {
			t.Errorf("tty %v: ANSI escapes in the report = %v, want %v:\n%q", tty, got, tty, out.String())
		}
	}
}

func TestRunHelp(t *testing.T) {
	code, stdout, stderr := runPerfctl(t, "", "compare", "--help")
	if code != ExitPass {
		t.Errorf("compare --help: exit %d, want 0", code)
	}
	for _, want := range []string{"perfctl compare [flags] BASE HEAD", "--threshold", "--alpha", "--filter", "--format", "EXIT STATUS"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare --help does not mention %q:\n%s", want, stdout)
		}
	}
	if stderr != "" {
		t.Errorf("compare --help wrote to stderr: %q", stderr)
	}
}
