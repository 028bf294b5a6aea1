package checks

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/checks/buildfiles"
)

var ciKind = &Kind{
	Name:    "ci",
	Summary: "the CI configuration runs the performance checks (perf), compares with a reference (regression) or publishes results (report)",
	New:     func() Evaluator { return &ciCheck{} },
}

// defaultCIFiles are the CI configurations searched when files is not given.
var defaultCIFiles = buildfiles.CIGlobs()

// What a ci check can require.
const (
	ciPerf       = "perf"
	ciRegression = "regression"
	ciReport     = "report"
)

// ciCheck passes when what CI runs (its configuration, with the make
// targets, just recipes, tasks and scripts it runs, one level deep: see
// buildfiles.ReadCI) does what Require asks.
type ciCheck struct {
	Files   []string `yaml:"files"`   // globs of the CI configuration (default defaultCIFiles)
	Require string   `yaml:"require"` // perf (default), regression or report
}

func (c *ciCheck) validate() error {
	if err := validateGlobs("files", c.Files); err != nil {
		return err
	}
	switch c.Require {
	case "", ciPerf, ciRegression, ciReport:
		return nil
	}
	return fmt.Errorf("require: %q: use perf, regression or report", c.Require)
}

// What the commands CI runs are searched for.
var (
	// perfctl with a subcommand; also ./bin/perfctl, go tool perfctl and
	// go run …/perfctl@v1. Group 1 is the subcommand, 2 what follows.
	ciPerfctlCmd = regexp.MustCompile(`(?:^|[\s/'"(=])perfctl(?:@\S+)?(?:\s+-\S+)*\s+(check|lint|bench|compare)\b(.*)`)
	// the perfctl GitHub action
	ciPerfctlAction = regexp.MustCompile(`^[\w.-]+/[\w.-]*perfctl[\w./-]*@`)
	// go test with -bench (not just -benchmem or -benchtime)
	ciGoBench = regexp.MustCompile(`\bgo\s+test\b.*\s-{1,2}(?:test\.)?bench(?:[=\s]|$)`)
	// golangci-lint run
	ciGolangciLint = regexp.MustCompile(`(?:^|[\s/'"(=])golangci-lint(?:@\S+)?(?:\s+-\S+)*\s+run\b`)
	// a comparison flag of perfctl check/compare
	ciReferenceFlag = regexp.MustCompile(`(?:^|\s)--(baseline|base-ref|merge-base)(?:[=\s]|$)`)
	// benchstat with arguments
	ciBenchstat = regexp.MustCompile(`(?:^|[\s/'"(=])benchstat(?:@\S+)?\s+[^\s&|;]`)
	// a report format of perfctl
	ciReportFormat = regexp.MustCompile(`(?:^|\s)--(?:format[=\s]+|report[=\s]+['"]?)['"]?(markdown|md|junit|sarif|codequality)\b`)
	// publishing tools
	ciPublisher = regexp.MustCompile(`(?:^|[\s/'"(=])gobenchdata\b`)
)

// Actions that do what the ci check looks for.
const (
	ciGolangciLintAction = "golangci/golangci-lint-action@"
	ciBenchmarkAction    = "benchmark-action/github-action-benchmark@"
)

// perfctlValueFlags are the flags of perfctl compare that take a value.
var perfctlValueFlags = []string{"--alpha", "--threshold", "--filter", "--format", "--baseline", "--baseline-dir",
	"--head", "--base-ref", "--merge-base", "--max-time", "--bench", "--count", "--benchtime", "--cpu", "--tags", "--timeout"}

// A ciHit is something found in what CI runs.
type ciHit struct {
	what string // e.g. "perfctl check"
	cmd  *buildfiles.Command
}

func (h *ciHit) String() string { return fmt.Sprintf("%s at %s", h.what, h.cmd.Where()) }

func (c *ciCheck) Evaluate(_ context.Context, ws *Workspace) Result {
	globs := c.Files
	if len(globs) == 0 {
		globs = defaultCIFiles
	}
	ciFiles, ci, err := ws.readCI(globs)
	if err != nil {
		return errResult(err.Error())
	}
	if len(ciFiles) == 0 {
		return fail(fmt.Sprintf("no CI configuration found (looked for %s)", strings.Join(globs, ", ")))
	}
	var hits ciHits
	for i := range ci.Configs {
		hits.scan(ci.Configs[i].Commands)
	}
	searched := append(slices.Clone(ciFiles), ci.Followed...)
	where := "searched " + strings.Join(limitList(searched, 4), ", ")
	details := slices.Clone(ci.Notes)
	if len(searched) > 4 {
		// The message names the first few; the details all of them.
		details = append([]string{"searched: " + strings.Join(searched, ", ")}, details...)
	}
	switch c.Require {
	case ciRegression:
		if hits.reference != nil {
			return pass("CI compares benchmarks with a reference: " + hits.reference.String())
		}
		return fail("CI does not compare benchmarks with a reference (perfctl check or compare with --baseline, --base-ref or --merge-base; perfctl compare BASE HEAD; benchstat); "+where, details...)
	case ciReport:
		if hits.report != nil {
			return pass("CI publishes performance results: " + hits.report.String())
		}
		return fail("CI does not publish performance results (perfctl with --format or --report markdown, junit or sarif; perfctl check in GitHub Actions; $GITHUB_STEP_SUMMARY with perfctl or benchstat; github-action-benchmark; gobenchdata); "+where, details...)
	}
	switch {
	case hits.perfctl != nil:
		return pass("CI runs " + hits.perfctl.String())
	case hits.bench != nil && hits.lint != nil:
		return pass(fmt.Sprintf("CI runs benchmarks (%s) and golangci-lint (%s)", hits.bench.cmd.Where(), hits.lint.cmd.Where()))
	case hits.lint != nil:
		return fail(fmt.Sprintf("CI runs golangci-lint (%s) but no benchmarks (perfctl bench or check, or go test -bench); %s", hits.lint.cmd.Where(), where), details...)
	case hits.bench != nil:
		return fail(fmt.Sprintf("CI runs benchmarks (%s) but not golangci-lint (perfctl lint or check, golangci-lint run, or golangci-lint-action); %s", hits.bench.cmd.Where(), where), details...)
	}
	return fail("CI runs neither perfctl (check, lint, bench or compare) nor both benchmarks (go test -bench) and golangci-lint; "+where, details...)
}

// ciHits are the first commands found for each thing a ci check looks for.
type ciHits struct {
	perfctl, bench, lint, reference, report *ciHit
}

func setHit(h **ciHit, what string, c *buildfiles.Command) {
	if *h == nil {
		*h = &ciHit{what, c}
	}
}

// scan looks at the commands of one CI configuration and what it runs.
func (h *ciHits) scan(cmds []buildfiles.Command) {
	var summary *buildfiles.Command
	publishes := false // perfctl or benchstat runs in this configuration
	for i := range cmds {
		c := &cmds[i]
		if c.Uses != "" {
			publishes = h.action(c) || publishes
			continue
		}
		text := c.String()
		publishes = h.perfctlCommand(c, text) || publishes
		if ciGoBench.MatchString(text) {
			setHit(&h.bench, "go test -bench", c)
		}
		if ciGolangciLint.MatchString(text) {
			setHit(&h.lint, "golangci-lint", c)
		}
		if ciBenchstat.MatchString(text) {
			setHit(&h.reference, "benchstat", c)
			publishes = true
		}
		if ciPublisher.MatchString(text) {
			setHit(&h.report, "gobenchdata", c)
		}
		if summary == nil && writesStepSummary(c) {
			summary = c
		}
	}
	if summary != nil && publishes {
		setHit(&h.report, "$GITHUB_STEP_SUMMARY", summary)
	}
}

// perfctlCommand looks at text, the command line of c, for perfctl, and
// reports whether it runs it.
func (h *ciHits) perfctlCommand(c *buildfiles.Command, text string) bool {
	m := ciPerfctlCmd.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	sub, rest := m[1], m[2]
	setHit(&h.perfctl, "perfctl "+sub, c)
	if sub == "check" || sub == "compare" {
		if f := ciReferenceFlag.FindStringSubmatch(rest); f != nil {
			setHit(&h.reference, fmt.Sprintf("perfctl %s --%s", sub, f[1]), c)
		} else if sub == "compare" && positionalArgs(rest) >= 2 {
			setHit(&h.reference, "perfctl compare BASE HEAD", c)
		}
	}
	if f := ciReportFormat.FindStringSubmatch(rest); f != nil {
		setHit(&h.report, "perfctl "+sub+" with a "+f[1]+" report", c)
	} else if sub == "check" && inGitHubActions(c) {
		// check appends its Markdown report to the job summary.
		setHit(&h.report, "perfctl check in GitHub Actions (job summary)", c)
	}
	return true
}

// action looks at a step that uses an action, and reports whether it
// runs perfctl.
func (h *ciHits) action(c *buildfiles.Command) bool {
	switch {
	case strings.HasPrefix(c.Uses, ciGolangciLintAction):
		setHit(&h.lint, "golangci-lint", c)
	case strings.HasPrefix(c.Uses, ciBenchmarkAction):
		setHit(&h.report, strings.TrimSuffix(ciBenchmarkAction, "@"), c)
	}
	if !ciPerfctlAction.MatchString(c.Uses) {
		return false
	}
	setHit(&h.perfctl, "the perfctl action", c)
	if inGitHubActions(c) {
		setHit(&h.report, "the perfctl action (perfctl check writes the job summary)", c)
	}
	// The action runs 'perfctl <command> <args>': read its inputs as a
	// command line, where args is.
	command := "check"
	for _, in := range c.With {
		if in.Name == "command" {
			command = in.Value
		}
	}
	for _, in := range c.With {
		if in.Name == "args" {
			h.perfctlCommand(&buildfiles.Command{Pos: in.Pos, Via: c.Via}, "perfctl "+command+" "+in.Value)
		}
	}
	return true
}

// inGitHubActions reports whether c is in a GitHub Actions workflow.
func inGitHubActions(c *buildfiles.Command) bool {
	return strings.HasPrefix(c.File, ".github/workflows/")
}

// writesStepSummary reports whether c mentions the GitHub step summary.
func writesStepSummary(c *buildfiles.Command) bool {
	for _, w := range slices.Concat(c.Env, c.Args, c.Redirs) {
		if strings.Contains(w, "GITHUB_STEP_SUMMARY") {
			return true
		}
	}
	return false
}

// positionalArgs counts the arguments of a perfctl command line that are
// not flags or flag values.
func positionalArgs(rest string) int {
	n := 0
	words := strings.Fields(rest)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--":
			return n + len(words) - i - 1
		case strings.HasPrefix(w, "-"):
			if !strings.Contains(w, "=") && slices.Contains(perfctlValueFlags, w) {
				i++
			}
		case w == ">" || w == ">>" || w == "2>" || w == "<":
			i++
		case strings.ContainsAny(w, "<>"):
		default:
			n++
		}
	}
	return n
}
