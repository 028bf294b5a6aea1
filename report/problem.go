package report

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/lint"
)

// Level is how much a Problem matters.
type Level int

// The levels of a problem, most serious first.
const (
	// LevelError is a problem that decides the verdict: a MUST failure
	// (a SHOULD one with --strict), a regression, a lint finding.
	LevelError Level = iota
	// LevelWarning is a SHOULD problem that does not decide the verdict.
	LevelWarning
	// LevelNote is a MAY problem.
	LevelNote
)

// Problem is one thing perfctl reports as wrong, located in the code or
// not: a finding of a check (a lint finding, an sql-pool violation), a
// check that failed as a whole (a regression, missing docs), or a finding
// of 'perfctl lint'. CheckProblems and LintProblems build them; the SARIF,
// Code Quality and GitHub annotation formats only encode them, each in its
// own words (a SARIF level, a Code Quality severity, a workflow command).
type Problem struct {
	Level Level
	// File is where the problem is, slash-separated: relative to the
	// repository root for a check report (see RepoPaths), as
	// golangci-lint gives it for 'perfctl lint'. It is "" for a check
	// that failed as a whole when its policy is no file of the module.
	File string
	// Line and Col are the place in File, from 1; 0 when unknown.
	Line, Col int
	// Rule is the rule the finding breaks, as it names it: a linter
	// (prealloc), a check kind (sql-pool); "" when it names none and for
	// a check as a whole.
	Rule string
	// Title says in a few words what the problem is: "perfctl CHECK-ID",
	// with the finding's rule when it says more than the check's kind
	// ("perfctl perf-lints-denied (prealloc)"); "perfctl lint (LINTER)"
	// for 'perfctl lint'.
	Title string
	// Message says what is wrong: the finding's message or, for a check as
	// a whole, what failed, up to ten detail lines and the fix hint, on
	// several lines.
	Message string

	// Check and Kind are the id and kind of the check the problem is of;
	// "" for 'perfctl lint'.
	Check, Kind string
	// RuleDescription describes the rule (Rule, or else Check) in one
	// line: why perfctl runs the linter, or the check's title.
	RuleDescription string
	// Whole marks a check that failed as a whole, without located
	// findings. Its Message has the check's measurements, which change
	// from one run to the next.
	Whole bool
	// Unevaluated marks a problem of a check that could not be
	// evaluated: the check's, not the code's.
	Unevaluated bool
	// Module is the module's go.mod, relative to the repository root:
	// where the formats that must place every problem (SARIF, Code
	// Quality) put one without File, at line 1.
	Module string
	// Key identifies a located problem whose Message has measurements
	// that change from one run to the next (a regression: its check,
	// package, benchmark and unit), so that the same problem is known
	// again (Code Quality's fingerprint); "" when Message identifies it.
	Key string
}

// RepoPaths say where the paths of a check report are, for the CI formats
// (SARIF, Code Quality, annotations) that want them relative to the
// repository root rather than to the module root.
type RepoPaths struct {
	// Prefix is the module root relative to the repository root,
	// slash-separated and ending in a slash ("services/api/"); "" when the
	// module is the repository (or its place is unknown).
	Prefix string
	// Policy is the policy file relative to the module root,
	// slash-separated; "" for the embedded default or a file outside the
	// module.
	Policy string
}

// file is the repository-relative path of f, a path relative to the module
// root.
func (p RepoPaths) file(f string) string {
	if p.Prefix == "" {
		return f
	}
	return path.Join(p.Prefix, f)
}

// policyLine is where o is defined: the policy file and its line, or ""
// when the policy is no file in the module.
func (p RepoPaths) policyLine(o *checks.Outcome) (string, int) {
	if p.Policy == "" || o.Line <= 0 {
		return "", 0
	}
	return p.file(p.Policy), o.Line
}

// CheckProblems returns the problems of r: one per located finding of a
// check that failed or could not be evaluated, at its file, line and
// column; one per regression of a regression check whose benchmark
// function is known (bench.Row.Source), at that function; and one per
// such check without located findings (or with regressions not located),
// at the check in the policy file when the policy is a file of the module,
// else with no File. paths make the paths relative to the repository root.
//
// The problems of the checks that this change caused (its regressions)
// come first, then those of the other checks, each in the order of the
// policy: the formats keep this order, so a pull request's own news is
// not lost behind the failures every pull request shares.
//
// A problem is LevelError when it decides the verdict, else LevelWarning
// for a SHOULD check and LevelNote for a MAY check.
func CheckProblems(r *checks.Report, paths RepoPaths) []Problem {
	var ps []Problem
	for _, o := range changeFirst(r) {
		if !problem(o) {
			continue
		}
		check := Problem{Level: checkLevel(r, o), Check: o.ID, Kind: o.Kind, RuleDescription: o.Title,
			Unevaluated: o.Status == checks.Error, Module: paths.file("go.mod")}
		regressions, all := regressionProblems(&check, o, paths)
		ps = append(ps, regressions...)
		located := len(regressions)
		if !all {
			located = 0 // the check as a whole says what was not located
		}
		for _, f := range o.Findings {
			if f.File == "" {
				continue
			}
			located++
			p := check
			p.File, p.Line, p.Col = filepath.ToSlash(paths.file(f.File)), f.Line, f.Column
			p.Rule, p.Title, p.Message = f.Rule, findingTitle(o, f), f.Message
			if o.Kind == "lint" && f.Rule != "" {
				p.RuleDescription = lintRuleDescription(f.Rule)
			}
			ps = append(ps, p)
		}
		if located == 0 {
			p := check
			p.File, p.Line = paths.policyLine(o)
			p.Title, p.Message, p.Whole = "perfctl "+o.ID, problemMessage(o), true
			ps = append(ps, p)
		}
	}
	return ps
}

// regressionProblems are the problems of the regressions of o located at
// their benchmark functions, and whether every regression is among them.
func regressionProblems(check *Problem, o *checks.Outcome, paths RepoPaths) ([]Problem, bool) {
	if !fromChange(o) {
		return nil, true
	}
	var ps []Problem
	all := true
	for _, r := range mdRowsWith(o.Comparison, bench.StatusRegression) {
		if r.Source == nil {
			all = false
			continue
		}
		p := *check
		p.File, p.Line, p.Col = filepath.ToSlash(paths.file(r.Source.File)), r.Source.Line, r.Source.Col
		p.Rule = o.Kind
		p.Title = "perfctl " + o.ID + " (" + mdBenchName(r.Name) + " " + r.Unit + ")"
		p.Message = string(o.Level) + " check " + o.ID + " found a regression"
		if r.Pkg != "" {
			p.Message += " in " + r.Pkg
		}
		p.Message += ": " + regressionLine(r)
		if o.Fix != "" {
			p.Message += "\nFix: " + o.Fix
		}
		p.Key = strings.Join([]string{o.ID, r.Pkg, r.Name, r.Unit}, "\x00")
		ps = append(ps, p)
	}
	return ps, all
}

// LintProblems returns a LevelError problem for each finding of 'perfctl
// lint', whose rule is its linter.
func LintProblems(findings []lint.Finding) []Problem {
	ps := make([]Problem, len(findings))
	for i, f := range findings {
		ps[i] = Problem{Level: LevelError, File: filepath.ToSlash(f.File), Line: f.Line, Col: f.Column,
			Rule: f.Linter, Title: "perfctl lint (" + f.Linter + ")", Message: f.Message,
			RuleDescription: lintRuleDescription(f.Linter)}
	}
	return ps
}

// checkLevel is the level of o's problems.
func checkLevel(r *checks.Report, o *checks.Outcome) Level {
	switch {
	case decisive(r, o):
		return LevelError
	case o.Level == checks.May:
		return LevelNote
	}
	return LevelWarning
}

// place is where a format that must place every problem puts p: its file
// and line, or else line 1 of the module's go.mod.
func (p *Problem) place() (string, int) {
	if p.File == "" {
		return p.Module, 1
	}
	return p.File, p.Line
}

// findingTitle is "perfctl CHECK-ID", with the finding's rule when it says
// more than the check's kind: "perfctl perf-lints-denied (prealloc)".
func findingTitle(o *checks.Outcome, f checks.Finding) string {
	if f.Rule == "" || f.Rule == o.Kind {
		return "perfctl " + o.ID
	}
	return "perfctl " + o.ID + " (" + f.Rule + ")"
}

// problemMessage says what went wrong in o, a check without located
// findings: the verdict's words, up to ten detail lines and the fix hint.
func problemMessage(o *checks.Outcome) string {
	var b strings.Builder
	what := "failed"
	if o.Status == checks.Error {
		what = "could not be evaluated"
	}
	b.WriteString(string(o.Level) + " check " + o.ID + " " + what + ": " + o.Message)
	lines, more := capped(detailLines(o))
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	if more > 0 {
		b.WriteString("\n" + moreLine(more))
	}
	if o.Fix != "" {
		b.WriteString("\nFix: " + o.Fix)
	}
	return b.String()
}

// lintRuleDescription says why perfctl runs linter.
func lintRuleDescription(linter string) string {
	if r := lint.Reason(linter); r != "" {
		return linter + ": " + r
	}
	return linter + " (golangci-lint)"
}
