package checks

import (
	"testing"

	"github.com/perfctl/perfctl/checks/buildfiles"
)

// TestReportsAllocs: what allocs-reported accepts from CI is a command
// that runs benchmarks with allocation reporting, as the ci kind sees
// benchmarks run.
func TestReportsAllocs(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		want bool
	}{
		{"go test -run ^$ -bench . -benchmem ./...", true},
		{"go test -bench=. -benchmem=true ./...", true},
		{"go test -benchmem ./...", false}, // no -bench: no benchmark runs
		{"go test -bench . ./...", false},
		{"go vet -benchmem", false},
		{"perfctl check --merge-base main", true},
		{"./bin/perfctl bench ./...", true},
		{"perfctl baseline save main", true},
		{"perfctl lint", false},
		{"perfctlx check", false},
	} {
		if got := reportsAllocs(tc.cmd); got != tc.want {
			t.Errorf("%s: reports allocations %v, want %v", tc.cmd, got, tc.want)
		}
	}
	action := func(uses string, with ...buildfiles.Input) *buildfiles.Command {
		return &buildfiles.Command{Uses: uses, With: with}
	}
	for _, tc := range []struct {
		c    *buildfiles.Command
		want bool
	}{
		{action("perfctl/perfctl@v1"), true},
		{action("perfctl/perfctl@v1", buildfiles.Input{Name: "command", Value: "compare"}), true},
		{action("perfctl/perfctl@v1", buildfiles.Input{Name: "command", Value: "lint"}), false},
		{action("actions/checkout@v4"), false},
		{&buildfiles.Command{Args: []string{"perfctl", "check"}}, false}, // a command, not an action
	} {
		if got := perfctlActionRunsBenchmarks(tc.c); got != tc.want {
			t.Errorf("%+v: runs benchmarks %v, want %v", tc.c, got, tc.want)
		}
	}
}
