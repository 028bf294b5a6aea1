package report

import (
	"fmt"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// The differences of profiles that compare --profile attaches to its
// regressions (bench.Row.Profile), in text and Markdown.

// profileMaxFuncs is how many functions a row's difference lists.
const profileMaxFuncs = 5

// rowProfileTop is the difference that explains r's unit, and what it
// measures; nil when there is none.
func rowProfileTop(r *bench.Row) (string, *bench.ProfileTop) {
	p := r.Profile
	switch {
	case p == nil:
		return "", nil
	case p.CPU != nil:
		return "CPU time", p.CPU
	case p.AllocSpace != nil:
		return "bytes allocated", p.AllocSpace
	case p.AllocObjects != nil:
		return "objects allocated", p.AllocObjects
	}
	return "", nil
}

// profiledRows are the rows of c with a profile or a warning about one.
func profiledRows(c *bench.Comparison) []*bench.Row {
	var out []*bench.Row
	for i := range c.Rows {
		if c.Rows[i].Profile != nil {
			out = append(out, &c.Rows[i])
		}
	}
	return out
}

// profileFuncs are the functions of t to show: those whose own cost
// changed the most, without those that did not change.
func profileFuncs(t *bench.ProfileTop) []bench.ProfileFunc {
	fs := t.Flat
	if len(fs) > profileMaxFuncs {
		fs = fs[:profileMaxFuncs]
	}
	return fs
}

func funcAt(f *bench.ProfileFunc) string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

func deltaOf(f *bench.ProfileFunc) (flat, cum int64) {
	if f.Delta == nil {
		return f.Flat, f.Cum
	}
	return f.Delta.Flat, f.Delta.Cum
}

// profilesText writes where the cost of each regression went.
func profilesText(b *strings.Builder, p *palette, c *bench.Comparison) {
	rows := profiledRows(c)
	if len(rows) == 0 {
		return
	}
	b.WriteString(p.bold.Render("Where the regressions' cost went") + p.dim.Render(" (head − base, one profiled run per side after the verdict)") + "\n")
	for _, r := range rows {
		what, t := rowProfileTop(r)
		label := orDefault(r.Label, r.Name)
		if t == nil {
			fmt.Fprintf(b, "  %s %s: %s\n", label, r.Unit, orDefault(r.Profile.Warning, "no profile"))
			continue
		}
		fmt.Fprintf(b, "  %s %s: %s %s → %s\n", label, r.Unit, what, FormatValue(t.BaseTotal, t.Unit), FormatValue(t.Total, t.Unit))
		fs := profileFuncs(t)
		if len(fs) == 0 {
			b.WriteString("    no function's cost changed in the profiles\n")
		}
		table := [][]string{{"Δ flat", "Δ cum", "function", "at"}}
		for i := range fs {
			flat, cum := deltaOf(&fs[i])
			table = append(table, []string{signedValue(flat, t.Unit), signedValue(cum, t.Unit), fs[i].Name, funcAt(&fs[i])})
		}
		if len(fs) > 0 {
			writeColumns(b, "    ", table, 2)
		}
		if r.Profile.Command != "" {
			b.WriteString("    " + r.Profile.Command + "\n")
		}
	}
	b.WriteString("\n")
}

// writeColumns writes rows as aligned columns, the first right-aligned
// numbers.
func writeColumns(b *strings.Builder, indent string, rows [][]string, numbers int) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		line.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			switch {
			case i < numbers:
				line.WriteString(pad + c + " ")
			case i == len(r)-1:
				line.WriteString(" " + c)
			default:
				line.WriteString(" " + c + pad + " ")
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// profilesMarkdown writes, under the regressions, a compact table of
// where each one's cost went.
func (d *mdDoc) profiles(c *bench.Comparison) {
	rows := profiledRows(c)
	if len(rows) == 0 {
		return
	}
	d.WriteString("#### Where the regressions' cost went\n\nhead − base, from one profiled run per side after the verdict:\n\n")
	for i, r := range rows {
		var s strings.Builder
		what, t := rowProfileTop(r)
		label := mdSpan(mdCutTo(orDefault(r.Label, r.Name), mdProfileLabel, false)) + " " + r.Unit
		if t == nil {
			fmt.Fprintf(&s, "- %s: %s\n\n", label, mdLine(mdCut(orDefault(r.Profile.Warning, "no profile"))))
		} else {
			fmt.Fprintf(&s, "%s — %s %s → %s\n\n", label, what, FormatValue(t.BaseTotal, t.Unit), FormatValue(t.Total, t.Unit))
			fs := profileFuncs(t)
			if len(fs) > 0 {
				s.WriteString("| Δ flat | Δ cum | function | at |\n|---:|---:|---|---|\n")
			}
			for j := range fs {
				flat, cum := deltaOf(&fs[j])
				fmt.Fprintf(&s, "| %s | %s | %s | %s |\n", signedValue(flat, t.Unit), signedValue(cum, t.Unit),
					mdCell(mdSpan(mdCutTo(fs[j].Name, mdProfileFunc, true))), mdCell(mdSpan(mdCutTo(funcAt(&fs[j]), mdProfileAt, true))))
			}
			if r.Profile.Command != "" {
				s.WriteString("\n" + mdSpan(mdCutTo(r.Profile.Command, mdProfileCommand, false)) + "\n")
			}
			s.WriteString("\n")
		}
		if i == mdMaxRows || !d.room(s.String(), mdBudget*3/4) {
			d.moreLine(len(rows)-i, "profiles")
			break
		}
		d.WriteString(s.String())
	}
}

// The lengths, in characters, of what the Markdown's profiles show: the
// benchmark's name (its start), a function's name and its file:line (their
// ends, which name the function and the file), the command. Five
// regressions of three units each, with names of any length, fit in the
// profiles' share of a comment.
const (
	mdProfileLabel   = 120
	mdProfileFunc    = 100
	mdProfileAt      = 60
	mdProfileCommand = 300
)

// mdCutTo is s cut to n characters with an ellipsis, keeping its end when
// tail is set and its start otherwise.
func mdCutTo(s string, n int, tail bool) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	switch {
	case len(r) <= n:
		return s
	case tail:
		return "…" + string(r[len(r)-(n-1):])
	}
	return string(r[:n-1]) + "…"
}

// mdCell keeps a table cell's pipes from ending it.
func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
