package checks

import "github.com/perfctl/perfctl/lint"

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
