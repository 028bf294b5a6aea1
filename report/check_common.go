package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
)

// What the check renderers share.

// maxDetails is how many detail lines the text and Markdown renderers show
// per check before "… N more".
const maxDetails = 10

// decisive reports whether o's failure or error decides the verdict.
func decisive(r *checks.Report, o *checks.Outcome) bool { return r.Decisive(o) }

// splitProblems returns the checks that failed or errored: those that
// decide the verdict, and the warnings, each with those this change caused
// first (changeFirst).
func splitProblems(r *checks.Report) (failures, warns []*checks.Outcome) {
	for _, o := range changeFirst(r) {
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

// fromChange reports whether o failed because of what the change under
// review did, rather than because of the state of the repository: a
// regression check that found regressions, which compares the change with
// its reference. The other checks judge the repository as it is (perfctl
// check lints the whole module, not what changed since a revision), so
// their failures may predate the change: they are standing failures.
func fromChange(o *checks.Outcome) bool {
	return o.Comparison != nil && o.Comparison.Failed()
}

// changeFirst is the outcomes of r, those this change caused (fromChange)
// first, then the others, each in the order of the policy: a pull request
// sees its own news before the failures every pull request shares.
func changeFirst(r *checks.Report) []*checks.Outcome {
	out := make([]*checks.Outcome, 0, len(r.Outcomes))
	for _, caused := range []bool{true, false} {
		for i := range r.Outcomes {
			if o := &r.Outcomes[i]; fromChange(o) == caused {
				out = append(out, o)
			}
		}
	}
	return out
}

// byChange splits list into the outcomes this change caused and the
// standing ones.
func byChange(list []*checks.Outcome) (caused, standing []*checks.Outcome) {
	for _, o := range list {
		if fromChange(o) {
			caused = append(caused, o)
		} else {
			standing = append(standing, o)
		}
	}
	return caused, standing
}

// notSelectedLine counts the checks --only left out, or is "".
func notSelectedLine(r *checks.Report) string {
	if r.NotSelected == 0 {
		return ""
	}
	return plural(r.NotSelected, "check", "checks") + " not selected (--only)"
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

// detailLines are the lines that say what went wrong in o: the
// regressions of its comparison (regressionLine), else its Details, or,
// when it has none, its findings.
func detailLines(o *checks.Outcome) []string {
	if fromChange(o) {
		regressions := mdRowsWith(o.Comparison, bench.StatusRegression)
		lines := make([]string, 0, len(regressions))
		for _, r := range regressions {
			line := regressionLine(r)
			if r.Source != nil {
				line += fmt.Sprintf(" at %s:%d", r.Source.File, r.Source.Line)
			}
			lines = append(lines, line)
		}
		return lines
	}
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

// regressionLine says what regressed in r, with the numbers that decided,
// e.g. "Encode [codec] sec/op: 1.207 µs → 1.455 µs (+20.54%), p 0.002"; in
// a row of interleaved rounds, with the paired change that the test judged
// ("paired median +20.31%").
func regressionLine(r *bench.Row) string {
	var b strings.Builder
	b.WriteString(r.Label + " " + r.Unit + ": " + mdHuman(r.Base, r.Unit) + " → " + mdHuman(r.Head, r.Unit))
	if !math.IsNaN(r.DeltaPct) {
		b.WriteString(" (" + pctCell(r.DeltaPct, true) + ")")
	}
	switch {
	case r.Exact:
		b.WriteString(", gated exactly")
	case r.Method == bench.MethodPaired:
		fmt.Fprintf(&b, ", paired median %s, p %s", pctCell(r.PairedDeltaPct, true), pCell(r.PairedP))
	case !math.IsNaN(r.PValue):
		b.WriteString(", p " + pCell(r.PValue))
	}
	return b.String()
}
