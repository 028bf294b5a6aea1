package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/lint"
)

// MaxAnnotations is how many workflow annotations CheckGitHubAnnotations
// writes at most; a notice says how many more there were. GitHub shows at
// most 10 errors and 10 warnings per step anyway: the rest is in the job
// summary and the reports.
const MaxAnnotations = 50

// annotationCommands are the workflow commands of the problem levels.
var annotationCommands = [...]string{LevelError: "error", LevelWarning: "warning", LevelNote: "notice"}

// WriteAnnotations writes a GitHub Actions workflow command for each
// problem, so that the run and the pull request's diff show them: error,
// warning or notice by its level, at its file, line and column when it has
// them, titled with its Title. Errors come first, then warnings, then
// notices, each in the order of problems; after MaxAnnotations of them, a
// notice says how many were left out.
func WriteAnnotations(w io.Writer, problems []Problem) error {
	ps := slices.Clone(problems)
	slices.SortStableFunc(ps, func(a, b Problem) int { return int(a.Level) - int(b.Level) })
	var b strings.Builder
	for i := range ps[:min(len(ps), MaxAnnotations)] {
		b.WriteString(annotation(&ps[i], false))
	}
	if n := len(ps) - MaxAnnotations; n > 0 {
		b.WriteString(annotation(&Problem{Level: LevelNote, Title: "perfctl",
			Message: fmt.Sprintf("%s not annotated (at most %d are): see the job summary or the reports",
				plural(n, "more problem", "more problems"), MaxAnnotations)}, false))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CheckGitHubAnnotations writes a workflow command for each problem of r
// (see CheckProblems and WriteAnnotations): one per located finding of a
// check that failed or could not be evaluated, and one per such check
// without located findings, at the check in the policy file when the
// policy is a file of the module, else with no file, saying what failed.
// The command is error when the problem decides the verdict, warning for
// other SHOULD problems and notice for MAY ones. Paths are made relative
// to the repository root with p.
func CheckGitHubAnnotations(w io.Writer, r *checks.Report, p RepoPaths) error {
	return WriteAnnotations(w, CheckProblems(r, p))
}

// GitHubAnnotations writes one error workflow command per lint finding, so
// that GitHub Actions shows them on the pull request's diff. Unlike
// WriteAnnotations, it writes them all, each with its file, line and
// column even when golangci-lint gives none (line=0), as 'perfctl lint'
// always has.
func GitHubAnnotations(w io.Writer, findings []lint.Finding) error {
	var b strings.Builder
	ps := LintProblems(findings)
	for i := range ps {
		b.WriteString(annotation(&ps[i], true))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// annotation is p as a workflow command, e.g.
// "::error file=a.go,line=3,col=2,title=perfctl x::message\n". It leaves
// out a file, line or column that p does not have, unless allPlaces.
func annotation(p *Problem, allPlaces bool) string {
	var props []string
	if p.File != "" || allPlaces {
		props = append(props, "file="+ghProperty(p.File))
		if p.Line > 0 || allPlaces {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
			if p.Col > 0 || allPlaces {
				props = append(props, fmt.Sprintf("col=%d", p.Col))
			}
		}
	}
	if p.Title != "" {
		props = append(props, "title="+ghProperty(p.Title))
	}
	s := "::" + annotationCommands[p.Level]
	if len(props) > 0 {
		s += " " + strings.Join(props, ",")
	}
	return s + "::" + ghData(p.Message) + "\n"
}

// The escapes of workflow commands: of a message, and of a property value.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes a workflow command's message.
func ghData(s string) string { return ghDataEscaper.Replace(s) }

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
