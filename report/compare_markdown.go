package report

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/compare"
)

// The limits of a Markdown report. GitHub refuses a comment longer than
// 65,536 characters; a Markdown report stays under that however large its
// input, by cutting its tables and lists: at mdMaxRows rows each, and
// wherever the next row would take the document past that table's share
// of mdBudget. The JSON report has everything.
const (
	mdMaxChars    = 65536 // GitHub's limit for a comment (the budget counts bytes, never fewer)
	mdBudget      = 60000 // what the renderers plan for, leaving room for the closing lines
	mdMaxRows     = 50    // rows per table
	mdMaxNames    = 50    // names per list
	mdMaxWarnings = 5     // warnings shown in full
	mdMaxLine     = 500   // characters of one message or detail line
	mdMaxPatterns = 10    // benchmarks in the reproduce block
)

// The markers that start each report, so that a workflow can find the
// comment it posted before and update it instead of adding another.
const (
	compareMarker = "<!-- perfctl:compare -->"
	checkMarker   = "<!-- perfctl:check -->"
)

// CompareMarkdown writes c as a pull-request comment or a
// $GITHUB_STEP_SUMMARY section, in GitHub-flavoured Markdown:
//
//   - a hidden marker as the first line, <!-- perfctl:compare -->, by which
//     a workflow finds the comment it posted on an earlier push and updates
//     it (a sticky comment) instead of adding one per push;
//   - a headline with the verdict and the counts that decide it, and one
//     line of context: alpha, the thresholds and the test (paired over
//     interleaved rounds, or unpaired);
//   - the warnings (different environments, noise), in one alert;
//   - the regressions, in a compact table: the benchmark as go test names
//     it (BenchmarkX/sub) with its package, the unit, base → head in human
//     units (µs, KiB), the change and the p-value;
//   - folded in <details>: the improvements; one line each for the rows with
//     too few samples, the benchmarks added and those removed, with their
//     names; every row, per unit; and, when the request that made the
//     comparison is known (Options.Request, see RenderCompare), the command
//     that makes it again and, for regressions, the one that measures only
//     them again.
//
// Δ is the change of the centers shown beside it (delta_pct in JSON). A
// comparison of interleaved rounds adds the column Δ (paired median), the
// median of the per-round changes (paired_delta_pct) that the threshold
// and the signed-rank test judge, and a legend under its tables; p is the
// p-value of the test that decided.
//
// Tables are cut at 50 rows and the report stays under GitHub's limit of
// 65,536 characters for a comment, pointing at the JSON report for the
// rest.
func CompareMarkdown(w io.Writer, c *bench.Comparison) error {
	return compareMarkdown(w, c, Options{})
}

// compareMarkdown is CompareMarkdown with the request that made c, for the
// commands that reproduce it.
func compareMarkdown(w io.Writer, c *bench.Comparison, opts Options) error {
	d := &mdDoc{}
	d.WriteString(compareMarker + "\n")
	d.compareHeadline(c)
	d.warnings(c.Warnings)

	regressions := mdRowsWith(c, bench.StatusRegression)
	if len(regressions) > 0 {
		heading := "#### Regressions"
		if pkg, one := mdOnePackage(regressions); one && pkg != "" {
			heading += " in " + mdSpan(pkg)
		}
		d.WriteString(heading + "\n\n")
		d.changeTable(regressions, mdMaxRows, mdBudget/3, "regressions")
		d.profiles(c)
	}
	if improvements := mdRowsWith(c, bench.StatusImprovement); len(improvements) > 0 {
		d.open(plural(len(improvements), "improvement", "improvements") + mdInPackage(improvements))
		d.changeTable(improvements, mdMaxRows, mdBudget/2, "improvements")
		d.close()
	}
	if rows := mdRowsWith(c, bench.StatusInsufficient); len(rows) > 0 {
		d.open(plural(len(rows), "row", "rows") + mdInPackage(rows) + " with too few samples to decide (insufficient)")
		d.noteList(rows, mdBudget*5/8)
		d.close()
	}
	for _, s := range []struct {
		status bench.Status
		what   string
	}{
		{bench.StatusAdded, "added (only in head)"},
		{bench.StatusRemoved, "removed (only in base)"},
	} {
		if rows := mdRowsWith(c, s.status); len(rows) > 0 {
			names := mdBenchmarks(rows)
			d.open(plural(len(names), "benchmark", "benchmarks") + " " + s.what)
			d.nameList(names, mdBudget*11/16)
			d.close()
		}
	}
	if groups, n := notRunGroups(c.Rows); n > 0 {
		d.open(fmt.Sprintf("%s in %s not run (%s)", plural(n, "benchmark", "benchmarks"), plural(len(groups), "package", "packages"), groups[0].reason))
		for i, g := range groups {
			line := "- " + mdSpan(orDefault(g.pkg, "(no package)")) + ": " + mdSpan(strings.Join(g.names, ", ")) + "\n"
			if i == mdMaxRows || !d.room(line, mdBudget*3/4) {
				d.moreLine(len(groups)-i, "packages")
				break
			}
			d.WriteString(line)
		}
		d.close()
	}
	d.allResults(c)
	if opts.Request != nil {
		d.reproduceCompare(opts.Request, regressions)
	}
	_, err := io.WriteString(w, d.String())
	return err
}

// compareHeadline writes the verdict with the counts that matter, then the
// settings that produced it.
func (d *mdDoc) compareHeadline(c *bench.Comparison) {
	icon, word := "✅", c.Verdict().Word()
	switch {
	case c.Failed():
		icon = "❌"
	case len(c.Warnings) > 0:
		icon = "⚠️"
	}
	var counts []string
	if n := c.Count(bench.StatusRegression); n > 0 {
		counts = append(counts, plural(n, "regression", "regressions"))
	} else {
		counts = append(counts, "no regressions")
	}
	if n := c.Count(bench.StatusImprovement); n > 0 {
		counts = append(counts, plural(n, "improvement", "improvements"))
	}
	if n := c.Count(bench.StatusInsufficient); n > 0 {
		counts = append(counts, fmt.Sprintf("%d insufficient", n))
	}
	fmt.Fprintf(d, "### %s perfctl compare: %s — %s\n", icon, word, strings.Join(counts, " · "))
	context := settingsLine(c)
	if c.Method == bench.MethodUnpaired {
		context += " · unpaired samples (Mann-Whitney U)"
	}
	fmt.Fprintf(d, "<sub>%s</sub>\n\n", mdEscape(context))
}

// warnings writes ws as one GitHub alert: a single warning as its text,
// several as a list, at most mdMaxWarnings of them.
func (d *mdDoc) warnings(ws []string) {
	if len(ws) == 0 {
		return
	}
	d.WriteString("> [!WARNING]\n")
	if len(ws) == 1 {
		d.WriteString("> " + mdLine(mdCut(oneLine(ws[0]))) + "\n\n")
		return
	}
	shown, more := ws[:min(len(ws), mdMaxWarnings)], len(ws)-mdMaxWarnings
	for _, w := range shown {
		d.WriteString("> - " + mdEscape(mdCut(oneLine(w))) + "\n")
	}
	if more > 0 {
		fmt.Fprintf(d, "> - … %d more: see the JSON report\n", more)
	}
	d.WriteString("\n")
}

// changeTable writes rows as a compact table: the benchmark, its package
// when the rows come from several, the unit, base → head in human units,
// the change and the p-value. It stops after maxRows rows, or before a row
// that would take the document past limit bytes, and says how many rows
// it left out (of what).
func (d *mdDoc) changeTable(rows []*bench.Row, maxRows, limit int, what string) {
	_, one := mdOnePackage(rows)
	withPaired := paired(rows)
	head, sep := "| benchmark |", "|---|"
	if !one {
		head, sep = head+" package |", sep+"---|"
	}
	head, sep = head+" unit | base → head | Δ |", sep+"---|--:|--:|"
	if withPaired {
		head, sep = head+" "+mdPairedColumn+" |", sep+"--:|"
	}
	d.WriteString(head + " p |\n" + sep + "--:|\n")
	shown := 0
	for _, r := range rows {
		cl := rowCells(r)
		line := "| " + mdCode(mdBenchName(r.Name)) + " |"
		if !one {
			line += " " + mdPkg(r.Pkg) + " |"
		}
		line += fmt.Sprintf(" %s | %s → %s | %s |", mdEscape(r.Unit), mdHuman(r.Base, r.Unit), mdHuman(r.Head, r.Unit), mdDelta(r, cl.delta))
		if withPaired {
			line += " " + cl.paired + " |"
		}
		line += " " + cl.p + " |\n"
		if shown == maxRows || !d.room(line, limit) {
			break
		}
		d.WriteString(line)
		shown++
	}
	d.WriteString("\n")
	if more := len(rows) - shown; more > 0 {
		fmt.Fprintf(d, "… %d more %s: see the JSON report (`--format json`).\n\n", more, what)
	}
	if withPaired {
		d.legend(rows[:shown], limit)
	}
}

// mdPairedColumn heads the column of the paired change.
const mdPairedColumn = "Δ (paired median)"

// legend says, under a table of paired rows, what its two changes are,
// when it fits before the document reaches limit bytes.
func (d *mdDoc) legend(rows []*bench.Row, limit int) {
	line := "<sub>" + mdEscape(pairedLegend(rows, "Δ", mdPairedColumn)) + ".</sub>\n\n"
	if d.room(line, limit) {
		d.WriteString(line)
	}
}

// mdDelta is the change of r, or "from 0" where there is no percentage.
func mdDelta(r *bench.Row, delta string) string {
	if delta == "?" && r.Base != nil && r.Base.Center == 0 {
		return "from 0"
	}
	return delta
}

// noteList writes rows as a list, each with its unit and note.
func (d *mdDoc) noteList(rows []*bench.Row, limit int) {
	_, one := mdOnePackage(rows)
	shown := 0
	for _, r := range rows {
		line := "- " + mdSpan(mdBenchName(r.Name))
		if !one {
			line += " in " + mdSpan(r.Pkg)
		}
		line += " " + mdEscape(r.Unit)
		if r.Note != "" {
			line += ": " + mdEscape(mdCut(oneLine(r.Note)))
		}
		line += "\n"
		if shown == mdMaxNames || !d.room(line, limit) {
			break
		}
		d.WriteString(line)
		shown++
	}
	d.moreLine(len(rows)-shown, "rows")
	d.WriteString("\n")
}

// A benchmark is a name in a package, with the -GOMAXPROCS suffix the
// name kept (bench.Row.Procs).
type mdBenchmark struct{ pkg, name, procs string }

// mdBenchmarks lists the distinct benchmarks of rows, in order.
func mdBenchmarks(rows []*bench.Row) []mdBenchmark {
	var out []mdBenchmark
	for _, r := range rows {
		if b := (mdBenchmark{r.Pkg, r.Name, r.Procs}); !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// nameList writes the names one line per package: "- `pkg`: `A`, `B`".
func (d *mdDoc) nameList(names []mdBenchmark, limit int) {
	var pkgs []string
	byPkg := map[string][]string{}
	for _, b := range names {
		if _, ok := byPkg[b.pkg]; !ok {
			pkgs = append(pkgs, b.pkg)
		}
		byPkg[b.pkg] = append(byPkg[b.pkg], b.name)
	}
	shown := 0
	for _, pkg := range pkgs {
		line := "- "
		if pkg != "" {
			line += mdSpan(pkg) + ": "
		}
		n := 0
		for _, name := range byPkg[pkg] {
			span := mdSpan(mdBenchName(name))
			if n > 0 {
				span = ", " + span
			}
			if shown == mdMaxNames || !d.room(line+span+"\n", limit) {
				break
			}
			line += span
			n++
			shown++
		}
		if n == 0 {
			break
		}
		d.WriteString(line + "\n")
	}
	d.moreLine(len(names)-shown, "benchmarks")
	d.WriteString("\n")
}

// moreLine ends a list that left n items out.
func (d *mdDoc) moreLine(n int, what string) {
	if n > 0 {
		fmt.Fprintf(d, "- … %d more %s: see the JSON report (`--format json`)\n", n, what)
	}
}

// allResults writes every row, one table per unit as the text report
// does, folded; at most mdMaxRows rows in all.
func (d *mdDoc) allResults(c *bench.Comparison) {
	d.open(fmt.Sprintf("All results (%s)", plural(len(c.Rows), "row", "rows")))
	shown, limit := 0, mdBudget*7/8
	cutShort := false
	var shownRows []*bench.Row
	for _, rows := range unitTables(c.Rows) {
		if cutShort {
			break
		}
		withPaired := paired(ptrs(rows))
		pairedHead, pairedSep, pairedGeo := "", "", ""
		if withPaired {
			pairedHead, pairedSep, pairedGeo = " "+mdPairedColumn+" |", "--:|", " |"
		}
		header := fmt.Sprintf("| %s | base | head | Δ |%s p | n | status |\n|---|--:|--:|--:|%s--:|--:|---|\n", mdEscape(rows[0].Unit), pairedHead, pairedSep)
		if !d.room(header, limit) || shown == mdMaxRows {
			break
		}
		d.WriteString(header)
		first := shown
		for i := range rows {
			r := &rows[i]
			cl := rowCells(r)
			status := cl.status
			if r.Status == bench.StatusRegression {
				status = "**" + status + "**"
			}
			name := mdCode(mdBenchName(r.Name))
			if suffix := strings.TrimPrefix(r.Label, r.Name); suffix != r.Label && suffix != "" {
				name += mdEscape(suffix) // the package, where the name is ambiguous
			}
			pairedCell := ""
			if withPaired {
				pairedCell = " " + cl.paired + " |"
			}
			line := fmt.Sprintf("| %s | %s | %s | %s |%s %s | %s | %s |\n",
				name, mdHumanRange(r.Base, r.Unit), mdHumanRange(r.Head, r.Unit), mdDelta(r, cl.delta), pairedCell, cl.p, cl.n, status)
			if shown == mdMaxRows || !d.room(line, limit) {
				cutShort = true
				break
			}
			d.WriteString(line)
			shown++
		}
		if gm := geomeanFor(c, rows[0].Unit); gm != nil && !cutShort {
			fmt.Fprintf(d, "| *geomean* | %s | %s | %s |%s | | |\n", mdHumanFloat(gm.Base, gm.Unit), mdHumanFloat(gm.Head, gm.Unit), pctCell(gm.DeltaPct, true), pairedGeo)
		}
		d.WriteString("\n")
		for _, n := range notes(rows) {
			line := "<sub>" + mdEscape(mdCut(n)) + "</sub>\n\n"
			if d.room(line, limit) {
				d.WriteString(line)
			}
		}
		shownRows = append(shownRows, ptrs(rows[:shown-first])...)
	}
	if more := len(c.Rows) - shown; more > 0 {
		fmt.Fprintf(d, "… %d more rows: see the JSON report (`--format json`).\n\n", more)
	}
	if paired(shownRows) {
		d.legend(shownRows, limit)
	}
	d.close()
}

// reproduceCompare writes, folded, the command that made the comparison
// of q again, and, when q measured head (a baseline or a revision), one
// command per package that measures only the regressed benchmarks again
// the same way: the same flags, with a --bench pattern that matches
// exactly them (at most mdMaxPatterns), and the package. Every argument is
// quoted for a POSIX shell (mdShellArg): the values come from the command
// line of a CI job and from the names of benchmarks in a pull request.
func (d *mdDoc) reproduceCompare(q *compare.Request, regressions []*bench.Row) {
	var s strings.Builder
	s.WriteString("<details><summary>Reproduce locally</summary>\n\n")
	s.WriteString("The command that made this comparison, in the directory it ran in:\n\n")
	mdCommandBlock(&s, []string{mdShellCommand("perfctl compare", q.Args())})
	if q.Ref.Mode() == compare.Files && (q.Ref.BaseFile == "-" || q.Ref.HeadFile == "-") {
		s.WriteString("`-` is standard input: pipe the same results into it.\n\n")
	}
	if len(regressions) > 0 && measures(q) {
		cmds, left := narrowedCommands(q, regressions)
		s.WriteString("Measure only the regressed benchmarks again, the same way:\n\n")
		mdCommandBlock(&s, cmds)
		if left > 0 {
			what := "The command covers"
			if len(cmds) > 1 {
				what = "The commands cover"
			}
			fmt.Fprintf(&s, "%s the first %d regressed benchmarks; %d more are in the JSON report.\n\n", what, mdMaxPatterns, left)
		}
	}
	s.WriteString("</details>\n")
	if d.room(s.String(), mdMaxChars-1) {
		d.WriteString(s.String())
	}
}

// measures reports whether q measures head now, so that a narrower
// command measures a part of it again.
func measures(q *compare.Request) bool {
	switch q.Ref.Mode() {
	case compare.Revision:
		return true
	case compare.Baseline:
		return q.Ref.HeadFile == ""
	}
	return false
}

// narrowedCommands are the perfctl compare commands of q, one per package,
// whose --bench matches exactly the regressed benchmarks of that package,
// and how many regressed benchmarks beyond mdMaxPatterns they leave out.
func narrowedCommands(q *compare.Request, regressions []*bench.Row) ([]string, int) {
	names := mdBenchmarks(regressions)
	var pkgs []string
	byPkg := map[string][]string{}
	left := 0
	for i, b := range names {
		if i >= mdMaxPatterns {
			left++
			continue
		}
		if _, ok := byPkg[b.pkg]; !ok {
			pkgs = append(pkgs, b.pkg)
		}
		p := compare.ExactPattern(b.name, b.procs)
		if !slices.Contains(byPkg[b.pkg], p) {
			byPkg[b.pkg] = append(byPkg[b.pkg], p)
		}
	}
	cmds := make([]string, 0, len(pkgs))
	for _, pkg := range pkgs {
		n := *q
		n.Spec.Bench, n.Set.Bench = strings.Join(byPkg[pkg], "|"), true
		if pkg != "" {
			n.Packages = []string{pkg}
		}
		cmds = append(cmds, mdShellCommand("perfctl compare", n.Args()))
	}
	return cmds, left
}

// mdCommandBlock writes cmds as a block of shell code.
func mdCommandBlock(s *strings.Builder, cmds []string) {
	body := strings.Join(cmds, "\n")
	fence := codeFence(body)
	fmt.Fprintf(s, "%ssh\n%s\n%s\n\n", fence, body, fence)
}

// mdShellCommand is name followed by args, each quoted (mdShellArg).
func mdShellCommand(name string, args []string) string {
	var b strings.Builder
	b.WriteString(name)
	for _, a := range args {
		b.WriteString(" " + mdShellArg(a))
	}
	return b.String()
}

// mdShellArg quotes a for a POSIX shell, so that the shell passes it on
// unchanged and expands nothing in it: a flag --name=value keeps its name
// bare and has its value quoted when it needs it (--bench='^X$').
func mdShellArg(a string) string {
	if name, value, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "--") && mdShellQuote(name) == name {
		if value == "" {
			return name + "=''"
		}
		return name + "=" + mdShellQuote(value)
	}
	return mdShellQuote(a)
}

// mdShellQuote quotes s for a POSIX shell when it needs it: in single
// quotes, where nothing is special but the quote itself, unless it is made
// of characters that a shell passes on as they are.
func mdShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// mdRowsWith returns the rows of c with status s.
func mdRowsWith(c *bench.Comparison, s bench.Status) []*bench.Row {
	var out []*bench.Row
	for i := range c.Rows {
		if c.Rows[i].Status == s {
			out = append(out, &c.Rows[i])
		}
	}
	return out
}

// mdOnePackage returns the package of rows and whether they all share it.
func mdOnePackage(rows []*bench.Row) (string, bool) {
	for _, r := range rows {
		if r.Pkg != rows[0].Pkg {
			return "", false
		}
	}
	if len(rows) == 0 {
		return "", true
	}
	return rows[0].Pkg, true
}

// mdInPackage is " in PKG" for the summary of a folded section whose rows
// share a package, as HTML (Markdown is not rendered in a <summary>).
func mdInPackage(rows []*bench.Row) string {
	if pkg, one := mdOnePackage(rows); one && pkg != "" {
		return " in <code>" + mdHTMLEscape(pkg) + "</code>"
	}
	return ""
}

// mdBenchName is a benchmark's name as go test prints it: BenchmarkX/sub.
func mdBenchName(name string) string { return "Benchmark" + name }

// mdPkg is a package in a table cell.
func mdPkg(pkg string) string {
	if pkg == "" {
		return "—"
	}
	return mdCode(pkg)
}

// human formats the center of s in the unit's own terms: 1.21 µs, 1.5 KiB,
// 3 allocs.
func mdHuman(s *bench.Summary, unit string) string {
	if s == nil {
		return "—"
	}
	return mdHumanFloat(s.Center, unit)
}

// mdHumanRange is human with the interval as ± percent, as benchstat prints
// it.
func mdHumanRange(s *bench.Summary, unit string) string {
	if s == nil {
		return "—"
	}
	rng := benchmath.Summary{Center: s.Center, Lo: s.Low, Hi: s.High}.PctRangeString()
	return mdHumanFloat(s.Center, unit) + " ± " + rng
}

// mdHumanFloat formats v, a value in unit: seconds as ns, µs, ms or s; bytes
// with binary prefixes (KiB); a whole count as itself; anything else as
// benchstat scales it.
func mdHumanFloat(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	type step struct {
		factor float64
		suffix string
	}
	var steps []step
	switch unit {
	case "sec/op":
		steps = []step{{1e-9, "ns"}, {1e-6, "µs"}, {1e-3, "ms"}, {1, "s"}}
	case "B/op":
		steps = []step{{1, "B"}, {1 << 10, "KiB"}, {1 << 20, "MiB"}, {1 << 30, "GiB"}, {1 << 40, "TiB"}}
	case "B/s":
		steps = []step{{1, "B/s"}, {1 << 10, "KiB/s"}, {1 << 20, "MiB/s"}, {1 << 30, "GiB/s"}, {1 << 40, "TiB/s"}}
	default:
		if v == math.Trunc(v) && math.Abs(v) < 1e6 {
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
		return benchunit.Scale(v, benchunit.ClassOf(unit))
	}
	s := steps[0]
	for _, next := range steps[1:] {
		if math.Abs(v) >= next.factor {
			s = next
		}
	}
	x := v / s.factor
	if math.Abs(x) >= 1e4 {
		return strconv.FormatFloat(x, 'f', 0, 64) + " " + s.suffix
	}
	return strconv.FormatFloat(x, 'g', 4, 64) + " " + s.suffix
}

// mdCut shortens s to mdMaxLine characters.
func mdCut(s string) string {
	if len(s) <= mdMaxLine {
		return s
	}
	r := []rune(s)
	if len(r) <= mdMaxLine {
		return s
	}
	return string(r[:mdMaxLine-1]) + "…"
}

// mdDoc is a Markdown document under construction.
type mdDoc struct{ strings.Builder }

// room reports whether s fits before the document reaches limit bytes.
func (d *mdDoc) room(s string, limit int) bool { return d.Len()+len(s) <= limit }

// open starts a folded section: the summary is HTML, and the blank line
// after it lets GitHub render the Markdown inside.
func (d *mdDoc) open(summary string) {
	d.WriteString("<details><summary>" + summary + "</summary>\n\n")
}

// close ends a folded section.
func (d *mdDoc) close() {
	d.WriteString("</details>\n\n")
}

// mdCode is s as a code span in a table cell, where a pipe must be
// escaped even inside the span.
func mdCode(s string) string {
	return mdSpan(strings.ReplaceAll(s, "|", `\|`))
}

// mdSpan is s as a code span: delimited by more backticks than any run
// inside it, and padded with spaces when it starts or ends with one.
func mdSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", mdLongestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdLongestRun is the length of the longest run of c in s.
func mdLongestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// mdEscape makes s safe as Markdown text in a table cell or paragraph:
// nothing in it starts emphasis, a code span, a link or HTML, or ends a
// cell.
var mdEscape = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "*", `\*`, "_", `\_`,
	"`", "\\`", "[", `\[`, "]", `\]`, "~", `\~`,
).Replace

// mdLine is mdEscape for text that starts a line, where #, -, +, = and
// "1." would start a heading or a list.
func mdLine(s string) string {
	s = mdEscape(strings.TrimLeft(s, " \t"))
	if s == "" {
		return s
	}
	if strings.ContainsRune("#-+=", rune(s[0])) {
		return `\` + s
	}
	if m := mdListNumber.FindStringIndex(s); m != nil {
		return s[:m[1]-1] + `\` + s[m[1]-1:] // 1\. is not a list item
	}
	return s
}

var mdListNumber = regexp.MustCompile(`^[0-9]{1,9}[.)]`)

// mdHTMLEscape makes s safe as HTML text.
var mdHTMLEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
