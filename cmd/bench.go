package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/progress"
	"github.com/perfctl/perfctl/internal/run"
)

// BenchOptions are the inputs of `perfctl bench`.
type BenchOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner
	Version string
	Spec    bench.Spec // Dir is where perfctl runs (-C)
	Out     string     // "" for stdout; relative to Spec.Dir
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

// NewCmdBench returns `perfctl bench`.
func NewCmdBench(f *Factory, runF func(context.Context, *BenchOptions) error) *cobra.Command {
	opts := &BenchOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version()}
	var flags *benchFlags
	var withHistory bool
	var shards *shardFlags
	cmd := &cobra.Command{
		Use:   "bench [flags] [PACKAGES...]",
		Short: "Run the benchmarks and write their results (benchfmt)",
		Long: `Build the test binaries of the packages (default ./...) once and run their
benchmarks --count rounds, every benchmark once per round, always reporting
allocations. Packages without benchmarks are skipped without running their tests.

The output is go test -bench text that benchstat and perfctl compare read,
headed by configuration lines that say where it comes from: commit, branch,
dirty, go, goos, goarch, cpu, gomaxprocs, recorded-at, perfctl, and the
perfctl-* flags used. Progress goes to stderr. A benchmark that fails or
panics, a package that does not compile, or a pattern that matches nothing is
an error (exit 2), and no result file is written.

With --all-modules (the default in a go.work workspace) each module's ./...
runs, the modules go.work uses or those nested under this one, into one file:
a perfctl-module line ahead of each module's results names it. When there is
more than one module, a line on stderr says which are covered.

With --history the results are also recorded for HEAD in the history store, as
perfctl history add does; outside a git repository perfctl refuses before
running anything.

With --shard I/N only the I-th of N shards of the benchmarks runs (see perfctl
shard plan), with shard: and shard-plan: lines in the header; perfctl merge
joins the shards' files into one.`,
		Example: `  perfctl bench --out new.txt
  perfctl bench --bench '^BenchmarkParse' --count 6 --benchtime 100ms ./parser/...
  perfctl bench --history --out new.txt && perfctl history push origin`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Spec, err = flags.Spec(args); err != nil {
				return err
			}
			opts.Spec.Dir = f.Dir
			if err := opts.Modules.settle(cmd.Flags(), args); err != nil {
				return err
			}
			if opts.Shard, err = shards.request(); err != nil {
				return err
			}
			if opts.Out != "" {
				if err := checkOutput("--out "+opts.Out, f.Dir, opts.Out); err != nil {
					return err
				}
			}
			if withHistory {
				opts.History = newHistoryStore(f.Exec, f.Dir)
			}
			settleAllowCommands(cmd, f, &opts.AllowCommands)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return benchRun(cmd.Context(), opts)
		},
	}
	flags = addBenchFlags(cmd.Flags())
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the results to `FILE` instead of stdout (written only on success)")
	cmd.Flags().BoolVar(&withHistory, "history", false, historyUsage)
	opts.Modules = addModulesFlag(cmd.Flags())
	shards = addShardFlags(cmd.Flags())
	addAllowCommands(cmd, &opts.AllowCommands)
	return cmd
}

func benchRun(ctx context.Context, opts *BenchOptions) error {
	var commit string
	if opts.History != nil {
		var err error
		if commit, err = historyTarget(ctx, opts.History, "HEAD"); err != nil {
			return err
		}
	}
	res, err := runBenchmarks(ctx, opts.IO, opts.Exec, opts.Version, &opts.Spec, opts.Modules, opts.Shard, opts.AllowCommands)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err = opts.IO.Out.Write(res.Text)
	} else {
		err = atomicfile.WriteFile(resolve(opts.Spec.Dir, opts.Out), res.Text, 0o644)
	}
	if err != nil || opts.History == nil {
		return err
	}
	return recordHistory(ctx, opts.IO, opts.History, commit, res.Text, "the benchmark run")
}

// runBenchmarks runs spec (in spec.Dir, a directory of a module, or in
// each module mods covers) with progress on stderr: shard sh of it when
// sh is set; with the policy's services running when it has any (trusted:
// the operator allowed them).
func runBenchmarks(ctx context.Context, ios *iostreams.IOStreams, exec run.Runner, version string, spec *bench.Spec, mods *modulesFlag, sh *compare.ShardRequest, trusted bool) (*bench.Results, error) {
	layout, covered, err := mods.cover(ios.ErrOut, spec.Dir, spec.Packages)
	if err != nil {
		return nil, err
	}
	svcs, err := moduleServices(ctx, ios.ErrOut, exec, spec.Dir, layout, covered, trusted)
	if err != nil {
		return nil, err
	}
	defer svcs.Stop()
	exec = run.WithEnv(exec, svcs.Env())
	if severalModules(layout, covered) {
		if err := bench.ValidateModules(covered); err != nil {
			return nil, err
		}
		spec.Modules = covered
	}
	sel, err := selectShard(ctx, exec, spec, sh)
	if err != nil {
		return nil, err
	}
	h := &bench.Harness{Exec: exec, Progress: progress.New(ios.ErrOut, ios.IsStderrTTY()), Select: sel}
	return h.Measure(ctx, spec, version)
}
