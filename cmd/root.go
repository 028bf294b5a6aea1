package cmd

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/internal/usererr"
)

const exitStatusHelp = `
EXIT STATUS
  0  pass: the verdict is pass
  1  fail: the gate failed (for example a benchmark regressed)
  2  no verdict could be reached: usage error, bad input, missing tool
`

// NewCmdRoot returns the perfctl command with all subcommands.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "perfctl <command> [flags]",
		Short: "Performance governance and a CI gate for Go projects",
		Long: `perfctl turns a Go team's performance practices into one verdict with one exit code:
it compares benchmark results with the statistics benchstat uses, gates allocations
exactly, and fails the build when something got slower.`,
		Example: `  # The CI gate: the performance policy (perfctl.yaml or the default), one verdict
  perfctl check
  perfctl check --merge-base origin/main --report junit=perf.xml

  # Did HEAD regress against BASE? (files of 'go test -bench . -count 10' output)
  perfctl compare base.txt head.txt

  # The same, for a pull-request comment, with a 10% threshold for B/op
  perfctl compare --format markdown --threshold B/op=10% base.txt head.txt

  # Read head from standard input
  go test -run '^$' -bench . -benchmem -count 10 ./... | perfctl compare base.txt -

  # Record the benchmarks of main as a baseline, later compare a branch against it
  perfctl baseline save
  perfctl compare --baseline main

  # Did this branch make anything slower than main? (interleaved A/B runs)
  perfctl compare --merge-base origin/main

  # The performance linters (golangci-lint v2)
  perfctl lint`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// No completion command: perfctl is a CI tool first.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetIn(f.IOStreams.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &FlagError{Err: err}
	})
	root.SetUsageTemplate(root.UsageTemplate() + exitStatusHelp)
	var dir string
	root.PersistentFlags().StringVarP(&dir, "dir", "C", "", "run in `DIR` as if started there (as go -C and git -C)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if dir == "" {
			return nil
		}
		abs := f.path(dir)
		st, err := os.Stat(abs)
		switch {
		case err != nil:
			return &usererr.Error{Msg: fmt.Sprintf("-C %s: %v", dir, errors.Unwrap(err)), Hint: "give an existing directory", Err: err}
		case !st.IsDir():
			return usererr.New(fmt.Sprintf("-C %s: not a directory", dir), "give an existing directory")
		}
		f.Dir = abs
		return nil
	}

	root.AddCommand(
		NewCmdCheck(f, nil),
		NewCmdInit(f, nil),
		NewCmdPolicy(f, nil),
		NewCmdHook(f, nil),
		NewCmdCompare(f, nil),
		NewCmdMerge(f, nil),
		NewCmdShard(f, nil),
		NewCmdBench(f, nil),
		NewCmdProfile(f, nil),
		NewCmdLoad(f, nil),
		NewCmdBaseline(f),
		NewCmdHistory(f),
		NewCmdReport(f, nil),
		NewCmdLint(f, nil),
		NewCmdServices(f, nil),
		NewCmdTools(f, nil),
		NewCmdVersion(f),
	)
	return root
}
