package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/gomod"
)

// TestAllModulesFlag: --all-modules through each command's runF: given or
// not, true or false, and the combinations that make no sense.
func TestAllModulesFlag(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	for _, tc := range []struct {
		args       string
		given, all bool
		err        string
	}{
		{args: "bench"},
		{args: "bench --all-modules", given: true, all: true},
		{args: "bench --all-modules=false ./x", given: true},
		{args: "bench --all-modules ./x", err: "--all-modules runs ./... in every module"},
		{args: "lint --all-modules", given: true, all: true},
		{args: "lint --all-modules ./x/...", err: "packages (./x/...) go with one module"},
		{args: "check --all-modules", given: true, all: true},
		{args: "check --all-modules=false", given: true},
		{args: "compare --baseline main --all-modules", given: true, all: true},
		{args: "compare --baseline main --all-modules ./x", err: "--all-modules runs"},
		{args: "compare --all-modules a.txt b.txt", err: "result files are compared as they are"},
		{args: "compare --baseline main --head h.txt --all-modules", err: "result files are compared as they are"},
	} {
		t.Run(tc.args, func(t *testing.T) {
			t.Parallel()
			f := testFactory(t, dir, nil)
			var got *modulesFlag
			called := false
			args := strings.Fields(tc.args)
			var err error
			switch args[0] {
			case "bench":
				err = execute(f, NewCmdBench(f, func(_ context.Context, o *BenchOptions) error { got, called = o.Modules, true; return nil }), args...)
			case "lint":
				err = execute(f, NewCmdLint(f, func(_ context.Context, o *LintOptions) error { got, called = o.Modules, true; return nil }), args...)
			case "check":
				err = execute(f, NewCmdCheck(f, func(_ context.Context, o *CheckOptions) error { got, called = o.Modules, true; return nil }), args...)
			case "compare":
				err = execute(f, NewCmdCompare(f, func(_ context.Context, o *CompareOptions) error {
					got, called = o.Modules, true
					if o.Request.Set.Modules != o.Modules.given() {
						t.Errorf("request Set.Modules %v, flag given %v", o.Request.Set.Modules, o.Modules.given())
					}
					return nil
				}), args...)
			}
			checkRunF(t, err, called, tc.err)
			if tc.err == "" && (got.given() != tc.given || got.all != tc.all) {
				t.Errorf("given %v all %v; want %v %v", got.given(), got.all, tc.given, tc.all)
			}
		})
	}
}

// TestPolicyRoot: covering a workspace from inside a module, the root's
// perfctl.yaml applies, else the module's; never another module's.
func TestPolicyRoot(t *testing.T) {
	t.Setenv("GOWORK", "")
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.work", "go 1.26\n\nuse (\n\t./a\n\t./b\n)\n")
	write("a/go.mod", "module example.com/a\n")
	write("b/go.mod", "module example.com/b\n")
	write("b/perfctl.yaml", "version: 1\n")
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	root := func(from string) string {
		l, err := gomod.Discover(from)
		if err != nil {
			t.Fatal(err)
		}
		covered, err := l.Cover(true)
		if err != nil {
			t.Fatal(err)
		}
		return policyRoot(l, l.Root, severalModules(l, covered))
	}
	if got := root(b); got != b {
		t.Errorf("from b: %s, want b's perfctl.yaml", got)
	}
	if got := root(a); got != dir {
		t.Errorf("from a: %s, want the workspace's directory (the default policy), not b's", got)
	}
	write("perfctl.yaml", "version: 1\n")
	if got := root(b); got != dir {
		t.Errorf("with perfctl.yaml at the root, from b: %s", got)
	}
}
