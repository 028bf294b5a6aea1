package checks

import (
	"context"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/worktree"
	"github.com/perfctl/perfctl/lint"
)

// LintProfile returns the lint profile of the policy's first check of kind
// lint, with its parameters applied, or nil when the policy has none.
func (p *Policy) LintProfile() *lint.Profile {
	for _, c := range p.Checks {
		if l, ok := c.eval.(*lintCheck); ok {
			profile := l.profile
			return &profile
		}
	}
	return nil
}

// LintNewFrom makes every lint check of the policy report only the
// findings in code changed since rev, or since the merge base of HEAD and
// branch (perfctl check --new-from-rev, --new-from-merge-base), in place
// of their new_from_rev and new_from_merge_base params. The revision must
// resolve in the repository at dir: an unknown one is an error, never
// ignored. It returns how many lint checks the policy has.
func (p *Policy) LintNewFrom(ctx context.Context, r run.Runner, dir, rev, branch string) (int, error) {
	if rev == "" && branch == "" {
		return 0, nil
	}
	var err error
	if rev != "" {
		_, err = worktree.Resolve(ctx, r, dir, rev)
	} else {
		_, err = worktree.MergeBase(ctx, r, dir, branch)
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range p.Checks {
		if l, ok := c.eval.(*lintCheck); ok {
			l.NewFromRev, l.NewFromMergeBase = rev, branch
			n++
		}
	}
	return n, nil
}
