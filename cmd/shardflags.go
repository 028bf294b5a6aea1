package cmd

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/shard"
)

// shardFlags are --shard and --shard-weights, of the commands that run
// benchmarks for a CI matrix: bench, baseline save, compare and check.
type shardFlags struct {
	shard, weights string
}

const shardUsage = "run only shard `I/N` of the benchmarks (e.g. 2/3), as perfctl shard plan splits them; perfctl merge joins the shards' outputs"

func addShardFlags(fs *pflag.FlagSet) *shardFlags {
	s := &shardFlags{}
	fs.StringVar(&s.shard, "shard", "", shardUsage)
	fs.StringVar(&s.weights, "shard-weights", "", "balance the shards by the times stored in baseline `NAME` (default: the baseline compared against, else every benchmark counts the same)")
	return s
}

// request is the shard the flags ask for; nil when --shard is not given.
func (s *shardFlags) request() (*compare.ShardRequest, error) {
	if s == nil || s.shard == "" {
		if s != nil && s.weights != "" {
			return nil, flagErrorf("--shard-weights balances the shards of --shard I/N: give --shard too, or drop it")
		}
		return nil, nil
	}
	sel, err := shard.ParseSelector(s.shard)
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	if s.weights != "" {
		if err := nameFlagError(s.weights); err != nil {
			return nil, err
		}
	}
	return &compare.ShardRequest{Selector: sel, Weights: s.weights}, nil
}

// selectShard plans the packages of spec and returns the selection of the
// shard req asks for (nil for none).
func selectShard(ctx context.Context, exec run.Runner, spec *bench.Spec, req *compare.ShardRequest) (*bench.Selection, error) {
	if req == nil {
		return nil, nil
	}
	if len(spec.Modules) > 0 {
		return nil, flagErrorf("--shard plans the packages of one module; this run covers %d modules: shard with --all-modules=false in each module", len(spec.Modules))
	}
	env := &compare.Env{Dir: spec.Dir, Exec: exec}
	p, err := compare.PlanFor(ctx, env, &compare.Reference{}, spec, req.Total, req.Weights, nil)
	if err != nil {
		return nil, err
	}
	return p.Selection(req.Selector), nil
}
