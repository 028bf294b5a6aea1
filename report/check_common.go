package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/perfctl/perfctl/checks"
)

// What the check renderers share.

// maxDetails is how many detail lines the text and Markdown renderers show
// per check before "… N more".
const maxDetails = 10

// decisive reports whether o's failure or error decides the verdict.
func decisive(r *checks.Report, o *checks.Outcome) bool { return r.Decisive(o) }

// splitProblems returns the checks that failed or errored: those that
// decide the verdict, and the warnings.
func splitProblems(r *checks.Report) (failures, warns []*checks.Outcome) {
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		switch {
		case !problem(o):
		case decisive(r, o):
			failures = append(failures, o)
		default:
			warns = append(warns, o)
		}
	}
	return failures, warns
}

// problem reports whether o failed or could not be evaluated.
func problem(o *checks.Outcome) bool {
	return o.Status == checks.Fail || o.Status == checks.Error
}

// statusCell is the status of o for a person: the status word, marked
// "(warning)" when it is a failure or error that does not decide the
// verdict.
func statusCell(r *checks.Report, o *checks.Outcome) string {
	if problem(o) && !decisive(r, o) {
		return string(o.Status) + " (warning)"
	}
	return string(o.Status)
}

// detailLines are the lines that say what went wrong in o: its Details,
// or, when it has none, its findings.
func detailLines(o *checks.Outcome) []string {
	if len(o.Details) > 0 {
		return o.Details
	}
	lines := make([]string, 0, len(o.Findings))
	for _, f := range o.Findings {
		lines = append(lines, findingLine(f))
	}
	return lines
}

// findingLine is f as a compiler would print it: "file:line:col: message (rule)".
func findingLine(f checks.Finding) string {
	var b strings.Builder
	if f.File != "" {
		b.WriteString(f.File)
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
			if f.Column > 0 {
				fmt.Fprintf(&b, ":%d", f.Column)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	if f.Rule != "" {
		b.WriteString(" (" + f.Rule + ")")
	}
	return b.String()
}

// capped returns at most maxDetails of lines and how many it left out.
func capped(lines []string) ([]string, int) {
	if len(lines) <= maxDetails {
		return lines, 0
	}
	return lines[:maxDetails], len(lines) - maxDetails
}

// moreLine says how many lines were left out.
func moreLine(n int) string {
	return fmt.Sprintf("… %d more", n)
}

// seconds is d in seconds, rounded to the millisecond.
func seconds(d time.Duration) float64 {
	return math.Round(d.Seconds()*1000) / 1000
}

// oneLine joins the lines of s with spaces, for a table cell.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// warnings counts the failures and errors that do not decide the verdict.
func warnings(r *checks.Report) int {
	n := 0
	for i := range r.Outcomes {
		if o := &r.Outcomes[i]; problem(o) && !decisive(r, o) {
			n++
		}
	}
	return n
}
