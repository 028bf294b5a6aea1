package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/usererr"
)

// NewCmdInit returns `perfctl init`.
func NewCmdInit(f *Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [flags]",
		Short: "Write the default policy to perfctl.yaml at the module root, to edit",
		Long: `Write perfctl's default policy, with comments, to perfctl.yaml at the root of
the module, where 'perfctl check' reads it. An existing perfctl.yaml is not
overwritten unless --force is given.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			root, err := findModule()
			if err != nil {
				return err
			}
			path := filepath.Join(root, PolicyFile)
			if _, err := os.Stat(path); err == nil && !force {
				return &usererr.Error{File: path, Msg: "already exists; perfctl init does not overwrite it",
					Hint: "edit it, or give --force to replace it with the default policy"}
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			write := atomicfile.WriteNew
			if force {
				write = atomicfile.WriteFile
			}
			if err := write(path, checks.DefaultPolicyYAML, 0o644); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return &usererr.Error{File: path, Msg: "already exists; perfctl init does not overwrite it",
						Hint: "edit it, or give --force to replace it with the default policy"}
				}
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "perfctl: wrote %s (%d checks); 'perfctl check' now uses it\n", path, len(checks.Default().Checks))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing perfctl.yaml")
	return cmd
}

// NewCmdPolicy returns `perfctl policy`.
func NewCmdPolicy(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy <command>",
		Short: "Show, validate and explain performance policies",
		Args:  noArgs,
	}
	var path string
	show := &cobra.Command{
		Use:   "show [flags]",
		Short: "Print the policy 'perfctl check' would use here",
		Long: `Print the effective policy: --policy FILE, else perfctl.yaml at the module root,
else the embedded default policy (printed with its comments).`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			p, err := effectivePolicy(path)
			if err != nil {
				return err
			}
			if p.Source == checks.DefaultSource {
				_, err = f.IOStreams.Out.Write(checks.DefaultPolicyYAML)
				return err
			}
			data, err := p.YAML()
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.Out, "# the effective policy, from %s\n", p.Source)
			_, err = f.IOStreams.Out.Write(data)
			return err
		},
	}
	show.Flags().StringVar(&path, "policy", "", "policy `FILE` to show")
	validate := &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check a policy file (default: the one 'perfctl check' would use)",
		Long: `Parse a policy file and report every problem with its line: unknown keys,
unknown kinds, missing fields, duplicate ids and bad parameters. Exit status 0
when it is valid, 2 when it is not.`,
		Args: maxArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			file := ""
			if len(args) == 1 {
				file = args[0]
			}
			p, err := effectivePolicy(file)
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
			fmt.Fprintf(f.IOStreams.Out, "%s: valid: %d checks (%s)\n", p.Source, len(p.Checks), strings.Join(counts, ", "))
			return nil
		},
	}
	kinds := &cobra.Command{
		Use:   "kinds",
		Short: "List the kinds of check a policy can use",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			var b strings.Builder
			for _, k := range checks.Kinds() {
				fmt.Fprintf(&b, "%-19s %s\n", k.Name, k.Summary)
			}
			b.WriteString("\nParameters and examples: docs/policy.md\n")
			_, err := f.IOStreams.Out.Write([]byte(b.String()))
			return err
		},
	}
	cmd.AddCommand(show, validate, kinds)
	return cmd
}

// effectivePolicy is the policy check would use, given an optional file.
func effectivePolicy(file string) (*checks.Policy, error) {
	if file != "" {
		return checks.ParseFile(file)
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return loadPolicy("", moduleRoot(wd))
}
