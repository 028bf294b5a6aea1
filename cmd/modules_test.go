package cmd

import (
	"context"
	"strings"
	"testing"
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
