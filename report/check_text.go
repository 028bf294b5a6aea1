package report

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"

	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// maxMessageWidth is the widest message the text table shows; a longer
// one is cut with "…" there and printed whole under the table.
const maxMessageWidth = 64

// CheckText writes r as a table of the checks (level, check, status,
// message), then what went wrong in each failed or errored check — its
// level, status and title, up to ten detail lines and the fix hint —
// split into the failures
// that decide the verdict and the warnings (SHOULD and MAY failures) that
// do not, then the summary line and the reasons for a verdict other than
// pass. A failure or error that is only a warning has the status
// "fail (warning)" or "error (warning)".
func CheckText(w io.Writer, r *checks.Report, opts Options) error {
	p := newPalette(w, opts.Color)
	var b strings.Builder
	if len(r.Outcomes) > 0 {
		b.WriteString(trimLines(checkTable(&p, r)))
		b.WriteString("\n")
	}
	failures, warns := splitProblems(r)
	writeProblems(&b, &p, "Failures", failures)
	writeProblems(&b, &p, "Warnings", warns)

	if b.Len() > 0 {
		b.WriteString("\n")
	}
	if r.Preset.Preset != "" {
		b.WriteString("Preset: " + r.Preset.String() + "\n")
	}
	summary := p.good
	if r.Verdict != checks.VerdictPass {
		summary = p.bad
	}
	b.WriteString(summary.Render(r.SummaryLine()) + "\n")
	for _, reason := range r.Reasons {
		b.WriteString("  " + reason + "\n")
	}
	_, err := io.WriteString(w, termsafe.String(b.String(), opts.Color))
	return err
}

func checkTable(p *palette, r *checks.Report) string {
	data := make([][]string, len(r.Outcomes))
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		data[i] = []string{string(o.Level), o.ID, statusCell(r, o), truncate(oneLine(o.Message), maxMessageWidth)}
	}
	t := newTable("level", "check", "status", "message").
		Rows(data...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := p.plain.Padding(0, 1)
			switch {
			case row == table.HeaderRow:
				return s.Inherit(p.bold)
			case data[row][col] == "":
				return s // unstyled, so trimLines can drop its padding
			case col == 2:
				return s.Inherit(p.checkStatus(r, &r.Outcomes[row]))
			}
			return s
		})
	return t.Render()
}

// writeProblems writes a section of failed or errored checks: each with
// its title, its whole message when the table cut it, its details and its
// fix hint.
func writeProblems(b *strings.Builder, p *palette, heading string, list []*checks.Outcome) {
	if len(list) == 0 {
		return
	}
	b.WriteString("\n" + p.bold.Render(heading) + "\n")
	for _, o := range list {
		head := o.ID + " (" + string(o.Level) + ", " + string(o.Status) + ")"
		if o.Title != "" {
			head += ": " + o.Title
		}
		b.WriteString("  " + head + "\n")
		if msg := oneLine(o.Message); truncate(msg, maxMessageWidth) != msg {
			b.WriteString("    " + msg + "\n")
		}
		lines, more := capped(detailLines(o))
		for _, l := range lines {
			b.WriteString("    " + oneLine(l) + "\n")
		}
		if more > 0 {
			b.WriteString("    " + p.dim.Render(moreLine(more)) + "\n")
		}
		if o.Fix != "" && o.Status == checks.Fail { // an error says what went wrong instead
			b.WriteString("    fix: " + oneLine(o.Fix) + "\n")
		}
	}
}

// truncate cuts s to at most width terminal columns, ending it with "…"
// when it is cut.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if used+rw > width-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return strings.TrimRight(b.String(), " ") + "…"
}
