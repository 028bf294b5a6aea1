package cmd

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/report"
	"github.com/perfctl/perfctl/shard"
)

// ShardPlanOptions are the inputs of `perfctl shard plan`.
type ShardPlanOptions struct {
	IO          *iostreams.IOStreams
	Exec        run.Runner
	Dir         string
	Spec        bench.Spec // Packages, Bench, Tags, Benchtime; Dir is Dir
	Shards      int
	Weights     string // baseline name, or ""
	BaselineDir string
	Format      report.Format
}

// NewCmdShard returns `perfctl shard` and its subcommand plan.
func NewCmdShard(f *Factory, runF func(context.Context, *ShardPlanOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "shard <command>",
		Short: "Split the benchmarks across the jobs of a CI matrix (see --shard I/N)",
	}
	opts := &ShardPlanOptions{IO: f.IOStreams, Exec: f.Exec}
	var format string
	plan := &cobra.Command{
		Use:   "plan --shards N [flags] [PACKAGES...]",
		Short: "Show how --shard I/N splits the benchmarks: each shard's packages and expected time",
		Long: `Show the plan that perfctl bench, baseline save, compare and check follow with
--shard I/N: the packages with benchmarks (default ./...) in N shards, every
package in exactly one, balanced by expected time. The times come from the
baseline --shard-weights NAME (one round of each benchmark: at least the
benchtime, or one op when that is longer); without it every benchmark counts
the same. A package heavier than a shard's share is split by benchmark: each
part runs with a -bench pattern of its exact names. The plan is deterministic:
every job of a matrix computes the same one from the same checkout, and its
hash (shard-plan) is in every shard's output, for perfctl merge.`,
		Example: `  perfctl shard plan --shards 3
  perfctl shard plan --shards 4 --shard-weights main --benchtime 50ms --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = f.Dir
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocShardPlan)...); err != nil {
				return err
			}
			if opts.Shards < 1 || opts.Shards > shard.MaxShards {
				return flagErrorf("--shards %d: give the number of jobs, from 1 to %d", opts.Shards, shard.MaxShards)
			}
			if opts.Weights != "" {
				if err := nameFlagError(opts.Weights); err != nil {
					return err
				}
			}
			opts.Spec.Packages, opts.Spec.Dir = args, f.Dir
			if err := opts.Spec.Validate(); err != nil {
				return &FlagError{Err: err}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return shardPlanRun(cmd.Context(), opts)
		},
	}
	fl := plan.Flags()
	fl.IntVar(&opts.Shards, "shards", 0, "the number of shards `N` (jobs of the matrix)")
	fl.StringVar(&opts.Weights, "shard-weights", "", "balance by the times stored in baseline `NAME`")
	fl.StringVar(&opts.BaselineDir, "baseline-dir", "", "directory of the baselines (default .perfctl/baselines at the module root)")
	fl.StringVar(&opts.Spec.Bench, "bench", ".", "plan only benchmarks matching `REGEX`, as the sharded runs will select them")
	fl.StringVar(&opts.Spec.Tags, "tags", "", "comma-separated build `TAGS`")
	fl.StringVar(&opts.Spec.Benchtime, "benchtime", "", "the benchtime the sharded runs use, for the expected times (default go's 1s)")
	fl.StringVar(&format, "format", string(report.Text), formatUsage(report.DocShardPlan))
	_ = plan.MarkFlagRequired("shards")
	cmd.AddCommand(plan)
	return cmd
}

func shardPlanRun(ctx context.Context, opts *ShardPlanOptions) error {
	env := &compare.Env{Dir: opts.Dir, Exec: opts.Exec}
	p, err := compare.PlanFor(ctx, env, &compare.Reference{BaselineDir: opts.BaselineDir}, &opts.Spec, opts.Shards, opts.Weights, nil)
	if err != nil {
		return err
	}
	return render(opts.IO, func(w io.Writer, _ report.Options) error { return report.RenderShardPlan(w, opts.Format, p) })
}
