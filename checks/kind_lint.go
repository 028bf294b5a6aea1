package checks

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	// EnableChecks and DisableChecks turn single checks of gocritic and
	// staticcheck on and off (hugeParam, SA6002).
	EnableChecks  []string `yaml:"enable_checks"`
	DisableChecks []string `yaml:"disable_checks"`
	// ReportExportedAPI keeps hugeParam findings on exported API.
	ReportExportedAPI bool `yaml:"report_exported_api"`
	// NewFromRev and NewFromMergeBase report only the findings in code
	// changed since a revision, or since the merge base with a branch.
	NewFromRev       string `yaml:"new_from_rev"`
	NewFromMergeBase string `yaml:"new_from_merge_base"`

	profile lint.Profile
}

func (c *lintCheck) validate() error {
	c.profile = lint.DefaultProfile()
	if err := c.profile.Enable(c.Enable...); err != nil {
		return err
	}
	c.profile.Disable(c.Disable...)
	for _, n := range c.DisableChecks {
		if slices.Contains(c.EnableChecks, n) {
			return fmt.Errorf("check %q is in both enable_checks and disable_checks", n)
		}
	}
	if err := c.profile.DisableChecks(c.DisableChecks...); err != nil {
		return fmt.Errorf("disable_checks: %w", err)
	}
	if err := c.profile.EnableChecks(c.EnableChecks...); err != nil {
		return fmt.Errorf("enable_checks: %w", err)
	}
	c.profile.ReportExportedAPI = c.ReportExportedAPI
	if c.NewFromRev != "" && c.NewFromMergeBase != "" {
		return errors.New("give new_from_rev or new_from_merge_base, not both")
	}
	for name, rev := range map[string]string{"new_from_rev": c.NewFromRev, "new_from_merge_base": c.NewFromMergeBase} {
		if strings.HasPrefix(rev, "-") {
			return fmt.Errorf("%s: %q starts with '-': give a commit, tag or branch", name, rev)
		}
	}
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
	res, err := lint.Run(ctx, ws.Exec, bin, &lint.Options{Dir: ws.Dir, Packages: c.Packages, Profile: c.profile, Tags: ws.Tags,
		NewFromRev: c.NewFromRev, NewFromMergeBase: c.NewFromMergeBase})
	if err != nil {
		return lintError(err)
	}
	scope := ""
	switch {
	case c.NewFromRev != "":
		scope = " in code changed since " + c.NewFromRev
	case c.NewFromMergeBase != "":
		scope = " in code changed since the merge base with " + c.NewFromMergeBase
	}
	var r Result
	if len(res.Findings) == 0 {
		r = pass(fmt.Sprintf("golangci-lint %s: %d performance linters, no findings%s", version, len(c.profile.Linters), scope))
	} else {
		r = fail(fmt.Sprintf("golangci-lint %s: %s%s", version, english.Plural(len(res.Findings), "finding", "findings"), scope))
	}
	for _, f := range res.Findings {
		r.Findings = append(r.Findings, Finding{File: f.File, Line: f.Line, Column: f.Column, Rule: f.Linter, Message: f.Message})
		r.Details = append(r.Details, fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Linter))
	}
	if s := lint.FilteredSummary(res.Filtered); s != "" {
		r.Message += " (" + english.Plural(lint.FilteredCount(res.Filtered), "more was", "more were") + " filtered)"
		if lint.FilteredFor(res.Filtered, lint.ReasonExportedAPI) {
			s += " (report_exported_api: true keeps those on exported API)"
		}
		r.Details = append(r.Details, s)
	}
	if res.FilterError != "" {
		r.Details = append(r.Details, "not every finding could be classified: "+res.FilterError)
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
