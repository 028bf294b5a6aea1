package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// InitOptions are the inputs of `perfctl init`.
type InitOptions struct {
	IO    *iostreams.IOStreams
	Dir   string // where perfctl runs (-C)
	Force bool
	// Preset, when set, writes a policy that extends the default for it.
	Preset string
}

// NewCmdInit returns `perfctl init`.
func NewCmdInit(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "init [flags]",
		Short: "Write the default policy to perfctl.yaml at the module root, to edit",
		Long: `Write perfctl's default policy, with comments, to perfctl.yaml at the root of
the module, where 'perfctl check' reads it. An existing perfctl.yaml is not
overwritten unless --force is given.

With --preset library|service|cli|auto it writes a short perfctl.yaml instead:
'extends: default' and the preset, so that the file holds only what the
module changes (by check id) and a newer perfctl's default reaches it.`,
		Example: `  perfctl init                    # the whole default policy, to edit
  perfctl init --preset library   # the default for a library, adjusted by id`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			opts.Dir = f.Dir
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing perfctl.yaml")
	cmd.Flags().StringVar(&opts.Preset, "preset", "", "write a perfctl.yaml that extends the default policy for a `library|service|cli` (or auto: detected at each check)")
	return cmd
}

func initRun(opts *InitOptions) error {
	root, err := gomod.Find(opts.Dir)
	if err != nil {
		return err
	}
	path := filepath.Join(root, checks.PolicyFile)
	write := atomicfile.WriteNew
	if opts.Force {
		write = atomicfile.WriteFile
	}
	content, what := checks.DefaultPolicyYAML, fmt.Sprintf("%d checks", len(checks.Default().Checks))
	if opts.Preset != "" {
		preset, err := checks.ParsePreset(opts.Preset)
		if err != nil {
			return flagErrorf("--preset: %v", err)
		}
		content, what = checks.ExtendingPolicy(preset), "the default policy for preset "+string(preset)
	}
	if err := write(path, content, 0o644); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &usererr.Error{File: path, Msg: "already exists; perfctl init does not overwrite it",
				Hint: "edit it, or give --force to replace it with the default policy"}
		}
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "perfctl: wrote %s (%s); 'perfctl check' now uses it\n", path, what)
	return nil
}

// PolicyOptions are the inputs of `perfctl policy show|validate|kinds`.
type PolicyOptions struct {
	IO     *iostreams.IOStreams
	Exec   run.Runner
	Policy checks.PolicySource // File from --policy or the argument; Dir and Root set by the command
}

// NewCmdPolicy returns `perfctl policy`.
func NewCmdPolicy(f *Factory, runF func(context.Context, string, *PolicyOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy <command>",
		Short: "Show, validate and explain performance policies",
		Args:  noArgs,
	}
	opts := &PolicyOptions{IO: f.IOStreams, Exec: f.Exec}
	run := func(c *cobra.Command, name string) error {
		opts.Policy.Dir = f.Dir
		opts.Policy.Root, _ = gomod.Root(f.Dir)
		if runF != nil {
			return runF(c.Context(), name, opts)
		}
		switch name {
		case "show":
			return policyShowRun(c.Context(), opts)
		case "validate":
			return policyValidateRun(c.Context(), opts)
		}
		return policyKindsRun(opts)
	}
	show := &cobra.Command{
		Use:   "show [flags]",
		Short: "Print the policy 'perfctl check' would use here",
		Long: `Print the effective policy: --policy FILE, else perfctl.yaml at the module root,
else the embedded default policy (printed with its comments).`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return run(c, "show") },
	}
	show.Flags().StringVar(&opts.Policy.File, "policy", "", "policy `FILE` to show")
	validate := &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check a policy file (default: the one 'perfctl check' would use)",
		Long: `Parse a policy file and report every problem with its line: unknown keys,
unknown kinds, missing fields, duplicate ids and bad parameters. Exit status 0
when it is valid, 2 when it is not.`,
		Args: maxArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Policy.File = args[0]
			}
			return run(c, "validate")
		},
	}
	kinds := &cobra.Command{
		Use:   "kinds",
		Short: "List the kinds of check a policy can use",
		Args:  noArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return run(c, "kinds") },
	}
	cmd.AddCommand(show, validate, kinds)
	return cmd
}

func policyShowRun(ctx context.Context, opts *PolicyOptions) error {
	p, err := opts.Policy.Load(ctx, opts.Exec)
	if err != nil {
		return err
	}
	if p.Source == checks.DefaultSource {
		_, err = opts.IO.Out.Write(checks.DefaultPolicyYAML)
		return err
	}
	data, err := p.YAML()
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "# the effective policy, from %s\n", p.Source)
	_, err = opts.IO.Out.Write(data)
	return err
}

func policyValidateRun(ctx context.Context, opts *PolicyOptions) error {
	p, err := opts.Policy.Load(ctx, opts.Exec)
	if err != nil {
		return err
	}
	counts := make([]string, 0, len(checks.Levels))
	for _, l := range checks.Levels {
		n := 0
		for _, c := range p.Checks {
			if c.Level == l {
				n++
			}
		}
		counts = append(counts, fmt.Sprintf("%s %d", l, n))
	}
	services := ""
	if n := len(p.Services); n > 0 {
		services = ", " + english.Plural(n, "service", "services")
	}
	fmt.Fprintf(opts.IO.Out, "%s: valid: %d checks (%s)%s\n", p.Source, len(p.Checks), strings.Join(counts, ", "), services)
	return nil
}

func policyKindsRun(opts *PolicyOptions) error {
	var b strings.Builder
	for _, k := range checks.Kinds() {
		fmt.Fprintf(&b, "%-19s %s\n", k.Name, k.Summary)
	}
	b.WriteString("\nParameters and examples: docs/policy.md\n")
	_, err := opts.IO.Out.Write([]byte(b.String()))
	return err
}
