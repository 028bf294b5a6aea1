package report

import (
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/checks"
)

// RepoPaths say where the paths of a check report are, for the CI formats
// (annotations, Code Quality) that want them relative to the repository
// root rather than to the module root.
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

// MaxAnnotations is how many workflow annotations CheckGitHubAnnotations
// writes at most; a notice says how many more there were. GitHub shows at
// most 10 errors and 10 warnings per step anyway: the rest is in the job
// summary and the reports.
const MaxAnnotations = 50

// An annotation is one GitHub Actions workflow command that marks a
// problem, at a place in the code when File is set.
type annotation struct {
	Level        string // error, warning or notice
	File         string // relative to the repository root; "" for none
	Line, Column int    // 0 for none
	Title        string
	Message      string
}

// String is the workflow command, e.g.
// "::error file=a.go,line=3,col=2,title=perfctl x::message".
func (a annotation) String() string {
	var props []string
	if a.File != "" {
		props = append(props, "file="+ghProperty(a.File))
		if a.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", a.Line))
			if a.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", a.Column))
			}
		}
	}
	if a.Title != "" {
		props = append(props, "title="+ghProperty(a.Title))
	}
	s := "::" + a.Level
	if len(props) > 0 {
		s += " " + strings.Join(props, ",")
	}
	return s + "::" + ghData(a.Message) + "\n"
}

// CheckGitHubAnnotations writes a GitHub Actions workflow command for each
// problem of r, so that the run and the pull request's diff show them:
//
//   - one per located finding (a lint finding, an sql-pool violation) of a
//     check that failed or could not be evaluated, at its file, line and
//     column, titled "perfctl CHECK-ID" (with the finding's rule, e.g. the
//     linter, in parentheses when it is not the check's kind);
//   - one per such check without located findings (a regression, missing
//     docs, an error), at the check in the policy file when the policy is a
//     file of the module, else with no file, saying what failed.
//
// The command is error when the problem decides the verdict, warning for
// other SHOULD problems and notice for MAY ones. Paths are made relative
// to the repository root with p. Errors come first, then warnings, then
// notices, each in the report's order; after MaxAnnotations of them, a
// notice says how many were left out.
func CheckGitHubAnnotations(w io.Writer, r *checks.Report, p RepoPaths) error {
	var as []annotation
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		if !problem(o) {
			continue
		}
		level := annotationLevel(r, o)
		located := 0
		for _, f := range o.Findings {
			if f.File == "" {
				continue
			}
			located++
			as = append(as, annotation{Level: level, File: p.file(f.File), Line: f.Line, Column: f.Column,
				Title: findingTitle(o, f), Message: f.Message})
		}
		if located == 0 {
			file, line := p.policyLine(o)
			as = append(as, annotation{Level: level, File: file, Line: line, Title: "perfctl " + o.ID, Message: problemMessage(o)})
		}
	}
	rank := map[string]int{"error": 0, "warning": 1, "notice": 2}
	slices.SortStableFunc(as, func(a, b annotation) int { return rank[a.Level] - rank[b.Level] })
	var b strings.Builder
	for _, a := range as[:min(len(as), MaxAnnotations)] {
		b.WriteString(a.String())
	}
	if n := len(as) - MaxAnnotations; n > 0 {
		b.WriteString(annotation{Level: "notice", Title: "perfctl",
			Message: fmt.Sprintf("%s not annotated (at most %d are): see the job summary or the reports",
				plural(n, "more problem", "more problems"), MaxAnnotations)}.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// annotationLevel is the workflow command for o's problems.
func annotationLevel(r *checks.Report, o *checks.Outcome) string {
	switch {
	case decisive(r, o):
		return "error"
	case o.Level == checks.May:
		return "notice"
	}
	return "warning"
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
