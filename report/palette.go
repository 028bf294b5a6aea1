package report

import (
	"io"
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
)

// palette holds the styles of the text renderers; without colour every
// style renders plain text.
type palette struct {
	good  lipgloss.Style // green: pass, improvement
	fail  lipgloss.Style // red: a failed check
	bad   lipgloss.Style // bold red: FAIL, regression, error
	warn  lipgloss.Style // yellow: warnings, lint findings
	dim   lipgloss.Style // faint: unchanged, skipped, notes
	bold  lipgloss.Style
	plain lipgloss.Style
}

func newPalette(w io.Writer, color bool) palette {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return palette{
		good:  r.NewStyle().Foreground(lipgloss.Color("2")),
		fail:  r.NewStyle().Foreground(lipgloss.Color("1")),
		bad:   r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		warn:  r.NewStyle().Foreground(lipgloss.Color("3")),
		dim:   r.NewStyle().Faint(true),
		bold:  r.NewStyle().Bold(true),
		plain: r.NewStyle(),
	}
}

// rowStatus is the style of a comparison row's status.
func (p *palette) rowStatus(s bench.Status) lipgloss.Style {
	switch s {
	case bench.StatusRegression:
		return p.bad
	case bench.StatusImprovement:
		return p.good
	case bench.StatusUnchanged:
		return p.dim
	}
	return p.warn
}

// checkStatus is the style of o's status: green pass, red fail, bold red
// error, faint skip, and yellow for a failure or error that is only a
// warning.
func (p *palette) checkStatus(r *checks.Report, o *checks.Outcome) lipgloss.Style {
	switch {
	case problem(o) && !decisive(r, o):
		return p.warn
	case o.Status == checks.Pass:
		return p.good
	case o.Status == checks.Fail:
		return p.fail
	case o.Status == checks.Error:
		return p.bad
	}
	return p.dim
}

// newTable is a table in perfctl's style: no outer border and no lines
// between columns, a rule under the headers.
func newTable(headers ...string) *table.Table {
	return table.New().
		Border(lipgloss.NormalBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).
		Headers(headers...)
}

// plural is "1 row" or "2 rows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
