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
// Each row shows the median of each side with its interval, the change of
// the medians (delta), the p-value of the test that decided, the samples
// and the status. Rows of interleaved rounds add the paired delta, the
// median of the per-round changes that the paired test judges, and a
// legend under the table says which is which.
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
	if measured := ptrs(c.Rows); paired(measured) {
		b.WriteString(p.dim.Render(pairedLegend(measured, "delta", "paired delta")) + "\n\n")
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
	profilesText(&b, &p, c)
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
	withPaired := paired(ptrs(rows))
	cols := func(c cells) []string {
		if withPaired {
			return []string{c.name, c.base, c.head, c.delta, c.paired, c.p, c.n, c.status}
		}
		return []string{c.name, c.base, c.head, c.delta, c.p, c.n, c.status}
	}
	data := make([][]string, 0, len(rows)+1)
	statuses := make([]bench.Status, 0, len(rows)+1)
	for i := range rows {
		data = append(data, cols(rowCells(&rows[i])))
		statuses = append(statuses, rows[i].Status)
	}
	if gm != nil {
		c := geomeanCells(gm)
		data = append(data, cols(cells{name: c.name, base: c.base, head: c.head, delta: c.delta}))
		statuses = append(statuses, "")
	}
	header := cols(cells{name: rows[0].Unit, base: "base", head: "head", delta: "delta", paired: "paired delta", p: "p", n: "n", status: "status"})
	last := len(header) - 1 // the status
	t := newTable(header...).
		Rows(data...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := p.plain.Padding(0, 1)
			if col >= 1 && col < last {
				s = s.Align(lipgloss.Right)
			}
			switch {
			case row == table.HeaderRow:
				return s.Inherit(p.bold)
			case data[row][col] == "":
				return s // unstyled, so trimLines can drop its padding
			case col == last && row < len(statuses):
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
