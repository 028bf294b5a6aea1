package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/load"
)

var loadKind = &Kind{
	Name:     "load",
	Summary:  "runs the policy's load: section (the service under load, budgets such as p(95) < 200ms and rate(errors) < 1%); skipped without one",
	Measures: true,
	New:      func() Evaluator { return &loadCheck{} },
}

// loadCheck runs the load test of the policy's load: section. It has no
// parameters of its own: the section is the test, so that perfctl load and
// perfctl check run the same one.
type loadCheck struct {
	spec *load.Spec // the policy's load: section, or nil
}

// attachLoad gives the policy's load checks its load: section.
func (p *Policy) attachLoad() {
	for _, c := range p.Checks {
		if lc, ok := c.eval.(*loadCheck); ok {
			lc.spec = p.Load
		}
	}
}

func (c *loadCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	if c.spec == nil {
		return skip("no load: section in the policy: add one to run a load test with budgets (docs/load.md)")
	}
	if len(c.spec.Service.Command) > 0 && !ws.TrustCommands {
		return errResult(fmt.Sprintf("the load test's service `%s` was not run: it comes with the repository, which a pull request can change", strings.Join(c.spec.Service.Command, " ")),
			"hint: where the policy is trusted, pass --allow-commands (or set PERFCTL_ALLOW_COMMANDS=1); on pull requests, read the base branch's policy with --policy-ref origin/main, or build the service from the module (service: {build: ./cmd/server})")
	}
	rep, err := load.Run(ctx, &load.Request{Spec: *c.spec, Root: ws.Dir, Runner: ws.Exec})
	if err != nil {
		var ue *usererr.Error
		if errors.As(err, &ue) {
			details := append([]string(nil), ue.Details...)
			if ue.Hint != "" {
				details = append(details, "hint: "+ue.Hint)
			}
			return errResult(ue.Msg, details...)
		}
		return errResult(err.Error())
	}
	var over, unmeasured, details []string
	for i := range rep.Budgets {
		b := &rep.Budgets[i]
		line := b.Target + ": " + b.Message
		switch b.Status {
		case load.Fail:
			over = append(over, line)
		case load.Error:
			unmeasured = append(unmeasured, line)
		default:
			details = append(details, line)
		}
	}
	budgets, targets := english.Plural(len(rep.Budgets), "budget", "budgets"), english.Plural(len(rep.Targets), "target", "targets")
	summary := fmt.Sprintf("%d of %s over", len(over), budgets)
	switch {
	case len(unmeasured) > 0:
		return errResult(fmt.Sprintf("%d of %s could not be measured", len(unmeasured), budgets), append(unmeasured, over...)...)
	case len(over) > 0:
		return fail(summary+": "+over[0], append(over[1:], details...)...)
	case len(rep.Budgets) == 0:
		return pass(fmt.Sprintf("the load test ran (%s); it has no budgets", targets))
	}
	return Result{Status: Pass, Message: fmt.Sprintf("%s met on %s", budgets, targets), Details: details}
}
