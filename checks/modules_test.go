package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/perfctl/perfctl/internal/gomod"
)

func TestJoinModules(t *testing.T) {
	ws := &Workspace{Dir: "/repo"}
	ms := []gomod.Module{
		{Path: "example.com/root", Dir: "/repo", Rel: "."},
		{Path: "example.com/root/b", Dir: "/repo/b", Rel: "b"},
		{Path: "example.com/root/empty", Dir: "/repo/empty", Rel: "empty"},
	}
	noBench := fail("no benchmarks: nothing measures this module's performance")
	noBench.empty = true
	for _, tc := range []struct {
		name    string
		rs      []Result
		status  Status
		message string
	}{
		{"all pass", []Result{pass("ok a"), pass("ok b"), pass("ok c")}, Pass,
			"example.com/root: ok a (2 other modules: 2 pass)"},
		{"one fails", []Result{pass("ok a"), fail("1 finding"), pass("ok c")}, Fail,
			"example.com/root/b: 1 finding (2 other modules: 2 pass)"},
		{"error beats fail", []Result{fail("bad"), errResult("broken"), pass("ok")}, Error,
			"example.com/root/b: broken (2 other modules: 1 fail, 1 pass)"},
		{"a module with nothing to check does not fail", []Result{pass("3 benchmarks"), pass("1 benchmark"), noBench}, Pass,
			"example.com/root: 3 benchmarks (2 other modules: 1 pass, 1 with nothing to check)"},
		{"nothing anywhere fails", []Result{noBench, noBench, noBench}, Fail,
			"example.com/root: no benchmarks: nothing measures this module's performance (2 other modules: 2 fail)"},
		{"all skipped", []Result{skip("no benchmarks"), skip("none"), skip("none")}, Skip,
			"example.com/root: no benchmarks (2 other modules: 2 skip)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := joinModules(ws, ms, tc.rs)
			if r.Status != tc.status || r.Message != tc.message {
				t.Errorf("got %s %q\nwant %s %q", r.Status, r.Message, tc.status, tc.message)
			}
			if len(r.Details) < len(ms) || !strings.HasPrefix(r.Details[0], "module example.com/root (.): ") {
				t.Errorf("details = %q", r.Details)
			}
		})
	}

	// Findings are placed relative to the root; details stay the module's.
	lintB := fail("1 finding", "x.go:3:1: boom")
	lintB.Findings = []Finding{{File: "x.go", Line: 3, Column: 1, Rule: "perfsprint"}}
	lintRoot := fail("1 finding")
	lintRoot.Findings = []Finding{{File: "y.go", Line: 1}}
	r := joinModules(ws, ms[:2], []Result{lintRoot, lintB})
	var files []string
	for _, f := range r.Findings {
		files = append(files, f.File)
	}
	if !slices.Equal(files, []string{"y.go", "b/x.go"}) {
		t.Errorf("finding files = %q", files)
	}
	if !slices.Contains(r.Details, "    x.go:3:1: boom") || !slices.Contains(r.Details, "module example.com/root/b (./b): fail: 1 finding") {
		t.Errorf("details = %q", r.Details)
	}
}
