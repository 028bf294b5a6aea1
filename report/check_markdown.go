package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/perfctl/perfctl/checks"
)

// CheckMarkdown writes r for a pull-request comment or
// $GITHUB_STEP_SUMMARY: a headline (✅ pass, ⚠️ pass with warnings, ❌ fail
// or error) with the summary line and the reasons, then the failures that
// decide the verdict and the warnings that do not, each with its message,
// up to ten detail lines in a code block and its fix hint, and last the
// table of every check folded in a <details> block.
func CheckMarkdown(w io.Writer, r *checks.Report) error {
	var b strings.Builder
	icon := "✅"
	switch {
	case r.Verdict != checks.VerdictPass:
		icon = "❌"
	case warnings(r) > 0:
		icon = "⚠️"
	}
	fmt.Fprintf(&b, "### %s perfctl check: %s\n\n", icon, checkVerdictWord(r.Verdict))
	fmt.Fprintf(&b, "%s\n\n", mdEscape(r.SummaryLine()))
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "- %s\n", mdEscape(reason))
	}
	if len(r.Reasons) > 0 {
		b.WriteString("\n")
	}

	failures, warns := splitProblems(r)
	mdProblems(&b, "Failures", failures)
	mdProblems(&b, "Warnings", warns)

	fmt.Fprintf(&b, "<details><summary>All checks (%d)</summary>\n\n", len(r.Outcomes))
	b.WriteString("| level | check | status | message |\n|---|---|---|---|\n")
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		status := statusCell(r, o)
		if problem(o) {
			status = "**" + status + "**"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", o.Level, mdCode(o.ID), status, mdEscape(oneLine(o.Message)))
	}
	b.WriteString("\n</details>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdProblems writes a section of failed or errored checks.
func mdProblems(b *strings.Builder, heading string, list []*checks.Outcome) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "#### %s\n\n", heading)
	for _, o := range list {
		fmt.Fprintf(b, "**`%s`** (%s, %s)", mdCode(o.ID), o.Level, o.Status)
		if o.Title != "" {
			fmt.Fprintf(b, ": %s", mdEscape(oneLine(o.Title)))
		}
		fmt.Fprintf(b, "  \n%s\n\n", mdEscape(oneLine(o.Message)))
		lines, more := capped(detailLines(o))
		if len(lines) > 0 {
			if more > 0 {
				lines = append(lines[:len(lines):len(lines)], moreLine(more))
			}
			body := strings.Join(lines, "\n")
			fence := codeFence(body)
			fmt.Fprintf(b, "%stext\n%s\n%s\n\n", fence, body, fence)
		}
		if o.Fix != "" {
			fmt.Fprintf(b, "**Fix:** %s\n\n", mdEscape(oneLine(o.Fix)))
		}
	}
}

// codeFence returns a fence of backticks longer than any run of backticks
// in body, so that body cannot close the code block.
func codeFence(body string) string {
	longest, run := 0, 0
	for _, c := range body {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
