package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// CompareMarkdown writes c for a pull-request comment or
// $GITHUB_STEP_SUMMARY: a headline verdict, the regressions first, and every
// table folded in a <details> block.
func CompareMarkdown(w io.Writer, c *bench.Comparison) error {
	var b strings.Builder
	icon, word := "✅", "PASS"
	if c.Failed() {
		icon, word = "❌", "FAIL"
	}
	fmt.Fprintf(&b, "### %s perfctl compare: %s\n\n", icon, word)
	fmt.Fprintf(&b, "%s  \n<sub>%s</sub>\n\n", verdictLine(c), mdEscape(settingsLine(c)))
	for _, warning := range c.Warnings {
		fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", mdEscape(warning))
	}

	var regressions []bench.Row
	for i := range c.Rows {
		if c.Rows[i].Status == bench.StatusRegression {
			regressions = append(regressions, c.Rows[i])
		}
	}
	if len(regressions) > 0 {
		b.WriteString("**Regressions**\n\n")
		b.WriteString("| benchmark | unit | base | head | delta | p | n |\n|---|---|--:|--:|--:|--:|--:|\n")
		for i := range regressions {
			cl := rowCells(&regressions[i])
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | **%s** | %s | %s |\n",
				mdCode(cl.name), mdEscape(regressions[i].Unit), cl.base, cl.head, cl.delta, cl.p, cl.n)
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "<details><summary>All results (%d rows)</summary>\n\n", len(c.Rows))
	for _, rows := range unitTables(c.Rows) {
		fmt.Fprintf(&b, "| %s | base | head | delta | p | n | status |\n|---|--:|--:|--:|--:|--:|---|\n", mdEscape(rows[0].Unit))
		for i := range rows {
			cl := rowCells(&rows[i])
			status := cl.status
			if rows[i].Status == bench.StatusRegression {
				status = "**" + status + "**"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n",
				mdCode(cl.name), cl.base, cl.head, cl.delta, cl.p, cl.n, status)
		}
		if gm := geomeanFor(c, rows[0].Unit); gm != nil {
			cl := geomeanCells(gm)
			fmt.Fprintf(&b, "| *geomean* | %s | %s | %s | | | |\n", cl.base, cl.head, cl.delta)
		}
		for _, n := range notes(rows) {
			fmt.Fprintf(&b, "\n<sub>%s</sub>\n", mdEscape(n))
		}
		b.WriteString("\n")
	}
	b.WriteString("</details>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCode makes s safe inside a Markdown code span in a table cell.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`).Replace(s)
}

// mdEscape makes s safe as Markdown text in a table cell or paragraph.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`).Replace(s)
}
