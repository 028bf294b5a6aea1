package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/services"
	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/internal/usererr"
)

// allowCommandsUsage is the help of --allow-commands on the commands that
// run benchmarks.
const allowCommandsUsage = "let the policy's services start (default $PERFCTL_ALLOW_COMMANDS); only where perfctl.yaml is trusted"

// addAllowCommands adds --allow-commands to a command that runs
// benchmarks: the policy's services start only with it.
func addAllowCommands(c *cobra.Command, into *bool) {
	c.Flags().BoolVar(into, "allow-commands", false, allowCommandsUsage)
}

// settleAllowCommands reads PERFCTL_ALLOW_COMMANDS unless --allow-commands
// was given.
func settleAllowCommands(c *cobra.Command, f *Factory, into *bool) {
	if !c.Flags().Changed("allow-commands") {
		*into = envTrue(f.getenv("PERFCTL_ALLOW_COMMANDS"))
	}
}

// Where the services start: runBenchmarks (bench, baseline save, history
// add), compareRun (when benchmarks run), checkRun (when a selected check
// runs the module's code), loadRun (around the service under test, which
// gets their exports too) and servicesCheckRun.

// moduleServices starts the services of the policy at the root of the
// modules a benchmark run covers (perfctl.yaml, as perfctl check finds it)
// and returns them running (nil, whose Stop and Env do nothing, when the
// policy has none). A policy that does not parse is an error: which
// services it declares cannot be known.
func moduleServices(ctx context.Context, errOut io.Writer, exec run.Runner, dir string, layout *gomod.Layout, covered []gomod.Module, trusted bool) (*services.Set, error) {
	several := severalModules(layout, covered)
	root := covered[0].Dir
	if several {
		root = layout.Root
	}
	src := &checks.PolicySource{Dir: dir, Root: policyRoot(layout, root, several)}
	policy, err := src.Load(ctx, exec)
	if err != nil {
		return nil, err
	}
	return startServices(ctx, errOut, src.Root, policy, trusted, "--allow-commands (or set PERFCTL_ALLOW_COMMANDS=1)")
}

// startServices starts policy's services, when it has any and trusted
// says the operator trusts the policy; how says how to trust it, for the
// message when they do not. root is the module root their dir is
// relative to. The benchmarks get their exports through
// run.WithEnv(exec, set.Env()); nil, nil when the policy has none.
func startServices(ctx context.Context, errOut io.Writer, root string, policy *checks.Policy, trusted bool, how string) (*services.Set, error) {
	if len(policy.Services) == 0 {
		return nil, nil
	}
	names := make([]string, len(policy.Services))
	for i := range policy.Services {
		names[i] = policy.Services[i].Name
	}
	if !trusted {
		return nil, &usererr.Error{File: policy.Source, Line: policy.Services[0].Line,
			Msg: fmt.Sprintf("the policy has %s (%s), which run programs: they start only where the policy is trusted, and the benchmarks need them",
				english.Plural(len(names), "service", "services"), strings.Join(names, ", ")),
			Hint: "where perfctl.yaml is trusted, pass " + how + "; on pull requests, run perfctl check with --policy-ref origin/main, so that the base branch's policy decides what starts (docs/services.md#trust)"}
	}
	fmt.Fprintf(errOut, "perfctl: starting %s: %s\n", english.Plural(len(names), "service", "services"), strings.Join(names, ", "))
	// The log carries the services' own output when one dies: no terminal
	// control from it.
	return services.Start(ctx, policy.Services, services.Options{Root: root, Log: termsafe.Writer{W: errOut}})
}
