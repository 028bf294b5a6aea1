package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
)

// ServicesCheckOptions are the inputs of `perfctl services check`.
type ServicesCheckOptions struct {
	IO     *iostreams.IOStreams
	Exec   run.Runner
	Policy checks.PolicySource
	// AllowCommands lets the services start (--allow-commands,
	// PERFCTL_ALLOW_COMMANDS).
	AllowCommands bool
}

// NewCmdServices returns `perfctl services`.
func NewCmdServices(f *Factory, runF func(context.Context, *ServicesCheckOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "services <command>",
		Short: "Start the policy's services alone, to see that they work",
		Args:  noArgs,
	}
	opts := &ServicesCheckOptions{IO: f.IOStreams, Exec: f.Exec}
	check := &cobra.Command{
		Use:   "check [flags]",
		Short: "Start the policy's services, wait until each is ready, print what they export, stop them",
		Long: `Start the services of the policy (perfctl.yaml at the module root, or --policy
FILE) as perfctl bench, compare and check do, each once the one before it is
ready; print the environment they export (KEY=VALUE, on stdout); stop them all
with their process groups and remove their directories. A service that cannot
start, exits early or is not ready within its ready_timeout is an error with
its last lines of output (exit 2). Services run programs: like the other
commands, this one needs --allow-commands or PERFCTL_ALLOW_COMMANDS=1.
See docs/services.md.`,
		Example: `  perfctl services check --allow-commands`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Policy.Dir = f.Dir
			opts.Policy.Root, _ = gomod.Root(f.Dir)
			settleAllowCommands(c, f, &opts.AllowCommands)
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return servicesCheckRun(c.Context(), opts)
		},
	}
	check.Flags().StringVar(&opts.Policy.File, "policy", "", "policy `FILE` (default: perfctl.yaml at the module root)")
	addAllowCommands(check, &opts.AllowCommands)
	cmd.AddCommand(check)
	return cmd
}

func servicesCheckRun(ctx context.Context, opts *ServicesCheckOptions) error {
	p, err := opts.Policy.Load(ctx, opts.Exec)
	if err != nil {
		return err
	}
	if len(p.Services) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: %s has no services\n", policyName(p))
		return nil
	}
	root := opts.Policy.Root
	if root == "" {
		root = opts.Policy.Dir
	}
	svcs, err := startServices(ctx, opts.IO.ErrOut, root, p, opts.AllowCommands, "--allow-commands (or set PERFCTL_ALLOW_COMMANDS=1)")
	if err != nil {
		return err
	}
	defer svcs.Stop()
	for _, kv := range svcs.Env() {
		fmt.Fprintln(opts.IO.Out, kv)
	}
	svcs.Stop()
	fmt.Fprintf(opts.IO.ErrOut, "perfctl: %s started, ready and stopped\n", english.Plural(len(p.Services), "service", "services"))
	return nil
}
