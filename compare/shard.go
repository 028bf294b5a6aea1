package compare

import (
	"context"
	"fmt"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/shard"
)

// ShardRequest asks for one shard of a plan (--shard I/N).
type ShardRequest struct {
	shard.Selector
	// Weights names the stored baseline whose times balance the plan
	// (--shard-weights); "" takes the baseline compared against, if any,
	// else every benchmark counts the same.
	Weights string
}

// PlanFor makes the plan of the packages spec selects in spec.Dir (for
// all the jobs of a matrix alike): balanced by the times of stored, the
// baseline named by weights, when one of them is given.
func PlanFor(ctx context.Context, env *Env, ref *Reference, spec *bench.Spec, n int, weights string, stored *bench.ResultSet) (*shard.Plan, error) {
	patterns := spec.Packages
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	pkgs, err := bench.FindPackages(ctx, env.Exec, spec.Dir, patterns, spec.Tags)
	if err != nil {
		return nil, err
	}
	pattern := spec.Bench
	if pattern == "" {
		pattern = "."
	}
	pkgs = bench.ForBench(pkgs, pattern)
	for i := range pkgs {
		pkgs[i].BenchNames = pkgs[i].Matching(pattern)
	}
	var w *shard.Weights
	name := weights
	if name != "" {
		r := *ref
		r.Baseline = name
		if stored, err = LoadBaseline(env.Dir, &r); err != nil {
			return nil, err
		}
	} else if stored != nil {
		name = ref.Baseline
	}
	if stored != nil {
		w = shard.WeightsFrom(stored, "baseline "+name, spec.Benchtime)
	}
	return shard.New(pkgs, n, w, !bench.CanNarrow(pattern)), nil
}

// selection is the harness's selection of a sharded request (nil when it
// is not sharded), planned over the packages of spec.
func selection(ctx context.Context, env *Env, req *Request, spec *bench.Spec, stored *bench.ResultSet) (*bench.Selection, error) {
	if req.Shard == nil {
		return nil, nil
	}
	if len(spec.Modules) > 0 {
		return nil, usage("--shard plans the packages of one module; this run covers %d modules: shard with --all-modules=false in each module", len(spec.Modules))
	}
	p, err := PlanFor(ctx, env, &req.Ref, spec, req.Shard.Total, req.Shard.Weights, stored)
	if err != nil {
		return nil, err
	}
	if len(p.Shards[req.Shard.Index-1].Parts) == 0 {
		return nil, &emptyShard{plan: p.Hash}
	}
	return p.Selection(req.Shard.Selector), nil
}

// emptyShard is a shard the plan gives nothing: more shards than packages.
// Its comparison is empty, so that a CI matrix of a fixed size still
// merges.
type emptyShard struct{ plan string }

func (e *emptyShard) Error() string { return "the plan " + e.plan + " gives this shard nothing" }

// emptyComparison is the comparison of a shard with nothing to run: no
// rows, a warning, the shard's identity.
func emptyComparison(req *Request, e *emptyShard) *bench.Comparison {
	method := bench.MethodUnpaired
	if req.Ref.Mode() == Revision || req.Ref.RerunBase {
		method = bench.MethodPaired
	}
	return &bench.Comparison{Alpha: req.Stats.Alpha, Confidence: req.Stats.Confidence, Method: method, Correction: req.Stats.Correction,
		Warnings: []string{fmt.Sprintf("shard %s has nothing to run: the plan (%s) has fewer packages than shards", req.Shard.Selector, e.plan)},
		Shard:    &bench.ShardInfo{Index: req.Shard.Index, Total: req.Shard.Total, Plan: e.plan}}
}

// labelShard records the shard identity of a sharded comparison in c.
func labelShard(c *bench.Comparison, sel *bench.Selection, base, head *bench.ResultSet, truncated bool) error {
	if sel == nil {
		return nil
	}
	info, err := bench.NewShardInfo(sel, base, head, truncated)
	c.Shard = info
	return err
}
