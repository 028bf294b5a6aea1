package run

import (
	"context"
	"slices"
)

// WithEnv returns a Runner that runs every command through r with env
// (KEY=VALUE) added to its environment, ahead of the command's own: the
// environment the services of a run export to the benchmarks.
func WithEnv(r Runner, env []string) Runner {
	if len(env) == 0 {
		return r
	}
	return &envRunner{r: r, env: slices.Clone(env)}
}

type envRunner struct {
	r   Runner
	env []string
}

func (e *envRunner) Run(ctx context.Context, c *Cmd) error {
	cc := *c
	cc.Env = slices.Concat(e.env, c.Env)
	return e.r.Run(ctx, &cc)
}
