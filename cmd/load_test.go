package cmd

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/perfctl/perfctl/report"
)

func TestLoadOptions(t *testing.T) {
	t.Parallel()
	dir := moduleDir(t)
	const target = "GET http://127.0.0.1:8080/api"
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want func(t *testing.T, o *LoadOptions)
		err  string
	}{
		{name: "the policy's section", args: []string{"load"}, want: func(t *testing.T, o *LoadOptions) {
			if !o.FromPolicy || o.Format != report.Text || o.AllowRemote || o.AllowCommands || o.Override.Rate != 0 || o.Override.Duration != 0 {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "overrides of the policy", args: []string{"load", "--rate", "20/s", "--duration", "3s", "--warmup", "1s", "--budget", "p(99) < 1s", "--policy", "p.yaml"},
			env: map[string]string{"PERFCTL_ALLOW_COMMANDS": "1"},
			want: func(t *testing.T, o *LoadOptions) {
				ov := o.Override
				if !o.FromPolicy || ov.Rate != 20 || ov.Duration != 3*time.Second || ov.Warmup != time.Second || len(ov.Budgets) != 1 || ov.Budgets[0].Q != 99 ||
					o.Policy.File != "p.yaml" || !o.AllowCommands {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "flags", args: []string{"load", "--cmd", "./srv -addr '127.0.0.1:8080'", "--env", "A=1", "--ready", "http://127.0.0.1:8080/h",
			"--target", target, "--target", "POST http://127.0.0.1:8080/items", "--rate", "50", "--duration", "2s",
			"--budget", "GET /api: p(95) < 20ms", "--allow-remote", "--format", "json", "--out", "load.txt"},
			want: func(t *testing.T, o *LoadOptions) {
				s := o.Spec
				if o.FromPolicy || !slices.Equal(s.Service.Command, []string{"./srv", "-addr", "127.0.0.1:8080"}) || !slices.Equal(s.Service.Env, []string{"A=1"}) ||
					len(s.Targets) != 2 || s.Targets[1].Method != "POST" || s.Rate != 50 || s.Duration != 2*time.Second ||
					len(s.Budgets) != 1 || s.Budgets[0].Target != "GET /api" || !o.AllowRemote || o.Format != report.JSON || o.Out != "load.txt" {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "build with args", args: []string{"load", "--build", "./cmd/server", "--arg", "-addr", "--arg", "127.0.0.1:8080", "--target", target},
			want: func(t *testing.T, o *LoadOptions) {
				if o.Spec.Service.Build != "./cmd/server" || !slices.Equal(o.Spec.Service.Args, []string{"-addr", "127.0.0.1:8080"}) || o.Spec.Rate != defaultLoadRate {
					t.Errorf("spec %+v", o.Spec)
				}
			}},
		{name: "service flags need targets", args: []string{"load", "--cmd", "./srv"}, err: "--cmd needs --target"},
		{name: "a bad target", args: []string{"load", "--target", "GET a b"}, err: "--target: target \"GET a b\" is not METHOD URL"},
		{name: "not a URL", args: []string{"load", "--target", "GET"}, err: "--target: target URL \"GET\" is not an http:// or https:// URL"},
		{name: "a bad budget", args: []string{"load", "--target", target, "--budget", "p(95) < 1 parsec"}, err: `unknown unit "parsec"`},
		{name: "a budget of no target", args: []string{"load", "--target", target, "--budget", "GET /x: max < 1s"}, err: `is for target "GET /x"`},
		{name: "a shell command", args: []string{"load", "--target", target, "--cmd", "srv | tee log"}, err: "no pipes"},
		{name: "both command and build", args: []string{"load", "--target", target, "--cmd", "srv", "--build", "./x"}, err: "give command or build, not both"},
		{name: "args without build", args: []string{"load", "--target", target, "--cmd", "srv", "--arg", "x"}, err: "args are the arguments of the program build makes"},
		{name: "a build that is a flag", args: []string{"load", "--target", target, "--build", "-toolexec=x"}, err: "is not a package path"},
		{name: "a bad env", args: []string{"load", "--target", target, "--cmd", "srv", "--env", "NOEQUALS"}, err: `env "NOEQUALS" is not NAME=value`},
		{name: "too fast", args: []string{"load", "--target", target, "--rate", "1e6"}, err: "is not a number of requests per second"},
		{name: "too many requests", args: []string{"load", "--target", target, "--target", "GET http://127.0.0.1:8080/b", "--rate", "9000", "--duration", "10m"}, err: "more than 1000000"},
		{name: "targets and a policy", args: []string{"load", "--target", target, "--policy", "p.yaml"}, err: "--policy and --policy-ref read the policy's load: section"},
		{name: "an unknown format", args: []string{"load", "--format", "sarif"}, err: "unknown format"},
		{name: "arguments", args: []string{"load", "x"}, err: "takes no arguments"},
		{name: "A/B", args: []string{"load", "--base-ref", "main", "--rounds", "6", "--threshold", "p95-sec/op=10%"},
			want: func(t *testing.T, o *LoadOptions) {
				if o.BaseRef != "main" || o.Rounds != 6 || o.Stats.Thresholds.For("p95-sec/op") != 0.1 || o.Stats.Thresholds.For("req/s") != 0.05 || o.Stats.Alpha != 0.05 {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "A/B with a budget", args: []string{"load", "--base-ref", "main", "--budget", "p(95) < 1s"}, err: "give --threshold"},
		{name: "A/B rounds", args: []string{"load", "--base-ref", "main", "--rounds", "1"}, err: "--rounds 1: give between 2 and 30"},
		{name: "rounds without a base", args: []string{"load", "--rounds", "4"}, err: "go with --base-ref"},
		{name: "base-ref is an option", args: []string{"load", "--base-ref=-x"}, err: "starts with '-'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got *LoadOptions
			f := testFactory(t, dir, tc.env)
			err := execute(f, NewCmdLoad(f, func(_ context.Context, o *LoadOptions) error { got = o; return nil }), tc.args...)
			checkRunF(t, err, got != nil, tc.err)
			if got != nil && tc.want != nil {
				tc.want(t, got)
			}
		})
	}
}
