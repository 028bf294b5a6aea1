package checks

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/lint"
)

var lintKind = &Kind{
	PerModule: true,
	Name:      "lint",
	Summary:   "golangci-lint v2 with perfctl's performance linters reports nothing (as 'perfctl lint')",
	New:       func() Evaluator { return &lintCheck{} },
}

// lintCheck runs the performance lint profile.
type lintCheck struct {
	Packages []string `yaml:"packages"` // default ./...
	Enable   []string `yaml:"enable"`   // more linters
	Disable  []string `yaml:"disable"`  // linters of the profile to leave out
	Set      []string `yaml:"set"`      // LINTER.KEY=YAML settings
	Exclude  []string `yaml:"exclude"`  // path regexps whose findings are dropped
	Tests    bool     `yaml:"tests"`    // lint _test.go files too

	profile lint.Profile
}

func (c *lintCheck) validate() error {
	c.profile = lint.DefaultProfile()
	if err := c.profile.Enable(c.Enable...); err != nil {
		return err
	}
	c.profile.Disable(c.Disable...)
	for _, e := range c.Exclude {
		if _, err := regexp.Compile(e); err != nil {
			return fmt.Errorf("exclude: %q is not a regular expression: %w", e, err)
		}
	}
	for _, s := range c.Set {
		if err := c.profile.Set(s); err != nil {
			return fmt.Errorf("set: %w", err)
		}
	}
	c.profile.ExcludePaths = c.Exclude
	c.profile.Tests = c.Tests
	if len(c.profile.Linters) == 0 {
		return errors.New("disable leaves no linter to run")
	}
	return nil
}

func (c *lintCheck) Evaluate(ctx context.Context, ws *Workspace) Result {
	bin, version, err := lint.Locate(ctx, ws.Exec, ws.GolangciLint)
	if err != nil {
		return describedResult(err, Error)
	}
	res, err := lint.Run(ctx, ws.Exec, bin, &lint.Options{Dir: ws.Dir, Packages: c.Packages, Profile: c.profile, Tags: ws.Tags})
	if err != nil {
		return lintError(err)
	}
	if len(res.Findings) == 0 {
		return pass(fmt.Sprintf("golangci-lint %s: %d performance linters, no findings", version, len(c.profile.Linters)))
	}
	r := fail(fmt.Sprintf("golangci-lint %s: %s", version, english.Plural(len(res.Findings), "finding", "findings")))
	for _, f := range res.Findings {
		r.Findings = append(r.Findings, Finding{File: f.File, Line: f.Line, Column: f.Column, Rule: f.Linter, Message: f.Message})
		r.Details = append(r.Details, fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Linter))
	}
	return r
}

// lintError turns lint's errors into an error result that says what to do.
func lintError(err error) Result {
	var ce *lint.CompileError
	if !errors.As(err, &ce) {
		return describedResult(err, Error)
	}
	r := errResult("the code does not compile, so it cannot be linted")
	for _, f := range ce.Findings {
		r.Details = append(r.Details, fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Column, firstLine(f.Message)))
	}
	return r
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
