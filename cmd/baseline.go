package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
)

// BaselineOptions are what the baseline commands share.
type BaselineOptions struct {
	IO  *iostreams.IOStreams
	Dir string // where perfctl runs (-C)
	// Store is where the baselines are: --baseline-dir, or
	// .perfctl/baselines at the module root.
	Store baseline.Store
}

// NewCmdBaseline returns `perfctl baseline` and its subcommands.
func NewCmdBaseline(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline <command>",
		Short: "Record, list, show and delete reference benchmark results",
		Long: `Baselines are reference benchmark results stored as benchfmt files in
.perfctl/baselines/NAME.txt at the module root, or at go.work's directory in a
workspace (--baseline-dir to change it).
benchstat reads them; perfctl compare --baseline NAME compares against them.`,
		Example: `  perfctl baseline save              # run the benchmarks, store them as "main"
  perfctl baseline save v1.2 --count 20
  perfctl baseline save main --from results.txt --force
  perfctl baseline list
  perfctl compare --baseline main`,
		Args: noArgs,
	}
	var dir string
	cmd.PersistentFlags().StringVar(&dir, "baseline-dir", "", "directory of the baselines (default .perfctl/baselines at the module root, or at go.work's directory in a workspace)")
	common := func() BaselineOptions {
		return BaselineOptions{IO: f.IOStreams, Dir: f.Dir, Store: compare.Store(f.Dir, &compare.Reference{BaselineDir: dir})}
	}
	cmd.AddCommand(
		NewCmdBaselineSave(f, common, nil),
		NewCmdBaselineList(f, common, nil),
		NewCmdBaselineShow(f, common, nil),
		NewCmdBaselineDelete(f, common, nil),
	)
	return cmd
}

// BaselineSaveOptions are the inputs of `perfctl baseline save`.
type BaselineSaveOptions struct {
	BaselineOptions
	Exec    run.Runner
	Version string
	Name    string
	From    string     // --from FILE, relative to Dir; "" runs the benchmarks
	Spec    bench.Spec // how to run them (Dir is Dir)
	Force   bool
	Modules *modulesFlag
	// History, when set, is the store the results are also recorded in,
	// for HEAD (--history).
	History *history.Store
	// Shard, when set, runs one shard of the benchmarks (--shard I/N).
	Shard *compare.ShardRequest
	// AllowCommands lets the policy's services start (--allow-commands,
	// PERFCTL_ALLOW_COMMANDS).
	AllowCommands bool
}

// NewCmdBaselineSave returns `perfctl baseline save`.
func NewCmdBaselineSave(f *Factory, common func() BaselineOptions, runF func(context.Context, *BaselineSaveOptions) error) *cobra.Command {
	opts := &BaselineSaveOptions{Exec: f.Exec, Version: f.Version()}
	var flags *benchFlags
	var withHistory bool
	var shards *shardFlags
	cmd := &cobra.Command{
		Use:   "save [NAME] [flags] [-- PACKAGES...]",
		Short: "Run the benchmarks (or take --from FILE) and store them as baseline NAME (default main)",
		Long: `Run the benchmarks as perfctl bench does (same flags) and store the results as
baseline NAME (default "main"), or store the results in --from FILE. The file is
written to a temporary name and renamed into place only when everything
succeeded, so an interrupted or failed save leaves the previous baseline as it
was. An existing baseline is replaced only with --force. With --history the
results are also recorded for HEAD in the history store, as perfctl history add
does (outside a git repository perfctl refuses before running anything).

Packages (default ./...) follow the name (or come first, for baseline main),
optionally after --:
  perfctl baseline save main ./parser/... ./lexer
  perfctl baseline save ./zapcore            # baseline main of ./zapcore`,
		Example: `  perfctl baseline save
  perfctl baseline save release-1.4 --count 20 --benchtime 200ms
  perfctl baseline save main --from new.txt --force
  perfctl baseline save --force --history`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.BaselineOptions = common()
			name, pkgs := baseline.DefaultName, []string(nil)
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				pkgs = args[dash:]
				args = args[:dash]
			}
			// A package pattern (./zapcore, ./..., example.com/x) where the
			// name would be is a package, not a name.
			// With --from nothing runs: the argument is the name.
			if len(args) > 0 && (opts.From != "" || !looksLikePackage(args[0])) {
				name, args = args[0], args[1:]
			}
			for _, a := range args {
				if !looksLikePackage(a) {
					return flagErrorf("baseline save takes one NAME, then packages: %q is neither a package pattern (./pkg, ./...) nor the first argument", a)
				}
			}
			pkgs = append(args, pkgs...)
			if err := nameFlagError(name); err != nil {
				return err
			}
			opts.Name = name
			if opts.From == "-" {
				return flagErrorf("--from - is not supported: write the results to a file first")
			}
			if opts.From != "" && len(pkgs) > 0 {
				return flagErrorf("--from takes results from a file; packages cannot be given with it")
			}
			if opts.From != "" {
				if err := flags.refuseWithFile("--from"); err != nil {
					return err
				}
			}
			var err error
			if opts.Shard, err = shards.request(); err != nil {
				return err
			}
			if opts.Shard != nil && opts.From != "" {
				return flagErrorf("--shard runs one shard of the benchmarks; with --from nothing runs: merge the shards' files with perfctl merge, then save the result with --from")
			}
			if opts.Spec, err = flags.Spec(pkgs); err != nil {
				return err
			}
			opts.Spec.Dir = opts.Dir
			if err := opts.Modules.settle(cmd.Flags(), opts.Spec.Packages); err != nil {
				return err
			}
			if err := atomicfile.CheckDir(opts.Store.Dir); err != nil {
				return usererr.New(fmt.Sprintf("cannot store baselines in %s: %s", relativeTo(opts.Dir, opts.Store.Dir), relativeTo(opts.Dir, err.Error())),
					"give --baseline-dir a directory you can write to (missing directories are created)")
			}
			if withHistory {
				opts.History = newHistoryStore(f.Exec, opts.Dir)
			}
			settleAllowCommands(cmd, f, &opts.AllowCommands)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return baselineSaveRun(cmd.Context(), opts)
		},
	}
	flags = addBenchFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.From, "from", "", "store the results in `FILE` instead of running the benchmarks")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing baseline")
	cmd.Flags().BoolVar(&withHistory, "history", false, historyUsage)
	opts.Modules = addModulesFlag(cmd.Flags())
	shards = addShardFlags(cmd.Flags())
	addAllowCommands(cmd, &opts.AllowCommands)
	return cmd
}

func baselineSaveRun(ctx context.Context, opts *BaselineSaveOptions) error {
	s, name := opts.Store, opts.Name
	exists := func() *usererr.Error {
		return &usererr.Error{File: s.Path(name), Msg: fmt.Sprintf("baseline %q already exists", name),
			Hint: "pass --force to replace it, or choose another name"}
	}
	if !opts.Force {
		if _, err := os.Stat(s.Path(name)); err == nil {
			return exists()
		}
	}
	var commit string
	if opts.History != nil {
		var err error
		if commit, err = historyTarget(ctx, opts.History, "HEAD"); err != nil {
			return err
		}
	}
	var text []byte
	source := "the benchmark run"
	if opts.From != "" {
		if _, err := bench.ReadFileIn(opts.Dir, opts.From, nil); err != nil {
			return err // missing, unreadable or not results: worded with a hint
		}
		var err error
		if text, err = os.ReadFile(resolve(opts.Dir, opts.From)); err != nil {
			return err
		}
		source = opts.From
	} else {
		res, err := runBenchmarks(ctx, opts.IO, opts.Exec, opts.Version, &opts.Spec, opts.Modules, opts.Shard, opts.AllowCommands)
		if err != nil {
			return err
		}
		text = res.Text
	}
	set, err := s.Save(name, text, source, opts.Force)
	if errors.Is(err, baseline.ErrExists) {
		e := exists()
		e.Msg += " (saved by another run meanwhile)"
		return e
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "perfctl: saved baseline %q (%d benchmarks) to %s\n", name, set.Len(), s.Path(name))
	if opts.History == nil {
		return nil
	}
	return recordHistory(ctx, opts.IO, opts.History, commit, text, source)
}

// BaselineListOptions are the inputs of `perfctl baseline list`.
type BaselineListOptions struct {
	BaselineOptions
	Format report.Format
}

// NewCmdBaselineList returns `perfctl baseline list`.
func NewCmdBaselineList(_ *Factory, common func() BaselineOptions, runF func(*BaselineListOptions) error) *cobra.Command {
	opts := &BaselineListOptions{}
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the stored baselines",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			opts.BaselineOptions = common()
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocBaselineList)...); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return baselineListRun(opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocBaselineList))
	return cmd
}

func baselineListRun(opts *BaselineListOptions) error {
	infos, problems, err := opts.Store.List()
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(opts.IO.ErrOut, "perfctl: warning: skipping a baseline that cannot be read: %v\n", p)
	}
	return render(opts.IO, func(w io.Writer, o report.Options) error { return report.RenderBaselineList(w, opts.Format, infos, o) })
}

// BaselineShowOptions are the inputs of `perfctl baseline show`.
type BaselineShowOptions struct {
	BaselineOptions
	Name   string
	Format report.Format
}

// NewCmdBaselineShow returns `perfctl baseline show`.
func NewCmdBaselineShow(_ *Factory, common func() BaselineOptions, runF func(*BaselineShowOptions) error) *cobra.Command {
	opts := &BaselineShowOptions{}
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a baseline: where it comes from and each benchmark's center ± interval",
		Args:  oneBaselineName,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.BaselineOptions, opts.Name = common(), args[0]
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocBaselineShow)...); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return baselineShowRun(opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocBaselineShow))
	return cmd
}

func baselineShowRun(opts *BaselineShowOptions) error {
	info, err := opts.Store.Get(opts.Name)
	if err != nil {
		return notFoundHint(err, opts.Name)
	}
	rows, err := bench.Summarize(info.Results, bench.DefaultConfidence, nil)
	if err != nil {
		return err
	}
	return render(opts.IO, func(w io.Writer, o report.Options) error {
		return report.RenderBaselineShow(w, opts.Format, &info, rows, o)
	})
}

// BaselineDeleteOptions are the inputs of `perfctl baseline delete`.
type BaselineDeleteOptions struct {
	BaselineOptions
	Name string
}

// NewCmdBaselineDelete returns `perfctl baseline delete`.
func NewCmdBaselineDelete(_ *Factory, common func() BaselineOptions, runF func(*BaselineDeleteOptions) error) *cobra.Command {
	opts := &BaselineDeleteOptions{}
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a baseline",
		Args:  oneBaselineName,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.BaselineOptions, opts.Name = common(), args[0]
			if runF != nil {
				return runF(opts)
			}
			if err := opts.Store.Delete(opts.Name); err != nil {
				return notFoundHint(err, opts.Name)
			}
			fmt.Fprintf(opts.IO.ErrOut, "perfctl: deleted baseline %q\n", opts.Name)
			return nil
		},
	}
}

// notFoundHint turns a missing baseline into an error that says how to get
// one.
func notFoundHint(err error, name string) error {
	if errors.Is(err, baseline.ErrNotFound) {
		return usererr.New(err.Error(), fmt.Sprintf("record it with `perfctl baseline save %s`, or see `perfctl baseline list`", name))
	}
	return err
}

// oneBaselineName accepts exactly one valid baseline name.
func oneBaselineName(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return flagErrorf("%s needs one NAME (see perfctl baseline list)", cmd.CommandPath())
	}
	return nameFlagError(args[0])
}

func nameFlagError(name string) error {
	if err := baseline.ValidateName(name); err != nil {
		return &FlagError{Err: err}
	}
	return nil
}

// looksLikePackage reports whether a command-line argument is a package
// pattern rather than a baseline name: ".", a path inside the module
// (./x), a pattern with ... or an import path with a slash. Baseline names
// have no slashes; an argument that leaves the module (../x, /x) is taken
// as a name, and refused as one.
func looksLikePackage(arg string) bool {
	if strings.HasPrefix(arg, "..") || strings.HasPrefix(arg, "/") {
		return strings.HasPrefix(arg, "...")
	}
	return arg == "." || strings.Contains(arg, "/") || strings.Contains(arg, "...")
}
