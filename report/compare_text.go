package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// CompareText writes c as one table per unit followed by the verdict line.
func CompareText(w io.Writer, c *bench.Comparison, opts Options) error {
	p := newPalette(w, opts.Color)
	var b strings.Builder
	for _, warning := range c.Warnings {
		b.WriteString(p.warn.Render("WARNING: "+warning) + "\n")
	}
	if len(c.Warnings) > 0 {
		b.WriteString("\n")
	}
	for _, rows := range unitTables(c.Rows) {
		b.WriteString(trimLines(unitTable(&p, rows, geomeanFor(c, rows[0].Unit))))
		b.WriteString("\n")
		for _, n := range notes(rows) {
			b.WriteString(p.dim.Render("  note: "+n) + "\n")
		}
		b.WriteString("\n")
	}
	if groups, n := notRunGroups(c.Rows); n > 0 {
		b.WriteString(p.dim.Render(fmt.Sprintf("Not run: %s in %s (%s):",
			plural(n, "benchmark", "benchmarks"), plural(len(groups), "package", "packages"), groups[0].reason)) + "\n")
		for i, g := range groups {
			if i == maxNotRunLines {
				b.WriteString(p.dim.Render(fmt.Sprintf("  … and %d more packages", len(groups)-i)) + "\n")
				break
			}
			b.WriteString(p.dim.Render("  "+orDefault(g.pkg, "(no package)")+": "+strings.Join(g.names, ", ")) + "\n")
		}
		b.WriteString("\n")
	}
	verdict := p.good.Render(c.Verdict().Word())
	if c.Failed() {
		verdict = p.bad.Render(c.Verdict().Word())
	}
	fmt.Fprintf(&b, "%s  %s  (%s)\n", verdict, verdictLine(c), settingsLine(c))
	_, err := io.WriteString(w, termsafe.String(b.String(), opts.Color))
	return err
}

// maxNotRunLines is how many packages not run the text report lists.
const maxNotRunLines = 20

func unitTable(p *palette, rows []bench.Row, gm *bench.Geomean) string {
	data := make([][]string, 0, len(rows)+1)
	statuses := make([]bench.Status, 0, len(rows)+1)
	for i := range rows {
		c := rowCells(&rows[i])
		data = append(data, []string{c.name, c.base, c.head, c.delta, c.p, c.n, c.status})
		statuses = append(statuses, rows[i].Status)
	}
	if gm != nil {
		c := geomeanCells(gm)
		data = append(data, []string{c.name, c.base, c.head, c.delta, "", "", ""})
		statuses = append(statuses, "")
	}
	t := newTable(rows[0].Unit, "base", "head", "delta", "p", "n", "status").
		Rows(data...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := p.plain.Padding(0, 1)
			if col >= 1 && col <= 5 {
				s = s.Align(lipgloss.Right)
			}
			switch {
			case row == table.HeaderRow:
				return s.Inherit(p.bold)
			case data[row][col] == "":
				return s // unstyled, so trimLines can drop its padding
			case col == 6 && row < len(statuses):
				return s.Inherit(p.rowStatus(statuses[row]))
			case row == len(rows): // geomean
				return s.Inherit(p.dim)
			}
			return s
		})
	return t.Render()
}

// trimLines removes the padding lipgloss leaves at the end of table lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
