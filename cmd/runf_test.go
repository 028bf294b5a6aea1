package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/report"
)

// Table tests of every command's flags, through its runF: what the command
// line puts in the options, and which mistakes are usage errors before
// anything runs. Each test has its own factory and directory, so they run
// in parallel: -C is the factory's Dir, not the process's.

// testFactory is a factory for dir with the environment env.
func testFactory(t *testing.T, dir string, env map[string]string) *Factory {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	return &Factory{IOStreams: ios, Dir: dir, BuildInfo: fakeBuildInfo(nil), Getenv: func(k string) string { return env[k] }}
}

// execute runs cmd with args under a root that has -C, as Run does, and
// returns the error the command returned.
func execute(f *Factory, c *cobra.Command, args ...string) error {
	root := NewCmdRoot(f)
	for _, sub := range root.Commands() {
		if sub.Name() == c.Name() {
			root.RemoveCommand(sub)
		}
	}
	root.AddCommand(c)
	root.SetArgs(args)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	_, err := root.ExecuteContextC(context.Background())
	return err
}

func isFlagError(err error) bool {
	var fe *FlagError
	return errors.As(err, &fe)
}

func moduleDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheckOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want func(t *testing.T, o *CheckOptions)
		err  string // substring of a usage error; "" for none
	}{
		{name: "defaults", args: []string{"check"}, want: func(t *testing.T, o *CheckOptions) {
			if o.Dir != dir || o.Format != report.Text || o.Compare != nil || o.AllowCommands || o.Policy.File != "" || o.Checks.Strict {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "-C", args: []string{"-C", "sub", "check"}, want: func(t *testing.T, o *CheckOptions) {
			if o.Dir != filepath.Join(dir, "sub") {
				t.Errorf("Dir %s", o.Dir)
			}
		}},
		{name: "reference and statistics", args: []string{"check", "--merge-base", "origin/main", "--alpha", "0.01", "--threshold", "B/op=10%", "--count", "6", "--tags", "x,y"},
			want: func(t *testing.T, o *CheckOptions) {
				q := o.Compare
				if q == nil || q.Ref.MergeBase != "origin/main" || q.Stats.Alpha != 0.01 || q.Stats.Thresholds.For("B/op") != 0.1 ||
					!q.Set.Count || q.Set.Bench || q.Spec.Count != 6 || o.Tags != "x,y" {
					t.Errorf("compare request %+v, tags %q", q, o.Tags)
				}
			}},
		{name: "reports, selection, policy", args: []string{"check", "--report", "junit=out/j.xml", "--report", "sarif=s.sarif", "--only", "a, b", "--skip", "c", "--strict", "--policy", "p.yaml", "--format", "md"},
			want: func(t *testing.T, o *CheckOptions) {
				if len(o.Reports) != 2 || o.Reports[0] != (reportFile{report.JUnit, "out/j.xml"}) || !slices.Equal(o.Checks.Only, []string{"a", "b"}) ||
					!slices.Equal(o.Checks.Skip, []string{"c"}) || !o.Checks.Strict || o.Policy.File != "p.yaml" || o.Format != report.Markdown {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "environment", args: []string{"check"}, env: map[string]string{"PERFCTL_ALLOW_COMMANDS": "yes", "GITHUB_STEP_SUMMARY": "/s.md", "GITHUB_ACTIONS": "true"},
			want: func(t *testing.T, o *CheckOptions) {
				if !o.AllowCommands || o.StepSummary != "/s.md" || !o.GitHubActions {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "the flag wins over the environment", args: []string{"check", "--allow-commands=false"}, env: map[string]string{"PERFCTL_ALLOW_COMMANDS": "1"},
			want: func(t *testing.T, o *CheckOptions) {
				if o.AllowCommands {
					t.Error("commands allowed")
				}
			}},
		{name: "policy and policy-ref", args: []string{"check", "--policy", "p", "--policy-ref", "main"}, err: "give --policy or --policy-ref, not both"},
		{name: "policy-ref is an option", args: []string{"check", "--policy-ref=-x"}, err: "starts with '-'"},
		{name: "two references", args: []string{"check", "--baseline", "main", "--base-ref", "HEAD"}, err: "give one reference"},
		{name: "a bad baseline name", args: []string{"check", "--baseline", "../x"}, err: "may only contain"},
		{name: "a bad alpha", args: []string{"check", "--alpha", "2"}, err: "--alpha \"2\" is not a significance level"},
		{name: "a bad report", args: []string{"check", "--report", "junit"}, err: "write FORMAT=FILE"},
		{name: "an unknown report format", args: []string{"check", "--report", "xml=x.xml"}, err: "unknown format"},
		{name: "max-time without a revision", args: []string{"check", "--max-time", "1m"}, err: "--max-time bounds interleaved rounds: it goes with"},
		{name: "arguments", args: []string{"check", "x"}, err: "takes no arguments"},
		{name: "lint: only new findings", args: []string{"check", "--new-from-merge-base", "origin/main"},
			want: func(t *testing.T, o *CheckOptions) {
				if o.LintNewFromMergeBase != "origin/main" || o.LintNewFromRev != "" || o.Compare != nil {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "lint: new-from-rev is an option", args: []string{"check", "--new-from-rev=-x"}, err: "starts with '-'"},
		{name: "lint: both new-from flags", args: []string{"check", "--new-from-rev", "a", "--new-from-merge-base", "b"}, err: "not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got *CheckOptions
			f := testFactory(t, dir, tc.env)
			err := execute(f, NewCmdCheck(f, func(_ context.Context, o *CheckOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got != nil && tc.want != nil {
				tc.want(t, got)
			}
		})
	}
}

// checkRunF checks the outcome of a command run with a runF: a usage error
// containing want (runF not called), or no error and runF called.
func checkRunF(t *testing.T, err error, called bool, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("error %v", err)
	case want == "" && !called:
		t.Fatal("runF was not called")
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one containing %q", err, want)
	case want != "" && !isFlagError(err):
		t.Fatalf("error %T %v is not a usage error", err, err)
	case want != "" && called:
		t.Fatal("runF was called although the flags are wrong")
	}
}

func TestBenchOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want func(t *testing.T, o *BenchOptions)
		err  string
	}{
		{args: []string{"bench"}, want: func(t *testing.T, o *BenchOptions) {
			if o.Spec.Dir != dir || o.Spec.Count != 10 || o.Spec.Bench != "." || o.Spec.Timeout != 10*time.Minute || o.Out != "" {
				t.Errorf("options %+v", o)
			}
		}},
		{args: []string{"-C", "sub", "bench", "--count", "3", "--benchtime", "50x", "--cpu", "1,2", "--tags", "t", "-o", "o.txt", "./x/..."},
			want: func(t *testing.T, o *BenchOptions) {
				s := o.Spec
				if s.Dir != filepath.Join(dir, "sub") || s.Count != 3 || s.Benchtime != "50x" || s.CPU != "1,2" || s.Tags != "t" ||
					o.Out != "o.txt" || !slices.Equal(s.Packages, []string{"./x/..."}) {
					t.Errorf("options %+v", o)
				}
			}},
		{args: []string{"bench", "--count", "0"}, err: "--count 0: the number of rounds must be at least 1"},
		{args: []string{"bench", "--timeout", "0"}, err: "--timeout 0s: give a positive duration"},
		{args: []string{"bench", "--benchtime", "1y"}, err: "--benchtime \"1y\""},
		{args: []string{"bench", "--bench", "("}, err: "not a valid regular expression"},
		{args: []string{"bench", "--cpu", "0"}, err: "--cpu \"0\""},
		{args: []string{"bench", "--", "-exec=x"}, err: "starts with '-'"},
		{args: []string{"bench"}, want: func(t *testing.T, o *BenchOptions) {
			if o.History != nil {
				t.Errorf("history store %+v without --history", o.History)
			}
		}},
		{args: []string{"-C", "sub", "bench", "--history"}, want: func(t *testing.T, o *BenchOptions) {
			if o.History == nil || o.History.Dir != filepath.Join(dir, "sub") {
				t.Errorf("--history: store %+v, want one in %s", o.History, filepath.Join(dir, "sub"))
			}
		}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *BenchOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdBench(f, func(_ context.Context, o *BenchOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got != nil && tc.want != nil {
				tc.want(t, got)
			}
		})
	}
	// --out is checked before anything runs, relative to the directory.
	f := testFactory(t, dir, nil)
	called := false
	err := execute(f, NewCmdBench(f, func(context.Context, *BenchOptions) error { called = true; return nil }), "bench", "--out", "go.mod/x.txt")
	if called || err == nil || !strings.Contains(err.Error(), "--out go.mod/x.txt: cannot write the file: go.mod is not a directory") {
		t.Errorf("--out under a file: called %v, %v", called, err)
	}
}

func TestCompareOptionsModes(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	if err := os.WriteFile(filepath.Join(dir, "new.txt"), []byte("BenchmarkX 1 1 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		mode compare.Mode
		want func(t *testing.T, q *compare.Request)
		err  string
	}{
		{args: []string{"compare", "a.txt", "b.txt"}, mode: compare.Files},
		{args: []string{"compare", "--baseline", "main", "./x/..."}, mode: compare.Baseline, want: func(t *testing.T, q *compare.Request) {
			if !slices.Equal(q.Packages, []string{"./x/..."}) || q.Set.Count {
				t.Errorf("request %+v", q)
			}
		}},
		{args: []string{"compare", "--baseline", "main", "--head", "new.txt"}, mode: compare.Baseline, want: func(t *testing.T, q *compare.Request) {
			if q.Ref.HeadFile != "new.txt" {
				t.Errorf("head %q", q.Ref.HeadFile)
			}
		}},
		{args: []string{"compare", "--merge-base", "main", "--count", "4", "--max-time", "2m"}, mode: compare.Revision, want: func(t *testing.T, q *compare.Request) {
			if q.MaxTime != 2*time.Minute || !q.Set.Count || q.Spec.Count != 4 {
				t.Errorf("request %+v", q)
			}
		}},
		{args: []string{"compare", "--baseline", "main", "new.txt"}, err: "new.txt is a file"},
		{args: []string{"compare", "--head", "new.txt"}, err: "--head goes with --baseline"},
		{args: []string{"compare", "--baseline", "main", "--head", "new.txt", "./x"}, err: "packages (./x) cannot be given"},
		{args: []string{"compare", "-", "-"}, err: "only one of BASE and HEAD"},
		{args: []string{"compare", "a.txt"}, err: "got 1 argument(s)"},
		{args: []string{"compare", "--max-time", "-1s", "--base-ref", "HEAD"}, err: "is negative"},
		{args: []string{"compare", "--base-ref", "HEAD", "--merge-base", "main"}, err: "not both"},
		{args: []string{"compare", "--merge-base", "main", "--shard", "2/3", "--shard-weights", "main", "--format", "markdown"}, mode: compare.Revision,
			want: func(t *testing.T, q *compare.Request) {
				if q.Shard == nil || q.Shard.Index != 2 || q.Shard.Total != 3 || q.Shard.Weights != "main" || q.Profile != nil {
					t.Errorf("shard %+v, profile %+v: want 2/3 weighed by main, no implied profile", q.Shard, q.Profile)
				}
			}},
		{args: []string{"compare", "--baseline", "main", "--shard", "1/2"}, mode: compare.Baseline, want: func(t *testing.T, q *compare.Request) {
			if q.Shard == nil || q.Shard.String() != "1/2" {
				t.Errorf("shard %+v", q.Shard)
			}
		}},
		{args: []string{"compare", "--shard", "0/3", "--base-ref", "HEAD"}, err: "between 1 and 3"},
		{args: []string{"compare", "--shard", "2", "--base-ref", "HEAD"}, err: "write the shard as I/N"},
		{args: []string{"compare", "--shard", "1/2", "a.txt", "b.txt"}, err: "with result files nothing runs"},
		{args: []string{"compare", "--shard", "1/2", "--baseline", "main", "--head", "new.txt"}, err: "with result files nothing runs"},
		{args: []string{"compare", "--shard-weights", "main", "--base-ref", "HEAD"}, err: "give --shard too"},
		{args: []string{"compare", "--shard", "1/2", "--shard-weights", "../x", "--base-ref", "HEAD"}, err: "../x"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *CompareOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdCompare(f, func(_ context.Context, o *CompareOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got == nil {
				return
			}
			if m := got.Request.Ref.Mode(); m != tc.mode {
				t.Errorf("mode %v, want %v", m, tc.mode)
			}
			if tc.want != nil {
				tc.want(t, got.Request)
			}
		})
	}
}

func TestBaselineOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	defaultStore := filepath.Join(dir, ".perfctl", "baselines")
	for _, tc := range []struct {
		args  []string
		want  string // the command that ran and what it got, as text
		err   string
		store string
	}{
		{args: []string{"baseline", "save"}, want: "save main [] from= force=false", store: defaultStore},
		{args: []string{"-C", "sub", "baseline", "save", "v1", "--force", "--count", "3", "--", "./a", "./b"}, want: "save v1 [./a ./b] from= force=true", store: defaultStore},
		{args: []string{"baseline", "save", "x", "--from", "r.txt", "--baseline-dir", "bl"}, want: "save x [] from=r.txt force=false", store: filepath.Join(dir, "bl")},
		{args: []string{"baseline", "list", "--format", "json"}, want: "list json", store: defaultStore},
		{args: []string{"baseline", "show", "main"}, want: "show main text", store: defaultStore},
		{args: []string{"baseline", "delete", "old"}, want: "delete old", store: defaultStore},
		{args: []string{"baseline", "save", "a", "b"}, err: `"b" is neither a package pattern`},
		{args: []string{"baseline", "save", "./zapcore"}, want: "save main [./zapcore] from= force=false", store: defaultStore},
		{args: []string{"baseline", "save", "../x"}, err: "may only contain"},
		{args: []string{"baseline", "save", "./..."}, want: "save main [./...] from= force=false", store: defaultStore},
		{args: []string{"baseline", "save", "v2", "./a/...", "--", "./b"}, want: "save v2 [./a/... ./b] from= force=false", store: defaultStore},
		{args: []string{"baseline", "save", "x/"}, want: "save main [x/] from= force=false", store: defaultStore},
		{args: []string{"baseline", "save", "a:b"}, err: "may only contain"},
		{args: []string{"baseline", "save", "--from", "-"}, err: "--from - is not supported"},
		{args: []string{"baseline", "save", "x", "--from", "r.txt", "--", "./a"}, err: "packages cannot be given"},
		{args: []string{"baseline", "save", "x", "--from", "r.txt", "--count", "5"}, err: "--count says how to run the benchmarks, but with --from nothing runs"},
		{args: []string{"baseline", "save", "--count", "0"}, err: "--count 0"},
		{args: []string{"baseline", "save", "--history"}, want: "save main [] from= force=false history=" + dir, store: defaultStore},
		{args: []string{"-C", "sub", "baseline", "save", "x", "--from", "r.txt", "--history"}, want: "save x [] from=r.txt force=false history=" + filepath.Join(dir, "sub"), store: defaultStore},
		{args: []string{"baseline", "show"}, err: "needs one NAME"},
		{args: []string{"baseline", "delete", ".hidden"}, err: "cannot start with"},
		{args: []string{"baseline", "list", "--format", "xml"}, err: "unknown format"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got, store string
			f := testFactory(t, dir, nil)
			common := func(o BaselineOptions) { store = o.Store.Dir }
			cmd := &cobra.Command{Use: "baseline"}
			cmd.PersistentFlags().String("baseline-dir", "", "")
			opts := func() BaselineOptions {
				d, _ := cmd.PersistentFlags().GetString("baseline-dir")
				return BaselineOptions{IO: f.IOStreams, Dir: f.Dir, Store: compare.Store(f.Dir, &compare.Reference{BaselineDir: d})}
			}
			cmd.AddCommand(
				NewCmdBaselineSave(f, opts, func(_ context.Context, o *BaselineSaveOptions) error {
					common(o.BaselineOptions)
					got = "save " + o.Name + " " + strings.Join([]string{"[" + strings.Join(o.Spec.Packages, " ") + "]", "from=" + o.From, "force=" + map[bool]string{true: "true", false: "false"}[o.Force]}, " ")
					if o.History != nil {
						got += " history=" + o.History.Dir
					}
					if o.Spec.Dir != o.Dir {
						t.Errorf("spec dir %s, dir %s", o.Spec.Dir, o.Dir)
					}
					return nil
				}),
				NewCmdBaselineList(f, opts, func(o *BaselineListOptions) error {
					common(o.BaselineOptions)
					got = "list " + string(o.Format)
					return nil
				}),
				NewCmdBaselineShow(f, opts, func(o *BaselineShowOptions) error {
					common(o.BaselineOptions)
					got = "show " + o.Name + " " + string(o.Format)
					return nil
				}),
				NewCmdBaselineDelete(f, opts, func(o *BaselineDeleteOptions) error { common(o.BaselineOptions); got = "delete " + o.Name; return nil }),
			)
			err := execute(f, cmd, tc.args...)
			checkRunF(t, err, got != "", tc.err)
			if tc.err == "" && (got != tc.want || store != tc.store) {
				t.Errorf("got %q in store %s, want %q in %s", got, store, tc.want, tc.store)
			}
		})
	}
}

func TestPolicyInitHookToolsOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	f := testFactory(t, dir, nil)
	var got []string
	var mu sync.Mutex
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, s)
	}
	cmds := []*cobra.Command{
		NewCmdInit(f, func(o *InitOptions) error { record("init dir=" + o.Dir + " force=" + boolText(o.Force)); return nil }),
		NewCmdPolicy(f, func(_ context.Context, sub string, o *PolicyOptions) error {
			record("policy " + sub + " file=" + o.Policy.File + " root=" + o.Policy.Root)
			return nil
		}),
		NewCmdHook(f, func(_ context.Context, sub string, o *HookOptions) error {
			record("hook " + sub + " perfctl=" + o.Perfctl + " tags=" + o.Tags + " lint=" + o.GolangciLint + " dir=" + o.Dir)
			return nil
		}),
		NewCmdTools(f, func(context.Context, *ToolsOptions) error { record("tools install"); return nil }),
	}
	for _, args := range [][]string{
		{"init", "--force"},
		{"policy", "show", "--policy", "p.yaml"},
		{"policy", "validate", "q.yaml"},
		{"policy", "kinds"},
		{"hook", "install", "--perfctl", "/bin/perfctl"},
		{"hook", "run", "--tags", "x", "--golangci-lint", "/g"},
		{"hook", "uninstall"},
		{"tools", "install"},
	} {
		var c *cobra.Command
		for _, cmd := range cmds {
			if cmd.Name() == args[0] {
				c = cmd
			}
		}
		if err := execute(f, c, args...); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
	want := []string{
		"init dir=" + dir + " force=true",
		"policy show file=p.yaml root=" + dir,
		"policy validate file=q.yaml root=" + dir,
		"policy kinds file=q.yaml root=" + dir, // the options of one command tree are shared
		"hook install perfctl=/bin/perfctl tags= lint= dir=" + dir,
		"hook run perfctl=/bin/perfctl tags=x lint=/g dir=" + dir,
		"hook uninstall perfctl=/bin/perfctl tags=x lint=/g dir=" + dir,
		"tools install",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, args := range [][]string{{"init", "x"}, {"policy", "validate", "a", "b"}, {"hook", "run", "x"}, {"tools", "install", "x"}} {
		var c *cobra.Command
		for _, cmd := range cmds {
			if cmd.Name() == args[0] {
				c = cmd
			}
		}
		if err := execute(f, c, args...); !isFlagError(err) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestLintOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	f := testFactory(t, dir, map[string]string{"GITHUB_ACTIONS": "true"})
	var got *LintOptions
	run := func(_ context.Context, o *LintOptions) error { got = o; return nil }
	err := execute(f, NewCmdLint(f, run), "lint", "--enable", "govet", "--disable", "unqueryvet,mirror", "--set", "prealloc.simple=false",
		"--exclude", "gen/", "--tests", "--tags", "t", "--new-from-rev", "HEAD~1", "--format", "sarif",
		"--disable-check", "hugeParam,SA6002", "--enable-check", "dupSubExpr", "--report-exported-api", "./a/...")
	if err != nil {
		t.Fatal(err)
	}
	p := got.Lint.Profile
	if got.Lint.Dir != dir || !slices.Contains(p.Linters, "govet") || slices.Contains(p.Linters, "mirror") || slices.Contains(p.Linters, "unqueryvet") ||
		p.Settings["prealloc"]["simple"] != false || !slices.Equal(p.ExcludePaths, []string{"gen/"}) || !p.Tests || got.Lint.Tags != "t" ||
		got.Lint.NewFromRev != "HEAD~1" || got.Format != report.SARIF || !slices.Equal(got.Lint.Packages, []string{"./a/..."}) || !got.GitHubActions ||
		!slices.Equal(p.DisabledChecks, []string{"preferStringWriter", "hugeParam", "SA6002"}) || !slices.Equal(p.EnabledChecks, []string{"dupSubExpr"}) || !p.ReportExportedAPI {
		t.Errorf("options %+v", got)
	}
	for args, want := range map[string]string{
		"lint --enable custom":                          `enable: "custom" is not the name of a golangci-lint linter`,
		"lint --set custom.x={path: a.so}":              "perfctl sets only the settings of",
		"lint --new-from-rev -x":                        "starts with '-'",
		"lint --format junit":                           "unknown format",
		"lint --set nodot":                              "write LINTER.KEY=VALUE",
		"lint --new-from-merge-base --output=/x":        "starts with '-'",
		"lint --disable-check hugeParm":                 `--disable-check: disable check: "hugeParm" is not a check of gocritic or staticcheck (golangci-lint v2.15.0) (did you mean "hugeParam"?)`,
		"lint --enable-check ruleguard":                 "ruleguard loads rule files",
		"lint --new-from-rev a --new-from-merge-base b": "not both",
	} {
		got = nil
		f := testFactory(t, dir, nil)
		err := execute(f, NewCmdLint(f, run), strings.Fields(args)...)
		checkRunF(t, err, got != nil, want)
	}
}

// TestDirIsPerRun: Run with -C in parallel, each in a directory of its
// own, as only a factory's Dir (not os.Chdir) allows.
func TestDirIsPerRun(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			dir := t.TempDir()
			base := strings.Repeat("BenchmarkX 1000 100 ns/op\n", 6)
			head := strings.Repeat("BenchmarkX 1000 200 ns/op\n", 6)
			if i%2 == 0 {
				head = base
			}
			for name, content := range map[string]string{"base.txt": base, "head.txt": head} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Error(err)
					return
				}
			}
			ios, _, out, errOut := iostreams.Test()
			f := &Factory{IOStreams: ios, BuildInfo: fakeBuildInfo(nil), Dir: "/", Getenv: func(string) string { return "" }}
			code := Run(context.Background(), f, []string{"-C", dir, "compare", "base.txt", "head.txt"})
			want := ExitPass
			if i%2 == 1 {
				want = ExitFail
			}
			if code != want {
				t.Errorf("run %d: exit %d, want %d\n%s%s", i, code, want, out, errOut)
			}
		})
	}
	wg.Wait()
	ios, _, _, errOut := iostreams.Test()
	f := &Factory{IOStreams: ios, Dir: t.TempDir()}
	if code := Run(context.Background(), f, []string{"-C", "nosuch", "version"}); code != ExitError || !strings.Contains(errOut.String(), "-C nosuch: no such file or directory") {
		t.Errorf("-C nosuch: exit %d, %s", code, errOut)
	}
}

func TestMergeOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want string // format, format set, out, files
		err  string
	}{
		{args: []string{"merge", "a.json", "b.json"}, want: "text false  [a.json b.json]"},
		{args: []string{"merge", "--format", "md", "--out", "x.md", "a.json"}, want: "markdown true x.md [a.json]"},
		{args: []string{"merge", "--format", "html", "a.json"}, want: "html true  [a.json]"},
		{args: []string{"merge"}, err: "requires at least 1 arg"},
		{args: []string{"merge", "--format", "junit", "a.json"}, want: "junit true  [a.json]"},
		{args: []string{"merge", "--format", "sarif", "a.json"}, want: "sarif true  [a.json]"},
		{args: []string{"merge", "--format", "codequality", "a.json"}, err: "unknown format"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *MergeOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdMerge(f, func(_ context.Context, o *MergeOptions) error { got = o; return nil }), tc.args...)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil || got == nil {
				t.Fatalf("error %v", err)
			}
			if s := fmt.Sprint(got.Format, " ", got.FormatSet, " ", got.Out, " ", got.Files); s != tc.want {
				t.Errorf("options %q, want %q", s, tc.want)
			}
		})
	}
}

func TestShardPlanOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args []string
		want string // shards, weights, bench, format, packages
		err  string
	}{
		{args: []string{"shard", "plan", "--shards", "3"}, want: "3  . text []"},
		{args: []string{"shard", "plan", "--shards", "4", "--shard-weights", "main", "--bench", "Parse", "--format", "json", "./x/..."}, want: "4 main Parse json [./x/...]"},
		{args: []string{"shard", "plan"}, err: "shards"},
		{args: []string{"shard", "plan", "--shards", "0"}, err: "give the number of jobs"},
		{args: []string{"shard", "plan", "--shards", "300"}, err: "from 1 to 256"},
		{args: []string{"shard", "plan", "--shards", "2", "--bench", "("}, err: "not a valid regular expression"},
		{args: []string{"shard", "plan", "--shards", "2", "--format", "markdown"}, err: "unknown format"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var got *ShardPlanOptions
			f := testFactory(t, dir, nil)
			err := execute(f, NewCmdShard(f, func(_ context.Context, o *ShardPlanOptions) error { got = o; return nil }), tc.args...)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil || got == nil {
				t.Fatalf("error %v", err)
			}
			if s := fmt.Sprint(got.Shards, " ", got.Weights, " ", got.Spec.Bench, " ", got.Format, " ", got.Spec.Packages); s != tc.want {
				t.Errorf("options %q, want %q", s, tc.want)
			}
		})
	}
}
